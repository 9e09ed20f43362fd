import Testing
@testable import MD

@Suite struct MDSmokeTests {
    @Test func moduleLinks() { #expect(Bool(true)) }
}
