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

    /// Up to three column offsets (no allocation).
    struct ColumnOffsets {
        var count: Int
        var d0: (Int, Int), d1: (Int, Int), d2: (Int, Int)
        @inline(__always) subscript(_ q: Int) -> (Int, Int) { q == 0 ? d0 : (q == 1 ? d1 : d2) }
    }

    /// Column offsets from a site of letter ls to the nearest sites of letter lt in another layer.
    @inline(__always) static func columnOffsets(from ls: Int, to lt: Int) -> ColumnOffsets {
        // The table is for target − source = Δ + s·t with s = (lt − ls) mod 3; the positions carry
        // (lt − ls)·t, which differs from s·t by −3t = −(a1 + a2) when lt < ls: shift Δ by (1, 1).
        let c = lt < ls ? 1 : 0
        switch ((lt - ls) % 3 + 3) % 3 {
        case 0: return ColumnOffsets(count: 1, d0: (0, 0), d1: (0, 0), d2: (0, 0))
        case 1: return ColumnOffsets(count: 3, d0: (c, c), d1: (c - 1, c), d2: (c, c - 1))
        default: return ColumnOffsets(count: 3, d0: (c - 1, c - 1), d1: (c - 1, c), d2: (c, c - 1))
        }
    }

    /// Visits the coordinating Se of a hole of `kind` in gap k at column (i, j) as (layer, i, j)
    /// (4 for tetrahedral holes, 6 for octahedral); stops early when `body` returns false.
    @inline(__always) func forEachAnion(ofHole kind: SiteKind, _ k: Int, _ i: Int, _ j: Int,
                                        _ body: (Int, Int, Int) -> Bool) {
        let q = letter(kind, k)
        for m in k ... k + 1 {
            let o = Stacking.columnOffsets(from: q, to: letter(m))
            for x in 0 ..< o.count {
                let (di, dj) = o[x]
                if !body(m, i + di, j + dj) { return }
            }
        }
    }

    /// Visits the 14 coordinating holes of Se (layer m, column (i, j)) as (kind, gap, i, j) —
    /// 4 cation, 4 tetraEmpty and 6 octa sites in the gaps m − 1 and m; stops when `body` is false.
    @inline(__always) func forEachHole(ofAnion m: Int, _ i: Int, _ j: Int,
                                       _ body: (SiteKind, Int, Int, Int) -> Bool) {
        let p = letter(m)
        for raw in UInt8(1) ... 3 {
            let kind = SiteKind(rawValue: raw)! // cation, tetraEmpty, octa
            for g in m - 1 ... m {
                let o = Stacking.columnOffsets(from: p, to: letter(kind, g))
                for x in 0 ..< o.count {
                    let (di, dj) = o[x]
                    if !body(kind, g, i + di, j + dj) { return }
                }
            }
        }
    }
}
