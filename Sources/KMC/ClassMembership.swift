// Class membership and selection, written once: the algorithms below run on any `ClassStorage` —
// the rate-class table's arrays (`RateClassTable`, the general loop) and raw pointers to the same
// arrays (`ClassView`, the hop kernel). Both are value types the optimiser specialises the
// algorithms for, so the kernel pays no abstraction and the two paths cannot drift apart (the way
// swift-collections' `Heap` keeps its algorithms on its unsafe handle). See RateClassTable.swift
// for the method (member lists, capacities, sum tree).

/// Read and write access to the membership and selection data of the rate classes.
protocol ClassStorage {
    /// Members of class c, first entry of its segment, segment size.
    func count(of c: Int) -> Int
    func segmentStart(_ c: Int) -> Int
    func segmentSize(_ c: Int) -> Int
    /// Entry i of the flat member store.
    func entry(_ i: Int) -> Int32
    /// Capacity cap_c and the member rate w_c (s⁻¹) and its inverse.
    func capacity(of c: Int) -> Int
    func memberRate(of c: Int) -> Double
    func inverseRate(of c: Int) -> Double
    /// First channel and channel count of class c (0: a simple class); rate of flat channel k.
    func channelStart(of c: Int) -> Int
    func channelCount(of c: Int) -> Int
    func rateOfChannel(_ k: Int) -> Double
    mutating func setCount(_ c: Int, _ n: Int)
    mutating func setEntry(_ i: Int, _ slot: Int32)
    mutating func setCapacity(_ c: Int, _ cap: Int)
    /// Record that slot s is in class c at position p (−1, −1: in none); or only its position.
    mutating func setSlot(_ s: Int, class c: Int32, position p: Int32)
    mutating func setPosition(_ s: Int, _ p: Int32)
    /// Class c's capacity was reset: its tree leaf must be rewritten before the next selection.
    mutating func capacityWasReset(_ c: Int)
}

/// Capacity slack s(n) = ⌊n/128⌋ (RateClassTable.swift header).
@inline(__always) func capacitySlack(_ n: Int) -> Int { n >> 7 }

extension ClassStorage {
    /// Member index of remainder `r` in class `c` (≥ n_c: a null event).
    @inline(__always) func memberIndex(_ c: Int, _ r: Double) -> Int { Int(r * inverseRate(of: c)) }

    /// The event at remainder `r` of class `c`: (slot, channel), slot −1 for a null event (the
    /// capacity slack), channel −1 for a simple class. O(channels).
    @inline(__always) func resolveMember(_ c: Int, _ r: Double) -> (slot: Int32, channel: Int32) {
        let n = count(of: c)
        var m = memberIndex(c, r)
        if m >= n {
            // Rounding at the top end of a class without slack stays on its last member.
            if n > 0 && m >= capacity(of: c) { m = n - 1 } else { return (-1, -1) }
        }
        return (entry(segmentStart(c) + m), Int32(channel(c, m, r)))
    }

    /// The channel of member m of class c for remainder r, −1 for a simple class.
    @inline(__always) func channel(_ c: Int, _ m: Int, _ r: Double) -> Int {
        let k = channelCount(of: c)
        if k == 0 { return -1 }
        let s0 = channelStart(of: c)
        // Remainder within this member, in units of its (unscaled) rate.
        return channelOf(r - Double(m) * memberRate(of: c), count: k) { rateOfChannel(s0 + $0) }
    }

    /// After class c's count became n: reset its capacity to n + s(n) when n left the band
    /// [cap − 2s(n), cap] (and report it through `capacityWasReset`). O(1).
    @inline(__always) mutating func countChanged(_ c: Int, _ n: Int) {
        let cap = capacity(of: c)
        if n > cap || cap > n + 2 * capacitySlack(n) {
            setCapacity(c, n + capacitySlack(n))
            capacityWasReset(c)
        }
    }

    /// Swap-remove `slot` from class `c`, where it sits at position `p`. O(1).
    @inline(__always) mutating func removeMember(_ slot: Int32, from c: Int, at p: Int) {
        let n = count(of: c) - 1
        let base = segmentStart(c)
        let last = entry(base + n)
        setCount(c, n)
        if last != slot {
            setEntry(base + p, last)
            setPosition(Int(last), Int32(p))
        }
        setSlot(Int(slot), class: -1, position: -1)
        countChanged(c, n)
    }

    /// Append `slot` to class `c`, whose segment has room. O(1).
    @inline(__always) mutating func appendMember(_ slot: Int32, to c: Int) {
        let n = count(of: c)
        assert(n < segmentSize(c))
        setSlot(Int(slot), class: Int32(c), position: Int32(n))
        setEntry(segmentStart(c) + n, slot)
        setCount(c, n + 1)
        countChanged(c, n + 1)
    }
}

/// The channel of remainder `x` (in units of a member's unscaled rate) among `k` ≥ 1 channels of
/// rates `rate(0) … rate(k − 1)`.
@inline(__always)
func channelOf(_ x: Double, count k: Int, rate: (Int) -> Double) -> Int {
    // The first d with x − Σ_{d' ≤ d} rate(d') < 0, else k − 1. Rates are ≥ 0, so the partial
    // differences never increase: once negative they stay so, and the answer is the number of
    // non-negative ones — counted without a data-dependent branch (the channel is random).
    var x = x
    var ch = 0
    for d in 0..<(k - 1) {
        x -= rate(d)
        ch &+= x < 0 ? 0 : 1
    }
    // A zero-rate channel can only be chosen through rounding; step back to a live one.
    while ch > 0 && !(rate(ch) > 0) { ch -= 1 }
    return ch
}

/// Raw views of the rate-class table's selection and membership arrays (valid only inside
/// `RateClassTable.withClassView`): the hop kernel's `ClassStorage`.
struct ClassView: ClassStorage {
    let store: UnsafeMutablePointer<Int32>
    let segStart: UnsafePointer<Int>
    let segSize: UnsafePointer<Int>
    let memberCount: UnsafeMutablePointer<Int>
    let slotClass: UnsafeMutablePointer<Int32>
    let slotPos: UnsafeMutablePointer<Int32>
    let capacities: UnsafeMutablePointer<Int>
    let inverseRates: UnsafePointer<Double>
    let memberRates: UnsafePointer<Double>
    let channelRates: UnsafePointer<Double>
    let channelStarts: UnsafePointer<Int32>
    let channelCounts: UnsafePointer<Int32>
    /// `RateClassTable.channelExecuted` (the kernel counts its hops there).
    let channelExecuted: UnsafeMutablePointer<UInt64>
    let nodes: UnsafeMutablePointer<Double>
    let treeSize: Int
    /// `RateClassTable.treeVersion`, bumped with every tree change.
    var version: UInt64
    /// Classes whose capacity was reset (tree leaf stale) by the current event, at most two.
    var stale0: Int32 = -1, stale1: Int32 = -1, staleCount = 0

    @inline(__always) func count(of c: Int) -> Int { memberCount[c] }
    @inline(__always) func segmentStart(_ c: Int) -> Int { segStart[c] }
    @inline(__always) func segmentSize(_ c: Int) -> Int { segSize[c] }
    @inline(__always) func entry(_ i: Int) -> Int32 { store[i] }
    @inline(__always) func capacity(of c: Int) -> Int { capacities[c] }
    @inline(__always) func memberRate(of c: Int) -> Double { memberRates[c] }
    @inline(__always) func inverseRate(of c: Int) -> Double { inverseRates[c] }
    @inline(__always) func channelStart(of c: Int) -> Int { Int(channelStarts[c]) }
    @inline(__always) func channelCount(of c: Int) -> Int { Int(channelCounts[c]) }
    @inline(__always) func rateOfChannel(_ k: Int) -> Double { channelRates[k] }
    @inline(__always) mutating func setCount(_ c: Int, _ n: Int) { memberCount[c] = n }
    @inline(__always) mutating func setEntry(_ i: Int, _ slot: Int32) { store[i] = slot }
    @inline(__always) mutating func setCapacity(_ c: Int, _ cap: Int) { capacities[c] = cap }
    @inline(__always) mutating func setSlot(_ s: Int, class c: Int32, position p: Int32) { slotClass[s] = c; slotPos[s] = p }
    @inline(__always) mutating func setPosition(_ s: Int, _ p: Int32) { slotPos[s] = p }
    @inline(__always) mutating func capacityWasReset(_ c: Int) {
        if staleCount == 0 { stale0 = Int32(c); staleCount = 1 } else if stale0 != Int32(c) { stale1 = Int32(c); staleCount = 2 }
    }

    /// Total rate of the tree, Σ cap_c·w_c.
    @inline(__always) var total: Double { nodes[1] }

    /// Rewrite the stale leaves (cap_c·w_c) and their ancestors (`RateClassTable.flush`).
    @inline(__always) mutating func flush() {
        for k in 0..<staleCount {
            let c = Int(k == 0 ? stale0 : stale1)
            SumTree.update(nodes, treeSize, c, Double(capacities[c]) * memberRates[c])
        }
        staleCount = 0; stale0 = -1; stale1 = -1
        version &+= 1
    }

    /// Move an atom slot at position `p` of class `old` (≥ 0) to `c` (the kernel knows the
    /// position: it selected the slot there, so `slotPos` is not read; the kernel checked that
    /// c's segment has room).
    @inline(__always) mutating func move(_ slot: Int32, at p: Int, from old: Int, to c: Int32) {
        assert(Int(slotPos[Int(slot)]) == p && Int(slotClass[Int(slot)]) == old)
        removeMember(slot, from: old, at: p)
        if c >= 0 { appendMember(slot, to: Int(c)) }
    }
}
