import Testing
import CekmcCore
@testable import InputFiles

#if canImport(Foundation)
import Foundation
#endif

/// Package root, found from this file's path (Tests/InputFilesTests/…).
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

@Suite struct BarrierFileTests {
    /// A file unlike the paper's in every field: non-default uncertainty, ΔE on some events,
    /// provenance, force-field numbers and strings, characters that need escaping.
    static let unusual: BarrierFile = {
        var t = BarrierTable.paper
        t.attemptFrequency_THz = 2.345678901234567
        t.attemptFrequencySource = "MD: harmonic fit, \"Cu well\"\nsecond line"
        t.wz.kickOff = BarrierValue(value_eV: 0.1 + 0.2, uncertainty_eV: 1e-3, source: "NEB ×3", deltaE_eV: -0.05)
        t.zb.penetration.deltaE_eV = 0.06
        return BarrierFile(table: t, attemptFrequencyUncertainty_THz: 0.25,
                           provenance: ["method": "cekmc calibrate --quick", "date": "2026-11-25",
                                        "cekmc_version": "0.1.0", "force_field_hash": "sha256:abc",
                                        "force_field.name": "Rabani-like"],
                           forceField: ["q_Cd": 1.18, "A_Cu-Se": 1.5e3, "rho": 0.3])
    }()

    @Test(arguments: [BarrierFile.paperDefault, unusual])
    func roundTrip(_ b: BarrierFile) throws {
        let text = b.encodeTOML()
        #expect(try BarrierFile.parse(text, file: "rt.toml") == b)
    }

    @Test func shippedPaperFileIsTable1() throws {
        let b = try BarrierFile.load(path: packageRoot + "/inputs/barriers-paper.toml")
        #expect(b == BarrierFile.paperDefault)
        #expect(b.table.wz.sumBCD_eV == 0.4 + 0.29 + 0.7)
        #expect(b.table.zb.kickOff.value_eV == 0.3 && b.table.zb.kickOff.uncertainty_eV == 0.1)
    }

    @Test func validatesAsBarriersKind() throws {
        let t = try InputKind.validate(text: BarrierFile.paperDefault.encodeTOML(), file: "b.toml")
        let eff = t.effectiveTOML()
        #expect(eff.contains("\n[wz.kick_off]\nvalue_eV = 0.7  # eV — step d: Cu_i + Cd_Cd → Cu_Cd + Cd_i\n"))
        // The effective form decodes to the same barrier file.
        #expect(try BarrierFile.parse(eff, file: "eff.toml") == BarrierFile.paperDefault)
    }

    static let good = BarrierFile.paperDefault.encodeTOML()

    static let cases: [(String, String, String)] = [
        ("delta_E above the barrier: negative reverse barrier",
         good.replacingOccurrences(of: "[wz.kick_off]\nvalue_eV = 0.7\n", with: "[wz.kick_off]\nvalue_eV = 0.7\ndelta_E_eV = 0.75\n"),
         "b.toml:19: key 'wz.kick_off.delta_E_eV' = 0.75: gives a negative reverse barrier value_eV − delta_E_eV = -0.050000000000000044 eV (allowed: delta_E_eV ≤ value_eV = 0.7)"),
        ("missing phase table",
         String(good[..<good.range(of: "[zb.penetration]")!.lowerBound]),
         "b.toml: key 'zb': missing required key (allowed: a table)"),
        ("wrong kind",
         good.replacingOccurrences(of: "kind = \"barriers\"", with: "kind = \"scenario\""),
         "b.toml:1: key 'kind' = \"scenario\": not an allowed value (allowed: \"barriers\")"),
        ("unknown provenance key",
         good + "author = \"me\"\n",
         "b.toml:49: key 'provenance.author' = \"me\": unknown key (allowed: method, date, cekmc_version, force_field_hash, force_field)"),
        ("nested table in the free-form force field",
         good + "[provenance.force_field.inner]\nx = 1\n",
         "b.toml:49: key 'provenance.force_field.inner' = { x = 1 }: expected a number, got a table (allowed: a number)"),
        ("barrier in meV by mistake",
         good.replacingOccurrences(of: "value_eV = 0.29\n", with: "value_eV = 290\n"),
         "b.toml:13: key 'wz.interstitial_hop.value_eV' = 290: must be in 0.0...10.0 eV"),
        ("format version from the future",
         good.replacingOccurrences(of: "format_version = 1", with: "format_version = 2"),
         "b.toml:2: key 'format_version' = 2: must be in 1...1"),
    ]

    @Test(arguments: 0..<cases.count) func badBarrierFile(_ i: Int) {
        let (what, text, expected) = Self.cases[i]
        var got = "no error"
        do { _ = try BarrierFile.parse(text, file: "b.toml") } catch { got = "\(error)" }
        #expect(got == expected, "\(what)")
    }
}

@Suite struct InputKindTests {
    @Test func scenarioIsTheDefaultKind() {
        // No `kind`: decoded as a scenario, whose decoder asks for its temperature program first.
        var got = ""
        do { _ = try InputKind.validate(text: "temperature_C = 400\n", file: "s.toml") } catch { got = "\(error)" }
        #expect(got == """
            s.toml: key 'temperature.steps': missing required key (allowed: an array of tables ([[steps]] blocks))
            s.toml:1: key 'temperature_C' = 400: unknown key; did you mean 'temperature'? (allowed: kind, seed, generator, wire, temperature, reservoirs, defects, initial, model, acceleration, output)
            """)
    }

    @Test func unknownKind() {
        var got = ""
        do { _ = try InputKind.validate(text: "kind = \"barrier\"\n", file: "k.toml") } catch { got = "\(error)" }
        #expect(got == "k.toml:1: key 'kind' = \"barrier\": not an allowed value; did you mean \"barriers\"? (allowed: \"scenario\", \"barriers\", \"forcefield\", \"fit\")")
    }
}

