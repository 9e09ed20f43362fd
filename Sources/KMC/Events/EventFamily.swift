// Event families: what one reversible kind of event is, declared in one place.
//
// A family is a type (one file in this folder, one line in `EventCatalog`) that declares:
//   * its input key (`[model.events] <key>`, `[model.rate_scale] <key>`) and its parameters
//     (`ParameterSpec`: key, unit, default per phase, source, range);
//   * the kind of slot its events live in (`SlotKind`: a shell site, a surface interstitial, a
//     shell–shell, shell–interstitial or interstitial–cation edge, or a mobile atom);
//   * its directions (`EventDirection`): the occupants of the slot's endpoints before and after,
//     and the reservoir the event draws from or feeds. The model applies a direction to the slot
//     whose endpoints hold its `before` occupants; performing it writes `after` and moves one atom
//     between the reservoir and the lattice. The reverse direction's `before` is the forward's
//     `after` (checked by `EventCatalog.check`);
//   * its key space (`KeySpace`): the named integer fields, with radices, that its barrier depends
//     on. The same definition enumerates the classes at setup (`KeySpace.fields(of:)`) and encodes
//     a slot's key during the run (`KeySpace.index(of:)`); a field out of its radix is an error;
//   * its energetics: for each direction and key, the energy change ΔE and the midpoint barrier
//     E_mid; the forward barrier follows from the one BEP rule (`Energetics.forwardBarrier`);
//   * what it reads (`Counters`): which neighbour counters its keys use. The model derives from
//     these declarations which counters it keeps, which slots an occupancy change refreshes, and
//     which hops have side effects the hop kernel must hand to the general loop (`RefreshPlan`).
//
// Barrier law (shared by every family): each event pair has a nominal forward direction and a
// reference barrier E_ref with energy change ΔE_ref in its reference environment. With the local
// energy change ΔE of the actual environment and E_mid = E_ref − ΔE_ref/2,
//   E_fwd = max(E_mid + ΔE/2, ΔE, 0),   E_rev = E_fwd − ΔE = max(E_mid − ΔE/2, −ΔE, 0),
// so the reverse event computed from its own state gives the same pair, E_fwd − E_rev = ΔE and
// k_f/k_r = exp(−ΔE/k_BT) (Brønsted–Evans–Polanyi with slope ½, clamped symmetrically).

import CekmcCore

/// Where the events of a family live (the model's slot spaces).
public enum SlotKind: Sendable, CaseIterable {
    /// A shell site (one endpoint).
    case shellSite
    /// A surface interstitial site (one endpoint).
    case surfaceSite
    /// A directed shell–shell edge (source, target).
    case shellShell
    /// A shell–interstitial edge (shell site, interstitial).
    case shellInterstitial
    /// An interstitial–cation edge (interstitial, cation).
    case interstitialCation
    /// A mobile interstitial atom; its channels are the hops along its site's hop row (source
    /// site, target site). Atom families are composite classes (`RateClassTable`).
    case atom

    /// Whether the slot has two endpoints.
    public var isEdge: Bool { self != .shellSite && self != .surfaceSite }
    /// Whether the interstitial endpoint is always a surface interstitial (a hop there has
    /// side effects only when it starts or ends at the surface).
    var interstitialIsSurface: Bool { self == .surfaceSite || self == .shellInterstitial }
}

/// Neighbour counters the model keeps per site; a family reads some of them in its keys.
public struct Counters: OptionSet, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    /// Cu / Cd on the nearest-neighbour cation sites of a cation.
    public static let cationNeighbours = Counters(rawValue: 1)
    /// Cu on the tetrahedral interstitials next to a cation.
    public static let tetraCu = Counters(rawValue: 2)
    /// Cu on the cation sites around an interstitial (m).
    public static let interstitialCu = Counters(rawValue: 4)
    /// Vacant cation sites next to a shell site.
    public static let shellVacancies = Counters(rawValue: 8)
    /// Cu on the shell sites next to a cation.
    public static let shellCu = Counters(rawValue: 16)
}

/// One direction of a family: endpoint occupants before and after, and its reservoir.
public struct EventDirection: Sendable {
    /// Name of the event type in outputs (`summary.json` event counts).
    public var name: String
    /// Occupants of the endpoints (site slots: the second is ignored) before and after.
    public var before: (Occupant, Occupant)
    public var after: (Occupant, Occupant)
    /// Reservoir exchanged with (`.none`: none) and the change of its count.
    public var reservoir: ReservoirKind
    public var reservoirChange: Int
    public init(_ name: String, before: (Occupant, Occupant), after: (Occupant, Occupant),
                reservoir: ReservoirKind = .none, reservoirChange: Int = 0) {
        self.name = name; self.before = before; self.after = after
        self.reservoir = reservoir; self.reservoirChange = reservoirChange
    }
    /// A site event (one endpoint).
    public static func site(_ name: String, _ from: Occupant, _ to: Occupant,
                            reservoir: ReservoirKind = .none, reservoirChange: Int = 0) -> EventDirection {
        EventDirection(name, before: (from, .empty), after: (to, .empty), reservoir: reservoir, reservoirChange: reservoirChange)
    }
    /// An edge event moving the occupant of `before.0` and `before.1` to the other endpoint.
    public static func edge(_ name: String, _ a: Occupant, _ b: Occupant) -> EventDirection {
        EventDirection(name, before: (a, b), after: (b, a))
    }
}

/// Coordination numbers of the lattice: the ranges of the counters (key radices derive from them).
public struct LatticeRadices: Sendable, Equatable {
    /// Most cation neighbours of any interstitial (the range of m).
    public var cationsPerInterstitial: Int
    /// Cation neighbours of a tetrahedral / octahedral interstitial (Cu₂Se fraction m/z).
    public var cationsPerTetra: Int, cationsPerOcta: Int
    /// Most nearest-neighbour cations of a cation.
    public var cationNeighbours: Int
    /// Most tetrahedral interstitials next to a cation.
    public var tetraPerCation: Int
    /// Most cation sites next to a shell site.
    public var cationsPerShell: Int
    /// Most shell sites next to a cation.
    public var shellPerCation: Int

    /// Cation neighbours of an interstitial of kind index `k` (0 tetra, 1 octa).
    @inline(__always) public func cations(aroundKind k: Int) -> Double {
        Double(k == 0 ? cationsPerTetra : cationsPerOcta)
    }
}

extension KeyFields {
    /// The key after an interstitial–cation event that moves the interstitial's Cu onto the cation
    /// (direction 0) or back (direction 1): m of the interstitial ±1, and the cation's Cu tetra
    /// count ∓1 when the interstitial is a tetra hole (kind index 0). Kick-off and Cu vacancy fill.
    static func afterCuMovesOntoCation(_ f: KeyFields, direction: Int, kind: Int, interstitialCu: Int, tetraCu: Int) -> KeyFields {
        var r = f
        let s = direction == 0 ? 1 : -1, isT = f[kind] == 0 ? 1 : 0
        r[interstitialCu] = f[interstitialCu] + s
        r[tetraCu] = f[tetraCu] - s * isT
        return r
    }
}

/// Up to eight integer key fields (the values of a family's key space, in field order).
public struct KeyFields: Sendable, Equatable {
    var values = SIMD8<Int32>()
    public init() {}
    /// Field `i` (the raw value of the family's field enum).
    @inline(__always) public subscript(_ i: Int) -> Int {
        get { Int(values[i]) }
        set { values[i] = Int32(truncatingIfNeeded: newValue) }
    }
    /// Field `f` of a family's field enum.
    @inline(__always) public subscript<F: RawRepresentable>(_ f: F) -> Int where F.RawValue == Int {
        get { self[f.rawValue] }
        set { self[f.rawValue] = newValue }
    }
}

/// Mixed-radix encoding of key fields (first field most significant): one definition for
/// enumerating a family's classes and for encoding a slot's key.
public struct KeySpace: Sendable, Equatable {
    /// Field names (for messages and docs) and radices.
    public let names: [String]
    public let radices: [Int]
    /// Place values, in a trivial value the hot path can copy freely.
    public let strides: KeyStrides
    /// Number of keys (product of the radices).
    public let size: Int

    /// The key space of a family's field enum `F`, with `radix(f)` for each field (an exhaustive
    /// switch over `F`, so no field can be left without one).
    public init<F: CaseIterable & RawRepresentable>(_: F.Type, radix: (F) -> Int) where F.RawValue == Int {
        let fields = Array(F.allCases)
        precondition(fields.count <= 8 && fields.enumerated().allSatisfy { $0.offset == $0.element.rawValue },
                     "key fields must be 0, 1, 2, … (at most 8)")
        names = fields.map { String(describing: $0) }
        radices = fields.map { radix($0) }
        precondition(radices.allSatisfy { $0 >= 1 })
        var s = SIMD8<Int32>(), r = SIMD8<Int32>(repeating: 1), place = 1
        for i in stride(from: fields.count - 1, through: 0, by: -1) {
            s[i] = Int32(place); r[i] = Int32(radices[i]); place *= radices[i]
        }
        strides = KeyStrides(place: s, radix: r)
        size = place
    }

    /// Fields of key `index` (0 ..< size).
    public func fields(of index: Int) -> KeyFields {
        var f = KeyFields(), r = index
        for i in stride(from: radices.count - 1, through: 0, by: -1) { f[i] = r % radices[i]; r /= radices[i] }
        return f
    }
}

/// Place values and radices of a key space (fields beyond the space: place 0, radix 1).
public struct KeyStrides: Sendable, Equatable {
    var place: SIMD8<Int32>
    var radix: SIMD8<Int32>
    /// Index of `f`; every field must lie in [0, radix) (checked in debug builds and by
    /// `ExchangeModel.verifyIncremental`).
    @inline(__always) public func index(of f: KeyFields) -> Int {
        assert(contains(f), "key field out of its radix: \(f.values) vs \(radix)")
        return Int((f.values &* place).wrappedSum())
    }
    /// Whether every field of `f` lies in its range.
    public func contains(_ f: KeyFields) -> Bool {
        all(f.values .>= 0) && all(f.values .< radix)
    }
}

/// Energy change ΔE and midpoint barrier E_mid of one direction of an event (eV).
public struct Energetics: Sendable, Equatable {
    public var mid: Double
    public var deltaE: Double
    public init(mid: Double, deltaE: Double) { self.mid = mid; self.deltaE = deltaE }
    /// The reverse direction: same midpoint, opposite ΔE.
    public var reversed: Energetics { Energetics(mid: mid, deltaE: -deltaE) }
    /// The forward barrier of the BEP rule (file header): max(E_mid + ΔE/2, ΔE, 0), eV.
    public var forwardBarrier: Double { Energetics.forwardBarrier(mid: mid, deltaE: deltaE) }
    /// The BEP rule on its own.
    @inline(__always) public static func forwardBarrier(mid: Double, deltaE dE: Double) -> Double {
        max(mid + dE / 2, dE, 0)
    }
}

/// The endpoints of a site or edge slot and the model state to read counters from.
public struct SlotEndpoints {
    /// First endpoint (the site of a site slot; an edge's source).
    public let a: Int
    /// Second endpoint (−1 for a site slot).
    public let b: Int
}

/// One hop channel of a mobile atom: kind index (0 tetra, 1 octa) and m (Cu cations around) of
/// the source and target interstitials.
public struct HopChannel: Sendable {
    public var sourceKind: Int, targetKind: Int, sourceCu: Int, targetCu: Int
}

/// The wire's size as the rate prefactors see it.
public struct WireScale: Sendable, Equatable {
    /// Length along the axis, nm (the extent of the wire's sites).
    public var length_nm: Double
    /// Number of shell sites.
    public var shellSites: Int
    public init(length_nm: Double, shellSites: Int) { self.length_nm = length_nm; self.shellSites = shellSites }
}

/// A reversible kind of event (file header). Static: a family holds no state.
public protocol ExchangeEventFamily {
    /// Input key of the family (`[model.events]`, `[model.rate_scale]`).
    static var key: String { get }
    /// One line: what the events are (docs, `--help`).
    static var summary: String { get }
    /// Whether the family is on when the input does not say.
    static var enabledByDefault: Bool { get }
    /// Its parameters (barriers of the pair; energies shared by all families are in `SiteEnergies`).
    static var parameters: [ParameterSpec] { get }
    /// Where its events live.
    static var slot: SlotKind { get }
    /// Its directions, forward first (one direction: the event is its own reverse on the reverse
    /// slot, a shell hop or an interstitial hop).
    static var directions: [EventDirection] { get }
    /// Counters its keys read.
    static var reads: Counters { get }
    /// Attempt frequency of both directions, s⁻¹ (provided: ν × the family's rate scale).
    static func attemptFrequency(_ p: ExchangeParameters, _ w: WireScale) -> Double
    /// Its key space for a lattice's coordination numbers (the same for every direction).
    static func keySpace(_ z: LatticeRadices) -> KeySpace
    /// ΔE and E_mid of direction `direction` for key fields `f`.
    static func energetics(direction: Int, _ f: KeyFields, _ p: ExchangeParameters, _ z: LatticeRadices) -> Energetics
    /// Key fields of direction `direction` on a site or edge slot with endpoints `s` (the model's
    /// counters are current; `inout` only so that it is read in place, never written). Atom families
    /// use `fields(channel:)` instead.
    static func fields(direction: Int, _ s: SlotEndpoints, _ m: inout ExchangeModel) -> KeyFields
    /// Key fields of a hop channel (atom families).
    static func fields(channel: HopChannel) -> KeyFields
    /// Key fields of the reverse event (direction 1 − `direction`, or the same direction for a
    /// one-direction family) on its slot right after direction `direction` with key `f` was
    /// performed. Pairs the classes of the two directions (`RateDispatch.pairGroup`: rate scaling
    /// shares one factor per pair, so detailed balance holds); checked against the model by the
    /// detailed-balance test.
    static func reverseFields(direction: Int, _ f: KeyFields) -> KeyFields
    /// Encoded key of direction `direction` on slot `s` (provided: `k.index(of: fields(…))`; a
    /// requirement so the model's call through the catalog reaches the family's specialised code;
    /// `inout` so that the model is read in place rather than copied into the existential call).
    static func keyIndex(direction: Int, _ s: SlotEndpoints, _ m: inout ExchangeModel, _ k: KeyStrides) -> Int
}

extension ExchangeEventFamily {
    public static var enabledByDefault: Bool { true }
    public static func attemptFrequency(_ p: ExchangeParameters, _ w: WireScale) -> Double { p.nu(EventFamily(key)) }
    public static func fields(direction: Int, _ s: SlotEndpoints, _ m: inout ExchangeModel) -> KeyFields {
        preconditionFailure("\(key): an atom family has no site or edge slots")
    }
    public static func fields(channel: HopChannel) -> KeyFields {
        preconditionFailure("\(key): not an atom family")
    }
    @inline(__always)
    public static func keyIndex(direction: Int, _ s: SlotEndpoints, _ m: inout ExchangeModel, _ k: KeyStrides) -> Int {
        k.index(of: fields(direction: direction, s, &m))
    }
}
