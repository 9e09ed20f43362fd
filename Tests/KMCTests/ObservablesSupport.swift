// Test support for the observables: a synthetic simple-cubic "wire" whose cation sites line up in
// columns along z (like wz/zb cation columns), with 6-neighbour connectivity.
@testable import KMC

/// Simple-cubic block of nx × ny × nz cation sites, spacing a (Å), site (i, j, k) at (i a, j a, k a).
struct CubicWire {
    let nx: Int, ny: Int, nz: Int
    let a: Double
    let frame: CationFrame

    init(nx: Int, ny: Int, nz: Int, a: Double = 3.0) throws {
        self.nx = nx; self.ny = ny; self.nz = nz; self.a = a
        var pos: [SIMD3<Double>] = []
        for k in 0..<nz { for j in 0..<ny { for i in 0..<nx {
            pos.append(SIMD3(Double(i) * a, Double(j) * a, Double(k) * a))
        } } }
        var off: [Int32] = [0], nb: [Int32] = []
        for k in 0..<nz { for j in 0..<ny { for i in 0..<nx {
            for (di, dj, dk) in [(-1, 0, 0), (1, 0, 0), (0, -1, 0), (0, 1, 0), (0, 0, -1), (0, 0, 1)] {
                let (u, v, w) = (i + di, j + dj, k + dk)
                if u >= 0, u < nx, v >= 0, v < ny, w >= 0, w < nz {
                    nb.append(Int32(w * nx * ny + v * nx + u))
                }
            }
            off.append(Int32(nb.count))
        } } }
        frame = try CationFrame(positions: pos, diameter_A: Double(nx) * a, length_A: Double(nz) * a,
                                neighborOffsets: off, neighbors: nb)
    }

    func index(_ i: Int, _ j: Int, _ k: Int) -> Int { k * nx * ny + j * nx + i }

    /// All-Cd codes.
    func pristine() -> [UInt8] { [UInt8](repeating: CationCodes.standard.cadmium, count: frame.count) }

    /// Sets Cu on every site of the box i ∈ is, j ∈ js, k ∈ ks.
    func exchange(_ codes: inout [UInt8], i is: ClosedRange<Int>, j js: ClosedRange<Int>, k ks: ClosedRange<Int>) {
        for k in ks { for j in js { for i in `is` { codes[index(i, j, k)] = CationCodes.standard.copper } } }
    }

    /// Fully exchanged layers ks (whole cross-section).
    func exchangeLayers(_ codes: inout [UInt8], _ ks: ClosedRange<Int>) {
        exchange(&codes, i: 0...(nx - 1), j: 0...(ny - 1), k: ks)
    }
}
