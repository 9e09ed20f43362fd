// Straight-path landscapes on analytic surfaces.
import Foundation
import GSL
import Testing
@testable import MD

@Suite struct PathTests {
    @Test("Straight path with everything constrained = the surface sampled on the line")
    func straightPathOnMullerBrown() {
        let a = [-0.558, 1.442], b = [0.623, 0.028]
        let p = StraightPath.profile(start: a, end: b, constrained: [true, true], images: 21, relax: false, fdf: MullerBrown.fdf)
        var g = [0.0, 0.0]
        let e0 = MullerBrown.fdf(a, &g)
        for (l, e) in zip(p.lambda, p.energies_eV) {
            let x = [a[0] + l * (b[0] - a[0]), a[1] + l * (b[1] - a[1])]
            #expect(abs(e - (MullerBrown.fdf(x, &g) - e0)) < 1e-12)
        }
        #expect(p.barrier_eV == p.energies_eV.max())
    }

    /// E(x, y) = (x² − 1)² + ½ k (y − 0.3 sin x)²: relaxing y along the line x: −1 → 1 gives
    /// exactly (x² − 1)², barrier 1, ΔE 0.
    static func valley(_ p: [Double], _ g: inout [Double]) -> Double {
        let x = p[0], y = p[1], k = 40.0, gy = 0.3 * sin(x)
        if g.count != 2 { g = [0, 0] }
        g[0] = 4 * x * (x * x - 1) - k * (y - gy) * 0.3 * cos(x)
        g[1] = k * (y - gy)
        return (x * x - 1) * (x * x - 1) + 0.5 * k * (y - gy) * (y - gy)
    }

    @Test("Straight path with the other coordinate relaxed gives the analytic valley profile")
    func straightPathRelaxed() {
        var o = RelaxationOptions(forceTolerance_eV_per_A: 1e-9)
        o.stepSize_A = 0.01
        let p = StraightPath.profile(start: [-1, 0.7], end: [1, 0.7], constrained: [true, false], images: 11,
                                     relax: true, groupSize: 1, options: o, fdf: Self.valley)
        for (l, e) in zip(p.lambda, p.energies_eV) {
            let x = -1 + 2 * l
            #expect(abs(e - (x * x - 1) * (x * x - 1)) < 1e-9)
        }
        #expect(abs(p.barrier_eV - 1) < 1e-9)
        #expect(abs(p.deltaE_eV) < 1e-9)
    }

    @Test("Atomic straight path + perturbed ensemble: statistics and perturbation bound")
    func atomicEnsemble() throws {
        // One atom in a 3-D double well along x; the path goes −1 → +1 along x.
        struct DoubleWell: PotentialEnergySurface {
            mutating func energyAndForces(_ c: Configuration, forces: inout [SIMD3<Double>]) -> Double {
                let r = c.positions[0]
                forces = [SIMD3(-4 * r.x * (r.x * r.x - 1), -2 * r.y, -2 * r.z)]
                return (r.x * r.x - 1) * (r.x * r.x - 1) + r.y * r.y + r.z * r.z
            }
        }
        var s = DoubleWell()
        let c = Configuration(species: [.Cu], positions: [SIMD3(-1, 0, 0)], cell: .orthorhombic([20, 20, 20]))
        let single = StraightPath.landscape(initial: c, moving: [0], endPositions: [SIMD3(1, 0, 0)], images: 21, surface: &s)
        #expect(abs(single.barrier_eV - 1) < 1e-12 && abs(single.deltaE_eV) < 1e-12)
        let ens = StraightPath.ensemble(initial: c, moving: [0], endPositions: [SIMD3(1, 0, 0)], images: 21, paths: 30,
                                        perturbation_A: 0.5, rng: try RandomGenerator(seed: 5), surface: &s)
        #expect(ens.profiles.count == 30)
        // Perturbed start (−1 + dx, dy, dz), |d| ≤ 0.5 per axis: E_start ≤ (1.5² − 1)² + 0.25 + 0.25 = 2.0625.
        #expect(ens.profiles.allSatisfy { $0.startEnergy_eV <= 2.0625 + 1e-12 })
        #expect(ens.barrierStd_eV > 0)
        let m = ens.barriers_eV.reduce(0, +) / 30
        #expect(abs(m - ens.barrierMean_eV) < 1e-12)
        let sd = (ens.barriers_eV.reduce(0) { $0 + ($1 - m) * ($1 - m) } / 29).squareRoot()
        #expect(abs(sd - ens.barrierStd_eV) < 1e-12)
        for k in 0..<21 {
            let mk = ens.profiles.map { $0.energies_eV[k] }.reduce(0, +) / 30
            #expect(abs(mk - ens.meanLandscape_eV[k]) < 1e-12)
        }
        // relaxStart: every perturbed start (x ∈ [−1.5, −0.5], left basin) relaxes back to (−1, 0, 0),
        // so every path is the unperturbed one: barrier 1, spread 0.
        let relaxed = StraightPath.ensemble(initial: c, moving: [0], endPositions: [SIMD3(1, 0, 0)], images: 21, paths: 10,
                                            perturbation_A: 0.5, relaxStart: true, rng: try RandomGenerator(seed: 5),
                                            options: RelaxationOptions(forceTolerance_eV_per_A: 1e-8), surface: &s)
        #expect(abs(relaxed.barrierMean_eV - 1) < 1e-9 && relaxed.barrierStd_eV < 1e-9)
        #expect(relaxed.profiles.allSatisfy { abs($0.startEnergy_eV) < 1e-12 })
    }
}
