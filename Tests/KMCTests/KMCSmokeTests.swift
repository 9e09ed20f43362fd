import Testing
@testable import KMC

@Suite struct KMCSmokeTests {
    @Test func moduleLinks() { #expect(Bool(true)) }
}
