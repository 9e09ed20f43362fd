// What `cekmc run` shows on stderr: a start banner (`RunBanner`) and a throttled progress line.
//
// On a terminal (isatty(stderr)) one line is redrawn in place ("\r" + text + clear-to-end-of-line),
// at most every `interval_s` of wall time (default 0.25 s); otherwise (log files, CI) plain lines are
// printed at most every `interval_s` (default 10 s). Throttling reads a monotonic clock, so calling
// `update` often is cheap (one clock read and a compare). events/s is measured between two printed
// updates; the final line gives the average over the invocation.
//
// Given the program length, the line also shows the program's percentage (simulated time / program
// length) and an ETA. The wall time per simulated second varies by orders of magnitude during a run
// (rates follow T, which follows the program). Without the program's T(t) the ETA is the time left
// over the recent pace: an exponentially weighted mean of simulated s per wall s over the printed
// updates, with wall-time constant `etaTimeConstant_s` (each update weighs 1 − exp(−Δwall/τ)). Given
// T(t) (`program`), it extrapolates over the rest of the program with the temperature
// dependence the run has shown so far (`CostHistory`): the wall time per simulated second w of the
// printed intervals is fitted as w = A·exp(−E_w/k_BT) by least squares of ln w against 1/T, each
// interval's mean cost corrected for the span of 1/T it covers (ln(sinh u/u), u = E_w·|Δ(1/T)|/2k_B,
// iterated with E_w: a wide interval on a ramp is dominated by its hot end); the line is anchored at
// the recent intervals (the same weights as the pace, over ln w and 1/T: a mean of w itself would sit
// above the line on a ramp and make the ETA short), and ETA = w_now ∫ exp((E_w/k_B)(1/T_now −
// 1/T(t))) dt over the simulated time left. E_w is taken as 0 (the pace alone) until the intervals
// span `etaMinSpan_K` of temperature, and is kept within 0…3 eV (more than the cost of any fast
// process of the model). The history keeps every interval, pairs of the oldest merged once it holds
// 2048. The extrapolation sees temperature, not what else changes the cost (a shell filling at
// constant T), so it is a forecast, not a bound. Until the pace covers `etaWarmup_s` of wall time, or
// when the ETA is not a finite, non-negative number, the line reads "ETA —".
//
// Everything printed is a pure function of its inputs (`RunBanner.text`, `ProgressReporter.line`,
// `ProgressReporter.duration`), tested with exact strings.

import CekmcCore
import GSL
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a run is about to do, printed once to stderr before it starts.
public struct RunBanner: Sendable {
    /// Host phase name (`zb`, `wz`).
    public var phase: String
    /// Wire diameter and length as built, nm.
    public var diameter_nm: Double, length_nm: Double
    /// Lattice sites (cations, interstitials, shell sites) and cation sites.
    public var sites: Int, cationSites: Int
    /// Temperature program length, simulated s.
    public var programDuration_s: Double
    /// Outputs of the whole program (t = 0 and the end included) and the time between them, s.
    public var outputs: Int, outputInterval_s: Double
    /// Output folder.
    public var outputDirectory: String
    /// Seed of the run.
    public var seed: UInt64
    /// When resuming: the simulated time reached, s, and the outputs already written; nil for a fresh run.
    public var resumedAt: (time_s: Double, outputsDone: Int)?

    public init(phase: String, diameter_nm: Double, length_nm: Double, sites: Int, cationSites: Int,
                programDuration_s: Double, outputs: Int, outputInterval_s: Double, outputDirectory: String,
                seed: UInt64, resumedAt: (time_s: Double, outputsDone: Int)? = nil) {
        self.phase = phase; self.diameter_nm = diameter_nm; self.length_nm = length_nm
        self.sites = sites; self.cationSites = cationSites; self.programDuration_s = programDuration_s
        self.outputs = outputs; self.outputInterval_s = outputInterval_s; self.outputDirectory = outputDirectory
        self.seed = seed; self.resumedAt = resumedAt
    }

    /// The banner, three lines without a final newline, e.g.
    /// ```
    /// cekmc run: zb wire 6 nm × 30 nm, 80520 sites (21564 cations)
    ///   program 41.67 min (2500 s simulated), 13 outputs every 200 s, into out/run
    ///   seed 1, fresh start
    /// ```
    /// A resumed run's last line reads `seed 1, resuming at t = 1.250e+02 s (5 of 13 outputs written)`.
    public var text: String {
        let resume: String
        if let r = resumedAt {
            resume = "resuming at t = " + cFormat("%.3e", r.time_s) + " s (\(r.outputsDone) of \(outputs) outputs written)"
        } else {
            resume = "fresh start"
        }
        return "cekmc run: \(phase) wire " + cFormat("%.4g", diameter_nm) + " nm × " + cFormat("%.4g", length_nm)
            + " nm, \(sites) sites (\(cationSites) cations)\n"
            + "  program " + cFormat("%.4g", programDuration_s / 60) + " min (" + cFormat("%.4g", programDuration_s)
            + " s simulated), \(outputs) outputs every " + cFormat("%.4g", outputInterval_s) + " s, into \(outputDirectory)\n"
            + "  seed \(seed), " + resume
    }
}

/// Throttled one-line progress reporter for stderr.
public struct ProgressReporter: Sendable {
    /// How progress is shown.
    public enum Mode: Sendable, Equatable {
        /// One line redrawn in place (stderr is a terminal).
        case terminal
        /// Plain periodic lines (stderr is a file or pipe).
        case plain
        /// Nothing.
        case silent
    }

    /// How a progress line ends.
    public enum LineEnd: Sendable, Equatable {
        /// Estimated wall time left, s; nil: not known yet ("ETA —").
        case eta(Double?)
        /// The run finished after this wall time, s ("done in …").
        case done(wall_s: Double)
    }

    /// Display mode in force.
    public let mode: Mode
    /// Minimum wall time between two displays, s.
    public let interval_s: Double
    /// Temperature program length, simulated s; nil: the line shows neither percentage nor ETA.
    public let programDuration_s: Double?
    /// Wall-time constant of the simulated-pace average the ETA uses, s.
    public let etaTimeConstant_s: Double
    /// Wall time the pace average must cover before an ETA is shown, s.
    public let etaWarmup_s: Double
    /// The temperature program (nil: the ETA assumes the recent pace holds).
    public let program: TemperatureProgram?
    /// Temperature span the printed intervals must cover before the ETA extrapolates in T, K.
    public let etaMinSpan_K: Double
    private let clock: @Sendable () -> Double
    private let sink: @Sendable (String) -> Void
    private var lastWall: Double
    private var lastEvents: Int
    private let startEvents: Int
    private var lastTime_s: Double
    private var startWall: Double
    private var printedAny = false
    /// Exponentially weighted simulated s per wall s, and the wall time it covers.
    private var pace: Double? = nil
    private var paceWall = 0.0
    /// Temperature at the last update, K (nil before the first).
    private var lastKelvin: Double? = nil
    /// The printed intervals' costs and temperatures (the extrapolation's data).
    private var history = CostHistory()

    /// Creates a reporter.
    /// - Parameters:
    ///   - mode: display mode; default: `.terminal` if stderr is a terminal, else `.plain`.
    ///   - interval_s: minimum wall time between displays, s; default 0.25 (terminal) or 10 (plain).
    ///   - programDuration_s: temperature program length, simulated s (enables percentage and ETA).
    ///   - startTime_s: simulated time at the start of this invocation, s (non-zero when resuming).
    ///   - startEvents: events executed before this invocation (non-zero when resuming).
    ///   - etaTimeConstant_s: wall-time constant of the pace average, s (default 30).
    ///   - etaWarmup_s: wall time the pace average must cover before an ETA is shown, s (default 5).
    ///   - program: the temperature program (enables the extrapolation in temperature).
    ///   - etaMinSpan_K: temperature span of the intervals before the ETA extrapolates in T, K (default 5).
    ///   - clock: monotonic wall clock in s (default: CLOCK_MONOTONIC; injectable for tests).
    ///   - sink: where text goes (default: stderr, unbuffered).
    public init(mode: Mode? = nil, interval_s: Double? = nil, programDuration_s: Double? = nil,
                startTime_s: Double = 0, startEvents: Int = 0,
                etaTimeConstant_s: Double = 30, etaWarmup_s: Double = 5,
                program: TemperatureProgram? = nil, etaMinSpan_K: Double = 5,
                clock: (@Sendable () -> Double)? = nil,
                sink: (@Sendable (String) -> Void)? = nil) {
        let clock = clock ?? { monotonicSeconds() }
        let m = mode ?? (isatty(STDERR_FILENO) != 0 ? .terminal : .plain)
        self.mode = m
        self.interval_s = interval_s ?? (m == .terminal ? 0.25 : 10)
        self.programDuration_s = programDuration_s
        self.etaTimeConstant_s = etaTimeConstant_s
        self.etaWarmup_s = etaWarmup_s
        self.program = program
        self.etaMinSpan_K = etaMinSpan_K
        self.clock = clock
        self.sink = sink ?? { ProgressReporter.writeStderr($0) }
        self.startEvents = startEvents
        lastKelvin = program?.temperature(at: startTime_s)
        lastEvents = startEvents
        lastTime_s = startTime_s
        startWall = clock()
        lastWall = startWall
    }

    /// Shows progress if at least `interval_s` passed since the last display; returns whether it did.
    /// - Parameters:
    ///   - time_s: simulated time, s.
    ///   - temperature_C: temperature, °C.
    ///   - exchangedFraction: X.
    ///   - events: KMC events executed so far (cumulative).
    @discardableResult
    public mutating func update(time_s: Double, temperature_C: Double, exchangedFraction: Double, events: Int) -> Bool {
        guard mode != .silent else { return false }
        let now = clock()
        let dWall = now - lastWall
        guard dWall >= interval_s, dWall > 0 else { return false }
        let rate = Double(events - lastEvents) / dWall
        let r = (time_s - lastTime_s) / dWall
        let kelvin = Units.kelvin(celsius: temperature_C)
        if r.isFinite && r >= 0 {
            let w = pace == nil ? 1 : 1 - exp(-dWall / etaTimeConstant_s)
            pace = (pace ?? 0) + w * (r - (pace ?? 0))
            paceWall += dWall
        }
        if let k0 = lastKelvin, program != nil {
            history.add(fromKelvin: k0, toKelvin: kelvin, wall_s: dWall, simulated_s: time_s - lastTime_s)
        }
        lastKelvin = kelvin
        lastWall = now; lastEvents = events; lastTime_s = time_s
        let text: String
        if let total = programDuration_s {
            var eta: Double? = nil
            if paceWall >= etaWarmup_s, let v = pace {
                if let T = program, let f = history.fit(minSpan_K: etaMinSpan_K, timeConstant_s: etaTimeConstant_s),
                   f.activation_eV > 0 {
                    eta = Self.eta(from: time_s, to: total, pace: 1 / f.wallPerSimulated, kelvin: f.kelvin,
                                   activation_eV: f.activation_eV, program: T)
                } else {
                    eta = Self.eta(remaining_s: total - time_s, pace: v)
                }
            }
            text = Self.line(time_s: time_s, programDuration_s: total, temperature_C: temperature_C,
                             exchangedFraction: exchangedFraction, eventsPerSecond: rate, end: .eta(eta))
        } else {
            text = Self.line(time_s: time_s, temperature_C: temperature_C, exchangedFraction: exchangedFraction,
                             eventsPerSecond: rate)
        }
        sink(mode == .terminal ? "\r" + text + "\u{1B}[K" : text + "\n")
        printedAny = true
        return true
    }

    /// Shows the final state (always) and ends the in-place line; events/s is the average over this
    /// reporter's life, and the line ends with the wall time taken.
    public mutating func finish(time_s: Double, temperature_C: Double, exchangedFraction: Double, events: Int) {
        guard mode != .silent else { return }
        let wall = clock() - startWall
        let rate = wall > 0 ? Double(events - startEvents) / wall : 0
        let text: String
        if let total = programDuration_s {
            text = Self.line(time_s: time_s, programDuration_s: total, temperature_C: temperature_C,
                             exchangedFraction: exchangedFraction, eventsPerSecond: rate, end: .done(wall_s: wall))
        } else {
            text = Self.line(time_s: time_s, temperature_C: temperature_C, exchangedFraction: exchangedFraction,
                             eventsPerSecond: rate)
        }
        sink(mode == .terminal ? "\r" + text + "\u{1B}[K\n" : text + "\n")
        printedAny = false
    }

    /// Ends an in-place line that is showing (terminal mode), so what is printed next starts on its
    /// own line; does nothing otherwise. Call before a run stops early.
    public mutating func endLine() {
        guard mode == .terminal, printedAny else { return }
        sink("\n")
        printedAny = false
    }

    /// Wall time to finish `remaining_s` of simulated time at `pace` simulated s per wall s; nil when
    /// that is not a finite, non-negative number (no pace yet, pace 0, NaN inputs).
    public static func eta(remaining_s: Double, pace: Double) -> Double? {
        guard pace > 0, pace.isFinite, remaining_s.isFinite else { return nil }
        let t = max(remaining_s, 0) / pace
        return t.isFinite ? t : nil
    }

    /// Wall time to run the program from simulated time `t0` to `t1` when it runs at `pace` simulated s
    /// per wall s at temperature `kelvin` (T_now) and the wall time per simulated second follows
    /// exp(−E/k_BT) (file header): (1/pace) ∫ exp((E/k_B)(1/T_now − 1/T(t))) dt, the program's own
    /// Arrhenius integral (`TemperatureProgram.integratedRate`, ν = exp(E/k_BT_now)). nil when that is
    /// not a finite, non-negative number.
    public static func eta(from t0: Double, to t1: Double, pace: Double, kelvin: Double, activation_eV e: Double,
                           program: TemperatureProgram) -> Double? {
        guard pace > 0, pace.isFinite, t0.isFinite, t1.isFinite, kelvin > 0, e.isFinite else { return nil }
        guard t1 > t0 else { return 0 }
        let nu = exp(e / Constants.boltzmann_eV_per_K / kelvin)
        guard nu.isFinite else { return nil }
        let t = program.integratedRate(nu: nu, barrier_eV: e, from: t0, to: t1) / pace
        return t.isFinite && t >= 0 ? t : nil
    }

    /// The progress text, e.g. "t = 1.250e+02 s (2.08 min)  T = 125.0 °C  X = 0.0123  3.45e+06 events/s".
    public static func line(time_s: Double, temperature_C: Double, exchangedFraction: Double,
                            eventsPerSecond: Double) -> String {
        var s = "t = " + cFormat("%.3e", time_s) + " s"
        if time_s >= 3600 { s += " (" + cFormat("%.2f", time_s / 3600) + " h)" }
        else if time_s >= 60 { s += " (" + cFormat("%.2f", time_s / 60) + " min)" }
        s += "  T = " + cFormat("%.1f", temperature_C) + " °C"
        s += "  X = " + cFormat("%.4f", exchangedFraction)
        s += "  " + cFormat("%.2e", eventsPerSecond) + " events/s"
        return s
    }

    /// The progress text with the program's percentage and an ETA (or the wall time taken), e.g.
    /// "t = 1.250e+02 s (2.08 min)  50.0 %  T = 125.0 °C  X = 0.0123  3.45e+06 events/s  ETA 2 min 05 s".
    /// The percentage is simulated time / program length, rounded down to 0.1 % and kept in 0–100
    /// (100 for a program of length 0).
    public static func line(time_s: Double, programDuration_s: Double, temperature_C: Double,
                            exchangedFraction: Double, eventsPerSecond: Double, end: LineEnd) -> String {
        var p = programDuration_s > 0 ? time_s / programDuration_s * 100 : 100
        p = p.isFinite ? min(max((p * 10).rounded(.down) / 10, 0), 100) : 100
        let base = line(time_s: time_s, temperature_C: temperature_C, exchangedFraction: exchangedFraction,
                        eventsPerSecond: eventsPerSecond)
        let t = base.range(of: "  T = ")!.lowerBound
        let tail: String
        switch end {
        case .eta(let e?): tail = "ETA " + duration(e)
        case .eta(nil): tail = "ETA —"
        case .done(let w): tail = "done in " + duration(w)
        }
        return String(base[..<t]) + "  " + cFormat("%.1f", p) + " %" + String(base[t...]) + "  " + tail
    }

    /// A wall-time span for people: "42 s", "12 min 05 s", "5 h 07 min", "3.2 d", "> 999 d"; "—" for
    /// a negative or non-finite span.
    public static func duration(_ s: Double) -> String {
        guard s.isFinite, s >= 0 else { return "—" }
        if s < 59.5 { return "\(Int(s.rounded())) s" }
        if s < 3599.5 {
            let n = Int(s.rounded())
            return "\(n / 60) min " + cFormat("%02.0f", Double(n % 60)) + " s"
        }
        if s < 48 * 3600 - 30 {
            let m = Int((s / 60).rounded())
            return "\(m / 60) h " + cFormat("%02.0f", Double(m % 60)) + " min"
        }
        let d = s / 86400
        return d < 999.95 ? cFormat("%.1f", d) + " d" : "> 999 d"
    }

    /// Writes `text` to stderr (unbuffered).
    public static func writeStderr(_ text: String) {
        var t = text
        t.withUTF8 { buf in
            var done = 0
            while done < buf.count {
                let n = Glibc_write(STDERR_FILENO, buf.baseAddress! + done, buf.count - done)
                if n <= 0 { if n < 0 && errno == EINTR { continue }; return }
                done += n
            }
        }
    }
}

/// The cost of a run's printed intervals against temperature, for the ETA's extrapolation (file
/// header): per interval the span of 1/T it covered, its wall time and its simulated time.
public struct CostHistory: Sendable, Equatable {
    /// One interval (or several merged): 1/T at its start and end, wall and simulated time, s.
    struct Interval: Sendable, Equatable { var x0, x1, wall, simulated: Double }
    var intervals: [Interval] = []
    /// Intervals kept before the oldest half is merged pairwise.
    static let capacity = 2048
    public init() {}

    /// Adds an interval that went from `fromKelvin` to `toKelvin` in `wall_s` of wall time and
    /// `simulated_s` of simulated time (ignored without simulated progress).
    public mutating func add(fromKelvin k0: Double, toKelvin k1: Double, wall_s: Double, simulated_s: Double) {
        guard k0 > 0, k1 > 0, wall_s > 0, simulated_s > 0, (wall_s / simulated_s).isFinite else { return }
        intervals.append(Interval(x0: 1 / k0, x1: 1 / k1, wall: wall_s, simulated: simulated_s))
        if intervals.count > Self.capacity {
            let half = intervals.count / 2
            var merged: [Interval] = []
            var k = 0
            while k + 1 < half {
                let a = intervals[k], b = intervals[k + 1]
                merged.append(Interval(x0: a.x0, x1: b.x1, wall: a.wall + b.wall, simulated: a.simulated + b.simulated))
                k += 2
            }
            intervals = merged + intervals[k...]
        }
    }

    /// The fitted cost: activation E_w (eV, 0…3) and the cost w_now (wall s per simulated s) at the
    /// recent temperature T_now (K), the intervals weighted by exp(−age/τ)·(1 − exp(−Δwall/τ)) with
    /// age the wall time since each ended. nil with fewer than 3 intervals or a span of T below
    /// `minSpan_K` at their mean temperature.
    public func fit(minSpan_K: Double, timeConstant_s tau: Double) -> (activation_eV: Double, wallPerSimulated: Double, kelvin: Double)? {
        guard intervals.count >= 3 else { return nil }
        var lo = Double.infinity, hi = -Double.infinity, sumX = 0.0
        for v in intervals { lo = min(lo, v.x0, v.x1); hi = max(hi, v.x0, v.x1); sumX += (v.x0 + v.x1) / 2 }
        let meanT = Double(intervals.count) / sumX
        guard (hi - lo) * meanT * meanT >= minSpan_K else { return nil }
        let kB = Constants.boltzmann_eV_per_K
        /// ln(sinh u / u): the excess of an interval's mean cost over its cost at the middle 1/T.
        func excess(_ b: Double, _ v: Interval) -> Double {
            let u = b * abs(v.x1 - v.x0) / 2
            return u < 1e-4 ? u * u / 6 : (u > 300 ? u - log(2 * u) : log(sinh(u) / u))
        }
        var b = 0.0
        let x = intervals.map { ($0.x0 + $0.x1) / 2 }
        for _ in 0..<8 {
            let y = intervals.map { log($0.wall / $0.simulated) - excess(b, $0) }
            guard let line = try? LinearFit.unweighted(x: x, y: y) else { return nil }
            let next = min(max(-line.slope, 0), 3 / kB)   // ln w = ln A − (E_w/k_B)·(1/T)
            if abs(next - b) < 1e-9 * max(b, 1) { b = next; break }
            b = next
        }
        // The anchor: recent intervals' weighted means of 1/T and of the corrected ln w.
        var age = 0.0, sw = 0.0, swx = 0.0, swy = 0.0
        for v in intervals.reversed() {
            let weight = exp(-age / tau) * -expm1(-v.wall / tau)
            sw += weight; swx += weight * (v.x0 + v.x1) / 2; swy += weight * (log(v.wall / v.simulated) - excess(b, v))
            age += v.wall
            if age > 50 * tau { break }
        }
        guard sw > 0 else { return nil }
        let w = exp(swy / sw), kelvin = sw / swx, e = b * kB
        guard w.isFinite, kelvin.isFinite, e.isFinite else { return nil }
        return (e, w, kelvin)
    }
}

/// `x` printed with the C format `f` (one double argument).
private func cFormat(_ f: String, _ x: Double) -> String {
    var buf = [CChar](repeating: 0, count: 64)
    _ = withVaList([x]) { vsnprintf(&buf, 64, f, $0) }
    return String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
