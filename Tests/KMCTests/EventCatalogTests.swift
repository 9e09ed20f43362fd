// The event catalog's declarations: consistent directions, key spaces that encode and decode
// every key, parameters that cover the families, and a malformed family that is refused.
import Testing
import CekmcCore
@testable import KMC

/// A family whose second direction is not the reverse of its first (refused by `check`).
enum BrokenFamily: ExchangeEventFamily {
    static let key = "broken"
    static let summary = "test only"
    static let parameters: [ParameterSpec] = []
    static let slot = SlotKind.interstitialCation
    static let directions: [EventDirection] = [.edge("brokenForward", .cu, .cd), .edge("brokenBack", .cu, .empty)]
    static let reads = Counters()
    enum Field: Int, CaseIterable { case kind }
    static func keySpace(_ z: LatticeRadices) -> KeySpace { KeySpace(Field.self) { _ in 2 } }
    static func energetics(direction: Int, _ f: KeyFields, _ p: ExchangeParameters, _ z: LatticeRadices) -> Energetics {
        Energetics(mid: 0, deltaE: 0)
    }
    static func reverseFields(direction: Int, _ f: KeyFields) -> KeyFields { f }
}

@Suite struct EventCatalogTests {
    let z = LatticeRadices(cationsPerInterstitial: 6, cationsPerTetra: 4, cationsPerOcta: 6, cationNeighbours: 12,
                           tetraPerCation: 4, cationsPerShell: 3, shellPerCation: 2)

    @Test func catalogIsConsistent() throws {
        try EventCatalog.check()
        #expect(EventType.allCases.count == EventCatalog.families.reduce(0) { $0 + $1.directions.count })
        #expect(Set(EventType.allCases.map(\.name)).count == EventType.allCases.count)
    }

    @Test func malformedFamilyIsRefused() {
        #expect(throws: ModelError.self) { try EventCatalog.check(EventCatalog.families + [BrokenFamily.self]) }
        // A second family on an occupied slot state is refused too.
        #expect(throws: ModelError.self) { try EventCatalog.check(EventCatalog.families + [KickOff.self]) }
    }

    @Test func keySpacesEncodeAndDecodeEveryKey() {
        for f in EventCatalog.families {
            let space = f.keySpace(z)
            #expect(space.size == space.radices.reduce(1, *), "\(f.key)")
            for key in 0..<space.size {
                let fields = space.fields(of: key)
                #expect(space.strides.contains(fields))
                #expect(space.strides.index(of: fields) == key, "\(f.key): key \(key)")
            }
            var outside = KeyFields()
            outside[space.radices.count - 1] = space.radices.last!
            #expect(!space.strides.contains(outside), "\(f.key): a field at its radix must be outside the space")
        }
    }

    @Test func everyDirectionHasFiniteEnergeticsAndReverseSymmetry() {
        let p = ExchangeParameters.defaults(.zb)
        for f in EventCatalog.families {
            let space = f.keySpace(z)
            for d in f.directions.indices {
                for key in 0..<space.size {
                    let e = f.energetics(direction: d, space.fields(of: key), p, z)
                    let b = e.forwardBarrier
                    #expect(b.isFinite && b >= 0 && b >= e.deltaE, "\(f.directions[d].name) key \(key)")
                    // The reverse barrier from the same pair is E_fwd − ΔE, never negative.
                    #expect(abs(Energetics.forwardBarrier(mid: e.mid, deltaE: -e.deltaE) - (b - e.deltaE)) < 1e-12)
                }
            }
        }
    }

    @Test func parametersCoverEveryFamilyAndDefaultsValidate() throws {
        let keys = EventCatalog.parameters.map(\.key)
        #expect(Set(keys).count == keys.count)
        #expect(Set(EventCatalog.parameters.map(\.listing)).count == keys.count, "listing positions must be unique")
        for phase in Phase.allCases {
            let p = ExchangeParameters.defaults(phase)
            try p.validate()
            #expect(Set(p.values.keys) == Set(keys))
            for s in EventCatalog.parameters { #expect(s.range.contains(p[s.key]), "\(s.key) default outside its range") }
        }
        var bad = ExchangeParameters.defaults(.zb)
        bad.values["no_such_parameter_eV"] = 1
        #expect(throws: ModelError.self) { try bad.validate() }
    }
}
