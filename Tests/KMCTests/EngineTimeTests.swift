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
    @Test func holdCandidateCountsArePoisson() throws {
        // One always-active class (its capacity slack adds null events) in a long hold, read out
        // every Δ with R̄Δ = 30, some windows split by event-limited stops: the candidates per
        // window (events + null events) are independent Poisson(RΔ) counts. Mean within 4σ of
        // μ (σ² = μ/M); index of dispersion within 4σ of 1 (σ² ≈ (2 + 1/μ)/M).
        let program = try TemperatureProgram(segments: [.init(start_s: 0, duration_s: 1e6, t0_K: 500, t1_K: 500, label: "hold")])
        var table = RateClassTable(classes: [RateClassInfo(eventType: 0, barrier_eV: 0.5, nu: 1e9)], slotCount: 1)
        table.assign(0, to: 0)
        var engine = Engine(model: CounterModel(counts: [0]), classes: table, program: program, rng: try RandomGenerator(seed: 5))
        _ = engine.run(until: 1e-12)
        let r = engine.classes.totalRate
        // Candidates come at the count's bound R̄ = R·(1 + padding) (the excess are null events).
        let mu = 30.0, dt = mu / (r * (1 + ClockState.padding)), m = 2000
        var counts: [Double] = []
        var before = engine.clock.events + engine.clock.rejections
        var t = engine.clock.time_s
        for w in 0..<m {
            t += dt
            if w % 7 == 0 { _ = engine.run(until: t, maxEvents: 5) }
            _ = engine.run(until: t)
            #expect(engine.clock.time_s == t)
            let now = engine.clock.events + engine.clock.rejections
            counts.append(Double(now - before))
            before = now
        }
        #expect(engine.classes.totalRate == r)
        let mean = counts.reduce(0, +) / Double(m)
        let variance = counts.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(m - 1)
        #expect(abs(mean - mu) < 4 * (mu / Double(m)).squareRoot(), "mean \(mean) vs \(mu)")
        #expect(abs(variance / mean - 1) < 4 * ((2 + 1 / mu) / Double(m)).squareRoot(), "dispersion \(variance / mean)")
    }

    @Test func holdDecaySurvivorsAreBinomial() throws {
        // N first-order decays in a hold: the total rate changes whenever a capacity is reset, so
        // the count clock draws candidate times (Beta) and new counts along the way. Survivors at
        // t with kt = 0.25 ... 2 are Binomial(N, e^{−kt}); pooled over 5 runs, within 4σ.
        let n = 2000, runs = 5, e = 0.5, nu = 1e9, kelvin = 500.0
        let program = try TemperatureProgram(segments: [.init(start_s: 0, duration_s: 1, t0_K: kelvin, t1_K: kelvin, label: "hold")])
        let k = Arrhenius.rate(nu: nu, barrier_eV: e, kelvin: kelvin)
        let marks = [0.25, 0.5, 1, 2]
        var survivors = [Int](repeating: 0, count: marks.count)
        var redraws = 0
        for seed in 21..<(21 + runs) {
            var table = RateClassTable(classes: [RateClassInfo(eventType: 0, barrier_eV: e, nu: nu)], slotCount: n)
            for s in 0..<n { table.assign(Int32(s), to: 0) }
            var engine = Engine(model: DecayModel(), classes: table, program: program, rng: try RandomGenerator(seed: UInt64(seed)))
            for (j, x) in marks.enumerated() {
                var last = engine.classes.totalRate
                while engine.run(until: x / k, maxEvents: 50) == .eventLimit {
                    if engine.classes.totalRate != last { redraws += 1; last = engine.classes.totalRate }
                }
                survivors[j] += engine.classes.memberCount[0]
            }
        }
        #expect(redraws > 10)
        for (j, x) in marks.enumerated() {
            let p = exp(-x), total = Double(n * runs)
            let sigma = (total * p * (1 - p)).squareRoot()
            #expect(abs(Double(survivors[j]) - total * p) < 4 * sigma, "kt = \(x): \(survivors[j]) vs \(total * p)")
        }
    }
}
