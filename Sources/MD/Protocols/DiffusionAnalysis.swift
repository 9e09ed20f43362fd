// Analysis behind step c (Cu interstitial diffusion) and the attempt frequency.
//
// Diffusion (Einstein relation, 3-D): MSD(τ) = 6 D τ + b for τ beyond the ballistic regime.
//   MSD(τ) is averaged over all time origins of one trajectory; the trajectory is cut into B
//   blocks, D_b = slope/6 from an unweighted GSL linear fit of each block's MSD over lags
//   [τ_min, τ_max], and D = mean(D_b) ± std(D_b)/√B (block standard error — honest for
//   correlated MD data, unlike the fit's formal slope error).
// Arrhenius: ln D = ln D₀ − E_c · (1/k_BT); weighted GSL linear fit in x = 1/(k_BT) with
//   σ(ln D) = σ_D/D, so E_c = −slope ± slope error and D₀ = e^{intercept} ± D₀·σ_intercept.
//   (Casu et al. 2023, DOI 10.1021/acsnano.3c03049, step c and Fig. SI_4.)
// Attempt frequency: a harmonic well E(d) = E₀ + ½ k d²; an unweighted GSL linear fit of E against
//   d² gives k = 2·slope; ν = (1/2π)·√(k / (m κ)) with κ = Constants.amu_eV_ps2_per_A2, so ν is in
//   ps⁻¹ = THz. (The paper's "quadratic fit of the Cu potential well", 1.9 THz.)

import CekmcCore
import Foundation
import GSL

/// A value with its one-sigma uncertainty.
public struct Measured: Sendable, Codable, Equatable {
    /// Value (function value, or the measured value), in the caller's units.
    public var value: Double
    /// One-sigma uncertainty, same unit as the value.
    public var error: Double
    /// A value with its one-sigma uncertainty.
    public init(_ value: Double, _ error: Double) { self.value = value; self.error = error }
}

/// Result of an Arrhenius fit of D(T).
public struct ArrheniusFit: Sendable, Codable {
    /// Activation energy E_c, eV.
    public var energy_eV: Measured
    /// Prefactor D₀, Å²/ps.
    public var prefactor_A2_per_ps: Measured
    /// χ² of the weighted fit.
    public var chiSquared: Double

    /// JSON keys: snake_case with the unit in the name (one style for every command's JSON).
    enum CodingKeys: String, CodingKey {
        case energy_eV
        case prefactor_A2_per_ps
        case chiSquared = "chi_squared"
    }
}

/// Diffusion coefficient and frequency analysis.
public enum DiffusionAnalysis {
    /// MSD (Å²) at lags 0…maxLag (in samples) of one atom's unwrapped positions, averaged over
    /// every time origin. O(samples × maxLag).
    public static func msd(_ positions: ArraySlice<SIMD3<Double>>, maxLag: Int) -> [Double] {
        let p = Array(positions)
        var out = [Double](repeating: 0, count: maxLag + 1)
        for lag in 1...max(maxLag, 1) where lag < p.count {
            var s = 0.0
            for t in 0..<(p.count - lag) { let d = p[t + lag] - p[t]; s += (d * d).sum() }
            out[lag] = s / Double(p.count - lag)
        }
        return out
    }

    /// D (Å²/ps) ± block standard error from one atom's unwrapped positions sampled every
    /// `sampleInterval_ps`, using `blocks` blocks and fitting lags in [`fitFrom`, `fitTo`] × block
    /// length. Requires ≥ 2 blocks.
    public static func diffusionCoefficient(positions: [SIMD3<Double>], sampleInterval_ps: Double, blocks: Int = 5,
                                            fitFrom: Double = 0.05, fitTo: Double = 0.3) throws -> Measured {
        precondition(blocks >= 2)
        let n = positions.count / blocks
        let maxLag = max(Int(Double(n) * fitTo), 3)
        let lag0 = max(Int(Double(n) * fitFrom), 1)
        var ds = [Double]()
        for b in 0..<blocks {
            let m = msd(positions[(b * n)..<((b + 1) * n)], maxLag: maxLag)
            let lags = Array(lag0...maxLag)
            let fit = try LinearFit.unweighted(x: lags.map { Double($0) * sampleInterval_ps }, y: lags.map { m[$0] })
            ds.append(fit.slope / 6)
        }
        let mean = ds.reduce(0, +) / Double(blocks)
        let sd = (ds.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(blocks - 1)).squareRoot()
        return Measured(mean, sd / Double(blocks).squareRoot())
    }

    /// Weighted Arrhenius fit of D(T) (Å²/ps, with errors) over temperatures in K. Needs ≥ 3
    /// points with D > 0 (errors floored at 1 % of D so no point gets infinite weight).
    public static func arrhenius(kelvin: [Double], diffusion: [Measured]) throws -> ArrheniusFit {
        let pts = zip(kelvin, diffusion).filter { $0.1.value > 0 }
        guard pts.count >= 3 else { throw MDProtocolError("arrhenius: need ≥ 3 temperatures with D > 0, got \(pts.count)") }
        let x = pts.map { 1 / (Constants.boltzmann_eV_per_K * $0.0) }
        let y = pts.map { log($0.1.value) }
        let w = pts.map { p -> Double in let s = max(p.1.error, 0.01 * p.1.value) / p.1.value; return 1 / (s * s) }
        let f = try LinearFit.weighted(x: x, y: y, weights: w)
        let d0 = exp(f.intercept)
        return ArrheniusFit(energy_eV: Measured(-f.slope, f.slopeError), prefactor_A2_per_ps: Measured(d0, d0 * f.interceptError),
                            chiSquared: f.chiSquared)
    }

    /// Harmonic frequency (THz) ± fit error from energies `energies_eV` at displacements
    /// `displacements_A` (either sign) of a particle of mass `mass_amu` about its minimum.
    public static func harmonicFrequency(displacements_A: [Double], energies_eV: [Double], mass_amu: Double) throws -> (nu_THz: Measured, k_eV_per_A2: Measured) {
        let f = try LinearFit.unweighted(x: displacements_A.map { $0 * $0 }, y: energies_eV)
        let k = 2 * f.slope, sk = 2 * f.slopeError
        let m = mass_amu * Constants.amu_eV_ps2_per_A2
        let nu = (k / m).squareRoot() / (2 * Double.pi)
        return (Measured(nu, 0.5 * nu * sk / k), Measured(k, sk))
    }
}
