// Adapter from the Geometry module's carved wire to the KMC topology: drops the (fixed) anions and
// maps Geometry's hole kinds to KMC site kinds; neighbour relations are then built by
// `LatticeTopology` from the positions (see LatticeTopology.swift).

import CekmcCore
import Geometry

extension LatticeTopology {
    /// Carve a wire of `phase` (default crystal constants unless `spec` is given) with diameter and
    /// length in nm and build its KMC topology. Returns the topology and the wire's diameter and
    /// carved length in Å. O(N).
    public static func wire(phase: Phase, diameter_nm: Double, length_nm: Double,
                            spec: CrystalSpec? = nil) throws -> (topology: LatticeTopology, diameter_A: Double, length_A: Double) {
        let s = spec ?? CrystalSpec.defaults(for: phase)
        let w = try Wire.carve(s, diameter_A: Units.angstrom(nm: diameter_nm), length_A: Units.angstrom(nm: length_nm))
        var pos: [SIMD3<Double>] = []
        var kinds: [SiteKind] = []
        let n = w.sites.count
        pos.reserveCapacity(n); kinds.reserveCapacity(n)
        for i in 0..<n {
            let k: SiteKind
            switch w.sites.kinds[i] {
            case .anion: continue
            case .cation: k = .cation
            case .tetraEmpty: k = .tetra
            case .octa: k = .octa
            case .shell: k = .shell
            }
            pos.append(w.sites.positions[i]); kinds.append(k)
        }
        // Order sites spatially (z slabs of 2 Å, then y, x rows of 2 Å) so that neighbours are close in
        // memory: every event touches a few neighbourhoods, and on a multi-million-site wire cache
        // misses otherwise dominate. Site indices of the KMC (e.g. `defects.vacancy_sites`) refer to this order.
        let order = (0..<pos.count).sorted { a, b in
            let pa = pos[a], pb = pos[b]
            let za = Int((pa.z / 2).rounded(.down)), zb = Int((pb.z / 2).rounded(.down))
            if za != zb { return za < zb }
            let ya = Int((pa.y / 2).rounded(.down)), yb = Int((pb.y / 2).rounded(.down))
            if ya != yb { return ya < yb }
            if pa.x != pb.x { return pa.x < pb.x }
            return a < b
        }
        pos = order.map { pos[$0] }
        kinds = order.map { kinds[$0] }
        // Relation windows from Geometry's standard shells (bulk coordinations of the phase).
        let win = RelationWindows(
            cationCation: try StandardShell.cationCation.window(s),
            interstitialHop: try StandardShell.interstitialHop.window(s),
            interstitialCation: try StandardShell.interstitialCation.window(s),
            shellShell: try StandardShell.shellShell.window(s),
            shellInterstitial: try StandardShell.shellSurfaceInterstitial.window(s),
            shellCation: try StandardShell.interstitialCation.window(s))
        return (try LatticeTopology(positions: pos, kinds: kinds, windows: win), w.diameter_A, w.carvedLength_A)
    }
}
