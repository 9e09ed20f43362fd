// Extended XYZ: exact round trip, ASE/OVITO-style input, errors with line numbers.
import Foundation
import Testing
import Geometry
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
        let frames = try ExtendedXYZ.parseConfigurations(text + text)
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
        let frames = try ExtendedXYZ.parseConfigurations(ase)
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
        let one = try ExtendedXYZ.parseConfigurations("1\nLattice=\"5 0 0 0 5 0 0 0 5\" pbc=F\nSe 1 2 3\n")
        #expect(one[0].configuration.cell.periodic == (false, false, false))
    }

    @Test("Errors carry the line number and say what is wrong")
    func errors() {
        let cases: [(String, Int, String)] = [
            ("2\nProperties=species:S:1:pos:R:3\nCd 0 0 0\nXx 1 1 1\n", 4, "unknown species"),
            ("2\nProperties=species:S:1:pos:R:3\nCd 0 0 0\nSe 1 1\n", 4, "has 3 columns, but Properties=species:S:1:pos:R:3 declare 4"),
            ("x\n", 1, "atom count"),
            ("1\nLattice=\"1 2 3\"\nCd 0 0 0\n", 2, "9 numbers"),
            ("1\npbc=\"T T T\"\nCd 0 0 0\n", 2, "needs a Lattice"),
            ("3\nProperties=species:S:1:pos:R:3\nCd 0 0 0\n", 4, "ends early"),
        ]
        for (text, line, fragment) in cases {
            do { _ = try ExtendedXYZ.parseConfigurations(text); Issue.record("no error for \(text)") }
            catch let e as ExtendedXYZError {
                #expect(e.line == line, "\(e)")
                #expect(e.description.contains(fragment), "\(e)")
            } catch { Issue.record("unexpected \(error)") }
        }
    }
}

@Suite struct XYZBytesTests {
    /// The MD text is pinned byte for byte (it was produced by MD's own writer before the format moved
    /// to Geometry): shortest round-trip numbers, pbc right after Properties, info in the given order,
    /// values with spaces, '=' or '"' quoted ('"' → '), empty values as "".
    @Test("MD frames keep their exact bytes: shortest numbers, pbc after Properties, quoting")
    func pinnedBytes() throws {
        let cell = Cell(a: SIMD3(4.39, 0, 0), b: SIMD3(-2.195, 3.8018, 0), c: SIMD3(0, 0, 7.02), periodic: (true, false, true))
        let c = Configuration(species: [.Cd, .Se, .Cu],
                              positions: [SIMD3(0, 0, 0), SIMD3(1.0 / 3, -2.5, 1e-5), SIMD3(0.1 + 0.2, 1e20, -0.0)],
                              velocities: [SIMD3(0.5, -1.25, 3), .zero, SIMD3(2.0 / 3, 7, -1e-7)], cell: cell)
        let forces: [SIMD3<Double>] = [SIMD3(1, 2, 3), SIMD3(-0.125, 0, .leastNonzeroMagnitude), SIMD3(1.7976931348623157e308, -3, 0.2)]
        let text = ExtendedXYZ.format(c, info: [("energy_eV", "-12.5"), ("note", "two words"), ("empty", ""), ("q", "say \"hi\" a=b")],
                                      forces: forces)
            + ExtendedXYZ.format(c, includeVelocities: false)
        let expected = """
            3
            Lattice="4.39 0.0 0.0 -2.195 3.8018 0.0 0.0 0.0 7.02" Properties=species:S:1:pos:R:3:velo:R:3:forces:R:3 pbc="T F T" energy_eV=-12.5 note="two words" empty="" q="say 'hi' a=b"
            Cd 0.0 0.0 0.0 0.5 -1.25 3.0 1.0 2.0 3.0
            Se 0.3333333333333333 -2.5 1e-05 0.0 0.0 0.0 -0.125 0.0 5e-324
            Cu 0.30000000000000004 1e+20 -0.0 0.6666666666666666 7.0 -1e-07 1.7976931348623157e+308 -3.0 0.2
            3
            Lattice="4.39 0.0 0.0 -2.195 3.8018 0.0 0.0 0.0 7.02" Properties=species:S:1:pos:R:3 pbc="T F T"
            Cd 0.0 0.0 0.0
            Se 0.3333333333333333 -2.5 1e-05
            Cu 0.30000000000000004 1e+20 -0.0

            """
        #expect(text == expected)
        // write(_:to:) sorts the info keys.
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cekmc-xyz-\(getpid()).xyz").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try ExtendedXYZ.write([ExtendedXYZ.ConfigurationFrame(configuration: c, info: ["b": "2", "a": "x y"], forces: forces)], to: path)
        let written = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")[1]
        #expect(written == "Lattice=\"4.39 0.0 0.0 -2.195 3.8018 0.0 0.0 0.0 7.02\" Properties=species:S:1:pos:R:3:velo:R:3:forces:R:3 pbc=\"T F T\" a=\"x y\" b=2")
        let back = try ExtendedXYZ.readConfigurations(contentsOf: path)
        #expect(back.count == 1 && back[0].configuration == c && back[0].forces == forces)
    }
}
