// The engine's speed devices must not change the physics or the trajectory:
//  - buffered uniforms consume exactly the generator's sequence, and a checkpointed backlog
//    continues it;
//  - class capacities (bounded thinning inside a class) choose every member at its own rate and
//    keep the null fraction below its bound;
//  - the look-ahead (prefetch hints and reuse of tree positions) and the deferred site writes leave the
//    trajectory bit-identical to a run without them.
import Testing
import CekmcCore
@testable import KMC

import GSL
#if canImport(Glibc)
import Glibc
#endif

@Suite struct EngineLookAheadTests {
    @Test func uniformStreamReproducesTheGeneratorSequence() throws {
        var stream = UniformStream(rng: try RandomGenerator(name: "mt19937", seed: 5))
        let direct = try RandomGenerator(name: "mt19937", seed: 5)
        for i in 0..<2000 {
            let ahead = stream.peek(7)
            let seven = (0..<7).map { _ in direct.uniform() }
            #expect(stream.next() == seven[0], "draw \(i)")
            for k in 1..<7 { #expect(stream.next() == seven[k]) }
            #expect(stream.peek(0) == ahead)
        }
    }

    @Test func uniformStreamBacklogContinuesTheSequence() throws {
        var a = UniformStream(rng: try RandomGenerator(name: "taus2", seed: 9))
        for _ in 0..<300 { _ = a.next() }
        _ = a.peek(40)
        let state = a.rng.saveState(), backlog = a.backlog
        #expect(!backlog.isEmpty)
        let expected = (0..<1000).map { _ in a.next() }
        var b = UniformStream(rng: try RandomGenerator(name: "taus2", seed: 1))
        try b.rng.restoreState(state)
        try b.restore(backlog: backlog)
        #expect((0..<1000).map { _ in b.next() } == expected)
        #expect(throws: CheckpointError.self) { try b.restore(backlog: [Double(1.5).bitPattern]) }
    }

    @Test func capacitiesKeepEveryMemberAtItsRateAndBoundTheNullFraction() throws {
        // Two classes: 1000 members at rate k₀ and 300 at rate 3k₀. After removing some members
        // the capacities exceed the counts; selection must still hit each member with probability
        // w_c / Σ cap·w (uniform within a class), and the null fraction must equal the slack.
        let classes = [RateClassInfo(eventType: 0, barrier_eV: 0.5, nu: 1e12), RateClassInfo(eventType: 0, barrier_eV: 0.5 - 0.0517, nu: 1e12)]
        var t = RateClassTable(classes: classes, slotCount: 1300)
        for s in 0..<1000 { t.assign(Int32(s), to: 0) }
        for s in 1000..<1300 { t.assign(Int32(s), to: 1) }
        for s in stride(from: 0, to: 1000, by: 97) { t.assign(Int32(s), to: -1) }   // 11 removed
        for s in stride(from: 1000, to: 1300, by: 50) { t.assign(Int32(s), to: -1) }  // 6 removed
        t.setTemperature(600)
        for c in 0..<2 {
            let n = t.members[c].count, cap = t.capacity[c]
            #expect(cap >= n && cap <= n + 2 * capacitySlack(n), "class \(c): n \(n), cap \(cap)")
        }
        #expect(t.capacity[0] > t.members[0].count, "the big class keeps slack after removals")
        let w = [t.memberRate[0], t.memberRate[1]]
        let total = Double(t.capacity[0]) * w[0] + Double(t.capacity[1]) * w[1]
        #expect(abs(t.totalRate - total) <= 1e-12 * total)
        #expect(abs(t.eventRate - (Double(t.members[0].count) * w[0] + Double(t.members[1].count) * w[1])) <= 1e-12 * total)
        let rng = try RandomGenerator(seed: 21)
        let draws = 400_000
        var hits = [Int](repeating: 0, count: 1300), nulls = 0
        for _ in 0..<draws {
            let (_, slot, _) = t.select(rng.uniform())
            if slot < 0 { nulls += 1 } else { hits[Int(slot)] += 1 }
        }
        // Null fraction: binomial with p = 1 − eventRate/totalRate; 5σ.
        let pNull = 1 - t.eventRate / t.totalRate
        #expect(pNull > 0)
        #expect(abs(Double(nulls) - Double(draws) * pNull) < 5 * (Double(draws) * pNull * (1 - pNull)).squareRoot() + 1)
        // χ² of member counts against draws·w_c/total over all live members (df = members − 1):
        // accept below df + 5√(2 df).
        var chi2 = 0.0, df = -1
        for c in 0..<2 {
            let e = Double(draws) * w[c] / total
            for s in t.members[c] { chi2 += pow(Double(hits[Int(s)]) - e, 2) / e; df += 1 }
        }
        #expect(chi2 < Double(df) + 5 * (2 * Double(df)).squareRoot(), "χ² \(chi2) for \(df) df")
        for s in stride(from: 0, to: 1000, by: 97) { #expect(hits[s] == 0) }
    }

    /// Run `events` events of a fresh model and return its occupancy, clock and counts. `ramp`:
    /// a slow heating ramp (thinning acceptance, 3 uniforms per candidate, window ends) instead of
    /// a hold.
    /// `holds`: a program of four holds at different temperatures, run in eight time slices (window
    /// ends inside the kernel's bursts). `kernel`: hold windows through the hop kernel.
    func trajectory(families: Set<EventFamily>, lookAhead: Int, events: UInt64, ramp: Bool = false,
                    holds: Bool = false, kernel: Bool = true, cadmium: Bool = false) throws -> (occupant: [Occupant], time: Double, executed: [UInt64], rejections: UInt64, atoms: [Int32], windows: UInt64) {
        var windows: UInt64 = 0
        let topo = try TestLattice.zbWire(radius: 7, length: 24)
        var p = TestLattice.params(only: families)
        p.interstitialHop_eV = 0.3
        if cadmium { p["cd_hop_eV"] = 0.3 }
        var (m, t) = try ExchangeModel.make(topology: topo, parameters: p, initial: InitialState(donorCu: 400, surfaceVacancyFraction: 0.1, seed: 4))
        let rng = try RandomGenerator(name: "taus2", seed: 17)
        var placed = 0
        for x in 0..<topo.siteCount where (topo.kinds[x] == .tetra || topo.kinds[x] == .octa) && placed < 150 && x % 5 == 0 {
            try m.insert(Occupant.cu, at: x, classes: &t); placed += 1
        }
        if cadmium {
            // Cd_i as well: their hops away from Cu cations have no side effects even with
            // kick-off on (`RefreshPlan.hopHasSideEffects`), so the kernel takes them.
            placed = 0
            for x in 0..<topo.siteCount where (topo.kinds[x] == .tetra || topo.kinds[x] == .octa) && placed < 100 && x % 5 == 2 {
                try m.insert(Occupant.cd, at: x, classes: &t); placed += 1
            }
        }
        let program = ramp
            ? try TemperatureProgram(segments: [.init(start_s: 0, duration_s: 1e-7, t0_K: 600, t1_K: 900, label: "ramp")])
            : holds
            ? try TemperatureProgram(segments: [700.0, 640, 760, 700].enumerated().map {
                .init(start_s: Double($0.offset) * 5e-9, duration_s: 5e-9, t0_K: $0.element, t1_K: $0.element, label: "hold") })
            : try .constant(kelvin: 700, duration_s: 1e30)
        var engine = Engine(model: m, classes: t, program: program, rng: rng)
        engine.lookAhead = lookAhead
        engine.useKernel = kernel
        engine.kernelLookAheadMinBytes = 0  // test lattices are small: exercise the kernel's stages anyway
        if holds {
            for k in 1...8 { _ = engine.run(until: Double(k) * 2.5e-9, maxEvents: events) }
        } else {
            // Several calls, so the run boundaries (log applied, predictions kept) are crossed too.
            for _ in 0..<4 { _ = engine.run(until: program.duration_s, maxEvents: events / 4) }
        }
        windows = engine.clock.windows
        try engine.model.verifyIncremental(engine.classes)
        try engine.model.checkConservation()
        return (engine.model.occupant, engine.clock.time_s, engine.model.executed, engine.clock.rejections, engine.model.atomSite, windows)
    }

    @Test(arguments: [Set<EventFamily>([.cuHop]), Set(EventFamily.allCases)])
    func lookAheadAndDeferredWritesLeaveTheTrajectoryUnchanged(_ families: Set<EventFamily>) throws {
        // cu_hop only: hops defer their site writes; all families: hops with side effects write
        // directly. Either way the run with look-ahead must equal the run without, bit for bit.
        let plain = try trajectory(families: families, lookAhead: 0, events: 40_000)
        let ahead = try trajectory(families: families, lookAhead: 6, events: 40_000)
        #expect(plain.occupant == ahead.occupant)
        #expect(plain.time == ahead.time)
        #expect(plain.executed == ahead.executed)
        #expect(plain.rejections == ahead.rejections)
        #expect(plain.atoms == ahead.atoms)
        #expect(plain.executed.reduce(0, +) == 40_000)
    }

    @Test(arguments: [Set<EventFamily>([.cuHop]), Set(EventFamily.allCases)])
    func hopKernelLeavesTheTrajectoryUnchanged(_ families: Set<EventFamily>) throws {
        // The kernel runs the hops it can finish on raw memory and hands every other candidate
        // (other events, hops with side effects, window ends) back to the general loop; the
        // trajectory must be the general loop's, bit for bit, with and without look-ahead.
        let general = try trajectory(families: families, lookAhead: 6, events: 40_000, kernel: false)
        for ahead in [0, 6] {
            let fast = try trajectory(families: families, lookAhead: ahead, events: 40_000, kernel: true)
            #expect(general.occupant == fast.occupant && general.atoms == fast.atoms)
            #expect(general.time == fast.time)
            #expect(general.executed == fast.executed && general.rejections == fast.rejections)
        }
        #expect(general.executed.reduce(0, +) == 40_000)
        // Hold segments and time slices: bursts end at window ends and the loop resumes there.
        let slicedGeneral = try trajectory(families: families, lookAhead: 6, events: .max, holds: true, kernel: false)
        let slicedFast = try trajectory(families: families, lookAhead: 6, events: .max, holds: true, kernel: true)
        #expect(slicedGeneral.occupant == slicedFast.occupant && slicedGeneral.atoms == slicedFast.atoms)
        #expect(slicedGeneral.time == slicedFast.time && slicedGeneral.time == 2e-8)
        #expect(slicedGeneral.executed == slicedFast.executed && slicedGeneral.rejections == slicedFast.rejections)
        #expect(slicedGeneral.windows >= 4 && slicedGeneral.windows == slicedFast.windows)
        #expect(slicedGeneral.executed.reduce(0, +) > 5_000, "events \(slicedGeneral.executed.reduce(0, +))")
    }

    @Test(arguments: [Set<EventFamily>([.cuHop, .cdHop, .kickOff]), Set(EventFamily.allCases)])
    func hopKernelLeavesTheTrajectoryUnchangedWithCdInterstitials(_ families: Set<EventFamily>) throws {
        // Cd_i hops go through the kernel where neither site has a Cu cation around it, Cu_i hops
        // (kick-off edges) never: the trajectory must still be the general loop's, bit for bit.
        // Without look-ahead the engine also backs off from bursts that finish nothing
        // (`Engine.kernelSkip`).
        let general = try trajectory(families: families, lookAhead: 6, events: 40_000, kernel: false, cadmium: true)
        for ahead in [0, 6] {
            let fast = try trajectory(families: families, lookAhead: ahead, events: 40_000, kernel: true, cadmium: true)
            #expect(general.occupant == fast.occupant && general.atoms == fast.atoms)
            #expect(general.time == fast.time)
            #expect(general.executed == fast.executed && general.rejections == fast.rejections)
        }
        let cdHops = general.executed[EventCatalog.types.firstIndex { EventCatalog.families[$0.0].key == "cd_hop" }!]
        #expect(cdHops > 1_000, "Cd_i hops \(cdHops)")
    }

    @Test func cdHopSideEffectsFollowTheEnabledTypes() throws {
        // Defaults: only kick-in and Cu release involve a Cd_i (or its empty site) and a cation, both
        // next to a Cu cation; Frenkel pairs and Cd vacancy fills (cd_vacancy) involve every Cd
        // or vacant cation.
        let topo = try TestLattice.zbWire(radius: 7, length: 18)
        let z = try LatticeRadices(topo)
        let w = WireScale(length_nm: 1.8, shellSites: 100)
        let defaults = RefreshPlan(try RateDispatch(ExchangeParameters.defaults(.zb), z, w))
        #expect(!defaults.cdHopSideEffects && defaults.cdHopSideEffectsNearCu)
        let word0 = SiteWord.withCu(0, 0), word1 = SiteWord.withCu(0, 1)
        #expect(!defaults.hopHasSideEffects(word0, word0, .cd))
        #expect(defaults.hopHasSideEffects(word0, word1, .cd))
        #expect(defaults.hopHasSideEffects(word0, word0, .cu), "a Cu_i moves its kick-off edges")
        var p = ExchangeParameters.defaults(.zb)
        p.enabled.insert(.cdVacancy)
        let frenkel = RefreshPlan(try RateDispatch(p, z, w))
        #expect(frenkel.cdHopSideEffects && frenkel.hopHasSideEffects(word0, word0, .cd))
    }

    @Test func lookAheadLeavesARampTrajectoryUnchanged() throws {
        let plain = try trajectory(families: Set(EventFamily.allCases), lookAhead: 0, events: 20_000, ramp: true)
        let ahead = try trajectory(families: Set(EventFamily.allCases), lookAhead: 6, events: 20_000, ramp: true)
        #expect(plain.occupant == ahead.occupant && plain.atoms == ahead.atoms)
        #expect(plain.time == ahead.time && plain.time > 0)
        #expect(plain.executed == ahead.executed && plain.rejections == ahead.rejections)
        #expect(plain.rejections > 0, "a ramp thins candidates")
        #expect(plain.windows > 3 && plain.windows == ahead.windows, "windows \(plain.windows), t \(plain.time), events \(plain.executed.reduce(0, +))")
    }

    @Test func deferredSiteWritesAreAppliedBeforeAnythingReadsTheSites() throws {
        // Hops performed directly (no engine): the log holds site writes; the checks synchronise
        // a copy, and `synchronize()` makes `occ` current.
        let topo = try TestLattice.zbWire(radius: 7, length: 18)
        var (m, t) = try ExchangeModel.make(topology: topo, parameters: TestLattice.params(only: [.cuHop]), initial: InitialState(donorCu: 200))
        for x in 0..<topo.siteCount where (topo.kinds[x] == .tetra || topo.kinds[x] == .octa) && x % 7 == 0 {
            if m.donorCu > 0 { try m.insert(Occupant.cu, at: x, classes: &t) }
        }
        t.setTemperature(600)
        let rng = try RandomGenerator(seed: 8)
        var moved = 0
        for _ in 0..<3000 {
            let (c, slot, ch) = t.select(rng.uniform())
            if slot < 0 { continue }
            if m.perform(slot: slot, rateClass: c, channel: ch, classes: &t) { moved += 1 }
            t.flush()
        }
        #expect(moved > 2000)
        #expect(m.unsyncedCount > 0, "bulk hops of a cu_hop-only model defer their site writes")
        try m.verifyIncremental(t)
        let counts = m.counts()
        m.synchronize()
        #expect(m.unsyncedCount == 0)
        #expect(m.counts().cuInterstitial == counts.cuInterstitial)
        let onSites = (0..<topo.siteCount).filter { m.occupant[$0] == Occupant.cu }.count
        #expect(onSites == m.atomCount)
        try m.verifyIncremental(t)
    }
}
