import Testing
@testable import InputFiles

@Suite struct InputFilesSmokeTests {
    @Test func moduleLinks() { #expect(Bool(true)) }
}
