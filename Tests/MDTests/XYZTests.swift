// Extended XYZ: exact round trip, ASE/OVITO-style input, errors with line numbers.
import Testing
@testable import MD

@Suite struct XYZTests {
    @Test("Configuration round-trips bit-exactly (triclinic, partly periodic, velocities)")
    func roundTrip() throws {
        var c = FFTest.perturbed(ReferenceCrystals.wurtziteHexagonal(a: 4.39, c: 7.02, u: 0.4, repeats: [2, 2, 1]), amplitude: 0.1, seed: 7)
        c.species[3] = .Cu
        c.cell.periodic = (true, false, true)
        let g = FFTest.rng(8)
        c.velocities = c.velocities.map { _ in SIMD3(g.gaussian(sigma: 7.3), g.gaussian(sigma: 7.3), g.gaussian(sigma: 7.3)) }
        let forces = c.positions.map { $0 * 0.1 }
        let text = ExtendedXYZ.format(c, info: [("energy_eV", "-12.5"), ("note", "two words")], forces: forces)
        let frames = try ExtendedXYZ.parse(text + text)
        #expect(frames.count == 2)
        #expect(frames[0].configuration == c)
        #expect(frames[0].forces == forces)
        #expect(frames[0].info["energy_eV"] == "-12.5" && frames[0].info["note"] == "two words")
        #expect(text.contains("Properties=species:S:1:pos:R:3:velo:R:3:forces:R:3 pbc=\"T F T\""))
    }

    @Test("Reads ASE/OVITO-style frames: extra columns, Z column, flags, no Lattice (open box), one-letter pbc")
    func foreignInput() throws {
        let ase = """
        2
        Lattice="6.0 0.0 0.0 0.0 6.0 0.0 0.0 0.0 6.0" Properties=species:S:1:pos:R:3:charge:R:1:tags:I:1 energy=-3.2 pbc="T T T" frozen
        Cd 0.0 0.0 0.0 1.18 0
        Se 1.5 1.5 1.5 -1.18 1
        3
        Properties=Z:I:1:pos:R:3
        29 0 0 0
        48 2 0 0
        34 0 3 1
        """
        let frames = try ExtendedXYZ.parse(ase)
        #expect(frames.count == 2)
        let a = frames[0]
        #expect(a.configuration.species == [.Cd, .Se])
        #expect(a.configuration.positions[1] == SIMD3(1.5, 1.5, 1.5))
        #expect(a.configuration.cell == Cell.orthorhombic([6, 6, 6]))
        #expect(a.info["energy"] == "-3.2" && a.info["frozen"] == "T")
        let b = frames[1].configuration
        #expect(b.species == [.Cu, .Cd, .Se])
        #expect(b.cell.periodic == (false, false, false))
        #expect(b.cell.a.x == 2 + 2 * ExtendedXYZ.openBoxPadding && b.cell.b.y == 3 + 2 * ExtendedXYZ.openBoxPadding)
        let one = try ExtendedXYZ.parse("1\nLattice=\"5 0 0 0 5 0 0 0 5\" pbc=F\nSe 1 2 3\n")
        #expect(one[0].configuration.cell.periodic == (false, false, false))
    }

    @Test("Errors carry the line number and say what is wrong")
    func errors() {
        let cases: [(String, Int, String)] = [
            ("2\nProperties=species:S:1:pos:R:3\nCd 0 0 0\nXx 1 1 1\n", 4, "unknown species"),
            ("2\nProperties=species:S:1:pos:R:3\nCd 0 0 0\nSe 1 1\n", 4, "more columns"),
            ("x\n", 1, "atom count"),
            ("1\nLattice=\"1 2 3\"\nCd 0 0 0\n", 2, "9 numbers"),
            ("1\npbc=\"T T T\"\nCd 0 0 0\n", 2, "needs a Lattice"),
            ("3\nProperties=species:S:1:pos:R:3\nCd 0 0 0\n", 4, "ends early"),
        ]
        for (text, line, fragment) in cases {
            do { _ = try ExtendedXYZ.parse(text); Issue.record("no error for \(text)") }
            catch let e as ExtendedXYZError {
                #expect(e.line == line, "\(e)")
                #expect(e.description.contains(fragment), "\(e)")
            } catch { Issue.record("unexpected \(error)") }
        }
    }
}
