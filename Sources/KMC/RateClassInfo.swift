// Rate-class descriptions, the reservoirs that feed classes, and the binary sum tree of class
// weights (RateClassTable.swift has the method).

/// Which reservoir feeds a rate class: a reservoir of fixed chemical potential with a finite
/// inventory, so the class has its rate while the inventory is > 0 and none when it is spent.
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
    /// Barrier E_c in eV (composite class: the highest channel barrier, used to size ramp windows).
    public var barrier_eV: Double
    /// Attempt frequency ν_c in s⁻¹.
    public var nu: Double
    /// Reservoir whose inventory must be > 0 for the class to have its rate.
    public var reservoir: ReservoirKind
    /// Channel barriers in eV of a composite class (empty: a simple class with one event per member).
    public var channels: [Double]
    /// Per channel of a composite class: the sign of its energy change ΔE (−1 downhill, 0 level,
    /// +1 uphill); the acceleration's partial-equilibrium test counts downhill against uphill hops.
    public var channelSigns: [Int8]
    public init(eventType: UInt8, barrier_eV: Double, nu: Double, reservoir: ReservoirKind = .none) {
        self.eventType = eventType
        self.barrier_eV = barrier_eV
        self.nu = nu
        self.reservoir = reservoir
        self.channels = []
        self.channelSigns = []
    }
    /// A composite class: each member carries one event per channel, with the channel barriers (eV).
    public init(eventType: UInt8, channels: [Double], signs: [Int8]? = nil, nu: Double) {
        precondition(signs == nil || signs!.count == channels.count)
        self.eventType = eventType
        self.barrier_eV = channels.max() ?? 0
        self.nu = nu
        self.reservoir = .none
        self.channels = channels
        self.channelSigns = signs ?? [Int8](repeating: 0, count: channels.count)
    }
    enum CodingKeys: String, CodingKey { case eventType, barrier_eV, nu, reservoir, channels, channelSigns }
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        eventType = try c.decode(UInt8.self, forKey: .eventType)
        barrier_eV = try c.decode(Double.self, forKey: .barrier_eV)
        nu = try c.decode(Double.self, forKey: .nu)
        reservoir = try c.decode(ReservoirKind.self, forKey: .reservoir)
        channels = try c.decodeIfPresent([Double].self, forKey: .channels) ?? []
        channelSigns = try c.decodeIfPresent([Int8].self, forKey: .channelSigns) ?? [Int8](repeating: 0, count: channels.count)
        guard channelSigns.count == channels.count else {
            throw DecodingError.dataCorruptedError(forKey: .channelSigns, in: c, debugDescription: "one sign per channel")
        }
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
        let s = size
        nodes.withUnsafeMutableBufferPointer { SumTree.update($0.baseAddress!, s, i, w) }
    }

    /// `set` on raw node storage of a tree with `size` leaves (shared with the hop kernel's
    /// `ClassView.flush`): leaf i = w, its ancestors re-added from their children.
    @inline(__always)
    static func update(_ nodes: UnsafeMutablePointer<Double>, _ size: Int, _ i: Int, _ w: Double) {
        var k = size + i
        nodes[k] = w
        k >>= 1
        while k >= 1 {
            nodes[k] = nodes[2 * k] + nodes[2 * k + 1]
            k >>= 1
        }
    }

    /// Run `body` on the node storage (the hop kernel's tree updates; `ClassView`). No pointer
    /// outlives the call.
    mutating func withNodes<R>(_ body: (UnsafeMutablePointer<Double>) -> R) -> R {
        nodes.withUnsafeMutableBufferPointer { body($0.baseAddress!) }
    }

    /// Rebuild every internal node from the leaves. O(C).
    public mutating func rebuild() {
        var k = size - 1
        while k >= 1 { nodes[k] = nodes[2 * k] + nodes[2 * k + 1]; k -= 1 }
    }

    /// Leaf `i` with Σ_{j<i} w_j ≤ u < Σ_{j≤i} w_j, and the remainder u − Σ_{j<i} w_j.
    /// `u` must be in [0, total). Never returns a zero-weight leaf when total > 0. O(log C).
    public func find(_ u: Double) -> (leaf: Int, remainder: Double) {
        nodes.withUnsafeBufferPointer { Self.descend($0.baseAddress!, size, u) }
    }

    /// `find` on raw node storage of a tree with `size` leaves (shared with the hop kernel's
    /// `ClassView.locate`, so both select identically).
    @inline(__always)
    static func descend(_ nodes: UnsafePointer<Double>, _ size: Int, _ u: Double) -> (leaf: Int, remainder: Double) {
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

/// A checkpoint that cannot be read or does not match the model.
public struct CheckpointError: Error, CustomStringConvertible, Sendable {
    /// What is wrong.
    public var description: String
    public init(_ d: String) { description = d }
}
