// Rate classes: the rejection-free KMC bookkeeping.
//
// Every possible event lives in a "slot" (an integer id owned by the model: a site, or an edge of a
// neighbour table). An active slot belongs to exactly one rate class c = (event type × local
// environment key), all of whose members share one barrier E_c and attempt frequency ν_c, hence one
// rate k_c(T) = ν_c·exp(−E_c/k_BT) (0 for a reservoir-fed event while its reservoir is spent).
// Classes keep member lists with a position index per slot, so insert and remove are O(1)
// (swap-remove). All lists live in one flat array (`store`), each class in its own segment that
// moves to the end of the store, doubled, when it fills (amortised O(1); the store is compacted
// when more than half of it is abandoned segments), so the hot path reaches any member through
// one base pointer. Class weights w_c = n_c·k_c sit in the leaves of a binary sum tree: total rate is
// the root, selection is a descent (O(log C)), a leaf update re-adds its ancestors from their
// children (O(log C)), so the tree's sums never accumulate rounding drift.
//
// Composite classes: a class may instead bundle several channels (e.g. the hops of one mobile atom
// along each direction of its site), each with its own barrier; then every member is one atom and its
// rate is Σ_d ν·exp(−E_d/k_BT). Selection picks the class, the member, then the channel from the same
// uniform (the remainder within the member's rate). A hop then moves one member between classes
// instead of re-filing every incident edge, which keeps the bookkeeping of a hop O(1).
// Classes can be added during a run (`addClass`): composite classes are interned by the model when
// a new local environment appears. Class ids are therefore part of the state a checkpoint stores.
//
// Capacities (bounded thinning inside a class): the tree leaf of class c is cap_c·w_c with
// cap_c ≥ n_c, and the member index m = ⌊r/w_c⌋ of a selection is a null event when m ≥ n_c. Each
// member is still chosen at exactly its rate w_c (the uniform over [0, cap_c·w_c) lands on member m
// with probability w_c/(cap_c·w_c), and the clock runs at Σ cap_c·w_c), so the dynamics are those of
// the rejection-free method; only the null fraction Σ(cap_c − n_c)w_c / Σ cap_c w_c is spent. The
// capacity follows n_c with hysteresis, cap_c ∈ [n_c, n_c + 2s(n_c)], s(n) = ⌊n/128⌋ (null fraction
// < 1.6 %; classes under 128 members are exact, cap = n). Why: the tree then changes only when a
// capacity is reset, not on every event, so (i) a membership change costs no tree update and (ii)
// a uniform drawn ahead maps to the same (class, member index) when its event comes, which lets the
// engine prefetch the data of events it will execute (`Engine`, look-ahead). Capacities depend on
// the history, so they are checkpointed.
//
// Reference for the method: A. B. Bortz, M. H. Kalos, J. L. Lebowitz, J. Comput. Phys. 17, 10
// (1975), DOI 10.1016/0021-9991(75)90060-1 (class-grouped "n-fold way").

import CekmcCore
import CPrefetch

/// Class membership of all slots plus the sum tree of class rates at a bounding temperature.
public struct RateClassTable: Sendable {
    /// The classes (in id order; composite classes may be appended during a run).
    public private(set) var info: [RateClassInfo]
    /// Per class: event type (flat copy of `info[c].eventType`).
    public private(set) var classType: [UInt8]
    /// Per class: ν (s⁻¹) and barrier (eV, composite: highest channel), flat for the hot loop.
    public private(set) var classNu: [Double]
    /// Per class: rate scale α (multiplies ν; 1 = physical). One factor per reversible pair of
    /// classes keeps detailed balance (`Acceleration.swift`). Checkpointed.
    public private(set) var scale: [Double] = []
    /// Classes fed by each reservoir (index: `ReservoirKind` raw value), ascending.
    var reservoirClasses: [[Int]] = [[], [], []]
    /// Per class: events executed by the general loop since the counters were last cleared (the
    /// adaptive acceleration's observations; hops in the kernel count only in `channelExecuted`). Checkpointed.
    public internal(set) var executedCount: [UInt64] = []
    public private(set) var classBarrier: [Double]
    /// Per class: first channel in the flat channel arrays and channel count (0: simple class).
    public private(set) var channelStart: [Int32]
    public private(set) var channelCount: [Int32]
    /// Channel barriers (eV) and channel rates at the bounding temperature (s⁻¹), flat.
    public private(set) var channelBarrier: [Double] = []
    public private(set) var channelRate: [Double] = []
    /// Per channel: sign of its ΔE (`RateClassInfo.channelSigns`) and the events it executed since
    /// the counters were last cleared (general loop and hop kernel; the acceleration's observations
    /// of atom families). Checkpointed with `executedCount`.
    public private(set) var channelSign: [Int8] = []
    public internal(set) var channelExecuted: [UInt64] = []
    /// Per event type: the rate scale a class of that type gets when it is added (the adaptive
    /// acceleration's family-wide scale of an atom family, whose composite classes appear during
    /// a run; `setTypeScale`).
    public private(set) var typeScale = [Double](repeating: 1, count: 256)
    /// Member lists of all classes, flat: class c's members are
    /// `store[segStart[c] ..< segStart[c] + memberCount[c]]`, in insertion/swap-remove order (the
    /// order is part of the state); its segment holds `segSize[c]` entries.
    var store: [Int32] = []
    /// Per class: first entry of its segment in `store`, its member count, its segment size.
    var segStart: [Int] = [], segSize: [Int] = []
    public internal(set) var memberCount: [Int] = []
    /// Entries of `store` in abandoned segments (compacted when they exceed the live segments).
    var abandoned = 0
    /// Members of each class, in order (a copy: for checkpoints and checks, not the hot path). O(n).
    public var members: [[Int32]] { (0..<info.count).map { Array(store[segStart[$0] ..< segStart[$0] + memberCount[$0]]) } }
    /// Member `m` of class `c` (m < memberCount[c]).
    @inline(__always) public func member(_ c: Int, _ m: Int) -> Int32 { store[segStart[c] + m] }
    /// Class of each slot, −1 when the slot has no active event.
    public internal(set) var slotClass: [Int32]
    /// Position of each active slot in its class's member list.
    public internal(set) var slotPos: [Int32]
    /// Counts of the reservoirs (index = ReservoirKind raw value; index 0 unused, kept 1).
    public internal(set) var reservoirCount: [Int]
    /// Temperature (K) at which `classRate` was evaluated (the window's bounding temperature).
    public private(set) var boundKelvin: Double = 0
    /// ν_c exp(−E_c/k_B T_bound) per class.
    public private(set) var classRate: [Double]
    /// classRate, or 0 for a reservoir-fed class whose reservoir is spent: the per-member rate in the tree.
    public private(set) var memberRate: [Double]
    /// Sum tree of cap_c · memberRate_c.
    public private(set) var tree: SumTree
    /// Capacity cap_c ≥ n_c of each class (see file header).
    public private(set) var capacity: [Int] = []
    /// 1/memberRate per class (0 for a zero rate): member index = ⌊r·inverse⌋ (a multiply, not a
    /// divide, on the selection path; `select` and `locate` use the same expression).
    var inverseRate: [Double] = []
    /// Bumped whenever a tree leaf changes: a `locate` result stays valid while it is unchanged.
    public private(set) var treeVersion: UInt64 = 0
    /// Classes whose capacity changed since the last `flush()` (tree leaf stale), and their marks.
    var stale: [Int32] = []
    var isStale: [Bool] = []

    /// Empty table with `slotCount` slots and the given classes.
    public init(classes: [RateClassInfo], slotCount: Int) {
        info = []
        classNu = []; classType = []; classBarrier = []; channelStart = []; channelCount = []
        // Huge pages: the hop path reaches random atom slots' entries (see HugePages.swift).
        slotClass = .hugePaged(repeating: -1, count: slotCount)
        slotPos = .hugePaged(repeating: -1, count: slotCount)
        reservoirCount = [1, 0, 0]
        classRate = []
        memberRate = []
        tree = SumTree(count: max(classes.count, 1))
        for c in classes { _ = addClass(c) }
    }

    /// Append a class (no members yet); its rate is evaluated at the current bounding temperature.
    /// Returns its id. Amortised O(1) (the tree doubles when full, O(C) then).
    public mutating func addClass(_ c: RateClassInfo) -> Int32 {
        let id = info.count
        info.append(c)
        let alpha = typeScale[Int(c.eventType)]
        classNu.append(c.nu * alpha)
        scale.append(alpha)
        reservoirClasses[Int(c.reservoir.rawValue)].append(id)
        executedCount.append(0)
        classType.append(c.eventType)
        classBarrier.append(c.barrier_eV)
        channelStart.append(Int32(channelBarrier.count))
        channelCount.append(Int32(c.channels.count))
        channelBarrier.append(contentsOf: c.channels)
        channelRate.append(contentsOf: [Double](repeating: 0, count: c.channels.count))
        channelSign.append(contentsOf: c.channelSigns)
        channelExecuted.append(contentsOf: [UInt64](repeating: 0, count: c.channels.count))
        segStart.append(store.count); segSize.append(0); memberCount.append(0)
        capacity.append(0)
        isStale.append(false)
        classRate.append(0)
        memberRate.append(0)
        inverseRate.append(0)
        if id >= tree.size {
            var t = SumTree(count: 2 * tree.size)
            for k in 0..<id { t.set(k, tree.weight(k)) }
            tree = t
            treeVersion &+= 1
        }
        if boundKelvin > 0 { evaluate(id) }
        return Int32(id)
    }

    /// Evaluate class `c`'s rate at `boundKelvin` (channels summed) and its member rate. O(channels).
    mutating func evaluate(_ c: Int) {
        let n = Int(channelCount[c])
        if n == 0 {
            classRate[c] = Arrhenius.rate(nu: classNu[c], barrier_eV: classBarrier[c], kelvin: boundKelvin)
        } else {
            var sum = 0.0
            let s0 = Int(channelStart[c])
            for k in s0..<(s0 + n) {
                let r = Arrhenius.rate(nu: classNu[c], barrier_eV: channelBarrier[k], kelvin: boundKelvin)
                channelRate[k] = r
                sum += r
            }
            classRate[c] = sum
        }
        setMemberRate(c)
    }

    /// Class c's member rate: its class rate while its reservoir (if any) is not spent, else 0; and
    /// the inverse. O(1).
    @inline(__always) mutating func setMemberRate(_ c: Int) {
        memberRate[c] = reservoirCount[Int(info[c].reservoir.rawValue)] > 0 ? classRate[c] : 0
        inverseRate[c] = memberRate[c] > 0 ? 1 / memberRate[c] : 0
    }

    /// Set tree leaf c to cap_c·w_c.
    @inline(__always) mutating func setLeaf(_ c: Int) {
        tree.set(c, Double(capacity[c]) * memberRate[c])
        treeVersion &+= 1
    }

    /// Rewrite the tree leaves of the classes whose capacity changed since the last flush, once
    /// each (an event re-files many slots, often of the same few classes). The engine calls it
    /// after every event; selection (`select`, `locate`) is only valid after it. O(k log C) for k
    /// stale classes.
    public mutating func flush() {
        if stale.isEmpty { return }
        for c in stale {
            let ci = Int(c)
            isStale[ci] = false
            tree.set(ci, Double(capacity[ci]) * memberRate[ci])
        }
        stale.removeAll(keepingCapacity: true)
        treeVersion &+= 1
    }

    /// Forget stale marks (every leaf is being rewritten anyway).
    mutating func clearStale() {
        for c in stale { isStale[Int(c)] = false }
        stale.removeAll(keepingCapacity: true)
    }

    /// Number of classes.
    public var classCount: Int { info.count }
    /// Number of slots.
    public var slotCount: Int { slotClass.count }
    /// Total rate of the clock at the bounding temperature, Σ cap_c·w_c in s⁻¹:
    /// the physical rate Σ n_c·w_c plus the null-event slack.
    public var totalRate: Double { tree.total }
    /// Physical total rate Σ n_c·w_c at the bounding temperature, s⁻¹. O(C).
    public var eventRate: Double { (0..<info.count).reduce(0) { $0 + Double(memberCount[$1]) * memberRate[$1] } }
    /// Number of active events.
    public var activeCount: Int { memberCount.reduce(0, +) }

    /// Evaluate all class rates at `kelvin` through `Arrhenius.rate` and rebuild the tree. O(C).
    public mutating func setTemperature(_ kelvin: Double) {
        boundKelvin = kelvin
        clearStale()
        for c in 0..<info.count {
            evaluate(c)
            setLeaf(c)
        }
    }

    /// Set class c's rate scale α > 0 (its ν becomes α·ν) and refresh its rate and tree leaf. Only
    /// at a clock point: the engine's bounds and acceptances use the new rate from the next
    /// candidate on (exact by memorylessness). O(channels + log C).
    public mutating func setScale(_ c: Int, _ alpha: Double) {
        precondition(alpha > 0 && alpha.isFinite)
        if scale[c] == alpha { return }
        scale[c] = alpha
        classNu[c] = info[c].nu * alpha
        if boundKelvin > 0 { evaluate(c) }
        if isStale[c] { return }
        setLeaf(c)
    }

    /// Count one executed event of class c (channel ≥ 0: of that channel of a composite class).
    @inline(__always) public mutating func countExecuted(_ c: Int, channel: Int) {
        executedCount[c] &+= 1
        if channel >= 0 { channelExecuted[Int(channelStart[c]) &+ channel] &+= 1 }
    }

    /// Set the scale of every class of event type `type`, present and added later, to α. O(C).
    public mutating func setTypeScale(_ type: Int, _ alpha: Double) {
        typeScale[type] = alpha
        for c in 0..<info.count where Int(classType[c]) == type { setScale(c, alpha) }
    }

    /// Clear the per-class and per-channel executed counters.
    public mutating func clearExecutedCounts() {
        for c in executedCount.indices { executedCount[c] = 0 }
        for k in channelExecuted.indices { channelExecuted[k] = 0 }
    }

    /// Set the count of reservoir `r`; when it becomes spent or stops being spent, refresh the
    /// classes it feeds. O(C_r log C) then, O(1) otherwise.
    public mutating func setReservoir(_ r: ReservoirKind, count: Int) {
        precondition(r != .none && count >= 0)
        let old = reservoirCount[Int(r.rawValue)]
        reservoirCount[Int(r.rawValue)] = count
        if (old > 0) == (count > 0) { return }
        for c in reservoirClasses[Int(r.rawValue)] {
            setMemberRate(c)
            setLeaf(c)
        }
    }

    /// Put `slot` in class `c` (−1: no event). No-op when unchanged. O(log C).

    public mutating func assign(_ slot: Int32, to c: Int32) {
        move(slot, from: slotClass[Int(slot)], to: c)
    }

    /// Move `slot` from class `old` (its current class, −1: none; the engine's caller knows it:
    /// the class the slot was selected in) to class `c` (−1: no event). `assign` without reading
    /// the slot's class. O(1) amortised (a full segment doubles, `grow`).
    @inline(__always)
    public mutating func move(_ slot: Int32, from old: Int32, to c: Int32) {
        if old == c { return }
        assert(slotClass[Int(slot)] == old)
        if old >= 0 { removeMember(slot, from: Int(old), at: Int(slotPos[Int(slot)])) }
        if c >= 0 {
            if memberCount[Int(c)] == segSize[Int(c)] { grow(Int(c)) }
            appendMember(slot, to: Int(c))
        }
    }

    /// Start loading the member-list entry that remainder `r` of class `c` selects (look-ahead).
    @inline(__always)
    public func prefetchMember(_ c: Int, _ r: Double) {
        let m = memberIndex(c, r)
        // The base address without a closure: `withUnsafeBufferPointer` on the inner array costs
        // a retain/release pair here.
        if m < memberCount[c] { store.withUnsafeBufferPointer { cekmc_prefetch($0.baseAddress! + segStart[c] + m) } }
    }

    /// Start loading the table entries of `slot` (look-ahead).
    @inline(__always)
    public func prefetchSlot(_ s: Int32) {
        slotPos.withUnsafeBufferPointer { cekmc_prefetch($0.baseAddress! + Int(s)) }
        slotClass.withUnsafeBufferPointer { cekmc_prefetch($0.baseAddress! + Int(s)) }
    }

    /// Give class c a segment twice as large at the end of the store (its members keep their
    /// order and positions); compact the store first when abandoned segments outweigh live ones.
    /// Amortised O(1) per append.
    @inline(never)
    mutating func grow(_ c: Int) {
        let newSize = max(16, 2 * segSize[c])
        if abandoned > 1 << 16 && abandoned > store.count - abandoned { compact() }
        let old = segStart[c], n = memberCount[c]
        let start = store.count
        store.append(contentsOf: repeatElement(-1, count: newSize))
        for k in 0..<n { store[start + k] = store[old + k] }
        abandoned += segSize[c]
        segStart[c] = start
        segSize[c] = newSize
    }

    /// Rewrite the store with every class's segment packed in class order (no member moves
    /// within its list). O(store).
    mutating func compact() {
        var packed: [Int32] = []
        packed.reserveCapacity(store.count - abandoned)
        for c in 0..<info.count {
            let start = packed.count
            packed.append(contentsOf: store[segStart[c] ..< segStart[c] + segSize[c]])
            segStart[c] = start
        }
        store = packed
        abandoned = 0
    }

    /// Run `body` on raw views of the selection and membership arrays (the hop kernel,
    /// `HopKernel.swift`); the kernel rewrites the tree leaves of the classes whose capacity it
    /// resets itself (as `flush` does) and counts its tree changes into `treeVersion`. No pointer
    /// outlives the call.
    mutating func withClassView<R>(_ body: (inout ClassView) -> R) -> R {
        precondition(stale.isEmpty, "flush before the kernel")
        var version = treeVersion
        let size = tree.size
        let result = store.withUnsafeMutableBufferPointer { st in
            segStart.withUnsafeBufferPointer { ss in
                segSize.withUnsafeBufferPointer { sz in
                    memberCount.withUnsafeMutableBufferPointer { mc in
                        slotClass.withUnsafeMutableBufferPointer { sc in
                            slotPos.withUnsafeMutableBufferPointer { sp in
                                capacity.withUnsafeMutableBufferPointer { cap in
                                    inverseRate.withUnsafeBufferPointer { inv in
                                        memberRate.withUnsafeBufferPointer { mr in
                                            channelRate.withUnsafeBufferPointer { cr in
                                              channelExecuted.withUnsafeMutableBufferPointer { ce in
                                                channelStart.withUnsafeBufferPointer { cs in
                                                    channelCount.withUnsafeBufferPointer { cn in
                                                        tree.withNodes { nd in
                                                            var v = ClassView(
                                                                store: st.baseAddress!, segStart: ss.baseAddress!, segSize: sz.baseAddress!,
                                                                memberCount: mc.baseAddress!, slotClass: sc.baseAddress!, slotPos: sp.baseAddress!,
                                                                capacities: cap.baseAddress!, inverseRates: inv.baseAddress!, memberRates: mr.baseAddress!,
                                                                channelRates: cr.baseAddress!, channelStarts: cs.baseAddress!, channelCounts: cn.baseAddress!,
                                                                channelExecuted: ce.baseAddress!, nodes: nd, treeSize: size, version: version)
                                                            let res = body(&v)
                                                            version = v.version
                                                            return res
                                                        }
                                                    }
                                                }
                                              }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        treeVersion = version
        return result
    }

    /// Choose an event from one uniform `u` ∈ [0,1): class by the tree, member by the remainder, and
    /// for a composite class the channel by the remainder within the member's rate (−1 for simple
    /// classes). Slot −1: the uniform fell into the class's capacity slack, a null event.
    /// Requires totalRate > 0. O(log C + channels).
    public func select(_ u: Double) -> (rateClass: Int32, slot: Int32, channel: Int32) {
        let (c, r) = locate(u)
        return resolve(c, r)
    }

    /// Class and remainder r ∈ [0, cap_c·w_c) that uniform `u` selects (reads only the tree, so
    /// the result stays valid while `treeVersion` is unchanged). O(log C).
    @inline(__always)
    public func locate(_ u: Double) -> (rateClass: Int, remainder: Double) {
        let (c, r) = tree.find(u * tree.total)
        return (c, r)
    }

    /// `locate` for a bounding total `scale` ≥ `totalRate` (thinning): u·scale beyond the tree's
    /// total is a null event, class −1. O(log C).
    @inline(__always)
    public func locate(_ u: Double, scale: Double) -> (rateClass: Int, remainder: Double) {
        let x = u * scale
        if x >= tree.total { return (-1, 0) }
        let (c, r) = tree.find(x)
        return (c, r)
    }

    /// `select` for a bounding total `scale` ≥ `totalRate`: class −1 and slot −1 beyond the tree's
    /// total (a null event). O(log C + channels).
    public func select(_ u: Double, scale: Double) -> (rateClass: Int32, slot: Int32, channel: Int32) {
        let (c, r) = locate(u, scale: scale)
        return c < 0 ? (-1, -1, -1) : resolve(c, r)
    }

    /// The event at remainder `r` of class `c` (see `select`). O(channels).
    @inline(__always)
    public func resolve(_ c: Int, _ r: Double) -> (rateClass: Int32, slot: Int32, channel: Int32) {
        let (slot, channel) = resolveMember(c, r)
        return (Int32(c), slot, channel)
    }

    /// Barrier (eV) and rate at the bounding temperature (s⁻¹, without reservoir factor) of the
    /// event chosen by `select`: the class's, or its channel's for a composite class.
    @inline(__always)
    public func chosen(_ c: Int, channel: Int32) -> (barrier_eV: Double, boundRate: Double) {
        if channel < 0 { return (classBarrier[c], classRate[c]) }
        let k = Int(channelStart[c]) + Int(channel)
        return (channelBarrier[k], channelRate[k])
    }

    /// Replace all membership (restart from a checkpoint): members in their saved order and the
    /// class capacities. The class list must already be the checkpoint's (`restoreClasses`).
    public mutating func restore(members saved: [[Int32]], capacities: [Int], reservoirs: [Int], kelvin: Double) throws {
        guard saved.count == info.count else { throw CheckpointError("checkpoint has \(saved.count) rate classes, the model has \(info.count)") }
        guard capacities.count == info.count, zip(capacities, saved).allSatisfy({ $0 >= $1.count }) else {
            throw CheckpointError("checkpoint class capacities are inconsistent with its member lists")
        }
        for i in slotClass.indices { slotClass[i] = -1; slotPos[i] = -1 }
        store = []; abandoned = 0
        for (c, list) in saved.enumerated() {
            segStart[c] = store.count; segSize[c] = list.count; memberCount[c] = list.count
            store.append(contentsOf: list)
        }
        for (c, list) in saved.enumerated() {
            for (p, s) in list.enumerated() {
                guard s >= 0, Int(s) < slotClass.count, slotClass[Int(s)] == -1 else { throw CheckpointError("checkpoint class lists are inconsistent at slot \(s)") }
                slotClass[Int(s)] = Int32(c); slotPos[Int(s)] = Int32(p)
            }
        }
        reservoirCount = reservoirs
        capacity = capacities
        setTemperature(kelvin)
    }
}

extension RateClassTable: ClassStorage {
    @inline(__always) func count(of c: Int) -> Int { memberCount[c] }
    @inline(__always) func segmentStart(_ c: Int) -> Int { segStart[c] }
    @inline(__always) func segmentSize(_ c: Int) -> Int { segSize[c] }
    @inline(__always) func entry(_ i: Int) -> Int32 { store[i] }
    @inline(__always) func capacity(of c: Int) -> Int { capacity[c] }
    @inline(__always) func memberRate(of c: Int) -> Double { memberRate[c] }
    @inline(__always) func inverseRate(of c: Int) -> Double { inverseRate[c] }
    @inline(__always) func channelStart(of c: Int) -> Int { Int(channelStart[c]) }
    @inline(__always) func channelCount(of c: Int) -> Int { Int(channelCount[c]) }
    @inline(__always) func rateOfChannel(_ k: Int) -> Double { channelRate[k] }
    @inline(__always) mutating func setCount(_ c: Int, _ n: Int) { memberCount[c] = n }
    @inline(__always) mutating func setEntry(_ i: Int, _ slot: Int32) { store[i] = slot }
    @inline(__always) mutating func setCapacity(_ c: Int, _ cap: Int) { capacity[c] = cap }
    @inline(__always) mutating func setSlot(_ s: Int, class c: Int32, position p: Int32) { slotClass[s] = c; slotPos[s] = p }
    @inline(__always) mutating func setPosition(_ s: Int, _ p: Int32) { slotPos[s] = p }
    /// Mark the class's tree leaf stale (`flush` rewrites it).
    @inline(__always) mutating func capacityWasReset(_ c: Int) {
        if !isStale[c] { isStale[c] = true; stale.append(Int32(c)) }
    }
}

extension RateClassTable {
    /// Extend the class list to a checkpoint's: the current classes must be its prefix (the model
    /// builds the same initial classes from the same input); the rest are appended in order.
    public mutating func restoreClasses(_ saved: [RateClassInfo]) throws {
        guard saved.count >= info.count, Array(saved.prefix(info.count)) == info else {
            throw CheckpointError("checkpoint rate classes do not match the model's (different parameters?)")
        }
        for c in saved.dropFirst(info.count) { _ = addClass(c) }
    }
}

