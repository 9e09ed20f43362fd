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
        let periodicMask = SIMD3<Double>(frame.periodic.0 ? 1 : 0, frame.periodic.1 ? 1 : 0, frame.periodic.2 ? 1 : 0)
        let anyPeriodic = frame.anyPeriodic
        // Fractional coordinates, wrapped along periodic axes.
        let bc = cross(frame.b, frame.c), ca = cross(frame.c, frame.a), ab = cross(frame.a, frame.b)
        let invV = 1 / dot(frame.a, bc)
        @inline(__always) func frac(_ r: SIMD3<Double>) -> SIMD3<Double> {
            var f = SIMD3(dot(r, bc), dot(r, ca), dot(r, ab)) * invV
            if anyPeriodic {
                let w = SIMD3(wrap01(f.x), wrap01(f.y), wrap01(f.z))
                f.replace(with: w, where: periodicMask .== 1)
            }
            return f
        }
        // Extent of non-periodic axes (over sources and targets).
        var lo = SIMD3<Double>(repeating: .infinity), hi = SIMD3<Double>(repeating: -.infinity)
        for list in [sources, targets] {
            for i in list { let f = frac(positions[Int(i)]); lo = pointwiseMin(lo, f); hi = pointwiseMax(hi, f) }
        }
        // Bins per axis: bin width ≥ r_max in perpendicular distance.
        var nb = SIMD3<Int>(1, 1, 1), origin = SIMD3<Double>.zero, span = SIMD3<Double>(1, 1, 1)
        for ax in 0 ..< 3 {
            let w = frame.width(ax)
            if frame.isPeriodic(ax) {
                nb[ax] = max(1, Int((w / rmax).rounded(.down)))
            } else {
                let ext = max(hi[ax] - lo[ax], 1e-12)
                nb[ax] = max(1, Int((ext * w / rmax).rounded(.down))); origin[ax] = lo[ax]; span[ax] = ext
            }
            nb[ax] = min(nb[ax], 1 << 16)
        }
        // Keep the bin count proportional to N (coarser bins stay correct: width ≥ r_max).
        let maxBins = max(1000, 2 * (sources.count + targets.count))
        while nb.x * nb.y * nb.z > maxBins {
            let ax = nb.x >= nb.y && nb.x >= nb.z ? 0 : (nb.y >= nb.z ? 1 : 2)
            nb[ax] = max(1, nb[ax] / 2)
        }
        let totalBins = nb.x * nb.y * nb.z
        let scale = SIMD3<Double>(Double(nb.x), Double(nb.y), Double(nb.z)) / span
        let nbMax = nb &- 1
        @inline(__always) func bin(_ f: SIMD3<Double>) -> SIMD3<Int> {
            let x = ((f - origin) * scale).rounded(.down)
            var b = SIMD3<Int>(Int(x.x), Int(x.y), Int(x.z))
            b.replace(with: SIMD3<Int>(repeating: 0), where: b .< 0)
            b.replace(with: nbMax, where: b .> nbMax)
            return b
        }
        // Counting sort of the targets into bins; positions stored in bin order (wrapped).
        let sortedTargets = targets.sorted()
        var binStart = [Int32](repeating: 0, count: totalBins + 1)
        var targetBin = [Int32](repeating: 0, count: sortedTargets.count)
        var targetPos = [SIMD3<Double>](repeating: .zero, count: sortedTargets.count)
        for (q, t) in sortedTargets.enumerated() {
            let f = frac(positions[Int(t)])
            let b = bin(f)
            let id = (b.z * nb.y + b.y) * nb.x + b.x
            targetBin[q] = Int32(id); binStart[id + 1] += 1
            targetPos[q] = anyPeriodic ? frame.cartesian(f) : positions[Int(t)]
        }
        for b in 0 ..< totalBins { binStart[b + 1] += binStart[b] }
        var fill = binStart
        var binItems = [Int32](repeating: 0, count: sortedTargets.count)
        var binPos = [SIMD3<Double>](repeating: .zero, count: sortedTargets.count)
        for q in 0 ..< sortedTargets.count {
            let id = Int(targetBin[q]), slot = Int(fill[id])
            binItems[slot] = sortedTargets[q]; binPos[slot] = targetPos[q]; fill[id] += 1
        }
        targetBin = []; targetPos = []; fill = []
        // Neighbour bins per axis: up to 3 (bin, image shift) pairs, flat [axis][bin][3].
        let maxNb = max(nb.x, nb.y, nb.z)
        var candBin = [Int32](repeating: 0, count: 3 * maxNb * 3), candShift = candBin
        var candCount = [Int32](repeating: 0, count: 3 * maxNb)
        for ax in 0 ..< 3 {
            for b in 0 ..< nb[ax] {
                var c = 0
                for o in -1 ... 1 {
                    let nbin = b + o
                    var entry: (Int, Int)? = nil
                    if frame.isPeriodic(ax) {
                        let shift = Int((Double(nbin) / Double(nb[ax])).rounded(.down))
                        entry = (nbin - shift * nb[ax], shift)
                    } else if nbin >= 0 && nbin < nb[ax] {
                        entry = (nbin, 0)
                    }
                    guard let e = entry else { continue }
                    let base = (ax * maxNb + b) * 3
                    var dup = false
                    for q in 0 ..< c where candBin[base + q] == Int32(e.0) && candShift[base + q] == Int32(e.1) { dup = true }
                    if dup { continue }
                    candBin[base + c] = Int32(e.0); candShift[base + c] = Int32(e.1); c += 1
                }
                candCount[ax * maxNb + b] = Int32(c)
            }
        }
        // The 27 image shift vectors.
        var shiftVec = [SIMD3<Double>](repeating: .zero, count: 27)
        for i in -1 ... 1 { for j in -1 ... 1 { for k in -1 ... 1 {
            shiftVec[(i + 1) + 3 * (j + 1) + 9 * (k + 1)] = Double(i) * frame.a + Double(j) * frame.b + Double(k) * frame.c
        }}}

        let sortedSources = sources.sorted()
        var offsets = [Int32](repeating: 0, count: n + 1)
        var neighbors: [Int32] = []
        neighbors.reserveCapacity(sortedSources.count * 8)
        var next = 0 // next site index whose offset is unset
        binStart.withUnsafeBufferPointer { bs in
        binItems.withUnsafeBufferPointer { items in
        binPos.withUnsafeBufferPointer { bpos in
        candBin.withUnsafeBufferPointer { cb in
        candShift.withUnsafeBufferPointer { cs in
        candCount.withUnsafeBufferPointer { cc in
        shiftVec.withUnsafeBufferPointer { sv in
            for s in sortedSources {
                let si = Int(s)
                while next <= si { offsets[next] = Int32(neighbors.count); next += 1 }
                let rowStart = neighbors.count
                let f = frac(positions[si])
                let rs = anyPeriodic ? frame.cartesian(f) : positions[si]
                let b = bin(f)
                let bz0 = (2 * maxNb + b.z) * 3, by0 = (maxNb + b.y) * 3, bx0 = b.x * 3
                for qz in 0 ..< Int(cc[2 * maxNb + b.z]) {
                    let bz = Int(cb[bz0 + qz]), sz = Int(cs[bz0 + qz])
                    for qy in 0 ..< Int(cc[maxNb + b.y]) {
                        let by = Int(cb[by0 + qy]), sy = Int(cs[by0 + qy])
                        let rowBase = (bz * nb.y + by) * nb.x
                        for qx in 0 ..< Int(cc[b.x]) {
                            let bx = Int(cb[bx0 + qx]), sx = Int(cs[bx0 + qx])
                            let rel = sv[(sx + 1) + 3 * (sy + 1) + 9 * (sz + 1)] - rs
                            let id = rowBase + bx
                            for p in Int(bs[id]) ..< Int(bs[id + 1]) {
                                let dv = bpos[p] + rel
                                let r2 = (dv * dv).sum()
                                if r2 <= rmax2 && r2 >= rmin2 && items[p] != s { neighbors.append(items[p]) }
                            }
                        }
                    }
                }
                if neighbors.count - rowStart > 1 { neighbors[rowStart...].sort() }
            }
        }}}}}}}
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
