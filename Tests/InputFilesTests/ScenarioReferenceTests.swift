// Keeps the scenario reference of docs/input-files.md honest. The keys, tables, step types and
// defaults it documents are compared with what `ScenarioInput.decode` reads at run time
// (`InputTable.readKeys` after decoding scenarios that reach every table, every step type and a
// nested repeat); its worked temperature program with the segments the decoder builds; its error
// examples with the messages the decoders give.
//
// Format read from the document (between `<!-- scenario-reference:begin` and
// `<!-- scenario-reference:end -->`): a table row whose first cell is one key path in backticks
// documents that key (array-of-table elements written `steps[]`); its third cell is the default;
// `### `[name]`` headings are the tables, `#### `type = "name"`` headings the step types. A repeat's
// steps take the same keys as the top-level steps, so `temperature.steps[].steps[].to_C` is
// documented as `temperature.steps[].to_C`.

import Foundation
import Testing
import CekmcCore
import InputFiles
import KMC

/// docs/input-files.md and the parts of it the tests read.
enum ScenarioReference {
    static let docPath = packageRoot + "/docs/input-files.md"
    static let doc: String = (try? String(contentsOfFile: docPath, encoding: .utf8)) ?? ""

    /// The lines between the reference markers (empty when a marker is missing).
    static let section: [Substring] = {
        let lines = doc.split(separator: "\n", omittingEmptySubsequences: false)
        guard let b = lines.firstIndex(where: { $0.hasPrefix("<!-- scenario-reference:begin") }),
              let e = lines.firstIndex(where: { $0.hasPrefix("<!-- scenario-reference:end") }), b < e
        else { return [] }
        return Array(lines[(b + 1)..<e])
    }()

    /// Table cells of a `| … | … |` line, trimmed, without the empty ends.
    static func cells(_ line: Substring) -> [String] {
        let parts = line.split(separator: "|", omittingEmptySubsequences: false)
        return parts.dropFirst().dropLast().map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// The single backticked text a cell consists of, or nil.
    static func backticked(_ cell: String) -> String? {
        guard cell.count >= 2, cell.hasPrefix("`"), cell.hasSuffix("`") else { return nil }
        let inner = cell.dropFirst().dropLast()
        return inner.contains("`") || inner.isEmpty ? nil : String(inner)
    }

    /// A documented key: its path and default cell.
    struct Row { var path: String; var defaultCell: String }

    /// Key rows of the reference, and the rows that start like one but do not parse.
    static let (rows, malformedRows): ([Row], [String]) = {
        var rows: [Row] = [], bad: [String] = []
        let pathSyntax = /[A-Za-z0-9_]+(\[\])?(\.[A-Za-z0-9_]+(\[\])?)*/
        for line in section where line.hasPrefix("| `") {
            let c = cells(line)
            if c.count >= 3, let p = backticked(c[0]), p.wholeMatch(of: pathSyntax) != nil {
                rows.append(Row(path: p, defaultCell: c[2]))
            } else {
                bad.append(String(line))
            }
        }
        return (rows, bad)
    }()

    /// Names in `### `[name]`` headings.
    static let tableHeadings: [String] = section.compactMap { line in
        (try? /### `\[([^\[\]`]+)\]`/.wholeMatch(in: line)).map { String($0.1) }
    }

    /// Names in `#### `type = "name"`` headings.
    static let stepTypeHeadings: [String] = section.compactMap { line in
        (try? /#### `type = "([a-z_]+)"`/.wholeMatch(in: line)).map { String($0.1) }
    }

    /// The fenced block after the first line starting with `marker` (without the fences).
    static func block(after marker: String) -> (text: String, rest: [Substring])? {
        let lines = doc.split(separator: "\n", omittingEmptySubsequences: false)
        guard let m = lines.firstIndex(where: { $0.hasPrefix(marker) }),
              let open = lines[m...].firstIndex(where: { $0.hasPrefix("```") }),
              let close = lines[(open + 1)...].firstIndex(where: { $0.hasPrefix("```") })
        else { return nil }
        return (lines[(open + 1)..<close].joined(separator: "\n") + "\n", Array(lines[(close + 1)...]))
    }

    /// A read key path as the reference writes it: array indices dropped (`steps[0]` → `steps[]`) and
    /// a repeat's steps folded onto the top-level steps.
    static func normalized(_ path: String) -> String {
        var p = path.replacing(/\[[0-9]+\]/, with: "[]")
        while let r = p.range(of: ".steps[].steps[]") { p.replaceSubrange(r, with: ".steps[]") }
        return p
    }

    /// A scenario reaching every table, every step type (with every optional key), a repeat inside a
    /// repeat (one with `[[…]]` blocks, one inline) and a barrier file.
    static func everything(phase: String) -> String {
        """
        kind = "scenario"
        seed = 3
        generator = "taus2"

        [wire]
        phase = "\(phase)"
        diameter_nm = 4.0
        length_nm = 8.0

        [temperature]
        start_C = 20.0

        [[temperature.steps]]
        type = "ramp"
        from_C = 25.0
        to_C = 150.0
        rate_C_per_min = 10.0

        [[temperature.steps]]
        type = "ramp"
        to_C = 175.0
        duration_min = 1.0

        [[temperature.steps]]
        type = "hold"
        at_C = 175.0
        duration_min = 5.0

        [[temperature.steps]]
        type = "repeat"
        times = 2

        [[temperature.steps.steps]]
        type = "hold"
        duration_min = 1.0

        [[temperature.steps.steps]]
        type = "repeat"
        times = 2
        steps = [{ type = "ramp", to_C = 200.0, duration_min = 0.5 }, { type = "quench", to_C = 175.0 }]

        [[temperature.steps]]
        type = "quench"
        to_C = 25.0
        rate_C_per_min = 500.0

        [reservoirs]
        donor_cu = 100

        [defects]
        surface_vacancy_fraction = 0.05
        bulk_vacancy_fraction = 0.01
        vacancy_sites = [0]
        vacancy_positions_A = [0.0, 0.0, 0.0]
        seed = 4

        [model]
        barrier_file = "\(packageRoot)/inputs/barriers-paper.toml"
        kick_off_eV = 0.5
        interface_J_eV = 0.03

        [model.events]
        cd_vacancy = true

        [model.rate_scale]
        supply = 1e-3

        [output]
        interval_min = 0.5
        maps_every = 2
        snapshots_every = 2
        checkpoint_every = 2
        verify_every = 1
        min_reversal_sites = 50
        span_fraction = 0.8
        map_bin_nm = 0.25
        """
    }

    /// Only the required keys, one step of each type, and `wire.phase` when it is not the default:
    /// every other key takes its default.
    static func defaults(phase: Phase) -> String {
        (phase == .zb ? "" : "[wire]\nphase = \"\(phase)\"\n\n") + """
        [[temperature.steps]]
        type = "ramp"
        to_C = 100.0
        duration_min = 1.0

        [[temperature.steps]]
        type = "hold"
        duration_min = 1.0

        [[temperature.steps]]
        type = "quench"
        to_C = 25.0

        [[temperature.steps]]
        type = "repeat"
        times = 1
        steps = [{ type = "hold", duration_min = 1.0 }]
        """
    }

    /// The keys the scenario decoder read for `text` (decoded and finished like `cekmc validate`).
    static func readKeys(_ text: String) throws -> [InputTable.ReadKey] {
        try InputKind.validate(text: text, file: "reference.toml").readKeys
    }

    /// Keys read for both phases of `everything`.
    static func accepted() throws -> [InputTable.ReadKey] {
        try readKeys(everything(phase: "zb")) + readKeys(everything(phase: "wz"))
    }

    /// The step types the decoder accepts, from its message for an unknown type.
    static func acceptedStepTypes() -> [String] {
        var message = ""
        do { _ = try InputKind.validate(text: "[[temperature.steps]]\ntype = \"?\"\n", file: "t.toml") } catch { message = "\(error)" }
        guard let allowed = message.range(of: "(allowed: ") else { return [] }
        return message[allowed.upperBound...].matches(of: /"([a-z_]+)"/).map { String($0.1) }
    }

    /// Two TOML literals denote the same value (numbers compared as numbers: `6` = `6.0`).
    static func sameValue(_ a: String, _ b: String) -> Bool {
        if let x = Double(a), let y = Double(b) { return x == y }
        return a == b
    }
}

@Suite struct ScenarioReferenceTests {
    typealias R = ScenarioReference

    @Test func referenceSectionParses() {
        #expect(!R.doc.isEmpty, "cannot read \(R.docPath)")
        #expect(R.rows.count > 50, "found only \(R.rows.count) key rows between the scenario-reference markers")
        #expect(R.malformedRows.isEmpty, "rows starting with a backtick whose first cell is not one key path: \(R.malformedRows)")
    }

    /// The exercising scenarios reach what they claim to: every accepted step type and a nested repeat.
    @Test func exercisingScenarioReachesEveryStepType() throws {
        let keys = try R.accepted()
        let used = Set(keys.filter { $0.path.hasSuffix(".type") }.compactMap(\.literal).map { $0.replacing("\"", with: "") })
        let accepted = Set(R.acceptedStepTypes())
        #expect(!accepted.isEmpty)
        #expect(accepted.subtracting(used).isEmpty, "step types the test scenario does not use: \(accepted.subtracting(used).sorted())")
        #expect(keys.contains { $0.path.contains(/steps\[[0-9]+\]\.steps\[[0-9]+\]\.steps\[[0-9]+\]/) }, "no repeat inside a repeat")
    }

    @Test func everyAcceptedKeyIsDocumented() throws {
        let accepted = Set(try R.accepted().filter { $0.kind != .table }.map { R.normalized($0.path) })
        let documented = Set(R.rows.map(\.path))
        let missing = accepted.subtracting(documented)
        #expect(missing.isEmpty, "keys ScenarioInput.decode accepts but docs/input-files.md does not document: \(missing.sorted())")
    }

    @Test func everyDocumentedKeyIsAccepted() throws {
        let accepted = Set(try R.accepted().filter { $0.kind != .table }.map { R.normalized($0.path) })
        let unknown = Set(R.rows.map(\.path)).subtracting(accepted)
        #expect(unknown.isEmpty, "keys docs/input-files.md documents but ScenarioInput.decode does not accept: \(unknown.sorted())")
    }

    @Test func documentedTablesAreTheDecodedTables() throws {
        let decoded = Set(try R.accepted().filter { $0.kind == .table }.map { R.normalized($0.path) })
        let documented = Set(R.tableHeadings)
        #expect(decoded.subtracting(documented).isEmpty, "tables without a `### `[name]`` heading: \(decoded.subtracting(documented).sorted())")
        #expect(documented.subtracting(decoded).isEmpty, "documented tables the decoder does not read: \(documented.subtracting(decoded).sorted())")
    }

    @Test func documentedStepTypesAreTheAcceptedOnes() {
        let accepted = R.acceptedStepTypes(), documented = R.stepTypeHeadings
        #expect(Set(documented) == Set(accepted), "documented step types \(documented), accepted \(accepted)")
    }

    /// Every default written as a TOML literal ("`6`", "per phase: zb `0.06` / wz `0.4`") is the value
    /// the decoder fills in for that phase; defaults in words are not checked.
    @Test func documentedDefaultsAreTheDecoderDefaults() throws {
        var effective: [String: [String: [String?]]] = [:]   // phase → key path → literals read
        for phase in Phase.allCases {
            for k in try R.readKeys(R.defaults(phase: phase)) where k.kind == .value {
                effective[phase.rawValue, default: [:]][R.normalized(k.path), default: []].append(k.literal)
            }
        }
        let perPhase = /per phase: zb `([^`]+)` \/ wz `([^`]+)`/
        var checked = 0
        for row in R.rows {
            var expected: [(phase: String, literal: String)] = []
            if let m = try perPhase.wholeMatch(in: row.defaultCell) {
                expected = [("zb", String(m.1)), ("wz", String(m.2))]
            } else if let lit = R.backticked(row.defaultCell) {
                // The wz scenario gives wire.phase; every other phase-independent default holds in both.
                expected = Phase.allCases.filter { $0 == .zb || row.path != "wire.phase" }.map { ($0.rawValue, lit) }
            }
            for (phase, lit) in expected {
                let got = effective[phase]?[row.path] ?? []
                #expect(got.contains { $0.map { R.sameValue($0, lit) } ?? false },
                        "\(row.path): documented default \(lit) for \(phase), the decoder gives \(got.map { $0 ?? "(not set)" })")
                checked += 1
            }
        }
        #expect(checked > 80, "only \(checked) defaults checked: is the default column still the third?")
    }

    /// The worked example's TOML gives exactly the segments of the table after it.
    @Test func workedProgramExampleIsWhatTheDecoderBuilds() throws {
        let block = try #require(R.block(after: "<!-- program-example"), "no program-example marker and TOML block")
        let segments = try ScenarioInput.parse(block.text, file: "example.toml").program.segments
        var rows: [[String]] = []
        for line in block.rest.drop(while: { !$0.hasPrefix("|") }) {
            guard line.hasPrefix("|") else { break }
            let c = R.cells(line)
            if Int(c[0]) != nil { rows.append(c) }
        }
        #expect(rows.count == segments.count, "table has \(rows.count) segments, the program \(segments.count)")
        for (row, s) in zip(rows, segments) {
            let n = row[0]
            #expect(row.count == 7, "segment \(n): expected 7 columns")
            guard row.count == 7, let t0 = Double(row[3]), let t1 = Double(row[4]), let T0 = Double(row[5]), let T1 = Double(row[6]) else {
                Issue.record("segment \(n): unreadable row \(row)"); continue
            }
            #expect(row[2] == s.label, "segment \(n): label \(row[2]), program \(s.label)")
            #expect(abs(t0 - s.start_s / 60) < 1e-9 && abs(t1 - s.end_s / 60) < 1e-9,
                    "segment \(n): \(t0)…\(t1) min, program \(s.start_s / 60)…\(s.end_s / 60) min")
            #expect(abs(T0 - Units.celsius(kelvin: s.t0_K)) < 1e-9 && abs(T1 - Units.celsius(kelvin: s.t1_K)) < 1e-9,
                    "segment \(n): \(T0) → \(T1) °C, program \(Units.celsius(kelvin: s.t0_K)) → \(Units.celsius(kelvin: s.t1_K)) °C")
        }
    }

    /// Bad files whose messages are the document's examples, in the document's order.
    static let hold = "[[temperature.steps]]\ntype = \"hold\"\nduration_min = 10\n"
    static let badFiles: [(file: String, text: String)] = [
        ("bad.toml", "seed = 1\nsede = 2\n" + hold),
        ("bad.toml", "[wire]\ndiameter_mn = 20\n" + hold),
        ("bad.toml", "[[temperature.steps]]\ntype = \"hold\"\nto_C = 200\nduration_min = 10\n"),
        ("bad.toml", "[wire]\ndiameter_nm = \"20\"\n" + hold),
        ("bad.toml", "[[temperature.steps]]\ntype = \"quench\"\n"),
        ("bad.toml", "[wire]\ndiameter_nm = 0.1\n" + hold),
        ("bad.toml", "seed = -1\n" + hold),
        ("bad.toml", "wire = 3\n" + hold),
        ("bad.toml", "generator = \"mt19973\"\n" + hold),
        ("bad.toml", "seed = 1.5\n" + hold),
        ("bad.toml", "[defects]\nvacancy_sites = [3, \"a\"]\n" + hold),
        ("bad.toml", "[defects]\nvacancy_positions_A = [10.0, 0.0]\n" + hold),
        ("bad.toml", hold + "[[temperature.steps]]\ntype = \"quench\"\nto_C = -300\n"),
        ("bad.toml", "[[temperature.steps]]\ntype = \"ramp\"\nto_C = 200\nrate_C_per_min = 20\nduration_min = 10\n"),
        ("bad.toml", "[model.rate_scale]\nkick_off = 10\n" + hold),
        ("bad.toml", "[wire]\nphase = zb\n" + hold),
        ("bad.toml", "[[temperature.steps]]\ntype = \"hold\"\nduraton_min = 10\n"),
        ("b.toml", BarrierFile.paperDefault.encodeTOML().replacingOccurrences(
            of: "[wz.kick_off]\nvalue_eV = 0.7\n", with: "[wz.kick_off]\nvalue_eV = 0.7\ndelta_E_eV = 0.75\n")),
    ]

    @Test func errorExamplesAreTheDecodersMessages() throws {
        let block = try #require(R.block(after: "<!-- error-examples"), "no error-examples marker and code block")
        let documented = block.text.split(separator: "\n").map(String.init)
        var produced: [String] = []
        for (file, text) in Self.badFiles {
            do { _ = try InputKind.validate(text: text, file: file); produced.append("\(file): valid") } catch { produced.append("\(error)") }
        }
        #expect(!FileManager.default.fileExists(atPath: "missing.toml"))
        do { _ = try InputKind.validate(path: "missing.toml"); produced.append("missing.toml: valid") } catch { produced.append("\(error)") }
        for (i, (d, p)) in zip(documented, produced).enumerated() where d != p {
            Issue.record("error example \(i + 1) differs:\n  documented: \(d)\n  decoder:    \(p)")
        }
        #expect(documented.count == produced.count, "\(documented.count) documented examples, \(produced.count) bad files in the test")
    }
}
