// Index arithmetic of the close-packed stacking (see the header of CrystalSpec.swift).
//
// A site is addressed by (layer/gap k, lattice column (i, j), kind). Its in-plane position is
// i·a1 + j·a2 + letter·t, its height z_k + offset(kind). Coordination between a site of letter ls and
// the sites of a neighbouring layer of letter lt follows from s = (lt − ls) mod 3:
//   s = 0 → the one site in the same column (Δi, Δj) = (0, 0);
//   s = 1 → three sites at (0,0), (−1,0), (0,−1);   s = 2 → three sites at (−1,−1), (−1,0), (0,−1);
// each at in-plane distance a_hex/√3 (target − source = Δi·a1 + Δj·a2 + s·t); when lt < ls the
// positions carry (lt − ls)·t = s·t − (a1 + a2), so every Δ shifts by (1, 1).

struct Stacking: Sendable {
    let ah: Double          // in-plane spacing a_hex, Å
    let d: Double           // layer spacing, Å
    let rise: Double        // 2u·d, Å
    let period: Int         // 2 (wz) or 3 (zb)
    let a1: SIMD2<Double>, a2: SIMD2<Double>, t: SIMD2<Double>

    init(_ spec: CrystalSpec) {
        ah = spec.inPlaneSpacing_A; d = spec.layerSpacing_A; rise = spec.cationRise_A
        period = spec.layersPerPeriod
        a1 = SIMD2(ah, 0); a2 = SIMD2(ah / 2, ah * 3.0.squareRoot() / 2); t = (a1 + a2) / 3
    }

    /// Stacking letter (0 = A, 1 = B, 2 = C) of Se layer k.
    @inline(__always) func letter(_ k: Int) -> Int { let m = k % period; return m < 0 ? m + period : m }
    /// Letter of a site of `kind` belonging to layer/gap k.
    @inline(__always) func letter(_ kind: SiteKind, _ k: Int) -> Int {
        switch kind {
        case .anion, .cation: return letter(k)
        case .tetraEmpty: return letter(k + 1)
        case .octa, .shell: return 3 - letter(k) - letter(k + 1)
        }
    }
    /// Height of the site above its Se layer, Å.
    @inline(__always) func zOffset(_ kind: SiteKind) -> Double {
        switch kind {
        case .anion: return 0
        case .cation: return rise
        case .tetraEmpty: return d - rise
        case .octa, .shell: return d / 2
        }
    }
    /// Height of Se layer k, Å: (k + 1/2)·d.
    @inline(__always) func layerZ(_ k: Int) -> Double { (Double(k) + 0.5) * d }
    /// In-plane position of column (i, j) with letter p.
    @inline(__always) func xy(_ i: Int, _ j: Int, _ p: Int) -> SIMD2<Double> {
        Double(i) * a1 + Double(j) * a2 + Double(p) * t
    }
    /// Cartesian position of a site.
    @inline(__always) func position(_ kind: SiteKind, _ k: Int, _ i: Int, _ j: Int) -> SIMD3<Double> {
        let p = xy(i, j, letter(kind, k))
        return SIMD3(p.x, p.y, layerZ(k) + zOffset(kind))
    }

    /// Column offsets from a site of letter ls to the nearest sites of letter lt in another layer.
    static func columnOffsets(from ls: Int, to lt: Int) -> [(Int, Int)] {
        // The table is for target − source = Δ + s·t with s = (lt − ls) mod 3; the positions carry
        // (lt − ls)·t, which differs from s·t by −3t = −(a1 + a2) when lt < ls: shift Δ by (1, 1).
        let c = lt < ls ? 1 : 0
        switch ((lt - ls) % 3 + 3) % 3 {
        case 0: return [(0, 0)]
        case 1: return [(c, c), (c - 1, c), (c, c - 1)]
        default: return [(c - 1, c - 1), (c - 1, c), (c, c - 1)]
        }
    }

    /// The coordinating Se of a hole of `kind` in gap k at column (i, j): (layer, i, j) triples
    /// (4 for tetrahedral holes, 6 for octahedral).
    func anionsOfHole(_ kind: SiteKind, _ k: Int, _ i: Int, _ j: Int) -> [(Int, Int, Int)] {
        let q = letter(kind, k)
        var out: [(Int, Int, Int)] = []
        for m in [k, k + 1] {
            for (di, dj) in Stacking.columnOffsets(from: q, to: letter(m)) {
                out.append((m, i + di, j + dj))
            }
        }
        return out
    }

    /// The 14 coordinating holes of Se (layer m, column (i, j)): (kind, gap, i, j) — 4 cation,
    /// 4 tetraEmpty and 6 octa sites in the gaps m − 1 and m.
    func holesOfAnion(_ m: Int, _ i: Int, _ j: Int) -> [(SiteKind, Int, Int, Int)] {
        let p = letter(m)
        var out: [(SiteKind, Int, Int, Int)] = []
        for kind in [SiteKind.cation, .tetraEmpty, .octa] {
            for g in [m - 1, m] {
                for (di, dj) in Stacking.columnOffsets(from: p, to: letter(kind, g)) {
                    out.append((kind, g, i + di, j + dj))
                }
            }
        }
        return out
    }
}
