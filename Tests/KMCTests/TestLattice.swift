// Small zb test wires built directly from the zincblende structure (cube axes, wire along [001]),
// independent of the Geometry module, for the model tests.
import CekmcCore
@testable import KMC

enum TestLattice {
    /// zb wire: Se fcc (a), cations at +¼(1,1,1)a, empty tetra holes at +¾(1,1,1)a, octa holes at
    /// +½(1,1,1)a; sites with radius ≤ R are wire sites; cation-lattice positions with
    /// R < r ≤ R + shellDepth are shell sites. Ends along z are open unless `periodic`.
    static func zbWire(radius R: Double, length L: Double, a: Double = 6.05, shellDepth: Double = 3.2,
                       periodic: Bool = false) throws -> LatticeTopology {
        var pos: [SIMD3<Double>] = []
        var kinds: [SiteKind] = []
        let fcc: [SIMD3<Double>] = [SIMD3(0, 0, 0), SIMD3(0, 0.5, 0.5), SIMD3(0.5, 0, 0.5), SIMD3(0.5, 0.5, 0)]
        let n = Int(((R + shellDepth) / a).rounded(.up)) + 1
        let nz = Int((L / a).rounded(.down))
        let zLen = Double(nz) * a
        for i in -n...n { for j in -n...n { for k in 0..<nz {
            for f in fcc {
                let base = (SIMD3(Double(i), Double(j), Double(k)) + f) * a
                for (off, kind) in [(0.25, SiteKind.cation), (0.75, SiteKind.tetra), (0.5, SiteKind.octa)] {
                    let p = base + SIMD3(repeating: off * a)
                    if p.z >= zLen { continue }
                    let r = (p.x * p.x + p.y * p.y).squareRoot()
                    let endDist = periodic ? Double.infinity : min(p.z, zLen - p.z)
                    if r <= R && endDist > 0.5 { pos.append(p); kinds.append(kind) }
                    else if kind == .cation && !periodic && r <= R + shellDepth && (r > R) { pos.append(p); kinds.append(.shell) }
                    else if kind == .cation && periodic && r > R && r <= R + shellDepth { pos.append(p); kinds.append(.shell) }
                }
            }
        } } }
        return try LatticeTopology(positions: pos, kinds: kinds, periodicZ_A: periodic ? zLen : nil)
    }

    /// Defaults with every event fast and reachable in ~10⁵ events (machinery tests: bookkeeping,
    /// acceleration against unaccelerated runs): Cu_i below the donor, no interface energy (so a kick-off in
    /// pristine CdSe has Table 1's barrier and kick-off/kick-in flicker), a Cd sink far below Cd_i and a donor attempt rate of 3·10¹⁶ s⁻¹ nm⁻¹. The
    /// physical defaults (docs/model.md §6) make exchange a seconds-to-hours process instead.
    static func active(_ phase: Phase = .zb) -> ExchangeParameters {
        var p = ExchangeParameters.defaults(phase)
        p.cuTetra_eV = -0.25; p.cuOcta_eV = -0.25; p.cdTetra_eV = 0; p.cdOcta_eV = 0
        p.cuCation_eV = -0.2; p.interfaceJ_eV = 0; p.cu2sePairU_eV = -0.05
        p.escapedCd_eV = -1; p.adsorption_eV = 0.2; p.supplyAttemptPerNm = 3e16
        return p
    }

    /// Parameters with only the given families switched on.
    static func params(_ phase: Phase = .zb, only: Set<EventFamily>) -> ExchangeParameters {
        var p = ExchangeParameters.defaults(phase)
        p.enabled = only
        return p
    }
}
