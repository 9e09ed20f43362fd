// Cell geometry for the force field: the cell matrix h = [a b c] (lattice vectors as columns),
// its inverse (rows are the reciprocal vectors without the 2π), perpendicular widths
// w_i = V / |a_j × a_k|, and fractional ↔ Cartesian conversion.
//
// Minimum image in a triclinic cell: if a displacement d has |d| < min_i w_i / 2 along the periodic
// axes, its fractional components s_i = d · b_i (b_i = row i of h⁻¹, |b_i| = 1/w_i) satisfy
// |s_i| ≤ |d|/w_i < 1/2, so rounding the fractional components picks exactly that image. The
// neighbour list does not rely on it: it enumerates every lattice translation within its radius.

/// Precomputed geometry of a `Cell`: matrix, inverse, reciprocal vectors, perpendicular widths.
///
/// Units: Å for lengths, Å⁻¹ for reciprocal vectors (without 2π). O(1) to build.
public struct CellGeometry: Sendable, Equatable {
    /// Lattice vectors a, b, c (Å): the columns of h.
    public let a: SIMD3<Double>, b: SIMD3<Double>, c: SIMD3<Double>
    /// Rows of h⁻¹ (Å⁻¹): b_i · a_j = δ_ij. The crystallographic reciprocal vectors without 2π.
    public let ra: SIMD3<Double>, rb: SIMD3<Double>, rc: SIMD3<Double>
    /// Cell volume |det h| in Å³.
    public let volume: Double
    /// Perpendicular widths w_i = 1/|b_i| in Å: the distance between the two faces spanned by the
    /// other two lattice vectors.
    public let widths: SIMD3<Double>
    /// Periodicity along a, b, c as a mask (1 = periodic).
    public let periodicMask: SIMD3<Double>
    /// Periodicity along a, b, c.
    public let periodic: (Bool, Bool, Bool)

    /// Builds the geometry of `cell`.
    /// - Throws: `ForceFieldError.invalidCell` if the lattice vectors are (nearly) linearly dependent.
    public init(_ cell: Cell) throws {
        a = cell.a; b = cell.b; c = cell.c; periodic = cell.periodic
        let bxc = ffCross(b, c), cxa = ffCross(c, a), axb = ffCross(a, b)
        let det = ffDot(a, bxc)
        let scale = (a * a).sum().squareRoot() * (b * b).sum().squareRoot() * (c * c).sum().squareRoot()
        guard det.isFinite, scale > 0, abs(det) > 1e-12 * scale else {
            throw ForceFieldError.invalidCell("lattice vectors a=\(cell.a) b=\(cell.b) c=\(cell.c) are linearly dependent (det = \(det) Å³)")
        }
        ra = bxc / det; rb = cxa / det; rc = axb / det
        volume = abs(det)
        widths = SIMD3(1 / ffNorm(ra), 1 / ffNorm(rb), 1 / ffNorm(rc))
        periodicMask = SIMD3(cell.periodic.0 ? 1 : 0, cell.periodic.1 ? 1 : 0, cell.periodic.2 ? 1 : 0)
    }

    public static func == (l: CellGeometry, r: CellGeometry) -> Bool {
        l.a == r.a && l.b == r.b && l.c == r.c && l.periodicMask == r.periodicMask
    }

    /// True when all three axes are periodic.
    public var isFullyPeriodic: Bool { periodic.0 && periodic.1 && periodic.2 }
    /// True when no axis is periodic.
    public var isNonPeriodic: Bool { !periodic.0 && !periodic.1 && !periodic.2 }

    /// Fractional coordinates s = h⁻¹ r of a Cartesian point (Å → dimensionless).
    @inline(__always) public func fractional(_ r: SIMD3<Double>) -> SIMD3<Double> {
        SIMD3(ffDot(ra, r), ffDot(rb, r), ffDot(rc, r))
    }
    /// Cartesian point h s of fractional coordinates (dimensionless → Å).
    @inline(__always) public func cartesian(_ s: SIMD3<Double>) -> SIMD3<Double> {
        a * s.x + b * s.y + c * s.z
    }
    /// Minimum-image displacement of `d` (Å) along the periodic axes (exact when |result| < min w_i/2).
    @inline(__always) public func minimumImage(_ d: SIMD3<Double>) -> SIMD3<Double> {
        var s = fractional(d)
        s -= (s.rounded(.toNearestOrEven)) * periodicMask
        return cartesian(s)
    }
    /// Smallest perpendicular width over the periodic axes (Å); +∞ when no axis is periodic.
    public var smallestPeriodicWidth: Double {
        var w = Double.infinity
        if periodic.0 { w = min(w, widths.x) }
        if periodic.1 { w = min(w, widths.y) }
        if periodic.2 { w = min(w, widths.z) }
        return w
    }
}

@inline(__always) func ffDot(_ u: SIMD3<Double>, _ v: SIMD3<Double>) -> Double { (u * v).sum() }
@inline(__always) func ffNorm(_ u: SIMD3<Double>) -> Double { (u * u).sum().squareRoot() }
@inline(__always) func ffCross(_ u: SIMD3<Double>, _ v: SIMD3<Double>) -> SIMD3<Double> {
    SIMD3(u.y * v.z - u.z * v.y, u.z * v.x - u.x * v.z, u.x * v.y - u.y * v.x)
}
