// Stop/resume identity: a run stopped after N events and resumed from its checkpoint executes the
// same events at the same times as an uninterrupted run (same final engine state, same timeseries).
import Testing
import Foundation
import CekmcCore
import GSL
@testable import KMC

@Suite(.serialized) struct RestartTests {
    func config(_ topo: LatticeTopology) throws -> ScenarioConfig {
        var p = ExchangeParameters.defaults(.zb)
        p.escapedCd_eV = -1
        let initial = InitialState(donorCu: 300, surfaceVacancyFraction: 0.05, seed: 3)
        // Program length: ~40 000 events at the initial total rate of 500 °C.
        let (m, t) = try ExchangeModel.make(topology: topo, parameters: p, initial: initial)
        var probe = Engine(model: m, classes: t, program: try .constant(kelvin: Units.kelvin(celsius: 500), duration_s: 1e30),
                           rng: try RandomGenerator(seed: 1))
        _ = probe.run(until: 1e30, maxEvents: 40_000)
        let d = probe.clock.time_s / 60
        let program = try TemperatureProgram(steps: [.ramp(fromC: 300, toC: 500, ratePerMin: nil, durationMin: d),
                                                     .hold(atC: nil, durationMin: d)])
        return ScenarioConfig(phase: .zb, diameter_nm: 1.8, length_nm: 2.4, parameters: p, initial: initial,
                              program: program, outputInterval_s: program.duration_s / 10, verifyEvery: 5, seed: 17)
    }

    func tempDir(_ name: String) -> String {
        let d = NSTemporaryDirectory() + "cekmc-restart-\(name)-\(getpid())"
        try? FileManager.default.removeItem(atPath: d)
        return d
    }

    @Test func stoppedAndResumedRunIsIdentical() throws {
        let topo = try TestLattice.zbWire(radius: 9, length: 24)
        let c = try config(topo)
        let full = tempDir("full"), split = tempDir("split")
        var a = try Simulation(config: c, topology: topo, diameter_A: 18, length_A: 24)
        #expect(try a.run(outputDirectory: full) == .completed)
        #expect(a.engine.clock.events > 20_000 && a.engine.clock.events < 200_000)

        var b = try Simulation(config: c, topology: topo, diameter_A: 18, length_A: 24)
        #expect(try b.run(outputDirectory: split, stopAfterEvents: 7_777) == .stopped)
        #expect(b.engine.clock.events == 7_777)
        var b2 = try Simulation(config: c, topology: topo, diameter_A: 18, length_A: 24)
        try b2.restore(try Simulation.readCheckpoint(split))
        #expect(try b2.run(outputDirectory: split, resuming: true, stopAfterEvents: 9_000) == .stopped)
        var b3 = try Simulation(config: c, topology: topo, diameter_A: 18, length_A: 24)
        try b3.restore(try Simulation.readCheckpoint(split))
        #expect(try b3.run(outputDirectory: split, resuming: true) == .completed)

        #expect(b3.engine.clock == a.engine.clock)
        #expect(b3.engine.model.occ == a.engine.model.occ)
        #expect(b3.engine.classes.members == a.engine.classes.members)
        let ta = try String(contentsOfFile: full + "/timeseries.csv", encoding: .utf8)
        let tb = try String(contentsOfFile: split + "/timeseries.csv", encoding: .utf8)
        #expect(ta == tb)
        #expect(ta.split(separator: "\n").count == 12)
        let ca = try Data(contentsOf: URL(fileURLWithPath: full + "/checkpoint.json"))
        let cb = try Data(contentsOf: URL(fileURLWithPath: split + "/checkpoint.json"))
        #expect(ca == cb)
    }
}
