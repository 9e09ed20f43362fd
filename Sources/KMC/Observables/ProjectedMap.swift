// Projected element maps (what an EDS/EELS map of the wire shows, spec §6).
//
// The beam is perpendicular to the wire axis z. Atoms are projected onto the plane spanned by the
// axis and an "across" direction ⟂ beam: u = (x − x_c) cos α + (y − y_c) sin α, where α is the angle
// of the across direction from +x (α = 0: beam along y, u = x − x_c). A map is a 2-D histogram of
// atom counts in square bins (default 0.5 nm), rows along z, columns along u, stored row-major
// (index = iz · nU + iu). The cross-wire intensity profile is the map summed over z; for a hollow
// cylindrical Cu shell of radius R the projected density ∝ 1/√(R² − u²) gives the M shape (maxima
// near u = ±R, minimum at the centre).

/// Binning of the projection plane (across u, along z).
public struct ProjectionGrid: Sendable, Equatable {
    /// Bin edge length, Å.
    public let binSize_A: Double
    /// Angle of the across direction from +x, degrees (beam ⟂ this direction and ⟂ z).
    public let acrossAngle_deg: Double
    /// Wire axis position in (x, y), Å (u = 0 there).
    public let axisCenter: SIMD2<Double>
    /// Lower edge of the first u bin, Å.
    public let uMin_A: Double
    /// Lower edge of the first z bin, Å.
    public let zMin_A: Double
    /// Number of bins across (u).
    public let nU: Int
    /// Number of bins along (z).
    public let nZ: Int

    private let cosA: Double
    private let sinA: Double

    /// Creates a grid covering u ∈ [−halfWidth, halfWidth] and the given z range.
    /// - Parameters:
    ///   - axisCenter: axis position in (x, y), Å.
    ///   - halfWidth_A: half the across extent, Å (> 0).
    ///   - zRange_A: axial extent, Å.
    ///   - binSize_A: bin edge, Å (> 0; default 5 Å = 0.5 nm).
    ///   - acrossAngle_deg: angle of the across direction from +x (default 0: beam along y).
    public init(axisCenter: SIMD2<Double>, halfWidth_A: Double, zRange_A: ClosedRange<Double>,
                binSize_A: Double = 5, acrossAngle_deg: Double = 0) throws {
        guard binSize_A.isFinite, binSize_A > 0 else {
            throw ObservablesError.invalid(component: "ProjectionGrid", key: "binSize_A", message: "must be > 0, got \(binSize_A)")
        }
        guard halfWidth_A.isFinite, halfWidth_A > 0 else {
            throw ObservablesError.invalid(component: "ProjectionGrid", key: "halfWidth_A", message: "must be > 0, got \(halfWidth_A)")
        }
        guard zRange_A.lowerBound.isFinite, zRange_A.upperBound.isFinite else {
            throw ObservablesError.invalid(component: "ProjectionGrid", key: "zRange_A", message: "must be finite, got \(zRange_A)")
        }
        self.binSize_A = binSize_A
        self.acrossAngle_deg = acrossAngle_deg
        self.axisCenter = axisCenter
        nU = max(1, Int((2 * halfWidth_A / binSize_A).rounded(.up)))
        uMin_A = -Double(nU) * binSize_A / 2  // centred on the axis
        zMin_A = zRange_A.lowerBound
        nZ = max(1, Int(((zRange_A.upperBound - zRange_A.lowerBound) / binSize_A).rounded(.up)))
        let a = acrossAngle_deg * Double.pi / 180
        cosA = cos(a); sinA = sin(a)
    }

    /// A grid for a wire frame: u over ±(d/2 + margin), z from the lowest to the highest cation layer ± margin.
    /// - Parameters:
    ///   - margin_A: extra room beyond the wire surface and caps for shell atoms, Å (default 10).
    public init(frame: CationFrame, binSize_A: Double = 5, margin_A: Double = 10, acrossAngle_deg: Double = 0) throws {
        let z0 = frame.layerZ.first! - margin_A, z1 = frame.layerZ.last! + margin_A
        try self.init(axisCenter: frame.axisCenter, halfWidth_A: frame.diameter_A / 2 + margin_A,
                      zRange_A: z0...z1, binSize_A: binSize_A, acrossAngle_deg: acrossAngle_deg)
    }

    /// Across coordinate u of a point, Å.
    public func across(x: Double, y: Double) -> Double {
        (x - axisCenter.x) * cosA + (y - axisCenter.y) * sinA
    }

    /// Flat bin index (iz · nU + iu) of a point, or nil if it falls outside the grid.
    public func bin(x: Double, y: Double, z: Double) -> Int? {
        let fu = (across(x: x, y: y) - uMin_A) / binSize_A
        let fz = (z - zMin_A) / binSize_A
        guard fu >= 0, fz >= 0, fu < Double(nU), fz < Double(nZ) else { return nil }
        return Int(fz) * nU + Int(fu)
    }

    /// Centre of u bin `i`, nm.
    public func uCenter_nm(_ i: Int) -> Double { (uMin_A + (Double(i) + 0.5) * binSize_A) / 10 }
    /// Centre of z bin `i`, nm.
    public func zCenter_nm(_ i: Int) -> Double { (zMin_A + (Double(i) + 0.5) * binSize_A) / 10 }
}

/// A projected count map of one element on a `ProjectionGrid`.
public struct ProjectedMap: Sendable, Equatable {
    /// The binning.
    public let grid: ProjectionGrid
    /// Counts, row-major: index iz · nU + iu (nZ rows along the axis, nU columns across).
    public private(set) var counts: [Int32]
    /// Atoms that fell outside the grid since the last reset.
    public private(set) var outside: Int = 0

    /// An empty map on `grid`.
    public init(grid: ProjectionGrid) {
        self.grid = grid
        counts = [Int32](repeating: 0, count: grid.nU * grid.nZ)
    }

    /// Clears all counts.
    public mutating func reset() {
        counts.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        outside = 0
    }

    /// Adds one atom at (x, y, z) Å.
    public mutating func add(x: Double, y: Double, z: Double) {
        if let b = grid.bin(x: x, y: y, z: z) { counts[b] += 1 } else { outside += 1 }
    }

    /// Adds every atom of `positions` (Å) whose code equals `code`.
    /// - Complexity: O(positions.count), no allocation.
    public mutating func add(positions: UnsafeBufferPointer<SIMD3<Double>>, codes: UnsafeBufferPointer<UInt8>,
                             matching code: UInt8) {
        precondition(positions.count == codes.count, "ProjectedMap.add: \(positions.count) positions, \(codes.count) codes")
        let g = grid
        var out = 0
        counts.withUnsafeMutableBufferPointer { c in
            for i in 0..<positions.count where codes[i] == code {
                let p = positions[i]
                if let b = g.bin(x: p.x, y: p.y, z: p.z) { c[b] += 1 } else { out += 1 }
            }
        }
        outside += out
    }

    /// Array convenience for `add(positions:codes:matching:)`.
    public mutating func add(positions: [SIMD3<Double>], codes: [UInt8], matching code: UInt8) {
        positions.withUnsafeBufferPointer { p in codes.withUnsafeBufferPointer { c in add(positions: p, codes: c, matching: code) } }
    }

    /// Adds every atom of `positions` (Å), regardless of code.
    public mutating func add(positions: [SIMD3<Double>]) {
        for p in positions { add(x: p.x, y: p.y, z: p.z) }
    }

    /// Adds every cation site of `frame` whose code equals `code`.
    /// - Complexity: O(N), no allocation.
    public mutating func add(frame: CationFrame, codes: UnsafeBufferPointer<UInt8>, matching code: UInt8) {
        precondition(codes.count == frame.count, "ProjectedMap.add: \(codes.count) codes for \(frame.count) sites")
        let g = grid
        var out = 0
        counts.withUnsafeMutableBufferPointer { c in
            frame.x.withUnsafeBufferPointer { xs in
                frame.y.withUnsafeBufferPointer { ys in
                    frame.z.withUnsafeBufferPointer { zs in
                        for i in 0..<codes.count where codes[i] == code {
                            if let b = g.bin(x: xs[i], y: ys[i], z: zs[i]) { c[b] += 1 } else { out += 1 }
                        }
                    }
                }
            }
        }
        outside += out
    }

    /// Adds the cation sites of `frame` to two maps in one sweep: code `first` to `a`, code `second` to `b`.
    /// - Precondition: both maps share one grid.
    /// - Complexity: O(N), no allocation.
    public static func add(frame: CationFrame, codes: UnsafeBufferPointer<UInt8>, matching first: UInt8,
                           to a: inout ProjectedMap, matching second: UInt8, to b: inout ProjectedMap) {
        precondition(codes.count == frame.count, "ProjectedMap.add: \(codes.count) codes for \(frame.count) sites")
        precondition(a.grid == b.grid, "ProjectedMap.add: maps on different grids")
        let g = a.grid
        var outA = 0, outB = 0
        a.counts.withUnsafeMutableBufferPointer { ca in
            b.counts.withUnsafeMutableBufferPointer { cb in
                frame.withCoordinates { xs, ys, zs in
                    for i in 0..<codes.count {
                        let c = codes[i]
                        guard c == first || c == second else { continue }
                        if let bin = g.bin(x: xs[i], y: ys[i], z: zs[i]) {
                            if c == first { ca[bin] += 1 } else { cb[bin] += 1 }
                        } else if c == first { outA += 1 } else { outB += 1 }
                    }
                }
            }
        }
        a.outside += outA
        b.outside += outB
    }

    /// Count in bin (iz, iu).
    public subscript(iz: Int, iu: Int) -> Int32 { counts[iz * grid.nU + iu] }

    /// Total counts in the grid.
    public var total: Int { counts.reduce(0) { $0 + Int($1) } }

    /// Cross-wire intensity profile: counts summed over z, one value per u bin (length nU).
    public func acrossProfile() -> [Double] {
        var p = [Double](repeating: 0, count: grid.nU)
        for iz in 0..<grid.nZ {
            for iu in 0..<grid.nU { p[iu] += Double(counts[iz * grid.nU + iu]) }
        }
        return p
    }

    /// Axial profile: counts summed across, one value per z bin (length nZ).
    public func axialProfile() -> [Double] {
        var p = [Double](repeating: 0, count: grid.nZ)
        for iz in 0..<grid.nZ {
            for iu in 0..<grid.nU { p[iz] += Double(counts[iz * grid.nU + iu]) }
        }
        return p
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
