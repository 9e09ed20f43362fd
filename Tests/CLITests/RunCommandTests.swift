// `cekmc run --resume DIR` on a run whose temperature program already completed: it simulates
// nothing, says so in one line, and rewrites summary.json (deterministic part byte-identical to the
// original: final observables, event counts, …) and timing.json, leaving every other file as it was.
import Foundation
import Testing
import KMC
import InputFiles
@testable import CekmcCLI

@Suite(.serialized) struct RunCommandTests {
    /// A 2 nm × 3 nm zb wire heated to 250 °C and held: a few 10⁴ events, 5 outputs. Defects and
    /// model (rate scales) are the embedded default scenario's.
    static let tinyScenario: String = {
        let d = ScenarioInput.defaultText
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
    }()

    func command(_ args: [String]) throws -> RunCommand {
        try #require(try Cekmc.parseAsRoot(["run"] + args) as? RunCommand)
    }

    func bytes(_ path: String) throws -> [UInt8] { try [UInt8](Data(contentsOf: URL(fileURLWithPath: path))) }

    @Test func resumingACompletedRunRewritesTheSummaryAndSaysSo() throws {
        let input = try temporaryFile(Self.tinyScenario, name: "tiny.toml")
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

    static func number(_ v: JSONValue?) -> Double? {
        switch v {
        case let .double(d)?: return d
        case let .int(i)?: return Double(i)
        default: return nil
        }
    }
}
