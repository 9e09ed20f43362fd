// `cekmc run --resume DIR` on a run whose temperature program already completed: it simulates
// nothing, says so in one line, and rewrites summary.json (deterministic part byte-identical to the
// original: final observables, event counts, …) and timing.json, leaving every other file as it was.
// What `cekmc run` prints on stderr: the start banner (fresh or resumed) and progress lines ending at
// 100 %, and nothing with --quiet.
import Foundation
import Testing
import KMC
import InputFiles
@testable import CekmcCLI

@Suite(.serialized) struct RunCommandTests {
    /// A 2 nm × 3 nm zb wire heated to 250 °C and held: a few 10⁴ events, 5 outputs. Defects and
    /// model (rate scales) are the shipped fast scenario's (`inputs/rate-scale-demo.toml`).
    static func tinyScenario() throws -> String {
        let d = try String(contentsOfFile: packageRoot + "/inputs/rate-scale-demo.toml", encoding: .utf8)
        let shared = d[d.range(of: "[defects]")!.lowerBound..<d.range(of: "[output]")!.lowerBound]
        return """
            kind = "scenario"
            seed = 7

            [wire]
            phase = "zb"
            diameter_nm = 2.0
            length_nm = 3.0

            [temperature]
            start_C = 25.0

            [[temperature.steps]]
            type = "ramp"
            to_C = 250.0
            duration_min = 1e-6

            [[temperature.steps]]
            type = "hold"
            duration_min = 1e-6

            [reservoirs]
            donor_cu = 200

            """ + shared + """
            [output]
            interval_min = 5e-7
            maps_every = 2
            snapshots_every = 2
            checkpoint_every = 2

            """
    }

    func command(_ args: [String]) throws -> RunCommand {
        try #require(try Cekmc.parseAsRoot(["run"] + args) as? RunCommand)
    }

    func bytes(_ path: String) throws -> [UInt8] { try [UInt8](Data(contentsOf: URL(fileURLWithPath: path))) }

    @Test func resumingACompletedRunRewritesTheSummaryAndSaysSo() throws {
        let input = try temporaryFile(try Self.tinyScenario(), name: "tiny.toml")
        let dir = URL(fileURLWithPath: input).deletingLastPathComponent().appendingPathComponent("out").path
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: input).deletingLastPathComponent().path) }

        let first = try command([input, "--out", dir, "--quiet"]).execute(console: Console(live: false)).message
        #expect(first.hasPrefix("completed: "), "\(first)")
        let summary = try bytes(dir + "/summary.json")
        let checkpoint = try bytes(dir + "/checkpoint.json"), timeseries = try bytes(dir + "/timeseries.csv")
        let original = try JSONDecoder().decode(JSONValue.self, from: Data(summary))
        guard case let .object(o) = original, case let .int(events)? = o["total_events"], case let .object(fin)? = o["final"],
              case .object? = o["event_counts"] else {
            Issue.record("summary.json lacks total_events, final or event_counts"); return
        }
        #expect(events > 1_000)

        try FileManager.default.removeItem(atPath: dir + "/summary.json")
        let message = try command(["--resume", dir, "--quiet"]).execute(console: Console(live: false)).message
        let t = try #require(Self.number(o["simulated_time_s"])), x = try #require(Self.number(fin["exchanged_fraction"]))
        #expect(message == "already complete: t = \(t) s, \(events) events, X = \(x); rewrote summary.json and timing.json in \(dir)")
        #expect(!message.contains("\n"))

        // summary.json is back: everything but `timing` byte-identical (final observables, event counts, …).
        let rewritten = try bytes(dir + "/summary.json")
        let same = try JSONOutput.removingTiming(rewritten) == JSONOutput.removingTiming(summary)
        #expect(same, "summary.json differs from the completed run's")
        // timing (in summary.json and timing.json) describes this invocation: resumed, no events.
        let timing = try JSONDecoder().decode(RunTiming.self, from: Data(try bytes(dir + "/timing.json")))
        #expect(timing.resumed && timing.events == 0 && timing.eventsPerSecond == 0)
        guard case let .object(r) = try JSONDecoder().decode(JSONValue.self, from: Data(rewritten)),
              case let .object(tr)? = r["timing"] else { Issue.record("summary.json lacks timing"); return }
        #expect(tr["resumed"] == .bool(true) && tr["events"] == .int(0))
        // Nothing else moved.
        #expect(try bytes(dir + "/checkpoint.json") == checkpoint)
        #expect(try bytes(dir + "/timeseries.csv") == timeseries)

        // A second resume gives the same summary again.
        _ = try command(["--resume", dir, "--quiet"]).execute(console: Console(live: false))
        let again = try JSONOutput.removingTiming(try bytes(dir + "/summary.json")) == JSONOutput.removingTiming(summary)
        #expect(again)
    }

    @Test func bannerAndProgressOnStderrUnlessQuiet() throws {
        let input = try temporaryFile(try Self.tinyScenario(), name: "tiny.toml")
        let root = URL(fileURLWithPath: input).deletingLastPathComponent().path
        let dir = root + "/out"
        defer { try? FileManager.default.removeItem(atPath: root) }
        // The wire as built, independently of the command: 2 × 3 nm zb.
        let (topo, d, l) = try LatticeTopology.wire(phase: .zb, diameter_nm: 2, length_nm: 3)
        let wireLine = "cekmc run: zb wire " + String(format: "%.4g", d / 10) + " nm × " + String(format: "%.4g", l / 10)
            + " nm, \(topo.siteCount) sites (\(topo.cationSites.count) cations)"
        // Program 2e-6 min = 1.2e-4 s; outputs every 5e-7 min = 3e-5 s: t = 0, 1, 2, 3, 4 × 3e-5 s.
        let programLine = "  program 2e-06 min (0.00012 s simulated), 5 outputs every 3e-05 s, into \(dir)"

        // A fresh run: the banner, before any event.
        let first = Console(live: false)
        let stopped = try command([input, "--out", dir, "--stop-after-events", "2000"]).execute(console: first).message
        #expect(stopped.hasPrefix("stopped with a checkpoint"), "\(stopped)")
        let firstLines = first.stderr.split(separator: "\n").map(String.init)
        try #require(firstLines.count >= 3, "\(first.stderr)")
        #expect(Array(firstLines[0...2]) == [wireLine, programLine, "  seed 7, fresh start"])

        // Resumed: the banner says where, then progress lines end at 100 % with the wall time taken.
        let console = Console(live: false)
        let message = try command(["--resume", dir]).execute(console: console).message
        #expect(message.hasPrefix("completed: "), "\(message)")
        let lines = console.stderr.split(separator: "\n").map(String.init)
        try #require(lines.count >= 4, "\(console.stderr)")
        #expect(Array(lines[0...1]) == [wireLine, programLine])
        #expect(lines[2].hasPrefix("  seed 7, resuming at t = ") && lines[2].hasSuffix(" of 5 outputs written)"), "\(lines[2])")
        #expect(!lines[2].contains("(0 of"), "\(lines[2])")   // output 0 was written before the stop
        let last = try #require(lines.last)
        #expect(last.hasPrefix("t = 1.200e-04 s  100.0 %  T = 250.0 °C  X = "), "\(last)")
        #expect(last.contains(" events/s  done in "), "\(last)")

        // --quiet: nothing on stderr.
        let quiet = Console(live: false)
        _ = try command(["--resume", dir, "--quiet"]).execute(console: quiet)
        #expect(quiet.stderr == "")
    }

    static func number(_ v: JSONValue?) -> Double? {
        switch v {
        case let .double(d)?: return d
        case let .int(i)?: return Double(i)
        default: return nil
        }
    }
}
