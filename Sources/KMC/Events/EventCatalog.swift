// The catalog of event families: the one list the model, the input decoder, the outputs and the
// tests read. Adding a family = its file in this folder + one line here (+ its tests); the order
// fixes the event type ids (checkpointed, so append new families last).

/// The event families, their event types (directions) and their parameters.
public enum EventCatalog {
    /// Every family, in type-id order (immutable; metatypes carry no state).
    nonisolated(unsafe) public static let families: [any ExchangeEventFamily.Type] = [
        Supply.self,
        ShellHop.self,
        Penetration.self,
        CuHop.self,
        CdHop.self,
        KickOff.self,
        CuVacancy.self,
        CdVacancy.self,
        CdEscape.self,
    ]

    /// Event types: (family index, direction) by type id — each family's directions in order.
    public static let types: [(family: Int, direction: Int)] = families.enumerated().flatMap { f in
        f.element.directions.indices.map { (f.offset, $0) }
    }

    /// First type id of each family.
    static let firstType: [Int] = {
        var s: [Int] = [], n = 0
        for f in families { s.append(n); n += f.directions.count }
        return s
    }()

    /// Every model parameter (site energies and each family's), in `[model]` listing order.
    public static let parameters: [ParameterSpec] =
        (SiteEnergies.parameters + families.flatMap { $0.parameters }).sorted { $0.listing < $1.listing }

    /// Index of the family with input key `key`.
    public static func index(of key: String) -> Int? { families.firstIndex { $0.key == key } }

    /// The type id of `family`'s direction `d`.
    static func type(_ family: any ExchangeEventFamily.Type, _ d: Int) -> EventType {
        EventType(rawValue: UInt8(firstType[index(of: family.key)!] + d))!
    }

    /// Consistency of the declarations: unique keys and names, each reverse direction's `before`
    /// equal to the forward's `after`, unique (slot kind, endpoint occupants) per direction, one
    /// atom family per species, reservoir-fed directions only on site slots. Throws the first
    /// problem found.
    public static func check(_ families: [any ExchangeEventFamily.Type] = EventCatalog.families) throws {
        func same(_ a: (Occupant, Occupant), _ b: (Occupant, Occupant)) -> Bool { a.0 == b.0 && a.1 == b.1 }
        var keys = Set<String>(), names = Set<String>(), params = Set<String>()
        var seen: [String: String] = [:]
        for f in families {
            guard keys.insert(f.key).inserted else { throw ModelError("event catalog: family key \(f.key) twice") }
            guard (1...2).contains(f.directions.count) else { throw ModelError("event catalog: \(f.key) needs 1 or 2 directions") }
            for d in f.directions {
                guard names.insert(d.name).inserted else { throw ModelError("event catalog: event name \(d.name) twice") }
                let pattern = "\(f.slot) \(d.before.0.rawValue) \(f.slot.isEdge ? d.before.1.rawValue : 0)"
                if let other = seen[pattern] { throw ModelError("event catalog: \(d.name) and \(other) apply to the same slot state") }
                seen[pattern] = d.name
                if d.reservoirChange != 0 && f.slot.isEdge { throw ModelError("event catalog: \(d.name): only site events exchange with a reservoir") }
            }
            if f.directions.count == 2 {
                guard same(f.directions[1].before, f.directions[0].after), same(f.directions[0].before, f.directions[1].after),
                      f.directions[0].reservoirChange == -f.directions[1].reservoirChange else {
                    throw ModelError("event catalog: \(f.key): the second direction is not the reverse of the first")
                }
            } else {
                guard f.slot.isEdge, same(f.directions[0].after, (f.directions[0].before.1, f.directions[0].before.0)) else {
                    throw ModelError("event catalog: \(f.key): a one-direction family must move an atom along an edge (its own reverse)")
                }
            }
            if f.slot == .atom && f.directions[0].before.0 == .empty { throw ModelError("event catalog: \(f.key): an atom family needs a species") }
            for p in f.parameters where !params.insert(p.key).inserted { throw ModelError("event catalog: parameter \(p.key) twice") }
        }
        for p in SiteEnergies.parameters where !params.insert(p.key).inserted { throw ModelError("event catalog: parameter \(p.key) twice") }
    }
}

/// An elementary event type: one direction of one family (raw value: its position in the catalog,
/// checkpointed in the rate classes).
public struct EventType: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: UInt8
    public init?(rawValue: UInt8) {
        guard Int(rawValue) < EventCatalog.types.count else { return nil }
        self.rawValue = rawValue
    }
    /// Every type, in id order.
    public static var allCases: [EventType] { EventCatalog.types.indices.map { EventType(rawValue: UInt8($0))! } }
    /// Its family's declaration.
    public var definition: any ExchangeEventFamily.Type { EventCatalog.families[EventCatalog.types[Int(rawValue)].family] }
    /// Its direction within the family (0: forward).
    public var direction: Int { EventCatalog.types[Int(rawValue)].direction }
    /// The family (input switch) of this type.
    public var family: EventFamily { EventFamily(definition.key) }
    /// Name used in outputs.
    public var name: String { definition.directions[direction].name }
    public var description: String { name }
}
