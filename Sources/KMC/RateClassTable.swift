// Rate classes: the rejection-free KMC bookkeeping.
//
// Every possible event lives in a "slot" (an integer id owned by the model: a site, or an edge of a
// neighbour table). An active slot belongs to exactly one rate class c = (event type × local
// environment key), all of whose members share one barrier E_c and attempt frequency ν_c, hence one
// rate k_c(T) = ν_c·exp(−E_c/k_BT) (× the count of a reservoir for reservoir-fed events).
// Classes keep flat member lists with a position index per slot, so insert and remove are O(1)
// (swap-remove). Class weights w_c = n_c·k_c sit in the leaves of a binary sum tree: total rate is
// the root, selection is a descent (O(log C)), a leaf update re-adds its ancestors from their
// children (O(log C)), so the tree's sums never accumulate rounding drift.
//
// Reference for the method: A. B. Bortz, M. H. Kalos, J. L. Lebowitz, J. Comput. Phys. 17, 10
// (1975), DOI 10.1016/0021-9991(75)90060-1 (class-grouped "n-fold way").

import CekmcCore

/// Which finite reservoir feeds a rate class (its rate is multiplied by the reservoir's count).
public enum ReservoirKind: UInt8, Sendable, Codable {
    /// Not reservoir-fed.
    case none = 0
    /// The donor Cu pool (Cu₂Se donors + substrate).
    case donorCu = 1
    /// The escaped-Cd pool.
    case escapedCd = 2
}

/// Static description of one rate class.
public struct RateClassInfo: Sendable, Equatable, Codable {
    /// Event type (model-defined raw value).
    public var eventType: UInt8
    /// Barrier E_c in eV.
    public var barrier_eV: Double
    /// Attempt frequency ν_c in s⁻¹.
    public var nu: Double
    /// Reservoir whose count multiplies the rate.
    public var reservoir: ReservoirKind
    public init(eventType: UInt8, barrier_eV: Double, nu: Double, reservoir: ReservoirKind = .none) {
        self.eventType = eventType
        self.barrier_eV = barrier_eV
        self.nu = nu
        self.reservoir = reservoir
    }
}

/// Binary sum tree over class weights (leaves at offset `size`). Value type.
public struct SumTree: Sendable, Equatable {
    /// Number of leaves (a power of two ≥ the number of classes).
    public private(set) var size: Int
    /// Nodes; node 1 is the root, leaves are `size ..< 2·size`.
    public private(set) var nodes: [Double]

    /// A tree of `count` zero leaves.
    public init(count: Int) {
        var s = 1
        while s < max(count, 1) { s <<= 1 }
        size = s
        nodes = [Double](repeating: 0, count: 2 * s)
    }

    /// Sum of all leaves.
    public var total: Double { nodes[1] }

    /// Weight of leaf `i`.
    public func weight(_ i: Int) -> Double { nodes[size + i] }

    /// Set leaf `i` to `w` and refresh its ancestors. O(log C).

    public mutating func set(_ i: Int, _ w: Double) {
        var k = size + i
        nodes[k] = w
        k >>= 1
        while k >= 1 {
            nodes[k] = nodes[2 * k] + nodes[2 * k + 1]
            k >>= 1
        }
    }

    /// Rebuild every internal node from the leaves. O(C).
    public mutating func rebuild() {
        var k = size - 1
        while k >= 1 { nodes[k] = nodes[2 * k] + nodes[2 * k + 1]; k -= 1 }
    }

    /// Leaf `i` with Σ_{j<i} w_j ≤ u < Σ_{j≤i} w_j, and the remainder u − Σ_{j<i} w_j.
    /// `u` must be in [0, total). Never returns a zero-weight leaf when total > 0. O(log C).

    public func find(_ u: Double) -> (leaf: Int, remainder: Double) {
        var k = 1
        var r = u
        while k < size {
            let l = nodes[2 * k]
            if r < l || !(nodes[2 * k + 1] > 0) {
                k = 2 * k
                if r >= l { r = l.nextDown }
            } else {
                r -= l
                k = 2 * k + 1
            }
        }
        return (k - size, max(r, 0))
    }
}

/// Class membership of all slots plus the sum tree of class rates at a bounding temperature.
public struct RateClassTable: Sendable {
    /// The classes (fixed at setup).
    public let info: [RateClassInfo]
    /// Members of each class, in insertion/swap-remove order (the order is part of the state).
    public internal(set) var members: [[Int32]]
    /// Class of each slot, −1 when the slot has no active event.
    public internal(set) var slotClass: [Int32]
    /// Position of each active slot in its class's member list.
    public internal(set) var slotPos: [Int32]
    /// Counts of the reservoirs (index = ReservoirKind raw value; index 0 unused, kept 1).
    public internal(set) var reservoirCount: [Int]
    /// Temperature (K) at which `classRate` was evaluated (the window's bounding temperature).
    public private(set) var boundKelvin: Double = 0
    /// ν_c exp(−E_c/k_B T_bound) per class, without the reservoir factor.
    public private(set) var classRate: [Double]
    /// classRate × reservoir count, the per-member rate used in the tree.
    public private(set) var memberRate: [Double]
    /// Sum tree of n_c · memberRate_c.
    public private(set) var tree: SumTree
    /// Classes whose tree leaf is stale (membership changed since the last `flush()`).
    var dirty: [Int32] = []
    var isDirty: [Bool]

    /// Empty table with `slotCount` slots and the given classes.
    public init(classes: [RateClassInfo], slotCount: Int) {
        info = classes
        members = Array(repeating: [], count: classes.count)
        slotClass = [Int32](repeating: -1, count: slotCount)
        slotPos = [Int32](repeating: -1, count: slotCount)
        reservoirCount = [1, 0, 0]
        classRate = [Double](repeating: 0, count: classes.count)
        memberRate = classRate
        tree = SumTree(count: classes.count)
        isDirty = [Bool](repeating: false, count: classes.count)
    }

    /// Bring the tree leaves of every class touched since the last flush up to date. Called by the
    /// engine after each event (a class touched several times costs one O(log C) update).
    public mutating func flush() {
        for c in dirty {
            let ci = Int(c)
            isDirty[ci] = false
            tree.set(ci, Double(members[ci].count) * memberRate[ci])
        }
        dirty.removeAll(keepingCapacity: true)
    }

    mutating func markDirty(_ ci: Int) {
        if !isDirty[ci] { isDirty[ci] = true; dirty.append(Int32(ci)) }
    }

    /// Number of classes.
    public var classCount: Int { info.count }
    /// Number of slots.
    public var slotCount: Int { slotClass.count }
    /// Total rate at the bounding temperature, s⁻¹ (after `flush()`).
    public var totalRate: Double { tree.total }
    /// Number of active events.
    public var activeCount: Int { members.reduce(0) { $0 + $1.count } }

    /// Evaluate all class rates at `kelvin` through `Arrhenius.rate` and rebuild the tree. O(C).
    public mutating func setTemperature(_ kelvin: Double) {
        flush()
        boundKelvin = kelvin
        for c in 0..<info.count {
            classRate[c] = Arrhenius.rate(nu: info[c].nu, barrier_eV: info[c].barrier_eV, kelvin: kelvin)
            memberRate[c] = classRate[c] * Double(reservoirCount[Int(info[c].reservoir.rawValue)])
            tree.set(c, Double(members[c].count) * memberRate[c])
        }
    }

    /// Set the count of reservoir `r` and refresh the classes it feeds. O(C_r log C).
    public mutating func setReservoir(_ r: ReservoirKind, count: Int) {
        precondition(r != .none && count >= 0)
        if reservoirCount[Int(r.rawValue)] == count { return }
        flush()
        reservoirCount[Int(r.rawValue)] = count
        for c in 0..<info.count where info[c].reservoir == r {
            memberRate[c] = classRate[c] * Double(count)
            tree.set(c, Double(members[c].count) * memberRate[c])
        }
    }

    /// Put `slot` in class `c` (−1: no event). No-op when unchanged. O(log C).

    public mutating func assign(_ slot: Int32, to c: Int32) {
        let old = slotClass[Int(slot)]
        if old == c { return }
        if old >= 0 { removeFrom(slot, old) }
        if c >= 0 {
            let ci = Int(c)
            slotClass[Int(slot)] = c
            slotPos[Int(slot)] = Int32(members[ci].count)
            members[ci].append(slot)
            markDirty(ci)
        }
    }

    @usableFromInline
    mutating func removeFrom(_ slot: Int32, _ c: Int32) {
        let ci = Int(c)
        let p = Int(slotPos[Int(slot)])
        let last = members[ci].removeLast()
        if last != slot {
            members[ci][p] = last
            slotPos[Int(last)] = Int32(p)
        }
        slotClass[Int(slot)] = -1
        slotPos[Int(slot)] = -1
        markDirty(ci)
    }

    /// Choose an event from one uniform `u` ∈ [0,1): class by the tree, member by the remainder.
    /// Requires totalRate > 0. O(log C).

    public func select(_ u: Double) -> (rateClass: Int32, slot: Int32) {
        let (c, r) = tree.find(u * tree.total)
        let n = members[c].count
        var m = Int(r / memberRate[c])
        if m >= n { m = n - 1 }
        return (Int32(c), members[c][m])
    }

    /// Replace all membership (restart from a checkpoint): members in their saved order.
    public mutating func restore(members saved: [[Int32]], reservoirs: [Int], kelvin: Double) throws {
        guard saved.count == info.count else { throw CheckpointError("checkpoint has \(saved.count) rate classes, the model has \(info.count)") }
        for i in slotClass.indices { slotClass[i] = -1; slotPos[i] = -1 }
        flush()
        members = saved
        for (c, list) in saved.enumerated() {
            for (p, s) in list.enumerated() {
                guard s >= 0, Int(s) < slotClass.count, slotClass[Int(s)] == -1 else { throw CheckpointError("checkpoint class lists are inconsistent at slot \(s)") }
                slotClass[Int(s)] = Int32(c); slotPos[Int(s)] = Int32(p)
            }
        }
        reservoirCount = reservoirs
        for c in 0..<info.count { markDirty(c) }
        setTemperature(kelvin)
    }
}

/// A checkpoint that cannot be read or does not match the model.
public struct CheckpointError: Error, CustomStringConvertible, Sendable {
    /// What is wrong.
    public var description: String
    public init(_ d: String) { description = d }
}
