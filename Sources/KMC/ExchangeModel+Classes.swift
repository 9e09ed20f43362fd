// Slot → rate class: which enabled event type applies to a slot (its endpoints' occupants match
// the direction's `before`), and the class of the key its family reads. The class tables are built
// once per model from the catalog (`RateDispatch`); keys with identical (type, barrier, ν,
// reservoir) share a class.

import CekmcCore

/// The enabled event types of a model and their class tables, built from the catalog.
struct RateDispatch {
    /// Per slot kind and endpoint occupants (`index`): the enabled type applying there (−1: none).
    let typeAt: [Int16]
    /// Per slot kind and endpoint occupants: the counters that type's family reads (empty: none).
    let readsAt: [Counters]
    /// Per type: its family, direction, slot kind, key strides and first entry in `classOfKey`
    /// (−1: switched off or atom-centric).
    let family: [any ExchangeEventFamily.Type]
    /// Per event type, what `perform` reads of its direction (flat: no String to retain per event):
    /// the occupants after the event and the reservoir change.
    let after: [(Occupant, Occupant)]
    let reservoir: [ReservoirKind]
    let reservoirChange: [Int]
    let directionIndex: [Int]
    let slotKind: [SlotKind]
    let strides: [KeyStrides]
    let keyBase: [Int32]
    /// Class id by (type, key), flat.
    let classOfKey: [Int32]
    /// The classes of the site and edge types.
    let classInfo: [RateClassInfo]
    /// Per species index (0 Cu, 1 Cd): the enabled atom family's type (−1: none), key strides and
    /// forward barrier by key.
    let hopType: [Int]
    let hopStrides: [KeyStrides]
    let hopBarrier: [[Double]]
    /// Per species index: the sign of each channel key's ΔE (−1, 0, +1; `RateClassInfo.channelSigns`).
    let hopSign: [[Int8]]
    /// Per species index: the attempt frequency (s⁻¹) and the slowest channel's barrier (eV) of a hop
    /// through the host, between holes with no Cu cation around them (pristine CdSe; ν = 0: no family).
    let hostHop: [(nu: Double, barrier_eV: Double)]
    /// The enabled families.
    let enabled: [any ExchangeEventFamily.Type]
    /// Per class of `classInfo`: its pair group (−1: none). The classes of a site or edge family
    /// are joined with the classes their events' reverses land in (`reverseFields`), transitively:
    /// a rate scale shared by a group keeps k_f/k_r, hence detailed balance (`Acceleration.swift`).
    let pairGroup: [Int32]
    /// Number of pair groups.
    let pairGroupCount: Int
    /// Per class: which count of its group's partial-equilibrium test its events add to
    /// (`PairRole`).
    let pairRole: [PairRole]

    /// Index of (slot kind, endpoint occupants) in `typeAt`/`readsAt`.
    @inline(__always) static func index(_ k: SlotKind, _ a: Occupant, _ b: Occupant) -> Int {
        (k.ordinal &* Occupant.count &+ Int(a.rawValue)) &* Occupant.count &+ Int(b.rawValue)
    }

    /// Identity of a simple class.
    struct ClassIdentity: Hashable { var type: UInt8; var barrierBits: UInt64; var reservoir: UInt8 }

    init(_ p: ExchangeParameters, _ z: LatticeRadices, _ w: WireScale) throws {
        let types = EventCatalog.types
        var typeAt = [Int16](repeating: -1, count: SlotKind.allCases.count * Occupant.count * Occupant.count)
        var readsAt = [Counters](repeating: [], count: typeAt.count)
        var family: [any ExchangeEventFamily.Type] = [], direction: [EventDirection] = [], directionIndex: [Int] = []
        var slotKind: [SlotKind] = [], strides: [KeyStrides] = [], keyBase: [Int32] = []
        var flat: [Int32] = [], info: [RateClassInfo] = []
        var hopType = [-1, -1], hopStrides = [KeyStrides](), hopBarrier: [[Double]] = [[], []], hopSign: [[Int8]] = [[], []]
        var hostHop: [(nu: Double, barrier_eV: Double)] = [(0, 0), (0, 0)]
        var seen: [ClassIdentity: Int32] = [:]
        let none = KeyStrides(place: SIMD8(), radix: SIMD8(repeating: 1))
        hopStrides = [none, none]
        for (id, (fi, di)) in types.enumerated() {
            let f = EventCatalog.families[fi], d = f.directions[di]
            let space = f.keySpace(z)
            family.append(f); direction.append(d); directionIndex.append(di); slotKind.append(f.slot)
            strides.append(space.strides)
            guard p.enabled.contains(EventFamily(f.key)) else { keyBase.append(-1); continue }
            let energetics = { (key: Int) in f.energetics(direction: di, space.fields(of: key), p, z) }
            if f.slot == .atom {
                let s = d.before.0 == .cu ? 0 : 1
                guard hopType[s] < 0 else { throw ModelError("event catalog: two enabled hop families for \(d.before.0)") }
                hopType[s] = id
                hopStrides[s] = space.strides
                hopBarrier[s] = (0..<space.size).map { energetics($0).forwardBarrier }
                hopSign[s] = (0..<space.size).map { PairRole.sign(energetics($0).deltaE) }
                var slowest = 0.0
                for ki in 0..<2 { for kj in 0..<2 {
                    let c = HopChannel(sourceKind: ki, targetKind: kj, sourceCu: 0, targetCu: 0)
                    slowest = max(slowest, f.energetics(direction: di, f.fields(channel: c), p, z).forwardBarrier)
                } }
                hostHop[s] = (f.attemptFrequency(p, w), slowest)
                keyBase.append(-1)
                continue
            }
            let k = RateDispatch.index(f.slot, d.before.0, f.slot.isEdge ? d.before.1 : .empty)
            typeAt[k] = Int16(id)
            readsAt[k] = f.reads
            // Reservoir-fed: a direction that draws from a reservoir has its rate while the
            // reservoir's inventory is not spent.
            let reservoir: ReservoirKind = d.reservoirChange < 0 ? d.reservoir : .none
            let nu = f.attemptFrequency(p, w)
            keyBase.append(Int32(flat.count))
            for key in 0..<space.size {
                let e = energetics(key).forwardBarrier
                let ident = ClassIdentity(type: UInt8(id), barrierBits: e.bitPattern, reservoir: reservoir.rawValue)
                if let c = seen[ident] { flat.append(c); continue }
                let c = Int32(info.count)
                seen[ident] = c
                info.append(RateClassInfo(eventType: UInt8(id), barrier_eV: e, nu: nu, reservoir: reservoir))
                flat.append(c)
            }
        }
        self.typeAt = typeAt; self.readsAt = readsAt
        self.family = family; self.directionIndex = directionIndex
        after = direction.map(\.after); reservoir = direction.map(\.reservoir); reservoirChange = direction.map(\.reservoirChange)
        self.slotKind = slotKind; self.strides = strides; self.keyBase = keyBase
        classOfKey = flat; classInfo = info
        self.hopType = hopType; self.hopStrides = hopStrides; self.hopBarrier = hopBarrier; self.hopSign = hopSign
        self.hostHop = hostHop
        enabled = EventCatalog.families.filter { p.enabled.contains(EventFamily($0.key)) }
        (pairGroup, pairGroupCount, pairRole) = RateDispatch.pairGroups(classCount: info.count, classOfKey: flat, keyBase: keyBase, p, z)
    }

    /// Union-find over the simple classes of the enabled site and edge families: class(t, key) with
    /// class(reverse of t, reverseFields(key)); a family with one direction (an edge hop) is its
    /// own reverse. Keys whose reverse lies outside the key space (unreachable states) join
    /// nothing; a class that joined nothing has no group (never scaled). Roles: a two-direction
    /// family's classes count by direction; a one-direction family's by the sign of ΔE (at
    /// equilibrium every pair of states exchanges equal fluxes, one of them downhill, so downhill
    /// and uphill events balance). O(keys).
    static func pairGroups(classCount: Int, classOfKey: [Int32], keyBase: [Int32], _ p: ExchangeParameters,
                           _ z: LatticeRadices) -> ([Int32], Int, [PairRole]) {
        var role = [PairRole](repeating: .level, count: classCount)
        var roleSeen = [Bool](repeating: false, count: classCount)
        var parent = Array(0..<classCount)
        func root(_ x: Int) -> Int {
            var x = x
            while parent[x] != x { parent[x] = parent[parent[x]]; x = parent[x] }
            return x
        }
        var member = [Bool](repeating: false, count: classCount)
        for (id, (fi, di)) in EventCatalog.types.enumerated() where keyBase[id] >= 0 {
            let f = EventCatalog.families[fi]
            guard f.slot != .atom else { continue }
            let selfReverse = f.directions.count == 1
            let rev = selfReverse ? id : id - di + (1 - di)
            guard keyBase[rev] >= 0 else { continue }
            let space = f.keySpace(z)
            for key in 0..<space.size {
                let c = Int(classOfKey[Int(keyBase[id]) + key])
                let r: PairRole = selfReverse ? PairRole(sign: PairRole.sign(f.energetics(direction: di, space.fields(of: key), p, z).deltaE))
                                              : (di == 0 ? .forward : .reverse)
                // Keys with different roles in one class (equal barriers): count it as level.
                role[c] = roleSeen[c] && role[c] != r ? .level : r
                roleSeen[c] = true
                let rf = f.reverseFields(direction: di, space.fields(of: key))
                guard space.strides.contains(rf) else { continue }
                let rc = Int(classOfKey[Int(keyBase[rev]) + space.strides.index(of: rf)])
                member[c] = true
                member[rc] = true
                let a = root(c), b = root(rc)
                if a != b { parent[max(a, b)] = min(a, b) }
            }
        }
        var group = [Int32](repeating: -1, count: classCount), id: [Int: Int32] = [:]
        for c in 0..<classCount where member[c] {
            let r = root(c)
            if let g = id[r] { group[c] = g } else { let g = Int32(id.count); id[r] = g; group[c] = g }
        }
        return (group, id.count, role)
    }
}

/// Which count of a pair group's partial-equilibrium test an event adds to: the forward or the
/// reverse count (a two-direction family's directions; a self-reverse family's downhill and uphill
/// events), or half to each (a level event, ΔE = 0, whose reverse is an event of the same class).
public enum PairRole: Int8, Sendable {
    case forward = 0, reverse = 1, level = 2
    /// The role of a self-reverse event of energy-change sign s.
    init(sign s: Int8) { self = s < 0 ? .forward : (s > 0 ? .reverse : .level) }
    /// Sign of ΔE with a tolerance for rounding (1e-12 eV).
    static func sign(_ dE: Double) -> Int8 { dE < -1e-12 ? -1 : (dE > 1e-12 ? 1 : 0) }
}

extension SlotKind {
    /// Position in `allCases`.
    @inline(__always) var ordinal: Int {
        switch self {
        case .shellSite: 0
        case .surfaceSite: 1
        case .shellShell: 2
        case .shellInterstitial: 3
        case .interstitialCation: 4
        case .atom: 5
        }
    }
}

extension ExchangeModel {
    /// Kind index of interstitial `i` (0 tetra, 1 octa).
    @inline(__always) public func kindIndex(_ i: Int) -> Int { topo.kinds[i] == .tetra ? 0 : 1 }

    /// Class of the slot of kind `k` with endpoints `a`, `b` (−1 for a site slot). O(1).
    @inline(__always) mutating func classify(_ k: SlotKind, _ a: Int, _ b: Int) -> Int32 {
        classify(dispatch: RateDispatch.index(k, occupant[a], b >= 0 ? occupant[b] : .empty), a, b)
    }

    /// `classify` with the dispatch index of the slot's kind and occupants already known.
    /// `mutating` so that the family's key function reads the model in place (`inout`): passed by
    /// value through the catalog's existential it would copy the model's fields on every call.
    @inline(__always) mutating func classify(dispatch d: Int, _ a: Int, _ b: Int) -> Int32 {
        let type = rates.typeAt[d]
        if type < 0 { return -1 }
        let ti = Int(type)
        let family = rates.family[ti], direction = rates.directionIndex[ti], strides = rates.strides[ti]
        let key = family.keyIndex(direction: direction, SlotEndpoints(a: a, b: b), &self, strides)
        return rates.classOfKey[Int(rates.keyBase[ti]) + key]
    }

    /// Class of site slot `x` (shell sites and surface interstitials).
    @inline(__always) mutating func classOfSite(_ x: Int) -> Int32 {
        switch topo.kinds[x] {
        case .shell: return classify(.shellSite, x, -1)
        case .tetra, .octa: return topo.isSurfaceInterstitial[x] ? classify(.surfaceSite, x, -1) : -1
        case .cation: return -1
        }
    }

    /// Class of shell–shell edge `e`.
    @inline(__always) mutating func classOfShellShell(_ e: Int) -> Int32 {
        classify(.shellShell, Int(topo.shellShell.sources[e]), Int(topo.shellShell.targets[e]))
    }

    /// Class of shell–interstitial edge `e`.
    @inline(__always) mutating func classOfShellInt(_ e: Int) -> Int32 {
        classify(.shellInterstitial, Int(topo.shellInt.sources[e]), Int(topo.shellInt.targets[e]))
    }

    /// Class of interstitial–cation edge `e` (i, c).
    @inline(__always) mutating func classOfIntCat(_ e: Int) -> Int32 {
        classify(.interstitialCation, Int(topo.intCat.sources[e]), Int(topo.intCat.targets[e]))
    }

    /// Endpoints of site or edge slot `slot` (b = −1 for a site slot). Inlined: called from
    /// `perform`, a mutating method, a non-inlined call copies the model's fields first.
    @inline(__always) func endpoints(_ slot: Int32) -> (Int, Int) {
        if slot < baseSS { return (Int(slot), -1) }
        if slot < baseSI { let e = Int(slot - baseSS); return (Int(topo.shellShell.sources[e]), Int(topo.shellShell.targets[e])) }
        if slot < baseIC { let e = Int(slot - baseSI); return (Int(topo.shellInt.sources[e]), Int(topo.shellInt.targets[e])) }
        let e = Int(slot - baseIC)
        return (Int(topo.intCat.sources[e]), Int(topo.intCat.targets[e]))
    }

    /// Class of any slot (slow path: decodes the slot space; works on a copy of the model).
    public func classOf(slot: Int32) -> Int32 {
        var m = self
        return m.currentClass(of: slot)
    }

    /// `classOf(slot:)` in place.
    mutating func currentClass(of slot: Int32) -> Int32 {
        if slot < baseSS { return classOfSite(Int(slot)) }
        if slot < baseSI { return classOfShellShell(Int(slot - baseSS)) }
        if slot < baseIC { return classOfShellInt(Int(slot - baseSI)) }
        if slot < baseAtom { return classOfIntCat(Int(slot - baseIC)) }
        let a = Int(slot - baseAtom)
        guard a < atomCount else { return -1 }
        let x = siteOf(a)
        return atomClass(occupant[x], siteWord[x])
    }

    /// The slot and channel holding the reverse of the event (`slot`, `channel`) once it has been
    /// performed: site, shell–interstitial and interstitial–cation events are their own slot; a
    /// shell hop's reverse is on the reverse edge; an interstitial hop's reverse is the same atom's
    /// channel back to the site it came from.
    public func reverse(slot: Int32, channel: Int32, from source: Int) -> (slot: Int32, channel: Int32) {
        if slot < baseSS || (slot >= baseSI && slot < baseAtom) { return (slot, -1) }
        if slot < baseSI { return (baseSS + topo.shellShellReverse[Int(slot - baseSS)], -1) }
        let j = siteOf(Int(slot - baseAtom))
        for d in 0..<hopDegree where target(j, d) == Int32(source) { return (slot, Int32(d)) }
        return (slot, -1)
    }

    /// Target site of channel `d` of the atom in hop slot `slot`.
    public func hopTarget(slot: Int32, channel d: Int32) -> Int {
        Int(target(siteOf(Int(slot - baseAtom)), Int(d)))
    }

    /// Assign every slot from scratch (atoms and environments must be current).
    mutating func fillAll(_ table: inout RateClassTable) {
        for s in 0..<slotCount { table.assign(Int32(s), to: currentClass(of: Int32(s))) }
    }
}
