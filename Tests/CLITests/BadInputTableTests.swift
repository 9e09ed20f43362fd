// Bad inputs and the exact text `cekmc` answers with. Each row is run through `Cekmc.outcome`, the
// path the executable takes: exit status, and stderr compared byte for byte. `{dir}` stands for a
// fresh folder holding the files below. Command-line errors (argument parser) end with the usage
// line; input-file and output-folder errors are one line with no usage.
import Foundation
import Testing
@testable import CekmcCLI

struct BadInput: Sendable, CustomTestStringConvertible {
    var arguments: [String]
    var status: Int32
    /// For command-line errors the first line of stderr; for input errors all of it (one line per problem).
    var message: String
    /// Whether the usage line follows (command-line errors only).
    var usage = false
    var testDescription: String { arguments.joined(separator: " ") }
}

@Suite struct BadInputTableTests {
    /// Files every row can use, written into {dir}.
    static let files: [String: [UInt8]] = [
        "repeat.toml": Array("""
            [[temperature.steps]]
            type = "repeat"
            times = 100000
            [[temperature.steps.steps]]
            type = "repeat"
            times = 100000
            steps = [{ type = "hold", duration_min = 1.0 }]

            """.utf8),
        "outputs.toml": Array("""
            [[temperature.steps]]
            type = "hold"
            duration_min = 1.0
            [output]
            interval_min = 1e-15

            """.utf8),
        "noevents.toml": Array("""
            [[temperature.steps]]
            type = "hold"
            duration_min = 1.0
            [model.events]
            supply = false
            shell_hop = false
            penetration = false
            cu_hop = false
            cd_hop = false
            kick_off = false
            cu_vacancy = false
            cd_vacancy = false
            cd_escape = false

            """.utf8),
        "quench.toml": Array("""
            [[temperature.steps]]
            type = "quench"
            to_C = 400.0

            """.utf8),
        "value.toml": Array("""
            [wire]
            diameter_nm = "20"
            [[temperature.steps]]
            type = "hold"
            duration_min = 1.0

            """.utf8),
        "typo.toml": Array("""
            [[temperature.steps]]
            type = "hold"
            duraton_min = 1.0

            """.utf8),
        "two.toml": Array("""
            seed = -1
            [wire]
            diameter_nm = "20"
            [[temperature.steps]]
            type = "hold"
            duration_min = 1.0

            """.utf8),
        "huge.toml": Array("""
            [wire]
            diameter_nm = 200.0
            length_nm = 2000.0
            [[temperature.steps]]
            type = "hold"
            duration_min = 1.0

            """.utf8),
        "vacancy.toml": Array("""
            [[temperature.steps]]
            type = "hold"
            duration_min = 1.0
            [defects]
            vacancy_sites = [999999999]
            vacancy_positions_A = [1000.0, 0.0, 0.0]

            """.utf8),
        "snapshots.toml": Array("""
            [wire]
            diameter_nm = 20.0
            length_nm = 200.0
            [[temperature.steps]]
            type = "hold"
            duration_min = 1.0
            [output]
            interval_min = 1e-4
            snapshots_every = 1

            """.utf8),
        "latin1.toml": Array("seed = 1\n# caf".utf8) + [0xE9] + Array("\n".utf8),
        "notadir/x": [],
        "empty/.keep": [],
    ]

    static let rows: [BadInput] = [
        // estimate: every number checked before any row is computed.
        BadInput(arguments: ["estimate", "--from-C", "0", "--to-C", "100", "--step-C", "1e-12"], status: 2,
                 message: "Error: --from-C 0.0 --to-C 100.0 --step-C 1e-12 gives 100000000000001 rows (at most 100000); use a larger --step-C", usage: true),
        BadInput(arguments: ["estimate", "--temperature-C", "nan"], status: 2,
                 message: "Error: --temperature-C must be a finite number, got nan", usage: true),
        BadInput(arguments: ["estimate", "--temperature-C", "inf"], status: 2,
                 message: "Error: --temperature-C must be a finite number, got inf", usage: true),
        BadInput(arguments: ["estimate", "--from-C", "0", "--to-C", "10", "--step-C=-5"], status: 2,
                 message: "Error: --step-C must be > 0, got -5.0", usage: true),
        BadInput(arguments: ["estimate", "--from-C", "nan", "--to-C", "10", "--step-C", "1"], status: 2,
                 message: "Error: --from-C must be a finite number, got nan", usage: true),
        // run: unreadable files say why, with no usage line.
        BadInput(arguments: ["run", "{dir}/missing.toml"], status: 2, message: "{dir}/missing.toml: cannot read the file: no such file"),
        BadInput(arguments: ["run", "{dir}/notadir"], status: 2, message: "{dir}/notadir: cannot read the file: it is a directory"),
        BadInput(arguments: ["run", "{dir}/latin1.toml"], status: 2, message: "{dir}/latin1.toml: cannot read the file: not UTF-8 text"),
        BadInput(arguments: ["run", "{dir}/value.toml"], status: 2,
                 message: "{dir}/value.toml:2: key 'wire.diameter_nm' = \"20\": expected a number, got a string (allowed: a number in 0.5...200.0 nm)"),
        // Every problem of a file at once, one line each in file order; a misspelt required key is named.
        BadInput(arguments: ["validate", "{dir}/typo.toml"], status: 2,
                 message: "{dir}/typo.toml:3: key 'temperature.steps[0].duration_min': missing required key, found 'duraton_min' = 1.0 instead: a typo? (allowed: a number in 1e-12...1000000000.0 min)"),
        BadInput(arguments: ["validate", "{dir}/two.toml"], status: 2, message: """
            {dir}/two.toml:1: key 'seed' = -1: must be ≥ 0
            {dir}/two.toml:3: key 'wire.diameter_nm' = "20": expected a number, got a string (allowed: a number in 0.5...200.0 nm)
            """),
        BadInput(arguments: ["run", "{dir}/two.toml"], status: 2, message: """
            {dir}/two.toml:1: key 'seed' = -1: must be ≥ 0
            {dir}/two.toml:3: key 'wire.diameter_nm' = "20": expected a number, got a string (allowed: a number in 0.5...200.0 nm)
            """),
        // Checks that need the wire or the machine: the same under validate and run, before any allocation.
        BadInput(arguments: ["validate", "{dir}/vacancy.toml"], status: 2, message: """
            {dir}/vacancy.toml:5: key 'defects.vacancy_sites[0]' = 999999999: not a cation site index of the 6.0 × 30.0 nm zb wire (allowed: the index of a cation site, in 0..<53469)
            {dir}/vacancy.toml:6: key 'defects.vacancy_positions_A' = [1000.0, 0.0, 0.0]: no cation site of the 6.0 × 30.0 nm zb wire within 1 Å of vacancy 1 (nearest at 970 Å)
            """),
        BadInput(arguments: ["run", "{dir}/vacancy.toml", "--out", "{dir}/out"], status: 2, message: """
            {dir}/vacancy.toml:5: key 'defects.vacancy_sites[0]' = 999999999: not a cation site index of the 6.0 × 30.0 nm zb wire (allowed: the index of a cation site, in 0..<53469)
            {dir}/vacancy.toml:6: key 'defects.vacancy_positions_A' = [1000.0, 0.0, 0.0]: no cation site of the 6.0 × 30.0 nm zb wire within 1 Å of vacancy 1 (nearest at 970 Å)
            """),
        BadInput(arguments: ["validate", "{dir}/huge.toml", "--max-memory-GB", "1"], status: 2,
                 message: "{dir}/huge.toml:1: key 'wire': the 200.0 × 2000.0 nm zb wire has about 3.44e+09 sites and needs about 1.07 TB of memory, more than --max-memory-GB (1 GB) (allowed: a wire needing at most 1 GB: a smaller diameter_nm or length_nm)"),
        BadInput(arguments: ["run", "{dir}/huge.toml", "--max-memory-GB", "1", "--out", "{dir}/out"], status: 2,
                 message: "{dir}/huge.toml:1: key 'wire': the 200.0 × 2000.0 nm zb wire has about 3.44e+09 sites and needs about 1.07 TB of memory, more than --max-memory-GB (1 GB) (allowed: a wire needing at most 1 GB: a smaller diameter_nm or length_nm)"),
        BadInput(arguments: ["validate", "{dir}/snapshots.toml"], status: 2,
                 message: "{dir}/snapshots.toml:7: key 'output': the run would write about 761 GB of snapshots and maps on the 20.0 × 200.0 nm zb wire (at most 100 GB) (allowed: larger snapshots_every, maps_every or interval_min)"),
        BadInput(arguments: ["validate", "{dir}/value.toml", "--max-memory-GB", "0"], status: 2,
                 message: "Error: --max-memory-GB must be > 0, got 0.0", usage: true),
        BadInput(arguments: ["run", "{dir}/value.toml", "--max-memory-GB", "nan"], status: 2,
                 message: "Error: --max-memory-GB must be a finite number, got nan", usage: true),
        // Program size, output count and quench direction: refused by run and validate alike.
        BadInput(arguments: ["run", "{dir}/repeat.toml"], status: 2,
                 message: "{dir}/repeat.toml:1: key 'temperature.steps' = [{ steps = [{ steps = [{ duration_min = 1.0, type = \"hold\" }], times = 100000, …: temperature program: the steps expand to 10000000000 segments once repeats are unrolled (at most 1000000)"),
        BadInput(arguments: ["validate", "{dir}/repeat.toml"], status: 2,
                 message: "{dir}/repeat.toml:1: key 'temperature.steps' = [{ steps = [{ steps = [{ duration_min = 1.0, type = \"hold\" }], times = 100000, …: temperature program: the steps expand to 10000000000 segments once repeats are unrolled (at most 1000000)"),
        BadInput(arguments: ["run", "{dir}/outputs.toml"], status: 2,
                 message: "{dir}/outputs.toml:5: key 'output.interval_min' = 1e-15: gives 1000000000000001 outputs over the 1.0-min program (at most 100000: interval_min ≥ 1.000010000100001e-05)"),
        BadInput(arguments: ["validate", "{dir}/outputs.toml"], status: 2,
                 message: "{dir}/outputs.toml:5: key 'output.interval_min' = 1e-15: gives 1000000000000001 outputs over the 1.0-min program (at most 100000: interval_min ≥ 1.000010000100001e-05)"),
        BadInput(arguments: ["validate", "{dir}/noevents.toml"], status: 2,
                 message: "{dir}/noevents.toml:4: key 'model.events': every event family is switched off: nothing could happen (allowed: at least one of supply, shell_hop, penetration, cu_hop, cd_hop, kick_off, cu_vacancy, cd_vacancy, cd_escape = true)"),
        BadInput(arguments: ["run", "{dir}/noevents.toml"], status: 2,
                 message: "{dir}/noevents.toml:4: key 'model.events': every event family is switched off: nothing could happen (allowed: at least one of supply, shell_hop, penetration, cu_hop, cd_hop, kick_off, cu_vacancy, cd_vacancy, cd_escape = true)"),
        BadInput(arguments: ["run", "{dir}/quench.toml"], status: 2,
                 message: "{dir}/quench.toml:1: key 'temperature.steps' = [{ to_C = 400.0, type = \"quench\" }]: temperature program step program[1] (quench): to_C = 400.0 °C is above the temperature before it (25.0 °C); a quench cools, use a ramp to heat"),
        BadInput(arguments: ["validate", "{dir}/value.toml"], status: 2,
                 message: "{dir}/value.toml:2: key 'wire.diameter_nm' = \"20\": expected a number, got a string (allowed: a number in 0.5...200.0 nm)"),
        // --resume: options it cannot take are command-line errors; a folder that is not a run is not.
        BadInput(arguments: ["run", "--resume", "{dir}/empty", "--seed", "3"], status: 2,
                 message: "Error: --seed cannot be used with --resume: the run keeps the seed of {dir}/empty/input.toml", usage: true),
        BadInput(arguments: ["run", "--resume", "{dir}/empty", "--out", "{dir}/other"], status: 2,
                 message: "Error: --out cannot be used with --resume: the run continues in {dir}/empty", usage: true),
        BadInput(arguments: ["run", "--resume", "{dir}/empty", "--overwrite"], status: 2,
                 message: "Error: --overwrite cannot be used with --resume", usage: true),
        BadInput(arguments: ["run", "{dir}/value.toml", "--resume", "{dir}/empty"], status: 2,
                 message: "Error: give either INPUT or --resume DIR, not both", usage: true),
        BadInput(arguments: ["run", "--resume", "{dir}/nowhere"], status: 2, message: "error: --resume {dir}/nowhere: no such output folder"),
        BadInput(arguments: ["run", "--resume", "{dir}/empty"], status: 2,
                 message: "error: --resume {dir}/empty: no input.toml (is it a cekmc output folder?)"),
    ]

    @Test(arguments: rows)
    func answersWithTheExactMessage(_ row: BadInput) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cekmc-bad-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for (name, bytes) in Self.files {
            let path = dir + "/" + name
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        }
        // notadir/ is the directory: drop its placeholder file.
        try FileManager.default.removeItem(atPath: dir + "/notadir/x")
        let o = Cekmc.outcome(arguments: row.arguments.map { $0.replacingOccurrences(of: "{dir}", with: dir) })
        let message = row.message.replacingOccurrences(of: "{dir}", with: dir)
        #expect(o.status == row.status)
        #expect(o.stdout == "")
        let lines = o.stderr.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first == message.split(separator: "\n").first.map(String.init))
        if row.usage {
            #expect(lines.count > 2 && lines[1].hasPrefix("Usage: cekmc "), "a command-line error ends with the usage line")
        } else {
            #expect(o.stderr == message + "\n", "input errors are one line each, without the usage line")
        }
    }
}
