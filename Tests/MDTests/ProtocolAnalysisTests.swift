// Diffusion / Arrhenius / frequency analysis on synthetic data.
import CekmcCore
import Foundation
import GSL
import Testing
@testable import MD

@Suite struct ProtocolAnalysisTests {
    /// Brownian walk with diffusion coefficient D (Å²/ps), n samples every dt ps.
    func walk(D: Double, n: Int, dt: Double, rng: RandomGenerator) -> [SIMD3<Double>] {
        let s = (2 * D * dt).squareRoot()
        var p = SIMD3<Double>.zero, out = [p]
        for _ in 1..<n { p += SIMD3(rng.gaussian(sigma: s), rng.gaussian(sigma: s), rng.gaussian(sigma: s)); out.append(p) }
        return out
    }

    @Test("D from a synthetic Brownian trajectory within 4 block SE; Arrhenius fit recovers E and D0")
    func arrheniusRecoversEnergy() throws {
        let rng = try RandomGenerator(seed: 2024)
        let e = 0.3, d0 = 5.0
        let temps = [600.0, 900, 1200, 1600, 2000]
        var ds = [Measured]()
        for t in temps {
            let dTrue = d0 * exp(-e / (Constants.boltzmann_eV_per_K * t))
            let m = try DiffusionAnalysis.diffusionCoefficient(positions: walk(D: dTrue, n: 20_000, dt: 0.01, rng: rng), sampleInterval_ps: 0.01, blocks: 8)
            #expect(abs(m.value - dTrue) < 4 * m.error, "T \(t): \(m.value) ± \(m.error) vs \(dTrue)")
            #expect(m.error < 0.2 * dTrue)
            ds.append(m)
        }
        let fit = try DiffusionAnalysis.arrhenius(kelvin: temps, diffusion: ds)
        #expect(abs(fit.energy_eV.value - e) < 4 * fit.energy_eV.error, "E \(fit.energy_eV)")
        #expect(fit.energy_eV.error < 0.05)
        #expect(abs(fit.prefactor_A2_per_ps.value - d0) < 4 * fit.prefactor_A2_per_ps.error)
    }

    @Test("Exact Arrhenius data: E and D0 recovered to 1e-9")
    func arrheniusExact() throws {
        let temps = [600.0, 1000, 1400, 2000]
        let ds = temps.map { Measured(2 * exp(-0.51 / (Constants.boltzmann_eV_per_K * $0)), 1e-3) }
        let fit = try DiffusionAnalysis.arrhenius(kelvin: temps, diffusion: ds)
        #expect(abs(fit.energy_eV.value - 0.51) < 1e-9)
        #expect(abs(fit.prefactor_A2_per_ps.value - 2) < 1e-8)
        #expect(throws: MDProtocolError.self) { try DiffusionAnalysis.arrhenius(kelvin: [600, 700], diffusion: Array(ds.prefix(2))) }
    }

    @Test("Harmonic frequency from E = ½kd²: ν = √(k/m)/2π")
    func harmonicFrequency() throws {
        let k = 1.3, m = massAmu(.Cu)
        let d = [-0.1, -0.05, 0.05, 0.1, 0.15]
        let (nu, kk) = try DiffusionAnalysis.harmonicFrequency(displacements_A: d, energies_eV: d.map { 2 + 0.5 * k * $0 * $0 }, mass_amu: m)
        #expect(abs(kk.value - k) < 1e-10)
        #expect(abs(nu.value - (k / (m * Constants.amu_eV_ps2_per_A2)).squareRoot() / (2 * .pi)) < 1e-10)
    }
}
