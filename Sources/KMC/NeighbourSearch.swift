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
// Why it is fast (the first version, kept as the reference in Tests/KMCTests/NeighbourSearchTests,
// took ~11 s on the 2.7 M-site 20 nm × 150 nm zb wire; this one ~1.2 s):
//   * sites are sorted by cell into flat arrays (cell start offsets, site ids, positions) that the
//     hot loop reads through unsafe buffers; the visited cells of an x row are one slot range;
//   * one pass over the sites in index order finds all six relations at once, sorts each row's few
//     keys by insertion and appends them to plain arrays (no per-row arrays, no count pass);
//   * with windows, no pass for the shortest distances is needed (the cutoffs are unused);
//   * each (source kind, target kind) search reads a grid of the target kind only, with edge
//     h ≥ 1.01·hi (hi: the largest distance the relation accepts) and x cells of h/4 visited ±4,
//     so it computes ~3–4× fewer distances than the 27 searchR cells of the contract. It finds every
//     accepted pair: |Δ| ≤ hi < h/1.01 along each axis, a 1 % margin far above the rounding of cell
//     coordinates. When hi·1.01 < searchR, every accepted pair (d ≤ hi) is also a candidate (adjacent
//     searchR cells, d < searchR), so the accepted set is the contract's. Otherwise, and on periodic
//     wires (tests only), the search uses the contract's searchR grid itself.

/// Cells of a grid anchored at `lo`: edge `edge` along y and z, `edge / xSplit` along x. A search
/// reaching `edge` visits ±1 cell along y, z and ±`xSplit` cells along x. `xSplit = 1` is the cubic
/// grid of the contract; finer x cells cut the visited volume from 27 to 9·(2 + 1/xSplit) edge³.
struct CellGridShape {
    /// Origin (lowest coordinates of all sites), Å.
    let lo: SIMD3<Double>
    /// Cell edge along y and z, Å.
    let edge: Double
    /// Cell edge along x, Å.
    let edgeX: Double
    /// Cells visited on each side along x.
    let reachX: Int
    /// Cells along x, y, z.
    let dims: SIMD3<Int>
    /// Where this grid's cell starts begin in a concatenation of several grids' start arrays.
    var startBase = 0

    init(lo: SIMD3<Double>, hi: SIMD3<Double>, edge: Double, xSplit: Int) {
        self.lo = lo; self.edge = edge; reachX = xSplit
        edgeX = xSplit == 1 ? edge : edge / Double(xSplit)
        dims = SIMD3<Int>(Int(((hi.x - lo.x) / edgeX).rounded(.down)) + 1, Int(((hi.y - lo.y) / edge).rounded(.down)) + 1,
                          Int(((hi.z - lo.z) / edge).rounded(.down)) + 1)
    }

    /// Number of cells.
    var cellCount: Int { dims.x * dims.y * dims.z }

    /// Cell coordinates of a position (sites on the upper faces go to the last cell).
    @inline(__always) func cell(of p: SIMD3<Double>) -> SIMD3<Int> {
        SIMD3(min(Int((p.x - lo.x) / edgeX), dims.x - 1), min(Int((p.y - lo.y) / edge), dims.y - 1),
              min(Int((p.z - lo.z) / edge), dims.z - 1))
    }
}

/// Sites sorted by cell, for several grids at once: grid g (of site kind `kind`) owns cells
/// `shape.startBase ..< shape.startBase + shape.cellCount`; cell c's sites occupy slots
/// `start[c] ..< start[c+1]`, in ascending site order, with their positions copied into slot order
/// (the cells of an x row are one slot range).
enum SiteCellGrid {
    /// Counting sort of the sites into the cells of all grids. O(N·grids per kind + cells).
    static func build(positions: [SIMD3<Double>], kinds: [SiteKind], grids: [(kind: Int, shape: CellGridShape)])
        -> (start: [Int32], site: [Int32], pos: [SIMD3<Double>]) {
        let n = positions.count
        let cellTotal = grids.reduce(0) { $0 + $1.shape.cellCount }
        var byKind = [[CellGridShape]](repeating: [], count: 4)
        for g in grids { byKind[g.kind].append(g.shape) }
        // Counts land in start[c + 2] so that, after the prefix sum, start[c + 1] is cell c's first
        // slot and serves as its fill cursor; filling leaves it at cell c + 1's first slot.
        var start = [Int32](repeating: 0, count: cellTotal + 2)
        var slots = 0
        start.withUnsafeMutableBufferPointer { start in
            for i in 0..<n {
                for g in byKind[Int(kinds[i].rawValue)] {
                    let c = g.cell(of: positions[i])
                    start[g.startBase + (c.z * g.dims.y + c.y) * g.dims.x + c.x + 2] += 1
                    slots += 1
                }
            }
            for c in 0..<cellTotal { start[c + 2] += start[c + 1] }
        }
        var site = [Int32](repeating: 0, count: slots)
        var pos = [SIMD3<Double>](repeating: .zero, count: slots)
        start.withUnsafeMutableBufferPointer { start in
        site.withUnsafeMutableBufferPointer { site in
        pos.withUnsafeMutableBufferPointer { pos in
            for i in 0..<n {
                for g in byKind[Int(kinds[i].rawValue)] {
                    let c = g.cell(of: positions[i])
                    let cell = g.startBase + (c.z * g.dims.y + c.y) * g.dims.x + c.x
                    let s = Int(start[cell + 1]); start[cell + 1] += 1
                    site[s] = Int32(i); pos[s] = positions[i]
                }
            }
        } } }
        start.removeLast()
        return (start, site, pos)
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
        if let L = periodicZ_A, CellGridShape(lo: lo, hi: hi, edge: searchR, xSplit: 1).dims.z < 3 || L < 2 * searchR {
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
        // Per search (source kind a, target kind b): the grid of the b sites it reads. Its edge is
        // the contract's searchR (cubic cells) when z is periodic or when an accepted (a, b) distance
        // may reach searchR/1.01; otherwise ≥ 1.01·hi_ab with x split in 4 (see the file header),
        // and ≥ searchR/4 to bound the number of cells. Kinds with few sites (< N/8: the shell)
        // reuse a coarser grid of b rather than get one of their own (memory).
        let xSplit = 4
        func need(_ t: Int) -> Double {
            periodicZ_A == nil && winHi[t] * 1.01 < searchR ? max(winHi[t] * 1.01, searchR / 4) : searchR
        }
        var population = [Int](repeating: 0, count: 4)
        for k in kinds { population[Int(k.rawValue)] += 1 }
        let wanted = (0..<16).filter { rel[$0] >= 0 && occurs[$0] }
        var shapes: [(kind: Int, shape: CellGridShape)] = []
        func grid(kind b: Int, edge: Double) -> CellGridShape {
            if let g = shapes.first(where: { $0.kind == b && $0.shape.edge == edge }) { return g.shape }
            shapes.append((b, CellGridShape(lo: lo, hi: hi, edge: edge, xSplit: edge == searchR ? 1 : xSplit)))
            return shapes[shapes.count - 1].shape
        }
        let many = wanted.filter { population[$0 / 4] * 8 >= n }, few = wanted.filter { population[$0 / 4] * 8 < n }
        for t in many { _ = grid(kind: t % 4, edge: need(t)) }
        var chosen: [(t: Int, grid: Int)] = []
        for t in many + few {
            let b = t % 4, e = need(t)
            // The finest grid of b coarse enough for this search, else a new one.
            if let g = shapes.indices.filter({ shapes[$0].kind == b && shapes[$0].shape.edge >= e })
                .min(by: { shapes[$0].shape.edge < shapes[$1].shape.edge }) {
                chosen.append((t, g))
            } else {
                _ = grid(kind: b, edge: e); chosen.append((t, shapes.count - 1))
            }
        }
        // All grids in one set of flat arrays (the hot loop reads them through one set of unsafe
        // buffers): grid g's cells are `startBase ..<` in `start`, its slots are global.
        var cellTotal = 0
        for g in shapes.indices { shapes[g].shape.startBase = cellTotal; cellTotal += shapes[g].shape.cellCount }
        let (start, site, pos) = SiteCellGrid.build(positions: positions, kinds: kinds, grids: shapes)

        // Searches of each source kind a: (grid, relation, lo, hi, prefilter on d²). The prefilter
        // hi²·(1 + 1e-9) keeps every d² whose rounded root is ≤ hi, so the exact test decides.
        struct Search { var grid: CellGridShape; var relation: UInt64; var lo: Double; var hi: Double; var pre: Double }
        var plan = [[Search]](repeating: [], count: 4)
        for (t, g) in chosen {
            let h = winHi[t]
            plan[t / 4].append(Search(grid: shapes[g].shape, relation: UInt64(rel[t]), lo: winLo[t], hi: h,
                                      pre: min(sR2, h * h * (1 + 1e-9))))
        }

        // One pass over the sites in index order: each row's (relation, target) keys are collected,
        // sorted, and appended to the relations' target arrays; every relation's row end is written.
        // Six plain local arrays, not [[Int32]]: appending through a nested array costs a
        // uniqueness check of both levels per edge (≈ 0.4 s on 33 M edges).
        var o0 = [Int32](repeating: 0, count: n + 1), o1 = o0, o2 = o0, o3 = o0, o4 = o0, o5 = o0
        var t0: [Int32] = [], t1: [Int32] = [], t2: [Int32] = [], t3: [Int32] = [], t4: [Int32] = [], t5: [Int32] = []
        var keys = [UInt64](repeating: 0, count: 256)
        let periodic = periodicZ_A != nil, L = periodicZ_A ?? 0
        positions.withUnsafeBufferPointer { P in
        kinds.withUnsafeBufferPointer { K in
        start.withUnsafeBufferPointer { start in
        site.withUnsafeBufferPointer { gSite in
        pos.withUnsafeBufferPointer { gPos in
        plan.withUnsafeBufferPointer { plan in
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
                            // The visited cells of this x row are one slot range.
                            let row = g.startBase + (z * dims.y + y) * dims.x
                            let a = Int(start[row + max(0, c.x - g.reachX)]), b = Int(start[row + min(dims.x - 1, c.x + g.reachX) + 1])
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
                    let k = keys[u], j = Int32(truncatingIfNeeded: k)
                    switch k >> 32 {
                    case 0: t0.append(j)
                    case 1: t1.append(j)
                    case 2: t2.append(j)
                    case 3: t3.append(j)
                    case 4: t4.append(j)
                    default: t5.append(j)
                    }
                }
                o0[i + 1] = Int32(t0.count); o1[i + 1] = Int32(t1.count); o2[i + 1] = Int32(t2.count)
                o3[i + 1] = Int32(t3.count); o4[i + 1] = Int32(t4.count); o5[i + 1] = Int32(t5.count)
            }
        } } } } } }
        let offsets = [o0, o1, o2, o3, o4, o5], targets = [t0, t1, t2, t3, t4, t5]
        return (offsets, targets)
    }

    /// Shortest squared candidate distance (Å²) of each kind pair (index 4·kind_i + kind_j; +∞ when
    /// the pair has no candidates), on the searchR grid of the contract. O(N).
    static func shortestSquaredDistances(positions: [SIMD3<Double>], kinds: [SiteKind], lo: SIMD3<Double>, hi: SIMD3<Double>,
                                         searchR: Double, periodicZ_A: Double?) -> [Double] {
        // One contract grid per kind (same cells), so the kind of a slot is its grid's.
        var shapes: [(kind: Int, shape: CellGridShape)] = []
        var base = 0
        for k in 0..<4 {
            var shape = CellGridShape(lo: lo, hi: hi, edge: searchR, xSplit: 1)
            shape.startBase = base; base += shape.cellCount
            shapes.append((k, shape))
        }
        let (start, site, pos) = SiteCellGrid.build(positions: positions, kinds: kinds, grids: shapes)
        let n = positions.count, sR2 = searchR * searchR
        let periodic = periodicZ_A != nil, L = periodicZ_A ?? 0
        var dmin = [Double](repeating: .infinity, count: 16)
        start.withUnsafeBufferPointer { start in
        site.withUnsafeBufferPointer { gSite in
        pos.withUnsafeBufferPointer { gPos in
        positions.withUnsafeBufferPointer { P in
        kinds.withUnsafeBufferPointer { K in
        dmin.withUnsafeMutableBufferPointer { dmin in
            for i in 0..<n {
                let pi = P[i]
                let ki4 = Int(K[i].rawValue) * 4
                for (kj, g) in shapes {
                    let dims = g.dims, c = g.cell(of: pi), t = ki4 + kj
                    for dz in -1...1 {
                        var z = c.z + dz
                        if periodic { z = (z + dims.z) % dims.z } else if z < 0 || z >= dims.z { continue }
                        for y in max(0, c.y - 1)...min(dims.y - 1, c.y + 1) {
                            let row = g.startBase + (z * dims.y + y) * dims.x
                            let a = Int(start[row + max(0, c.x - 1)]), b = Int(start[row + min(dims.x - 1, c.x + 1) + 1])
                            for s in a..<b where Int(gSite[s]) != i {
                                var d = pi - gPos[s]
                                if periodic { d.z -= L * (d.z / L).rounded() }
                                let d2 = (d * d).sum()
                                if d2 < sR2 && d2 < dmin[t] { dmin[t] = d2 }
                            }
                        }
                    }
                }
            }
        } } } } } }
        return dmin
    }
}
