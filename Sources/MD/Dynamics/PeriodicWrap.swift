// Cell arithmetic used by the integrators, paths and structure builders: Cartesian ↔ fractional
// coordinates and wrapping into the cell along its periodic directions.
//
// r = f_a·a + f_b·b + f_c·c  ⇔  f = H⁻¹ r with H = [a b c] (columns). H⁻¹ is formed from cross
// products: row_a = (b × c)/V, row_b = (c × a)/V, row_c = (a × b)/V with V = a·(b × c).

/// Fractional/Cartesian conversion and wrapping for a `Cell` (triclinic allowed).
public struct PeriodicWrap: Sendable {
    /// The cell.
    public let cell: Cell
    @usableFromInline let ra: SIMD3<Double>, rb: SIMD3<Double>, rc: SIMD3<Double>

    /// Precomputes the reciprocal rows of `cell`. O(1).
    public init(_ cell: Cell) {
        self.cell = cell
        func cross(_ u: SIMD3<Double>, _ v: SIMD3<Double>) -> SIMD3<Double> {
            [u.y * v.z - u.z * v.y, u.z * v.x - u.x * v.z, u.x * v.y - u.y * v.x]
        }
        let bc = cross(cell.b, cell.c)
        let v = (cell.a * bc).sum()
        ra = bc / v
        rb = cross(cell.c, cell.a) / v
        rc = cross(cell.a, cell.b) / v
    }

    /// Fractional coordinates of Cartesian `r` (Å).
    @inlinable public func fractional(_ r: SIMD3<Double>) -> SIMD3<Double> {
        [(ra * r).sum(), (rb * r).sum(), (rc * r).sum()]
    }

    /// Cartesian position (Å) of fractional coordinates `f`.
    @inlinable public func cartesian(_ f: SIMD3<Double>) -> SIMD3<Double> {
        f.x * cell.a + f.y * cell.b + f.z * cell.c
    }

    /// `r` moved into the cell [0,1) along periodic directions (unchanged along open ones).
    @inlinable public func wrap(_ r: SIMD3<Double>) -> SIMD3<Double> {
        var f = fractional(r)
        if cell.periodic.0 { f.x -= f.x.rounded(.down) }
        if cell.periodic.1 { f.y -= f.y.rounded(.down) }
        if cell.periodic.2 { f.z -= f.z.rounded(.down) }
        return cartesian(f)
    }

    /// Minimum-image form of the displacement `d` (Å), exact for cells whose angles are not too
    /// oblique (rounds fractional components to the nearest integer).
    @inlinable public func minimumImage(_ d: SIMD3<Double>) -> SIMD3<Double> {
        var f = fractional(d)
        if cell.periodic.0 { f.x -= f.x.rounded() }
        if cell.periodic.1 { f.y -= f.y.rounded() }
        if cell.periodic.2 { f.z -= f.z.rounded() }
        return cartesian(f)
    }

    /// Minimum-image distance between `p` and `q` (Å).
    @inlinable public func distance(_ p: SIMD3<Double>, _ q: SIMD3<Double>) -> Double {
        let d = minimumImage(q - p)
        return (d * d).sum().squareRoot()
    }
}

extension Configuration {
    /// Copy with every position wrapped into the cell along periodic directions.
    public func wrapped() -> Configuration {
        let w = PeriodicWrap(cell)
        var c = self
        for i in c.positions.indices { c.positions[i] = w.wrap(c.positions[i]) }
        return c
    }
}
