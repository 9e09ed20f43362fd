// Shared helpers for the force-field tests: parameter sets, perturbations, finite differences.
import Testing
@testable import MD
import CekmcCore

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

    /// Deterministic pseudo-random stream (SplitMix64) for test perturbations, seeded explicitly.
    struct Stream {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func uniform() -> Double {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            return Double(z >> 11) * 0x1p-53
        }
        mutating func symmetric() -> Double { 2 * uniform() - 1 }
    }

    /// Each coordinate displaced uniformly in [−amplitude, amplitude] Å.
    static func perturbed(_ c: Configuration, amplitude: Double, seed: UInt64) -> Configuration {
        var out = c
        var rng = Stream(seed: seed)
        for i in 0..<out.count {
            out.positions[i] += amplitude * SIMD3(rng.symmetric(), rng.symmetric(), rng.symmetric())
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
