// The static description of a wire's cation sublattice that every observable is computed on.
//
// What it precomputes (once, at setup; O(N log N)):
//   - axial layers: cation sites grouped by their z coordinate (single atomic planes ⟂ wire axis z),
//     clustered with a tolerance, numbered from the lowest z; per site its layer index, per layer its
//     site count and z. Used for "spans the cross-section" (spec §6) and for the per-layer spacing.
//   - radial columns: cation sites grouped by their (x, y) position. In both host phases the cation
//     sites line up in atomic columns parallel to the axis (wz [001]: every c; zb [111]: every third
//     (111) plane), so a column is the natural unit along which to locate an interface. Per column the
//     sites are stored sorted by z (CSR: `columnOffsets`, `columnSites`), per site its column and its
//     rank in the column.
// The cation–cation nearest-neighbour table is taken from the caller as CSR (`neighborOffsets`,
// `neighbors`, Int32), as the Geometry module produces it. Nothing here depends on the KMC engine.
//
// Exchanged volume convention: V_exchanged = X · V_wire with V_wire = π (d/2)² L, i.e. every cation
// site stands for V_wire / N_cation of wire (the same thing as count × volume per cation site).

/// Errors raised while setting up observables or writing outputs (setup time only, never in hot loops).
public enum ObservablesError: Error, CustomStringConvertible, Equatable {
    /// An input value is invalid; names the component, the key and why.
    case invalid(component: String, key: String, message: String)

    public var description: String {
        switch self {
        case let .invalid(component, key, message): return "\(component): \(key): \(message)"
        }
    }
}

/// Occupancy codes of cation sites as the caller stores them (one `UInt8` per cation site).
///
/// The observables only need to know which code means Cu and which means Cd; any other code
/// (vacancy, …) counts as neither. Defaults: 0 = empty (vacancy), 1 = Cd, 2 = Cu.
public struct CationCodes: Sendable, Equatable {
    /// Code of an empty cation site (vacancy). Default 0.
    public var vacancy: UInt8
    /// Code of a Cd-occupied cation site (unexchanged). Default 1.
    public var cadmium: UInt8
    /// Code of a Cu-occupied cation site (exchanged). Default 2.
    public var copper: UInt8

    /// Creates a code mapping; the three codes must differ.
    public init(vacancy: UInt8 = 0, cadmium: UInt8 = 1, copper: UInt8 = 2) {
        precondition(vacancy != cadmium && cadmium != copper && vacancy != copper,
                     "CationCodes: vacancy, cadmium and copper codes must differ")
        self.vacancy = vacancy
        self.cadmium = cadmium
        self.copper = copper
    }

    /// The default codes: 0 empty, 1 Cd, 2 Cu.
    public static let standard = CationCodes()
}

/// Cation sublattice of a wire (axis along z) with precomputed axial layers and radial columns.
///
/// Positions are in Å. Construction is O(N log N); every array is flat and indexed by site (Int32
/// where it is an index), so observer passes run on contiguous storage.
public struct CationFrame: Sendable {
    /// Number of cation sites N.
    public let count: Int
    /// x coordinates of the sites, Å.
    public let x: [Double]
    /// y coordinates of the sites, Å.
    public let y: [Double]
    /// z coordinates (along the wire axis) of the sites, Å.
    public let z: [Double]
    /// Position of the wire axis in the (x, y) plane, Å.
    public let axisCenter: SIMD2<Double>
    /// Wire diameter d, Å.
    public let diameter_A: Double
    /// Wire length L, Å.
    public let length_A: Double
    /// CSR row offsets of the cation–cation nearest-neighbour table (count N + 1).
    public let neighborOffsets: [Int32]
    /// CSR column indices of the nearest-neighbour table (site indices).
    public let neighbors: [Int32]

    /// Axial layer index of each site (0 = lowest z).
    public let layerOfSite: [Int32]
    /// Mean z of each layer, Å.
    public let layerZ: [Double]
    /// Number of cation sites in each layer.
    public let layerSiteCount: [Int32]
    /// Mean spacing between consecutive layers, Å (0 when there is a single layer).
    public let layerSpacing_A: Double

    /// Radial column index of each site.
    public let columnOfSite: [Int32]
    /// Rank of each site within its column, counted from the lowest z (0-based).
    public let rankInColumn: [Int32]
    /// CSR offsets of the column → sites table (count = number of columns + 1).
    public let columnOffsets: [Int32]
    /// Sites of each column, sorted by increasing z.
    public let columnSites: [Int32]
    /// Mean (x, y) of each column, Å.
    public let columnXY: [SIMD2<Double>]

    /// Number of axial layers.
    public var layerCount: Int { layerZ.count }
    /// Number of radial columns.
    public var columnCount: Int { columnXY.count }
    /// Wire volume π (d/2)² L, nm³.
    public var wireVolume_nm3: Double {
        let r = diameter_A / 20  // Å → nm, halved
        return Double.pi * r * r * (length_A / 10)
    }
    /// Wire volume per cation site, nm³ (V_wire / N).
    public var volumePerSite_nm3: Double { count > 0 ? wireVolume_nm3 / Double(count) : 0 }

    /// Builds the frame and its layer/column tables.
    ///
    /// - Parameters:
    ///   - positions: cation site positions, Å, wire axis along z.
    ///   - diameter_A: wire diameter d, Å (> 0).
    ///   - length_A: wire length L, Å (> 0).
    ///   - neighborOffsets: CSR offsets of the cation–cation nearest-neighbour table (N + 1 entries,
    ///     non-decreasing, first 0, last = neighbors.count).
    ///   - neighbors: CSR neighbour site indices (each in 0..<N).
    ///   - axisCenter: axis position in (x, y), Å; default: centre of the sites' bounding box.
    ///   - layerTolerance_A: sites whose z differ by less than this (chained) share a layer. Default 0.1 Å.
    ///   - columnTolerance_A: sites whose (x, y) lie within this distance of a column's first site
    ///     share the column. Default 0.1 Å.
    /// - Throws: `ObservablesError.invalid` naming the offending key.
    /// - Complexity: O(N log N) time, O(N) memory.
    public init(positions: [SIMD3<Double>], diameter_A: Double, length_A: Double,
                neighborOffsets: [Int32], neighbors: [Int32], axisCenter: SIMD2<Double>? = nil,
                layerTolerance_A: Double = 0.1, columnTolerance_A: Double = 0.1) throws {
        let c = "CationFrame"
        let n = positions.count
        guard n > 0 else { throw ObservablesError.invalid(component: c, key: "positions", message: "no cation sites") }
        guard n < Int(Int32.max) else {
            throw ObservablesError.invalid(component: c, key: "positions", message: "\(n) sites exceed Int32 indexing")
        }
        guard diameter_A.isFinite, diameter_A > 0 else {
            throw ObservablesError.invalid(component: c, key: "diameter_A", message: "must be > 0, got \(diameter_A)")
        }
        guard length_A.isFinite, length_A > 0 else {
            throw ObservablesError.invalid(component: c, key: "length_A", message: "must be > 0, got \(length_A)")
        }
        guard layerTolerance_A > 0, columnTolerance_A > 0 else {
            throw ObservablesError.invalid(component: c, key: "layerTolerance_A/columnTolerance_A",
                                           message: "must be > 0, got \(layerTolerance_A)/\(columnTolerance_A)")
        }
        guard neighborOffsets.count == n + 1, neighborOffsets.first == 0,
              Int(neighborOffsets[n]) == neighbors.count else {
            throw ObservablesError.invalid(
                component: c, key: "neighborOffsets",
                message: "need N + 1 = \(n + 1) offsets starting at 0 and ending at neighbors.count = \(neighbors.count); got \(neighborOffsets.count) offsets")
        }
        for i in 0..<n where neighborOffsets[i + 1] < neighborOffsets[i] {
            throw ObservablesError.invalid(component: c, key: "neighborOffsets",
                                           message: "offsets decrease at site \(i)")
        }
        if let bad = neighbors.first(where: { $0 < 0 || Int($0) >= n }) {
            throw ObservablesError.invalid(component: c, key: "neighbors", message: "index \(bad) outside 0..<\(n)")
        }
        var xs = [Double](repeating: 0, count: n), ys = xs, zs = xs
        var lo = SIMD3<Double>(repeating: .infinity), hi = SIMD3<Double>(repeating: -.infinity)
        for i in 0..<n {
            let p = positions[i]
            guard p.x.isFinite, p.y.isFinite, p.z.isFinite else {
                throw ObservablesError.invalid(component: c, key: "positions", message: "site \(i) is not finite: \(p)")
            }
            xs[i] = p.x; ys[i] = p.y; zs[i] = p.z
            lo = pointwiseMin(lo, p); hi = pointwiseMax(hi, p)
        }
        count = n
        x = xs; y = ys; z = zs
        self.axisCenter = axisCenter ?? SIMD2((lo.x + hi.x) / 2, (lo.y + hi.y) / 2)
        self.diameter_A = diameter_A
        self.length_A = length_A
        self.neighborOffsets = neighborOffsets
        self.neighbors = neighbors

        // Layers: sort by z, start a new layer when the gap to the previous site exceeds the tolerance.
        let byZ = (0..<n).sorted { zs[$0] != zs[$1] ? zs[$0] < zs[$1] : $0 < $1 }
        var layerOf = [Int32](repeating: 0, count: n)
        var lz: [Double] = [], lcount: [Int32] = []
        var sumZ = 0.0, cnt: Int32 = 0, prevZ = -Double.infinity
        for s in byZ {
            if zs[s] - prevZ > layerTolerance_A, cnt > 0 {
                lz.append(sumZ / Double(cnt)); lcount.append(cnt); sumZ = 0; cnt = 0
            }
            layerOf[s] = Int32(lz.count)
            sumZ += zs[s]; cnt += 1; prevZ = zs[s]
        }
        lz.append(sumZ / Double(cnt)); lcount.append(cnt)
        layerOfSite = layerOf
        layerZ = lz
        layerSiteCount = lcount
        layerSpacing_A = lz.count > 1 ? (lz[lz.count - 1] - lz[0]) / Double(lz.count - 1) : 0

        // Columns: hash (x, y) on a grid of cell = tolerance; a site joins the first column (of the 3×3
        // neighbouring cells) whose representative lies within the tolerance. Visiting sites in z order
        // fills each column's site list already sorted by z.
        let q = columnTolerance_A
        var cellColumns: [SIMD2<Int64>: [Int32]] = [:]
        var repXY: [SIMD2<Double>] = []
        var colOf = [Int32](repeating: 0, count: n)
        for s in byZ {
            let p = SIMD2(xs[s], ys[s])
            let kx = Int64((p.x / q).rounded(.down)), ky = Int64((p.y / q).rounded(.down))
            var found: Int32 = -1
            search: for dx in -1...1 {
                for dy in -1...1 {
                    guard let list = cellColumns[SIMD2(kx + Int64(dx), ky + Int64(dy))] else { continue }
                    for col in list {
                        let d = repXY[Int(col)] - p
                        if (d * d).sum() <= q * q { found = col; break search }
                    }
                }
            }
            if found < 0 {
                found = Int32(repXY.count)
                repXY.append(p)
                cellColumns[SIMD2(kx, ky), default: []].append(found)
            }
            colOf[s] = found
        }
        let nCol = repXY.count
        var offsets = [Int32](repeating: 0, count: nCol + 1)
        for s in 0..<n { offsets[Int(colOf[s]) + 1] += 1 }
        for k in 0..<nCol { offsets[k + 1] += offsets[k] }
        var fill = Array(offsets[0..<nCol])
        var colSites = [Int32](repeating: 0, count: n)
        var rank = [Int32](repeating: 0, count: n)
        var sumXY = [SIMD2<Double>](repeating: .zero, count: nCol)
        for s in byZ {
            let col = Int(colOf[s])
            rank[s] = fill[col] - offsets[col]
            colSites[Int(fill[col])] = Int32(s)
            fill[col] += 1
            sumXY[col] += SIMD2(xs[s], ys[s])
        }
        for k in 0..<nCol { sumXY[k] /= Double(offsets[k + 1] - offsets[k]) }
        columnOfSite = colOf
        rankInColumn = rank
        columnOffsets = offsets
        columnSites = colSites
        columnXY = sumXY
    }

    /// Calls `body` with the x, y, z coordinate arrays as buffers (for hot loops).
    public func withCoordinates<R>(_ body: (UnsafeBufferPointer<Double>, UnsafeBufferPointer<Double>,
                                            UnsafeBufferPointer<Double>) throws -> R) rethrows -> R {
        try x.withUnsafeBufferPointer { xs in
            try y.withUnsafeBufferPointer { ys in try z.withUnsafeBufferPointer { zs in try body(xs, ys, zs) } }
        }
    }

    /// Position of site `i`, Å.
    @inlinable public func position(_ i: Int) -> SIMD3<Double> { SIMD3(x[i], y[i], z[i]) }

    /// Radius of site `i` from the wire axis, Å.
    @inlinable public func radius(_ i: Int) -> Double {
        let dx = x[i] - axisCenter.x, dy = y[i] - axisCenter.y
        return (dx * dx + dy * dy).squareRoot()
    }
}
