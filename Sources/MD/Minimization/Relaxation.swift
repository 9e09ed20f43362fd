// Energy minimisation: steepest descent, then conjugate gradients (Polak–Ribière), both through
// GSL's multimin (`GSL.Minimizer`) — the paper's "combination of the steepest-descent and
// conjugate-gradient algorithms".
//
// Stopping rule (stated once, used everywhere): converged when the largest force on any free
// atom, max_i |F_i| (|·| over the atom's 3 components; for a flat coordinate vector, over groups of
// `groupSize` components), is below `forceTolerance_eV_per_A`. GSL's own test (‖g‖₂ < tol over all
// free coordinates) is at least as strict (‖g‖₂ ≥ max_i |F_i|), so CG runs in chunks with that test
// and the max-force criterion is checked between chunks (each chunk restarts CG, which is
// harmless). GSL may report "no progress" at the round-off floor: the best point is kept and a
// FIRE descent (Bitzek et al. 2006, DOI 10.1103/PhysRevLett.97.170201) finishes the job.

import CekmcCore
import Foundation
import GSL

/// Options of the minimisers.
public struct RelaxationOptions: Sendable {
    /// Converged when max_i |F_i| < this, eV/Å.
    public var forceTolerance_eV_per_A: Double = 1e-3
    /// Steepest-descent iterations before conjugate gradients.
    public var steepestDescentIterations: Int = 30
    /// Conjugate-gradient iteration budget (total over chunks).
    public var maxIterations: Int = 5000
    /// Iterations per CG chunk between max-force checks.
    public var chunk: Int = 250
    /// Initial trial step of the GSL line minimiser, Å.
    public var stepSize_A: Double = 0.02
    /// GSL line-search tolerance.
    public var lineTolerance: Double = 0.1
    /// CG flavour (GSL method).
    public var method: Minimizer.Method = .conjugatePR
    /// Defaults as documented on each property.
    public init() {}
    /// Options with a given force tolerance (eV/Å) and CG budget.
    public init(forceTolerance_eV_per_A: Double, maxIterations: Int = 5000) {
        self.forceTolerance_eV_per_A = forceTolerance_eV_per_A
        self.maxIterations = maxIterations
    }
}

/// Outcome of a relaxation.
public struct RelaxationResult: Sendable {
    /// Relaxed configuration.
    public var configuration: Configuration
    /// Final potential energy, eV.
    public var energy: Double
    /// Final max_i |F_i| over free atoms, eV/Å.
    public var maxForce: Double
    /// Minimiser iterations used.
    public var iterations: Int
    /// Whether max |F| < tolerance.
    public var converged: Bool
}

/// Holds a surface so escaping GSL callbacks can use it.
final class SurfaceBox<P: PotentialEnergySurface> {
    var surface: P
    init(_ s: P) { surface = s }
}

/// Minimisation of a function of a flat coordinate vector (the engine under `Relaxation`).
public enum FlatMinimizer {
    /// Result: minimiser, value, max group gradient norm, iterations, converged.
    public struct Result: Sendable {
        /// Final point.
        public var x: [Double]
        /// Value (function value, or the measured value), in the caller's units.
        public var value: Double
        /// Largest group norm of the gradient at the final point.
        public var maxGroupGradient: Double
        /// Iterations used.
        public var iterations: Int
        /// Whether the tolerance was met.
        public var converged: Bool
    }

    /// Largest Euclidean norm over consecutive groups of `groupSize` components of `g`.
    public static func maxGroupNorm(_ g: [Double], groupSize: Int) -> Double {
        var m = 0.0, k = 0
        while k < g.count {
            var s = 0.0
            for j in k..<min(k + groupSize, g.count) { s += g[j] * g[j] }
            m = max(m, s.squareRoot()); k += groupSize
        }
        return m
    }

    /// SD then CG (GSL), then FIRE if GSL stalls; stops when the max group gradient norm is below
    /// the tolerance. `fdf(x, &g)` returns f and fills g = ∇f. Cost O(iterations × fdf).
    public static func minimize(x0: [Double], groupSize: Int = 3, options: RelaxationOptions,
                                fdf: @escaping ([Double], inout [Double]) -> Double) -> Result {
        let tol = options.forceTolerance_eV_per_A
        var x = x0
        var g = Array(repeating: 0.0, count: x.count)
        if x.isEmpty { return Result(x: x, value: fdf(x, &g), maxGroupGradient: 0, iterations: 0, converged: true) }
        var f = fdf(x, &g)
        var iterations = 0
        func accept(_ r: Minimizer.Result) -> Bool {
            guard r.value <= f + 1e-12, r.x.allSatisfy(\.isFinite) else { return false }
            let progressed = r.value < f - 1e-12
            x = r.x
            f = fdf(x, &g)
            return progressed
        }
        if options.steepestDescentIterations > 0 && maxGroupNorm(g, groupSize: groupSize) >= tol {
            if let r = try? Minimizer.minimize(x0: x, method: .steepestDescent, stepSize: options.stepSize_A,
                                               lineTolerance: options.lineTolerance, gradientTolerance: tol,
                                               maxIterations: options.steepestDescentIterations, fdf: fdf) {
                iterations += r.iterations
                _ = accept(r)
            }
        }
        var stalls = 0
        while iterations < options.maxIterations && maxGroupNorm(g, groupSize: groupSize) >= tol && stalls < 2 {
            let budget = min(options.chunk, options.maxIterations - iterations)
            if let r = try? Minimizer.minimize(x0: x, method: options.method, stepSize: options.stepSize_A,
                                               lineTolerance: options.lineTolerance, gradientTolerance: tol,
                                               maxIterations: budget, fdf: fdf) {
                iterations += max(r.iterations, 1)
                stalls = accept(r) ? 0 : stalls + 1
            } else {
                iterations += 1
                stalls += 1
            }
        }
        if maxGroupNorm(g, groupSize: groupSize) >= tol && iterations < options.maxIterations {
            let r = FIRE.minimize(x0: x, groupSize: groupSize, tolerance: tol,
                                  maxIterations: options.maxIterations - iterations, fdf: fdf)
            iterations += r.iterations
            if r.value <= f + 1e-9 { x = r.x; f = fdf(x, &g) }
        }
        let m = maxGroupNorm(g, groupSize: groupSize)
        return Result(x: x, value: f, maxGroupGradient: m, iterations: iterations, converged: m < tol)
    }
}

/// FIRE descent (Bitzek, Koskinen, Gähler, Moseler, Gumbsch 2006, DOI
/// 10.1103/PhysRevLett.97.170201), unit masses; used as fallback and as the NEB optimiser.
public enum FIRE {
    /// Minimises f from x0 until the max group norm of ∇f < tolerance.
    public static func minimize(x0: [Double], groupSize: Int, tolerance: Double, maxIterations: Int,
                                dtStart: Double = 0.02, dtMax: Double = 0.2,
                                fdf: ([Double], inout [Double]) -> Double) -> FlatMinimizer.Result {
        var x = x0, g = Array(repeating: 0.0, count: x0.count)
        var v = Array(repeating: 0.0, count: x0.count)
        var f = fdf(x, &g)
        var dt = dtStart, alpha = 0.1, positive = 0
        var it = 0
        while it < maxIterations && FlatMinimizer.maxGroupNorm(g, groupSize: groupSize) >= tolerance {
            it += 1
            var p = 0.0, vv = 0.0, ff = 0.0
            for k in x.indices { p -= v[k] * g[k]; vv += v[k] * v[k]; ff += g[k] * g[k] }
            if p > 0 {
                let s = (vv / max(ff, 1e-300)).squareRoot()
                for k in x.indices { v[k] = (1 - alpha) * v[k] - alpha * s * g[k] }
                positive += 1
                if positive > 5 { dt = min(dt * 1.1, dtMax); alpha *= 0.99 }
            } else {
                for k in v.indices { v[k] = 0 }
                dt *= 0.5; alpha = 0.1; positive = 0
            }
            // Semi-implicit Euler with a cap on the largest group displacement (0.1 length units).
            for k in x.indices { v[k] -= dt * g[k] }
            var maxStep = 0.0
            for k in x.indices { maxStep = max(maxStep, abs(dt * v[k])) }
            let cap = maxStep > 0.1 ? 0.1 / maxStep : 1
            for k in x.indices { x[k] += cap * dt * v[k] }
            f = fdf(x, &g)
        }
        let m = FlatMinimizer.maxGroupNorm(g, groupSize: groupSize)
        return .init(x: x, value: f, maxGroupGradient: m, iterations: it, converged: m < tolerance)
    }
}

/// Atomic-position minimisation on a `PotentialEnergySurface`.
public enum Relaxation {
    /// Relaxes the atoms not marked in `fixed` (per atom; nil = all free), keeping the cell.
    /// Converged when max_i |F_i| over free atoms < `options.forceTolerance_eV_per_A`.
    /// Cost: O(iterations × force call).
    public static func relax<P: PotentialEnergySurface>(
        _ configuration: Configuration, surface: inout P, fixed: [Bool]? = nil,
        options: RelaxationOptions = RelaxationOptions()
    ) throws -> RelaxationResult {
        let free: [Int] = (0..<configuration.count).filter { fixed?[$0] != true }
        let box = SurfaceBox(surface)
        defer { surface = box.surface }
        var x0 = [Double](); x0.reserveCapacity(3 * free.count)
        for i in free { let p = configuration.positions[i]; x0 += [p.x, p.y, p.z] }
        let template = configuration
        let fdf: ([Double], inout [Double]) -> Double = { x, g in
            var c = template
            for (k, i) in free.enumerated() { c.positions[i] = SIMD3(x[3 * k], x[3 * k + 1], x[3 * k + 2]) }
            var f: [SIMD3<Double>] = []
            let e = box.surface.energyAndForces(c, forces: &f)
            if g.count != x.count { g = Array(repeating: 0, count: x.count) }
            for (k, i) in free.enumerated() { g[3 * k] = -f[i].x; g[3 * k + 1] = -f[i].y; g[3 * k + 2] = -f[i].z }
            return e
        }
        let r = FlatMinimizer.minimize(x0: x0, groupSize: 3, options: options, fdf: fdf)
        var out = configuration
        for (k, i) in free.enumerated() { out.positions[i] = SIMD3(r.x[3 * k], r.x[3 * k + 1], r.x[3 * k + 2]) }
        return RelaxationResult(configuration: out, energy: r.value, maxForce: r.maxGroupGradient,
                                iterations: r.iterations, converged: r.converged)
    }
}
