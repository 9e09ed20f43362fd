// Adaptive acceleration: up/down scaling of quasi-equilibrated pairs of rate classes.
//
// Method (Prats, Li & Stamatakis, J. Chem. Theory Comput. 21, 12262 (2025), DOI
// 10.1021/acs.jctc.5c01394, with the partial-equilibrium test of Dybeck, Plaisance & Neurock,
// JCTC 13, 1525 (2017), DOI 10.1021/acs.jctc.6b00859): fast reversible pairs that are in partial
// equilibrium (their forward and reverse events nearly cancel) dominate the event count while the
// net reaction is carried by slower processes. Their rates are scaled down by a factor α ≤ 1 shared
// by both directions — k_f/k_r is unchanged, so detailed balance and the equilibrium are exact; only
// how fast the pair relaxes changes — so that they still fire a set multiple of the fastest
// process that is not in partial equilibrium. A pair that stops being quasi-equilibrated, or falls
// below the window, is scaled back up.
//
// Pairs: the pair groups of `RateDispatch.pairGroups` (a family × local environment: kick-off at a
// front and kick-off in the bulk are different groups, so bulk flicker is scaled while a front's net
// kick-off is not; a shell hop between sites of n and n' neighbouring vacancies pairs with its
// reverse, from n' to n), and one group per atom family (Cu_i and Cd_i hops: their composite
// classes appear during a run, so one family-wide scale, which every hop's reverse shares). n_f and
// n_r below are a group's forward and reverse events; for a self-reverse family (shell and atom
// hops) its downhill and uphill events, with level events (ΔE = 0, their own reverse class) split
// half and half: at equilibrium every pair of states exchanges equal fluxes, one of them downhill.
// Only the families listed in `AccelerationSettings.families` are scaled; the others still count as
// processes (their non-equilibrated groups set the reference rate).
//
// Every `checkEvents` executed events, at a clock point (between engine runs: the engine sees the
// new rates from the next candidate on, exact by memorylessness, also under ramps), with n_f, n_r
// the events of a group's two directions since the last check:
//   * quasi-equilibrated (QE): max(n_f, n_r) ≥ n_min and |n_f − n_r| ≤ max(2·tol·(n_f + n_r), z·√(n_f + n_r)):
//     Dybeck's ratio test, with an imbalance inside z standard deviations of the counting noise of a
//     balanced pair (n_f − n_r has variance n_f + n_r) taken as balanced, so that the many small
//     groups of a split by environment do not fail the test, and set B below, by noise alone;
//   * B: the fastest non-QE process, max over non-QE groups of max(n_f, n_r) when that is ≥ n_min;
//     otherwise its rate over the most recent checks that together hold n_min of its events (at
//     most `historyChecks`; n_min assumed when they hold fewer, an upper bound) times this
//     interval's length. With the default `historyChecks` = 1 (or without a clock) this is
//     max(n_min, the count): B floored at n_min per check. Window [s_min·B, s_max·B],
//     centre m = √(s_min·s_max)·B;
//   * a group's measure is max(n_f, n_r), except an atom-hop group's with a clock (transport
//     window): the cross-section relaxations of one atom in the interval,
//     α·z·ν·exp(−E/k_BT)·Δt/(R/a)² (E the slowest hop through pristine host, at the colder end of
//     the interval; R/a the wire's radius in hops, `LatticeTopology.crossSectionHops`). A diffusion
//     current is level hops, balanced in the counts; this keeps every atom crossing the wire's
//     radius s_min…s_max times per event of the fastest net process, however few atoms there are.
//     Below, "events" of such a group means this measure, and a group with fewer than n_min hops
//     (a rare atom) is not raised for that alone;
//   * up first: a scaled group (α < 1) that has events to fire now and is silent, below n_min, not
//     QE, or below s_min·B gets
//     α ← min(1, α·min(u_max, max(u, m/max(n_f, n_r)))); if any group went up, none goes down. A
//     group with no events now (no slot in its classes: a flickering Cu_i has hopped away) keeps
//     its α: it is absent, not slowed, and is judged again when its events return (bursty local
//     flicker would otherwise swing back to α = 1 whenever it pauses);
//   * down: a QE group above s_max·B gets α ← max(α_min, α·max(m/max(n_f, n_r), 1/d), α·s_min·|n_f − n_r|/max(n_f, n_r))
//     (at most ÷d per check, and never so low that the group's net events fall below s_min per
//     check interval).
// Time stays exact: α is piecewise constant between checks and changes only at clock points.
// The kinetics of a scaled pair are approximate, with an error of the order of 1/s_min (the
// paper's error analysis); the validation tests compare accelerated and unaccelerated runs. A pair
// whose states have exits of another, unscaled family (a race: a Cu_i hop against a kick-off) has
// its branching changed by the scale, which no count test sees; the families left unscaled by
// default are those where this was measured to change the answer (`AccelerationSettings.families`,
// docs/acceleration.md).

import CekmcCore
import Foundation

/// Settings of the adaptive acceleration (`[acceleration]` in a scenario).
public struct AccelerationSettings: Sendable, Equatable {
    public enum Mode: String, Sendable, CaseIterable { case off, adaptive }
    /// `adaptive` or `off`.
    public var mode: Mode = .adaptive
    /// Executed events between checks (Prats 2025 checks every few 10⁵ events).
    public var checkEvents = 100_000
    /// Time-scale window s_min, s_max in multiples of the fastest non-QE process (Prats 2025's
    /// DRM example: 50, 100).
    public var minSeparation = 50.0, maxSeparation = 100.0
    /// Partial-equilibrium tolerance on |n_f/(n_f + n_r) − ½| (Prats 2025: 0.05).
    public var tolerance = 0.05
    /// Counting-noise allowance z of the partial-equilibrium test, in standard deviations (3: a
    /// balanced pair fails by noise with probability 0.3 %; 0: the plain tolerance test).
    public var noiseSigmas = 3.0
    /// Fewest events of a direction for a group to be judged (Prats 2025: 10).
    public var minOccurrences = 10
    /// Up-scaling factor u per check and its cap u_max (Prats 2025: 5, 100).
    public var upscalingFactor = 5.0, upscalingLimit = 100.0
    /// Largest down-scaling per check d (Prats 2025: 2).
    public var downscalingLimit = 2.0
    /// Smallest scale α_min.
    public var minScale = 1e-9
    /// Checks over which a rare non-QE process's rate is averaged when one interval holds fewer
    /// than n_min of its events (file header, the reference rate B). 1: B floored at n_min per
    /// check, the validated default; more measures a rare process's rate and scales the pairs
    /// around it harder, which slowed a seeded wz front ≈ 2× at 400 °C with 100 (docs/acceleration.md).
    public var historyChecks = 1
    /// Families whose pairs may be scaled. By default those whose net flux the partial-equilibrium
    /// test sees: supply, shell hops, penetration and the vacancy fills. Not by default: the Cu_i
    /// hops, although a transport window (file header) keeps each atom crossing the wire fast
    /// enough: a Cu_i's hop races unscaled channels out of the same state (kick-off of a
    /// neighbouring Cd, a vacancy fill), and a scale on one side of a race changes its branching,
    /// which no count test sees — scaled at 450 °C on a 6 × 30 nm zb wire they left the
    /// exchanged cations in ≈ 26 separate domains where unscaled hops had gathered them into one or
    /// two (docs/acceleration.md); not the Cd_i hops, kick-off and Cd escape, whose flicker at a front
    /// races the Cd_i hopping away in the same way.
    public var families: [EventFamily] = [.supply, .shellHop, .penetration, .cuVacancy, .cdVacancy]
    public init() {}

    /// Throw when a value is out of its range.
    public func validate() throws {
        guard checkEvents >= 1 else { throw ModelError("acceleration.check_events must be ≥ 1, got \(checkEvents)") }
        guard minSeparation >= 1, maxSeparation > minSeparation else {
            throw ModelError("acceleration: need 1 ≤ min_separation < max_separation, got \(minSeparation), \(maxSeparation)")
        }
        guard tolerance > 0, tolerance < 0.5 else { throw ModelError("acceleration.tolerance must be in (0, 0.5), got \(tolerance)") }
        guard noiseSigmas >= 0, noiseSigmas.isFinite else { throw ModelError("acceleration.noise_sigmas must be ≥ 0, got \(noiseSigmas)") }
        guard minOccurrences >= 1 else { throw ModelError("acceleration.min_occurrences must be ≥ 1, got \(minOccurrences)") }
        guard upscalingFactor > 1, upscalingLimit >= upscalingFactor else {
            throw ModelError("acceleration: need 1 < upscaling_factor ≤ upscaling_limit, got \(upscalingFactor), \(upscalingLimit)")
        }
        guard downscalingLimit > 1 else { throw ModelError("acceleration.downscaling_limit must be > 1, got \(downscalingLimit)") }
        guard minScale > 0, minScale <= 1 else { throw ModelError("acceleration.min_scale must be in (0, 1], got \(minScale)") }
        guard historyChecks >= 1 else { throw ModelError("acceleration.history_checks must be ≥ 1, got \(historyChecks)") }
        for f in families where EventCatalog.index(of: f.rawValue) == nil {
            throw ModelError("acceleration.families: unknown family \(f.rawValue)")
        }
    }
}

/// What the controller keeps between checks (part of a checkpoint).
public struct AccelerationState: Sendable, Codable, Equatable {
    /// Events executed since the last check.
    public var eventsSinceCheck = 0
    /// Checks done.
    public var checks = 0
    /// Scale α of each pair group.
    public var groupScale: [Double]
    /// Smallest α each family reached (by family key).
    public var minScaleReached: [String: Double] = [:]
    /// Clock time (s) and temperature (K) of the last check (nil before the first timed check).
    public var lastCheckTime_s: Double? = nil
    public var lastCheckKelvin: Double? = nil
    /// The fastest non-QE group's events and the interval's length (s) of the most recent checks,
    /// newest last (at most `historyChecks`).
    public var recentNonQE: [Double] = []
    public var recentInterval_s: [Double] = []
    public init(groups: Int) { groupScale = [Double](repeating: 1, count: groups) }
}

/// The adaptive controller of a model's pair groups (file header).
public struct AdaptiveAcceleration: Sendable {
    public let settings: AccelerationSettings
    public internal(set) var state: AccelerationState
    /// Classes of each simple-class group (the first `groupClasses.count` groups); the event type
    /// of each atom-family group (the groups after them); whether a group's family may be scaled;
    /// its family key.
    let groupClasses: [[Int32]]
    let atomGroupType: [Int]
    let groupScalable: [Bool]
    let groupFamily: [String]
    /// Role of each simple class in its group's counts.
    let classRole: [PairRole]
    /// Per group: nil, or for an atom-hop group the per-atom hop rate through the host at scale 1
    /// (z·ν and the slowest pristine channel's barrier) and the hops one atom needs to cross the
    /// wire's radius (`LatticeTopology.crossSectionHops`): its transport window (file header).
    public let groupTransport: [(nuZ: Double, barrier_eV: Double, hops: Double)?]

    /// The controller for `model`'s pair groups.
    public init(settings: AccelerationSettings, model: ExchangeModel) {
        self.settings = settings
        let r = model.rates
        var classes = [[Int32]](repeating: [], count: r.pairGroupCount)
        var family = [String](repeating: "", count: r.pairGroupCount)
        for (c, g) in r.pairGroup.enumerated() where g >= 0 {
            classes[Int(g)].append(Int32(c))
            family[Int(g)] = r.family[Int(r.classInfo[c].eventType)].key
        }
        let atomTypes = r.hopType.filter { $0 >= 0 }
        family += atomTypes.map { r.family[$0].key }
        let scalable = Set(settings.families.map(\.rawValue))
        groupClasses = classes
        atomGroupType = atomTypes
        groupFamily = family
        groupScalable = family.map { settings.mode == .adaptive && scalable.contains($0) }
        classRole = r.pairRole
        let hops = model.topo.crossSectionHops, z = Double(model.hopDegree)
        let transport: [(nuZ: Double, barrier_eV: Double, hops: Double)?] = (0..<2).compactMap { s in
            r.hopType[s] >= 0 ? (r.hostHop[s].nu * z, r.hostHop[s].barrier_eV, hops) : nil
        }
        groupTransport = [(nuZ: Double, barrier_eV: Double, hops: Double)?](repeating: nil, count: classes.count) + transport
        state = AccelerationState(groups: family.count)
    }

    /// Whether the controller changes anything.
    public var isActive: Bool { settings.mode == .adaptive }

    /// Events the engine may run before the next check.
    public var eventsUntilCheck: UInt64 { UInt64(max(settings.checkEvents - state.eventsSinceCheck, 1)) }

    /// Count `n` executed events; returns whether a check is due.
    public mutating func record(events n: UInt64) -> Bool {
        state.eventsSinceCheck += Int(n)
        return isActive && state.eventsSinceCheck >= settings.checkEvents
    }

    /// One engine run toward `until` of at most `maxEvents` events, ended early where a check is due,
    /// then the check if it is (the run's end is a clock point). The loop of `Simulation.run`,
    /// `cekmc bench --scenario` and the tests. Returns the events executed.
    @discardableResult
    public mutating func run(_ engine: inout Engine<ExchangeModel>, until: Double, maxEvents: UInt64) -> UInt64 {
        let before = engine.clock.events
        _ = engine.run(until: until, maxEvents: isActive ? min(maxEvents, eventsUntilCheck) : maxEvents)
        let n = engine.clock.events - before
        if record(events: n) { check(&engine.classes, time_s: engine.clock.time_s, kelvin: engine.temperature) }
        return n
    }

    /// Forward and reverse events of group g since the counters were cleared (file header). O(the
    /// group's classes; an atom group: all classes and their channels).
    func counts(_ g: Int, _ t: RateClassTable) -> (f: Double, r: Double) {
        var n: (UInt64, UInt64, UInt64) = (0, 0, 0)
        func add(_ role: PairRole, _ k: UInt64) {
            switch role { case .forward: n.0 &+= k; case .reverse: n.1 &+= k; case .level: n.2 &+= k }
        }
        if g < groupClasses.count {
            for c in groupClasses[g] { add(classRole[Int(c)], t.executedCount[Int(c)]) }
        } else {
            let type = UInt8(atomGroupType[g - groupClasses.count])
            for c in 0..<t.classCount where t.classType[c] == type {
                let s = Int(t.channelStart[c])
                for k in s..<(s + Int(t.channelCount[c])) { add(PairRole(sign: t.channelSign[k]), t.channelExecuted[k]) }
            }
        }
        let half = Double(n.2) / 2
        return (Double(n.0) + half, Double(n.1) + half)
    }

    /// Whether group g has events now (a member in one of its classes). O(the group's classes).
    func hasEvents(_ g: Int, _ t: RateClassTable) -> Bool {
        if g < groupClasses.count { return groupClasses[g].contains { t.count(of: Int($0)) > 0 } }
        let type = UInt8(atomGroupType[g - groupClasses.count])
        return (0..<t.classCount).contains { t.classType[$0] == type && t.count(of: $0) > 0 }
    }

    /// Give group g the scale α (its classes; an atom group: every class of its type, present and
    /// future).
    func apply(_ g: Int, _ alpha: Double, _ t: inout RateClassTable) {
        if g < groupClasses.count {
            for c in groupClasses[g] { t.setScale(Int(c), alpha) }
        } else {
            t.setTypeScale(atomGroupType[g - groupClasses.count], alpha)
        }
    }

    /// Whether counts (f, r) are quasi-equilibrated.
    func isQuasiEquilibrated(_ f: Double, _ r: Double) -> Bool {
        max(f, r) >= Double(settings.minOccurrences)
            && abs(f - r) <= max(2 * settings.tolerance * (f + r), settings.noiseSigmas * (f + r).squareRoot())
    }

    /// The reference count B of this interval (file header): the fastest non-QE group's events
    /// `fastest` when there are at least n_min of them; otherwise that group's rate averaged over the
    /// most recent checks until they hold n_min events (at most `historyChecks`, and at least n_min
    /// events assumed: an upper bound), times this interval's length `dt`. Without a clock
    /// (`dt` nil): max(fastest, n_min). Records the interval in the history.
    mutating func referenceCount(fastest: Double, dt: Double?) -> Double {
        let nMin = Double(settings.minOccurrences)
        guard let dt, dt > 0 else { return max(fastest, nMin) }
        state.recentNonQE.append(fastest); state.recentInterval_s.append(dt)
        if state.recentNonQE.count > settings.historyChecks {
            state.recentNonQE.removeFirst(); state.recentInterval_s.removeFirst()
        }
        if fastest >= nMin { return fastest }
        var events = 0.0, time = 0.0
        for k in stride(from: state.recentNonQE.count - 1, through: 0, by: -1) {
            events += state.recentNonQE[k]; time += state.recentInterval_s[k]
            if events >= nMin { break }
        }
        return max(events, nMin) * (dt / time)   // exact max(fastest, n_min) when only this interval counts
    }

    /// The check (file header): new scales from the counts since the last check, applied to the
    /// classes of `t`; the counters are cleared. `time_s`, `kelvin`: the clock and temperature now
    /// (nil: counts only, B floored at n_min, atom-hop groups judged by their events). Returns how
    /// many groups changed. O(classes).
    @discardableResult
    public mutating func check(_ t: inout RateClassTable, time_s: Double? = nil, kelvin: Double? = nil) -> Int {
        let s = settings
        let n = groupFamily.count
        var f = [Double](repeating: 0, count: n), r = f
        var fastestNonQE = 0.0
        for g in 0..<n {
            (f[g], r[g]) = counts(g, t)
            if f[g] + r[g] > 0 && !isQuasiEquilibrated(f[g], r[g]) { fastestNonQE = max(fastestNonQE, max(f[g], r[g])) }
        }
        var dt: Double? = nil
        var coldest = kelvin
        if let now = time_s {
            if let last = state.lastCheckTime_s { dt = now - last }
            state.lastCheckTime_s = now
        }
        if let k = kelvin {
            if let last = state.lastCheckKelvin { coldest = min(k, last) }
            state.lastCheckKelvin = k
        }
        let b = referenceCount(fastest: fastestNonQE, dt: dt)
        // An atom-hop group's measure: with a clock, the cross-section relaxations of one atom in
        // the interval, α·z·ν·exp(−E/k_BT)·dt/(R/a)² at the colder end of the interval; without
        // one, its events.
        func measure(_ g: Int) -> Double {
            if let tr = groupTransport[g], let dt, dt > 0, let kT = coldest.map({ Constants.boltzmann_eV_per_K * $0 }) {
                return state.groupScale[g] * tr.nuZ * exp(-tr.barrier_eV / kT) * dt / tr.hops
            }
            return max(f[g], r[g])
        }
        let centre = (s.minSeparation * s.maxSeparation).squareRoot() * b
        var next = state.groupScale
        var raised = false
        for g in 0..<n where groupScalable[g] && state.groupScale[g] < 1 && hasEvents(g, t) {
            let mx = measure(g), events = max(f[g], r[g])
            let judged = events >= Double(s.minOccurrences)
            // A rare atom (few hops in the interval) is not raised for being rare: its window is per atom.
            let tooFew = groupTransport[g] != nil && dt != nil ? false : !judged
            if mx == 0 || tooFew || (judged && !isQuasiEquilibrated(f[g], r[g])) || mx < s.minSeparation * b {
                let factor = min(s.upscalingLimit, max(s.upscalingFactor, mx > 0 ? centre / mx : s.upscalingFactor))
                next[g] = min(1, state.groupScale[g] * factor)
                raised = true
            }
        }
        if !raised {
            for g in 0..<n where groupScalable[g] {
                let mx = measure(g)
                guard isQuasiEquilibrated(f[g], r[g]), mx > s.maxSeparation * b else { continue }
                let alpha = state.groupScale[g]
                let net = abs(f[g] - r[g]) / max(f[g], r[g])
                next[g] = max(s.minScale, alpha * max(centre / mx, 1 / s.downscalingLimit), alpha * s.minSeparation * net)
                next[g] = min(next[g], 1)
            }
        }
        var changed = 0
        for g in 0..<n where next[g] != state.groupScale[g] {
            changed += 1
            state.groupScale[g] = next[g]
            apply(g, next[g], &t)
            state.minScaleReached[groupFamily[g]] = min(state.minScaleReached[groupFamily[g]] ?? 1, next[g])
        }
        t.clearExecutedCounts()
        state.eventsSinceCheck = 0
        state.checks += 1
        return changed
    }

    /// Apply the saved scales to `t` (restart from a checkpoint).
    public mutating func restore(_ saved: AccelerationState, _ t: inout RateClassTable) throws {
        guard saved.groupScale.count == state.groupScale.count, saved.groupScale.allSatisfy({ $0 > 0 && $0 <= 1 }) else {
            throw CheckpointError("checkpoint acceleration state has \(saved.groupScale.count) pair groups, the model has \(state.groupScale.count)")
        }
        state = saved
        for (g, a) in saved.groupScale.enumerated() { apply(g, a, &t) }
    }

    /// Scales of the groups of each family: (smallest now, smallest reached), by family key.
    public var familyScales: [String: (now: Double, reached: Double)] {
        familyScaleRanges.mapValues { ($0.min, $0.reached) }
    }

    /// Scales of the groups of each family: smallest and largest now, smallest reached, by family key.
    public var familyScaleRanges: [String: (min: Double, max: Double, reached: Double)] {
        var out: [String: (min: Double, max: Double, reached: Double)] = [:]
        for (g, key) in groupFamily.enumerated() {
            let a = state.groupScale[g]
            out[key] = (min(out[key]?.min ?? 1, a), max(out[key]?.max ?? 0, a), state.minScaleReached[key] ?? 1)
        }
        return out
    }
}
