import Testing
@testable import CekmcCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Relative difference |a − b| / |b|.
func relErr(_ a: Double, _ b: Double) -> Double { abs(a - b) / abs(b) }

/// Deterministic, well-spread points in [0,1)^3 (additive recurrence with the plastic-number
/// generalisation of the golden ratio): coverage of the parameter box without a generator.
func weylPoints(_ n: Int) -> [(Double, Double, Double)] {
    let g = 1.2207440846057596   // plastic number: x³ = x + 1
    let a = (1 / g, 1 / (g * g), 1 / (g * g * g))
    return (1...n).map { i in
        let x = Double(i)
        return ((0.5 + a.0 * x).truncatingRemainder(dividingBy: 1),
                (0.5 + a.1 * x).truncatingRemainder(dividingBy: 1),
                (0.5 + a.2 * x).truncatingRemainder(dividingBy: 1))
    }
}

@Suite struct ArrheniusTests {
    /// Detailed balance by construction: with E_r = reverseBarrier(E_f, ΔE),
    /// k_f / k_r = exp(−ΔE / k_B T) for any barrier, energy change and temperature.
    @Test func detailedBalanceOfEveryEventPair() {
        for (u, v, w) in weylPoints(2000) {
            let e = 2 * u            // E_f in [0, 2) eV
            let dE = 2 * v - 1       // ΔE in [−1, 1) eV
            let t = 200 + 1300 * w   // T in [200, 1500) K
            let kf = Arrhenius.rate(nu: 1.9e12, barrier_eV: e, kelvin: t)
            let kr = Arrhenius.rate(nu: 1.9e12, barrier_eV: Arrhenius.reverseBarrier(forward: e, deltaE_eV: dE), kelvin: t)
            let expected = exp(-dE / (8.617_333_262e-5 * t))
            #expect(relErr(kf / kr, expected) < 1e-12, "E=\(e) ΔE=\(dE) T=\(t)")
        }
    }

    @Test func rateIsNuTimesBoltzmannFactor() {
        // Zero barrier: the attempt frequency itself; k_B T barrier: ν/e.
        #expect(Arrhenius.rate(nu: 1.9e12, barrier_eV: 0, kelvin: 500) == 1.9e12)
        let kT = Constants.boltzmann_eV_per_K * 673.15
        #expect(relErr(Arrhenius.rate(nu: 1.9e12, barrier_eV: kT, kelvin: 673.15), 1.9e12 / M_E) < 1e-15)
        #expect(relErr(Arrhenius.boltzmann(energy_eV: 2 * kT, kelvin: 673.15), exp(-2)) < 1e-15)
    }
}

@Suite struct UnitsTests {
    @Test func conversions() {
        #expect(Units.kelvin(celsius: 400) == 673.15)
        #expect(Units.kelvin(celsius: -273.15) == 0)
        #expect(Units.celsius(kelvin: 300) == 300 - 273.15)
        #expect(Units.angstrom(nm: 2.5) == 25)
        #expect(Units.nm(angstrom: 6.05) == 0.605)
        #expect(Units.perSecond(THz: 1.9) == 1.9e12)
        #expect(Units.seconds(minutes: 2.5) == 150)
        for c in stride(from: -200.0, through: 1000, by: 37.5) {
            #expect(abs(Units.celsius(kelvin: Units.kelvin(celsius: c)) - c) < 1e-12)
        }
    }

    /// The derived constants follow from CODATA 2018 defining values.
    @Test func constantsFromCODATA() {
        let e = 1.602_176_634e-19            // C (exact), also J per eV
        let epsilon0 = 8.854_187_8128e-12    // F/m
        let amu = 1.660_539_066_60e-27       // kg
        // e²/(4πε₀) in eV·Å: e/(4πε₀) V·m, ×1e10 Å/m.
        #expect(relErr(Constants.coulomb_eV_A, e / (4 * Double.pi * epsilon0) * 1e10) < 1e-9)
        // 1 eV·ps²/Å² = 1.602176634e-19 J · 1e-24 s² / 1e-20 m² = 1.602176634e-23 kg.
        #expect(relErr(Constants.amu_eV_ps2_per_A2, amu / 1.602_176_634e-23) < 1e-12)
        // k_B/e is exact in the SI but not a finite decimal: CODATA quotes it to 10 digits.
        #expect(relErr(Constants.boltzmann_eV_per_K, 1.380_649e-23 / e) < 1e-10)
    }
}

@Suite struct PaperEstimateTests {
    static let sumWZ = 0.4 + 0.29 + 0.7

    /// The paper's number (Fig. 6): wz at 400 °C, ν = 1.9 THz, N = 76e4 gives t_fc ≈ 1.02e4 s.
    @Test func wurtziteAt400CMatchesThePaper() {
        let e = PaperEstimate(barrierSum_eV: BarrierTable.paper.wz.sumBCD_eV, attemptFrequency_THz: 1.9,
                              cationSites: 76e4, wireVolume_nm3: 1, kelvin: Units.kelvin(celsius: 400))
        #expect(relErr(e.tFullConversion_s, 1.02e4) < 0.01)
    }

    /// Equal to the closed form t_fc = N / (ν exp(−ΣE / k_B T)) and rate = V/t_fc·3600 to 1e-12.
    @Test(arguments: [300.0, 500.0, 750.0])
    func closedForm(_ kelvin: Double) {
        let n = 76e4, nu = 1.9e12
        let v = Double.pi * 10 * 10 * 150
        let e = PaperEstimate(barrierSum_eV: Self.sumWZ, attemptFrequency_THz: 1.9, cationSites: n,
                              wireVolume_nm3: v, kelvin: kelvin)
        let p = exp(-Self.sumWZ / (8.617_333_262e-5 * kelvin))
        #expect(relErr(e.pCE, p) < 1e-12)
        #expect(relErr(e.tFullConversion_s, n / (nu * p)) < 1e-12)
        #expect(relErr(e.rate_nm3_per_h, v / (n / (nu * p)) * 3600) < 1e-12)
        #expect(e.kelvin == kelvin)
    }

    @Test func geometry() {
        #expect(relErr(PaperEstimate.cylinderVolume_nm3(diameter_nm: 20, length_nm: 150), 47123.889803846896) < 1e-14)
        // zb: 4 cations per cubic cell a³; wz: 2 per hexagonal cell (√3/2)a²c.
        #expect(relErr(PaperEstimate.cdSitesPerNm3(.zb), 4 / (0.605 * 0.605 * 0.605)) < 1e-14)
        #expect(relErr(PaperEstimate.cdSitesPerNm3(.wz), 2 / (0.8660254037844386 * 0.43 * 0.43 * 0.701)) < 1e-14)
        // The paper's N ≈ 76e4 for a 20 nm × 150 nm wire is within 15 % of density × volume.
        let n = PaperEstimate.cdSitesPerNm3(.wz) * PaperEstimate.cylinderVolume_nm3(diameter_nm: 20, length_nm: 150)
        #expect(abs(n / 76e4 - 1) < 0.15)
    }
}
