import Testing

@Suite struct CekmcCoreSmokeTests {
    @Test func placeholder() { #expect(1 + 1 == 2) }
}
