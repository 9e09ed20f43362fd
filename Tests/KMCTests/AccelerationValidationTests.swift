// Accelerated against unaccelerated runs: on a small wire in a hold, the adaptive acceleration must
// leave the state reached at a given simulated time unchanged within statistical error, while
// executing fewer events.
import Testing
import CekmcCore
import GSL
@testable import KMC

@Suite struct AccelerationValidationTests {
    struct Outcome { var cuCation: Double, cuInterstitial: Double, cuShell: Double, cdOut: Double, events: Double, scaled: Bool }

    /// One run of `duration_s` under `program` (a 125 °C hold, or a 100 → 150 °C ramp) from the
    /// same initial state, the engine seeded by `seed`; the controller checks between engine runs
    /// as `Simulation.run` does.
    func run(accelerated: Bool, seed: UInt64, ramp: Bool, duration_s: Double) throws -> Outcome {
        let topo = try TestLattice.zbWire(radius: 9, length: 24)
        let p = TestLattice.active(.zb)
        let (m, t) = try ExchangeModel.make(topology: topo, parameters: p,
                                            initial: InitialState(donorCu: 300, surfaceVacancyFraction: 0.05, seed: 3))
        let minutes = duration_s / 60
        let program = ramp
            ? try TemperatureProgram(steps: [.ramp(fromC: 100, toC: 150, ratePerMin: nil, durationMin: minutes)], initialC: 100)
            : try TemperatureProgram(steps: [.hold(atC: 125, durationMin: minutes)], initialC: 125)
        var engine = Engine(model: m, classes: t, program: program, rng: try RandomGenerator(seed: seed))
        var s = AccelerationSettings()
        s.mode = accelerated ? .adaptive : .off
        s.checkEvents = 20_000
        var acc = AdaptiveAcceleration(settings: s, model: m)
        while engine.clock.time_s < duration_s { acc.run(&engine, until: duration_s, maxEvents: .max) }
        try engine.model.checkConservation()
        let a = engine.model.counts()
        return Outcome(cuCation: Double(a.cuCation), cuInterstitial: Double(a.cuInterstitial), cuShell: Double(a.cuShell),
                       cdOut: Double(a.cdEscaped + a.cdInterstitial), events: Double(engine.clock.events),
                       scaled: acc.state.minScaleReached.values.contains { $0 < 1 })
    }

    /// Mean and variance of the mean.
    func stats(_ x: [Double]) -> (mean: Double, varMean: Double) {
        let n = Double(x.count), m = x.reduce(0, +) / n
        return (m, x.map { ($0 - m) * ($0 - m) }.reduce(0, +) / (n - 1) / n)
    }

    /// 8 seeds each way, 6·10⁻⁷ s (≈ 150 000 events unaccelerated, where penetration/exit and
    /// kick-off/kick-in flicker are scaled). Each observable's means must agree within 4 standard
    /// errors of their difference (+ 1 atom, for observables that hardly vary): a two-sample test
    /// whose false-alarm rate per observable is ≈ 6·10⁻⁵ for normal means.
    @Test(arguments: [false, true])
    func acceleratedRunsReachTheSameState(ramp: Bool) throws {
        var off: [Outcome] = [], on: [Outcome] = []
        for seed in UInt64(1)...8 {
            off.append(try run(accelerated: false, seed: seed, ramp: ramp, duration_s: 6e-7))
            on.append(try run(accelerated: true, seed: seed, ramp: ramp, duration_s: 6e-7))
        }
        #expect(on.contains { $0.scaled }, "the test must exercise scaling")
        let observables: [(String, (Outcome) -> Double)] = [
            ("Cu on cation sites", { $0.cuCation }), ("Cu interstitials", { $0.cuInterstitial }),
            ("shell Cu", { $0.cuShell }), ("Cd out of the lattice", { $0.cdOut }),
        ]
        for (name, f) in observables {
            let a = stats(off.map(f)), b = stats(on.map(f))
            let bound = 4 * (a.varMean + b.varMean).squareRoot() + 1
            #expect(abs(a.mean - b.mean) <= bound, "\(name): off \(a.mean), accelerated \(b.mean), bound \(bound)")
        }
        let eventsOff = stats(off.map(\.events)).mean, eventsOn = stats(on.map(\.events)).mean
        #expect(eventsOn < eventsOff, "acceleration must save events: \(eventsOn) vs \(eventsOff)")
    }
}
