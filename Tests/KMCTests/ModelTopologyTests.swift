import Testing
import CekmcCore
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

@Suite struct GeometryWireTopologyTests {
    @Test(arguments: [Phase.zb, Phase.wz])
    func carvedWireHasBulkCoordinations(_ phase: Phase) throws {
        let (t, d, l) = try LatticeTopology.wire(phase: phase, diameter_nm: 3, length_nm: 4)
        #expect(abs(d - 30) < 1e-9 && abs(l - 40) < 8)
        // Bulk coordinations of Geometry's standard shells; every interstitial without hop
        // neighbours is a surface interstitial (reachable from the shell).
        #expect(t.cationNN.maxDegree == 12)
        #expect(t.hop.maxDegree == (phase == .zb ? 4 : 3))
        #expect(t.cationsAroundTetra == (phase == .zb ? 6 : 4) && t.cationsAroundOcta == (phase == .zb ? 4 : 3))
        #expect(t.cationsAroundTetra >= 1 && t.cationsAroundOcta >= 1)
        var isolated = 0
        for i in 0..<t.siteCount where (t.kinds[i] == .tetra || t.kinds[i] == .octa) && t.hop.range(i).isEmpty && !t.isSurfaceInterstitial[i] { isolated += 1 }
        #expect(isolated == 0)
        #expect(t.shellInt.edgeCount > 0 && t.shellShell.edgeCount > 0 && t.shellCat.edgeCount > 0)
        print(phase, "sites", t.siteCount, "hop deg", t.hop.maxDegree, "tetra z", t.cationsAroundTetra, "octa z", t.cationsAroundOcta,
              "shell deg", t.shellShell.maxDegree, "shell-int", t.shellInt.maxDegree)
    }
}

@Suite struct VacancyPlacementTests {
    @Test func explicitVacanciesBySiteAndPositionAndFractions() throws {
        let topo = try TestLattice.zbWire(radius: 9, length: 24)
        let cats = topo.cationSites
        let bySite = Int(cats[3]), byPos = Int(cats[10])
        let p = ExchangeParameters.defaults(.zb)
        let (m, _) = try ExchangeModel.make(topology: topo, parameters: p,
                                            initial: InitialState(donorCu: 0, vacancySites: [bySite],
                                                                  vacancyPositions: [topo.positions[byPos] + SIMD3(0.3, 0, 0)]))
        #expect(m.occupant[bySite] == Occupant.empty && m.occupant[byPos] == Occupant.empty)
        #expect(m.counts().vacancies == 2)
        #expect(throws: ModelError.self) {
            _ = try ExchangeModel.make(topology: topo, parameters: p,
                                       initial: InitialState(donorCu: 0, vacancyPositions: [SIMD3(500, 0, 0)]))
        }
        // Fractions: surface fraction 1 empties exactly the surface cations (those with a shell neighbour).
        let (m2, _) = try ExchangeModel.make(topology: topo, parameters: p, initial: InitialState(donorCu: 0, surfaceVacancyFraction: 1))
        let surface = cats.filter { topo.catShell.range(Int($0)).count > 0 }.count
        #expect(surface > 0 && m2.counts().vacancies == surface)
    }
}
