import Testing
@testable import KMC

@Suite struct ModelTopologyTests {
    @Test func zbCoordinations() throws {
        let t = try TestLattice.zbWire(radius: 12, length: 30)
        // Bulk coordinations of zb: 12 cation NN, tetra hole: 6 cations (a/2), octa hole: 4 cations (√3a/4),
        // hop graph tetra–octa with 4 neighbours each.
        #expect(t.cationNN.maxDegree == 12)
        #expect(t.cationsAroundTetra == 6)
        #expect(t.cationsAroundOcta == 4)
        #expect(t.hop.maxDegree == 4)
        #expect(t.shellInt.edgeCount > 0)
        #expect(t.isSurfaceInterstitial.contains(true))
    }
}
