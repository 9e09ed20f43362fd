// Observables on real carved wires (Geometry module): layers, columns and the intrinsic width of a
// flat front for each phase.
import Testing
import Geometry
import CekmcCore
@testable import KMC

@Suite struct ObservablesWireTests {
    @Test(arguments: [Phase.zb, Phase.wz])
    func layersColumnsAndFlatFront(phase: Phase) throws {
        let spec = CrystalSpec.defaults(for: phase)
        let wire = try Wire.carve(spec, diameter_A: 40, length_A: 80)
        let f = try CationFrame(wire: wire)
        let d = spec.layerSpacing_A
        #expect(f.count == wire.count(.cation))
        // One cation plane per Se layer; uniform spacing d.
        #expect(f.layerCount == wire.layerCount)
        #expect(abs(f.layerSpacing_A - d) < 1e-9)
        // Columns: zb [111] cations repeat every 3 planes (ABC), wz [001] every 2 (AB).
        let period = Double(spec.layersPerPeriod) * d
        for c in 0..<f.columnCount {
            let sites = f.columnSites[Int(f.columnOffsets[c])..<Int(f.columnOffsets[c + 1])].map { Int($0) }
            for (a, b) in zip(sites, sites.dropFirst()) { #expect(abs(f.z[b] - f.z[a] - period) < 1e-9) }
        }
        // 12 cation neighbours in the bulk.
        let degrees = (0..<f.count).map { Int(f.neighborOffsets[$0 + 1] - f.neighborOffsets[$0]) }
        #expect(degrees.max() == 12)
        // Exchange every cation plane below the middle: one spanning domain whose upper front is flat
        // up to the column stagger: range = (planes per period − 1)·d; no lower interface (bottom cap).
        let cut = f.layerZ[f.layerCount / 2]
        var codes = [UInt8](repeating: CationCodes.standard.cadmium, count: f.count)
        for i in 0..<f.count where f.z[i] <= cut + 1e-9 { codes[i] = CationCodes.standard.copper }
        var an = try DomainAnalyzer(frame: f)
        an.analyze(codes: codes)
        #expect(an.domainCount == 1)
        let g = try #require(an.domains.first)
        #expect(g.spans && g.maxLayerFraction == 1)
        #expect(g.lowerFront == nil)
        let hi = try #require(g.upperFront)
        #expect(hi.columns == f.columnCount)
        #expect(abs(hi.range_nm - Double(spec.layersPerPeriod - 1) * d / 10) < 1e-9)
        #expect(hi.std_nm <= d / 10)
        #expect(abs(g.zMax_nm - cut / 10) < 1e-12)
    }
}
