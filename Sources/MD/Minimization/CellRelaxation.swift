// Lattice-parameter relaxation by nested minimisation: an outer GSL BFGS minimiser over cell
// scale factors s (isotropic: one s for a, b, c; axial: s_ab for a and b, s_c for c — hexagonal or
// tetragonal cells), with the energy E(s) = min over atom positions (inner `Relaxation.relax`) at
// the affinely scaled cell (fractional coordinates kept, then relaxed). The outer gradient
// dE/ds is taken by central differences (step h, default 1e-4), each difference point relaxed
// from the same fractional start. Chosen over a virial route because it needs only energies and
// forces (any `PotentialEnergySurface`) and internal coordinates (wz's u) relax on the way.
// Cost: (1 + 2·dim) inner relaxations per outer gradient.

import Foundation
import GSL

/// Which cell degrees of freedom the outer minimiser varies.
public enum CellDegreesOfFreedom: String, Sendable, Codable {
    /// One scale factor for all three vectors (cubic cells).
    case isotropic
    /// s_ab scales a and b, s_c scales c (hexagonal/tetragonal cells).
    case axial
}

/// Result of `CellRelaxation.relax`.
public struct CellRelaxationResult: Sendable {
    /// Relaxed configuration in the relaxed cell.
    public var configuration: Configuration
    /// Energy at the relaxed cell, eV.
    public var energy: Double
    /// Final scale factors relative to the input cell.
    public var scales: [Double]
    /// Outer iterations.
    public var iterations: Int
    /// Outer gradient norm |dE/ds| at the end, eV.
    public var gradientNorm: Double
}

/// Cell + atom relaxation (nested).
public enum CellRelaxation {
    /// Configuration scaled by `scales` (fractional coordinates kept).
    public static func scaled(_ c: Configuration, _ dof: CellDegreesOfFreedom, _ s: [Double]) -> Configuration {
        let w = PeriodicWrap(c.cell)
        var out = c
        let sab = s[0], sc = dof == .isotropic ? s[0] : s[1]
        out.cell.a *= sab; out.cell.b *= sab; out.cell.c *= sc
        let w2 = PeriodicWrap(out.cell)
        for i in out.positions.indices { out.positions[i] = w2.cartesian(w.fractional(c.positions[i])) }
        return out
    }

    /// Minimises E over the cell scale factors and atom positions. Outer stop: |dE/ds| <
    /// `gradientTolerance_eV` (eV per unit relative strain).
    public static func relax<P: PotentialEnergySurface>(
        _ configuration: Configuration, surface: inout P, dof: CellDegreesOfFreedom,
        inner: RelaxationOptions = RelaxationOptions(forceTolerance_eV_per_A: 1e-4),
        gradientTolerance_eV: Double = 1e-3, h: Double = 1e-4, maxIterations: Int = 40
    ) throws -> CellRelaxationResult {
        let box = SurfaceBox(surface)
        defer { surface = box.surface }
        // Start each inner relaxation from the atoms relaxed at the input cell.
        var start = try Relaxation.relax(configuration, surface: &box.surface, options: inner).configuration
        let dim = dof == .isotropic ? 1 : 2
        func energy(_ s: [Double]) -> Double {
            let c = scaled(start, dof, s)
            return (try? Relaxation.relax(c, surface: &box.surface, options: inner).energy) ?? .infinity
        }
        let x0 = Array(repeating: 1.0, count: dim)
        let fdf: ([Double], inout [Double]) -> Double = { s, g in
            if g.count != s.count { g = Array(repeating: 0, count: s.count) }
            for k in 0..<s.count {
                var p = s, m = s
                p[k] += h; m[k] -= h
                g[k] = (energy(p) - energy(m)) / (2 * h)
            }
            return energy(s)
        }
        let r = try Minimizer.minimize(x0: x0, method: .bfgs2, stepSize: 0.01, lineTolerance: 0.1,
                                       gradientTolerance: gradientTolerance_eV, maxIterations: maxIterations, fdf: fdf)
        start = scaled(start, dof, r.x)
        let final = try Relaxation.relax(start, surface: &box.surface, options: inner)
        return CellRelaxationResult(configuration: final.configuration, energy: final.energy, scales: r.x,
                                    iterations: r.iterations, gradientNorm: r.gradientNorm)
    }
}
