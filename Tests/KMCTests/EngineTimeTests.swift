// Exact-time tests of the engine under temperature programs: a first-order decay under a linear ramp
// (survival = exp(−∫k dt), Kolmogorov–Smirnov) and the mean number of events of a constant-rate class
// (= ∫k dt, Poisson error).
import Testing
import CekmcCore
@testable import KMC

import GSL
#if canImport(Glibc)
import Glibc
#endif

/// Independent first-order decays: every event removes its slot.
struct DecayModel: KMCModel {
    mutating func perform(slot: Int32, rateClass: Int32, channel: Int32, classes: inout RateClassTable) -> Bool {
        classes.assign(slot, to: -1)
        return true
    }
}

/// A single always-active slot per class: events never change the state.
struct CounterModel: KMCModel {
    var counts: [Int]
    mutating func perform(slot: Int32, rateClass: Int32, channel: Int32, classes: inout RateClassTable) -> Bool {
        counts[Int(rateClass)] += 1
        return true
    }
}

@Suite struct EngineTimeTests {
    @Test func programFlattensRepeatsAndInterpolates() throws {
        let p = try TemperatureProgram(steps: [
            .ramp(fromC: 25, toC: 125, ratePerMin: 10, durationMin: nil),
            .repeatSteps(times: 2, steps: [.hold(atC: nil, durationMin: 5), .quench(toC: 25, ratePerMin: 1000),
                                           .ramp(fromC: nil, toC: 125, ratePerMin: nil, durationMin: 1)]),
        ])
        #expect(p.segments.count == 7)
        #expect(abs(p.duration_s - (600 + 2 * (300 + 6 + 60))) < 1e-9)
        #expect(abs(p.temperature(at: 300) - Units.kelvin(celsius: 75)) < 1e-9)
        #expect(abs(p.temperature(at: 700) - Units.kelvin(celsius: 125)) < 1e-9)
        #expect(abs(p.temperature(at: 903) - Units.kelvin(celsius: 75)) < 1e-9)
        #expect(throws: TemperatureProgramError.self) { try TemperatureProgram(steps: [.hold(atC: 10, durationMin: -1)]) }
    }

    @Test func decaySurvivalUnderRampMatchesIntegratedRate() throws {
        // N decays per run, E = 1.0 eV, ν = 1e12 s⁻¹, ramp 300 → 500 K over 2000 s; the decay
        // times of 5 independent runs are pooled (5N samples: more power against a bias, and the
        // 0.1 % critical value keeps the test from failing on a rare stream).
        let n = 4000, runs = 5
        let e = 1.0, nu = 1e12
        let program = try TemperatureProgram(segments: [.init(start_s: 0, duration_s: 2000, t0_K: 300, t1_K: 500, label: "ramp")])
        var times: [Double] = []
        var rejections: UInt64 = 0
        for seed in 11..<(11 + runs) {
            var table = RateClassTable(classes: [RateClassInfo(eventType: 0, barrier_eV: e, nu: nu)], slotCount: n)
            for s in 0..<n { table.assign(Int32(s), to: 0) }
            var engine = Engine(model: DecayModel(), classes: table, program: program, rng: try RandomGenerator(seed: UInt64(seed)))
            while engine.run(until: program.duration_s, maxEvents: 1) == .eventLimit { times.append(engine.clock.time_s) }
            rejections += engine.clock.rejections
        }
        times.sort()
        let total = n * runs
        // KS distance over [0, t_end] against F(t) = 1 − exp(−∫₀ᵗ k); censored survivors count as > t_end.
        var d = 0.0
        for (i, t) in times.enumerated() {
            let f = 1 - exp(-program.integratedRate(nu: nu, barrier_eV: e, from: 0, to: t, pieces: 8))
            d = max(d, abs(Double(i + 1) / Double(total) - f), abs(Double(i) / Double(total) - f))
        }
        let fEnd = 1 - exp(-program.integratedRate(nu: nu, barrier_eV: e, from: 0, to: 2000))
        d = max(d, abs(Double(times.count) / Double(total) - fEnd))
        #expect(times.count > total / 2)
        #expect(d < 1.949 / Double(total).squareRoot(), "KS D = \(d)")
        #expect(rejections > 0)
    }

    @Test func meanEventCountOfConstantClassEqualsIntegratedRate() throws {
        // Two always-active classes on a program with a ramp, a hold and a quench; output-time
        // boundaries every 7 s. Event counts are Poisson with mean ∫k dt.
        let program = try TemperatureProgram(steps: [
            .ramp(fromC: 20, toC: 220, ratePerMin: 600, durationMin: nil), .hold(atC: nil, durationMin: 0.5),
            .quench(toC: 20, ratePerMin: 3000),
        ])
        let classes = [RateClassInfo(eventType: 0, barrier_eV: 0.45, nu: 1e9), RateClassInfo(eventType: 0, barrier_eV: 0.25, nu: 1e6)]
        var table = RateClassTable(classes: classes, slotCount: 2)
        table.assign(0, to: 0); table.assign(1, to: 1)
        var engine = Engine(model: CounterModel(counts: [0, 0]), classes: table, program: program, rng: try RandomGenerator(seed: 3))
        var t = 0.0
        while t < program.duration_s {
            t = min(t + 7, program.duration_s)
            _ = engine.run(until: t)
            #expect(engine.clock.time_s == t)
        }
        for c in 0..<2 {
            let mean = program.integratedRate(nu: classes[c].nu, barrier_eV: classes[c].barrier_eV, from: 0, to: program.duration_s)
            let got = Double(engine.model.counts[c])
            #expect(mean > 1e4)
            #expect(abs(got - mean) < 4 * mean.squareRoot(), "class \(c): \(got) vs \(mean)")
        }
    }
    @Test func holdClockEqualsTheSumOfExponentialSteps() throws {
        // One always-active class (its capacity slack adds null events) in a long hold: the hold
        // clock (product of the time uniforms, folded about every 350 candidates) must equal
        // Σ −ln u / R over the same uniforms to rounding. The reference replays the generator:
        // per candidate a positive time uniform (zeros skipped, as `nextPositive`) and a selection uniform.
        let program = try TemperatureProgram(segments: [.init(start_s: 0, duration_s: 1e6, t0_K: 500, t1_K: 500, label: "hold")])
        var table = RateClassTable(classes: [RateClassInfo(eventType: 0, barrier_eV: 0.5, nu: 1e9)], slotCount: 1)
        table.assign(0, to: 0)
        var engine = Engine(model: CounterModel(counts: [0]), classes: table, program: program, rng: try RandomGenerator(seed: 5))
        var stops: [(candidates: Int, time: Double)] = []
        for _ in 0..<4 {
            _ = engine.run(until: program.duration_s, maxEvents: 700)
            stops.append((Int(engine.clock.events + engine.clock.rejections), engine.clock.time_s))
        }
        let r = engine.classes.totalRate
        let reference = try RandomGenerator(seed: 5)
        var t = 0.0, k = 0
        for stop in stops {
            while k < stop.candidates {
                var u = reference.uniform()
                while u == 0 { u = reference.uniform() }
                t += -log(u) / r
                _ = reference.uniform()
                k += 1
            }
            #expect(abs(stop.time - t) <= 1e-12 * t, "after \(k) candidates: \(stop.time) vs \(t)")
        }
        #expect(k >= 2800 && engine.clock.base_s > 0)
        #expect(engine.clock.holdRate == r)
    }
}
