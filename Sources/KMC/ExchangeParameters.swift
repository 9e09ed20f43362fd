// Parameters of the Cu→Cd exchange model: one value per declared parameter (`ParameterSpec`:
// the event families' barriers in `Events/`, the site energies in `Events/SiteEnergies.swift`),
// the event switches and the rate scales. Units are in the keys. Every default carries its source.

import CekmcCore

/// One model parameter: its input key (`[model] <key>`, unit in the name), default per phase,
/// source, allowed range and the one-line description the effective input prints.
public struct ParameterSpec: Sendable {
    /// Input key under `[model]` (unit suffix included: `penetration_eV`).
    public var key: String
    /// Unit as printed (`eV`, `THz`).
    public var unit: String
    /// One-line description (printed in the effective input).
    public var doc: String
    /// Where the default comes from (docs).
    public var source: String
    /// Allowed range.
    public var range: ClosedRange<Double>
    /// Position in the `[model]` table of the effective input (ascending).
    public var listing: Int
    /// A barrier (validated finite and ≥ 0).
    public var isBarrier: Bool
    /// A count (read as a TOML integer, validated whole).
    public var isInteger = false
    /// Default: the value in a barrier table for a phase (the paper's table by default, a barrier
    /// file's when `[model] barrier_file` is given) …
    public var fromTable: (@Sendable (BarrierTable, Phase) -> Double)?
    /// … or a fixed value (per phase when `byPhase` is set).
    public var fixed: Double
    public var byPhase: (wz: Double, zb: Double)?

    /// A parameter with a fixed default.
    public init(_ key: String, unit: String = "eV", default value: Double, range: ClosedRange<Double>,
                listing: Int, barrier: Bool = false, integer: Bool = false, doc: String, source: String) {
        self.key = key; self.unit = unit; self.doc = doc; self.source = source; self.range = range
        self.listing = listing; self.isBarrier = barrier; self.isInteger = integer; self.fromTable = nil; self.fixed = value
    }
    /// A parameter with a fixed default per phase.
    public init(_ key: String, unit: String = "eV", wz: Double, zb: Double, range: ClosedRange<Double>,
                listing: Int, barrier: Bool = false, doc: String, source: String) {
        self.init(key, unit: unit, default: zb, range: range, listing: listing, barrier: barrier, doc: doc, source: source)
        byPhase = (wz, zb)
    }
    /// A parameter whose default is read from a barrier table.
    public init(_ key: String, unit: String = "eV", table: @escaping @Sendable (BarrierTable, Phase) -> Double,
                range: ClosedRange<Double>, listing: Int, barrier: Bool = true, doc: String, source: String) {
        self.key = key; self.unit = unit; self.doc = doc; self.source = source; self.range = range
        self.listing = listing; self.isBarrier = barrier; self.fromTable = table; self.fixed = 0
    }
    /// The default for `phase` with barrier table `table`.
    public func value(_ table: BarrierTable, _ phase: Phase) -> Double {
        if let t = fromTable { return t(table, phase) }
        if let b = byPhase { return phase == .wz ? b.wz : b.zb }
        return fixed
    }
}

/// The input key of an event family (`[model.events] <key>`), the identity of its switch and rate
/// scale. The known families are `EventCatalog.families`.
public struct EventFamily: RawRepresentable, Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ key: String) { rawValue = key }
    /// Every family of the catalog, in catalog order.
    public static var allCases: [EventFamily] { EventCatalog.families.map { EventFamily($0.key) } }
    public var description: String { rawValue }
    public static func < (a: EventFamily, b: EventFamily) -> Bool { a.catalogIndex < b.catalogIndex }
    /// Position in the catalog (−1: unknown).
    var catalogIndex: Int { EventCatalog.families.firstIndex { $0.key == rawValue } ?? -1 }
    public init(from decoder: Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
    public func encode(to encoder: Encoder) throws { var c = encoder.singleValueContainer(); try c.encode(rawValue) }
}

/// All parameters of the exchange model for one host phase.
public struct ExchangeParameters: Sendable, Codable, Equatable {
    /// Values by key (every `EventCatalog.parameters` key).
    public var values: [String: Double]
    /// Event families switched on.
    public var enabled: Set<EventFamily>
    /// Rate scale per family (multiplies ν of both directions of the pair, so detailed balance and
    /// the equilibrium are untouched): 1 = physical. Values < 1 slow down fast quasi-equilibrated
    /// families — the static form of the rate scaling of Dybeck, Plaisance & Neurock, JCTC 13, 1525
    /// (2017), DOI 10.1021/acs.jctc.6b00859. For `supply` it also sets the donor pool's attempt rate.
    public var rateScale: [EventFamily: Double] = [:]

    /// The value of parameter `key` (a key of `EventCatalog.parameters`).
    public subscript(key: String) -> Double {
        get {
            guard let v = values[key] else { preconditionFailure("unknown model parameter \(key)") }
            return v
        }
        set {
            precondition(values[key] != nil, "unknown model parameter \(key)")
            values[key] = newValue
        }
    }

    /// ν of `family` in s⁻¹ (ν × its rate scale).
    public func nu(_ family: EventFamily) -> Double { nu * (rateScale[family] ?? 1) }

    /// Defaults for `phase`: every declared parameter's default (Table 1 barriers of Casu et al.
    /// 2023, DOI 10.1021/acsnano.3c03049, ν = 1.9 THz, and the model choices of docs/model.md), and
    /// the families that are on by default.
    public static func defaults(_ phase: Phase) -> ExchangeParameters {
        var v: [String: Double] = [:]
        for s in EventCatalog.parameters { v[s.key] = s.value(.paper, phase) }
        return ExchangeParameters(values: v, enabled: Set(EventCatalog.families.filter { $0.enabledByDefault }.map { EventFamily($0.key) }))
    }

    /// Take every table-derived parameter from `table` (a barrier file) for `phase`.
    public mutating func adopt(_ table: BarrierTable, phase: Phase) {
        for s in EventCatalog.parameters where s.fromTable != nil { values[s.key] = s.value(table, phase) }
    }

    /// Attempt frequency ν, THz (paper: quadratic fit of the Cu potential well, 1.9 THz).
    public var attemptFrequency_THz: Double {
        get { self["attempt_frequency_THz"] }
        set { self["attempt_frequency_THz"] = newValue }
    }

    /// Attempt frequency in s⁻¹.
    public var nu: Double { Units.perSecond(THz: attemptFrequency_THz) }

    /// Throw when a value is out of its physical range.
    public func validate() throws {
        for s in EventCatalog.parameters {
            guard let v = values[s.key] else { throw ModelError("model parameter \(s.key) is missing") }
            if s.isBarrier && !(v.isFinite && v >= 0) {
                throw ModelError("model parameter \(s.key) must be a finite barrier ≥ 0 eV, got \(v)")
            }
            if s.isInteger && !(s.range.contains(v) && v == v.rounded()) {
                throw ModelError("model parameter \(s.key) must be a whole number in \(s.range), got \(v)")
            }
        }
        for k in values.keys where !EventCatalog.parameters.contains(where: { $0.key == k }) {
            throw ModelError("model parameter \(k) is not a parameter of any event family")
        }
        for f in enabled.union(rateScale.keys) where f.catalogIndex < 0 {
            throw ModelError("event family \(f.rawValue) is not in the catalog")
        }
        for (f, v) in rateScale where !(v.isFinite && v > 0) {
            throw ModelError("model parameter rate_scale.\(f.rawValue) must be > 0, got \(v)")
        }
        guard attemptFrequency_THz.isFinite && attemptFrequency_THz > 0 else {
            throw ModelError("model parameter attempt_frequency_THz must be > 0, got \(attemptFrequency_THz)")
        }
    }
}

/// A model setup error.
public struct ModelError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ d: String) { description = d }
}
