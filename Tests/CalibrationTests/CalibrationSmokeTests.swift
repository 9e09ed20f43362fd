import Testing
@testable import Calibration

@Suite struct CalibrationSmokeTests {
    @Test func moduleLinks() { #expect(Bool(true)) }
}
