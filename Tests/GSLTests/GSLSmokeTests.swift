import Testing
@testable import GSL

@Suite struct GSLSmokeTests {
    @Test func moduleLinks() { #expect(Bool(true)) }
}
