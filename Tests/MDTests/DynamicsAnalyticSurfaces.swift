// Analytic potential-energy surfaces for the dynamics, minimisation and path tests.
import Foundation
@testable import MD

/// Each atom i sits in its own well E_i = ½ k_i |r − a_i|² + c |r − a_i|⁴ (eV, Å).
struct AnharmonicWells: PotentialEnergySurface {
    var anchors: [SIMD3<Double>]
    var k: [Double]
    var quartic: Double = 0
    mutating func energyAndForces(_ c: Configuration, forces: inout [SIMD3<Double>]) -> Double {
        if forces.count != c.count { forces = Array(repeating: .zero, count: c.count) }
        var e = 0.0
        for i in 0..<c.count {
            let d = c.positions[i] - anchors[i]
            let r2 = (d * d).sum()
            e += 0.5 * k[i] * r2 + quartic * r2 * r2
            forces[i] = -(k[i] + 4 * quartic * r2) * d
        }
        return e
    }
}

/// Plain Lennard-Jones cluster, all pairs, no cutoff, open boundaries.
struct LJCluster: PotentialEnergySurface {
    var epsilon = 0.1, sigma = 2.5
    mutating func energyAndForces(_ c: Configuration, forces: inout [SIMD3<Double>]) -> Double {
        forces = Array(repeating: .zero, count: c.count)
        var e = 0.0
        for i in 0..<c.count {
            for j in (i + 1)..<c.count {
                let d = c.positions[j] - c.positions[i]
                let r2 = (d * d).sum()
                let s6 = pow(sigma * sigma / r2, 3)
                e += 4 * epsilon * (s6 * s6 - s6)
                let fr = 24 * epsilon * (2 * s6 * s6 - s6) / r2   // −dE/dr / r
                forces[j] += fr * d
                forces[i] -= fr * d
            }
        }
        return e
    }
}

/// Harmonic springs between listed pairs (minimum image in the cell), with per-axis rest lengths:
/// a pair along x has rest length rest.x, etc. The relaxed cell has exactly those edge lengths.
struct SpringLattice: PotentialEnergySurface {
    var pairs: [(Int, Int, Int)]   // (i, j, axis)
    var rest: SIMD3<Double>
    var k = 2.0
    mutating func energyAndForces(_ c: Configuration, forces: inout [SIMD3<Double>]) -> Double {
        forces = Array(repeating: .zero, count: c.count)
        let w = PeriodicWrap(c.cell)
        var e = 0.0
        for (i, j, axis) in pairs {
            let d = w.minimumImage(c.positions[j] - c.positions[i])
            let r = (d * d).sum().squareRoot()
            let r0 = rest[axis]
            e += 0.5 * k * (r - r0) * (r - r0)
            let f = -k * (r - r0) / r * d
            forces[j] += f
            forces[i] -= f
        }
        return e
    }

    /// Simple-cubic n×n×n lattice with spacing `s` and springs between nearest neighbours.
    static func build(n: Int, spacing s: SIMD3<Double>, rest: SIMD3<Double>) -> (Configuration, SpringLattice) {
        var pos = [SIMD3<Double>]()
        func idx(_ i: Int, _ j: Int, _ k: Int) -> Int { ((i % n) * n + (j % n)) * n + (k % n) }
        var pairs = [(Int, Int, Int)]()
        for i in 0..<n { for j in 0..<n { for k in 0..<n {
            pos.append(SIMD3(Double(i) * s.x, Double(j) * s.y, Double(k) * s.z) + 0.01 * SIMD3(Double(j % 2), Double(k % 3), Double(i % 2)))
            pairs += [(idx(i, j, k), idx(i + 1, j, k), 0), (idx(i, j, k), idx(i, j + 1, k), 1), (idx(i, j, k), idx(i, j, k + 1), 2)]
        } } }
        let cell = Cell.orthorhombic(Double(n) * s)
        return (Configuration(species: Array(repeating: .Cu, count: pos.count), positions: pos, cell: cell),
                SpringLattice(pairs: pairs, rest: rest))
    }
}

/// Müller–Brown surface (Müller & Brown 1979, DOI 10.1007/BF00547608).
enum MullerBrown {
    static let A = [-200.0, -100, -170, 15], a = [-1.0, -1, -6.5, 0.7], b = [0.0, 0, 11, 0.6]
    static let c = [-10.0, -10, -6.5, 0.7], x0 = [1.0, 0, -0.5, -1], y0 = [0.0, 0.5, 1.5, 1]
    static func fdf(_ p: [Double], _ g: inout [Double]) -> Double {
        let (e, gx, gy, _, _, _) = eval(p[0], p[1])
        if g.count != 2 { g = [0, 0] }
        g[0] = gx; g[1] = gy
        return e
    }
    /// Energy, gradient and Hessian (xx, xy, yy).
    static func eval(_ x: Double, _ y: Double) -> (Double, Double, Double, Double, Double, Double) {
        var e = 0.0, gx = 0.0, gy = 0.0, hxx = 0.0, hxy = 0.0, hyy = 0.0
        for k in 0..<4 {
            let dx = x - x0[k], dy = y - y0[k]
            let t = A[k] * exp(a[k] * dx * dx + b[k] * dx * dy + c[k] * dy * dy)
            let px = 2 * a[k] * dx + b[k] * dy, py = b[k] * dx + 2 * c[k] * dy
            e += t; gx += t * px; gy += t * py
            hxx += t * (px * px + 2 * a[k]); hxy += t * (px * py + b[k]); hyy += t * (py * py + 2 * c[k])
        }
        return (e, gx, gy, hxx, hxy, hyy)
    }
    /// Newton iteration on ∇E = 0 (finds minima and saddles alike).
    static func stationaryPoint(near p: (Double, Double)) -> (Double, Double) {
        var (x, y) = p
        for _ in 0..<100 {
            let (_, gx, gy, hxx, hxy, hyy) = eval(x, y)
            let det = hxx * hyy - hxy * hxy
            let dx = (hyy * gx - hxy * gy) / det, dy = (-hxy * gx + hxx * gy) / det
            x -= dx; y -= dy
            if abs(dx) + abs(dy) < 1e-14 { break }
        }
        return (x, y)
    }
}
