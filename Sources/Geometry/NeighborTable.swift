// Neighbour tables in CSR form, built with a cell list in fractional coordinates (O(N)), and the
// brute-force O(N²) oracle the tests compare it with.
//
// Cell list: each axis i is cut into n_i = ⌊w_i / r_max⌋ bins (w_i = the cell's perpendicular width
// for periodic axes, the occupied extent for the others), so every pair within r_max lies in
// neighbouring bins (±1 per axis). Periodic axes require w_i > 2·r_max: then at most one periodic
// image of a target lies within r_max of a source, and the image visited through a wrapped bin is
// that one (the displacement uses the explicit image shift of the bin, so triclinic cells work).

/// A neighbour table in compressed sparse row form over all sites of a structure: the neighbours
/// of site `i` are `neighbors[offsets[i] ..< offsets[i+1]]`, sorted ascending. Rows of sites that
/// were not sources are empty.
public struct NeighborTable: Sendable, Equatable {
    /// Row starts, count = number of sites + 1.
    public var offsets: [Int32]
    /// Concatenated neighbour indices (site indices), each row ascending.
    public var neighbors: [Int32]

    /// Number of rows (sites).
    public var rowCount: Int { offsets.count - 1 }
    /// Number of stored (directed) pairs.
    public var pairCount: Int { neighbors.count }
    /// Neighbours of site `i` (ascending). O(1).
    @inlinable public func neighbors(of i: Int) -> ArraySlice<Int32> {
        neighbors[Int(offsets[i]) ..< Int(offsets[i + 1])]
    }
    /// Number of neighbours of site `i`. O(1).
    @inlinable public func degree(of i: Int) -> Int { Int(offsets[i + 1] - offsets[i]) }

    public init(offsets: [Int32], neighbors: [Int32]) {
        self.offsets = offsets; self.neighbors = neighbors
    }

    /// The transposed table (j lists i iff i listed j), rows sorted. O(N + pairs).
    public func transposed() -> NeighborTable {
        let n = rowCount
        var counts = [Int32](repeating: 0, count: n + 1)
        for j in neighbors { counts[Int(j) + 1] += 1 }
        for i in 0 ..< n { counts[i + 1] += counts[i] }
        var fill = counts
        var out = [Int32](repeating: 0, count: neighbors.count)
        // Rows i visited in ascending order, so each output row is filled ascending.
        for i in 0 ..< n {
            for p in Int(offsets[i]) ..< Int(offsets[i + 1]) {
                let j = Int(neighbors[p])
                out[Int(fill[j])] = Int32(i); fill[j] += 1
            }
        }
        return NeighborTable(offsets: counts, neighbors: out)
    }

    // MARK: Builders

    /// Builds, with a cell list, the table of pairs (s, t) with s in `sources`, t in `targets`,
    /// s ≠ t and r_min ≤ |r_t − r_s| ≤ r_max (minimum image along the periodic axes of `box`).
    /// Rows exist for all `positions.count` sites. O(N) for uniform densities.
    /// - Parameters:
    ///   - positions: all site positions (Å).
    ///   - sources, targets: site indices (any order; duplicates are an error).
    ///   - window: [r_min, r_max] in Å, r_max > 0.
    ///   - box: periodicity; nil = no periodic axis.
    /// - Throws: `GeometryError.cellTooSmall` when a periodic width ≤ 2·r_max; `.invalidParameter`.
    public static func build(positions: [SIMD3<Double>], sources: [Int32], targets: [Int32],
                             window: ClosedRange<Double>, box: LatticeBox?) throws -> NeighborTable {
        let comp = "NeighborTable.build"
        try validate(comp, positions.count, sources, targets, window)
        let rmin2 = window.lowerBound * window.lowerBound, rmax = window.upperBound, rmax2 = rmax * rmax
        let frame = box ?? .orthorhombic([1, 1, 1], periodic: (false, false, false))
        for ax in 0 ..< 3 where frame.isPeriodic(ax) && frame.width(ax) <= 2 * rmax {
            throw GeometryError.cellTooSmall(component: comp, axis: ax, width_A: frame.width(ax), required_A: 2 * rmax)
        }
        let n = positions.count
        if sources.isEmpty || targets.isEmpty {
            return NeighborTable(offsets: [Int32](repeating: 0, count: n + 1), neighbors: [])
        }
        // Fractional coordinates (wrapped on periodic axes) of all involved sites.
        var frac = [SIMD3<Double>](repeating: .zero, count: n)
        var wrappedPos = positions
        var involved = [Bool](repeating: false, count: n)
        for s in sources { involved[Int(s)] = true }
        for t in targets { involved[Int(t)] = true }
        var lo = SIMD3<Double>(repeating: .infinity), hi = SIMD3<Double>(repeating: -.infinity)
        let per = SIMD3<Double>(frame.periodic.0 ? 1 : 0, frame.periodic.1 ? 1 : 0, frame.periodic.2 ? 1 : 0)
        for i in 0 ..< n where involved[i] {
            var f = frame.fractional(positions[i])
            if per.x > 0 { f.x = wrap01(f.x) }
            if per.y > 0 { f.y = wrap01(f.y) }
            if per.z > 0 { f.z = wrap01(f.z) }
            frac[i] = f
            wrappedPos[i] = frame.anyPeriodic ? frame.cartesian(f) : positions[i]
            lo = pointwiseMin(lo, f); hi = pointwiseMax(hi, f)
        }
        // Bins per axis.
        var nb = SIMD3<Int>(1, 1, 1), origin = SIMD3<Double>.zero, span = SIMD3<Double>(1, 1, 1)
        var totalBins = 1
        let maxBins = max(1000, 4 * (sources.count + targets.count))
        for ax in 0 ..< 3 {
            let w = frame.width(ax)
            if frame.isPeriodic(ax) {
                nb[ax] = max(1, Int((w / rmax).rounded(.down))); origin[ax] = 0; span[ax] = 1
            } else {
                let ext = max(hi[ax] - lo[ax], 1e-12)
                nb[ax] = max(1, Int((ext * w / rmax).rounded(.down))); origin[ax] = lo[ax]; span[ax] = ext
            }
            nb[ax] = min(nb[ax], 1 << 16)
        }
        // Keep the bin count proportional to N (coarser bins stay correct: width ≥ r_max).
        while true {
            totalBins = nb.x * nb.y * nb.z
            if totalBins <= maxBins { break }
            let ax = nb.x >= nb.y && nb.x >= nb.z ? 0 : (nb.y >= nb.z ? 1 : 2)
            nb[ax] = max(1, nb[ax] / 2)
        }
        @inline(__always) func bin(_ f: SIMD3<Double>) -> SIMD3<Int> {
            var b = SIMD3<Int>.zero
            for ax in 0 ..< 3 {
                let x = (f[ax] - origin[ax]) / span[ax] * Double(nb[ax])
                b[ax] = min(nb[ax] - 1, max(0, Int(x.rounded(.down))))
            }
            return b
        }
        // Counting sort of targets into bins (targets ascending within a bin).
        let sortedTargets = targets.sorted()
        var binStart = [Int32](repeating: 0, count: totalBins + 1)
        var targetBin = [Int32](repeating: 0, count: sortedTargets.count)
        for (q, t) in sortedTargets.enumerated() {
            let b = bin(frac[Int(t)])
            let id = (b.z * nb.y + b.y) * nb.x + b.x
            targetBin[q] = Int32(id); binStart[id + 1] += 1
        }
        for b in 0 ..< totalBins { binStart[b + 1] += binStart[b] }
        var fill = binStart
        var binItems = [Int32](repeating: 0, count: sortedTargets.count)
        for (q, t) in sortedTargets.enumerated() {
            let id = Int(targetBin[q]); binItems[Int(fill[id])] = t; fill[id] += 1
        }
        // Neighbour-bin offsets per axis: (bin index, image shift), de-duplicated for small n.
        func axisCandidates(_ ax: Int, _ b: Int) -> [(Int, Int)] {
            var out: [(Int, Int)] = []
            for o in -1 ... 1 {
                let nbin = b + o
                if frame.isPeriodic(ax) {
                    let shift = Int((Double(nbin) / Double(nb[ax])).rounded(.down))
                    let wrappedBin = nbin - shift * nb[ax]
                    if !out.contains(where: { $0.0 == wrappedBin && $0.1 == shift }) { out.append((wrappedBin, shift)) }
                } else if nbin >= 0 && nbin < nb[ax] {
                    out.append((nbin, 0))
                }
            }
            return out
        }
        var axCand: [[[(Int, Int)]]] = []
        for ax in 0 ..< 3 { axCand.append((0 ..< nb[ax]).map { axisCandidates(ax, $0) }) }

        let sortedSources = sources.sorted()
        var offsets = [Int32](repeating: 0, count: n + 1)
        var neighbors: [Int32] = []
        neighbors.reserveCapacity(sortedSources.count * 8)
        var row: [Int32] = []
        row.reserveCapacity(64)
        var next = 0 // next site index whose offset is unset
        for s in sortedSources {
            let si = Int(s)
            while next <= si { offsets[next] = Int32(neighbors.count); next += 1 }
            row.removeAll(keepingCapacity: true)
            let rs = wrappedPos[si]
            let b = bin(frac[si])
            for (bz, sz) in axCand[2][b.z] {
                for (by, sy) in axCand[1][b.y] {
                    for (bx, sx) in axCand[0][b.x] {
                        let shift = Double(sx) * frame.a + Double(sy) * frame.b + Double(sz) * frame.c
                        let id = (bz * nb.y + by) * nb.x + bx
                        for p in Int(binStart[id]) ..< Int(binStart[id + 1]) {
                            let t = Int(binItems[p])
                            if t == si { continue }
                            let dv = wrappedPos[t] + shift - rs
                            let r2 = (dv * dv).sum()
                            if r2 <= rmax2 && r2 >= rmin2 { row.append(Int32(t)) }
                        }
                    }
                }
            }
            row.sort()
            neighbors.append(contentsOf: row)
        }
        while next <= n { offsets[next] = Int32(neighbors.count); next += 1 }
        guard neighbors.count < Int(Int32.max) else {
            throw GeometryError.invalidParameter(component: comp, key: "pairs", value: "\(neighbors.count)", allowed: "< 2^31")
        }
        return NeighborTable(offsets: offsets, neighbors: neighbors)
    }

    /// Brute-force O(N_sources · N_targets) reference for `build` (tests only): same pairs, same
    /// minimum-image convention (all images −1…1 along periodic axes, positions wrapped first).
    public static func bruteForce(positions: [SIMD3<Double>], sources: [Int32], targets: [Int32],
                                  window: ClosedRange<Double>, box: LatticeBox?) throws -> NeighborTable {
        let comp = "NeighborTable.bruteForce"
        try validate(comp, positions.count, sources, targets, window)
        let frame = box ?? .orthorhombic([1, 1, 1], periodic: (false, false, false))
        let rmin2 = window.lowerBound * window.lowerBound, rmax2 = window.upperBound * window.upperBound
        let wrapped = positions.map { frame.wrapped($0) }
        var shifts: [SIMD3<Double>] = []
        for i in -1 ... 1 where i == 0 || frame.periodic.0 {
            for j in -1 ... 1 where j == 0 || frame.periodic.1 {
                for k in -1 ... 1 where k == 0 || frame.periodic.2 {
                    shifts.append(Double(i) * frame.a + Double(j) * frame.b + Double(k) * frame.c)
                }
            }
        }
        var rows = [[Int32]](repeating: [], count: positions.count)
        let tsorted = targets.sorted()
        for s in sources {
            for t in tsorted where t != s {
                for sh in shifts {
                    let dv = wrapped[Int(t)] + sh - wrapped[Int(s)]
                    let r2 = (dv * dv).sum()
                    if r2 <= rmax2 && r2 >= rmin2 { rows[Int(s)].append(t); break }
                }
            }
        }
        var offsets: [Int32] = [0], nbrs: [Int32] = []
        for r in rows { nbrs.append(contentsOf: r); offsets.append(Int32(nbrs.count)) }
        return NeighborTable(offsets: offsets, neighbors: nbrs)
    }

    private static func validate(_ comp: String, _ n: Int, _ sources: [Int32], _ targets: [Int32], _ window: ClosedRange<Double>) throws {
        guard window.lowerBound >= 0, window.upperBound > 0, window.upperBound.isFinite else {
            throw GeometryError.invalidParameter(component: comp, key: "window", value: "\(window)", allowed: "0 ≤ r_min ≤ r_max < ∞, r_max > 0")
        }
        guard n < Int(Int32.max) else {
            throw GeometryError.invalidParameter(component: comp, key: "positions.count", value: "\(n)", allowed: "< 2^31")
        }
        for (key, list) in [("sources", sources), ("targets", targets)] {
            var seen = [Bool](repeating: false, count: n)
            for i in list {
                guard i >= 0, Int(i) < n else {
                    throw GeometryError.invalidParameter(component: comp, key: key, value: "\(i)", allowed: "0..<\(n)")
                }
                guard !seen[Int(i)] else {
                    throw GeometryError.invalidParameter(component: comp, key: key, value: "duplicate \(i)", allowed: "distinct indices")
                }
                seen[Int(i)] = true
            }
        }
    }
}
