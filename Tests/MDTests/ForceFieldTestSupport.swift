// Shared helpers for the force-field tests: parameter sets, perturbations, finite differences.
import Testing
@testable import MD
import CekmcCore
import GSL

enum FFTest {
    /// Unit charges ±1 on Cd/Se, no LJ: Madelung and pure-Coulomb tests.
    static let unitCharges = ForceFieldParameters(perSpecies: [
        SpeciesParameters(epsilon_eV: 0, sigma_A: 1, charge_e: 1),
        SpeciesParameters(epsilon_eV: 0, sigma_A: 1, charge_e: -1),
        SpeciesParameters(epsilon_eV: 0, sigma_A: 1, charge_e: 0.5),
    ])
    /// The paper's charges with LJ switched off (Coulomb alone).
    static let coulombOnly: ForceFieldParameters = {
        var p = ForceFieldParameters.casu2023
        for s in Species.allCases { p[s].epsilon_eV = 0 }
        return p
    }()

    /// A seeded GSL generator (mt19937) for test perturbations.
    static func rng(_ seed: UInt64) -> RandomGenerator {
        // mt19937 is always available: a failure here is a broken GSL module, not a test condition.
        try! RandomGenerator(name: "mt19937", seed: seed)
    }

    /// Each coordinate displaced uniformly in [−amplitude, amplitude] Å (GSL mt19937, `seed`).
    static func perturbed(_ c: Configuration, amplitude: Double, seed: UInt64) -> Configuration {
        var out = c
        let g = rng(seed)
        for i in 0..<out.count {
            out.positions[i] += amplitude * SIMD3(2 * g.uniform() - 1, 2 * g.uniform() - 1, 2 * g.uniform() - 1)
        }
        return out
    }

    /// Replaces the species of atom `i`.
    static func substituting(_ c: Configuration, _ i: Int, with s: Species) -> Configuration {
        var out = c; out.species[i] = s; return out
    }

    /// Max over sampled (atom, axis) of |F_analytic − F_centralFD| and the largest |F| seen.
    /// Central differences with step h (Å): truncation error h²/6·|E'''|.
    static func forceCheck(_ ff: ForceField, _ c: Configuration, atoms: [Int], h: Double = 1e-4) throws -> (maxError: Double, maxForce: Double) {
        var f = ff
        var forces: [SIMD3<Double>] = []
        _ = try f.evaluate(c, forces: &forces)
        var worst = 0.0, fmax = 0.0
        for i in atoms {
            for k in 0..<3 {
                var plus = c, minus = c
                plus.positions[i][k] += h; minus.positions[i][k] -= h
                let ep = try f.energyBreakdown(plus).total
                let em = try f.energyBreakdown(minus).total
                let fd = -(ep - em) / (2 * h)
                worst = max(worst, abs(fd - forces[i][k]))
                fmax = max(fmax, abs(forces[i][k]))
            }
        }
        return (worst, fmax)
    }

    static func relClose(_ x: Double, _ y: Double, _ tol: Double) -> Bool {
        abs(x - y) <= tol * max(abs(x), abs(y))
    }
}
