// The hop kernel: the engine's event loop for the candidates it can finish on raw memory.
//
// In hop-dominated runs nearly every event is a hop of a mobile atom that changes nothing but the
// atom's record, two occupancy bits and the atom's class (ExchangeModel, "deferred site writes").
// The general loop (`Engine.run`) pays Swift's array machinery on every access (bounds and
// uniqueness checks, nested arrays, generic dispatch); this kernel runs the same candidates on
// pointers taken once per burst (`RateClassTable.withClassView`, `ExchangeModel.withHopView`).
//
// Contract: the kernel is an exact copy of the general loop for the candidates it accepts. For
// each candidate it first decides, reading state only, whether it can finish it: a hold window
// with candidates left in the count (`ClockState`), a composite (hop) class, a hop
// without side effects (no enabled event reads the two sites' occupancy), room in the new class's
// member segment. If not, it returns before consuming any uniform, and the general loop executes
// that candidate — with the same uniforms, so to the same outcome. A candidate it accepts consumes
// the same uniforms, takes the same event (or the same null event) and leaves the same state as the
// general loop would. A pending record may be completed before the kernel gives a candidate back
// (`fillRow`, a cache of the site's row that the general path would fill the same way). The
// trajectory is therefore identical with the kernel on or off (`Engine.useKernel`; tested).
// An event that resets a class capacity rewrites the class's tree leaf before the next selection,
// as the general loop's `RateClassTable.flush` does (`ClassView.flush`).

import CPrefetch
import GSL

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Raw views of the exchange model's hop-path arrays (valid only inside `withHopView`).
struct HopView {
    /// The atom records and hop rows (record operations shared with the safe path).
    let atoms: AtomRecords
    let occupied: UnsafeMutablePointer<UInt64>
    let envClass: UnsafePointer<Int32>
    /// The record-fill pipeline (shared with the safe path) and its head.
    let pipeline: RecordPipeline
    var pipeHead: Int
    let unsynced: UnsafeMutablePointer<Int32>
    var unsyncedLen: Int
    var cuHops: UInt64 = 0
    var cdHops: UInt64 = 0

    /// `ExchangeModel.advancePipeline`.
    @inline(__always) mutating func advancePipeline(_ a: Int32, _ j: Int) {
        pipeline.advance(atoms, head: &pipeHead, a, j)
    }
}

extension ExchangeModel {
    /// The atom records (`KMCModel.kernelDataBytes`).
    public var kernelDataBytes: Int { atomCount * recordStride * MemoryLayout<UInt32>.size }
}

extension Engine where M == ExchangeModel {
    /// Run candidates of the current hold window through the hop kernel until one needs the
    /// general loop (see the file header), `maxEvents` events are done, or a class capacity was
    /// reset. Returns whether any candidate was consumed. Requires: an open hold window with
    /// time < windowEnd ≤ the run's end, a positive total rate, no stale tree leaf.
    mutating func hopBurst(maxEvents: UInt64, done: inout UInt64) -> Bool {
        Self.burst(stream: &stream, classes: &classes, model: &model, clock: &clock,
                   farVersion: &farVersion, lookAhead: lookAhead, lookAheadMinBytes: kernelLookAheadMinBytes,
                   maxEvents: maxEvents, done: &done)
    }

    /// The kernel on the engine's parts (separate inout arguments: disjoint accesses).
    static func burst(stream: inout UniformStream, classes: inout RateClassTable,
                      model: inout ExchangeModel, clock: inout ClockState, farVersion: inout UInt64,
                      lookAhead: Int, lookAheadMinBytes: Int, maxEvents: UInt64, done: inout UInt64) -> Bool {
        // Look ahead only when the atoms' records outgrow the core's own cache
        // (`Engine.kernelLookAheadMinBytes`): below that the stages cost and save no miss.
        let recordBytes = model.kernelDataBytes
        assert(clock.windowIsHold && clock.countCovers(classes.totalRate) && clock.holdPending)
        let p = BurstParameters(baseAtom: model.baseAtom, plan: model.plan,
                                lookAhead: recordBytes >= lookAheadMinBytes ? lookAhead : 0,
                                maxEvents: maxEvents)
        let rng = stream.rng
        var st = BurstState(pos: stream.pos, end: stream.end, consumed: stream.consumed, clock: clock,
                            events: clock.events, rejections: clock.rejections, done: done)
        stream.buffer.withUnsafeMutableBufferPointer { ub in
            classes.withClassView { cv in
                model.withHopView { mv in
                    hopLoop(ub, &cv, &mv, &st, p, rng)
                }
            }
        }
        stream.pos = st.pos; stream.end = st.end; stream.consumed = st.consumed
        clock = st.clock; clock.events = st.events; clock.rejections = st.rejections
        done = st.done
        farVersion = classes.treeVersion
        return st.progressed
    }
}

/// Loop-invariant inputs of a burst.
struct BurstParameters {
    let baseAtom: Int32
    /// Which hops have side effects (`RefreshPlan.hopHasSideEffects`).
    let plan: RefreshPlan
    let lookAhead: Int, maxEvents: UInt64
}

/// What a burst advances (copied in and out around the loop).
struct BurstState {
    var pos: Int, end: Int, consumed: UInt64
    /// The hold clock (`ClockState`: the count and the candidates done of it).
    var clock: ClockState
    var events: UInt64, rejections: UInt64, done: UInt64
    var progressed = false
}

/// A candidate planned ahead: the class and remainder of its selection uniform, the member index
/// and the channel (`RateClassTable.resolve` without the membership read, which is made when the
/// candidate is consumed). Valid while the tree is unchanged (`ClassView.version`).
struct PlannedCandidate {
    var rateClass = 0, member = 0, channel = -1
    var remainder = 0.0
    /// The tree version the plan was made on.
    var version: UInt64 = 0
}

/// The burst's event loop (see the file header); state in locals, written back at the end.
///
/// Candidates are planned 2L ahead (L = `lookAhead`): the selection uniform is located in the tree,
/// its member index and channel are computed once, and the member's list entry is prefetched; L
/// ahead the entry is read and the atom's record prefetched; 2 ahead the record's target is read
/// and the target's occupancy word prefetched. Every stage works from the plan, so
/// the tree descent and the channel choice run once per candidate. A plan made on an older tree (a
/// capacity reset since) is made again where it is used.
private func hopLoop(_ ub: UnsafeMutableBufferPointer<Double>, _ cv: inout ClassView, _ mv: inout HopView,
                     _ st: inout BurstState, _ p: BurstParameters, _ rng: RandomGenerator) {
    let baseAtom = p.baseAtom
    let refresh = p.plan
    let maxEvents = p.maxEvents
    let cuSpecies = Occupant.cu, cdSpecies = Occupant.cd
    // Loop-invariant pointers in locals (the views are inout: their fields would be reloaded).
    let store = cv.store, segStart = cv.segStart, segSize = cv.segSize, memberCount = cv.memberCount
    let nodes = cv.nodes, treeSize = cv.treeSize
    // A copy of the view for the read-only tables (`channel`); the inout view is for the writes.
    let tables = cv
    let rec = mv.atoms.base, stride = mv.atoms.stride, occupied = mv.occupied, envClass = mv.envClass
    // Candidates consumed (i, one uniform each) and events done (nDone) are the only counters
    // kept in the loop; consumed uniforms, events, rejections and the count follow at the end.
    var pos = st.pos, end = st.end
    // Candidates left in the hold clock's count (started at this total rate, `Engine.run`).
    let left = Int(truncatingIfNeeded: st.clock.holdCount &- st.clock.holdDone)
    var nDone = st.done
    // Selections scale by the count's bound R̄ ≥ total; beyond the total: a null event.
    let scale = st.clock.holdRate
    var total = cv.total, version = cv.version
    // Stage distances in candidates (one draw each in a hold window).
    let near = max(p.lookAhead, 0), far = 2 * near
    let ringMask = 31
    precondition(far <= ringMask && far + 1 <= UniformStream.lookAhead)

    // The plan ring (a plain allocation: a closure over the loop's variables would keep them in memory).
    let plans = UnsafeMutablePointer<PlannedCandidate>.allocate(capacity: ringMask + 1)
    defer { plans.deallocate() }
    @inline(__always) func plan(_ u: Double, _ total: Double, _ version: UInt64) -> PlannedCandidate {
        let x = u * scale
        if x >= total { return PlannedCandidate(rateClass: -1, version: version) }
        let (c, r) = SumTree.descend(nodes, treeSize, x)
        let m = tables.memberIndex(c, r)
        return PlannedCandidate(rateClass: c, member: m, channel: tables.channel(c, m, r), remainder: r, version: version)
    }
    // Nothing is planned yet: a version no plan can carry.
    plans.initialize(repeating: PlannedCandidate(version: version &- 1), count: ringMask + 1)
    var i = 0
    while nDone < maxEvents && i < left {
        if end - pos < UniformStream.lookAhead { UniformStream.refill(ub, pos: &pos, end: &end, rng: rng) }
        if far > 0 {
            // Far stage: plan candidate i + 2L and prefetch its member's list entry.
            let f = plan(ub[pos &+ far], total, version)
            plans[(i &+ far) & ringMask] = f
            if f.rateClass >= 0 { cekmc_prefetch(store + (segStart[f.rateClass] &+ f.member)) }
            // Near stage: read candidate i + L's list entry and prefetch the atom's record.
            var q = plans[(i &+ near) & ringMask]
            if q.version != version {
                q = plan(ub[pos &+ near], total, version)
                plans[(i &+ near) & ringMask] = q
            }
            if q.rateClass >= 0 && q.member < memberCount[q.rateClass] {
                let s = store[segStart[q.rateClass] &+ q.member]
                if s >= baseAtom { cekmc_prefetch(rec + Int(truncatingIfNeeded: s &- baseAtom) &* stride) }
            }
            // Last stage: two candidates ahead the record is in cache; prefetch the target's
            // occupancy word (a hint: the plan may be stale, the member list may have moved).
            let z = plans[(i &+ 2) & ringMask]
            if z.version == version && z.channel >= 0 && z.rateClass >= 0 && z.member < memberCount[z.rateClass] {
                let s = store[segStart[z.rateClass] &+ z.member]
                if s >= baseAtom {
                    let rz = Int(truncatingIfNeeded: s &- baseAtom) &* stride
                    if rec[rz &+ AtomRecord.flags] & AtomRecord.pending == 0 {
                        let jz = Int(Int32(bitPattern: rec[rz &+ AtomRecord.row &+ 2 &* z.channel]))
                        cekmc_prefetch(occupied + (jz >> 6))
                    }
                }
            }
        }
        // The candidate (its time is the count's: `ClockState`).
        var pc = plans[i & ringMask]
        if pc.version != version { pc = plan(ub[pos], total, version) }
        let c = pc.rateClass
        if c < 0 {
            // Null event (beyond the total, under the count's bound).
            pos &+= 1; i &+= 1
            continue
        }
        var slot: Int32, channel = pc.channel, member = pc.member
        if member < memberCount[c] {
            slot = store[segStart[c] &+ member]
        } else {
            // Beyond the members: a null event, or (rounding) the last member (`resolve`).
            let (s, ch) = cv.resolveMember(c, pc.remainder)
            slot = s; channel = Int(ch); member = memberCount[c] &- 1
        }
        if slot < 0 {
            // Null event (capacity slack).
            pos &+= 1; i &+= 1
            continue
        }
        if channel < 0 || slot < baseAtom { break }
        // The hop (`ExchangeModel.perform`), decided before anything is consumed.
        let a = Int(truncatingIfNeeded: slot &- baseAtom)
        let ra = a &* stride
        if rec[ra &+ AtomRecord.flags] & AtomRecord.pending != 0 { mv.atoms.fillRow(a) }
        let jr = ra &+ AtomRecord.row &+ 2 &* channel
        let j = Int(Int32(bitPattern: rec[jr]))
        let jw = j >> 6, jb = UInt64(1) << UInt64(j & 63)
        let occJ = occupied[jw]
        if occJ & jb != 0 {
            pos &+= 1; i &+= 1
            continue
        }
        let x = Int(Int32(bitPattern: rec[ra &+ AtomRecord.site]))
        let wx = rec[ra &+ AtomRecord.word], wj = rec[jr &+ 1]
        let flags = rec[ra &+ AtomRecord.flags]
        let o = AtomRecord.species(flags)
        assert(o == cuSpecies || o == cdSpecies)
        if refresh.hopHasSideEffects(wx, wj, o) { break }
        let newClass = envClass[SiteWord.env(wj) &* 2 &+ (o == cdSpecies ? 1 : 0)]
        let moves = newClass != Int32(truncatingIfNeeded: c)
        if moves && newClass >= 0 && memberCount[Int(newClass)] == segSize[Int(newClass)] { break }
        // Commit.
        pos &+= 1; i &+= 1
        if o == cuSpecies { mv.cuHops &+= 1 } else { mv.cdHops &+= 1 }
        cv.channelExecuted[cv.channelStart(of: c) &+ channel] &+= 1
        occupied[x >> 6] &= ~(UInt64(1) << UInt64(x & 63))
        occupied[jw] |= jb
        rec[ra &+ AtomRecord.site] = UInt32(bitPattern: Int32(truncatingIfNeeded: j))
        rec[ra &+ AtomRecord.word] = wj
        rec[ra &+ AtomRecord.flags] = flags | AtomRecord.pending
        rec[ra &+ AtomRecord.arrivals] &+= 1
        if moves { cv.move(slot, at: member, from: c, to: newClass) }
        mv.advancePipeline(Int32(truncatingIfNeeded: a), j)
        if flags & AtomRecord.unsyncedFlag == 0 {
            rec[ra &+ AtomRecord.flags] = UInt32(o.rawValue) | AtomRecord.pending | AtomRecord.unsyncedFlag
            mv.unsynced[mv.unsyncedLen] = Int32(truncatingIfNeeded: a)
            mv.unsynced[mv.unsyncedLen &+ 1] = Int32(truncatingIfNeeded: x)
            mv.unsyncedLen &+= 2
        }
        nDone &+= 1
        if cv.staleCount > 0 {
            // A capacity was reset: rewrite its tree leaf now (`RateClassTable.flush`), so the
            // next selection sees the new total, as after the general loop's flush; the
            // candidates planned on the old tree are planned again. A new total needs a new
            // count (`Engine.run` draws it).
            cv.flush()
            let newTotal = cv.total
            total = newTotal
            version = cv.version
            if !st.clock.countCovers(newTotal) { break }
        }
    }
    let executed = nDone &- st.done
    st.pos = pos; st.end = end; st.consumed &+= UInt64(i)
    st.clock.holdDone &+= UInt64(i)
    st.events &+= executed; st.rejections &+= UInt64(i) &- executed; st.done = nDone
    st.progressed = i > 0
}
