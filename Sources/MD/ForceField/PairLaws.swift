// Pair laws of the force field as pure functions of r² (kept apart from how pairs are summed).
//
// Lennard-Jones (Casu et al. 2023 eq. 2, doi:10.1021/acsnano.3c04516), truncated at r_c:
//     φ(r) = c12/r^12 − c6/r^6 − φ_shift,  c12 = 4εσ^12, c6 = 4εσ^6,
//     φ_shift = c12/r_c^12 − c6/r_c^6 (energy-shifted, default) or 0 (plain truncation);
//     −φ'(r)/r = (12 c12/r^12 − 6 c6/r^6)/r².  The force is not shifted (it jumps at r_c by
//     6c6/r_c^7 − 12c12/r_c^13, ~1e-7 eV/Å for the Casu parameters at 10 Å).
// Coulomb, k_e q_i q_j multiplying (qq = k_e q_i q_j, k_e = e²/4πε₀ = 14.3996 eV·Å):
//   bare:     φ = qq/r,                         −φ'/r = qq/r³
//   Ewald real space (Ewald 1921; e.g. Frenkel & Smit, Understanding Molecular Simulation, §12.1):
//             φ = qq erfc(αr)/r,                −φ'/r = qq [erfc(αr)/r + (2α/√π) e^{−α²r²}]/r²
//   DSF, damped shifted force (Fennell & Gezelter, J. Chem. Phys. 124, 234104 (2006),
//   doi:10.1063/1.2206581, eq. 19 with the damping of eq. 5):
//             φ = qq [erfc(αr)/r − erfc(αR)/R + (erfc(αR)/R² + (2α/√π) e^{−α²R²}/R)(r − R)]
//             −φ'/r = qq [erfc(αr)/r² + (2α/√π) e^{−α²r²}/r − (erfc(αR)/R² + (2α/√π) e^{−α²R²}/R)]/r
//             so that φ(R) = 0 and φ'(R) = 0; plus a self term −c Σ_i k_e q_i², in one of two conventions
//             (`DSFSelfEnergy`), which differ by a constant per charge and give identical forces:
//     Fennell–Gezelter (eq. 19, default): c = erfc(αR)/(2R) + α/√π
//     LAMMPS (pair_style lj/cut/coul/dsf, e_self = −(e_shift/2 + α/√π) q² qqrd2e):
//             c = e_shift/2 + α/√π,  e_shift = 2 erfc(αR)/R + (2α/√π) e^{−α²R²}
//     so c_LAMMPS − c_FG = erfc(αR)/(2R) + (α/√π) e^{−α²R²}; for α = 0.2 Å⁻¹, R = 10 Å that is
//     2.30e-3 Å⁻¹, i.e. 0.046 eV/atom lower in LAMMPS for the Casu charges (q² = 1.18²).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// 2/√π.
@usableFromInline let twoOverSqrtPi = 1.128_379_167_095_512_6
/// 1/√π.
@usableFromInline let oneOverSqrtPi = 0.564_189_583_547_756_3

/// Scaled complementary error function erfcx(x) = exp(x²) erfc(x) on [0, xMax], tabulated as
/// degree-7 Taylor polynomials about the centres of intervals of width 1/32, so that the pair loop
/// gets erfc(x) = exp(−x²)·erfcx(x) from the one exp(−x²) it needs for the force anyway.
///
/// Coefficients from the ODE y' = 2xy − 2/√π: a₀ = erfcx(c) (from libm erfc, exp), a₁ = 2c a₀ − 2/√π,
/// a_{n+1} = (2c a_n + 2a_{n−1})/(n+1). Truncation error ≤ |a₈|(1/64)⁸ ≈ 1e-17; measured relative
/// error vs libm < 1e-14 on [0, 8] (see DSFTests). Beyond xMax it falls back to libm.
public struct ErfcxTable: Sendable {
    /// Intervals per unit of x.
    public static let perUnit = 32.0
    static let degree = 7
    /// Upper end of the table.
    public let xMax: Double
    private let coefficients: [Double]   // (degree+1) per interval, a₀ first

    /// Table covering [0, xMax] (xMax ≥ 0). O(32·xMax).
    public init(xMax: Double) {
        let intervals = max(1, Int((xMax * Self.perUnit).rounded(.up)) + 1)
        self.xMax = Double(intervals) / Self.perUnit
        var c = [Double](repeating: 0, count: intervals * (Self.degree + 1))
        for k in 0..<intervals {
            let x0 = (Double(k) + 0.5) / Self.perUnit
            var a = [Double](repeating: 0, count: Self.degree + 1)
            a[0] = erfc(x0) * exp(x0 * x0)
            a[1] = 2 * x0 * a[0] - twoOverSqrtPi
            for n in 1..<Self.degree { a[n + 1] = (2 * x0 * a[n] + 2 * a[n - 1]) / Double(n + 1) }
            for n in 0...Self.degree { c[k * (Self.degree + 1) + n] = a[n] }
        }
        coefficients = c
    }

    /// erfcx outside the table: libm for x < 25, else the asymptotic series
    /// 1/(x√π) Σ_n (−1)ⁿ (2n−1)!! (2x²)⁻ⁿ to n = 8 (relative error < 1e-17 for x ≥ 25).
    static func slow(_ x: Double) -> Double {
        if x < 25 { return erfc(x) * exp(x * x) }
        let v = 1 / (2 * x * x)
        var sum = 1.0, term = 1.0
        for n in 1...8 { term *= -Double(2 * n - 1) * v; sum += term }
        return oneOverSqrtPi / x * sum
    }

    /// erfcx(x) for x ≥ 0. O(1): one table lookup and 7 fused multiply-adds.
    @inline(__always) public func callAsFunction(_ x: Double) -> Double {
        let u = x * Self.perUnit
        let k = Int(u)
        guard k < coefficients.count >> 3 else { return Self.slow(x) }
        let t = (u - Double(k) - 0.5) * (1 / Self.perUnit)
        return coefficients.withUnsafeBufferPointer { c in
            let b = k << 3
            var y = c[b + 7]
            y = y * t + c[b + 6]; y = y * t + c[b + 5]; y = y * t + c[b + 4]
            y = y * t + c[b + 3]; y = y * t + c[b + 2]; y = y * t + c[b + 1]
            return y * t + c[b]
        }
    }
}

/// Energy (eV) and −φ'(r)/r (eV/Å²) of one pair; multiply the second by the displacement r_i − r_j
/// to get the force on i.
public struct PairTerm: Sendable, Equatable {
    /// Pair energy in eV.
    public var energy: Double
    /// −(dφ/dr)/r in eV/Å².
    public var forceOverR: Double
    public init(energy: Double, forceOverR: Double) { self.energy = energy; self.forceOverR = forceOverR }
    public static let zero = PairTerm(energy: 0, forceOverR: 0)
}

/// Lennard-Jones law of one pair type, truncated at `cutoff` and optionally energy-shifted.
public struct LennardJonesLaw: Sendable, Equatable {
    /// 4εσ¹² in eV·Å¹².
    public let c12: Double
    /// 4εσ⁶ in eV·Å⁶.
    public let c6: Double
    /// Cutoff in Å.
    public let cutoff: Double
    /// Energy subtracted inside the cutoff (eV): φ_LJ(r_c) when shifted, else 0.
    public let shift: Double

    /// - Parameters: epsilon in eV, sigma in Å, cutoff in Å, shifted: subtract φ(r_c) so φ(r_c) = 0.
    public init(epsilon: Double, sigma: Double, cutoff: Double, shifted: Bool) {
        let s6 = pow(sigma, 6)
        c12 = 4 * epsilon * s6 * s6
        c6 = 4 * epsilon * s6
        self.cutoff = cutoff
        if shifted && cutoff.isFinite {
            let ir6 = 1 / pow(cutoff, 6)
            shift = ir6 * (c12 * ir6 - c6)
        } else {
            shift = 0
        }
    }

    /// Energy and −φ'/r at squared distance `r2` (Å²); zero at and beyond the cutoff. O(1).
    @inline(__always) public func evaluate(r2: Double) -> PairTerm {
        guard r2 < cutoff * cutoff else { return .zero }
        let ir2 = 1 / r2
        let ir6 = ir2 * ir2 * ir2
        return PairTerm(energy: ir6 * (c12 * ir6 - c6) - shift, forceOverR: ir6 * (12 * c12 * ir6 - 6 * c6) * ir2)
    }
}

/// A Coulomb pair law: energy and −φ'/r for a pair with product qq = k_e q_i q_j (eV·Å) at r².
/// Implemented by value types only; the force loop is generic over it (static dispatch).
public protocol CoulombLaw: Sendable {
    /// Squared cutoff in Å² (+∞ for none).
    var cutoffSquared: Double { get }
    /// Energy (eV) and −φ'/r (eV/Å²) for qq (eV·Å) at r² (Å²) < cutoffSquared.
    func evaluate(r2: Double, qq: Double) -> PairTerm
}

/// No Coulomb interaction.
public struct NoCoulombLaw: CoulombLaw {
    public init() {}
    public var cutoffSquared: Double { 0 }
    @inline(__always) public func evaluate(r2: Double, qq: Double) -> PairTerm { .zero }
}

/// Bare Coulomb qq/r, no cutoff (non-periodic systems only).
public struct DirectCoulombLaw: CoulombLaw {
    public init() {}
    public var cutoffSquared: Double { .infinity }
    @inline(__always) public func evaluate(r2: Double, qq: Double) -> PairTerm {
        let ir = 1 / r2.squareRoot()
        let e = qq * ir
        return PairTerm(energy: e, forceOverR: e * ir * ir)
    }
}

/// Ewald real-space term qq·erfc(αr)/r, truncated at the real-space cutoff.
public struct EwaldRealLaw: CoulombLaw {
    /// Splitting parameter α in Å⁻¹.
    public let alpha: Double
    /// Real-space cutoff in Å.
    public let cutoff: Double
    public let cutoffSquared: Double
    private let erfcx: ErfcxTable
    public init(alpha: Double, cutoff: Double) {
        self.alpha = alpha; self.cutoff = cutoff; cutoffSquared = cutoff * cutoff
        erfcx = ErfcxTable(xMax: alpha * cutoff)
    }
    @inline(__always) public func evaluate(r2: Double, qq: Double) -> PairTerm {
        let r = r2.squareRoot()
        let ar = alpha * r
        let g = exp(-ar * ar)
        let e = qq * g * erfcx(ar) / r
        return PairTerm(energy: e, forceOverR: (e + qq * twoOverSqrtPi * alpha * g) / r2)
    }
}

/// Constant self-energy convention of DSF (see the file header); forces do not depend on it.
public enum DSFSelfEnergy: String, Sendable, Equatable, CaseIterable, Codable {
    /// Fennell & Gezelter 2006, eq. 19: E_self = −(erfc(αR)/(2R) + α/√π) Σ k_e q_i². The default.
    case fennellGezelter = "fennell-gezelter"
    /// LAMMPS `lj/cut/coul/dsf` and `coul/dsf`: E_self = −(e_shift/2 + α/√π) Σ k_e q_i² with
    /// e_shift = 2 erfc(αR)/R + (2α/√π) e^{−α²R²}; reproduces LAMMPS total energies.
    case lammps
}

/// Damped shifted force Coulomb (Fennell & Gezelter 2006): energy and force both vanish at the cutoff.
public struct DSFLaw: CoulombLaw {
    /// Damping α in Å⁻¹.
    public let alpha: Double
    /// Cutoff R in Å.
    public let cutoff: Double
    public let cutoffSquared: Double
    /// erfc(αR)/R in Å⁻¹.
    public let energyShift: Double
    /// erfc(αR)/R² + (2α/√π) e^{−α²R²}/R in Å⁻².
    public let forceShift: Double
    private let erfcx: ErfcxTable
    public init(alpha: Double, cutoff: Double) {
        self.alpha = alpha; self.cutoff = cutoff; cutoffSquared = cutoff * cutoff
        erfcx = ErfcxTable(xMax: alpha * cutoff)
        let ec = erfc(alpha * cutoff)
        energyShift = ec / cutoff
        forceShift = ec / (cutoff * cutoff) + twoOverSqrtPi * alpha * exp(-alpha * alpha * cutoff * cutoff) / cutoff
    }
    /// Fennell–Gezelter self-energy coefficient c such that E_self = −c Σ k_e q_i²: c = erfc(αR)/(2R) + α/√π (Å⁻¹).
    public var selfCoefficient: Double { selfCoefficient(.fennellGezelter) }
    /// Self-energy coefficient c (Å⁻¹) of `convention`, E_self = −c Σ k_e q_i² (see `DSFSelfEnergy`).
    public func selfCoefficient(_ convention: DSFSelfEnergy) -> Double {
        switch convention {
        case .fennellGezelter:
            return 0.5 * energyShift + alpha * oneOverSqrtPi
        case .lammps:
            // LAMMPS's e_shift = erfc(αR)/R − f_shift R with f_shift = −(erfc(αR)/R² + (2α/√π)e^{−α²R²}/R).
            let eShiftLAMMPS = energyShift + forceShift * cutoff
            return 0.5 * eShiftLAMMPS + alpha * oneOverSqrtPi
        }
    }
    @inline(__always) public func evaluate(r2: Double, qq: Double) -> PairTerm {
        let r = r2.squareRoot()
        let ar = alpha * r
        let g = exp(-ar * ar)
        let ec = g * erfcx(ar) / r
        let e = qq * (ec - energyShift + forceShift * (r - cutoff))
        let f = qq * ((ec + twoOverSqrtPi * alpha * g) / r - forceShift) / r
        return PairTerm(energy: e, forceOverR: f)
    }
}
