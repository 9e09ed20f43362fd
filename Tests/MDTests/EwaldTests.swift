// Ewald tests against exact answers: Madelung constants, α independence, triclinic = orthorhombic,
// charged cells with a neutralising background, and the accuracy-driven parameter choice.
import Testing
@testable import MD
import CekmcCore

@Suite struct EwaldTests {
    /// Madelung constant per ion pair, referred to the nearest-neighbour distance d:
    /// E = −M k_e N_pairs / d for unit charges.
    static func madelung(_ c: Configuration, nearest d: Double, method: CoulombMethod, skin: Double = 0.1) throws -> Double {
        var ff = try ForceField(parameters: FFTest.unitCharges, coulomb: method, ljCutoff: 1, skin: skin)
        let e = try ff.energyBreakdown(c).total
        return -e * d / (Constants.coulomb_eV_A * Double(c.count / 2))
    }

    @Test("Rock salt Madelung constant 1.747565 to 1e-6 relative")
    func rockSalt() throws {
        let c = ReferenceCrystals.rockSalt(a: 2, repeats: [3, 3, 3])   // d = 1 Å, L = 6 Å
        let m = try Self.madelung(c, nearest: 1, method: .ewald(accuracy: 1e-10, cutoff: 2.8))
        #expect(abs(m - 1.747_564_594_633) <= 1e-6 * 1.747565, "M = \(m)")
    }

    @Test("Zincblende Madelung constant 1.638055 (nearest-neighbour) to 1e-6 relative")
    func zincblende() throws {
        let a = 4.0
        let c = ReferenceCrystals.zincblende(a: a, repeats: [2, 2, 2])  // L = 8 Å
        let m = try Self.madelung(c, nearest: a * 3.0.squareRoot() / 4, method: .ewald(accuracy: 1e-10, cutoff: 3.8))
        #expect(abs(m - 1.638_055_053_4) <= 1e-6 * 1.638055, "M = \(m)")
    }

    @Test("Energy independent of α: three (α, r_c, K) choices agree to 1e-6 relative (zb CdSe, perturbed)")
    func alphaIndependence() throws {
        let c = FFTest.perturbed(ReferenceCrystals.zincblende(a: 6.08, repeats: [2, 2, 2]), amplitude: 0.2, seed: 3)
        var energies: [Double] = []
        var alphas: [Double] = []
        for rc in [3.5, 4.5, 5.8] {
            var ff = try ForceField(parameters: FFTest.coulombOnly, coulomb: .ewald(accuracy: 1e-9, cutoff: rc), ljCutoff: 1, skin: 0.2)
            energies.append(try ff.energyBreakdown(c).total)
            alphas.append(ff.ewaldParameters!.alpha)
        }
        #expect(alphas[0] > 1.3 * alphas[2])
        for e in energies.dropFirst() { #expect(FFTest.relClose(e, energies[0], 1e-6), "\(energies) for α = \(alphas)") }
    }

    @Test("Charged cell (one Cd vacancy) with background term: energy independent of α to 1e-6")
    func chargedCell() throws {
        var c = FFTest.perturbed(ReferenceCrystals.zincblende(a: 6.08, repeats: [2, 2, 2]), amplitude: 0.1, seed: 4)
        c.species.removeFirst(); c.positions.removeFirst(); c.velocities.removeFirst()
        var energies: [Double] = [], backgrounds: [Double] = []
        for rc in [3.5, 4.5, 5.8] {
            var ff = try ForceField(parameters: FFTest.coulombOnly, coulomb: .ewald(accuracy: 1e-9, cutoff: rc), ljCutoff: 1, skin: 0.2)
            let b = try ff.energyBreakdown(c)
            energies.append(b.total); backgrounds.append(b.coulombBackground)
        }
        // The background term changes by ~0.02 eV (≫ 1e-6·|E| ≈ 6e-4 eV) between the α values; the total must not.
        #expect(abs(backgrounds[0] - backgrounds[2]) > 0.01)
        for e in energies.dropFirst() { #expect(FFTest.relClose(e, energies[0], 1e-6), "\(energies)") }
    }

    @Test("Triclinic hexagonal wz cell = orthorhombic supercell, per atom, Ewald and DSF")
    func triclinicEqualsOrthorhombic() throws {
        let hex = FFTest.perturbed(ReferenceCrystals.wurtziteHexagonal(a: 4.39, c: 7.02, u: 0.40, repeats: [4, 4, 3]), amplitude: 0, seed: 0)
        let ort = ReferenceCrystals.wurtziteOrthorhombic(a: 4.39, c: 7.02, u: 0.40, repeats: [4, 2, 3])
        #expect(hex.count == 192 && ort.count == 192)
        for method in [CoulombMethod.ewald(accuracy: 1e-11, cutoff: 6), .dsf(alpha: 0.2, cutoff: 6)] {
            var f1 = try ForceField(coulomb: method, ljCutoff: 6, skin: 0.3)
            var f2 = try ForceField(coulomb: method, ljCutoff: 6, skin: 0.3)
            let e1 = try f1.energyBreakdown(hex).total / Double(hex.count)
            let e2 = try f2.energyBreakdown(ort).total / Double(ort.count)
            #expect(FFTest.relClose(e1, e2, 1e-8), "\(method): hex \(e1) vs orth \(e2) eV/atom")
        }
    }

    @Test("Dipole in a cubic box: tin-foil Ewald = direct k_e q₁q₂/r − k_e 2πp²/(3V) (de Leeuw, Perram & Smith 1980)")
    func dimerInBox() throws {
        // For a cubic lattice the spherically summed dipole–image sum vanishes, so the vacuum-boundary
        // energy is the direct pair energy; tin-foil (Ewald) differs by −2π|M|²/(3V) (Proc. R. Soc.
        // Lond. A 373, 27 (1980)). Higher multipoles (dimer octupole) add ~p·r³/L⁵ ≈ 1e-6 eV at L = 30 Å.
        let r = 1.5, l = 30.0
        let c = Configuration(species: [.Cd, .Se], positions: [[10, 10, 10], [10 + r, 10, 10]], cell: .orthorhombic([l, l, l]))
        var ff = try ForceField(parameters: FFTest.unitCharges, coulomb: .ewald(accuracy: 1e-10, cutoff: 12), ljCutoff: 1, skin: 0.5)
        let e = try ff.energyBreakdown(c).total
        let direct = -Constants.coulomb_eV_A / r
        let surface = Constants.coulomb_eV_A * 2 * Double.pi * r * r / (3 * l * l * l)
        #expect(abs(e - (direct - surface)) < 1e-5, "Ewald \(e) vs \(direct - surface) (direct \(direct), surface \(surface))")
    }

    @Test("Balanced real-space cutoff: within bounds, cheaper by the cost model than the LJ cutoff (2400-atom wz: 12.2 Å)")
    func balancedCutoff() throws {
        let c = ForceFieldBenchmark.wurtziteCell()
        var ff = try ForceField(coulomb: .ewald(accuracy: 1e-5))
        try ff.prepare(c)
        let p = ff.ewaldParameters!
        #expect(p.realCutoff >= 10 && p.realCutoff < 0.5 * 35.1 - 1)
        #expect(abs(p.realCutoff - 12.2) < 0.05, "r_c = \(p.realCutoff)")
        #expect(ff.coulombCutoff == p.realCutoff && ff.pairCutoff == p.realCutoff)
        // The chosen set meets the accuracy like any other (same estimates).
        #expect(EwaldParameters.realSpaceForceError(alpha: p.alpha, cutoff: p.realCutoff, count: c.count, sumQ2: 2400 * 1.18 * 1.18, volume: c.cell.volume)
                <= 1e-5 * Constants.coulomb_eV_A / 2.0.squareRoot() * (1 + 1e-9))
    }

    @Test("Accuracy-driven parameters: forces at accuracy 1e-5 differ from a converged (1e-12) reference by ≤ 1e-5 k_e e²/Å² RMS")
    func accuracyChoice() throws {
        let c = FFTest.perturbed(ReferenceCrystals.zincblende(a: 6.08, repeats: [3, 3, 3]), amplitude: 0.2, seed: 5)
        var ref = try ForceField(coulomb: .ewald(accuracy: 1e-12, cutoff: 8), ljCutoff: 8, skin: 0.5)
        var test = try ForceField(coulomb: .ewald(accuracy: 1e-5, cutoff: 8), ljCutoff: 8, skin: 0.5)
        var f0: [SIMD3<Double>] = [], f1: [SIMD3<Double>] = []
        let e0 = try ref.evaluate(c, forces: &f0).total
        let e1 = try test.evaluate(c, forces: &f1).total
        var s = 0.0
        for i in 0..<c.count { let d = f0[i] - f1[i]; s += (d * d).sum() }
        let rms = (s / Double(c.count)).squareRoot()
        let fref = Constants.coulomb_eV_A
        #expect(rms <= 1e-5 * fref, "RMS ΔF = \(rms) eV/Å, bound \(1e-5 * fref)")
        #expect(rms >= 1e-9 * fref)   // the 1e-5 set really is less accurate: the check can fail
        #expect(abs(e1 - e0) / Double(c.count) <= 1e-5 * fref, "ΔE/N = \(abs(e1 - e0) / Double(c.count))")
    }
}
