// Structure builders over Geometry.
import CekmcCore
import Foundation
import Geometry
import GSL
import Testing
@testable import MD

@Suite struct StructureTests {
    @Test("Bulk cells: stoichiometry, counts, periodic widths ≥ requested")
    func bulkCells() throws {
        let wz = try Structures.bulk(try .wurtzite(), repeats: (2, 2, 2))
        #expect(wz.atoms(of: .Cd).count == 32 && wz.atoms(of: .Se).count == 32)
        let zb = try Structures.bulk(try .zincblende(), repeats: (2, 2, 2), setting: .cubic)
        #expect(zb.configuration.count == 64)
        let cu = try Structures.bulk(try .cu2se(), repeats: (2, 2, 2), setting: .cubic)
        #expect(cu.atoms(of: .Cu).count == 64 && cu.atoms(of: .Se).count == 32 && cu.atoms(of: .Cd).isEmpty)
        let big = try Structures.bulk(try .wurtzite(), minimumWidth_A: 23)
        let c = big.configuration.cell
        #expect(c.a.x >= 23 && c.b.y >= 23 && c.c.z >= 23)
        // Nearest Cd–Se distance in zb = a√3/4.
        let w = PeriodicWrap(zb.configuration.cell)
        let cd0 = zb.atoms(of: .Cd)[0]
        let d = zb.atoms(of: .Se).map { w.distance(zb.configuration.positions[cd0], zb.configuration.positions[$0]) }.min()!
        #expect(abs(d - 6.05 * 3.0.squareRoot() / 4) < 1e-9)
    }

    @Test("Wire: neutral after neutralise, within its radius, periodic along z only")
    func wire() throws {
        for spec in [try CrystalSpec.wurtzite(), try .zincblende(), try .cu2se()] {
            let s = try Structures.nanowire(spec, diameter_A: 24, length_A: Structures.periodicLength(spec, atLeast: 20))
            let ratio = spec.framework == .cdse ? 1 : 2
            let cation: Species = spec.framework == .cdse ? .Cd : .Cu
            #expect(s.atoms(of: cation).count == ratio * s.atoms(of: .Se).count)
            #expect(s.configuration.cell.periodic == (false, false, true))
            #expect(s.configuration.positions.allSatisfy { s.radialDistance($0) < 12 + 1e-9 })
            #expect(abs(s.configuration.cell.c.z / spec.period_A - (s.configuration.cell.c.z / spec.period_A).rounded()) < 1e-9)
        }
    }

    @Test("Vacancies: count = round(f·N_Cd), seeded, surface share respected")
    func vacancies() throws {
        let base = try Structures.nanowire(try .wurtzite(), diameter_A: 30, length_A: 28.04)
        let nCd = base.atoms(of: .Cd).count
        var a = base, b = base
        let va = try a.removeCadmium(fraction: 0.05, rng: try RandomGenerator(seed: 9))
        let vb = try b.removeCadmium(fraction: 0.05, rng: try RandomGenerator(seed: 9))
        #expect(va == vb)
        #expect(va.count == Int((0.05 * Double(nCd)).rounded()))
        #expect(a.atoms(of: .Cd).count == nCd - va.count)
        var c = base
        let vc = try c.removeCadmium(fraction: 0.1, surfaceShare: 1, rng: try RandomGenerator(seed: 1))
        #expect(vc.allSatisfy { base.sites.isSurface[$0] })
        #expect(throws: MDProtocolError.self) { var d = base; try d.removeCadmium(fraction: 1.5, rng: try RandomGenerator(seed: 1)) }
    }

    @Test("Interstitial on the nearest empty hole; bath atoms in the annulus, separated")
    func interstitialAndBath() throws {
        var s = try Structures.nanowire(try .zincblende(), diameter_A: 24, length_A: 31.44, margin_A: 20, lateralPeriodic: true)
        let axis = s.axis!
        let centre = SIMD3(axis.x, axis.y, 15.0)
        let i = try s.insertInterstitial(.tetraEmpty, near: centre)
        #expect(s.configuration.species[i] == .Cu)
        #expect(s.sites.kinds[Int(s.atomSite[i])] == .tetraEmpty)
        let j = try s.insertInterstitial(.tetraEmpty, near: centre)
        #expect(s.atomSite[j] != s.atomSite[i])
        let n0 = s.configuration.count
        try s.addBath(count: 30, innerRadius_A: 16, outerRadius_A: 26, minSeparation_A: 3, rng: try RandomGenerator(seed: 4))
        #expect(s.configuration.count == n0 + 30)
        let w = PeriodicWrap(s.configuration.cell)
        for k in n0..<s.configuration.count {
            let r = s.radialDistance(s.configuration.positions[k])
            #expect(r >= 16 - 1e-9 && r <= 26 + 1e-9)
            for m in 0..<k { #expect(w.distance(s.configuration.positions[k], s.configuration.positions[m]) >= 3 - 1e-9) }
        }
    }
}
