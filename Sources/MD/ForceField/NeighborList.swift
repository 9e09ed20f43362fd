// Verlet neighbour list with skin, built from a cell list in fractional coordinates.
//
// Build (O(N)): wrap each atom into the cell along periodic axes, s_w = s − n (n = ⌊s⌋), and keep
// the Cartesian wrap offset o_i = h n_i. Bin atoms on a grid of n_k = max(1, ⌊w_k/r_l⌋) bins along
// periodic axis k (r_l = cutoff + skin, w_k the perpendicular width; over the occupied fractional
// range along open axes). Two points closer than r_l differ by |Δs_k| ≤ r_l/w_k in fractional
// coordinates, i.e. by at most S_k = ⌈r_l n_k / w_k⌉ bins (S_k = 1 whenever w_k ≥ r_l). The stencil
// visits bin offsets −S_k…S_k per axis; along a periodic axis the unwrapped bin b + d is folded back
// into the grid with image index m = ⌊(b + d)/n_k⌋, so each (partner, lattice translation h m) is
// visited exactly once, and every translation that can bring a partner within r_l is visited.
//
// Periodic images. The energy is E = ½ Σ_i Σ_j Σ'_m φ(|r_i − r_j − h m|) (primed: no i = j, m = 0),
// the sum LAMMPS forms with ghost atoms. Terms (i, j, m) and (j, i, −m) are equal, so the half list
// stores, for i < j, every image m of j within r_l, and for j = i the self-images m ≠ 0 in the half
// space m > 0 (lexicographic: m_x > 0, or m_x = 0 and m_y > 0, or m_x = m_y = 0 and m_z > 0); each
// stored entry then carries full weight in energies and virials, which is the ½ of the double sum.
// The force of a self-image entry acts on i with both signs and cancels, as it must. When
// r_l < w_k/2 on every periodic axis each pair has at most one image within r_l and S_k = 1 (27-bin
// stencil, m ∈ {−1,0,1}³); smaller cells (a 64-atom zb cell at a 10 Å cutoff) just use larger
// stencils and more image shifts. Widths below r_l/`maxImagesPerAxis` are rejected.
//
// Use: with y_i = x_i − o_i, the displacement of a listed pair is d_ij = y_i − y_j − h m_ij. It stays
// correct while atoms move continuously; the list is rebuilt when any atom has moved more than
// skin/2 since the last build (then no pair can have crossed from beyond r_l to inside the cutoff),
// when the cell changes, or when the atom count changes. An atom wrapped back into the cell by the
// caller jumps by a lattice vector, which also triggers a rebuild.

/// One neighbour pair: indices i ≤ j (i = j for an atom and one of its own periodic images),
/// displacement d = r_i − r_j − h m of one image (Å) and distance r (Å).
public struct NeighborPair: Sendable, Equatable {
    public var i: Int
    public var j: Int
    /// r_i − r_j − h m in Å (one periodic image of j).
    public var d: SIMD3<Double>
    /// |d| in Å.
    public var r: Double
}

/// Half Verlet neighbour list (each pair image once: j > i, or j = i with a half-space image) in CSR
/// form with per-entry image shifts.
///
/// Storage: `offsets` (N+1, Int32), `neighbors` (Int32), `images` (UInt16 index into `imageShifts`).
/// Valid for orthorhombic and triclinic cells with any subset of periodic axes and any periodic
/// width ≥ (cutoff + skin)/`maxImagesPerAxis` (checked): every periodic image within the cutoff is listed.
public struct NeighborList: Sendable {
    /// Interaction cutoff in Å (may be +∞ for all-pairs lists of non-periodic systems).
    public let cutoff: Double
    /// Skin in Å: the list holds all pairs closer than cutoff + skin at build time.
    public let skin: Double
    /// CSR row starts: neighbours of i are `neighbors[offsets[i]..<offsets[i+1]]`.
    public private(set) var offsets: [Int32] = [0]
    /// Neighbour indices j (≥ i).
    public private(set) var neighbors: [Int32] = []
    /// Per-entry image index into `imageShifts`.
    public private(set) var images: [UInt16] = []
    /// Cartesian image shifts h m (Å) for m_k ∈ −M_k…M_k, index ((m_x+M_x)(2M_y+1) + m_y+M_y)(2M_z+1) + m_z+M_z
    /// with M = `imageRange` (M_k = 1 when r_l < w_k/2: the 27 shifts of m ∈ {−1,0,1}³).
    public private(set) var imageShifts: [SIMD3<Double>] = Array(repeating: .zero, count: 27)
    /// Largest |m_k| of the image shifts per axis, M_k (1 along open axes, where only m_k = 0 occurs).
    public private(set) var imageRange = SIMD3<Int>(1, 1, 1)
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

    /// Largest number of lattice translations per periodic axis on either side (r_l/w_k ≤ this).
    public static let maxImagesPerAxis = 16

    /// Checks that the cell admits this list: r_l finite and r_l ≤ `maxImagesPerAxis`·w along every
    /// periodic axis.
    public static func check(cell: Cell, listRadius rl: Double, component: String = "neighbor_list") throws {
        let g = try CellGeometry(cell)
        let names = ["a", "b", "c"]
        let per = [cell.periodic.0, cell.periodic.1, cell.periodic.2]
        for k in 0..<3 where per[k] {
            if !(rl <= Double(maxImagesPerAxis) * g.widths[k]) {
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

    /// Builds the list from scratch. O(N) (cell list; ~(2S+1)³/27 · 27·ρ·r_l³ candidate pairs per atom,
    /// S = 1 unless a periodic width is below 2 r_l).
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
        // Bin grid and stencil half-widths S (bins per axis a partner within r_l can be away).
        var lo = SIMD3<Double>.zero, span = SIMD3<Double>(1, 1, 1)
        var nb = SIMD3<Int>(1, 1, 1), reach = SIMD3<Int>(1, 1, 1)
        for k in 0..<3 {
            if per[k] {
                nb[k] = max(1, Int((g.widths[k] / rl).rounded(.down)))
                reach[k] = max(1, Int((rl * Double(nb[k]) / g.widths[k]).rounded(.up)))
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

        // Wrapped Cartesian positions and image shifts h m, m_k ∈ −M_k…M_k. Along a periodic axis the
        // folded image index ⌊(b + d)/n_k⌋ of b ∈ 0…n_k−1, |d| ≤ S_k lies in −S_k…S_k (S_k > 1 only
        // when n_k = 1), so M_k = S_k.
        var y = [SIMD3<Double>](repeating: .zero, count: n)
        var offs = [SIMD3<Double>](repeating: .zero, count: n)
        for i in 0..<n { offs[i] = g.cartesian(wraps[i]); y[i] = positions[i] - offs[i] }
        let mr = reach
        let side = SIMD3(2 * mr.x + 1, 2 * mr.y + 1, 2 * mr.z + 1)
        var shifts = [SIMD3<Double>](repeating: .zero, count: side.x * side.y * side.z)
        for mx in -mr.x...mr.x { for my in -mr.y...mr.y { for mz in -mr.z...mr.z {
            shifts[((mx + mr.x) * side.y + (my + mr.y)) * side.z + (mz + mr.z)] = g.cartesian(SIMD3(Double(mx), Double(my), Double(mz)))
        } } }
        precondition(shifts.count <= Int(UInt16.max), "NeighborList: \(shifts.count) image shifts exceed UInt16 (check() bounds them)")

        var newOffsets = [Int32](repeating: 0, count: n + 1)
        var newNeighbors: [Int32] = []
        var newImages: [UInt16] = []
        newNeighbors.reserveCapacity(neighbors.count > 0 ? neighbors.count + neighbors.count / 8 : n * 64)
        newImages.reserveCapacity(newNeighbors.capacity)
        let rl2 = rl * rl
        for i in 0..<n {
            let bi = binOf[i]
            let bx = bi / (nb.y * nb.z), by = (bi / nb.z) % nb.y, bz = bi % nb.z
            let b = SIMD3(bx, by, bz)
            let yi = y[i]
            for dx in -reach.x...reach.x { for dy in -reach.y...reach.y { for dz in -reach.z...reach.z {
                let dd = SIMD3(dx, dy, dz)
                var nbin = SIMD3<Int>.zero, m = SIMD3<Int>.zero
                var skip = false
                for k in 0..<3 {
                    let t = b[k] + dd[k]
                    if per[k] {
                        // Floor division: m = ⌊t/n⌋, folded bin t − m n ∈ 0…n−1.
                        let q = t >= 0 ? t / nb[k] : -((-t + nb[k] - 1) / nb[k])
                        m[k] = q; nbin[k] = t - q * nb[k]
                    } else if t < 0 || t >= nb[k] { skip = true } else { nbin[k] = t }
                }
                if skip { continue }
                let selfImageAllowed = m.x > 0 || (m.x == 0 && (m.y > 0 || (m.y == 0 && m.z > 0)))
                let jb = (nbin.x * nb.y + nbin.y) * nb.z + nbin.z
                let imageIndex = ((m.x + mr.x) * side.y + (m.y + mr.y)) * side.z + (m.z + mr.z)
                let shift = shifts[imageIndex]
                for p in binCount[jb]..<binCount[jb + 1] {
                    let j = binAtoms[p]
                    if j < i || (j == i && !selfImageAllowed) { continue }
                    let d = yi - y[j] - shift
                    if (d * d).sum() < rl2 {
                        newNeighbors.append(Int32(j)); newImages.append(UInt16(imageIndex))
                    }
                }
            } } }
            newOffsets[i + 1] = Int32(newNeighbors.count)
        }
        offsets = newOffsets; neighbors = newNeighbors; images = newImages
        imageShifts = shifts; imageRange = mr; wrapOffsets = offs; referencePositions = positions
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

    /// All pair images closer than `cutoff` by brute force over lattice translations (O(N²·images)):
    /// for i < j every translation m with |r_i − r_j − h m| < cutoff, for i = j the half-space
    /// translations m ≠ 0 (m_x > 0, or m_x = 0 < m_y, or m_x = m_y = 0 < m_z). Translations run over
    /// |m_k| ≤ ⌈cutoff/w_k⌉ + 1 along periodic axes, enough for any positions (displacements are
    /// first reduced to the minimum image by rounding fractional coordinates). The test oracle for the
    /// cell-list path.
    public static func bruteForcePairs(_ positions: [SIMD3<Double>], cell: Cell, cutoff: Double) throws -> [NeighborPair] {
        try check(cell: cell, listRadius: cutoff, component: "brute_force_pairs")
        let g = try CellGeometry(cell)
        let per = [cell.periodic.0, cell.periodic.1, cell.periodic.2]
        var range = SIMD3<Int>.zero
        for k in 0..<3 where per[k] { range[k] = Int((cutoff / g.widths[k]).rounded(.up)) + 1 }
        var out: [NeighborPair] = []
        let rc2 = cutoff * cutoff
        for i in 0..<positions.count {
            for j in i..<positions.count {
                let d0 = g.minimumImage(positions[i] - positions[j])
                for mx in -range.x...range.x { for my in -range.y...range.y { for mz in -range.z...range.z {
                    if j == i && !(mx > 0 || (mx == 0 && (my > 0 || (my == 0 && mz > 0)))) { continue }
                    let d = d0 - g.cartesian(SIMD3(Double(mx), Double(my), Double(mz)))
                    let r2 = (d * d).sum()
                    if r2 < rc2 { out.append(NeighborPair(i: i, j: j, d: d, r: r2.squareRoot())) }
                } } }
            }
        }
        return out
    }
}
