// The KMC engine: rejection-free selection over rate classes with an exact clock under a
// temperature program.
//
// Exact time for time-dependent rates (per-class thinning; Lewis & Shedler, Naval Res. Logist. Q.
// 26, 403 (1979), DOI 10.1002/nav.3800260304). Over a window [t, t_w] that contains no program
// breakpoint, T(t) is linear, so T_max = max(T(t), T(t_w)) bounds T and every class rate satisfies
// k_c(T(s)) ≤ k_c(T_max) (k increases with T). Each class is then a Poisson process thinned from a
// homogeneous one of rate cap_c k_c(T_max) (cap_c ≥ n_c: the class capacity, see RateClassTable):
//   1. draw dt ~ Exp(R_max), R_max = Σ_c cap_c k_c(T_max)·[reservoir not spent]
//   2. if t + dt ≥ t_w, move the clock to t_w with no event (memorylessness makes this exact), open
//      the next window, redraw;
//   3. else pick class c with probability cap_c k_c(T_max)/R_max and an index uniform on
//      0 ..< cap_c (≥ n_c: null event), and accept with probability k_c(T(t+dt))/k_c(T_max) (one
//      exp, through Arrhenius.rate);
//   4. on acceptance perform the event (the model updates the classes incrementally; a blocked
//      composite channel is a null event too).
// In holds T is constant, the acceptance is exactly 1 and no draw is spent on it. Output times,
// stop times and segment ends are window ends, so no event is ever executed past them.
// Look-ahead: the uniforms are buffered (UniformStream), so before each event the engine maps the
// selection uniforms of later candidates through the tree and asks the model to prefetch those
// events' data (three stages, see `run`); the tree position is reused when the uniform is consumed if the tree has not
// changed (`treeVersion`). The trajectory does not depend on it.
// Window length on ramps: the temperature change over a window is limited to
// δT = a·k_B T²/E_max (a = windowAcceptance), so the acceptance stays ≥ exp(−a) for the highest
// populated barrier E_max — the scheme is exact for any window; the length only sets efficiency.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CekmcCore

import GSL

/// A lattice model the engine drives: it owns the configuration and keeps the classes current.
public protocol KMCModel {
    /// Perform the event in `slot` (class `rateClass`; `channel` of a composite class, −1 for a
    /// simple one) and update every affected slot's class in `classes` (and the reservoir counts).
    /// Returns false when the chosen event is blocked (a composite class may bound its members'
    /// rates by counting channels whose target is occupied: such a choice is a null event, exact
    /// by thinning, and changes nothing). Must not allocate in steady state.
    mutating func perform(slot: Int32, rateClass: Int32, channel: Int32, classes: inout RateClassTable) -> Bool
    /// Complete any work `perform` deferred (e.g. batched site-array writes), so the model's
    /// state can be read from outside. The engine calls it before `run` returns.
    mutating func synchronize()
    /// Hint: the event in `slot` will probably be performed a few events from now (start loading
    /// its data). Must not change any state.
    func prefetch(slot: Int32)
    /// Hint, last stage: the event (`slot`, `channel`) will probably be performed within a couple
    /// of events, and the data of `slot` were prefetched earlier: start loading what the event
    /// will read and write next (a hop's occupancy words). Must not change any state.
    func prefetch(slot: Int32, channel: Int32)
    /// Optional fast path: execute candidates of the engine's current hold window on the model's
    /// own kernel, exactly as `Engine.run` would, stopping before any candidate it cannot finish
    /// (the run loop executes that one). Returns whether any candidate was consumed. Called with
    /// an open hold window (time < window end ≤ the run's end), a positive total rate and no
    /// stale tree leaf; `done` counts executed events against `maxEvents`.
    static func burst(_ engine: inout Engine<Self>, maxEvents: UInt64, done: inout UInt64) -> Bool
    /// Bytes of per-atom data the kernel reads (`Engine.kernelLookAheadMinBytes`).
    var kernelDataBytes: Int { get }
}

extension KMCModel {
    /// Nothing deferred by default.
    public mutating func synchronize() {}
    /// No hint taken by default.
    public func prefetch(slot: Int32) {}
    /// No hint taken by default.
    public func prefetch(slot: Int32, channel: Int32) {}
    /// No fast path by default.
    public static func burst(_ engine: inout Engine<Self>, maxEvents: UInt64, done: inout UInt64) -> Bool { false }
    /// No kernel data by default.
    public var kernelDataBytes: Int { 0 }
}

/// Why `Engine.run` returned.
public enum StopReason: Sendable, Equatable {
    /// The clock reached the requested time.
    case reachedTime
    /// The requested number of events was executed.
    case eventLimit
    /// The program ended.
    case programEnd
}

/// Clock and window state of the engine (part of a checkpoint).
///
/// Hold clock (count clock): in a hold window the total rate R is constant between capacity
/// resets, so the candidates form a Poisson process of rate R. The engine draws the number of
/// candidates of a segment (base, end] once, N ~ Poisson(R·(end − base)), and runs N candidates
/// without a time uniform each; the segment end is reached when they are done. Where R changes
/// after the k-th candidate of a segment (or the window must end earlier), that candidate's time is
/// drawn from its law given the segment, the k-th of N uniform points: base + (end − base)·Beta(k,
/// N − k + 1); the clock restarts there with a new count at the new rate (the process is
/// memoryless). Exact in distribution; the counts and Beta variates come from the engine's clock
/// generator (`Engine.clockRng`), so the uniform stream of the selections is the same with the
/// kernel on or off. Between those points the time is not drawn: `time_s` reports its mean.
public struct ClockState: Sendable, Equatable, Codable {
    /// Simulation time in s of the last clock point (window start, segment end or a drawn
    /// candidate time); with a count running, the segment start.
    public var base_s: Double = 0
    /// Total rate (1/s) of the running count (0: no count running).
    public var holdRate: Double = 0
    /// End of the counted segment, s.
    public var holdEnd_s: Double = 0
    /// Candidates in (base, holdEnd] (Poisson) and those of them done.
    public var holdCount: UInt64 = 0
    public var holdDone: UInt64 = 0
    /// Mean count of the next segment: doubled when a count is used up, 4× the candidates run
    /// when a count is cut by a rate change (a restart then draws small variates), within
    /// [64, 2³⁰] (`gsl_ran_poisson` returns 32 bits). Longer holds are split into segments
    /// (independent increments: still exact).
    public var segmentMean: Double = 1024
    public static let maxSegmentMean = 0x1p30
    /// The count runs at a bound R̄ = R·(1 + padding) on the total rate (thinning: a selection
    /// beyond R is a null event), so capacity resets that move R within [R̄/(1 + 3·padding), R̄]
    /// do not restart it.
    public static let padding = 1.0 / 32
    /// Whether a total rate `r` is inside the running count's band (no restart needed).
    @inline(__always) public func countCovers(_ r: Double) -> Bool {
        r <= holdRate && r * (1 + 3 * ClockState.padding) >= holdRate
    }
    /// Simulation time in s: exact at clock points; inside a counted segment, the mean time of
    /// the candidates done so far (progress display; the clock itself never uses it).
    public var time_s: Double {
        get { holdRate > 0 && holdDone > 0 ? base_s + (holdEnd_s - base_s) * Double(holdDone) / Double(holdCount &+ 1) : base_s }
        set { base_s = newValue; holdRate = 0; holdCount = 0; holdDone = 0 }
    }

    /// Whether a count is running with candidates left.
    @inline(__always) public var holdPending: Bool { holdRate > 0 && holdDone < holdCount }

    /// Make the time of the last candidate done a clock point (the k-th of N uniform points of
    /// the segment, a Beta(k, N − k + 1) fraction of it) and stop the count. O(1).
    public mutating func drawTime(_ rng: RandomGenerator) {
        if holdRate > 0 && holdDone > 0 {
            let k = Double(holdDone), n = Double(holdCount)
            base_s += (holdEnd_s - base_s) * rng.beta(k, n - k + 1)
            segmentMean = min(max(4 * k, 64), ClockState.maxSegmentMean)
        }
        holdRate = 0; holdCount = 0; holdDone = 0
    }

    /// Start a count at rate `rate` > 0 (the bound R̄) from the current clock point (after
    /// `drawTime` if a count was running) up to the window end or `segmentMean` candidates on
    /// average. O(1).
    public mutating func startCount(rate: Double, _ rng: RandomGenerator) {
        drawTime(rng)
        holdRate = rate
        holdEnd_s = min(windowEnd_s, base_s + segmentMean / rate)
        if !(holdEnd_s > base_s) { holdEnd_s = min(windowEnd_s, base_s.nextUp) }
        holdCount = rng.poisson(mean: max(rate * (holdEnd_s - base_s), 0))
        holdDone = 0
    }

    /// End of the current thinning window in s (≤ time: no window open).
    public var windowEnd_s: Double = -1
    /// Bounding temperature of the current window in K.
    public var boundKelvin: Double = 0
    /// Whether the current window is in a hold (acceptance 1).
    public var windowIsHold: Bool = false
    /// Segment index of the current window.
    public var segment: Int = 0
    /// Events executed.
    public var events: UInt64 = 0
    /// Candidate events rejected by thinning (ramp acceptance or a blocked channel).
    public var rejections: UInt64 = 0
    /// Windows opened.
    public var windows: UInt64 = 0
    public init() {}
}

/// A tree position found ahead of time for the uniform at stream position `position`.
struct Prediction {
    var position: UInt64 = .max
    var treeVersion: UInt64 = 0
    var remainder: Double = 0
    var rateClass: Int = 0
    /// The selection scale it was located with (hold: the count's bound; ramp: the total).
    var scale: Double = 0
}

/// Rejection-free KMC engine over a model `M`. Value type; hot state stays in the struct.
public struct Engine<M: KMCModel> {
    /// The model (configuration).
    public var model: M
    /// Rate classes.
    public var classes: RateClassTable
    /// Temperature program.
    public let program: TemperatureProgram
    /// Clock and window state.
    public var clock = ClockState()
    /// Thinning window parameter a: acceptance ≥ exp(−a) for the highest populated barrier.
    public var windowAcceptance: Double = 0.05
    /// The generator (all random numbers of the run).
    public var rng: RandomGenerator { stream.rng }
    /// The generator's numbers, buffered for look-ahead (the backlog is checkpointed).
    public var stream: UniformStream
    /// The hold clock's generator (counts and candidate times, `ClockState`): same type as `rng`,
    /// seeded from it at creation, so the selections' stream does not depend on where the clock draws.
    public var clockRng: RandomGenerator
    /// Events of look-ahead L: before each event the engine peeks the selection uniforms of the
    /// events 2L, L and 2 events later (assuming the usual draws per event), maps them through the
    /// rate tree and prefetches, stage by stage, the member entry, the slot's data and what the
    /// event will write (see `run`). Only memory traffic and speed depend on it (the tree positions
    /// found are reused by later stages and when the uniform is consumed, if the tree has not
    /// changed since); 0 turns it off. Clamped to 0...10 (the uniform buffer and the prediction ring are
    /// sized for that).
    public var lookAhead = 6 { didSet { lookAhead = min(max(lookAhead, 0), 10) } }
    /// Whether hold windows run through the model's kernel (`KMCModel.burst`) where it can; the
    /// trajectory is the same either way (only speed depends on it).
    public var useKernel = true
    /// Smallest total size (bytes) of the per-atom data at which a model's kernel looks ahead
    /// (`lookAhead`): about half the per-core L2 of the machines it was tuned on (512 KiB). With
    /// fewer atoms the records, member lists and occupancy words stay in cache and the look-ahead
    /// stages are pure cost (docs/performance.md). Performance only: the look-ahead never changes
    /// the trajectory.
    public var kernelLookAheadMinBytes = 256 << 10
    /// Tree positions found by the look-ahead, by stream position (a ring of 64 > 2·3·10 + 1).
    var predictions = [Prediction](repeating: Prediction(), count: 64)
    /// Tree version seen by the previous look-ahead (the far stage runs while it is unchanged).
    var farVersion: UInt64 = 0
    /// Kernel back-off: after a burst that finished no candidate (the next one was not the
    /// kernel's), the next `kernelSkip` candidates go straight to the general loop, a count that
    /// doubles up to `maxKernelSkip` while bursts keep failing and resets at the first that
    /// finishes one. Only where the kernel does not look ahead (small per-atom data): there a
    /// failed burst is pure cost, while a looking-ahead one has prefetched the next candidates'
    /// data for the general loop (measured: the back-off there cost 3 % on the full-wire ramp
    /// and gained 23 % on a 6 × 30 nm hold at 450 °C). Performance only (the kernel's contract:
    /// the same trajectory either way).
    var kernelSkip = 0, kernelBackoff = 0
    static var maxKernelSkip: Int { 15 }

    /// Engine at t = 0.
    public init(model: M, classes: RateClassTable, program: TemperatureProgram, rng: RandomGenerator) {
        self.model = model
        self.classes = classes
        self.program = program
        // The clock generator is seeded with the next raw number of `rng` (engines that continue
        // one generator get independent clocks; the same run seed gives the same clock).
        self.clockRng = rng.sibling(seed: UInt64(rng.nextRaw()))
        self.stream = UniformStream(rng: rng)
    }

    /// Current temperature T(t) in K.
    public var temperature: Double { program.temperature(at: clock.time_s) }

    /// Open the window starting at the current time, ending no later than `limit`.
    mutating func openWindow(limit: Double) {
        // A window opens at a window end or, in a hold, when the run's end moved closer: the same
        // hold segment, found from the clock point base_s.
        // A count still running (the run's end moved closer): its last candidate's time first.
        if clock.holdRate > 0 { clock.drawTime(clockRng) }
        let t = clock.base_s
        var seg = clock.segment
        while seg + 1 < program.segments.count && program.segments[seg].end_s <= t { seg += 1 }
        clock.segment = seg
        let s = program.segments[seg]
        var end = min(s.end_s, limit)
        let isHold = s.t0_K == s.t1_K
        if !isHold {
            // Highest populated barrier sets the window length (efficiency only).
            var eMax = 0.0
            for c in 0..<classes.classCount where classes.memberCount[c] > 0 {
                eMax = max(eMax, classes.classBarrier[c])
            }
            if eMax > 0 {
                let slope = abs(s.t1_K - s.t0_K) / s.duration_s
                let tNow = program.temperature(at: t, segment: seg)
                let dT = windowAcceptance * Constants.boltzmann_eV_per_K * tNow * tNow / eMax
                end = min(end, t + max(dT / slope, 1e-15 * max(1, t)))
            }
        }
        if end <= t { end = t.nextUp }
        let tb = isHold ? s.t0_K : max(program.temperature(at: t, segment: seg), program.temperature(at: end, segment: seg))
        clock.windowEnd_s = end
        clock.windowIsHold = isHold
        clock.windows &+= 1
        if tb != classes.boundKelvin { classes.setTemperature(tb) }
        clock.boundKelvin = tb
    }

    /// The total a selection uniform is scaled by: in holds the count's bound R̄ (beyond the
    /// tree's total: a null event), on ramps the total rate.
    @inline(__always) var selectionScale: Double { clock.windowIsHold ? clock.holdRate : classes.totalRate }

    /// Locate the uniform `k` draws ahead in the tree and remember the position (look-ahead).
    @inline(__always)
    mutating func predict(_ k: Int) -> Prediction {
        let u = stream.peek(k)
        let scale = selectionScale
        let (c, r) = clock.windowIsHold ? classes.locate(u, scale: scale) : classes.locate(u)
        let position = stream.consumed &+ UInt64(k)
        let p = Prediction(position: position, treeVersion: classes.treeVersion, remainder: r, rateClass: c, scale: scale)
        predictions[Int(position) & (predictions.count - 1)] = p
        return p
    }

    /// Advance until the clock reaches `until` (s, clamped to the program end) or `maxEvents`
    /// events have been executed in this call. Exact under the program (see file header).
    /// Cost: O(log C + model update) per event, O(C) per ramp window.
    public mutating func run(until: Double, maxEvents: UInt64 = .max) -> StopReason {
        let tEnd = min(until, program.duration_s)
        var done: UInt64 = 0
        defer { model.synchronize() }
        classes.flush()
        let mask = predictions.count - 1
        while true {
            // base_s: the effective time is below the window end while a product is pending.
            if clock.base_s >= tEnd { return tEnd >= program.duration_s && until >= program.duration_s ? .programEnd : .reachedTime }
            if done >= maxEvents { return .eventLimit }
            if clock.base_s >= clock.windowEnd_s || clock.windowEnd_s > tEnd { openWindow(limit: tEnd) }
            let r = classes.totalRate
            if !(r > 0) { clock.time_s = clock.windowEnd_s; continue }
            if clock.windowIsHold {
                // The count clock (`ClockState`): a new count where R changed, the segment's end
                // when its candidates are done.
                if !clock.countCovers(r) { clock.startCount(rate: r * (1 + ClockState.padding), clockRng) }
                if clock.holdDone == clock.holdCount {
                    clock.segmentMean = min(2 * clock.segmentMean, ClockState.maxSegmentMean)
                    clock.time_s = clock.holdEnd_s
                    continue
                }
            }
            if useKernel && clock.windowIsHold {
                if kernelSkip > 0 {
                    kernelSkip -= 1
                } else if M.burst(&self, maxEvents: maxEvents, done: &done) {
                    kernelBackoff = 0
                    classes.flush()
                    continue
                } else if lookAhead == 0 || model.kernelDataBytes < kernelLookAheadMinBytes {
                    kernelBackoff = min(2 * kernelBackoff + 1, Self.maxKernelSkip)
                    kernelSkip = kernelBackoff
                }
            }
            if lookAhead > 0 {
                // Draws per candidate: the selection, plus time and acceptance on ramps. Three
                // stages: 2L candidates ahead, locate the uniform in the tree and prefetch the
                // class member's list entry; L candidates ahead, read that entry (in cache by
                // now) and prefetch the member's data (model) and table entries; 2 candidates
                // ahead, resolve the channel and let the model prefetch what the event writes.
                let per = clock.windowIsHold ? 1 : 3
                // The far stage pays only while the tree is stable (its prediction must survive
                // L events); when the tree changes at every event (small classes, exchange-heavy
                // runs) it is skipped and the near stage locates for itself.
                if classes.treeVersion == farVersion {
                    let f = predict(2 * per * lookAhead + 1)
                    if f.rateClass >= 0 { classes.prefetchMember(f.rateClass, f.remainder) }
                }
                farVersion = classes.treeVersion
                let kNear = per * lookAhead + 1
                let near = stream.consumed &+ UInt64(kNear)
                var q = predictions[Int(near) & mask]
                if q.position != near || q.treeVersion != classes.treeVersion || q.scale != selectionScale { q = predict(kNear) }
                let pm = q.rateClass < 0 ? Int.max : classes.memberIndex(q.rateClass, q.remainder)
                if q.rateClass >= 0 && pm < classes.memberCount[q.rateClass] {
                    let s = classes.member(q.rateClass, pm)
                    model.prefetch(slot: s)
                    classes.prefetchSlot(s)
                }
                // Last stage, 2 candidates ahead: the slot's data are in cache by now.
                let kLast = 2 * per + 1
                let last = stream.consumed &+ UInt64(kLast)
                let z = predictions[Int(last) & mask]
                if z.position == last && z.treeVersion == classes.treeVersion && z.scale == selectionScale && z.rateClass >= 0 {
                    let (_, zs, zch) = classes.resolve(z.rateClass, z.remainder)
                    if zs >= 0 { model.prefetch(slot: zs, channel: zch) }
                }
            }
            // Time: one more candidate of the count in holds, −ln u / R on ramps.
            var tNew = clock.base_s
            if clock.windowIsHold {
                clock.holdDone &+= 1
            } else {
                tNew += -log(stream.nextPositive()) / r
                if tNew >= clock.windowEnd_s { clock.time_s = clock.windowEnd_s; continue }
                clock.time_s = tNew
            }
            let position = stream.consumed
            let u = stream.next()
            let p = predictions[Int(position) & mask]
            let scale = selectionScale
            let (c, slot, channel) = p.position == position && p.treeVersion == classes.treeVersion && p.scale == scale
                ? (p.rateClass < 0 ? (-1, -1, -1) : classes.resolve(p.rateClass, p.remainder))
                : (clock.windowIsHold ? classes.select(u, scale: scale) : classes.select(u))
            if slot < 0 { clock.rejections &+= 1; continue }
            if !clock.windowIsHold {
                let ci = Int(c)
                let (e, kBound) = classes.chosen(ci, channel: channel)
                let kT = Arrhenius.rate(nu: classes.classNu[ci], barrier_eV: e,
                                        kelvin: program.temperature(at: tNew, segment: clock.segment))
                if stream.next() * kBound >= kT { clock.rejections &+= 1; continue }
            }
            if !model.perform(slot: slot, rateClass: c, channel: channel, classes: &classes) {
                clock.rejections &+= 1
                continue
            }
            classes.countExecuted(Int(c), channel: Int(channel))
            classes.flush()
            clock.events &+= 1
            done &+= 1
        }
    }
}

extension Engine where M == ExchangeModel {
    /// `run(until:maxEvents:)` specialised for the exchange model (callers in other modules get
    /// the specialised code instead of the generic entry point).
    public mutating func advance(until: Double, maxEvents: UInt64 = .max) -> StopReason {
        run(until: until, maxEvents: maxEvents)
    }
}
