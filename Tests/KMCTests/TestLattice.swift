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

    /// Parameters with only the given families switched on.
    static func params(_ phase: Phase = .zb, only: Set<EventFamily>) -> ExchangeParameters {
        var p = ExchangeParameters.defaults(phase)
        p.enabled = only
        return p
    }
}
