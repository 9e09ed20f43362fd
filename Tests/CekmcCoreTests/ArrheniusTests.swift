import Testing
@testable import CekmcCore

@Suite struct CekmcCorePlaceholder { @Test func links() { #expect(Constants.zeroCelsius_K == 273.15) } }
