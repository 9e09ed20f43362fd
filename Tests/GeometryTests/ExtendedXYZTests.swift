// The package's one extended-XYZ reader/writer: bit-exact write → read round trip with every column
// type, ASE-compatible comment line (Lattice, Properties, pbc), fixed-point numbers, and errors that
// name the line and what is wrong (column counts above all).
import Foundation
import Testing
@testable import Geometry

@Suite struct ExtendedXYZTests {
    /// A triclinic, partly periodic frame with extra columns of all four types.
    static func sampleFrame(shift: Double = 0) -> ExtendedXYZ.Frame {
        let pos: [SIMD3<Double>] = [SIMD3(0, 0, 0), SIMD3(1.0 / 3, -2.5, 1e-5), SIMD3(0.1 + 0.2, 7.5, -0.0)].map { shift == 0 ? $0 : $0 + shift }
        return ExtendedXYZ.Frame(
            lattice: ExtendedXYZ.Lattice(a: SIMD3(4.39, 0, 0), b: SIMD3(-2.195, 3.8018, 0), c: SIMD3(0, 0, 7.02)),
            pbc: (true, false, true), info: ["energy": "-12.5", "note": "two words", "flag": "T"],
            species: ["Cd", "Se", "Cu"], positions: pos,
            columns: [ExtendedXYZ.Column("velo", vectors: [SIMD3(0.5, -1.25, 3), .zero, SIMD3(2.0 / 3, 7, -1e-7)]),
                      ExtendedXYZ.Column(ExtendedXYZ.Property("charge", .real, 1), .real([1.18, -1.18, 0.59])),
                      ExtendedXYZ.Column(ExtendedXYZ.Property("tags", .integer, 2), .integer([0, 1, -2, 3, 40, 5])),
                      ExtendedXYZ.Column(ExtendedXYZ.Property("fixed", .logical, 1), .logical([true, false, true])),
                      ExtendedXYZ.Column(ExtendedXYZ.Property("label", .string, 1), .string(["a", "b2", "c_3"]))])
    }

    @Test("write → read round trip is bit-exact for every column type, over concatenated frames")
    func roundTrip() throws {
        let a = Self.sampleFrame(), b = Self.sampleFrame(shift: 0.25)
        let text = ExtendedXYZ.format(a) + "\n" + ExtendedXYZ.format(b)   // a blank line between frames is allowed
        let frames = try ExtendedXYZ.parse(text)
        #expect(frames == [a, b])
        #expect(frames[0].sourceLine == 1 && frames[1].sourceLine == 7)
        #expect(frames[1].line(ofAtom: 2) == 11)
        #expect(frames[0].column("velo")?.vectors?[2] == SIMD3(2.0 / 3, 7, -1e-7))
        #expect(frames[0].positions[2].z.sign == .minus)   // −0.0 survives
        // Through a file, too.
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cekmc-geom-xyz-\(getpid()).xyz").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try ExtendedXYZ.write([a, b], to: path)
        #expect(try ExtendedXYZ.read(contentsOf: path) == [a, b])
    }

    @Test("Comment line is ASE's: Lattice=\"…\" Properties=species:S:1:pos:R:3:… key=value pbc=\"…\"")
    func aseHeader() throws {
        let text = ExtendedXYZ.format(Self.sampleFrame())
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0] == "3")
        #expect(lines[1] == "Lattice=\"4.39 0.0 0.0 -2.195 3.8018 0.0 0.0 0.0 7.02\" "
                + "Properties=species:S:1:pos:R:3:velo:R:3:charge:R:1:tags:I:2:fixed:L:1:label:S:1 "
                + "energy=-12.5 flag=T note=\"two words\" pbc=\"T F T\"")
        #expect(lines[2] == "Cd 0.0 0.0 0.0 0.5 -1.25 3.0 1.18 0 1 T a")
        #expect(lines[4] == "Cu 0.30000000000000004 7.5 -0.0 0.6666666666666666 7.0 -1e-07 0.59 40 5 T c_3")
        #expect(lines.count == 6 && lines[5].isEmpty)
        // pbc right after Properties, on request; no Lattice when there is none.
        var h = ExtendedXYZ.Header(lattice: nil, pbc: (false, false, false), info: [("Time", "0.5"), ("empty", "")],
                                   pbcPlacement: .afterProperties)
        #expect(h.commentLine(properties: [.species, .positions, .forces])
                == "Properties=species:S:1:pos:R:3:forces:R:3 pbc=\"F F F\" Time=0.5 empty=\"\"")
        h.info = [("q", "say \"hi\"")]
        #expect(h.commentLine(properties: [.species, .positions]) == "Properties=species:S:1:pos:R:3 pbc=\"F F F\" q=\"say 'hi'\"")
        // A frame as ASE writes it (ase.io.write(..., format="extxyz")), with its keys and columns.
        let ase = """
            2
            Lattice="6.0 0.0 0.0 0.0 6.0 0.0 0.0 0.0 6.0" Properties=species:S:1:pos:R:3:forces:R:3:tags:I:1 energy=-3.2 pbc="T T T"
            Cd       0.00000000       0.00000000       0.00000000       0.10000000      -0.20000000       0.30000000        0
            Se       1.50000000       1.50000000       1.50000000      -0.10000000       0.20000000      -0.30000000        1
            """
        let f = try #require(try ExtendedXYZ.parse(ase).first)
        #expect(f.lattice == .orthorhombic(SIMD3(6, 6, 6)) && f.pbc == (true, true, true))
        #expect(f.species == ["Cd", "Se"] && f.positions[1] == SIMD3(1.5, 1.5, 1.5))
        #expect(f.column("forces")?.vectors == [SIMD3(0.1, -0.2, 0.3), SIMD3(-0.1, 0.2, -0.3)])
        #expect(f.column("tags")?.values == .integer([0, 1]) && f.info == ["energy": "-3.2"])
    }

    @Test("Z:I:1 gives the species when there is no species column; defaults of Properties and pbc")
    func atomicNumbersAndDefaults() throws {
        #expect(ExtendedXYZ.elementSymbols.count == 118 && ExtendedXYZ.elementSymbols[47] == "Cd"
                && ExtendedXYZ.elementSymbols[33] == "Se" && ExtendedXYZ.elementSymbols[28] == "Cu")
        let f = try ExtendedXYZ.parse("3\nProperties=Z:I:1:pos:R:3 frozen\n29 0 0 0\n48 2 0 0\n34 0 3 1\n")[0]
        #expect(f.species == ["Cu", "Cd", "Se"] && f.columns.isEmpty)
        #expect(f.lattice == nil && f.pbc == (false, false, false) && f.info == ["frozen": "T"])
        let g = try ExtendedXYZ.parse("1\nLattice='5 0 0 0 5 0 0 0 5'\nSe 1 2 3\n")[0]
        #expect(g.pbc == (true, true, true) && g.properties == [.species, .positions])
    }

    @Test("A wrong column count names the line, both counts and the Properties")
    func columnCountError() {
        let props = "species:S:1:pos:R:3:charge:R:1"
        for (atom, have) in [("Se 1 1 1", 4), ("Se 1 1 1 0.5 7", 6)] {
            let text = "2\nLattice=\"5 0 0 0 5 0 0 0 5\" Properties=\(props)\nCd 0 0 0 1.0\n\(atom)\n"
            #expect(throws: ExtendedXYZError(line: 4, message: "atom line has \(have) columns, but Properties=\(props) declare 5")) {
                _ = try ExtendedXYZ.parse(text)
            }
        }
        let e = ExtendedXYZError(line: 4, message: "atom line has 4 columns, but Properties=\(props) declare 5")
        #expect(e.description == "extended XYZ line 4: atom line has 4 columns, but Properties=species:S:1:pos:R:3:charge:R:1 declare 5")
    }

    @Test("Other errors carry the line number and say what is wrong")
    func otherErrors() {
        let cases: [(String, Int, String)] = [
            ("x\n", 1, "expected the atom count, got \"x\""),
            ("1\n", 2, "missing comment line"),
            ("3\nProperties=species:S:1:pos:R:3\nCd 0 0 0\n", 4, "ends early"),
            ("1\nProperties=species:S:1:pos:R\nCd 0 0 0\n", 2, "name:type:count triples"),
            ("1\nProperties=species:S:1:pos:X:3\nCd 0 0 0\n", 2, "bad property \"pos:X:3\""),
            ("1\nProperties=species:S:1\nCd\n", 2, "must include species:S:1 (or Z:I:1) and pos:R:3"),
            ("1\nLattice=\"1 2 3\"\nCd 0 0 0\n", 2, "9 numbers"),
            ("1\npbc=\"T T T\"\nCd 0 0 0\n", 2, "needs a Lattice"),
            ("1\npbc=\"T X T\" Lattice=\"1 0 0 0 1 0 0 0 1\"\nCd 0 0 0\n", 2, "pbc value \"X\""),
            ("1\nnote=\"open\nCd 0 0 0\n", 2, "unterminated quoted value for key note"),
            ("2\nProperties=species:S:1:pos:R:3\nCd 0 0 0\nSe 1 nan 1\n", 4, "not a finite number: \"nan\""),
            ("1\nProperties=species:S:1:pos:R:3:n:I:1\nCd 0 0 0 1.5\n", 3, "not an integer: \"1.5\""),
            ("1\nProperties=species:S:1:pos:R:3:m:L:1\nCd 0 0 0 maybe\n", 3, "not a logical: \"maybe\""),
            ("1\nProperties=Z:I:1:pos:R:3\n200 0 0 0\n", 3, "atomic number \"200\""),
        ]
        for (text, line, fragment) in cases {
            do { _ = try ExtendedXYZ.parse(text); Issue.record("no error for \(text)") }
            catch let e as ExtendedXYZError {
                #expect(e.line == line, "\(e)")
                #expect(e.description.contains(fragment), "\(e)")
            } catch { Issue.record("unexpected \(error)") }
        }
    }

    @Test("Fixed-point numbers: half away from zero, no −0, any decimals 0…9")
    func fixedPoint() {
        func fmt(_ x: Double, _ d: Int = 5) -> String {
            var b: [UInt8] = []
            ExtendedXYZ.NumberFormat.fixed(decimals: d).append(x, to: &b)
            return String(decoding: b, as: UTF8.self)
        }
        #expect(fmt(0) == "0.00000")
        #expect(fmt(1.5) == "1.50000")
        #expect(fmt(-12.345678) == "-12.34568")
        #expect(fmt(-0.000001) == "0.00000")
        #expect(fmt(1234567.000005) == "1234567.00001")
        #expect(fmt(0.000005) == "0.00001")
        #expect(fmt(2.5, 0) == "3" && fmt(-2.5, 0) == "-3")
        #expect(fmt(-0.125, 2) == "-0.13" && fmt(123456789.987654321, 9) == "123456789.987654336")
        var w = ExtendedXYZ.Writer(header: ExtendedXYZ.Header(lattice: .orthorhombic(SIMD3(10, 10, 10)), pbc: (false, false, false)),
                                   numbers: .fixed(decimals: 3))
        w.appendAtom(species: "Cu", position: SIMD3(1, -2.0005, 1e-4))
        #expect(w.text == "1\nLattice=\"10.0 0.0 0.0 0.0 10.0 0.0 0.0 0.0 10.0\" Properties=species:S:1:pos:R:3 pbc=\"F F F\"\nCu 1.000 -2.001 0.000\n")
    }
}
