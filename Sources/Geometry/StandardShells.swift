// The standard neighbour shells used by the KMC events, with distance windows derived from the
// crystal itself.
//
// Each shell is defined by its coordination number in the bulk crystal (per source hole type and
// phase); the window is computed on a small periodic bulk cell: r_min = 0.9 × the nearest included
// distance, r_max = the midpoint between the farthest included and the nearest excluded distance
// (over all source types). If those overlap (extreme distortion) the shell is ambiguous and an error
// is thrown. Ideal distances (zb, cubic a; wz, ideal c/a and u = 3/8 for the labels):
//   cationCation            12 corner-sharing neighbours: zb a/√2; wz a (6 in-layer) and √(a²/3 + c²/4) (6).
//   anionCation             4 bonds: zb a√3/4; wz u·c (1) and √(a²/3 + (1/2 − u)²c²) (3).
//   interstitialHop         tetraEmpty ↔ octa, face-sharing: zb a√3/4 (T: 4 O, O: 4 T);
//                           wz √(a²/3 + ((2u − 1/2)c/2)²) (T: 3 O, O: 3 T).
//   interstitialCation      kick-off partners {tetraEmpty, octa} → cation:
//                           zb T₋: 6 cations at a/2 (edge-sharing), O: 4 at a√3/4 (face-sharing);
//                           wz T₋: 1 at (1 − 2u)c (face-sharing pair) + 3 edge-sharing, O: 3 face-sharing.
//   cationTetraEmpty        the Cu₂Se partner of a cation: zb 6 at a/2; wz 1 face-sharing + 3 edge-sharing.
//   octaOcta                octa → octa: wz the 2 face-sharing neighbours along c (c/2, the open
//                           octahedral channels of hcp); zb the 12 edge-sharing ones at a/√2.
//   shellShell              hops among shell sites: every hole within the in-plane spacing a_hex
//                           (face-, edge- and corner-sharing holes). Face sharing alone leaves the
//                           shell disconnected (the close-packed end caps carry isolated adsorption
//                           sites a_hex apart, and the wz side shell splits into sectors), so the
//                           shell hop graph goes one shell further. In bulk each tetrahedral hole has
//                           22 holes within a_hex, each octahedral 20 (both phases; zb: T 4 O at a√3/4
//                           + 6 T at a/2 + 12 T at a/√2, O 8 T + 12 O at a/√2).
//   shellSurfaceInterstitial shell → face-sharing wire interstitials that are surface sites:
//                           zb T: 4 O, O: 4 T₋ (octa-type shell sees the 4 tetraEmpty of its 8 T);
//                           wz cation-type: 3 O + 1 T₋, T₋-type: 3 O, O-type: 3 T₋.

import CekmcCore

/// A named neighbour relation of the KMC model (see the file header for distances).
public enum StandardShell: String, Sendable, CaseIterable {
    /// Cation → cation, 12 nearest (corner-sharing) neighbours.
    case cationCation
    /// Anion → cation bonds (4).
    case anionCation
    /// Interstitial hop graph: tetraEmpty ↔ octa at the face-sharing T–O distance.
    case interstitialHop
    /// Interstitial (tetraEmpty, octa) → cation sites reachable by a kick-off.
    case interstitialCation
    /// Cation → tetraEmpty partners forming a Cu₂Se unit.
    case cationTetraEmpty
    /// Octa → octa (wz: face-sharing channel along c, 2 at c/2; zb: 12 edge-sharing at a/√2).
    case octaOcta
    /// Shell ↔ shell adsorption-site hops: holes within the in-plane spacing a_hex.
    case shellShell
    /// Shell → surface interstitials (tetraEmpty, octa) of the wire (penetration).
    case shellSurfaceInterstitial

    /// Lattice kinds of the sources.
    public var sourceLatticeKinds: [SiteKind] {
        switch self {
        case .cationCation, .cationTetraEmpty: [.cation]
        case .anionCation: [.anion]
        case .interstitialHop, .interstitialCation: [.tetraEmpty, .octa]
        case .octaOcta: [.octa]
        case .shellShell, .shellSurfaceInterstitial: [.cation, .tetraEmpty, .octa]
        }
    }
    /// Lattice kinds of the targets.
    public var targetLatticeKinds: [SiteKind] {
        switch self {
        case .cationCation, .anionCation, .interstitialCation: [.cation]
        case .cationTetraEmpty: [.tetraEmpty]
        case .interstitialHop, .shellSurfaceInterstitial: [.tetraEmpty, .octa]
        case .octaOcta: [.octa]
        case .shellShell: [.cation, .tetraEmpty, .octa]
        }
    }
    /// Bulk coordination number of a source of lattice kind `kind` in `phase`.
    public func coordination(of kind: SiteKind, phase: Phase) -> Int {
        let zb = phase == .zb
        switch (self, kind) {
        case (.cationCation, _): return 12
        case (.anionCation, _): return 4
        case (.interstitialHop, _): return zb ? 4 : 3
        case (.interstitialCation, .tetraEmpty): return zb ? 6 : 4
        case (.interstitialCation, _): return zb ? 4 : 3
        case (.cationTetraEmpty, _): return zb ? 6 : 4
        case (.octaOcta, _): return zb ? 12 : 2
        case (.shellShell, .octa): return 20
        case (.shellShell, _): return 22
        case (.shellSurfaceInterstitial, .cation): return 4
        case (.shellSurfaceInterstitial, _): return zb ? 4 : 3
        }
    }

    /// Distance window [r_min, r_max] (Å) selecting this shell in `spec`'s crystal, derived on a
    /// bulk cell (see the file header). O(1) cell of ~10³ sites.
    /// - Throws: `GeometryError.ambiguousShell` if the shell cannot be separated by distance.
    public func window(_ spec: CrystalSpec) throws -> ClosedRange<Double> {
        // 4 × 3 × 3 orthorhombic repeats: widths ≥ 17 Å, enough for distances ≤ 8 Å.
        let cell = try BulkCell.make(spec, repeats: (4, 3, spec.phase == .zb ? 2 : 3))
        let s = cell.sites, box = s.box
        var nearest = Double.infinity, farIn = 0.0, nearOut = Double.infinity
        let targets = targetLatticeKinds.flatMap { Array(s.range(of: $0)) }
        for kind in sourceLatticeKinds {
            let src = s.range(of: kind).lowerBound
            var ds: [Double] = []
            for t in targets where t != src {
                var f = box.fractional(s.positions[t] - s.positions[src])
                f -= f.rounded(.toNearestOrAwayFromZero)
                let dv = box.cartesian(f)
                ds.append((dv * dv).sum().squareRoot())
            }
            ds.sort()
            let n = coordination(of: kind, phase: spec.phase)
            nearest = min(nearest, ds[0]); farIn = max(farIn, ds[n - 1]); nearOut = min(nearOut, ds[n])
        }
        guard farIn < nearOut - 1e-3 else {
            throw GeometryError.ambiguousShell(component: "StandardShell.\(rawValue)",
                                               detail: "in \(spec) the included distances reach \(farIn) Å but excluded ones start at \(nearOut) Å")
        }
        return (0.9 * nearest) ... ((farIn + nearOut) / 2)
    }
}

extension NeighborTable {
    /// The table of a standard shell on a wire or bulk site list. Source/target filters:
    /// bulk-type shells use wire sites of the lattice kinds (shell sites excluded);
    /// `shellShell` uses shell sites only; `shellSurfaceInterstitial` maps shell sites to
    /// wire tetraEmpty/octa sites flagged surface. Rows sorted. O(N).
    /// - Parameter window: overrides the derived window (Å).
    public static func standard(_ shell: StandardShell, sites: SiteList, spec: CrystalSpec,
                                window: ClosedRange<Double>? = nil) throws -> NeighborTable {
        let w = try window ?? shell.window(spec)
        let sources: [Int32], targets: [Int32]
        switch shell {
        case .shellShell:
            sources = sites.indices(of: [.shell]); targets = sources
        case .shellSurfaceInterstitial:
            sources = sites.indices(of: [.shell])
            targets = sites.indices(of: [.tetraEmpty, .octa]) { sites.isSurface[$0] }
        default:
            sources = sites.indices(of: shell.sourceLatticeKinds)
            targets = sites.indices(of: shell.targetLatticeKinds)
        }
        return try build(positions: sites.positions, sources: sources, targets: targets, window: w, box: sites.box)
    }
}
