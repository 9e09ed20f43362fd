// Straight-path energy landscapes (the paper's steps b and d): the moving atom(s) are placed on the
// straight segment from their start to their end position, x_m(λ) = x_m⁰ + λ (x_m¹ − x_m⁰),
// λ = k/(N−1), k = 0…N−1, and held there (all three coordinates fixed); every other atom is either
// kept at its initial position (`relaxOthers = false`) or relaxed at each image, starting from the
// previous image's relaxed positions (`relaxOthers = true`, the default, SD + CG, max-force
// criterion). Energies are reported relative to image 0; the barrier is max_k E_k − E_0 and the
// end-point difference ΔE = E_{N−1} − E_0.
// Statistics as in Casu et al. 2023 (DOI 10.1021/acsnano.3c03049): 30 paths whose start position is
// displaced by a uniform random amount in [−δ, δ] (δ = 1 Å) along each Cartesian axis (seeded GSL
// generator); mean and standard deviation of the landscape, of the barrier and of ΔE.

import Foundation
import GSL

/// An energy landscape along a path.
public struct EnergyProfile: Sendable, Codable, Equatable {
    /// Path parameter of each image, 0…1.
    public var lambda: [Double]
    /// Energy of each image relative to image 0, eV.
    public var energies_eV: [Double]
    /// Absolute energy of image 0, eV.
    public var startEnergy_eV: Double
    /// max_k E_k − E_0, eV.
    public var barrier_eV: Double { energies_eV.max() ?? 0 }
    /// E_last − E_0, eV.
    public var deltaE_eV: Double { energies_eV.last ?? 0 }
    /// Index of the highest image.
    public var peakIndex: Int { energies_eV.indices.max { energies_eV[$0] < energies_eV[$1] } ?? 0 }

    /// JSON keys: snake_case with the unit in the name (one style for every command's JSON).
    enum CodingKeys: String, CodingKey {
        case lambda
        case energies_eV
        case startEnergy_eV = "start_energy_eV"
    }
}

/// Mean and spread of an ensemble of straight-path landscapes.
public struct PathEnsemble: Sendable, Codable {
    /// The individual landscapes.
    public var profiles: [EnergyProfile]
    /// Mean landscape (per image), eV.
    public var meanLandscape_eV: [Double]
    /// Standard deviation of the landscape (per image), eV.
    public var spreadLandscape_eV: [Double]
    /// Barriers of the individual paths, eV.
    public var barriers_eV: [Double]
    /// Mean barrier, eV.
    public var barrierMean_eV: Double
    /// Sample standard deviation of the barriers, eV.
    public var barrierStd_eV: Double
    /// Mean end-point difference E_end − E_start, eV.
    public var deltaEMean_eV: Double
    /// Sample standard deviation of ΔE, eV.
    public var deltaEStd_eV: Double
    /// Barrier of the mean landscape (max of the mean − its first value), eV.
    public var meanLandscapeBarrier_eV: Double

    /// Builds the statistics from `profiles` (all with the same image count).
    public init(profiles: [EnergyProfile]) {
        self.profiles = profiles
        let n = profiles.first?.energies_eV.count ?? 0
        func meanStd(_ v: [Double]) -> (Double, Double) {
            let m = v.reduce(0, +) / Double(max(v.count, 1))
            let s = v.count > 1 ? (v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(v.count - 1)).squareRoot() : 0
            return (m, s)
        }
        var mean = [Double](), spread = [Double]()
        for k in 0..<n {
            let (m, s) = meanStd(profiles.map { $0.energies_eV[k] })
            mean.append(m); spread.append(s)
        }
        meanLandscape_eV = mean
        spreadLandscape_eV = spread
        barriers_eV = profiles.map(\.barrier_eV)
        (barrierMean_eV, barrierStd_eV) = meanStd(barriers_eV)
        (deltaEMean_eV, deltaEStd_eV) = meanStd(profiles.map(\.deltaE_eV))
        meanLandscapeBarrier_eV = (mean.max() ?? 0) - (mean.first ?? 0)
    }

    /// JSON keys: snake_case with the unit in the name (one style for every command's JSON).
    enum CodingKeys: String, CodingKey {
        case profiles
        case meanLandscape_eV = "mean_landscape_eV"
        case spreadLandscape_eV = "spread_landscape_eV"
        case barriers_eV
        case barrierMean_eV = "barrier_mean_eV"
        case barrierStd_eV = "barrier_std_eV"
        case deltaEMean_eV = "delta_E_mean_eV"
        case deltaEStd_eV = "delta_E_std_eV"
        case meanLandscapeBarrier_eV = "mean_landscape_barrier_eV"
    }
}

/// Straight-path landscapes on flat coordinates and on atomic configurations.
public enum StraightPath {
    /// Flat form: coordinates with `constrained[k]` move linearly from `start[k]` to `end[k]` and
    /// are held; the others relax (if `relax`) from the previous image, or stay at `start`.
    /// `fdf(x, &g)` returns E and fills ∇E. Cost: N images × one relaxation.
    public static func profile(start: [Double], end: [Double], constrained: [Bool], images: Int,
                               relax: Bool, groupSize: Int = 3, options: RelaxationOptions = RelaxationOptions(),
                               fdf: @escaping ([Double], inout [Double]) -> Double) -> EnergyProfile {
        precondition(images >= 2 && start.count == end.count && constrained.count == start.count)
        let freeIdx = start.indices.filter { !constrained[$0] }
        var x = start
        var lambdas = [Double](), energies = [Double]()
        for k in 0..<images {
            let l = Double(k) / Double(images - 1)
            for i in start.indices where constrained[i] { x[i] = start[i] + l * (end[i] - start[i]) }
            var e: Double
            if relax && !freeIdx.isEmpty {
                let base = x
                let sub: ([Double], inout [Double]) -> Double = { y, gy in
                    var full = base
                    for (j, i) in freeIdx.enumerated() { full[i] = y[j] }
                    var g = [Double](repeating: 0, count: full.count)
                    let v = fdf(full, &g)
                    if gy.count != y.count { gy = [Double](repeating: 0, count: y.count) }
                    for (j, i) in freeIdx.enumerated() { gy[j] = g[i] }
                    return v
                }
                let r = FlatMinimizer.minimize(x0: freeIdx.map { x[$0] }, groupSize: groupSize, options: options, fdf: sub)
                for (j, i) in freeIdx.enumerated() { x[i] = r.x[j] }
                e = r.value
            } else {
                var g = [Double](repeating: 0, count: x.count)
                e = fdf(x, &g)
            }
            lambdas.append(l); energies.append(e)
        }
        let e0 = energies[0]
        return EnergyProfile(lambda: lambdas, energies_eV: energies.map { $0 - e0 }, startEnergy_eV: e0)
    }

    /// Landscape for atoms `moving` travelling in straight lines to `endPositions` (Å), the others
    /// relaxed per image (`relaxOthers`) except those marked in `fixed`.
    public static func landscape<P: PotentialEnergySurface>(
        initial: Configuration, moving: [Int], endPositions: [SIMD3<Double>], images: Int,
        relaxOthers: Bool = true, fixed: [Bool]? = nil, options: RelaxationOptions = RelaxationOptions(),
        surface: inout P
    ) -> EnergyProfile {
        precondition(moving.count == endPositions.count)
        let box = SurfaceBox(surface)
        defer { surface = box.surface }
        var start = [Double](), end = [Double](), constrained = [Bool]()
        let movingSet = Set(moving)
        var endOf = [Int: SIMD3<Double>]()
        for (m, p) in zip(moving, endPositions) { endOf[m] = p }
        var active = [Int]()   // atoms represented in the flat vector
        for i in 0..<initial.count where fixed?[i] != true || movingSet.contains(i) { active.append(i) }
        for i in active {
            let p = initial.positions[i], q = endOf[i] ?? p
            start += [p.x, p.y, p.z]; end += [q.x, q.y, q.z]
            let c = movingSet.contains(i)
            constrained += [c, c, c]
        }
        let template = initial
        let fdf: ([Double], inout [Double]) -> Double = { x, g in
            var c = template
            for (k, i) in active.enumerated() { c.positions[i] = SIMD3(x[3 * k], x[3 * k + 1], x[3 * k + 2]) }
            var f: [SIMD3<Double>] = []
            let e = box.surface.energyAndForces(c, forces: &f)
            if g.count != x.count { g = [Double](repeating: 0, count: x.count) }
            for (k, i) in active.enumerated() { g[3 * k] = -f[i].x; g[3 * k + 1] = -f[i].y; g[3 * k + 2] = -f[i].z }
            return e
        }
        return profile(start: start, end: end, constrained: constrained, images: images, relax: relaxOthers,
                       groupSize: 3, options: options, fdf: fdf)
    }

    /// The paper's ensemble: `paths` landscapes, each with the start of every atom in `perturbed`
    /// (default: all moving atoms) displaced by U(−δ, δ) Å per axis (`perturbation_A` = δ), from a
    /// seeded GSL generator. With `relaxStart` the perturbed start is then relaxed (all non-fixed
    /// atoms, moving ones included), so each path starts in the local minimum nearest to its
    /// perturbed start; otherwise the path starts at the displaced (unrelaxed) point, whose energy
    /// then dominates the landscape. `progress(k)` is called after each path.
    public static func ensemble<P: PotentialEnergySurface>(
        initial: Configuration, moving: [Int], endPositions: [SIMD3<Double>], images: Int, paths: Int,
        perturbation_A: Double, perturbed: [Int]? = nil, relaxStart: Bool = false, rng: RandomGenerator,
        relaxOthers: Bool = true, fixed: [Bool]? = nil,
        options: RelaxationOptions = RelaxationOptions(), surface: inout P,
        progress: (Int) -> Void = { _ in }
    ) -> PathEnsemble {
        var profiles = [EnergyProfile]()
        for k in 0..<paths {
            var c = initial
            for m in perturbed ?? moving {
                let d = SIMD3((2 * rng.uniform() - 1), (2 * rng.uniform() - 1), (2 * rng.uniform() - 1))
                c.positions[m] += perturbation_A * d
            }
            if relaxStart, let r = try? Relaxation.relax(c, surface: &surface, fixed: fixed, options: options) {
                c = r.configuration
            }
            profiles.append(landscape(initial: c, moving: moving, endPositions: endPositions, images: images,
                                      relaxOthers: relaxOthers, fixed: fixed, options: options, surface: &surface))
            progress(k + 1)
        }
        return PathEnsemble(profiles: profiles)
    }
}
