// Stop/resume identity: a run stopped after N events (between outputs) and resumed from its
// checkpoint, twice, executes the same events at the same times as an uninterrupted run and writes
// byte-identical output files: every CSV, map, snapshot and index, checkpoint.json, and summary.json
// with its `timing` object removed (timing.json, wall-clock only, is the one file not compared).
import Testing
import Foundation
import CekmcCore
import GSL
@testable import KMC

@Suite(.serialized) struct RestartTests {
    /// `span`: the program's length in units of ~40 000 unaccelerated events.
    func config(_ topo: LatticeTopology, span: Double = 1) throws -> ScenarioConfig {
        var p = TestLattice.active(.zb)
        p.escapedCd_eV = -1; p.supplyAttemptPerNm = 1e13  // a donor slower than the flicker the acceleration scales
        let initial = InitialState(donorCu: 300, surfaceVacancyFraction: 0.05, seed: 3)
        // Program length: ~40 000 events at the initial total rate of 500 °C.
        let (m, t) = try ExchangeModel.make(topology: topo, parameters: p, initial: initial)
        var probe = Engine(model: m, classes: t, program: try .constant(kelvin: Units.kelvin(celsius: 500), duration_s: 1e30),
                           rng: try RandomGenerator(seed: 1))
        _ = probe.run(until: 1e30, maxEvents: 40_000)
        let d = span * probe.clock.time_s / 60
        let program = try TemperatureProgram(steps: [.ramp(fromC: 300, toC: 500, ratePerMin: nil, durationMin: d),
                                                     .hold(atC: nil, durationMin: d)])
        return ScenarioConfig(phase: .zb, diameter_nm: 1.8, length_nm: 2.4, parameters: p, initial: initial,
                              program: program, outputInterval_s: program.duration_s / 10, mapsEvery: 2, snapshotsEvery: 3,
                              checkpointEvery: 4, verifyEvery: 5, seed: 17)
    }

    func tempDir(_ name: String) -> String {
        let d = NSTemporaryDirectory() + "cekmc-restart-\(name)-\(getpid())"
        try? FileManager.default.removeItem(atPath: d)
        return d
    }

    /// `accelerated`: with adaptive acceleration checking every 1 000 events, so the stops fall
    /// between checks and the scales and counters must come back from the checkpoint.
    @Test(arguments: [false, true])
    func stoppedAndResumedRunIsIdentical(accelerated: Bool) throws {
        let topo = try TestLattice.zbWire(radius: 9, length: 24)
        // The accelerated run covers a longer program (it executes fewer events per second simulated).
        var c = try config(topo, span: accelerated ? 20 : 1)
        if accelerated {
            // A narrow window, so pairs are scaled within checks of 1 000 events.
            c.acceleration.mode = .adaptive; c.acceleration.checkEvents = 1_000
            c.acceleration.minSeparation = 2; c.acceleration.maxSeparation = 4
            // Every family, so the atom families' channel counters are checkpointed too.
            c.acceleration.families = EventFamily.allCases
        }
        let full = tempDir("full\(accelerated)"), split = tempDir("split\(accelerated)")
        var a = try Simulation(config: c, topology: topo, diameter_A: 18, length_A: 24)
        #expect(try a.run(outputDirectory: full) == .completed)
        #expect(a.engine.clock.events > 20_000 && a.engine.clock.events < 200_000, "\(a.engine.clock.events) events")
        if accelerated {
            #expect(a.acceleration.state.checks > 10)
            #expect(a.acceleration.state.minScaleReached.values.contains { $0 < 1 }, "some pair must have been scaled")
            // summary.json's acceleration object: per enabled family its events (the sum of its
            // directions' counts), whether it is scaled, and a consistent scale range.
            let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: full + "/summary.json"))) as? [String: Any])
            let counts = try #require(json["event_counts"] as? [String: Int])
            let acc = try #require((json["extra"] as? [String: Any])?["acceleration"] as? [String: Any])
            #expect(acc["checks"] as? Int == a.acceleration.state.checks)
            for f in EventCatalog.families where c.parameters.enabled.contains(EventFamily(f.key)) {
                let o = try #require(acc[f.key] as? [String: Any], "no entry for \(f.key)")
                #expect(o["events"] as? Int == f.directions.reduce(0) { $0 + (counts[$1.name] ?? 0) }, "\(f.key) events")
                #expect(o["scaled"] as? Bool == true)
                let lo = try #require(o["scale_min_now"] as? Double), hi = try #require(o["scale_max_now"] as? Double)
                let reached = try #require(o["scale_min_reached"] as? Double)
                #expect(0 < reached && reached <= lo && lo <= hi && hi <= 1, "\(f.key): \(reached) \(lo) \(hi)")
            }
        }

        var b = try Simulation(config: c, topology: topo, diameter_A: 18, length_A: 24)
        #expect(try b.run(outputDirectory: split, stopAfterEvents: 7_777) == .stopped)
        #expect(b.engine.clock.events == 7_777)
        // The stop falls strictly between two outputs.
        #expect(b.nextOutput >= 1 && b.engine.clock.time_s > b.outputTime(b.nextOutput - 1)
                && b.engine.clock.time_s < b.outputTime(b.nextOutput))
        var b2 = try Simulation(config: c, topology: topo, diameter_A: 18, length_A: 24)
        try b2.restore(try Simulation.readCheckpoint(split))
        #expect(try b2.run(outputDirectory: split, resuming: true, stopAfterEvents: 9_000) == .stopped)
        var b3 = try Simulation(config: c, topology: topo, diameter_A: 18, length_A: 24)
        try b3.restore(try Simulation.readCheckpoint(split))
        #expect(try b3.run(outputDirectory: split, resuming: true) == .completed)

        #expect(b3.engine.clock == a.engine.clock)
        #expect(b3.engine.model.occupant == a.engine.model.occupant)
        #expect(b3.engine.classes.members == a.engine.classes.members)
        let ta = try String(contentsOfFile: full + "/timeseries.csv", encoding: .utf8)
        #expect(ta.split(separator: "\n").count == 12)
        // The test exercises the domain tracker across the stops.
        let events = try String(contentsOfFile: full + "/domain_events.csv", encoding: .utf8)
        #expect(events.split(separator: "\n").count > 3)

        let filesA = try files(full), filesB = try files(split)
        #expect(filesA == filesB)
        for name in ["timeseries.csv", "domains.csv", "domain_events.csv", "entry_points.csv", "fronts.csv",
                     "maps/index.csv", "maps/cu_000005.npy", "snapshots/index.csv", "snapshots/snapshot_000003.xyz",
                     "summary.json", "timing.json", "checkpoint.json", "input.toml"] {
            #expect(filesA.contains(name), "missing \(name)")
        }
        for name in filesA where name != "timing.json" {
            var da = try [UInt8](Data(contentsOf: URL(fileURLWithPath: full + "/" + name)))
            var db = try [UInt8](Data(contentsOf: URL(fileURLWithPath: split + "/" + name)))
            if name == "summary.json" {
                #expect(String(decoding: da, as: UTF8.self).contains("\"events_per_second\""))
                da = try JSONOutput.removingTiming(da); db = try JSONOutput.removingTiming(db)
                #expect(!String(decoding: da, as: UTF8.self).contains("\"timing\""))
            }
            let same = da == db   // (a Bool, so a failure does not print the bytes)
            #expect(same, "\(name) differs between the uninterrupted and the resumed run")
        }
    }

    /// Relative paths of all regular files under `dir`, sorted.
    func files(_ dir: String) throws -> [String] {
        let e = FileManager.default.enumerator(atPath: dir)
        var out: [String] = []
        while let p = e?.nextObject() as? String {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: dir + "/" + p, isDirectory: &isDir), !isDir.boolValue { out.append(p) }
        }
        return out.sorted()
    }
}
