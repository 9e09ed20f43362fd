// What `cekmc run` prints on stderr: the start banner and the progress line with the program's
// percentage and ETA, checked as exact text; and the reporter's ETA, which follows the recent
// simulated pace (exponentially weighted), is withheld until it covers the warm-up wall time, is
// never a non-finite or negative number, and, given the program's T(t), extrapolates the pace with
// the temperature dependence of the run's cost (an Arrhenius fit of the printed intervals).
import Foundation
import Testing
@testable import KMC

@Suite struct ProgressBannerAndETATests {
    final class Box: @unchecked Sendable { var text: [String] = []; var now = 0.0 }

    static let banner = RunBanner(phase: "zb", diameter_nm: 6, length_nm: 30, sites: 80520, cationSites: 21564,
                                  programDuration_s: 2500, outputs: 13, outputInterval_s: 200,
                                  outputDirectory: "out/run", seed: 1)

    @Test func bannerOfAFreshRun() {
        #expect(Self.banner.text == """
            cekmc run: zb wire 6 nm × 30 nm, 80520 sites (21564 cations)
              program 41.67 min (2500 s simulated), 13 outputs every 200 s, into out/run
              seed 1, fresh start
            """)
    }

    @Test func bannerOfAResumedRun() {
        var b = Self.banner
        b.phase = "wz"; b.diameter_nm = 2.5; b.seed = 7; b.outputDirectory = "out/x"
        b.resumedAt = (time_s: 125, outputsDone: 5)
        #expect(b.text == """
            cekmc run: wz wire 2.5 nm × 30 nm, 80520 sites (21564 cations)
              program 41.67 min (2500 s simulated), 13 outputs every 200 s, into out/x
              seed 7, resuming at t = 1.250e+02 s (5 of 13 outputs written)
            """)
    }

    @Test func progressLines() {
        func line(_ t: Double, _ T: Double, _ x: Double, _ rate: Double, _ end: ProgressReporter.LineEnd,
                  of total: Double = 2500) -> String {
            ProgressReporter.line(time_s: t, programDuration_s: total, temperature_C: T, exchangedFraction: x,
                                  eventsPerSecond: rate, end: end)
        }
        #expect(line(0, 25, 0, 0, .eta(nil))
                == "t = 0.000e+00 s  0.0 %  T = 25.0 °C  X = 0.0000  0.00e+00 events/s  ETA —")
        #expect(line(1250, 125, 0.0123, 3.45e6, .eta(125))
                == "t = 1.250e+03 s (20.83 min)  50.0 %  T = 125.0 °C  X = 0.0123  3.45e+06 events/s  ETA 2 min 05 s")
        #expect(line(2500, 250, 1, 1e6, .done(wall_s: 3725))
                == "t = 2.500e+03 s (41.67 min)  100.0 %  T = 250.0 °C  X = 1.0000  1.00e+06 events/s  done in 1 h 02 min")
        // Rounded down: 100.0 % only at the end; a program of length 0 is complete.
        #expect(line(2499.99, 250, 1, 1e6, .eta(0)).contains(" 99.9 %  "))
        #expect(line(0, 25, 0, 0, .eta(nil), of: 0).contains("  100.0 %  "))
        // Without a program length the line keeps its plain form.
        #expect(ProgressReporter.line(time_s: 1, temperature_C: 25, exchangedFraction: 0, eventsPerSecond: 10)
                == "t = 1.000e+00 s  T = 25.0 °C  X = 0.0000  1.00e+01 events/s")
    }

    @Test func durationsForPeople() {
        let cases: [(Double, String)] = [
            (0, "0 s"), (42.4, "42 s"), (59.6, "1 min 00 s"), (725, "12 min 05 s"), (3599.4, "59 min 59 s"),
            (3600, "1 h 00 min"), (18420, "5 h 07 min"), (2 * 86400, "2.0 d"), (1e12, "> 999 d"),
            (-1, "—"), (.nan, "—"), (.infinity, "—"),
        ]
        for (s, text) in cases { #expect(ProgressReporter.duration(s) == text, "\(s)") }
    }

    @Test func etaIsNilUnlessFiniteAndNonNegative() {
        #expect(ProgressReporter.eta(remaining_s: 100, pace: 2) == 50)
        #expect(ProgressReporter.eta(remaining_s: -3, pace: 2) == 0)
        #expect(ProgressReporter.eta(remaining_s: 100, pace: 0) == nil)
        #expect(ProgressReporter.eta(remaining_s: 100, pace: -1) == nil)
        #expect(ProgressReporter.eta(remaining_s: 100, pace: .nan) == nil)
        #expect(ProgressReporter.eta(remaining_s: 100, pace: .infinity) == nil)
        #expect(ProgressReporter.eta(remaining_s: .nan, pace: 1) == nil)
        #expect(ProgressReporter.eta(remaining_s: 1e300, pace: 1e-300) == nil)   // overflows to inf
    }

    @Test func reporterETAFollowsTheRecentPaceAfterTheWarmUp() {
        let box = Box()
        var p = ProgressReporter(mode: .plain, interval_s: 1, programDuration_s: 1000, etaTimeConstant_s: 30,
                                 etaWarmup_s: 5, clock: { box.now }, sink: { box.text.append($0) })
        // 1 s of wall time: below the warm-up, no ETA.
        box.now = 1
        p.update(time_s: 10, temperature_C: 100, exchangedFraction: 0, events: 100)
        #expect(box.text.last == "t = 1.000e+01 s  1.0 %  T = 100.0 °C  X = 0.0000  1.00e+02 events/s  ETA —\n")
        // 6 s at 10 simulated s per wall s: 940 s left → 94 s.
        box.now = 6
        p.update(time_s: 60, temperature_C: 100, exchangedFraction: 0, events: 600)
        #expect(box.text.last == "t = 6.000e+01 s (1.00 min)  6.0 %  T = 100.0 °C  X = 0.0000  1.00e+02 events/s  ETA 1 min 34 s\n")
        // The pace drops to 1 s/s for 1 s: weight 1 − exp(−1/30) → pace 9.705 s/s, 939 s left → 96.8 s
        // (the last interval alone would say 15 min 39 s, the run average 1 min 48 s).
        box.now = 7
        p.update(time_s: 61, temperature_C: 100, exchangedFraction: 0, events: 700)
        #expect(box.text.last?.hasSuffix("  ETA 1 min 37 s\n") == true, "\(box.text.last ?? "")")
    }

    @Test func reporterWithoutSimulatedProgressShowsNoETA() {
        let box = Box()
        var p = ProgressReporter(mode: .plain, interval_s: 1, programDuration_s: 1000, etaWarmup_s: 5,
                                 clock: { box.now }, sink: { box.text.append($0) })
        for k in 1...8 {
            box.now = Double(k)
            p.update(time_s: 0, temperature_C: 25, exchangedFraction: 0, events: 10 * k)
        }
        #expect(box.text.count == 8)
        #expect(box.text.allSatisfy { $0.hasSuffix("  ETA —\n") })
    }

    @Test func resumedReporterCountsOnlyThisInvocationsEvents() {
        let box = Box()
        var p = ProgressReporter(mode: .terminal, interval_s: 1, programDuration_s: 1000, startTime_s: 500,
                                 startEvents: 1000, clock: { box.now }, sink: { box.text.append($0) })
        box.now = 1
        p.update(time_s: 501, temperature_C: 25, exchangedFraction: 0.5, events: 1100)
        #expect(box.text == ["\rt = 5.010e+02 s (8.35 min)  50.1 %  T = 25.0 °C  X = 0.5000  1.00e+02 events/s  ETA —\u{1B}[K"])
        box.now = 10
        p.finish(time_s: 1000, temperature_C: 25, exchangedFraction: 1, events: 3000)
        #expect(box.text.last == "\rt = 1.000e+03 s (16.67 min)  100.0 %  T = 25.0 °C  X = 1.0000  2.00e+02 events/s  done in 10 s\u{1B}[K\n")
    }

    static let kB = 8.617333262e-5

    /// A single linear ramp from `k0` to `k1` K over `d` s.
    static func ramp(from k0: Double, to k1: Double, over d: Double) throws -> TemperatureProgram {
        try TemperatureProgram(segments: [.init(start_s: 0, duration_s: d, t0_K: k0, t1_K: k1, label: "ramp")])
    }

    /// Intervals of an exact Arrhenius cost w = w0·exp(−E/k_BT) along a ramp give back E, even when
    /// each interval spans tens of kelvin (the span correction), and the anchor lies on the cost
    /// line; too few intervals or too narrow a temperature span give no fit; a cost falling with T
    /// is clamped to 0, a steeper one to 3 eV; a full history merges its oldest intervals and still
    /// fits.
    @Test func costHistoryRecoversTheActivationOfAnArrheniusCost() throws {
        func ramp(_ e: Double, from k0: Double, to k1: Double, step: Double) -> CostHistory {
            var h = CostHistory()
            var k = k0
            while k < k1 - 1e-9 {
                let k2 = min(k + step, k1)
                // 1 K of ramp per simulated second: wall = ∫ w dT.
                var wall = 0.0
                let n = 2000, d = (k2 - k) / Double(n)
                for i in 0..<n { wall += 1e-3 * exp(-e / Self.kB / (k + (Double(i) + 0.5) * d)) * d }
                h.add(fromKelvin: k, toKelvin: k2, wall_s: wall, simulated_s: k2 - k)
                k = k2
            }
            return h
        }
        for step in [1.0, 30.0] {
            let f = try #require(ramp(0.8, from: 300, to: 500, step: step).fit(minSpan_K: 5, timeConstant_s: 1e-3))
            #expect(abs(f.activation_eV - 0.8) < 0.004, "step \(step) K: \(f.activation_eV)")
            #expect(abs(log(f.wallPerSimulated / (1e-3 * exp(-0.8 / Self.kB / f.kelvin)))) < 0.02, "step \(step) K")
        }
        #expect(ramp(0.8, from: 300, to: 302, step: 1).fit(minSpan_K: 5, timeConstant_s: 30) == nil)
        #expect(ramp(0.8, from: 400, to: 404, step: 1).fit(minSpan_K: 5, timeConstant_s: 30) == nil)
        #expect(ramp(0.8, from: 400, to: 406, step: 1).fit(minSpan_K: 5, timeConstant_s: 30) != nil)
        #expect(ramp(-0.5, from: 300, to: 400, step: 5).fit(minSpan_K: 5, timeConstant_s: 30)?.activation_eV == 0)
        #expect(ramp(4, from: 300, to: 400, step: 5).fit(minSpan_K: 5, timeConstant_s: 30)?.activation_eV == 3)
        // A hold adds intervals at one temperature: no span, no fit.
        var hold = CostHistory()
        for _ in 0..<10 { hold.add(fromKelvin: 398, toKelvin: 398, wall_s: 1, simulated_s: 2) }
        #expect(hold.fit(minSpan_K: 5, timeConstant_s: 30) == nil)
        // Beyond the capacity the oldest intervals merge; the fit is unchanged.
        let long = ramp(0.8, from: 300, to: 300 + 0.05 * Double(CostHistory.capacity + 500), step: 0.05)
        #expect(long.intervals.count <= CostHistory.capacity)
        let g = try #require(long.fit(minSpan_K: 5, timeConstant_s: 1e-3))
        #expect(abs(g.activation_eV - 0.8) < 0.004, "\(g.activation_eV)")
    }

    /// The extrapolated ETA: on a hold it is the time left over the pace; on a ramp it matches a
    /// fine quadrature of the Arrhenius cost; it is nil for a non-finite input.
    @Test func extrapolatedETAIntegratesTheCostOverTheProgram() throws {
        let hold = try #require(ProgressReporter.eta(from: 100, to: 1100, pace: 4, kelvin: 400, activation_eV: 1,
                                                     program: try .constant(kelvin: 400, duration_s: 1100)))
        #expect(abs(hold - 250) < 1e-9)
        let T: (Double) -> Double = { 400 + $0 / 10 }            // 400 → 500 K over 1000 s
        let program = try Self.ramp(from: 400, to: 500, over: 1000)
        let eta = try #require(ProgressReporter.eta(from: 0, to: 1000, pace: 2, kelvin: 400, activation_eV: 0.9,
                                                    program: program))
        var ref = 0.0
        let n = 200_000, h = 1000 / Double(n)
        for i in 0..<n {
            let t = (Double(i) + 0.5) * h
            ref += exp(0.9 / Self.kB * (1 / 400 - 1 / T(t))) * h / 2
        }
        #expect(abs(eta / ref - 1) < 1e-6, "\(eta) vs \(ref)")
        #expect(ProgressReporter.eta(from: 0, to: 1000, pace: 2, kelvin: 400, activation_eV: .nan, program: program) == nil)
        #expect(ProgressReporter.eta(from: 0, to: 1000, pace: 0, kelvin: 400, activation_eV: 0.9, program: program) == nil)
        #expect(ProgressReporter.eta(from: 500, to: 400, pace: 2, kelvin: 400, activation_eV: 0.9, program: program) == 0)
    }

    /// A run on a heating ramp whose wall time per simulated second follows exp(−E/k_B T): after a
    /// stretch of the ramp the reporter's ETA is within 3 % of the true wall time left, where the
    /// pace alone would promise a small fraction of it — with updates that each stand alone (τ → 0)
    /// on a slow ramp, and with the default 30 s averaging on a ramp that climbs tens of kelvin
    /// within it (the mean is then over hotter and colder intervals); without T(t) it falls back
    /// to the pace.
    @Test(arguments: [(1e-3, 0.01, 1.0), (30.0, 3e-4, 0.25)])
    func reporterETAExtrapolatesAHeatingRamp(tau: Double, w0: Double, dWall: Double) throws {
        let e = 0.6                                                // w0: wall s per simulated s at 300 K
        let T: @Sendable (Double) -> Double = { 300 + 0.1 * min($0, 3000) }   // 300 → 600 K over 3000 s
        func w(_ kelvin: Double) -> Double { w0 * exp(e / Self.kB * (1 / 300 - 1 / kelvin)) }
        let program = try Self.ramp(from: 300, to: 600, over: 3000)
        func run(_ program: TemperatureProgram?) -> (eta: String, truth: Double, paceOnly: Double, climbed: Double) {
            let box = Box()
            var p = ProgressReporter(mode: .plain, interval_s: dWall, programDuration_s: 3000, etaTimeConstant_s: tau,
                                     etaWarmup_s: 5, program: program,
                                     clock: { box.now }, sink: { box.text.append($0) })
            var t = 0.0, wall = 0.0, history: [Double] = []
            while T(t) < 400 {
                // dWall of wall time of the run, integrated in small steps
                for _ in 0..<100 { t += dWall * 0.01 / w(T(t)) }
                wall += dWall
                box.now = wall
                history.append(T(t))
                p.update(time_s: t, temperature_C: T(t) - 273.15, exchangedFraction: 0, events: Int(wall) * 1000)
            }
            var truth = 0.0
            let n = 100_000, h = (3000 - t) / Double(n)
            for i in 0..<n { truth += w(T(t + (Double(i) + 0.5) * h)) * h }
            let last = box.text.last ?? ""
            let climbed = T(t) - history[max(history.count - Int(30 / dWall), 0)]
            return (String(last[last.range(of: "ETA ")!.upperBound...].dropLast()), truth, (3000 - t) * w(T(t)), climbed)
        }
        /// Seconds of a printed duration ("42 s", "12 min 05 s", "5 h 07 min", "3.2 d").
        func seconds(_ text: String) -> Double {
            let p = text.split(separator: " ").map(String.init)
            let unit: [String: Double] = ["s": 1, "min": 60, "h": 3600, "d": 86400]
            return stride(from: 0, to: p.count - 1, by: 2).reduce(0) { $0 + Double(p[$1])! * unit[p[$1 + 1]]! }
        }
        let (eta, truth, paceOnly, climbed) = run(program)
        #expect(truth > 20 * paceOnly, "\(truth) vs \(paceOnly)")
        #expect(abs(seconds(eta) / truth - 1) < 0.03, "ETA \(eta) vs \(truth) s")
        if tau > 1 { #expect(climbed > 20, "the last 30 s of wall time climbed only \(climbed) K") }
        // Without T(t): the time left over the recent pace; with updates that stand alone it lies
        // within 2 % of the pace at the present temperature.
        let (etaPace, _, _, _) = run(nil)
        if tau < 1 { #expect(abs(seconds(etaPace) / paceOnly - 1) < 0.02, "ETA \(etaPace) vs \(paceOnly) s") }
        #expect(seconds(etaPace) < truth / 5)
    }
}
