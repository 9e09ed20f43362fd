// The hop kernel: the engine's event loop for the candidates it can finish on raw memory.
//
// In hop-dominated runs nearly every event is a hop of a mobile atom that changes nothing but the
// atom's record, two occupancy bits and the atom's class (ExchangeModel, "deferred site writes").
// The general loop (`Engine.run`) pays Swift's array machinery on every access (bounds and
// uniqueness checks, nested arrays, generic dispatch); this kernel runs the same candidates on
// pointers taken once per burst (`RateClassTable.withClassView`, `ExchangeModel.withHopView`).
//
// Contract: the kernel is an exact copy of the general loop for the candidates it accepts. For
// each candidate it first decides, reading state only, whether it can finish it: a hold window,
// a positive time uniform whose time step stays inside the window, a composite (hop) class, a hop
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
    let rec: UnsafeMutablePointer<UInt32>
    let stride: Int
    let occupied: UnsafeMutablePointer<UInt64>
    let hopRow: UnsafePointer<UInt32>
    let zH: Int
    let envClass: UnsafePointer<Int32>
    let pipeAtom: UnsafeMutablePointer<Int32>
    let pipeSeq: UnsafeMutablePointer<UInt32>
    let pipeDepth: Int
    var pipeHead: Int
    let unsynced: UnsafeMutablePointer<Int32>
    var unsyncedLen: Int
    var cuHops: UInt64 = 0
    var cdHops: UInt64 = 0

    /// Copy site x's hop row into atom a's record and clear its pending flag (`ExchangeModel.fillRow`).
    @inline(__always) func fillRow(_ a: Int) {
        let r = a * stride
        let n = 2 * zH
        let x = Int(Int32(bitPattern: rec[r]))
        let src = hopRow + x * n, dst = rec + r + 4
        for k in 0..<n { dst[k] = src[k] }
        rec[r + 2] &= ~0x100
    }

    @inline(__always) func isOccupied(_ x: Int) -> Bool { occupied[x >> 6] & (1 << UInt64(x & 63)) != 0 }

    /// `ExchangeModel.advancePipeline`.
    @inline(__always) mutating func advancePipeline(_ a: Int32, _ j: Int) {
        let head = pipeHead
        let old = Int(pipeAtom[head])
        if old >= 0 && rec[old * stride + 2] & 0x100 != 0 && rec[old * stride + 3] == pipeSeq[head] { fillRow(old) }
        pipeAtom[head] = a
        pipeSeq[head] = rec[Int(a) * stride + 3]
        pipeHead = head + 1 == pipeDepth ? 0 : head + 1
        cekmc_prefetch(hopRow + j * 2 * zH)
    }
}

/// Raw views of the rate-class table's selection and membership arrays (valid only inside
/// `withClassView`).
struct ClassView {
    let store: UnsafeMutablePointer<Int32>
    let segStart: UnsafePointer<Int>
    let segSize: UnsafePointer<Int>
    let memberCount: UnsafeMutablePointer<Int>
    let slotClass: UnsafeMutablePointer<Int32>
    let slotPos: UnsafeMutablePointer<Int32>
    let capacity: UnsafeMutablePointer<Int>
    let inverseRate: UnsafePointer<Double>
    let memberRate: UnsafePointer<Double>
    let channelRate: UnsafePointer<Double>
    let channelStart: UnsafePointer<Int32>
    let channelCount: UnsafePointer<Int32>
    let nodes: UnsafeMutablePointer<Double>
    let treeSize: Int
    /// `RateClassTable.treeVersion`, bumped with every tree change.
    var version: UInt64
    /// Classes whose capacity was reset (tree leaf stale) by the current event, at most two.
    var stale0: Int32 = -1, stale1: Int32 = -1, staleCount = 0

    /// Total rate of the tree, Σ cap_c·w_c.
    @inline(__always) var total: Double { nodes[1] }

    /// `SumTree.find(u · total)` followed by `RateClassTable.locate`'s result.
    @inline(__always) func locate(_ u: Double) -> (Int, Double) {
        SumTree.descend(nodes, treeSize, u * total)
    }

    /// `RateClassTable.resolve`: (slot, channel), slot −1 for a null event, channel −1 for a
    /// simple class.
    @inline(__always) func resolve(_ c: Int, _ r: Double) -> (Int32, Int32) {
        let n = memberCount[c]
        var m = Int(r * inverseRate[c])
        if m >= n {
            if n > 0 && m >= capacity[c] { m = n - 1 } else { return (-1, -1) }
        }
        let k = Int(channelCount[c])
        let slot = store[segStart[c] + m]
        if k == 0 { return (slot, -1) }
        let s0 = Int(channelStart[c])
        let ch = RateClassTable.channel(r - Double(m) * memberRate[c], count: k) { channelRate[s0 + $0] }
        return (slot, Int32(ch))
    }

    /// `RateClassTable.countChanged`, recording a reset capacity as stale.
    @inline(__always) mutating func countChanged(_ c: Int, _ n: Int) {
        let cap = capacity[c]
        if n > cap || cap > n + 2 * RateClassTable.slack(n) {
            capacity[c] = n + RateClassTable.slack(n)
            if staleCount == 0 { stale0 = Int32(c); staleCount = 1 } else if stale0 != Int32(c) { stale1 = Int32(c); staleCount = 2 }
        }
    }

    /// `RateClassTable.flush`: rewrite the stale leaves (cap_c·w_c) and their ancestors.
    @inline(__always) mutating func flush() {
        for k in 0..<staleCount {
            let c = Int(k == 0 ? stale0 : stale1)
            var i = treeSize + c
            nodes[i] = Double(capacity[c]) * memberRate[c]
            i >>= 1
            while i >= 1 {
                nodes[i] = nodes[2 * i] + nodes[2 * i + 1]
                i >>= 1
            }
        }
        staleCount = 0; stale0 = -1; stale1 = -1
        version &+= 1
    }

    /// `RateClassTable.move` of an atom slot from class `old` (≥ 0) to `c`.
    @inline(__always) mutating func move(_ slot: Int32, from old: Int, to c: Int32) {
        let s = Int(slot)
        // Swap-remove from the old class.
        let p = Int(slotPos[s])
        let n = memberCount[old] - 1
        let base = segStart[old]
        let last = store[base + n]
        memberCount[old] = n
        if last != slot {
            store[base + p] = last
            slotPos[Int(last)] = Int32(p)
        }
        slotClass[s] = -1
        slotPos[s] = -1
        countChanged(old, n)
        if c >= 0 {
            let ci = Int(c)
            let m = memberCount[ci]
            slotClass[s] = c
            slotPos[s] = Int32(m)
            store[segStart[ci] + m] = slot
            memberCount[ci] = m + 1
            countChanged(ci, m + 1)
        }
    }
}

extension Engine where M == ExchangeModel {
    /// Run candidates of the current hold window through the hop kernel until one needs the
    /// general loop (see the file header), `maxEvents` events are done, or a class capacity was
    /// reset. Returns whether any candidate was consumed. Requires: an open hold window with
    /// time < windowEnd ≤ the run's end, a positive total rate, no stale tree leaf.
    mutating func hopBurst(maxEvents: UInt64, done: inout UInt64) -> Bool {
        Self.burst(stream: &stream, predictions: &predictions, classes: &classes, model: &model, clock: &clock,
                   farVersion: &farVersion, lookAhead: lookAhead, maxEvents: maxEvents, done: &done)
    }

    /// The kernel on the engine's parts (separate inout arguments: disjoint accesses).
    static func burst(stream: inout UniformStream, predictions: inout [Prediction], classes: inout RateClassTable,
                      model: inout ExchangeModel, clock: inout ClockState, farVersion: inout UInt64,
                      lookAhead: Int, maxEvents: UInt64, done: inout UInt64) -> Bool {
        let p = BurstParameters(windowEnd: clock.windowEnd_s,
                                baseAtom: model.baseAtom, sideEffects: model.usesIntCat,
                                surfaceSideEffects: model.usesSurfaceInt, lookAhead: lookAhead,
                                maxEvents: maxEvents)
        let rng = stream.rng
        var st = BurstState(pos: stream.pos, end: stream.end, consumed: stream.consumed, t: clock.time_s,
                            events: clock.events, rejections: clock.rejections, done: done)
        stream.buffer.withUnsafeMutableBufferPointer { ub in
            predictions.withUnsafeMutableBufferPointer { ring in
                classes.withClassView { cv in
                    model.withHopView { mv in
                        hopLoop(ub, ring, &cv, &mv, &st, p, rng)
                    }
                }
            }
        }
        stream.pos = st.pos; stream.end = st.end; stream.consumed = st.consumed
        clock.time_s = st.t; clock.events = st.events; clock.rejections = st.rejections
        done = st.done
        farVersion = classes.treeVersion
        return st.progressed
    }
}

/// Loop-invariant inputs of a burst.
struct BurstParameters {
    let windowEnd: Double, baseAtom: Int32
    let sideEffects: Bool, surfaceSideEffects: Bool, lookAhead: Int, maxEvents: UInt64
}

/// What a burst advances (copied in and out around the loop).
struct BurstState {
    var pos: Int, end: Int, consumed: UInt64, t: Double, events: UInt64, rejections: UInt64, done: UInt64
    var progressed = false
}

/// Locate the uniform `k` draws ahead in the tree and remember the position (`Engine.predict`).
@inline(__always)
private func predict(_ ub: UnsafeMutableBufferPointer<Double>, _ ring: UnsafeMutableBufferPointer<Prediction>,
                     _ cv: ClassView, _ pos: Int, _ consumed: UInt64, _ k: Int, _ version: UInt64) -> Prediction {
    let (c, r) = cv.locate(ub[pos + k])
    let position = consumed &+ UInt64(k)
    let p = Prediction(position: position, treeVersion: version, remainder: r, rateClass: c)
    ring[Int(position) & (ring.count - 1)] = p
    return p
}

/// The burst's event loop (see the file header); state in locals, written back at the end.
private func hopLoop(_ ub: UnsafeMutableBufferPointer<Double>, _ ring: UnsafeMutableBufferPointer<Prediction>,
                     _ cv: inout ClassView, _ mv: inout HopView, _ st: inout BurstState, _ p: BurstParameters,
                     _ rng: RandomGenerator) {
    let mask = ring.count - 1
    let windowEnd = p.windowEnd, baseAtom = p.baseAtom
    var rate = cv.total, version = cv.version
    let sideEffects = p.sideEffects, surfaceSideEffects = p.surfaceSideEffects
    let lookAhead = p.lookAhead, maxEvents = p.maxEvents
    let cuSpecies = Occupant.cu, cdSpecies = Occupant.cd
    var pos = st.pos, end = st.end, consumed = st.consumed
    var t = st.t, events = st.events, rejections = st.rejections, nDone = st.done
    var progressed = false
    // Look-ahead distance in draws (2 per candidate in a hold), as the near stage of `Engine.run`.
    let kNear = 2 * lookAhead + 1, kFar = 4 * lookAhead + 1
    while nDone < maxEvents {
        if end - pos < UniformStream.lookAhead { UniformStream.refill(ub, pos: &pos, end: &end, rng: rng) }
        if lookAhead > 0 {
            // One look-ahead stage, L candidates ahead: locate the selection uniform, read the
            // member entry and prefetch the first line of its record. (The general loop's far and
            // last stages and the record's second line cost more here than they saved: measured
            // with `cekmc bench`, see docs/model.md §7.) The located position is reused when the
            // uniform is consumed.
            let f = predict(ub, ring, cv, pos, consumed, kFar, version)
            let fm = Int(f.remainder * cv.inverseRate[f.rateClass])
            cekmc_prefetch(cv.store + cv.segStart[f.rateClass] + fm)
            let near = consumed &+ UInt64(kNear)
            var q = ring[Int(near) & mask]
            if q.position != near || q.treeVersion != version { q = predict(ub, ring, cv, pos, consumed, kNear, version) }
            let pm = Int(q.remainder * cv.inverseRate[q.rateClass])
            if pm < cv.memberCount[q.rateClass] {
                let s = cv.store[cv.segStart[q.rateClass] + pm]
                if s >= baseAtom { cekmc_prefetch(mv.rec + Int(s - baseAtom) * mv.stride) }
            }
        }
        // The candidate: time first (a zero uniform is skipped by the general loop).
        let ut = ub[pos]
        if !(ut > 0) { break }
        let tNew = t + -log(ut) / rate
        if tNew >= windowEnd { break }
        let position = consumed &+ 1
        let pr = ring[Int(position) & mask]
        let (c, rem) = pr.position == position && pr.treeVersion == version
            ? (pr.rateClass, pr.remainder) : cv.locate(ub[pos + 1])
        let (slot, channel) = cv.resolve(c, rem)
        if slot < 0 {
            // Null event (capacity slack).
            pos += 2; consumed &+= 2; t = tNew; rejections &+= 1; progressed = true
            continue
        }
        if channel < 0 || slot < baseAtom { break }
        // The hop (`ExchangeModel.perform`), decided before anything is consumed.
        let a = Int(slot - baseAtom)
        let ra = a * mv.stride
        if mv.rec[ra + 2] & 0x100 != 0 { mv.fillRow(a) }
        let jr = ra + 4 + 2 * Int(channel)
        let j = Int(Int32(bitPattern: mv.rec[jr]))
        if mv.isOccupied(j) {
            pos += 2; consumed &+= 2; t = tNew; rejections &+= 1; progressed = true
            continue
        }
        let x = Int(Int32(bitPattern: mv.rec[ra]))
        let wx = mv.rec[ra + 1], wj = mv.rec[jr + 1]
        if sideEffects || ((wx | wj) & 128 != 0 && surfaceSideEffects) { break }
        let flags = mv.rec[ra + 2]
        let o = UInt8(truncatingIfNeeded: flags)
        assert(o == cuSpecies || o == cdSpecies)
        let newClass = mv.envClass[Int(wj >> 8) * 2 + (o == cdSpecies ? 1 : 0)]
        if newClass >= 0 && newClass != Int32(c) && cv.memberCount[Int(newClass)] == cv.segSize[Int(newClass)] { break }
        // Commit.
        pos += 2; consumed &+= 2; t = tNew; progressed = true
        if o == cuSpecies { mv.cuHops &+= 1 } else { mv.cdHops &+= 1 }
        mv.occupied[x >> 6] &= ~(1 << UInt64(x & 63))
        mv.occupied[j >> 6] |= 1 << UInt64(j & 63)
        mv.rec[ra] = UInt32(bitPattern: Int32(j))
        mv.rec[ra + 1] = wj
        mv.rec[ra + 2] = flags | 0x100
        mv.rec[ra + 3] &+= 1
        if newClass != Int32(c) { cv.move(slot, from: c, to: newClass) }
        mv.advancePipeline(Int32(a), j)
        if flags & 0x200 == 0 {
            mv.rec[ra + 2] = UInt32(o) | 0x300
            mv.unsynced[mv.unsyncedLen] = Int32(a)
            mv.unsynced[mv.unsyncedLen + 1] = Int32(x)
            mv.unsyncedLen += 2
        }
        events &+= 1
        nDone &+= 1
        if cv.staleCount > 0 {
            // A capacity was reset: rewrite its tree leaf now (`RateClassTable.flush`), so the
            // next selection sees the new total, as after the general loop's flush.
            cv.flush()
            rate = cv.total
            version = cv.version
            if !(rate > 0) { break }
        }
    }
    st.pos = pos; st.end = end; st.consumed = consumed
    st.t = t; st.events = events; st.rejections = rejections; st.done = nDone
    st.progressed = progressed
}
