// Force-field input files (kind = "forcefield"): defaults, overrides, methods, errors, round trip.
import Testing
@testable import InputFiles
import MD

@Suite struct ForceFieldInputTests {
    @Test("A file with only kind gives the Casu 2023 defaults (DSF 0.2 Å⁻¹ / 10 Å, LJ 10 Å shifted, skin 1 Å)")
    func defaults() throws {
        let f = try ForceFieldInput.parse("kind = \"forcefield\"\n", file: "ff.toml")
        #expect(f == ForceFieldInput.casu2023)
        #expect(f.parameters == ForceFieldParameters.casu2023)
        #expect(f.coulomb == .dsf(alpha: 0.2, cutoff: 10))
        #expect(!f.encodeTOML().contains("self_energy"))   // the default convention is not written: hashes unchanged
        #expect(f.hashHex == ForceFieldInput.casu2023.hashHex && f.hashHex.count == 16)
    }

    @Test("Species values, pair overrides and every Coulomb method decode; encodeTOML round-trips")
    func decodeAndRoundTrip() throws {
        let text = """
        kind = "forcefield"
        [species.Cu]
        epsilon_eV = 0.0011
        charge_e = 0.6
        [pairs.Cd-Cu]
        sigma_A = 1.5
        [lennard_jones]
        cutoff_A = 12
        shifted = false
        [coulomb]
        method = "ewald"
        accuracy = 1e-6
        cutoff_A = 11
        [neighbor_list]
        skin_A = 0.5
        """
        let f = try ForceFieldInput.parse(text, file: "ff.toml")
        #expect(f.parameters[.Cu] == SpeciesParameters(epsilon_eV: 0.0011, sigma_A: 1.0, charge_e: 0.6))
        #expect(f.parameters.pair(.Cu, .Cd).sigma_A == 1.5)
        #expect(f.parameters.pair(.Cu, .Cd).epsilon_eV == (0.00168 * 0.0011).squareRoot())
        #expect(f.coulomb == .ewald(accuracy: 1e-6, cutoff: 11))
        #expect(f.ljCutoff_A == 12 && !f.ljShifted && f.skin_A == 0.5)
        #expect(try ForceFieldInput.parse(f.encodeTOML(), file: "rt.toml") == f)
        #expect(f.hashHex != ForceFieldInput.casu2023.hashHex)
        for (body, method) in [("method = \"none\"", CoulombMethod.none), ("method = \"direct\"", .direct),
                               ("method = \"ewald\"\nalpha_per_A = 0.3\nk_cutoff_per_A = 2.0", .ewaldExplicit(EwaldParameters(alpha: 0.3, realCutoff: 10, kCutoff: 2))),
                               ("method = \"dsf\"\nalpha_per_A = 0.15\ncutoff_A = 12", .dsf(alpha: 0.15, cutoff: 12)),
                               ("method = \"dsf\"\nself_energy = \"lammps\"", .dsf(alpha: 0.2, cutoff: 10, selfEnergy: .lammps))] {
            let g = try ForceFieldInput.parse("kind = \"forcefield\"\n[coulomb]\n\(body)\n", file: "m.toml")
            #expect(g.coulomb == method)
            #expect(try ForceFieldInput.parse(g.encodeTOML(), file: "rt.toml") == g)
            _ = try g.makeForceField()
        }
    }

    @Test("Errors name file, line, key path and what is allowed")
    func errors() {
        let cases: [(String, String)] = [
            ("kind = \"forcefield\"\n[species.Cd]\nsigma_A = -1\n", "ff.toml:3: key 'species.Cd.sigma_A' = -1"),
            ("kind = \"forcefield\"\n[species.Xx]\nsigma_A = 1\n", "unknown key"),
            ("kind = \"forcefield\"\n[pairs.Cu-Cd]\nsigma_A = 1\n", "key 'pairs.Cu-Cd' = { sigma_A = 1 }: unknown species pair (allowed: Cd-Cd, Cd-Se, Cd-Cu, Se-Se, Se-Cu, Cu-Cu"),
            ("kind = \"forcefield\"\n[coulomb]\nmethod = \"pppm\"\n", "key 'coulomb.method' = \"pppm\": not an allowed value"),
            ("kind = \"forcefield\"\n[coulomb]\nmethod = \"ewald\"\nalpha_per_A = 0.3\n", "explicit Ewald α needs k_cutoff_per_A"),
            ("kind = \"forcefield\"\n[coulomb]\nmethod = \"dsf\"\naccuracy = 1e-5\n", "key 'coulomb.accuracy' = 1e-05: unknown key"),
        ]
        for (text, fragment) in cases {
            do { _ = try ForceFieldInput.parse(text, file: "ff.toml"); Issue.record("no error for \(text)") }
            catch { #expect("\(error)".contains(fragment), "\(error)") }
        }
    }

    @Test("cekmc validate dispatches kind = \"forcefield\" to this decoder")
    func validateDispatch() throws {
        _ = try InputKind.validate(text: "kind = \"forcefield\"\n[coulomb]\nmethod = \"ewald\"\n", file: "v.toml")
        #expect(throws: InputError.self) { try InputKind.validate(text: "kind = \"forcefield\"\n[lennard_jones]\ncutoff = 3\n", file: "v.toml") }
    }
}
