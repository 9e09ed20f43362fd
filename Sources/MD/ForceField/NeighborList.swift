// Verlet neighbour list with skin, built from a cell list in fractional coordinates.
//
// Build (O(N)): wrap each atom into the cell along periodic axes, s_w = s − n (n = ⌊s⌋), and keep
// the Cartesian wrap offset o_i = h n_i. Bin atoms on a grid whose bins are at least r_l = cutoff +
// skin thick perpendicular to each face (n_bins = ⌊w/r_l⌋ along periodic axes, over the occupied
// fractional range along open axes). Two points closer than r_l differ by at most one bin per axis
// (|Δs_i| ≤ r_l/w_i ≤ bin width), so the 27 neighbouring bins, wrapped with image shift m ∈ {−1,0,1}³
// along periodic axes, hold every partner. With r_l < w/2 each pair has at most one image within r_l,
// so a half list (j > i) with one image index per pair is exact.
//
// Use: with y_i = x_i − o_i, the displacement of a listed pair is d_ij = y_i − y_j − h m_ij. It stays
// correct while atoms move continuously; the list is rebuilt when any atom has moved more than
// skin/2 since the last build (then no pair can have crossed from beyond r_l to inside the cutoff),
// when the cell changes, or when the atom count changes. An atom wrapped back into the cell by the
// caller jumps by a lattice vector, which also triggers a rebuild.

/// One neighbour pair: indices i < j, displacement d = r_i − r_j (minimum image, Å) and distance r (Å).
public struct NeighborPair: Sendable, Equatable {
    public var i: Int
    public var j: Int
    /// r_i − r_j in Å (the minimum image along periodic axes).
    public var d: SIMD3<Double>
    /// |d| in Å.
    public var r: Double
}

/// Half Verlet neighbour list (each pair once, j > i) in CSR form with per-pair image shifts.
///
/// Storage: `offsets` (N+1, Int32), `neighbors` (Int32), `images` (UInt8 index into `imageShifts`).
/// Valid for orthorhombic and triclinic cells with any subset of periodic axes, provided
/// cutoff + skin < half the perpendicular width along every periodic axis (checked).
public struct NeighborList: Sendable {
    /// Interaction cutoff in Å (may be +∞ for all-pairs lists of non-periodic systems).
    public let cutoff: Double
    /// Skin in Å: the list holds all pairs closer than cutoff + skin at build time.
    public let skin: Double
    /// CSR row starts: neighbours of i are `neighbors[offsets[i]..<offsets[i+1]]`.
    public private(set) var offsets: [Int32] = [0]
    /// Neighbour indices j (> i).
    public private(set) var neighbors: [Int32] = []
    /// Per-pair image index into `imageShifts`.
    public private(set) var images: [UInt8] = []
    /// Cartesian image shifts h m for m ∈ {−1,0,1}³ (index (mx+1)·9 + (my+1)·3 + (mz+1)), Å.
    public private(set) var imageShifts: [SIMD3<Double>] = Array(repeating: .zero, count: 27)
    /// Per-atom Cartesian wrap offsets o_i = h n_i (Å) fixed at the last build.
    public private(set) var wrapOffsets: [SIMD3<Double>] = []
    /// Positions at the last build (Å).
    public private(set) var referencePositions: [SIMD3<Double>] = []
    /// Geometry of the cell at the last build.
    public private(set) var geometry: CellGeometry?
    /// Number of builds so far.
    public private(set) var buildCount: Int = 0

    /// - Parameters: cutoff (Å, > 0, may be +∞), skin (Å, ≥ 0, finite).
    /// - Throws: `ForceFieldError.invalidParameter`.
    public init(cutoff: Double, skin: Double) throws {
        guard cutoff > 0, !cutoff.isNaN else {
            throw ForceFieldError.invalidParameter(component: "neighbor_list", key: "cutoff", value: "\(cutoff)", allowed: "> 0 Å")
        }
        guard skin >= 0, skin.isFinite else {
            throw ForceFieldError.invalidParameter(component: "neighbor_list", key: "skin", value: "\(skin)", allowed: "finite ≥ 0 Å")
        }
        self.cutoff = cutoff; self.skin = skin
    }

    /// List radius cutoff + skin in Å.
    public var listRadius: Double { cutoff + skin }
    /// Number of stored pairs.
    public var pairCount: Int { neighbors.count }

    /// Checks that the cell admits this list: r_l < w/2 along every periodic axis.
    public static func check(cell: Cell, listRadius rl: Double, component: String = "neighbor_list") throws {
        let g = try CellGeometry(cell)
        let names = ["a", "b", "c"]
        let per = [cell.periodic.0, cell.periodic.1, cell.periodic.2]
        for k in 0..<3 where per[k] {
            if !(rl < 0.5 * g.widths[k]) {
                throw ForceFieldError.cellTooSmall(component: component, cutoffPlusSkin: rl, axis: names[k], width: g.widths[k])
            }
        }
    }

    /// True when the list must be rebuilt for these positions and cell. O(N).
    public func needsRebuild(_ positions: [SIMD3<Double>], cell: Cell) -> Bool {
        guard let g = geometry, positions.count == referencePositions.count,
              g.a == cell.a, g.b == cell.b, g.c == cell.c,
              g.periodic == cell.periodic else { return true }
        if cutoff.isInfinite { return false }
        let limit = 0.25 * skin * skin
        return positions.withUnsafeBufferPointer { x in
            referencePositions.withUnsafeBufferPointer { x0 in
                for i in 0..<x.count {
                    let d = x[i] - x0[i]
                    if (d * d).sum() > limit { return true }
                }
                return false
            }
        }
    }

    /// Rebuilds the list if `needsRebuild`; returns true if it did. O(N) when rebuilding.
    @discardableResult
    public mutating func update(_ positions: [SIMD3<Double>], cell: Cell) throws -> Bool {
        guard needsRebuild(positions, cell: cell) else { return false }
        try build(positions, cell: cell)
        return true
    }

    /// Builds the list from scratch. O(N) (cell list; ~27·ρ·r_l³ candidate pairs per atom).
    /// - Throws: `ForceFieldError.cellTooSmall` or `.invalidCell`.
    public mutating func build(_ positions: [SIMD3<Double>], cell: Cell) throws {
        let rl = listRadius
        try NeighborList.check(cell: cell, listRadius: rl)
        let g = try CellGeometry(cell)
        let n = positions.count
        let per = [cell.periodic.0, cell.periodic.1, cell.periodic.2]

        // Fractional coordinates, wrapped along periodic axes.
        var frac = [SIMD3<Double>](repeating: .zero, count: n)
        var wraps = [SIMD3<Double>](repeating: .zero, count: n)
        for i in 0..<n {
            var s = g.fractional(positions[i])
            var w = SIMD3<Double>.zero
            for k in 0..<3 where per[k] {
                let f = s[k].rounded(.down)
                w[k] = f; s[k] -= f
                if s[k] >= 1 { s[k] -= 1; w[k] += 1 }   // guards s = 1 − tiny rounding to 1
            }
            frac[i] = s; wraps[i] = w
        }
        // Bin grid.
        var lo = SIMD3<Double>.zero, span = SIMD3<Double>(1, 1, 1)
        var nb = SIMD3<Int>(1, 1, 1)
        for k in 0..<3 {
            if per[k] {
                nb[k] = rl.isFinite ? max(1, Int((g.widths[k] / rl).rounded(.down))) : 1
            } else {
                var mn = Double.infinity, mx = -Double.infinity
                for s in frac { mn = min(mn, s[k]); mx = max(mx, s[k]) }
                if n == 0 { mn = 0; mx = 0 }
                lo[k] = mn
                span[k] = mx > mn ? mx - mn : 1
                let extent = (mx - mn) * g.widths[k]
                nb[k] = rl.isFinite ? max(1, Int((extent / rl).rounded(.down))) : 1
            }
        }
        // Cap the number of bins (open axes with scattered atoms) at ~4N + 64.
        let cap = 4 * n + 64
        while nb.x * nb.y * nb.z > cap {
            var kmax = -1
            for k in 0..<3 where !per[k] && nb[k] > 1 { if kmax < 0 || nb[k] > nb[kmax] { kmax = k } }
            if kmax < 0 { break }
            nb[kmax] = max(1, nb[kmax] / 2)
        }
        let nbins = nb.x * nb.y * nb.z
        var binOf = [Int](repeating: 0, count: n)
        var binCount = [Int](repeating: 0, count: nbins + 1)
        for i in 0..<n {
            var b = SIMD3<Int>.zero
            for k in 0..<3 {
                let u = per[k] ? frac[i][k] : (frac[i][k] - lo[k]) / span[k]
                b[k] = min(nb[k] - 1, max(0, Int(u * Double(nb[k]))))
            }
            let idx = (b.x * nb.y + b.y) * nb.z + b.z
            binOf[i] = idx
            binCount[idx + 1] += 1
        }
        for k in 0..<nbins { binCount[k + 1] += binCount[k] }
        var binAtoms = [Int](repeating: 0, count: n)
        var fill = binCount
        for i in 0..<n { binAtoms[fill[binOf[i]]] = i; fill[binOf[i]] += 1 }

        // Wrapped Cartesian positions and image shifts.
        var y = [SIMD3<Double>](repeating: .zero, count: n)
        var offs = [SIMD3<Double>](repeating: .zero, count: n)
        for i in 0..<n { offs[i] = g.cartesian(wraps[i]); y[i] = positions[i] - offs[i] }
        var shifts = [SIMD3<Double>](repeating: .zero, count: 27)
        for mx in -1...1 { for my in -1...1 { for mz in -1...1 {
            shifts[(mx + 1) * 9 + (my + 1) * 3 + (mz + 1)] = g.cartesian(SIMD3(Double(mx), Double(my), Double(mz)))
        } } }

        // Stencil per axis: offsets −1…1 (only 0 for a single bin on an open axis).
        var newOffsets = [Int32](repeating: 0, count: n + 1)
        var newNeighbors: [Int32] = []
        var newImages: [UInt8] = []
        newNeighbors.reserveCapacity(neighbors.count > 0 ? neighbors.count + neighbors.count / 8 : n * 64)
        newImages.reserveCapacity(newNeighbors.capacity)
        let rl2 = rl * rl
        for i in 0..<n {
            let bi = binOf[i]
            let bx = bi / (nb.y * nb.z), by = (bi / nb.z) % nb.y, bz = bi % nb.z
            let b = SIMD3(bx, by, bz)
            let yi = y[i]
            for dx in -1...1 { for dy in -1...1 { for dz in -1...1 {
                let dd = SIMD3(dx, dy, dz)
                var nbin = SIMD3<Int>.zero, m = SIMD3<Int>.zero
                var skip = false
                for k in 0..<3 {
                    var t = b[k] + dd[k]
                    if per[k] {
                        if t < 0 { t += nb[k]; m[k] = -1 } else if t >= nb[k] { t -= nb[k]; m[k] = 1 }
                    } else if t < 0 || t >= nb[k] { skip = true }
                    nbin[k] = t
                }
                if skip { continue }
                let jb = (nbin.x * nb.y + nbin.y) * nb.z + nbin.z
                let imageIndex = (m.x + 1) * 9 + (m.y + 1) * 3 + (m.z + 1)
                let shift = shifts[imageIndex]
                for p in binCount[jb]..<binCount[jb + 1] {
                    let j = binAtoms[p]
                    if j <= i { continue }
                    let d = yi - y[j] - shift
                    if (d * d).sum() < rl2 {
                        newNeighbors.append(Int32(j)); newImages.append(UInt8(imageIndex))
                    }
                }
            } } }
            newOffsets[i + 1] = Int32(newNeighbors.count)
        }
        offsets = newOffsets; neighbors = newNeighbors; images = newImages
        imageShifts = shifts; wrapOffsets = offs; referencePositions = positions
        geometry = g; buildCount += 1
    }

    /// Pairs of the list closer than `cutoff` at `positions` (the list must be current). O(pairs).
    /// For tests and slow paths.
    public func pairs(_ positions: [SIMD3<Double>]) -> [NeighborPair] {
        var out: [NeighborPair] = []
        let rc2 = cutoff * cutoff
        for i in 0..<positions.count where i + 1 < offsets.count {
            let yi = positions[i] - wrapOffsets[i]
            for p in Int(offsets[i])..<Int(offsets[i + 1]) {
                let j = Int(neighbors[p])
                let d = yi - (positions[j] - wrapOffsets[j]) - imageShifts[Int(images[p])]
                let r2 = (d * d).sum()
                if r2 < rc2 { out.append(NeighborPair(i: i, j: j, d: d, r: r2.squareRoot())) }
            }
        }
        return out
    }

    /// All pairs i < j closer than `cutoff` by brute force (O(N²)), minimum image along periodic axes.
    /// The test oracle for the cell-list path.
    public static func bruteForcePairs(_ positions: [SIMD3<Double>], cell: Cell, cutoff: Double) throws -> [NeighborPair] {
        try check(cell: cell, listRadius: cutoff, component: "brute_force_pairs")
        let g = try CellGeometry(cell)
        var out: [NeighborPair] = []
        let rc2 = cutoff * cutoff
        for i in 0..<positions.count {
            for j in (i + 1)..<max(i + 1, positions.count) {
                let d = g.minimumImage(positions[i] - positions[j])
                let r2 = (d * d).sum()
                if r2 < rc2 { out.append(NeighborPair(i: i, j: j, d: d, r: r2.squareRoot())) }
            }
        }
        return out
    }
}
