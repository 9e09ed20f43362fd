import ArgumentParser
import Foundation
import Testing
import KMC
@testable import CekmcCLI

@Suite struct BenchCommandTests {
    @Test func medianOfRepeats() {
        #expect(BenchCommand.median([3, 1, 2]) == 2)
        #expect(BenchCommand.median([4, 1, 2, 3]) == 2.5)
        #expect(BenchCommand.median([7]) == 7)
    }

    @Test func repeatsMustBePositive() throws {
        let cmd = try #require(try Cekmc.parseAsRoot(["bench", "--repeats", "0", "--diameter-nm", "3", "--length-nm", "4", "--copper", "5", "--events", "10"]) as? BenchCommand)
        #expect(throws: ValidationError.self) { try cmd.run() }
    }
}

@Suite struct BenchScenarioTests {
    /// A tiny scenario: 3 nm × 4 nm zb wire, a hold.
    func scenarioFile() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cekmc-bench-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("tiny.toml").path
        try """
        kind = "scenario"
        [wire]
        diameter_nm = 3.0
        length_nm = 4.0
        [temperature]
        start_C = 200.0
        [[temperature.steps]]
        type = "hold"
        duration_min = 1.0
        [reservoirs]
        donor_cu = 200
        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func scenarioStopsAtTheEventCapAndCountsEveryEvent() throws {
        let path = try scenarioFile()
        let cmd = try #require(try Cekmc.parseAsRoot(["bench", "--scenario", path, "--events", "3000", "--minutes", "0.5"]) as? BenchCommand)
        let r = try cmd.measureScenario(path)
        // Microsecond-fast processes: the 3000-event cap comes long before half a simulated minute.
        #expect(r.events == 3000)
        #expect(r.target_s == 30)
        #expect(r.simulated_s > 0 && r.simulated_s < r.target_s)
        #expect(r.eventCounts.values.reduce(0, +) == r.events, "the event mix must account for every executed event")
        #expect(r.eventCounts["adsorb"] ?? 0 > 0)
    }

    /// With the acceleration on (the default), the bench reports its checks and each family's scales.
    @Test func scenarioReportsTheAccelerationScales() throws {
        let path = try scenarioFile()
        try (String(contentsOfFile: path, encoding: .utf8) + "\n[acceleration]\ncheck_events = 500\n").write(toFile: path, atomically: true, encoding: .utf8)
        let cmd = try #require(try Cekmc.parseAsRoot(["bench", "--scenario", path, "--events", "20000", "--minutes", "0.5"]) as? BenchCommand)
        let r = try cmd.measureScenario(path)
        #expect(r.events == 20_000 && r.checks == 40)
        #expect(Set(r.scales.keys).isSuperset(of: ["supply", "shell_hop", "penetration", "kick_off", "cu_hop"]))
        #expect(r.scales.values.allSatisfy { 0 < $0.reached && $0.reached <= $0.now && $0.now <= 1 })
    }

    @Test func scenarioStopsAtTheSimulatedTime() throws {
        let path = try scenarioFile()
        let cmd = try #require(try Cekmc.parseAsRoot(["bench", "--scenario", path, "--events", "100000000", "--minutes", "1e-10"]) as? BenchCommand)
        let r = try cmd.measureScenario(path)
        #expect(r.simulated_s == r.target_s)
        #expect(r.events < 100_000_000)
    }

    /// `--resume DIR` times the run stopped in DIR from its checkpoint: both limits count from
    /// there, the mix holds only the timed events, and the folder is left as it was.
    @Test func resumeTimesAStoppedRunFromItsCheckpoint() throws {
        let path = try scenarioFile()
        let out = (path as NSString).deletingLastPathComponent + "/run"
        let stopped = Cekmc.outcome(arguments: ["run", path, "--out", out, "--quiet", "--stop-after-events", "2000"])
        #expect(stopped.status == 0 && stopped.stdout.hasPrefix("stopped with a checkpoint at t = "), "\(stopped)")
        let before = try Data(contentsOf: URL(fileURLWithPath: out + "/checkpoint.json"))
        let checkpoint = try JSONDecoder().decode(Checkpoint.self, from: before)
        let cmd = try #require(try Cekmc.parseAsRoot(["bench", "--resume", out, "--events", "3000", "--minutes", "0.5"]) as? BenchCommand)
        let r = try cmd.measureScenario(out + "/input.toml", resuming: out)
        #expect(r.start_s == checkpoint.clock.time_s && r.start_s > 0)
        #expect(r.events == 3000 && r.target_s == r.start_s + 30)
        #expect(r.eventCounts.values.reduce(0, +) == r.events, "the mix must hold the timed events only")
        #expect(try Data(contentsOf: URL(fileURLWithPath: out + "/checkpoint.json")) == before, "the bench writes nothing")
        let both = try #require(try Cekmc.parseAsRoot(["bench", "--scenario", path, "--resume", out]) as? BenchCommand)
        #expect(throws: ValidationError.self) { try both.run() }
    }

    /// A completed run has nothing left to time: refused, not reported as 0 events/s.
    @Test func resumeRefusesACompletedRun() throws {
        let path = try scenarioFile()
        let text = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: "duration_min = 1.0", with: "duration_min = 1e-9")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let out = (path as NSString).deletingLastPathComponent + "/run"
        let done = Cekmc.outcome(arguments: ["run", path, "--out", out, "--quiet"])
        #expect(done.status == 0 && done.stdout.hasPrefix("completed: "), "\(done)")
        let cmd = try #require(try Cekmc.parseAsRoot(["bench", "--resume", out]) as? BenchCommand)
        #expect(throws: ValidationError.self) { try cmd.measureScenario(out + "/input.toml", resuming: out) }
    }

    @Test func badMinutesAreRefused() throws {
        let path = try scenarioFile()
        for bad in ["0", "-1", "nan"] {
            let cmd = try #require(try Cekmc.parseAsRoot(["bench", "--scenario", path, "--minutes=\(bad)"]) as? BenchCommand)
            #expect(throws: ValidationError.self) { try cmd.measureScenario(path) }
        }
    }
}
