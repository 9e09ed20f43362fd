// The Cu→Cd cation-exchange lattice model: its state and the dispatch of events.
//
// State: the occupant of every site (cation: Cd/Cu/vacant; interstitial: empty/Cu_i/Cd_i; shell:
// empty/Cu), a donor Cu pool of N_Cu atoms and an escaped-Cd pool of N_Cd atoms. The energy of a
// configuration is in `Events/SiteEnergies.swift`; the events, their rates and barrier law are the
// event families of `Events/` (listed in `EventCatalog`). This file holds the state, setup and
// `perform`; the rest of the model is in extensions:
//   ExchangeModel+Classes.swift          slot → rate class (the families' keys), class tables
//   ExchangeModel+Refresh.swift          neighbour counters and the slots an occupancy change refreshes
//   ExchangeModel+HopEnvironments.swift  site words, hop rows and the atom-centric hop classes
//   ExchangeModel+Atoms.swift            mobile-atom records, deferred site writes, the hop kernel's view
//   ExchangeModel+Checks.swift           counts, conservation, energy, incremental-vs-recompute check
//
// Slots: every possible event lives in a slot — a site (shell sites and surface interstitials),
// an edge of a neighbour table (shell–shell, shell–interstitial, interstitial–cation), or a mobile
// interstitial atom. A slot's event type is the enabled family direction whose `before` occupants
// match the slot's endpoints; its rate class is that type's class for the key the family reads
// from the neighbour counters (Cu/Cd cation neighbours of a cation, Cu tetra neighbours of a cation,
// Cu cation neighbours of an interstitial, vacant cations next to a shell site, Cu shell
// neighbours of a cation). Keys with identical (type, barrier, ν, reservoir) share a class.
//
// Interstitial hops (Cu_i and Cd_i) are atom-centric: every mobile interstitial atom is one member
// of a composite class whose channels are the hops along each direction of its site's row in the
// hop table, each with the barrier of its family's key. The class is a function of the atom's
// species and of the hop environment of its site — (kind, m) of the site and of each neighbour in
// row order — which changes only when an m changes (exchange events), never in a hop.
// Environments are interned on first sight, and composite classes are shared by environments with
// identical channel barriers. Occupied targets are not part of the environment: choosing a channel
// whose target holds an atom is a null event (thinning with the bound rate that counts the channel;
// exact, and rare at interstitial densities of a few per cent). A hop therefore moves one member
// between two classes and rewrites two site words, whatever the coordination.
//
// Locality contract (what an event changes, what a rate depends on):
//   * an event changes the occupancy of ≤ 2 sites (and the pool counts);
//   * a slot's class depends on the occupancy of its endpoint sites and on the counters of those
//     endpoints that its family reads; counters depend on the occupancy of first-shell neighbours
//     in the relations cation–cation, interstitial–cation and shell–cation;
//   * so after a change at site x the model refreshes: slots incident to x; slots incident to the
//     cation neighbours of x (their Cu/Cd counts changed); slots incident to the interstitial
//     neighbours of x (their m changed); slots incident to shell sites next to x (their vacancy
//     count changed) — each only where an enabled family reads the changed counter (`RefreshPlan`).
// `verifyIncremental()` checks this against a full recompute.

import CekmcCore
import GSL

/// The occupant of a site (one byte per site).
@frozen public struct Occupant: RawRepresentable, Hashable, Sendable, BitwiseCopyable, CustomStringConvertible {
    public var rawValue: UInt8
    @inline(__always) public init(rawValue: UInt8) { self.rawValue = rawValue }
    /// Empty (interstitial or shell site) or vacant (cation site).
    public static let empty = Occupant(rawValue: 0)
    /// Cd.
    public static let cd = Occupant(rawValue: 1)
    /// Cu.
    public static let cu = Occupant(rawValue: 2)
    /// Number of occupant values.
    static let count = 3
    public var description: String { ["empty", "Cd", "Cu"][Int(rawValue)] }
}

/// Setup of the initial state.
public struct InitialState: Sendable, Codable, Equatable {
    /// Cu atoms in the donor pool at t = 0.
    public var donorCu: Int
    /// Fraction of surface cation sites (with a shell neighbour) left vacant.
    public var surfaceVacancyFraction: Double
    /// Fraction of bulk cation sites left vacant.
    public var bulkVacancyFraction: Double
    /// Extra vacancies by site index.
    public var vacancySites: [Int]
    /// Extra vacancies by position (Å): the cation site within 1 Å of each position.
    public var vacancyPositions: [SIMD3<Double>] = []
    /// Seed for the vacancy placement.
    public var seed: UInt64
    /// Slabs already exchanged to Cu₂Se at t = 0, as (from, to) along the axis in nm from the
    /// wire's lower end: every cation and tetrahedral interstitial site with z in [from, to) holds
    /// Cu (a cation site left vacant stays vacant). The slab's Cu counts as the wire's initial Cu,
    /// its Cd is not part of the run.
    public var cu2seSlabs_nm: [ClosedRange<Double>] = []
    public init(donorCu: Int, surfaceVacancyFraction: Double = 0, bulkVacancyFraction: Double = 0,
                vacancySites: [Int] = [], vacancyPositions: [SIMD3<Double>] = [], seed: UInt64 = 1,
                cu2seSlabs_nm: [ClosedRange<Double>] = []) {
        self.cu2seSlabs_nm = cu2seSlabs_nm
        self.donorCu = donorCu
        self.vacancyPositions = vacancyPositions
        self.surfaceVacancyFraction = surfaceVacancyFraction
        self.bulkVacancyFraction = bulkVacancyFraction
        self.vacancySites = vacancySites
        self.seed = seed
    }
}

/// Atom totals (for conservation checks).
public struct AtomCounts: Sendable, Equatable, Codable {
    public var cuPool = 0, cuShell = 0, cuInterstitial = 0, cuCation = 0
    public var cdCation = 0, cdInterstitial = 0, cdEscaped = 0, vacancies = 0
    /// Total Cu.
    public var cu: Int { cuPool + cuShell + cuInterstitial + cuCation }
    /// Total Cd.
    public var cd: Int { cdCation + cdInterstitial + cdEscaped }
}

/// The cation-exchange model on a topology. Value type; the engine mutates it in place.
public struct ExchangeModel: KMCModel {
    /// Fixed topology.
    public let topo: LatticeTopology
    /// Parameters.
    public let params: ExchangeParameters
    /// Occupant of each site. Interstitial entries lag behind hops until `synchronize()`.
    public internal(set) var occupant: [Occupant]
    /// Cu / Cd nearest-neighbour cations of each cation.
    var cuNeighbours: [UInt8], cdNeighbours: [UInt8]
    /// Cu-occupied tetrahedral neighbours of each cation (kept only when a family reads it).
    var cuTetraNeighbours: [UInt8]
    /// Cu cation neighbours of each interstitial (m).
    var cuAround: [UInt8]
    /// Vacant cation neighbours of each shell site.
    var vacanciesAround: [UInt8]
    /// Cu-occupied shell neighbours of each cation.
    var cuShellNeighbours: [UInt8]
    /// Packed per-site word (`SiteWord`): kind, m, surface flag and hop-environment id. It changes
    /// only when an m changes, so atoms keep copies of their neighbours' words (`hopRow`, `records`).
    var siteWord: [UInt32]
    /// One bit per site: an atom occupies this interstitial (the blocking test of a hop; 1/8 byte
    /// per site, so it stays in cache on multi-million-site wires).
    var occupied: [UInt64]
    /// Atom records (`AtomRecord`), one per mobile atom id, `recordStride` words each, record a at
    /// `recordIndex(a)` on a 64-byte line.
    var records: [UInt32] = []
    /// Words per atom record (a multiple of 16: whole cache lines).
    let recordStride: Int
    /// Padding words in front of record 0 that put the records on 64-byte lines in `records`'
    /// current storage (`reallocateRecords`). Only a layout choice: every access adds it, so a copy
    /// of the model whose storage lands elsewhere stays correct (just possibly unaligned).
    var recordOffset = 0
    /// Index in `records` of atom a's record.
    @inline(__always) func recordIndex(_ a: Int) -> Int { recordOffset + a * recordStride }
    /// Scratch list of sites whose hop environment must be refreshed (reused; no allocation).
    var envScratch: [Int32] = []
    /// The second site of a hop with side effects while the first is refreshed: written, not yet
    /// refreshed, so its edges may hold a stale class (−1: none).
    var pendingSite = -1
    /// Number of mobile atoms (ids 0 ..< atomCount).
    public internal(set) var atomCount = 0
    /// Record-fill pipeline: a ring of the last `pipeDepth` arrivals (atom, its arrival number).
    var pipeAtom = [Int32](repeating: -1, count: ExchangeModel.pipeDepth)
    var pipeSeq = [UInt32](repeating: 0, count: ExchangeModel.pipeDepth)
    var pipeHead = 0
    /// Events between pipeline stages (4 measured best on the full wire: 8 and 16 give the line
    /// more time to be evicted again, 2 too little to arrive).
    static let pipeDepth = 4
    /// Atoms whose hops since the last `synchronize()` are not yet in the site arrays: pairs
    /// (atom id, the site `occupant`/`siteAtom` still hold it at); see `ExchangeModel+Atoms.swift`.
    /// A buffer that only grows (`unsyncedLen` entries used), so the hop kernel can append
    /// through a pointer: each atom is listed at most once, so 2·atomCount entries always suffice.
    var unsynced: [Int32] = []
    var unsyncedLen = 0
    /// Atoms listed in `unsynced`.
    public var unsyncedCount: Int { unsyncedLen / 2 }
    /// Hop rows with a fixed width (stride 2·`hopDegree`): for site x and channel d (the order of
    /// `topo.hop`), entry 2d is the target site (Int32 bit pattern, −1 padded) and 2d + 1 that
    /// target's `siteWord` (kept current). One line then holds everything an atom at x needs to hop.
    var hopRow: [UInt32]
    /// Maximum hop degree (channels per row).
    public let hopDegree: Int
    /// Atom id at each site, −1 when none.
    var siteAtom: [Int32]
    /// Interned hop environments (key, see `envKey`), by id.
    public internal(set) var envKeys: [UInt64] = []
    var envIndex: [UInt64: Int32] = [:]
    /// Composite class of a Cu (index 2·env) and of a Cd (2·env + 1) atom in each environment (−1: none).
    var envClass: [Int32] = []
    /// Composite classes by (event type, channel barriers).
    var compositeIndex: [CompositeKey: Int32] = [:]
    /// Per species index (0 Cu, 1 Cd): its hop family's type (−1: none enabled), key strides and
    /// forward barrier (eV) by channel key.
    let hopType: [Int]
    let hopStrides: [KeyStrides]
    let hopBarrier: [[Double]]
    /// Donor Cu pool count and escaped-Cd pool count.
    public internal(set) var donorCu: Int
    public internal(set) var escapedCd: Int
    /// Initial totals.
    public internal(set) var initialCu: Int, initialCd: Int
    /// Cd atoms added by `insert` (counted in the Cd total).
    public internal(set) var extraCd = 0

    /// Slot bases: site slots [0, N), shell–shell, shell–interstitial, interstitial–cation edges,
    /// then one hop slot per mobile atom id.
    public let baseSS: Int32, baseSI: Int32, baseIC: Int32, baseAtom: Int32, slotCount: Int
    /// Coordination numbers (key radices).
    public let radices: LatticeRadices
    /// The enabled event types and their class tables (`ExchangeModel+Classes.swift`).
    let rates: RateDispatch
    /// The fixed (non-hop) class descriptions the rate-class table starts with; composite hop
    /// classes are appended to the table as environments appear.
    public var classInfo: [RateClassInfo] { rates.classInfo }
    /// What an occupancy change refreshes, derived from the enabled families' declarations.
    let plan: RefreshPlan
    /// Per-event-type executed counts.
    public internal(set) var executed: [UInt64]

    // MARK: setup

    /// Build the model, place vacancies, and return it with its filled rate-class table.
    public static func make(topology: LatticeTopology, parameters: ExchangeParameters,
                            initial: InitialState) throws -> (ExchangeModel, RateClassTable) {
        try parameters.validate()
        let topology = parameters.shellPartners > 0 ? try topology.withShellPartners(parameters.shellPartners) : topology
        var m = try ExchangeModel(topology: topology, parameters: parameters, initial: initial)
        var table = RateClassTable(classes: m.classInfo, slotCount: m.slotCount)
        table.setReservoir(.donorCu, count: m.donorCu)
        table.setReservoir(.escapedCd, count: m.escapedCd)
        m.recomputeEnvs(&table)
        m.fillAll(&table)
        if !initial.cu2seSlabs_nm.isEmpty {
            try m.setConfiguration(occupancy: m.withCu2SeSlabs(initial.cu2seSlabs_nm), donorCu: m.donorCu, escapedCd: 0,
                                   resetTotals: true, classes: &table)
        }
        return (m, table)
    }

    /// The occupancy with the Cu₂Se slabs of `InitialState.cu2seSlabs_nm` filled in. O(N).
    func withCu2SeSlabs(_ slabs: [ClosedRange<Double>]) -> [Occupant] {
        let z0 = topo.positions.reduce(Double.infinity) { min($0, $1.z) }
        var o = (0..<topo.siteCount).map { occupant[$0] }
        for (x, r) in topo.positions.enumerated() {
            let z = (r.z - z0) / 10
            guard slabs.contains(where: { z >= $0.lowerBound && z < $0.upperBound }) else { continue }
            switch topo.kinds[x] {
            case .cation where o[x] == .cd: o[x] = .cu
            case .tetra: o[x] = .cu
            default: break
            }
        }
        return o
    }

    init(topology t: LatticeTopology, parameters p: ExchangeParameters, initial: InitialState) throws {
        try EventCatalog.check()
        topo = t
        params = p
        let n = t.siteCount
        var o = [Occupant](repeating: .empty, count: n)
        for c in t.cationSites { o[Int(c)] = .cd }
        // Vacancies.
        guard (0...1).contains(initial.surfaceVacancyFraction), (0...1).contains(initial.bulkVacancyFraction) else {
            throw ModelError("defects: vacancy fractions must be in [0, 1], got surface \(initial.surfaceVacancyFraction), bulk \(initial.bulkVacancyFraction)")
        }
        guard initial.donorCu >= 0 else { throw ModelError("reservoirs.donor_cu must be ≥ 0, got \(initial.donorCu)") }
        let rng = try RandomGenerator(seed: initial.seed)
        for c in t.cationSites {
            let surface = t.catShell.range(Int(c)).count > 0
            let f = surface ? initial.surfaceVacancyFraction : initial.bulkVacancyFraction
            if f > 0 && rng.uniform() < f { o[Int(c)] = .empty }
        }
        for p in initial.vacancyPositions {
            var best = -1, bestD = Double.infinity
            for c in t.cationSites {
                let d = t.positions[Int(c)] - p
                let d2 = (d * d).sum()
                if d2 < bestD { bestD = d2; best = Int(c) }
            }
            guard best >= 0, bestD <= 1 else {
                throw ModelError("defects.vacancy_positions_A: no cation site within 1 Å of (\(p.x), \(p.y), \(p.z)) Å (nearest at \(bestD.squareRoot()) Å)")
            }
            o[best] = .empty
        }
        for s in initial.vacancySites {
            guard s >= 0, s < n, t.kinds[s] == .cation else {
                throw ModelError("defects.vacancy_sites: \(s) is not a cation site index (0..<\(n))")
            }
            o[s] = .empty
        }
        occupant = .hugePaged(copying: o)
        cuNeighbours = [UInt8](repeating: 0, count: n)
        cdNeighbours = cuNeighbours; cuTetraNeighbours = cuNeighbours; cuAround = cuNeighbours
        vacanciesAround = cuNeighbours; cuShellNeighbours = cuNeighbours
        siteWord = .hugePaged(repeating: 0, count: n)
        occupied = [UInt64](repeating: 0, count: (n + 63) / 64)
        siteAtom = .hugePaged(repeating: -1, count: n)
        // Fixed-width hop rows.
        let zh = max(t.hop.maxDegree, 1)
        guard zh <= 12 else { throw ModelError("topology: an interstitial has \(zh) hop neighbours; hop environments hold at most 12") }
        hopDegree = zh
        var ht = [UInt32].hugePaged(repeating: 0, count: n * 2 * zh)
        var nInt = 0
        for x in 0..<n {
            for d in 0..<zh { ht[(x * zh + d) * 2] = UInt32(bitPattern: -1) }
            guard t.kinds[x] == .tetra || t.kinds[x] == .octa else { continue }
            nInt += 1
            for (d, e) in t.hop.range(x).enumerated() { ht[(x * zh + d) * 2] = UInt32(bitPattern: t.hop.targets[e]) }
        }
        hopRow = ht
        recordStride = (AtomRecord.row + 2 * zh + 15) / 16 * 16
        donorCu = initial.donorCu
        escapedCd = 0
        initialCu = initial.donorCu
        initialCd = t.cationSites.reduce(0) { $0 + (o[Int($1)] == .cd ? 1 : 0) }
        baseSS = Int32(n)
        baseSI = baseSS + Int32(t.shellShell.edgeCount)
        baseIC = baseSI + Int32(t.shellInt.edgeCount)
        baseAtom = baseIC + Int32(t.intCat.edgeCount)
        slotCount = Int(baseAtom) + nInt
        executed = [UInt64](repeating: 0, count: EventCatalog.types.count)
        radices = try LatticeRadices(t)
        rates = try RateDispatch(p, radices, ExchangeModel.wireScale(t))
        plan = RefreshPlan(rates)
        hopType = rates.hopType
        hopStrides = rates.hopStrides
        hopBarrier = rates.hopBarrier
        recomputeCounters()
    }

    /// The wire's length (the extent of its sites along the axis z) and shell-site count.
    public static func wireScale(_ t: LatticeTopology) -> WireScale {
        var lo = Double.infinity, hi = -Double.infinity, shell = 0
        for (x, r) in t.positions.enumerated() {
            lo = min(lo, r.z); hi = max(hi, r.z)
            if t.kinds[x] == .shell { shell += 1 }
        }
        return WireScale(length_nm: max(hi - lo, 1) / 10, shellSites: shell)
    }

    // MARK: events

    /// Perform the event in `slot` of class `rateClass` (channel `channel` of a hop slot). Returns
    /// false, changing nothing, when a hop's target is occupied (a null event, see file header).
    public mutating func perform(slot: Int32, rateClass: Int32, channel: Int32, classes t: inout RateClassTable) -> Bool {
        if slot >= baseAtom { return performHop(slot: slot, rateClass: rateClass, channel: channel, &t) }
        settle()
        let type = Int(t.classType[Int(rateClass)])
        executed[type] &+= 1
        let after = rates.after[type], change = rates.reservoirChange[type]
        if change != 0 { changePool(rates.reservoir[type], by: change, &t) }
        let (a, b) = endpoints(slot)
        prefetchSite(a)
        if b >= 0 { prefetchSite(b) }
        if b < 0 {
            setOccupancy(a, after.0, &t)
        } else if rates.slotKind[type] == .interstitialCation || after.0 == .empty {
            // The endpoint that empties first (interstitial–cation edges: the interstitial first).
            setOccupancy(a, after.0, &t); setOccupancy(b, after.1, &t)
        } else {
            setOccupancy(b, after.1, &t); setOccupancy(a, after.0, &t)
        }
        return true
    }

    /// Add `delta` atoms to pool `r` and update the classes it feeds.
    mutating func changePool(_ r: ReservoirKind, by delta: Int, _ t: inout RateClassTable) {
        switch r {
        case .donorCu: donorCu += delta; t.setReservoir(.donorCu, count: donorCu)
        case .escapedCd: escapedCd += delta; t.setReservoir(.escapedCd, count: escapedCd)
        case .none: preconditionFailure("a pool change needs a pool")
        }
    }

    /// A hop of a mobile atom: the hot path reads only the atom's record (atom-indexed, in cache)
    /// and the occupancy bits; site arrays are only written.
    @inline(__always)
    mutating func performHop(slot: Int32, rateClass: Int32, channel: Int32, _ t: inout RateClassTable) -> Bool {
        let a = Int(slot - baseAtom)
        let ra = recordIndex(a)
        if records[ra + AtomRecord.flags] & AtomRecord.pending != 0 { fillRow(a) }
        let r = ra + AtomRecord.row + 2 * Int(channel)
        let j = Int(Int32(bitPattern: records[r]))
        if isOccupied(j) { return false }
        let x = Int(Int32(bitPattern: records[ra + AtomRecord.site]))
        let wx = records[ra + AtomRecord.word], wj = records[r + 1]
        let flags = records[ra + AtomRecord.flags]
        let o = AtomRecord.species(flags)
        executed[hopType[o == .cu ? 0 : 1]] &+= 1
        clearBit(x); setBit(j)
        records[ra + AtomRecord.site] = UInt32(bitPattern: Int32(j))
        records[ra + AtomRecord.word] = wj
        records[ra + AtomRecord.flags] = flags | AtomRecord.pending
        records[ra + AtomRecord.arrivals] &+= 1
        t.move(slot, from: rateClass, to: atomClass(o, wj))
        advancePipeline(Int32(a), j)
        // Non-hop dependents only when an enabled family reads the two sites (`RefreshPlan`);
        // they read no hop environment, so pending records may stay pending. They read
        // `occupant`, so the deferred writes are applied first; a hop without them only lists
        // its atom for the deferred write.
        if plan.hopHasSideEffects(wx, wj, o) {
            synchronize()
            records[ra + AtomRecord.flags] = UInt32(o.rawValue) | AtomRecord.pending
            occupant[x] = .empty
            occupant[j] = o
            siteAtom[x] = -1
            siteAtom[j] = Int32(a)
            pendingSite = j
            occupancyChanged(x, old: o, new: .empty, &t)
            pendingSite = -1
            occupancyChanged(j, old: .empty, new: o, &t)
        } else if flags & AtomRecord.unsyncedFlag == 0 {
            // First hop since the last synchronisation: the arrays still hold the atom at x.
            records[ra + AtomRecord.flags] = UInt32(o.rawValue) | AtomRecord.pending | AtomRecord.unsyncedFlag
            if unsyncedLen + 2 > unsynced.count { reserveUnsynced() }
            unsynced[unsyncedLen] = Int32(a)
            unsynced[unsyncedLen + 1] = Int32(x)
            unsyncedLen += 2
        }
        return true
    }
}

/// Identity of a composite hop class: event type, channel barriers (bit patterns) and ΔE signs.
struct CompositeKey: Hashable, Sendable {
    var type: UInt8
    var barriers: [UInt64]
    var signs: [Int8]
}

extension LatticeRadices {
    /// The coordination numbers of topology `t`.
    init(_ t: LatticeTopology) throws {
        let zI = max(t.cationsAroundTetra, t.cationsAroundOcta, 1)
        guard zI <= 7 else { throw ModelError("topology: an interstitial has \(zI) cation neighbours; the packed site state holds at most 7") }
        var zt = 1
        for c in t.cationSites {
            var k = 0
            for e in t.catInt.range(Int(c)) where t.kinds[Int(t.catInt.targets[e])] == .tetra { k += 1 }
            zt = max(zt, k)
        }
        self.init(cationsPerInterstitial: zI, cationsPerTetra: max(t.cationsAroundTetra, 1),
                  cationsPerOcta: max(t.cationsAroundOcta, 1), cationNeighbours: max(t.cationNN.maxDegree, 1),
                  tetraPerCation: zt, cationsPerShell: max(t.shellCat.maxDegree, 1), shellPerCation: max(t.catShell.maxDegree, 1))
    }
}
