// The two DSF self-energy conventions (PairLaws.swift, `DSFSelfEnergy`). The LAMMPS one must give
// LAMMPS's total energy of pair_style lj/cut/coul/dsf (with pair_modify shift yes): here that energy
// is written out independently from LAMMPS's expressions (pair_lj_cut_coul_dsf.cpp: init_one's
// e_shift and f_shift, compute()'s ecoul and e_self, lj/cut evdwl − offset) with libm erfc, over
// all minimum-image pairs of a fixed 512-atom cell (brute force, w/2 = 12.2 Å > 10 Å).
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
@testable import MD
import CekmcCore

@Suite struct DSFSelfEnergyTests {
    static let alpha = 0.2, rc = 10.0
    static let config: Configuration = {
        var c = FFTest.perturbed(ReferenceCrystals.zincblende(a: 6.08, repeats: [4, 4, 4]), amplitude: 0.25, seed: 21)
        for i in stride(from: 0, to: c.count, by: 37) { c.species[i] = .Cu }
        return c
    }()

    /// LAMMPS lj/cut/coul/dsf total energy (eV) of `c`, LJ and Coulomb cutoffs `rc`, shifted LJ.
    static func lammpsEnergy(_ c: Configuration) throws -> Double {
        let p = ForceFieldParameters.casu2023
        let qqrd2e = Constants.coulomb_eV_A
        let misPi = Double.pi.squareRoot()
        // init_one: f_shift = −(erfc(αR)/R² + 2/√π α e^{−α²R²}/R), e_shift = erfc(αR)/R − f_shift R.
        let erfcc = erfc(alpha * rc), erfcd = exp(-alpha * alpha * rc * rc)
        let fShift = -(erfcc / (rc * rc) + 2 / misPi * alpha * erfcd / rc)
        let eShift = erfcc / rc - fShift * rc
        let g = try CellGeometry(c.cell)
        var e = 0.0
        for i in 0..<c.count {
            let qi = p.charge(c.species[i])
            e += -(eShift / 2 + alpha / misPi) * qi * qi * qqrd2e            // e_self
            for j in (i + 1)..<c.count {
                let d = g.minimumImage(c.positions[i] - c.positions[j])
                let rsq = (d * d).sum()
                guard rsq < rc * rc else { continue }
                let r = rsq.squareRoot()
                let prefactor = qqrd2e * qi * p.charge(c.species[j]) / r
                e += prefactor * (erfc(alpha * r) - r * eShift - rsq * fShift)   // ecoul
                let pp = p.pair(c.species[i], c.species[j])
                let lj3 = 4 * pp.epsilon_eV * pow(pp.sigma_A, 12), lj4 = 4 * pp.epsilon_eV * pow(pp.sigma_A, 6)
                let ratio = pp.sigma_A / rc
                let offset = 4 * pp.epsilon_eV * (pow(ratio, 12) - pow(ratio, 6))
                let r6inv = 1 / (rsq * rsq * rsq)
                e += r6inv * (lj3 * r6inv - lj4) - offset                        // evdwl
            }
        }
        return e
    }

    @Test("selfEnergy: .lammps reproduces LAMMPS's lj/cut/coul/dsf energy expression to 1e-9 eV/atom")
    func lammpsConvention() throws {
        let c = Self.config
        var ff = try ForceField(coulomb: .dsf(alpha: Self.alpha, cutoff: Self.rc, selfEnergy: .lammps), ljCutoff: Self.rc)
        let n = Double(c.count)
        let got = try ff.energyBreakdown(c).total / n
        let want = try Self.lammpsEnergy(c) / n
        #expect(abs(got - want) < 1e-9, "cekmc \(got) vs LAMMPS expression \(want) eV/atom")
    }

    @Test("Fennell–Gezelter − LAMMPS = k_e (erfc(αR)/2R + (α/√π)e^{−α²R²}) Σq² (0.046 eV/atom here); forces identical")
    func conventionsDiffer() throws {
        let c = Self.config
        var fg = try ForceField(coulomb: .dsf(alpha: Self.alpha, cutoff: Self.rc))
        var lm = try ForceField(coulomb: .dsf(alpha: Self.alpha, cutoff: Self.rc, selfEnergy: .lammps))
        var f1: [SIMD3<Double>] = [], f2: [SIMD3<Double>] = []
        let e1 = try fg.evaluate(c, forces: &f1).total, e2 = try lm.evaluate(c, forces: &f2).total
        var sumQ2 = 0.0
        for s in c.species { sumQ2 += ForceFieldParameters.casu2023.charge(s) * ForceFieldParameters.casu2023.charge(s) }
        let a = Self.alpha, r = Self.rc
        let expected = Constants.coulomb_eV_A * (erfc(a * r) / (2 * r) + a / Double.pi.squareRoot() * exp(-a * a * r * r)) * sumQ2
        #expect(abs((e1 - e2) - expected) < 1e-9 * Double(c.count), "\(e1 - e2) vs \(expected) eV")
        #expect(abs((e1 - e2) / Double(c.count) - 0.046) < 0.001)
        #expect(f1 == f2)
    }
}
