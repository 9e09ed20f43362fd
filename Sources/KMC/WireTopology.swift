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
        let (pos, kinds, diameter_A, length_A) = try wireSites(s, diameter_nm: diameter_nm, length_nm: length_nm)
        return (try LatticeTopology(positions: pos, kinds: kinds, windows: try .standard(s)), diameter_A, length_A)
    }

    /// The sites of the wire `wire(phase:diameter_nm:length_nm:)` builds — positions (Å) and kinds in
    /// KMC site-index order — without their neighbour relations: for checking site indices and
    /// positions of an input before a run. O(N log N).
    public static func wireSites(phase: Phase, diameter_nm: Double, length_nm: Double) throws
        -> (positions: [SIMD3<Double>], kinds: [SiteKind]) {
        let (pos, kinds, _, _) = try wireSites(CrystalSpec.defaults(for: phase), diameter_nm: diameter_nm, length_nm: length_nm)
        return (pos, kinds)
    }

    static func wireSites(_ s: CrystalSpec, diameter_nm: Double, length_nm: Double) throws
        -> ([SIMD3<Double>], [SiteKind], Double, Double) {
        // The carved wire (with its anions) is released before the topology is built (peak memory).
        var (pos, kinds, diameter_A, length_A) = try Self.carvedHoles(s, diameter_nm: diameter_nm, length_nm: length_nm)
        // Order sites spatially (z slabs of 2 Å, then y, x rows of 2 Å) so that neighbours are close in
        // memory: every event touches a few neighbourhoods, and on a multi-million-site wire cache
        // misses otherwise dominate. Site indices of the KMC (e.g. `defects.vacancy_sites`) refer to this order.
        // The slab and row keys are computed once per site (not per comparison); ties go by index,
        // so the order is total and does not depend on the sort algorithm.
        struct Key { var z: Int; var y: Int; var x: Double; var index: Int }
        var keyed = pos.indices.map { i in
            Key(z: Int((pos[i].z / 2).rounded(.down)), y: Int((pos[i].y / 2).rounded(.down)), x: pos[i].x, index: i)
        }
        keyed.sort { a, b in
            if a.z != b.z { return a.z < b.z }
            if a.y != b.y { return a.y < b.y }
            if a.x != b.x { return a.x < b.x }
            return a.index < b.index
        }
        let order = keyed.map(\.index)
        keyed = []
        pos = order.map { pos[$0] }
        kinds = order.map { kinds[$0] }
        return (pos, kinds, diameter_A, length_A)
    }

    /// Positions (Å) of the anions of the wire `wire(phase:diameter_nm:length_nm:)` carves, in the
    /// same frame as its sites: the fixed Se frame, for snapshots. O(N).
    public static func wireAnions(phase: Phase, diameter_nm: Double, length_nm: Double) throws -> [SIMD3<Double>] {
        let w = try Wire.carve(CrystalSpec.defaults(for: phase), diameter_A: Units.angstrom(nm: diameter_nm),
                               length_A: Units.angstrom(nm: length_nm))
        var out: [SIMD3<Double>] = []
        for i in 0..<w.sites.count where w.sites.kinds[i] == .anion { out.append(w.sites.positions[i]) }
        return out
    }

    /// Positions and KMC kinds of the holes of a carved wire (anions dropped), its diameter and carved length.
    static func carvedHoles(_ s: CrystalSpec, diameter_nm: Double, length_nm: Double) throws
        -> ([SIMD3<Double>], [SiteKind], Double, Double) {
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
        return (pos, kinds, w.diameter_A, w.carvedLength_A)
    }
}

extension RelationWindows {
    /// Relation windows from Geometry's standard shells (bulk coordinations of the phase of `s`).
    static func standard(_ s: CrystalSpec) throws -> RelationWindows {
        RelationWindows(
            cationCation: try StandardShell.cationCation.window(s),
            interstitialHop: try StandardShell.interstitialHop.window(s),
            interstitialCation: try StandardShell.interstitialCation.window(s),
            shellShell: try StandardShell.shellShell.window(s),
            shellInterstitial: try StandardShell.shellSurfaceInterstitial.window(s),
            shellCation: try StandardShell.interstitialCation.window(s))
    }
}

extension LatticeTopology {
    /// The hops an interstitial atom needs to cross the wire's radius, (R/a)²: R the largest distance
    /// of an interstitial site from the wire's axis (the mean x, y of the cation sites), a the mean
    /// interstitial hop length. A diffusive mode across the cross-section relaxes in
    /// τ = R²/(j₀₁²·D) with D = z·k·a²/6 (z hop directions of rate k), i.e. after
    /// 6/j₀₁²·(R/a)² ≈ 1.04·(R/a)² hops of each atom (j₀₁ = 2.405, the first zero of J₀). 1 without
    /// hop edges. O(N).
    public var crossSectionHops: Double {
        guard hop.edgeCount > 0, !cationSites.isEmpty else { return 1 }
        var cx = 0.0, cy = 0.0
        for c in cationSites { cx += positions[Int(c)].x; cy += positions[Int(c)].y }
        cx /= Double(cationSites.count); cy /= Double(cationSites.count)
        var r2 = 0.0, length = 0.0
        for x in 0..<siteCount where kinds[x] == .tetra || kinds[x] == .octa {
            let p = positions[x]
            r2 = max(r2, (p.x - cx) * (p.x - cx) + (p.y - cy) * (p.y - cy))
            for e in hop.range(x) {
                let d = positions[Int(hop.targets[e])] - p
                length += (d * d).sum().squareRoot()
            }
        }
        let a = length / Double(hop.edgeCount)
        return max(1, r2 / (a * a))
    }
}
