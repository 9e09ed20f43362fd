// Temperature programs: piecewise-linear T(t) built from ramps, holds, quenches and repeats.
//
// The KMC clock integrates time-dependent rates exactly (see Engine.swift: per-class thinning
// over windows bounded by the program's breakpoints). For that the program must answer three
// questions cheaply: T(t); the next breakpoint after t; and max T over a window [t0, t1] — which,
// for a piecewise-linear T(t), is attained at a window end or at an interior breakpoint. Windows
// never straddle a breakpoint, so max T over a window is max(T(t0), T(t1)).
//
// Input units: °C and minutes (converted once, here). Internal: K and s.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CekmcCore

/// One element of a temperature program as written in the input (°C, minutes).
public enum TemperatureStep: Sendable, Equatable, Codable {
    /// Linear ramp from `fromC` (nil: where the previous step ended) to `toC`, either at
    /// `ratePerMin` (°C/min, > 0, sign taken from the direction) or over `durationMin` minutes.
    case ramp(fromC: Double?, toC: Double, ratePerMin: Double?, durationMin: Double?)
    /// Constant temperature for `durationMin` minutes at `atC` (nil: the previous step's end).
    case hold(atC: Double?, durationMin: Double)
    /// A fast ramp (the experiments' "quench"): to `toC` at `ratePerMin` (default 1000 °C/min).
    case quench(toC: Double, ratePerMin: Double)
    /// `times` repetitions of `steps`.
    indirect case repeatSteps(times: Int, steps: [TemperatureStep])
}

/// Error building a temperature program.
public struct TemperatureProgramError: Error, CustomStringConvertible, Sendable {
    /// What is wrong, naming the step.
    public var description: String
}

/// A piecewise-linear temperature program T(t) in kelvin over seconds. Immutable; Sendable.
public struct TemperatureProgram: Sendable, Equatable, Codable {
    /// One linear piece: T goes from `t0_K` at `start_s` to `t1_K` at `start_s + duration_s`.
    public struct Segment: Sendable, Equatable, Codable {
        /// Start time in s.
        public var start_s: Double
        /// Duration in s (> 0).
        public var duration_s: Double
        /// Temperature at the start, K.
        public var t0_K: Double
        /// Temperature at the end, K.
        public var t1_K: Double
        /// End time in s.
        public var end_s: Double { start_s + duration_s }
        /// A short label for logs ("ramp", "hold", "quench").
        public var label: String
    }

    /// The flattened segments, in time order, contiguous.
    public private(set) var segments: [Segment]

    /// Total duration in s.
    public var duration_s: Double { segments.last.map { $0.end_s } ?? 0 }

    /// Build from flattened segments (contiguous, positive durations, T > 0).
    public init(segments: [Segment]) throws {
        guard !segments.isEmpty else { throw TemperatureProgramError(description: "temperature program: no steps") }
        var t = 0.0
        var out: [Segment] = []
        for (n, var s) in segments.enumerated() {
            guard s.duration_s > 0, s.duration_s.isFinite else {
                throw TemperatureProgramError(description: "temperature program step \(n + 1) (\(s.label)): duration must be > 0, got \(s.duration_s) s")
            }
            guard s.t0_K > 0, s.t1_K > 0 else {
                throw TemperatureProgramError(description: "temperature program step \(n + 1) (\(s.label)): temperature must be above absolute zero")
            }
            s.start_s = t
            t += s.duration_s
            out.append(s)
        }
        self.segments = out
    }

    /// Most segments a program may expand to (repeats included): a bound on the memory of the
    /// flattened program, checked before anything is expanded.
    public static let maxSegments = 1_000_000

    /// Segments `steps` expand to once repeats are unrolled (zero-length ramps and quenches
    /// included), saturating at `Int.max`. O(number of steps written).
    public static func expandedCount(_ steps: [TemperatureStep]) -> Int {
        var n = 0
        for step in steps {
            let k: Int
            if case let .repeatSteps(times, inner) = step {
                let (m, o) = max(times, 0).multipliedReportingOverflow(by: expandedCount(inner))
                k = o ? Int.max : m
            } else {
                k = 1
            }
            let (sum, o) = n.addingReportingOverflow(k)
            n = o ? Int.max : sum
        }
        return n
    }

    /// Build from input steps in °C and minutes. `initialC` is the temperature before the first
    /// step (used when the first ramp or hold gives no start temperature). A quench must not heat,
    /// and the program must expand to at most `maxSegments` segments.
    public init(steps: [TemperatureStep], initialC: Double = 25) throws {
        let expanded = TemperatureProgram.expandedCount(steps)
        guard expanded <= TemperatureProgram.maxSegments else {
            let n = expanded == Int.max ? "more than \(Int.max)" : "\(expanded)"
            throw TemperatureProgramError(description: "temperature program: the steps expand to \(n) segments once repeats are unrolled (at most \(TemperatureProgram.maxSegments))")
        }
        var segs: [Segment] = []
        var current = initialC
        func flatten(_ steps: [TemperatureStep], path: String) throws {
            for (n, step) in steps.enumerated() {
                let name = "\(path)[\(n + 1)]"
                switch step {
                case let .ramp(fromC, toC, rate, dur):
                    let from = fromC ?? current
                    let d: Double
                    if let dur {
                        guard dur > 0 else { throw TemperatureProgramError(description: "temperature program step \(name) (ramp): duration_min must be > 0, got \(dur)") }
                        d = dur
                    } else if let rate {
                        guard rate > 0 else { throw TemperatureProgramError(description: "temperature program step \(name) (ramp): rate_C_per_min must be > 0, got \(rate)") }
                        d = abs(toC - from) / rate
                    } else {
                        throw TemperatureProgramError(description: "temperature program step \(name) (ramp): give rate_C_per_min or duration_min")
                    }
                    if d > 0 {
                        segs.append(Segment(start_s: 0, duration_s: Units.seconds(minutes: d), t0_K: Units.kelvin(celsius: from), t1_K: Units.kelvin(celsius: toC), label: "ramp"))
                    }
                    current = toC
                case let .hold(atC, dur):
                    guard dur > 0 else { throw TemperatureProgramError(description: "temperature program step \(name) (hold): duration_min must be > 0, got \(dur)") }
                    let at = atC ?? current
                    segs.append(Segment(start_s: 0, duration_s: Units.seconds(minutes: dur), t0_K: Units.kelvin(celsius: at), t1_K: Units.kelvin(celsius: at), label: "hold"))
                    current = at
                case let .quench(toC, rate):
                    guard rate > 0 else { throw TemperatureProgramError(description: "temperature program step \(name) (quench): rate_C_per_min must be > 0, got \(rate)") }
                    guard toC <= current else {
                        throw TemperatureProgramError(description: "temperature program step \(name) (quench): to_C = \(toC) °C is above the temperature before it (\(current) °C); a quench cools, use a ramp to heat")
                    }
                    let d = abs(toC - current) / rate
                    if d > 0 {
                        segs.append(Segment(start_s: 0, duration_s: Units.seconds(minutes: d), t0_K: Units.kelvin(celsius: current), t1_K: Units.kelvin(celsius: toC), label: "quench"))
                    }
                    current = toC
                case let .repeatSteps(times, inner):
                    guard times >= 1 else { throw TemperatureProgramError(description: "temperature program step \(name) (repeat): repeat must be ≥ 1, got \(times)") }
                    for r in 0..<times { try flatten(inner, path: "\(name).repeat\(r + 1)") }
                }
            }
        }
        try flatten(steps, path: "program")
        try self.init(segments: segs)
    }

    /// A constant temperature `kelvin` for `duration_s` seconds.
    public static func constant(kelvin: Double, duration_s: Double) throws -> TemperatureProgram {
        try TemperatureProgram(segments: [Segment(start_s: 0, duration_s: duration_s, t0_K: kelvin, t1_K: kelvin, label: "hold")])
    }

    /// Index of the segment containing `t` (the last one for t ≥ end). O(log n).
    public func segmentIndex(at t: Double) -> Int {
        var lo = 0, hi = segments.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if segments[mid].start_s <= t { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    /// T(t) in K (clamped to the end values outside [0, duration]). O(log n).
    public func temperature(at t: Double) -> Double {
        temperature(at: t, segment: segmentIndex(at: t))
    }

    /// T(t) in K within segment `i`. O(1).
    @inlinable
    public func temperature(at t: Double, segment i: Int) -> Double {
        let s = segments[i]
        if s.t0_K == s.t1_K { return s.t0_K }
        let f = min(max((t - s.start_s) / s.duration_s, 0), 1)
        return s.t0_K + (s.t1_K - s.t0_K) * f
    }

    /// ∫ k(T(t)) dt over [t0, t1] for k = ν exp(−E/k_B T), by composite Gauss–Legendre
    /// quadrature per segment (used by tests and diagnostics, not by the engine).
    public func integratedRate(nu: Double, barrier_eV: Double, from t0: Double, to t1: Double, pieces: Int = 64) -> Double {
        let x = [-0.906179845938664, -0.538469310105683, 0.0, 0.538469310105683, 0.906179845938664]
        let w = [0.236926885056189, 0.478628670499366, 0.568888888888889, 0.478628670499366, 0.236926885056189]
        var total = 0.0
        for (i, s) in segments.enumerated() {
            let a = max(t0, s.start_s), b = min(t1, s.end_s)
            if b <= a { continue }
            let h = (b - a) / Double(pieces)
            for p in 0..<pieces {
                let lo = a + Double(p) * h
                for q in 0..<5 {
                    let t = lo + h * (x[q] + 1) / 2
                    total += w[q] * h / 2 * Arrhenius.rate(nu: nu, barrier_eV: barrier_eV, kelvin: temperature(at: t, segment: i))
                }
            }
        }
        return total
    }
}
