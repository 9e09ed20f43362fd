// Neighbour search behind `LatticeTopology`: the ordered site pairs (i, j) of each of its six
// relations, as CSR rows with ascending targets.
//
// The contract (the tables must not depend on how the search is done):
//   * a pair (i, j ≠ i) is a *candidate* when the two sites lie in adjacent cells (±1 along x, y, z;
//     z wrapped when periodic) of a cubic grid of edge searchR anchored at the lowest position, and
//     |r_i − r_j|² < searchR² (minimum image along z when periodic);
//   * without windows, the cutoff of a kind pair is its shortest candidate distance × (1 + tolerance);
//   * a candidate belongs to the relation its two kinds select when its distance lies in that
//     relation's window (or is ≤ the cutoff).
// The grid is part of the contract because with a periodic z it is not exact: when the last z cell is
// short, a few pairs across the boundary that are closer than searchR are not candidates.
//
// Why it is fast (the first version took ~12 s on a 2.7 M-site wire, now well under 1 s):
//   * sites are sorted by cell into flat arrays (cell start offsets, site ids, positions, kinds), so
//     the three cells of an x row are one contiguous slot range, read through unsafe buffers;
//   * each pair of the search is visited once per row site, all six relations at once, and the rows
//     are appended in site order to one flat target array (no per-row arrays, no count pass);
//   * with windows, no pass for the shortest distances is needed (the cutoffs are unused);
//   * on open wires the candidates come from a finer grid of edge h ≥ 1.01·r_acc, r_acc being the
//     largest distance any relation accepts. Every accepted pair is then found (|Δ| ≤ r_acc < h, with
//     a 1 % margin far above rounding of the cell coordinates), and when r_acc·1.01 ≤ searchR every
//     accepted pair is also a candidate of the searchR grid (adjacent cells, d < searchR), so the
//     accepted set is the same as with the searchR grid while ~2–3× fewer distances are computed.
//     Periodic wires (tests only) keep the searchR grid.

/// Sites sorted by the cell of a cubic grid: cell `c`'s sites occupy slots `start[c] ..< start[c+1]`,
/// in ascending site order, with their positions and kinds copied into slot order.
struct SiteCellGrid {
    /// Grid origin (lowest coordinates of all sites), Å.
    let lo: SIMD3<Double>
    /// Cell edge, Å.
    let edge: Double
    /// Cells along x, y, z.
    let dims: SIMD3<Int>
    /// First slot of each cell (count = cells + 1).
    var start: [Int32]
    /// Site index in each slot.
    var site: [Int32]
    /// Position of each slot's site, Å.
    var pos: [SIMD3<Double>]
    /// Kind (raw value) of each slot's site.
    var kind: [UInt8]

    /// Placement of one grid: origin, edge, cells, and where its cell starts begin in a
    /// concatenation of several grids' start arrays.
    struct Geometry {
        let lo: SIMD3<Double>
        let edge: Double
        let dims: SIMD3<Int>
        let startBase: Int
        /// Cell coordinates of a position (as `SiteCellGrid.cell(of:)`).
        @inline(__always) func cell(of p: SIMD3<Double>) -> SIMD3<Int> {
            SIMD3(min(Int((p.x - lo.x) / edge), dims.x - 1), min(Int((p.y - lo.y) / edge), dims.y - 1),
                  min(Int((p.z - lo.z) / edge), dims.z - 1))
        }
    }

    /// Number of cells along each axis for sites spanning `lo ... hi` with cell edge `edge`.
    static func dims(lo: SIMD3<Double>, hi: SIMD3<Double>, edge: Double) -> SIMD3<Int> {
        SIMD3<Int>(Int(((hi.x - lo.x) / edge).rounded(.down)) + 1, Int(((hi.y - lo.y) / edge).rounded(.down)) + 1,
                   Int(((hi.z - lo.z) / edge).rounded(.down)) + 1)
    }

    /// Cell coordinates of a position (sites on the upper faces go to the last cell).
    @inline(__always) func cell(of p: SIMD3<Double>) -> SIMD3<Int> {
        SIMD3(min(Int((p.x - lo.x) / edge), dims.x - 1), min(Int((p.y - lo.y) / edge), dims.y - 1),
              min(Int((p.z - lo.z) / edge), dims.z - 1))
    }

    /// Counting sort of the sites (only those of raw kind `only`, if given) by cell. O(N + cells).
    init(positions: [SIMD3<Double>], kinds: [SiteKind], only: UInt8? = nil, lo: SIMD3<Double>, hi: SIMD3<Double>, edge: Double) {
        self.lo = lo; self.edge = edge
        let dims = Self.dims(lo: lo, hi: hi, edge: edge)
        self.dims = dims
        let n = positions.count, nCells = dims.x * dims.y * dims.z
        var start = [Int32](repeating: 0, count: nCells + 1)
        var cellOf = [Int32](repeating: 0, count: n)
        for i in 0..<n {
            if let k = only, kinds[i].rawValue != k { cellOf[i] = -1; continue }
            let c = SIMD3(min(Int((positions[i].x - lo.x) / edge), dims.x - 1), min(Int((positions[i].y - lo.y) / edge), dims.y - 1),
                          min(Int((positions[i].z - lo.z) / edge), dims.z - 1))
            let ci = (c.z * dims.y + c.y) * dims.x + c.x
            cellOf[i] = Int32(ci); start[ci + 1] += 1
        }
        for c in 0..<nCells { start[c + 1] += start[c] }
        var fill = start
        let m = Int(start[nCells])
        var site = [Int32](repeating: 0, count: m)
        var pos = [SIMD3<Double>](repeating: .zero, count: m)
        var kind = [UInt8](repeating: 0, count: m)
        for i in 0..<n where cellOf[i] >= 0 {
            let s = Int(fill[Int(cellOf[i])]); fill[Int(cellOf[i])] += 1
            site[s] = Int32(i); pos[s] = positions[i]; kind[s] = kinds[i].rawValue
        }
        self.start = start; self.site = site; self.pos = pos; self.kind = kind
    }
}

extension LatticeTopology {
    /// Number of relations built by `relationRows`: 0 cationNN, 1 hop, 2 intCat, 3 shellShell,
    /// 4 shellInt, 5 shellCat.
    static let relationCount = 6

    /// Offsets and targets (ascending within a row) of the six relations (see the file header for
    /// the definition). O(N) time with a cell list; O(N + edges) memory.
    static func relationRows(positions: [SIMD3<Double>], kinds: [SiteKind], tolerance: Double,
                             periodicZ_A: Double?, windows: RelationWindows?) throws -> (offsets: [[Int32]], targets: [[Int32]]) {
        let n = positions.count
        let searchR = max(6.5, (windows.map { max($0.shellShell.upperBound, $0.cationCation.upperBound, $0.shellCation.upperBound) } ?? 0) + 0.5)
        let sR2 = searchR * searchR
        var lo = positions[0], hi = positions[0]
        for p in positions { lo = pointwiseMin(lo, p); hi = pointwiseMax(hi, p) }
        if let L = periodicZ_A, SiteCellGrid.dims(lo: lo, hi: hi, edge: searchR).z < 3 || L < 2 * searchR {
            throw TopologyError(description: "topology: periodic length \(L) Å too short for the cell list")
        }
        // Relation of each (kind_i, kind_j) (index 4·kind_i + kind_j; −1: none) and its accepted
        // distances lo ≤ d ≤ hi (ClosedRange.contains; −∞ lower bound for the cutoffs).
        var rel = [Int8](repeating: -1, count: 16)
        var winLo = [Double](repeating: -.infinity, count: 16), winHi = [Double](repeating: -.infinity, count: 16)
        func set(_ a: SiteKind, _ b: SiteKind, _ r: Int8, _ l: Double, _ h: Double) {
            let t = Int(a.rawValue) * 4 + Int(b.rawValue)
            rel[t] = r; winLo[t] = l; winHi[t] = h
        }
        // Kind pairs that occur among the candidates (all of them when the cutoffs are not needed).
        var occurs = [Bool](repeating: true, count: 16)
        if let w = windows {
            set(.cation, .cation, 0, w.cationCation.lowerBound, w.cationCation.upperBound)
            set(.shell, .shell, 3, w.shellShell.lowerBound, w.shellShell.upperBound)
            set(.shell, .cation, 5, w.shellCation.lowerBound, w.shellCation.upperBound)
            for k in [SiteKind.tetra, .octa] {
                set(k, .cation, 2, w.interstitialCation.lowerBound, w.interstitialCation.upperBound)
                set(.shell, k, 4, w.shellInterstitial.lowerBound, w.shellInterstitial.upperBound)
                for k2 in [SiteKind.tetra, .octa] { set(k, k2, 1, w.interstitialHop.lowerBound, w.interstitialHop.upperBound) }
            }
        } else {
            let dmin = Self.shortestSquaredDistances(positions: positions, kinds: kinds, lo: lo, hi: hi,
                                                     searchR: searchR, periodicZ_A: periodicZ_A)
            for t in 0..<16 { occurs[t] = dmin[t].isFinite }
            func cut(_ a: SiteKind, _ b: SiteKind) -> Double {
                let d = dmin[Int(a.rawValue) * 4 + Int(b.rawValue)]
                return d.isFinite ? d.squareRoot() * (1 + tolerance) : 0
            }
            // Interstitial hop graph: pairs of interstitials within the shortest interstitial–interstitial distance.
            let dII = min(cut(.tetra, .octa), cut(.tetra, .tetra) > 0 ? cut(.tetra, .tetra) : .infinity,
                          cut(.octa, .octa) > 0 ? cut(.octa, .octa) : .infinity, cut(.tetra, .octa) > 0 ? cut(.tetra, .octa) : .infinity)
            let cSI = min(cut(.shell, .tetra) > 0 ? cut(.shell, .tetra) : .infinity, cut(.shell, .octa) > 0 ? cut(.shell, .octa) : .infinity)
            set(.cation, .cation, 0, -.infinity, cut(.cation, .cation))
            set(.shell, .shell, 3, -.infinity, cut(.shell, .shell))
            set(.shell, .cation, 5, -.infinity, cut(.shell, .cation))
            set(.tetra, .cation, 2, -.infinity, cut(.tetra, .cation))
            set(.octa, .cation, 2, -.infinity, cut(.octa, .cation))
            for k in [SiteKind.tetra, .octa] {
                set(.shell, k, 4, -.infinity, cSI)
                for k2 in [SiteKind.tetra, .octa] { set(k, k2, 1, -.infinity, dII) }
            }
        }
        // Per target kind b: a grid of the b sites only, and per source kind a the relation of
        // (a, b). The edge of grid b is the contract's searchR when z is periodic or when some
        // accepted (a, b) distance reaches searchR/1.01; otherwise the finer h_b ≥ 1.01·max_a hi_ab
        // (see the file header), with h_b ≥ searchR/4 to bound the number of cells.
        // The grids' arrays are concatenated (cell starts offset to global slots) so that the hot
        // loop reads them through one set of unsafe buffers.
        var geometry: [SiteCellGrid.Geometry?] = []
        var start: [Int32] = [], site: [Int32] = [], pos: [SIMD3<Double>] = []
        for b in 0..<4 {
            var rB = -Double.infinity
            for a in 0..<4 where rel[a * 4 + b] >= 0 && occurs[a * 4 + b] { rB = max(rB, winHi[a * 4 + b]) }
            if rB == -.infinity { geometry.append(nil); continue }
            let edge = periodicZ_A == nil && rB * 1.01 <= searchR ? max(rB * 1.01, searchR / 4) : searchR
            let g = SiteCellGrid(positions: positions, kinds: kinds, only: UInt8(b), lo: lo, hi: hi, edge: edge)
            geometry.append(SiteCellGrid.Geometry(lo: lo, edge: edge, dims: g.dims, startBase: start.count))
            let slotBase = Int32(site.count)
            start.append(contentsOf: g.start.lazy.map { $0 + slotBase })
            site.append(contentsOf: g.site); pos.append(contentsOf: g.pos)
        }
        // Searches of each source kind a: (grid, relation, lo, hi, prefilter on d²). The prefilter
        // hi²·(1 + 1e-9) keeps every d² whose rounded root is ≤ hi, so the exact test decides.
        struct Search { var grid: SiteCellGrid.Geometry; var relation: UInt64; var lo: Double; var hi: Double; var pre: Double }
        var plan = [[Search]](repeating: [], count: 4)
        for a in 0..<4 {
            for b in 0..<4 where rel[a * 4 + b] >= 0 && occurs[a * 4 + b] {
                let t = a * 4 + b, h = winHi[t]
                plan[a].append(Search(grid: geometry[b]!, relation: UInt64(rel[t]), lo: winLo[t], hi: h, pre: min(sR2, h * h * (1 + 1e-9))))
            }
        }

        // One pass over the sites in index order: each row's (relation, target) keys are collected,
        // sorted, and appended to `all`; `count[i·6 + r]` is row i's length in relation r.
        let nr = relationCount
        var count = [Int32](repeating: 0, count: nr * n)
        var all: [Int32] = []
        all.reserveCapacity(16 * n)
        var keys = [UInt64](repeating: 0, count: 256)
        let periodic = periodicZ_A != nil, L = periodicZ_A ?? 0
        positions.withUnsafeBufferPointer { P in
        kinds.withUnsafeBufferPointer { K in
        start.withUnsafeBufferPointer { start in
        site.withUnsafeBufferPointer { gSite in
        pos.withUnsafeBufferPointer { gPos in
        plan.withUnsafeBufferPointer { plan in
        count.withUnsafeMutableBufferPointer { count in
            for i in 0..<n {
                let pi = P[i]
                var nk = 0
                for search in plan[Int(K[i].rawValue)] {
                    let g = search.grid, dims = g.dims
                    let c = g.cell(of: pi)
                    let lo = search.lo, hi = search.hi, pre = search.pre, rTag = search.relation << 32
                    for dz in -1...1 {
                        var z = c.z + dz
                        if periodic { z = (z + dims.z) % dims.z } else if z < 0 || z >= dims.z { continue }
                        for y in max(0, c.y - 1)...min(dims.y - 1, c.y + 1) {
                            // The three cells of this x row are one slot range.
                            let row = g.startBase + (z * dims.y + y) * dims.x
                            let a = Int(start[row + max(0, c.x - 1)]), b = Int(start[row + min(dims.x - 1, c.x + 1) + 1])
                            for s in a..<b {
                                // Same arithmetic as the contract's distance (d = r_i − r_j, minimum image).
                                var d = pi - gPos[s]
                                if periodic { d.z -= L * (d.z / L).rounded() }
                                let d2 = (d * d).sum()
                                if d2 <= pre && d2 < sR2 {
                                    let dd = d2.squareRoot()
                                    let j = gSite[s]
                                    if lo <= dd && dd <= hi && Int(j) != i {
                                        if nk == keys.count { keys.append(contentsOf: repeatElement(0, count: nk)) }
                                        keys[nk] = rTag | UInt64(UInt32(j)); nk += 1
                                    }
                                }
                            }
                        }
                    }
                }
                // Insertion sort: rows are short (≲ 30), keys order by relation then target.
                if nk > 1 {
                    for u in 1..<nk {
                        let k = keys[u]; var v = u
                        while v > 0 && keys[v - 1] > k { keys[v] = keys[v - 1]; v -= 1 }
                        keys[v] = k
                    }
                }
                for u in 0..<nk {
                    let k = keys[u]
                    count[i * nr + Int(k >> 32)] += 1
                    all.append(Int32(truncatingIfNeeded: k))
                }
            }
        } } } } } } }
        start = []; site = []; pos = []

        // Split `all` into the six relations: row i's entries are relation 0's targets, then 1's, … .
        var offsets: [[Int32]] = [], targets: [[Int32]] = []
        count.withUnsafeBufferPointer { count in
        all.withUnsafeBufferPointer { all in
            for r in 0..<nr {
                var off = [Int32](repeating: 0, count: n + 1)
                for i in 0..<n { off[i + 1] = off[i] + count[i * nr + r] }
                let tg = [Int32](unsafeUninitializedCapacity: Int(off[n])) { tg, filled in
                    var src = 0, dst = 0
                    for i in 0..<n {
                        var s = src
                        for r2 in 0..<r { s += Int(count[i * nr + r2]) }
                        for u in 0..<Int(count[i * nr + r]) { tg[dst] = all[s + u]; dst += 1 }
                        for r2 in 0..<nr { src += Int(count[i * nr + r2]) }
                    }
                    filled = dst
                }
                offsets.append(off); targets.append(tg)
            }
        } }
        return (offsets, targets)
    }

    /// Shortest squared candidate distance (Å²) of each kind pair (index 4·kind_i + kind_j; +∞ when
    /// the pair has no candidates), on the searchR grid of the contract. O(N).
    static func shortestSquaredDistances(positions: [SIMD3<Double>], kinds: [SiteKind], lo: SIMD3<Double>, hi: SIMD3<Double>,
                                         searchR: Double, periodicZ_A: Double?) -> [Double] {
        let grid = SiteCellGrid(positions: positions, kinds: kinds, lo: lo, hi: hi, edge: searchR)
        let dims = grid.dims, n = positions.count, sR2 = searchR * searchR
        let periodic = periodicZ_A != nil, L = periodicZ_A ?? 0
        var dmin = [Double](repeating: .infinity, count: 16)
        grid.start.withUnsafeBufferPointer { start in
        grid.site.withUnsafeBufferPointer { gSite in
        grid.pos.withUnsafeBufferPointer { gPos in
        grid.kind.withUnsafeBufferPointer { gKind in
        positions.withUnsafeBufferPointer { P in
        kinds.withUnsafeBufferPointer { K in
        dmin.withUnsafeMutableBufferPointer { dmin in
            for i in 0..<n {
                let pi = P[i]
                let ki4 = Int(K[i].rawValue) * 4
                let c = grid.cell(of: pi)
                for dz in -1...1 {
                    var z = c.z + dz
                    if periodic { z = (z + dims.z) % dims.z } else if z < 0 || z >= dims.z { continue }
                    for y in max(0, c.y - 1)...min(dims.y - 1, c.y + 1) {
                        let row = (z * dims.y + y) * dims.x
                        let a = Int(start[row + max(0, c.x - 1)]), b = Int(start[row + min(dims.x - 1, c.x + 1) + 1])
                        for s in a..<b where Int(gSite[s]) != i {
                            var d = pi - gPos[s]
                            if periodic { d.z -= L * (d.z / L).rounded() }
                            let d2 = (d * d).sum()
                            let t = ki4 + Int(gKind[s])
                            if d2 < sR2 && d2 < dmin[t] { dmin[t] = d2 }
                        }
                    }
                }
            }
        } } } } } } }
        return dmin
    }
}
