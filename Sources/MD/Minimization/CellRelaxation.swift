// Lattice-parameter relaxation by nested minimisation: an outer damped Newton iteration over cell
// scale factors s (isotropic: one s for a, b, c; axial: s_ab for a and b, s_c for c — hexagonal or
// tetragonal cells), on E(s) = min over atom positions (inner `Relaxation.relax`, SD + CG through
// GSL) at the affinely scaled cell (fractional coordinates kept, then relaxed). Gradient and
// Hessian of E(s) by central differences with step h (1 + 2·dim + 4·[dim = 2] inner relaxations
// per iteration); the Newton step is capped at `maxStep` per component (steepest descent of that
// length when the Hessian is not positive definite). Stops when |∇E| < `gradientTolerance_eV` or
// the step is below 1e-7. Chosen over a virial route because it needs only energies and forces
// (any `PotentialEnergySurface`), internal coordinates (wz's u) relax on the way, and a capped
// Newton step cannot run the cell away (a plain line-search minimiser on E(s), whose curvature is
// ~10³ eV, can overshoot to cells smaller than the force field's cutoff).

import Foundation

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

    /// Minimises E over the cell scale factors and atom positions (see the file header).
    public static func relax<P: PotentialEnergySurface>(
        _ configuration: Configuration, surface: inout P, dof: CellDegreesOfFreedom,
        inner: RelaxationOptions = RelaxationOptions(forceTolerance_eV_per_A: 1e-4),
        gradientTolerance_eV: Double = 1e-3, h: Double = 1e-3, maxStep: Double = 0.02, maxIterations: Int = 30
    ) throws -> CellRelaxationResult {
        let box = SurfaceBox(surface)
        defer { surface = box.surface }
        let start = try Relaxation.relax(configuration, surface: &box.surface, options: inner).configuration
        let dim = dof == .isotropic ? 1 : 2
        func energy(_ s: [Double]) throws -> Double {
            try Relaxation.relax(scaled(start, dof, s), surface: &box.surface, options: inner).energy
        }
        var s = Array(repeating: 1.0, count: dim)
        var gnorm = Double.infinity
        var it = 0
        while it < maxIterations {
            it += 1
            let e0 = try energy(s)
            var g = [Double](repeating: 0, count: dim), hd = [Double](repeating: 0, count: dim)
            for k in 0..<dim {
                var p = s, m = s
                p[k] += h; m[k] -= h
                let ep = try energy(p), em = try energy(m)
                g[k] = (ep - em) / (2 * h)
                hd[k] = (ep - 2 * e0 + em) / (h * h)
            }
            gnorm = g.reduce(0) { $0 + $1 * $1 }.squareRoot()
            if gnorm < gradientTolerance_eV { break }
            var step: [Double]
            if dim == 1 {
                step = hd[0] > 0 ? [-g[0] / hd[0]] : [-maxStep * (g[0] > 0 ? 1 : -1)]
            } else {
                let epp = try energy([s[0] + h, s[1] + h]), emm = try energy([s[0] - h, s[1] - h])
                let epm = try energy([s[0] + h, s[1] - h]), emp = try energy([s[0] - h, s[1] + h])
                let h12 = (epp - epm - emp + emm) / (4 * h * h)
                let det = hd[0] * hd[1] - h12 * h12
                if hd[0] > 0 && det > 0 {
                    step = [-(hd[1] * g[0] - h12 * g[1]) / det, -(-h12 * g[0] + hd[0] * g[1]) / det]
                } else {
                    step = g.map { -maxStep * $0 / gnorm }
                }
            }
            let biggest = step.map(abs).max() ?? 0
            if biggest > maxStep { step = step.map { $0 * maxStep / biggest } }
            for k in 0..<dim { s[k] += step[k] }
            if biggest < 1e-7 { break }
        }
        let final = try Relaxation.relax(scaled(start, dof, s), surface: &box.surface, options: inner)
        return CellRelaxationResult(configuration: final.configuration, energy: final.energy, scales: s,
                                    iterations: it, gradientNorm: gnorm)
    }
}
