// Climbing-image nudged elastic band (Henkelman, Uberuaga, Jónsson 2000, DOI 10.1063/1.1329672)
// with the improved tangent (Henkelman & Jónsson 2000, DOI 10.1063/1.1323224).
//
// Images R_0 … R_{M+1} (end points fixed). Tangent τ_i: towards the higher-energy neighbour
// (R_{i+1} − R_i if E_{i+1} > E_i > E_{i−1}, R_i − R_{i−1} if E_{i+1} < E_i < E_{i−1}); at extrema
// a mix of both weighted by ΔV_max = max(|E_{i+1}−E_i|, |E_{i−1}−E_i|) and ΔV_min = min(…), the
// larger weight on the higher neighbour; then normalised. Force on image i:
//   F_i = −∇E_i + (∇E_i·τ_i) τ_i + k (|R_{i+1} − R_i| − |R_i − R_{i−1}|) τ_i,
// and for the climbing image (highest energy, switched on once the band has roughly converged)
//   F_c = −∇E_c + 2 (∇E_c·τ_c) τ_c   (no spring).
// All intermediate images are optimised together by FIRE; converged when the largest group norm
// (per atom: 3 components) of any image's force is below the tolerance. The climbing image then
// sits on the saddle point, whose energy minus E_0 is the barrier.

import Foundation

/// Result of a NEB calculation.
public struct NEBResult: Sendable {
    /// Coordinates of every image (end points included).
    public var images: [[Double]]
    /// Absolute energy of every image.
    public var energies: [Double]
    /// Index of the climbing image.
    public var climbingImage: Int
    /// E_climbing − E_0 (the forward barrier).
    public var barrier: Double { energies[climbingImage] - energies[0] }
    /// E_last − E_0.
    public var deltaE: Double { energies[energies.count - 1] - energies[0] }
    /// Optimiser iterations.
    public var iterations: Int
    /// Final max group norm of the NEB force.
    public var maxForce: Double
    /// Whether it met the tolerance.
    public var converged: Bool
}

/// Options of `NEB.run`.
public struct NEBOptions: Sendable {
    /// Number of intermediate (movable) images.
    public var intermediateImages: Int = 7
    /// Spring constant, energy per length² (eV/Å²).
    public var springConstant: Double = 1.0
    /// Convergence: max group norm of the NEB force (eV/Å).
    public var forceTolerance: Double = 1e-3
    /// Climbing starts once the max force is below this multiple of the tolerance (or after
    /// `climbAfter` iterations).
    public var climbFactor: Double = 20
    /// Iteration after which climbing starts in any case.
    public var climbAfter: Int = 500
    /// Iteration budget.
    public var maxIterations: Int = 20_000
    /// Components per group in the force norm (3 for atoms).
    public var groupSize: Int = 3
    /// FIRE maximal time step (length units per unit force scale).
    public var dtMax: Double = 0.1
    /// FIRE largest move of one coordinate per step.
    public var maxStep: Double = 0.05
    /// Defaults as documented on each property.
    public init() {}
}

/// Climbing-image NEB on a flat coordinate space.
public enum NEB {
    /// Runs CI-NEB between `start` and `end` (both kept fixed; they should be minima), images
    /// initialised on the straight line. `fdf(x, &g)` returns E and fills ∇E.
    /// Cost: iterations × intermediate images × fdf.
    public static func run(start: [Double], end: [Double], options: NEBOptions = NEBOptions(),
                           fdf: ([Double], inout [Double]) -> Double) -> NEBResult {
        let m = options.intermediateImages, n = start.count
        precondition(m >= 1 && end.count == n)
        var images = (0...(m + 1)).map { i -> [Double] in
            let l = Double(i) / Double(m + 1)
            return (0..<n).map { start[$0] + l * (end[$0] - start[$0]) }
        }
        var energies = [Double](repeating: 0, count: m + 2)
        var grads = [[Double]](repeating: [Double](repeating: 0, count: n), count: m + 2)
        energies[0] = fdf(images[0], &grads[0])
        energies[m + 1] = fdf(images[m + 1], &grads[m + 1])
        var vel = [[Double]](repeating: [Double](repeating: 0, count: n), count: m + 2)
        var forces = vel
        var climbing = false, climber = 1
        var dt = 0.1 * options.dtMax, alpha = 0.1, positive = 0
        var it = 0
        var maxF = Double.infinity

        func computeForces() {
            for i in 1...m { energies[i] = fdf(images[i], &grads[i]) }
            climber = (1...m).max { energies[$0] < energies[$1] }!
            maxF = 0
            for i in 1...m {
                let ep = energies[i + 1], e = energies[i], em = energies[i - 1]
                var tp = [Double](repeating: 0, count: n), tm = tp
                for k in 0..<n { tp[k] = images[i + 1][k] - images[i][k]; tm[k] = images[i][k] - images[i - 1][k] }
                var tau: [Double]
                if ep > e && e > em { tau = tp }
                else if ep < e && e < em { tau = tm }
                else {
                    let dmax = max(abs(ep - e), abs(em - e)), dmin = min(abs(ep - e), abs(em - e))
                    tau = ep > em ? (0..<n).map { tp[$0] * dmax + tm[$0] * dmin }
                                  : (0..<n).map { tp[$0] * dmin + tm[$0] * dmax }
                }
                let norm = tau.reduce(0) { $0 + $1 * $1 }.squareRoot()
                if norm > 0 { for k in 0..<n { tau[k] /= norm } }
                let g = grads[i]
                var gt = 0.0
                for k in 0..<n { gt += g[k] * tau[k] }
                if climbing && i == climber {
                    for k in 0..<n { forces[i][k] = -g[k] + 2 * gt * tau[k] }
                } else {
                    let lp = tp.reduce(0) { $0 + $1 * $1 }.squareRoot()
                    let lm = tm.reduce(0) { $0 + $1 * $1 }.squareRoot()
                    let s = options.springConstant * (lp - lm)
                    for k in 0..<n { forces[i][k] = -g[k] + gt * tau[k] + s * tau[k] }
                }
                maxF = max(maxF, FlatMinimizer.maxGroupNorm(forces[i], groupSize: options.groupSize))
            }
        }

        computeForces()
        while it < options.maxIterations {
            if !climbing && (maxF < options.climbFactor * options.forceTolerance || it >= options.climbAfter) {
                climbing = true
                for i in 1...m { for k in 0..<n { vel[i][k] = 0 } }
                computeForces()
            }
            if climbing && maxF < options.forceTolerance { break }
            it += 1
            // Global FIRE over all intermediate images.
            var p = 0.0, vv = 0.0, ff = 0.0
            for i in 1...m { for k in 0..<n { p += vel[i][k] * forces[i][k]; vv += vel[i][k] * vel[i][k]; ff += forces[i][k] * forces[i][k] } }
            if p > 0 {
                let s = (vv / max(ff, 1e-300)).squareRoot()
                for i in 1...m { for k in 0..<n { vel[i][k] = (1 - alpha) * vel[i][k] + alpha * s * forces[i][k] } }
                positive += 1
                if positive > 5 { dt = min(dt * 1.1, options.dtMax); alpha *= 0.99 }
            } else {
                for i in 1...m { for k in 0..<n { vel[i][k] = 0 } }
                dt *= 0.5; alpha = 0.1; positive = 0
            }
            var biggest = 0.0
            for i in 1...m { for k in 0..<n { vel[i][k] += dt * forces[i][k]; biggest = max(biggest, abs(dt * vel[i][k])) } }
            let cap = biggest > options.maxStep ? options.maxStep / biggest : 1
            for i in 1...m { for k in 0..<n { images[i][k] += cap * dt * vel[i][k] } }
            computeForces()
        }
        return NEBResult(images: images, energies: energies, climbingImage: climber, iterations: it,
                         maxForce: maxF, converged: climbing && maxF < options.forceTolerance)
    }

    /// CI-NEB between two configurations of the same atoms (positions unwrapped consistently);
    /// atoms marked in `fixed` stay at their `start` positions. Energies in eV, forces eV/Å.
    public static func run<P: PotentialEnergySurface>(start: Configuration, end: Configuration, fixed: [Bool]? = nil,
                                                      options: NEBOptions = NEBOptions(), surface: inout P) -> NEBResult {
        precondition(start.count == end.count)
        let active = (0..<start.count).filter { fixed?[$0] != true }
        func flat(_ c: Configuration) -> [Double] { active.flatMap { [c.positions[$0].x, c.positions[$0].y, c.positions[$0].z] } }
        let template = start
        var opts = options
        opts.groupSize = 3
        return withUnsafeMutablePointer(to: &surface) { sp in
            run(start: flat(start), end: flat(end), options: opts) { x, g in
                var c = template
                for (k, i) in active.enumerated() { c.positions[i] = SIMD3(x[3 * k], x[3 * k + 1], x[3 * k + 2]) }
                var f: [SIMD3<Double>] = []
                let e = sp.pointee.energyAndForces(c, forces: &f)
                if g.count != x.count { g = [Double](repeating: 0, count: x.count) }
                for (k, i) in active.enumerated() { g[3 * k] = -f[i].x; g[3 * k + 1] = -f[i].y; g[3 * k + 2] = -f[i].z }
                return e
            }
        }
    }
}
