import Testing
@testable import CekmcCLI

@Suite struct CLIPlaceholder { @Test func links() { #expect(!cekmcVersion.isEmpty) } }
