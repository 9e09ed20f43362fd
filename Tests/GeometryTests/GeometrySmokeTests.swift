import Testing
@testable import Geometry

@Suite struct GeometrySmokeTests {
    @Test func moduleLinks() { #expect(Bool(true)) }
}
