// Force-field tests: forces = −∇E by central differences for each term and in total, single() vs the
// bulk loop, parameters and mixing, virial vs strain derivative.
import Testing
@testable import MD
import CekmcCore

@Suite struct ForceFieldTests {
    // zb CdSe 2×2×2 (64 atoms, L = 12.16 Å), perturbed: small enough for a 5 Å cutoff + 0.5 Å skin.
    static let zb = FFTest.perturbed(ReferenceCrystals.zincblende(a: 6.08, repeats: [2, 2, 2]), amplitude: 0.15, seed: 11)
    // wz hexagonal 3×3×2 (72 atoms, triclinic), perturbed, with one Cd → Cu substitution (all 3 species).
    static let wz = FFTest.substituting(
        FFTest.perturbed(ReferenceCrystals.wurtziteHexagonal(a: 4.39, c: 7.02, u: 0.40, repeats: [3, 3, 2]), amplitude: 0.15, seed: 12),
        0, with: .Cu)
    static let atoms = [0, 5, 17, 33, 50]

    // Tolerance: h = 1e-4 Å ⇒ truncation error h²|E'''|/6 ≲ 1e-8·(10³ eV/Å³)/6 ≈ 2e-6 eV/Å, plus
    // round-off ~1e-12 eV/h = 1e-8 eV/Å. 2e-5 eV/Å absolute leaves a 10× margin.
    static let tol = 2e-5

    @Test("LJ alone: F = −∇E (orthorhombic and triclinic)")
    func ljForces() throws {
        let ff = try ForceField(coulomb: .none, ljCutoff: 5, skin: 0.5)
        for c in [Self.zb, Self.wz] {
            let r = try FFTest.forceCheck(ff, c, atoms: Self.atoms)
            #expect(r.maxError < Self.tol, "max |ΔF| = \(r.maxError) eV/Å (max |F| = \(r.maxForce))")
            #expect(r.maxForce > 1e-3)
        }
    }

    @Test("DSF alone: F = −∇E (orthorhombic, triclinic, open cluster, wire)")
    func dsfForces() throws {
        let ff = try ForceField(parameters: FFTest.coulombOnly, coulomb: .dsf(alpha: 0.2, cutoff: 5), ljCutoff: 5, skin: 0.5)
        var cluster = Self.zb; cluster.cell.periodic = (false, false, false)
        var wire = Self.zb; wire.cell.periodic = (false, false, true)
        for c in [Self.zb, Self.wz, cluster, wire] {
            let r = try FFTest.forceCheck(ff, c, atoms: Self.atoms)
            #expect(r.maxError < Self.tol, "max |ΔF| = \(r.maxError) eV/Å (max |F| = \(r.maxForce))")
            #expect(r.maxForce > 1e-2)
        }
    }

    @Test("Ewald alone: F = −∇E (orthorhombic and triclinic, α r_c = 5.5 so the truncation jump is < 1e-13 eV)")
    func ewaldForces() throws {
        let p = EwaldParameters(alpha: 1.1, realCutoff: 5, kCutoff: 12.1)
        let ff = try ForceField(parameters: FFTest.coulombOnly, coulomb: .ewaldExplicit(p), ljCutoff: 5, skin: 0.5)
        for c in [Self.zb, Self.wz] {
            let r = try FFTest.forceCheck(ff, c, atoms: Self.atoms)
            #expect(r.maxError < Self.tol, "max |ΔF| = \(r.maxError) eV/Å (max |F| = \(r.maxForce))")
            #expect(r.maxForce > 1e-2)
        }
    }

    @Test("Total (LJ + DSF, LJ + Ewald): F = −∇E")
    func totalForces() throws {
        let p = EwaldParameters(alpha: 1.1, realCutoff: 5, kCutoff: 12.1)
        for method in [CoulombMethod.dsf(alpha: 0.2, cutoff: 5), .ewaldExplicit(p)] {
            let ff = try ForceField(coulomb: method, ljCutoff: 5, skin: 0.5)
            for c in [Self.zb, Self.wz] {
                let r = try FFTest.forceCheck(ff, c, atoms: Self.atoms)
                #expect(r.maxError < Self.tol, "\(method): max |ΔF| = \(r.maxError) eV/Å")
            }
        }
    }

    @Test("Bulk loop energy = Σ single(pair) over brute-force pairs (+ self term)")
    func bulkEqualsSingle() throws {
        for method in [CoulombMethod.none, .dsf(alpha: 0.2, cutoff: 5), .ewaldExplicit(EwaldParameters(alpha: 0.6, realCutoff: 4.5, kCutoff: 6))] {
            var ff = try ForceField(coulomb: method, ljCutoff: 5, skin: 0.5)
            let b = try ff.energyBreakdown(Self.wz)
            var lj = 0.0, coul = 0.0
            for pair in try NeighborList.bruteForcePairs(Self.wz.positions, cell: Self.wz.cell, cutoff: 5) {
                let e = ff.single(Self.wz.species[pair.i], Self.wz.species[pair.j], r: pair.r)
                lj += e.lennardJones; coul += e.coulomb
            }
            #expect(FFTest.relClose(b.lennardJones, lj, 1e-12), "\(method): LJ \(b.lennardJones) vs \(lj)")
            #expect(abs(b.coulombReal - coul) <= 1e-12 * max(1, abs(coul)), "\(method): Coulomb \(b.coulombReal) vs \(coul)")
        }
    }

    @Test("single(): force = −dE/dr by central differences; LJ shifted to 0 at r_c")
    func singleDerivative() throws {
        let ff = try ForceField(coulomb: .dsf())
        for (x, y) in [(Species.Cd, Species.Se), (.Se, .Se), (.Cd, .Cu), (.Se, .Cu)] {
            for r in [2.2, 2.7, 3.5, 6.0, 9.5] {
                let h = 1e-5
                let fd = -(ff.single(x, y, r: r + h).energy - ff.single(x, y, r: r - h).energy) / (2 * h)
                let f = ff.single(x, y, r: r).force
                #expect(abs(fd - f) <= 1e-6 * max(1, abs(f)), "\(x)-\(y) r=\(r): \(f) vs \(fd)")
            }
            #expect(abs(ff.single(x, y, r: 10 - 1e-9).lennardJones) < 1e-12)
        }
    }

    @Test("Lorentz–Berthelot mixing reproduces Tables 2–3 (printed ε_SeCu 1.33 meV is LB's 1.337 truncated)")
    func mixing() {
        let p = ForceFieldParameters.casu2023
        #expect(abs(p.pair(.Se, .Cd).epsilon_eV * 1e3 - 1.58) < 0.005)
        #expect(abs(p.pair(.Cd, .Cu).epsilon_eV * 1e3 - 1.42) < 0.005)
        #expect(abs(p.pair(.Se, .Cu).epsilon_eV * 1e3 - 1.3372) < 1e-4)
        #expect(abs(p.pair(.Se, .Cd).sigma_A - 3.61) < 1e-12)
        #expect(abs(p.pair(.Se, .Cu).sigma_A - 3.12) < 1e-12)
        #expect(abs(p.pair(.Cd, .Cu).sigma_A - 1.49) < 1e-12)
        #expect(p.pair(.Cu, .Se) == p.pair(.Se, .Cu))
    }

    @Test("Parameter hash: stable, and changes with any parameter")
    func parameterHash() {
        let p = ForceFieldParameters.casu2023
        #expect(p.hash == ForceFieldParameters.fnv1a64(p.canonicalText))
        #expect(ForceFieldParameters.fnv1a64("") == 0xcbf2_9ce4_8422_2325)
        #expect(ForceFieldParameters.fnv1a64("a") == 0xaf63_dc4c_8601_ec8c)   // FNV-1a test vector
        var q = p; q[.Cu].charge_e = 0.6
        #expect(q.hash != p.hash)
        #expect(ForceFieldParameters.casu2023PrintedCrossTerms.hash != p.hash)
        #expect(p.hashHex.count == 16)
    }

    @Test("Setup errors name the component and key")
    func setupErrors() throws {
        #expect(throws: ForceFieldError.self) { try ForceField(coulomb: .dsf(alpha: -1, cutoff: 10)) }
        #expect(throws: ForceFieldError.self) { try ForceField(ljCutoff: 0) }
        var ff = try ForceField(coulomb: .ewald())
        var wire = Self.zb; wire.cell.periodic = (false, false, true)
        #expect(throws: ForceFieldError.self) { try ff.prepare(wire) }
        var big = try ForceField(coulomb: .dsf())   // 10 Å + 1 Å skin > 16 × 0.6 Å
        var thin = Self.zb; thin.cell.c = [0, 0, 0.6]
        do { try big.prepare(thin); Issue.record("expected cellTooSmall") }
        catch let e as ForceFieldError {
            guard case .cellTooSmall = e else { Issue.record("wrong error \(e)"); return }
            #expect(e.description.contains("neighbor_list"))
        }
    }

    @Test("computesVirial = false: same energy and forces, zero virial")
    func virialSwitch() throws {
        var on = try ForceField(coulomb: .dsf(alpha: 0.2, cutoff: 5), ljCutoff: 5, skin: 0.5)
        var off = on
        off.computesVirial = false
        var f1: [SIMD3<Double>] = [], f2: [SIMD3<Double>] = []
        let e1 = try on.evaluate(Self.wz, forces: &f1), e2 = try off.evaluate(Self.wz, forces: &f2)
        #expect(e1 == e2 && f1 == f2)
        #expect(on.lastVirial.trace != 0 && off.lastVirial == .zero)
    }

    @Test("Virial: W = −∂E/∂ε by central differences of a homogeneous strain (LJ + DSF, LJ + Ewald, triclinic)")
    func virialStrain() throws {
        let p = EwaldParameters(alpha: 1.1, realCutoff: 5, kCutoff: 12.1)
        for method in [CoulombMethod.dsf(alpha: 0.2, cutoff: 5), .ewaldExplicit(p)] {
            var ff = try ForceField(coulomb: method, ljCutoff: 5, skin: 0.5)
            let c0 = Self.wz
            _ = try ff.energyBreakdown(c0)
            let w = ff.lastVirial
            let h = 1e-6
            for (a, b) in [(0, 0), (1, 1), (2, 2), (0, 1), (0, 2), (1, 2)] {
                func strained(_ e: Double) -> Configuration {
                    var m = [SIMD3<Double>](repeating: .zero, count: 3)   // rows of I + ε (symmetric ε)
                    for r in 0..<3 { m[r][r] = 1 }
                    if a == b { m[a][a] += e } else { m[a][b] += e / 2; m[b][a] += e / 2 }
                    func apply(_ v: SIMD3<Double>) -> SIMD3<Double> { SIMD3((m[0] * v).sum(), (m[1] * v).sum(), (m[2] * v).sum()) }
                    var c = c0
                    c.positions = c0.positions.map(apply)
                    c.cell = Cell(a: apply(c0.cell.a), b: apply(c0.cell.b), c: apply(c0.cell.c), periodic: c0.cell.periodic)
                    return c
                }
                var fp = ff, fm = ff
                let dE = (try fp.energyBreakdown(strained(h)).total - fm.energyBreakdown(strained(-h)).total) / (2 * h)
                // With ε_ab = ε_ba = e/2 (off-diagonal): dE/de = ∂E/∂ε_ab = −W_ab (W symmetric).
                #expect(abs(dE + w[a, b]) <= 1e-5 * max(1, abs(w[a, b])), "\(method) W[\(a),\(b)] = \(w[a, b]) vs −dE/dε = \(-dE)")
            }
        }
    }
}
