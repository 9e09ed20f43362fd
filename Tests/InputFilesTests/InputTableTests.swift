import Testing
@testable import InputFiles

/// A small schema exercising every accessor; the exact-text error table runs bad files through it.
struct Sample: Equatable {
    enum Mode: String, CaseIterable { case fast, slow }
    var temperature_C: Double
    var seed: Int
    var verbose: Bool
    var mode: Mode
    var name: String
    var label: String?
    var diameter_nm: Double
    var length_nm: Double
    var axis: [Double]
    var kickOff_eV: Double
    var shift_eV: Double?
    var program: [[Double]]
    var sizes: [Int]

    static func decode(_ t: InputTable) throws -> Sample {
        let temperature = try t.double("temperature_C", range: -273.15...2000, unit: "°C", doc: "temperature")
        let seed = try t.int("seed", default: 1, range: 0...Int.max, doc: "generator seed")
        let verbose = try t.bool("verbose", default: false)
        let mode = try t.choice("mode", default: Mode.fast, doc: "speed")
        let name = try t.string("name", default: "run")
        let label = try t.optionalString("label", doc: "free text")
        let w = try t.table("wire")
        let d = try w.double("diameter_nm", default: 20, range: 1...1000, unit: "nm", doc: "wire diameter")
        let l = try w.double("length_nm", default: 150, range: 1...1e5, unit: "nm", doc: "wire length")
        let axis = try w.doubles("axis", default: [0, 0, 1], count: 3)
        let ko = try t.table("events").table("kick_off")
        let e = try ko.double("barrier_eV", default: 0.7, range: 0...10, unit: "eV", doc: "kick-off barrier")
        let shift = try ko.optionalDouble("shift_eV", range: -1...1, unit: "eV")
        var program: [[Double]] = []
        for p in try t.tables("program") {
            let to = try p.double("to_C", range: -273.15...2000, unit: "°C", doc: "target temperature")
            let dur = try p.double("duration_min", default: 10, range: 0...1e6, unit: "min")
            program.append([to, dur])
        }
        let sizes = try t.ints("sizes", default: [1, 2], range: 1...100)
        return Sample(temperature_C: temperature, seed: seed, verbose: verbose, mode: mode, name: name, label: label,
                      diameter_nm: d, length_nm: l, axis: axis, kickOff_eV: e, shift_eV: shift,
                      program: program, sizes: sizes)
    }

    /// Parse, decode, finish.
    static func check(_ text: String, file: String = "bad.toml") throws -> (Sample, InputTable) {
        let t = try InputTable.parse(text, file: file)
        let s = try decode(t)
        try t.finish()
        return (s, t)
    }
}

/// The message a bad file produces, or "no error".
func message(_ text: String) -> String {
    do { _ = try Sample.check(text); return "no error" } catch { return "\(error)" }
}

@Suite struct InputErrorFormatTests {
    @Test func allParts() {
        let e = InputError(file: "f.toml", keyPath: "wire.diameter_nm", value: "0.5",
                           problem: "must be in 1.0...1000.0 nm", allowed: "x", line: 7)
        #expect(e.description == "f.toml:7: key 'wire.diameter_nm' = 0.5: must be in 1.0...1000.0 nm (allowed: x)")
    }

    @Test func optionalPartsLeftOut() {
        #expect(InputError(file: "f.toml", keyPath: "a.b", problem: "missing required key", allowed: "a table").description
                == "f.toml: key 'a.b': missing required key (allowed: a table)")
        #expect(InputError(file: "f.toml", keyPath: "", problem: "cannot read the file: no such file").description
                == "f.toml: cannot read the file: no such file")
        #expect(InputError(file: "f.toml", keyPath: "", problem: "TOML syntax error", line: 3).description
                == "f.toml:3: TOML syntax error")
    }
}

@Suite struct BadInputTableTests {
    /// Bad file → exact message. Each row is one kind of mistake.
    static let cases: [(String, String, String)] = [
        ("unknown key at the root",
         "temperature_C = 400\ntemprature_C = 3\n",
         "bad.toml:2: key 'temprature_C' = 3: unknown key; did you mean 'temperature_C'? (allowed: temperature_C, seed, verbose, mode, name, label, wire, events, program, sizes)"),
        ("misspelled nested key",
         "temperature_C = 400\n[wire]\ndiameter_mn = 20\n",
         "bad.toml:3: key 'wire.diameter_mn' = 20: unknown key; did you mean 'diameter_nm'? (allowed: diameter_nm, length_nm, axis)"),
        ("unknown table",
         "temperature_C = 400\n\n[wires]\ndiameter_nm = 20\n",
         "bad.toml:3: key 'wires' = { diameter_nm = 20 }: unknown key; did you mean 'wire'? (allowed: temperature_C, seed, verbose, mode, name, label, wire, events, program, sizes)"),
        ("unknown key two tables down",
         "temperature_C = 400\n[events.kick_off]\nbarrier_eV = 0.5\nprefactor = 2\n",
         "bad.toml:4: key 'events.kick_off.prefactor' = 2: unknown key (allowed: barrier_eV, shift_eV)"),
        ("first unknown key in the file wins",
         "temperature_C = 400\n[wire]\nfoo = 1\n[events]\nbar = 2\n",
         "bad.toml:3: key 'wire.foo' = 1: unknown key (allowed: diameter_nm, length_nm, axis)"),
        ("wrong type: string for number",
         "temperature_C = \"400\"\n",
         "bad.toml:1: key 'temperature_C' = \"400\": expected a number, got a string (allowed: a number in -273.15...2000.0 °C)"),
        ("missing required key",
         "seed = 3\n",
         "bad.toml: key 'temperature_C': missing required key (allowed: a number in -273.15...2000.0 °C)"),
        ("out of range",
         "temperature_C = 400\n[wire]\ndiameter_nm = 0.5\n",
         "bad.toml:3: key 'wire.diameter_nm' = 0.5: must be in 1.0...1000.0 nm"),
        ("out of a half-open range",
         "temperature_C = 400\nseed = -1\n",
         "bad.toml:2: key 'seed' = -1: must be ≥ 0"),
        ("NaN",
         "temperature_C = nan\n",
         "bad.toml:1: key 'temperature_C' = nan: must be in -273.15...2000.0 °C"),
        ("not a table",
         "temperature_C = 400\nwire = 3\n",
         "bad.toml:2: key 'wire' = 3: expected a table, got an integer (allowed: a table)"),
        ("bad enum value",
         "temperature_C = 400\nmode = \"fsat\"\n",
         "bad.toml:2: key 'mode' = \"fsat\": not an allowed value; did you mean \"fast\"? (allowed: \"fast\", \"slow\")"),
        ("int given for string",
         "temperature_C = 400\nname = 5\n",
         "bad.toml:2: key 'name' = 5: expected a string, got an integer (allowed: a string)"),
        ("float given for int",
         "temperature_C = 400\nseed = 1.5\n",
         "bad.toml:2: key 'seed' = 1.5: expected an integer, got a floating-point number (allowed: an integer ≥ 0)"),
        ("number given for bool",
         "temperature_C = 400\nverbose = 1\n",
         "bad.toml:2: key 'verbose' = 1: expected a boolean, got an integer (allowed: true, false)"),
        ("array element of the wrong type",
         "temperature_C = 400\n[wire]\naxis = [0, \"a\", 1]\n",
         "bad.toml:3: key 'wire.axis[1]' = \"a\": expected a number, got a string (allowed: a number)"),
        ("array of the wrong length",
         "temperature_C = 400\n[wire]\naxis = [0, 1]\n",
         "bad.toml:3: key 'wire.axis' = [0, 1]: has 2 elements, expected 3"),
        ("scalar for array",
         "temperature_C = 400\nsizes = 3\n",
         "bad.toml:2: key 'sizes' = 3: expected an array, got an integer (allowed: an array of integers (each an integer in 1...100))"),
        ("int array element out of range",
         "temperature_C = 400\nsizes = [\n  1,\n  200,\n]\n",
         "bad.toml:2: key 'sizes[1]' = 200: must be in 1...100"),
        ("array-of-tables element out of range",
         "temperature_C = 400\n[[program]]\nto_C = 100\n[[program]]\nto_C = 100\n[[program]]\nduration_min = 5\nto_C = -300\n",
         "bad.toml:8: key 'program[2].to_C' = -300: must be in -273.15...2000.0 °C"),
        ("array-of-tables element missing a key",
         "temperature_C = 400\n[[program]]\nduration_min = 5\n",
         "bad.toml: key 'program[0].to_C': missing required key (allowed: a number in -273.15...2000.0 °C)"),
        ("table where an array of tables belongs",
         "temperature_C = 400\n[program]\nto_C = 1\n",
         "bad.toml:2: key 'program' = { to_C = 1 }: expected an array of tables, got a table (allowed: an array of tables ([[program]] blocks))"),
        ("inline table: line of the enclosing key",
         "temperature_C = 400\nwire = { diameter_nm = \"x\" }\n",
         "bad.toml:2: key 'wire.diameter_nm' = \"x\": expected a number, got a string (allowed: a number in 1.0...1000.0 nm)"),
        ("line counted past a multi-line string",
         "temperature_C = 400\nname = \"\"\"\nabc\n[fake]\n\"\"\"\nseed = \"x\"\n",
         "bad.toml:6: key 'seed' = \"x\": expected an integer, got a string (allowed: an integer ≥ 0)"),
        ("dotted key",
         "temperature_C = 400\nevents.kick_off.barrier_eV = 11\n",
         "bad.toml:2: key 'events.kick_off.barrier_eV' = 11: must be in 0.0...10.0 eV"),
        ("TOML syntax error with line",
         "temperature_C = 400\n\nseed = = 3\n",
         "bad.toml:3: TOML syntax error at column 8: Error while parsing value: could not determine value type"),
        ("duplicate key is a syntax error",
         "temperature_C = 400\ntemperature_C = 300\n",
         "bad.toml:2: TOML syntax error at column 17: Error while parsing key-value pair: cannot redefine existing integer 'temperature_C'"),
    ]

    @Test(arguments: 0..<cases.count) func badFile(_ i: Int) {
        let (what, text, expected) = Self.cases[i]
        #expect(message(text) == expected, "\(what)")
    }

    @Test func nestedArraysOfTablesGetIndexedPathsAndLines() throws {
        let text = "[[a]]\nx = 1\n[[a.b]]\ny = 1\n[[a]]\nx = 2\n[[a.b]]\ny = 1\n[[a.b]]\ny = 'z' # comment [\n"
        let t = try InputTable.parse(text, file: "n.toml")
        var got = ""
        do {
            for a in try t.tables("a") {
                _ = try a.int("x")
                for b in try a.tables("b") { _ = try b.int("y") }
            }
        } catch { got = "\(error)" }
        #expect(got == "n.toml:10: key 'a[1].b[1].y' = \"z\": expected an integer, got a string (allowed: an integer)")
    }

    @Test func missingFile() {
        #expect(throws: InputError(file: "/nonexistent/x.toml", keyPath: "", problem: "cannot read the file: no such file")) {
            _ = try InputTable.load(path: "/nonexistent/x.toml")
        }
    }

    @Test func crossFieldCheckNamesKeyValueAndLine() throws {
        let t = try InputTable.parse("a_nm = 3\nb_nm = 2\n", file: "x.toml")
        let a = try t.double("a_nm"), b = try t.double("b_nm")
        #expect(a > b)
        #expect(t.fail("b_nm", "must be ≥ a_nm", allowed: "b_nm ≥ 3.0").description
                == "x.toml:2: key 'b_nm' = 2: must be ≥ a_nm (allowed: b_nm ≥ 3.0)")
    }
}

@Suite struct EffectiveInputTests {
    static let file = """
    # a comment
    temperature_C = 400
    mode = "slow"
    label = "tab\\tand \\"quotes\\""

    [wire]
    diameter_nm = 3.5e1

    [events.kick_off]
    shift_eV = -0.125

    [[program]]
    to_C = 100

    [[program]]
    to_C = 2.5e2
    duration_min = 0.1
    """

    @Test func defaultsFilledIn() throws {
        let (s, t) = try Sample.check(Self.file, file: "good.toml")
        #expect(s == Sample(temperature_C: 400, seed: 1, verbose: false, mode: .slow, name: "run",
                            label: "tab\tand \"quotes\"", diameter_nm: 35, length_nm: 150, axis: [0, 0, 1],
                            kickOff_eV: 0.7, shift_eV: -0.125, program: [[100, 10], [250, 0.1]], sizes: [1, 2]))
        let text = t.effectiveTOML()
        #expect(text.contains("\nlength_nm = 150.0  # nm — wire length\n"))
        #expect(text.contains("\nseed = 1  # generator seed\n"))
        #expect(text.contains("\n[events.kick_off]\nbarrier_eV = 0.7  # eV — kick-off barrier\n"))
        #expect(text.contains("\n[[program]]\nto_C = 100.0  # °C — target temperature\nduration_min = 10.0  # min\n"))
    }

    @Test func effectiveTOMLParsesBackToTheSameValues() throws {
        let (s, t) = try Sample.check(Self.file, file: "good.toml")
        let text = t.effectiveTOML()
        let (s2, t2) = try Sample.check(text, file: "effective.toml")
        #expect(s2 == s)
        // And it is a fixed point (apart from the file name in the first line).
        #expect(t2.effectiveTOML().split(separator: "\n").dropFirst() == text.split(separator: "\n").dropFirst())
    }

    @Test func unsetOptionalAppearsAsComment() throws {
        let (s, t) = try Sample.check("temperature_C = 20\n")
        #expect(s.label == nil && s.shift_eV == nil)
        #expect(t.effectiveTOML().contains("\n# label (optional, not set) — free text\n"))
        #expect(t.effectiveTOML().contains("\n# shift_eV (optional, not set) — eV\n"))
    }

    @Test func exactDoublesSurviveTheRoundTrip() throws {
        // Shortest-round-trip printing: awkward binary values come back bit for bit.
        let values = [0.1 + 0.2, 1e-300, 123456789.123456789, -0.0, Double.leastNonzeroMagnitude, 1.7976931348623157e308, 1.0 / 3.0]
        for v in values {
            let t = try InputTable.parse("x = \(TOMLText.double(v))\n", file: "v.toml")
            #expect(try t.double("x").bitPattern == v.bitPattern)
        }
    }
}
