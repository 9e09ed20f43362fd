// The Cu→Cd cation-exchange lattice model: state, local energies, events and their rate classes.
//
// State: occupancy of every site (cation: Cd/Cu/vacant; interstitial: empty/Cu_i/Cd_i; shell:
// empty/Cu), a donor Cu pool of N_Cu atoms and an escaped-Cd pool of N_Cd atoms.
//
// Energy of a configuration (eV):
//   E = Σ_sites ε(kind, occupant) − δ_ads Σ_shell Cu · n_vac(s)
//     + J · #(Cu_cat–Cd_cat nearest-neighbour pairs) + U · #(Cu_cat–Cu_tetra adjacent pairs)
//     + μ_Cu N_Cu + μ_Cd N_Cd
// The pools are ideal: their stationary weight carries 1/N! (indistinguishable atoms in a large
// volume), so the Boltzmann weight is W = exp(−E/k_BT)/(N_Cu! N_Cd!). Pool-fed events (adsorb,
// Cd return) have rate N·ν·exp(−E/k_BT) — each pool atom attempts independently — and then
// k_f W_before = k_r W_after holds for every pair (detailed balance with a finite reservoir).
//
// Barriers: each event pair has a nominal forward direction and a reference barrier E_ref (the
// forward barrier in the reference environment, with energy change ΔE_ref there). With the local
// energy change ΔE of the actual environment,
//   E_mid = E_ref − ΔE_ref/2,   E_fwd = max(E_mid + ΔE/2, ΔE, 0),   E_rev = E_fwd − ΔE,
// which equals max(E_mid − ΔE/2, −ΔE, 0): the reverse event computed from its own state gives
// exactly the same pair, so E_fwd − E_rev = ΔE and k_f/k_r = exp(−ΔE/k_BT) (Brønsted–Evans–Polanyi
// with slope ½, clamped symmetrically so no barrier is negative or below the endpoint).
//
// Rate classes: every event's barrier depends only on its type and a few small integer counts
// kept incrementally (Cu/Cd cation neighbours of a cation, Cu tetra neighbours of a cation, Cu
// cation neighbours of an interstitial, vacant cations next to a shell site). The class of each
// (type, counts) key is tabulated at setup; keys with identical (type, barrier, ν, reservoir)
// share a class.
//
// Interstitial hops (Cu_i and Cd_i) are atom-centric: every mobile interstitial atom is one member
// of a composite class whose channels are the hops along each direction d of its site's row in the
// hop table, with barrier E_d from the same (kinds, m) key as before. The class is a function of the
// atom's species and of the hop environment of its site — (kind, m) of the site and of each
// neighbour in row order — which changes only when an m changes (exchange events), never in a hop.
// Environments are interned on first sight (`envKeys`), and composite classes are shared by
// environments with identical channel barriers. Occupied targets are not part of the environment:
// choosing a channel whose target holds an atom is a null event (thinning with the bound rate that
// counts the channel; exact, and rare at interstitial densities of a few per cent). A hop therefore
// moves one member between two classes and rewrites two site words, whatever the coordination.
//
// Locality contract (what an event changes, what a rate depends on):
//   * an event changes the occupancy of ≤ 2 sites (and the pool counts);
//   * a slot's class depends on the occupancy of its endpoint sites and on the counters of those
//     endpoints; counters depend on the occupancy of first-shell neighbours in the relations
//     cation–cation, interstitial–cation and shell–cation;
//   * so after a change at site x the engine refreshes: slots incident to x; slots incident to the
//     cation neighbours of x (their n_Cu/n_Cd/n_CuTet changed); slots incident to the interstitial
//     neighbours of x (their m changed); slots incident to shell sites next to x (their n_vac changed).
// `verifyIncremental()` checks this against a full recompute.

import CekmcCore
import CPrefetch
import GSL

/// Identity of a composite hop class: event type and channel barriers (bit patterns).
struct CompositeKey: Hashable, Sendable {
    var type: UInt8
    var barriers: [UInt64]
}

/// Occupant codes (UInt8 per site).
public enum Occupant {
    /// Empty (interstitial/shell) or vacant (cation).
    public static let empty: UInt8 = 0
    /// Cd.
    public static let cd: UInt8 = 1
    /// Cu.
    public static let cu: UInt8 = 2
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
    public init(donorCu: Int, surfaceVacancyFraction: Double = 0, bulkVacancyFraction: Double = 0,
                vacancySites: [Int] = [], vacancyPositions: [SIMD3<Double>] = [], seed: UInt64 = 1) {
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
    /// Occupancy per site (`Occupant`).
    public internal(set) var occ: [UInt8]
    /// Cu / Cd nearest-neighbour cations of each cation.
    var nCuNN: [UInt8], nCdNN: [UInt8]
    /// Cu-occupied tetra neighbours of each cation.
    var nCuTet: [UInt8]
    /// Cu cation neighbours of each interstitial.
    var mCu: [UInt8]
    /// Vacant cation neighbours of each shell site.
    var nVac: [UInt8]
    /// Packed per-site word: bits 0–1 unused (0; occupancy lives in `occ` and `occupied`), 2–3
    /// `SiteKind` raw value, 4–6 m_Cu, 7 surface interstitial, 8–31 hop-environment id
    /// (interstitials). It changes only when an m changes, so atoms keep copies of their
    /// neighbours' words (`hopRow`, `rec`). Kept in sync with `topo.kinds`, `mCu`,
    /// `topo.isSurfaceInterstitial` (`recomputeCounters`) and the environments (`recomputeEnvs`).
    var word: [UInt32]
    /// One bit per site: an atom occupies this interstitial (the blocking test of a hop; 1/8 byte
    /// per site, so it stays in cache on multi-million-site wires).
    var occupied: [UInt64]
    /// Atom records, one per mobile atom id, stride `recStride` UInt32 (64 B, one cache line, for
    /// zH ≤ 6; record a starts at `recIndex(a)`, on a 64-byte line, see `reallocateRecords`): [0] site
    /// (Int32 bits), [1] the site's word, [2] species (`Occupant`) | pending << 8 | unsynced << 9, [3] arrivals so
    /// far (mod 2³², matches pipeline entries), [4 + 2d] / [5 + 2d] a copy of the site's `hopRow`
    /// (targets and their words). The hop path reads one record and the occupancy bits, and only
    /// writes site arrays. The row copy is made `pipeDepth` hops after the atom arrives, from the
    /// line prefetched at arrival (`advancePipeline`); an atom chosen before that (pending) is
    /// filled on the spot.
    var rec: [UInt32] = []
    /// Words per atom record (a multiple of 16: whole cache lines).
    let recStride: Int
    /// Padding words in front of record 0 that put the records on 64-byte lines in `rec`'s current
    /// storage (`reallocateRecords`). Only a layout choice: every access adds it, so a copy of the
    /// model whose storage lands elsewhere stays correct (just possibly unaligned).
    var recOff = 0
    /// Index in `rec` of atom a's record.
    @inline(__always) func recIndex(_ a: Int) -> Int { recOff + a * recStride }
    /// Scratch list of sites whose hop environment must be refreshed (reused; no allocation).
    var envScratch: [Int32] = []
    /// Number of mobile atoms (ids 0 ..< atomCount).
    public private(set) var atomCount = 0
    /// Record-fill pipeline: a ring of the last `pipeDepth` arrivals (atom, its arrival number).
    var pipeAtom = [Int32](repeating: -1, count: ExchangeModel.pipeDepth)
    var pipeSeq = [UInt32](repeating: 0, count: ExchangeModel.pipeDepth)
    var pipeHead = 0
    /// Events between pipeline stages (4 measured best on the full wire: 8 and 16 give the line
    /// more time to be evicted again, 2 too little to arrive).
    static let pipeDepth = 4
    /// Atoms whose hops since the last `synchronize()` are not yet in the site arrays: pairs
    /// (atom id, the site `occ`/`siteAtom` still hold it at). On a multi-million-site wire `occ` and
    /// `siteAtom` are far larger than the cache, and a hop's four random stores into them stall the
    /// core. A hop without side effects writes only the atom's record and the occupancy bits; the
    /// first such hop of an atom since the last synchronisation appends the atom here (record flag
    /// 0x200). `synchronize` then clears every listed atom's old site and writes its current one
    /// (two passes, so the result is the current configuration whatever the order of the hops):
    /// O(atoms moved), not O(hops) — a hop-only run writes each atom's site once per engine run.
    /// It runs before anything reads those arrays: every non-hop event, every hop with side
    /// effects, the end of each engine run.
    /// Stored in a buffer that only grows (`unsyncedLen` entries used), so the hop kernel can append
    /// through a pointer: each atom is listed at most once, so 2·atomCount entries always suffice.
    var unsynced: [Int32] = []
    var unsyncedLen = 0
    /// Atoms listed in `unsynced`.
    public var unsyncedCount: Int { unsyncedLen / 2 }

    /// Make room in `unsynced` for every atom (the most it can list). Amortised O(1).
    mutating func reserveUnsynced() {
        let need = max(2 * atomCount, unsyncedLen + 2) + 64
        if unsynced.count < need { unsynced.append(contentsOf: repeatElement(-1, count: need - unsynced.count)) }
    }
    /// Hop rows with a fixed width (stride 2·`zH`): for site x and channel d (the order of
    /// `topo.hop`), entry 2d is the target site (Int32 bit pattern, −1 padded) and 2d + 1 that
    /// target's `word` (kept current: a word change is copied into its neighbours' rows). One line
    /// then holds everything an atom at x needs to hop.
    var hopRow: [UInt32]
    /// Maximum hop degree (channels per row).
    public let zH: Int
    /// Sites of the mobile interstitial atoms (Cu_i, Cd_i) in atom-id order (ids are dense; the last
    /// atom takes the id of a removed one). Atom a's hop slot is `baseAtom + a`. O(atoms).
    public var atomSite: [Int32] { (0..<atomCount).map { Int32(bitPattern: rec[recIndex($0)]) } }
    /// Site of atom `a`.
    @inline(__always) public func siteOf(_ a: Int) -> Int { Int(Int32(bitPattern: rec[recIndex(a)])) }
    @inline(__always) func species(_ a: Int) -> UInt8 { UInt8(truncatingIfNeeded: rec[recIndex(a) + 2]) }
    @inline(__always) func isPending(_ a: Int) -> Bool { rec[recIndex(a) + 2] & 0x100 != 0 }
    /// Atom id at each site, −1 when none.
    var siteAtom: [Int32]
    /// Interned hop environments (key, see `envKey`), by id.
    public internal(set) var envKeys: [UInt64] = []
    var envIndex: [UInt64: Int32] = [:]
    /// Composite class of a Cu (index 2·env) and of a Cd (2·env + 1) atom in each environment (−1: none).
    var envClass: [Int32] = []
    /// Composite classes by (event type, channel barriers).
    var compositeIndex: [CompositeKey: Int32] = [:]
    /// Forward barrier (eV) of a Cu hop by key ((ki·2 + kj)·(zI+1) + mi)·(zI+1) + mj, and of a Cd hop
    /// by ki·2 + kj; empty when the family is off.
    let cuHopBarrier: [Double], cdHopBarrier: [Double]
    /// Cu-occupied shell neighbours of each cation (their adsorption deepens when it is vacant).
    var nShCu: [UInt8]
    /// Donor Cu pool count and escaped-Cd pool count.
    public internal(set) var donorCu: Int
    public internal(set) var escapedCd: Int
    /// Initial totals.
    public internal(set) var initialCu: Int, initialCd: Int

    /// Slot bases: site slots [0, N), shell–shell, shell–interstitial, interstitial–cation edges,
    /// then one hop slot per mobile atom id.
    public let baseSS: Int32, baseSI: Int32, baseIC: Int32, baseAtom: Int32, slotCount: Int
    /// Per event type: class id table over its key space (flattened: type t's table starts at
    /// keyBase[t]; −1 when the type is switched off).
    let classOfKey: [Int32]
    let keyBase: [Int32]
    /// Radices for keys.
    let zI: Int, zC: Int, zT: Int, zV: Int, zS: Int
    /// The fixed (non-hop) class descriptions the rate-class table starts with; composite hop
    /// classes are appended to the table as environments appear.
    public let classInfo: [RateClassInfo]
    /// Whether any enabled event depends on n_CuTet (kick-off, Cu vacancy events) / on n_ShCu (vacancy events).
    let usesCuTet: Bool, usesShellCu: Bool
    /// Whether any interstitial–cation event is enabled; whether Frenkel pairs (Cd release) are.
    let usesIntCat: Bool, usesCdRelease: Bool
    /// Whether any event of a surface interstitial's own slots is enabled (Cd escape/return,
    /// penetration/exit): otherwise an occupancy change there refreshes nothing but the hop.
    let usesSurfaceInt: Bool
    /// Per-event-type executed counts.
    public internal(set) var executed: [UInt64]

    // MARK: setup

    /// Build the model, place vacancies, and return it with its filled rate-class table.
    public static func make(topology: LatticeTopology, parameters: ExchangeParameters,
                            initial: InitialState) throws -> (ExchangeModel, RateClassTable) {
        try parameters.validate()
        var m = try ExchangeModel(topology: topology, parameters: parameters, initial: initial)
        var table = RateClassTable(classes: m.classInfo, slotCount: m.slotCount)
        table.setReservoir(.donorCu, count: m.donorCu)
        table.setReservoir(.escapedCd, count: m.escapedCd)
        m.recomputeEnvs(&table)
        m.fillAll(&table)
        return (m, table)
    }

    init(topology t: LatticeTopology, parameters p: ExchangeParameters, initial: InitialState) throws {
        topo = t
        params = p
        let n = t.siteCount
        var o = [UInt8](repeating: Occupant.empty, count: n)
        for c in t.cationSites { o[Int(c)] = Occupant.cd }
        // Vacancies.
        guard (0...1).contains(initial.surfaceVacancyFraction), (0...1).contains(initial.bulkVacancyFraction) else {
            throw ModelError("defects: vacancy fractions must be in [0, 1], got surface \(initial.surfaceVacancyFraction), bulk \(initial.bulkVacancyFraction)")
        }
        guard initial.donorCu >= 0 else { throw ModelError("reservoirs.donor_cu must be ≥ 0, got \(initial.donorCu)") }
        let rng = try RandomGenerator(seed: initial.seed)
        for c in t.cationSites {
            let surface = t.catShell.range(Int(c)).count > 0
            let f = surface ? initial.surfaceVacancyFraction : initial.bulkVacancyFraction
            if f > 0 && rng.uniform() < f { o[Int(c)] = Occupant.empty }
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
            o[best] = Occupant.empty
        }
        for s in initial.vacancySites {
            guard s >= 0, s < n, t.kinds[s] == .cation else {
                throw ModelError("defects.vacancy_sites: \(s) is not a cation site index (0..<\(n))")
            }
            o[s] = Occupant.empty
        }
        occ = .hugePaged(copying: o)
        nCuNN = [UInt8](repeating: 0, count: n); nCdNN = nCuNN; nCuTet = nCuNN; mCu = nCuNN; nVac = nCuNN; nShCu = nCuNN
        word = .hugePaged(repeating: 0, count: n)
        occupied = [UInt64](repeating: 0, count: (n + 63) / 64)
        siteAtom = .hugePaged(repeating: -1, count: n)
        // Fixed-width hop rows.
        let zh = max(t.hop.maxDegree, 1)
        guard zh <= 12 else { throw ModelError("topology: an interstitial has \(zh) hop neighbours; hop environments hold at most 12") }
        zH = zh
        var ht = [UInt32].hugePaged(repeating: 0, count: n * 2 * zh)
        var nInt = 0
        for x in 0..<n {
            for d in 0..<zh { ht[(x * zh + d) * 2] = UInt32(bitPattern: -1) }
            guard t.kinds[x] == .tetra || t.kinds[x] == .octa else { continue }
            nInt += 1
            for (d, e) in t.hop.range(x).enumerated() { ht[(x * zh + d) * 2] = UInt32(bitPattern: t.hop.targets[e]) }
        }
        hopRow = ht
        recStride = (4 + 2 * zh + 15) / 16 * 16
        donorCu = initial.donorCu
        escapedCd = 0
        initialCu = initial.donorCu
        initialCd = t.cationSites.reduce(0) { $0 + (o[Int($1)] == Occupant.cd ? 1 : 0) }
        baseSS = Int32(n)
        baseSI = baseSS + Int32(t.shellShell.edgeCount)
        baseIC = baseSI + Int32(t.shellInt.edgeCount)
        baseAtom = baseIC + Int32(t.intCat.edgeCount)
        slotCount = Int(baseAtom) + nInt
        executed = [UInt64](repeating: 0, count: EventType.allCases.count)
        // Key radices.
        zI = max(t.cationsAroundTetra, t.cationsAroundOcta, 1)
        guard zI <= 7 else { throw ModelError("topology: an interstitial has \(zI) cation neighbours; the packed site state holds at most 7") }
        zC = max(t.cationNN.maxDegree, 1)
        var zt = 1
        for c in t.cationSites {
            var k = 0
            for e in t.catInt.range(Int(c)) where t.kinds[Int(t.catInt.targets[e])] == .tetra { k += 1 }
            zt = max(zt, k)
        }
        zT = zt
        zV = max(t.shellCat.maxDegree, 1)
        zS = max(t.catShell.maxDegree, 1)
        // Build class tables.
        let (table, info, hopBarriers) = ExchangeModel.buildClasses(p, zI: zI, zC: zC, zT: zT, zV: zV, zS: zS,
                                                          zTetra: max(t.cationsAroundTetra, 1), zOcta: max(t.cationsAroundOcta, 1))
        cuHopBarrier = hopBarriers[Int(EventType.cuHop.rawValue)]
        cdHopBarrier = hopBarriers[Int(EventType.cdHop.rawValue)]
        var flat: [Int32] = []
        var bases: [Int32] = []
        for tab in table {
            bases.append(tab.isEmpty ? -1 : Int32(flat.count))
            flat.append(contentsOf: tab)
        }
        classOfKey = flat
        keyBase = bases
        usesCuTet = !(table[Int(EventType.kickOff.rawValue)].isEmpty && table[Int(EventType.cuVacancyFill.rawValue)].isEmpty)
        usesShellCu = !(table[Int(EventType.cuVacancyFill.rawValue)].isEmpty && table[Int(EventType.cdVacancyFill.rawValue)].isEmpty)
        usesIntCat = usesCuTet || !table[Int(EventType.cdVacancyFill.rawValue)].isEmpty
        usesCdRelease = !table[Int(EventType.cdRelease.rawValue)].isEmpty
        usesSurfaceInt = [EventType.cdEscape, .cdReturn, .penetrate, .exitToShell].contains { !table[Int($0.rawValue)].isEmpty }
        classInfo = info
        recomputeCounters()
    }

    /// Symmetric clamped BEP split: forward barrier for midpoint `mid` and energy change `dE`.
    @inline(__always) public static func forwardBarrier(mid: Double, deltaE dE: Double) -> Double {
        max(mid + dE / 2, dE, 0)
    }

    /// Energy change and midpoint barrier of event `type` for key fields `f` (see `key(...)`).
    static func energetics(_ type: EventType, _ f: [Int], _ p: ExchangeParameters, zTetra: Int, zOcta: Int, zC: Int) -> (mid: Double, dE: Double) {
        let cuI = [p.cuTetra_eV, p.cuOcta_eV], cdI = [p.cdTetra_eV, p.cdOcta_eV]
        let J = p.interfaceJ_eV, U = p.cu2sePairU_eV
        func zk(_ k: Int) -> Double { Double(k == 0 ? zTetra : zOcta) }
        switch type {
        case .adsorb, .desorb:
            let dE = (p.adsorbedCu_eV - p.adsorptionVacancyDeepening_eV * Double(f[0])) - p.donorCu_eV
            let mid = p.adsorption_eV - (p.adsorbedCu_eV - p.donorCu_eV) / 2
            return (mid, type == .adsorb ? dE : -dE)
        case .shellHop:
            return (p.shellHop_eV, -p.adsorptionVacancyDeepening_eV * Double(f[1] - f[0]))
        case .penetrate, .exitToShell:
            let (nv, k, m) = (f[0], f[1], f[2])
            let isT = k == 0 ? 1.0 : 0.0
            let dE = cuI[k] + U * Double(m) * isT - (p.adsorbedCu_eV - p.adsorptionVacancyDeepening_eV * Double(nv))
            let frac = min(Double(m) / zk(k), 1)
            let ref = (1 - frac) * p.penetration_eV + frac * p.cu2sePenetration_eV - p.penetrationVacancyLowering_eV * Double(nv)
            let mid = ref - (cuI[k] - p.adsorbedCu_eV) / 2
            return (mid, type == .penetrate ? dE : -dE)
        case .cuHop:
            let (ki, kj, mi, mj) = (f[0], f[1], f[2], f[3])
            let dE = cuI[kj] - cuI[ki] + U * (Double(mj) * (kj == 0 ? 1 : 0) - Double(mi) * (ki == 0 ? 1 : 0))
            let frac = min(Double(mi + mj) / (zk(ki) + zk(kj)), 1)
            let ref = (1 - frac) * p.interstitialHop_eV + frac * p.cu2seHop_eV
            return (ref - abs(cuI[kj] - cuI[ki]) / 2, dE)
        case .cdHop:
            let (ki, kj) = (f[0], f[1])
            return (p.cdHop_eV - abs(cdI[kj] - cdI[ki]) / 2, cdI[kj] - cdI[ki])
        case .kickOff, .kickIn:
            let (k, m, nCu, nCd, nT) = (f[0], f[1], f[2], f[3], f[4])
            let isT = k == 0 ? 1.0 : 0.0
            let base = p.cuCation_eV + cdI[k] - cuI[k]
            let mid = p.kickOff_eV - (base + J * Double(zC)) / 2
            if type == .kickOff {
                return (mid, base + J * Double(nCd - nCu) + U * (Double(nT) - isT - isT * Double(m)))
            }
            return (mid, -base - J * Double(nCd - nCu) + U * (isT * Double(m - 1) - Double(nT)))
        case .cuVacancyFill, .cuRelease:
            // Filling a vacancy also removes the adsorption deepening of its nSh Cu shell neighbours.
            let (k, m, nCd, nT, nSh) = (f[0], f[1], f[2], f[3], f[4])
            let isT = k == 0 ? 1.0 : 0.0
            let base = p.cuCation_eV - p.cationVacancy_eV - cuI[k]
            let mid = p.cuVacancyFill_eV - (base + J * Double(zC)) / 2
            let sh = p.adsorptionVacancyDeepening_eV * Double(nSh)
            if type == .cuVacancyFill {
                return (mid, base + sh + J * Double(nCd) + U * (Double(nT) - isT - isT * Double(m)))
            }
            return (mid, -base - sh - J * Double(nCd) + U * (isT * Double(m - 1) - Double(nT)))
        case .cdVacancyFill, .cdRelease:
            let (k, nCu, nSh) = (f[0], f[1], f[2])
            let base = -p.cationVacancy_eV - cdI[k]
            let mid = p.cdVacancyFill_eV - base / 2
            let dE = base + J * Double(nCu) + p.adsorptionVacancyDeepening_eV * Double(nSh)
            return (mid, type == .cdVacancyFill ? dE : -dE)
        case .cdEscape, .cdReturn:
            let dE = p.escapedCd_eV - cdI[f[0]]
            return (p.cdEscape_eV - dE / 2, type == .cdEscape ? dE : -dE)
        }
    }

    /// Key radices of each type.
    static func radices(_ type: EventType, zI: Int, zC: Int, zT: Int, zV: Int, zS: Int) -> [Int] {
        switch type {
        case .adsorb, .desorb: return [zV + 1]
        case .shellHop: return [zV + 1, zV + 1]
        case .penetrate, .exitToShell: return [zV + 1, 2, zI + 1]
        case .cuHop: return [2, 2, zI + 1, zI + 1]
        case .cdHop: return [2, 2]
        case .kickOff, .kickIn: return [2, zI + 1, zC + 1, zC + 1, zT + 1]
        case .cuVacancyFill, .cuRelease: return [2, zI + 1, zC + 1, zT + 1, zS + 1]
        case .cdVacancyFill, .cdRelease: return [2, zC + 1, zS + 1]
        case .cdEscape, .cdReturn: return [2]
        }
    }

    /// Class tables of the edge/site event types, their classes, and per type the barrier table of
    /// the atom-centric hop types (cuHop, cdHop; empty for the others or when switched off).
    static func buildClasses(_ p: ExchangeParameters, zI: Int, zC: Int, zT: Int, zV: Int, zS: Int, zTetra: Int, zOcta: Int)
        -> ([[Int32]], [RateClassInfo], [[Double]]) {
        var tables: [[Int32]] = []
        var info: [RateClassInfo] = []
        var hop = [[Double]](repeating: [], count: EventType.allCases.count)
        struct K: Hashable { var t: UInt8; var e: UInt64; var r: UInt8 }
        var seen: [K: Int32] = [:]
        for type in EventType.allCases {
            let rad = radices(type, zI: zI, zC: zC, zT: zT, zV: zV, zS: zS)
            let size = rad.reduce(1, *)
            guard p.enabled.contains(type.family) else { tables.append([]); continue }
            if type == .cuHop || type == .cdHop {
                var f = [Int](repeating: 0, count: rad.count)
                hop[Int(type.rawValue)] = (0..<size).map { key in
                    var r = key
                    for i in stride(from: rad.count - 1, through: 0, by: -1) { f[i] = r % rad[i]; r /= rad[i] }
                    let (mid, dE) = energetics(type, f, p, zTetra: zTetra, zOcta: zOcta, zC: zC)
                    return forwardBarrier(mid: mid, deltaE: dE)
                }
                tables.append([])
                continue
            }
            let reservoir: ReservoirKind = type == .adsorb ? .donorCu : (type == .cdReturn ? .escapedCd : .none)
            var tab = [Int32](repeating: -1, count: size)
            var f = [Int](repeating: 0, count: rad.count)
            for key in 0..<size {
                var r = key
                for i in stride(from: rad.count - 1, through: 0, by: -1) { f[i] = r % rad[i]; r /= rad[i] }
                let (mid, dE) = energetics(type, f, p, zTetra: zTetra, zOcta: zOcta, zC: zC)
                let e = forwardBarrier(mid: mid, deltaE: dE)
                let k = K(t: type.rawValue, e: e.bitPattern, r: reservoir.rawValue)
                if let c = seen[k] { tab[key] = c } else {
                    let c = Int32(info.count)
                    seen[k] = c
                    info.append(RateClassInfo(eventType: type.rawValue, barrier_eV: e, nu: p.nu(type.family), reservoir: reservoir))
                    tab[key] = c
                }
            }
            tables.append(tab)
        }
        return (tables, info, hop)
    }

    // MARK: counters

    /// Recompute all counters from the occupancy. O(edges).
    mutating func recomputeCounters() {
        let t = topo
        for i in 0..<t.siteCount { nCuNN[i] = 0; nCdNN[i] = 0; nCuTet[i] = 0; mCu[i] = 0; nVac[i] = 0; nShCu[i] = 0 }
        for c in t.cationSites {
            let ci = Int(c)
            for e in t.cationNN.range(ci) {
                let o = occ[Int(t.cationNN.targets[e])]
                if o == Occupant.cu { nCuNN[ci] += 1 } else if o == Occupant.cd { nCdNN[ci] += 1 }
            }
            for e in t.catInt.range(ci) {
                let i = Int(t.catInt.targets[e])
                if t.kinds[i] == .tetra && occ[i] == Occupant.cu { nCuTet[ci] += 1 }
            }
        }
        for i in 0..<t.siteCount where t.kinds[i] == .tetra || t.kinds[i] == .octa {
            for e in t.intCat.range(i) where occ[Int(t.intCat.targets[e])] == Occupant.cu { mCu[i] += 1 }
        }
        for s in 0..<t.siteCount where t.kinds[s] == .shell {
            for e in t.shellCat.range(s) where occ[Int(t.shellCat.targets[e])] == Occupant.empty { nVac[s] += 1 }
            if occ[s] == Occupant.cu { for e in t.shellCat.range(s) { nShCu[Int(t.shellCat.targets[e])] += 1 } }
        }
        for x in 0..<t.siteCount {
            let surface: UInt8 = t.kinds[x] != .cation && t.kinds[x] != .shell && t.isSurfaceInterstitial[x] ? 128 : 0
            word[x] = (word[x] & ~0xFF) | UInt32((t.kinds[x].rawValue << 2) | (mCu[x] << 4) | surface)
            if (t.kinds[x] == .tetra || t.kinds[x] == .octa) && occ[x] != Occupant.empty { setBit(x) } else { clearBit(x) }
        }
    }

    // MARK: hop environments (atom-centric hop classes)

    /// Hop-environment key of interstitial `x` from the site words: bit 0 kind index (tetra 0,
    /// octa 1), 1–3 m, 4–7 hop degree, then 4 bits per row entry d (kind index, m << 1). O(zH).
    func envKey(_ x: Int) -> UInt64 {
        let w = word[x]
        var k = UInt64(((w >> 2) & 3) - 1) | UInt64((w >> 4) & 7) << 1
        var deg: UInt64 = 0
        for d in 0..<zH {
            let j = target(x, d)
            if j < 0 { break }
            let wj = word[Int(j)]
            k |= (UInt64(((wj >> 2) & 3) - 1) | UInt64((wj >> 4) & 7) << 1) << (8 + 4 * deg)
            deg += 1
        }
        return k | deg << 4
    }

    /// Id of environment `key`, interning it (and its composite classes in `t`) on first sight.
    mutating func internEnv(_ key: UInt64, _ t: inout RateClassTable) -> Int32 {
        if let e = envIndex[key] { return e }
        let e = Int32(envKeys.count)
        precondition(e < (1 << 24), "more than 2^24 hop environments")
        envKeys.append(key)
        envIndex[key] = e
        let ki = Int(key & 1), mi = Int((key >> 1) & 7), deg = Int((key >> 4) & 15)
        var cu: [Double] = [], cd: [Double] = []
        for d in 0..<deg {
            let f = Int((key >> UInt64(8 + 4 * d)) & 15)
            let kj = f & 1, mj = f >> 1
            if !cuHopBarrier.isEmpty { cu.append(cuHopBarrier[((ki * 2 + kj) * (zI + 1) + mi) * (zI + 1) + mj]) }
            if !cdHopBarrier.isEmpty { cd.append(cdHopBarrier[ki * 2 + kj]) }
        }
        envClass.append(cu.isEmpty ? -1 : compositeClass(.cuHop, cu, &t))
        envClass.append(cd.isEmpty ? -1 : compositeClass(.cdHop, cd, &t))
        return e
    }

    /// The composite class of `type` with these channel barriers, added to `t` if new.
    mutating func compositeClass(_ type: EventType, _ channels: [Double], _ t: inout RateClassTable) -> Int32 {
        let k = CompositeKey(type: type.rawValue, barriers: channels.map(\.bitPattern))
        if let c = compositeIndex[k] { return c }
        let c = t.addClass(RateClassInfo(eventType: type.rawValue, channels: channels, nu: params.nu(type.family)))
        compositeIndex[k] = c
        return c
    }

    /// Recompute the environment of every interstitial (interning new ones). O(N·zH).
    mutating func recomputeEnvs(_ t: inout RateClassTable) {
        for x in 0..<topo.siteCount where topo.kinds[x] == .tetra || topo.kinds[x] == .octa {
            let e = internEnv(envKey(x), &t)
            word[x] = (word[x] & 0xFF) | UInt32(e) << 8
        }
        syncRows()
    }

    /// Refresh the environment of interstitial `x`: its word, the class and record of an atom on
    /// it, and the copies of its word in the records of atoms next to it. The pipeline must be
    /// settled (no pending records).
    mutating func refreshEnv(_ x: Int, _ t: inout RateClassTable) {
        let e = internEnv(envKey(x), &t)
        let w = (word[x] & 0xFF) | UInt32(e) << 8
        setWord(x, w)
        let a = siteAtom[x]
        if a >= 0 {
            rec[recIndex(Int(a)) + 1] = w
            t.assign(baseAtom + a, to: atomClass(species(Int(a)), w))
        }
    }

    /// Class of a mobile atom of `species` on a site with word `w` (−1 if its hop family is off or
    /// it has no hops).
    @inline(__always) func atomClass(_ species: UInt8, _ w: UInt32) -> Int32 {
        if species == Occupant.empty { return -1 }
        return envClass[Int(w >> 8) * 2 + (species == Occupant.cd ? 1 : 0)]
    }

    /// Target of channel `d` of site `x` (−1: none).
    @inline(__always) func target(_ x: Int, _ d: Int) -> Int32 { Int32(bitPattern: hopRow[(x * zH + d) * 2]) }

    /// Set `word[x]` and copy it into the rows of x's hop neighbours (and of their atoms' records).
    /// The pipeline must be settled.
    mutating func setWord(_ x: Int, _ w: UInt32) {
        word[x] = w
        for d in 0..<zH {
            let y = target(x, d)
            if y < 0 { break }
            let b = Int(siteAtom[Int(y)])
            for k in 0..<zH where target(Int(y), k) == Int32(x) {
                hopRow[(Int(y) * zH + k) * 2 + 1] = w
                if b >= 0 { rec[recIndex(b) + 5 + 2 * k] = w }
            }
        }
    }

    /// Copy every site's word into its neighbours' rows. O(N·zH).
    mutating func syncRows() {
        for x in 0..<topo.siteCount {
            for d in 0..<zH {
                let y = target(x, d)
                if y >= 0 { hopRow[(x * zH + d) * 2 + 1] = word[Int(y)] }
            }
        }
    }

    @inline(__always) func isOccupied(_ x: Int) -> Bool { occupied[x >> 6] & (1 << UInt64(x & 63)) != 0 }
    @inline(__always) mutating func setBit(_ x: Int) { occupied[x >> 6] |= 1 << UInt64(x & 63) }
    @inline(__always) mutating func clearBit(_ x: Int) { occupied[x >> 6] &= ~(1 << UInt64(x & 63)) }

    // MARK: atom records

    /// Fill atom a's record from its site now (hop row and the neighbours' words).
    mutating func fillRecord(_ a: Int) {
        rec[recIndex(a) + 1] = word[siteOf(a)]
        fillRow(a)
    }

    /// Complete atom a's record from its site's hop row (its own word is already current: a hop
    /// copies it from the row of the site it left). Reads only the row line, which the pipeline
    /// prefetched; `word` is a random read on large wires and stays out of the hop path.
    mutating func fillRow(_ a: Int) {
        let r = recIndex(a)
        let n = 2 * zH
        let x = siteOf(a)
        hopRow.withUnsafeBufferPointer { h in
            rec.withUnsafeMutableBufferPointer { d in
                precondition(r + 4 + n <= d.count && (x + 1) * n <= h.count)
                let src = h.baseAddress! + x * n, dst = d.baseAddress! + r + 4
                for k in 0..<n { dst[k] = src[k] }
                d[r + 2] &= ~0x100
            }
        }
    }

    /// Write the current sites of the atoms listed in `unsynced` into `occ` and `siteAtom`
    /// (clear every old site first, then set every new one), prefetching a few atoms ahead so the
    /// cache misses overlap. After this `occ` and `siteAtom` are current. O(listed atoms).
    public mutating func synchronize() {
        let n = unsyncedLen / 2
        if n == 0 { return }
        let ahead = 8
        let stride = recStride
        unsynced.withUnsafeBufferPointer { list in
            rec.withUnsafeMutableBufferPointer { r in
                occ.withUnsafeMutableBufferPointer { o in
                    siteAtom.withUnsafeMutableBufferPointer { sa in
                        precondition(list.count >= 2 * n)
                        let p = r.baseAddress! + recOff
                        @inline(__always) func warm(_ x: Int) {
                            cekmc_prefetch_write(o.baseAddress! + x); cekmc_prefetch_write(sa.baseAddress! + x)
                        }
                        // Pass 1: vacate the sites the arrays still hold the atoms at.
                        for k in 0..<min(ahead, n) { warm(Int(list[2 * k + 1])) }
                        for k in 0..<n {
                            if k + ahead < n { warm(Int(list[2 * (k + ahead) + 1])) }
                            let x = Int(list[2 * k + 1])
                            o[x] = Occupant.empty
                            sa[x] = -1
                        }
                        // Pass 2: occupy the atoms' current sites.
                        for k in 0..<min(ahead, n) { cekmc_prefetch(p + Int(list[2 * k]) * stride) }
                        for k in 0..<n {
                            if k + ahead < n { cekmc_prefetch(p + Int(list[2 * (k + ahead)]) * stride) }
                            if k + ahead / 2 < n { warm(Int(Int32(bitPattern: p[Int(list[2 * (k + ahead / 2)]) * stride]))) }
                            let a = Int(list[2 * k])
                            let x = Int(Int32(bitPattern: p[a * stride]))
                            let w = p[a * stride + 2]
                            o[x] = UInt8(truncatingIfNeeded: w)
                            sa[x] = Int32(a)
                            p[a * stride + 2] = w & ~0x200
                        }
                    }
                }
            }
        }
        unsyncedLen = 0
    }

    /// Start loading the record of the atom whose hop slot is `slot` (engine look-ahead).
    @inline(__always) public func prefetch(slot: Int32) {
        if slot < baseAtom { return }
        let r = recIndex(Int(slot - baseAtom))
        rec.withUnsafeBufferPointer { p in
            cekmc_prefetch(p.baseAddress! + r)
            if recStride > 16 { cekmc_prefetch(p.baseAddress! + r + recStride - 1) }
        }
    }

    /// Start loading, for writing, the occupancy words of the site and of the channel's target of
    /// the atom in `slot` (its record is in cache: an earlier look-ahead stage prefetched it).
    @inline(__always) public func prefetch(slot: Int32, channel: Int32) {
        if slot < baseAtom || channel < 0 { return }
        let ra = recIndex(Int(slot - baseAtom))
        let x = Int(Int32(bitPattern: rec[ra])), j = Int(Int32(bitPattern: rec[ra + 4 + 2 * Int(channel)]))
        occupied.withUnsafeBufferPointer { b in
            cekmc_prefetch_write(b.baseAddress! + (x >> 6))
            if j >= 0 { cekmc_prefetch_write(b.baseAddress! + (j >> 6)) }
        }
    }

    /// Run `body` on raw views of the hop path's arrays (the hop kernel, `HopKernel.swift`), then
    /// store back the counters it advanced. `unsynced` has room for every atom first. No pointer
    /// outlives the call.
    mutating func withHopView<R>(_ body: (inout HopView) -> R) -> R {
        reserveUnsynced()
        let stride = recStride, z = zH
        var hops = (cu: UInt64(0), cd: UInt64(0))
        var head = pipeHead, len = unsyncedLen
        let result = rec.withUnsafeMutableBufferPointer { r in
            occupied.withUnsafeMutableBufferPointer { o in
                hopRow.withUnsafeBufferPointer { h in
                    envClass.withUnsafeBufferPointer { e in
                        pipeAtom.withUnsafeMutableBufferPointer { pa in
                            pipeSeq.withUnsafeMutableBufferPointer { ps in
                                unsynced.withUnsafeMutableBufferPointer { u in
                                    var v = HopView(rec: r.baseAddress! + recOff, stride: stride, occupied: o.baseAddress!,
                                                    hopRow: h.baseAddress!, zH: z, envClass: e.baseAddress!,
                                                    pipeAtom: pa.baseAddress!, pipeSeq: ps.baseAddress!, pipeDepth: pa.count,
                                                    pipeHead: head, unsynced: u.baseAddress!, unsyncedLen: len)
                                    let res = body(&v)
                                    precondition(v.unsyncedLen <= u.count)
                                    head = v.pipeHead; len = v.unsyncedLen; hops = (v.cuHops, v.cdHops)
                                    return res
                                }
                            }
                        }
                    }
                }
            }
        }
        pipeHead = head
        unsyncedLen = len
        executed[Int(EventType.cuHop.rawValue)] &+= hops.cu
        executed[Int(EventType.cdHop.rawValue)] &+= hops.cd
        return result
    }

    /// The hop kernel (`HopKernel.swift`).
    public static func burst(_ engine: inout Engine<ExchangeModel>, maxEvents: UInt64, done: inout UInt64) -> Bool {
        engine.hopBurst(maxEvents: maxEvents, done: &done)
    }

    /// Complete every pending record and write the deferred sites now (before any event that is not a
    /// hop, and before anything reads the records or site arrays from outside the hop path).
    mutating func settle() {
        synchronize()
        for k in 0..<pipeAtom.count {
            let a = Int(pipeAtom[k])
            if a >= 0 && a < atomCount && isPending(a) { fillRow(a) }
            pipeAtom[k] = -1
        }
    }

    /// Record-fill pipeline step after atom `a` arrived at `j`: copy the record of the arrival
    /// `pipeDepth` hops ago (its row was prefetched then), and prefetch row j.
    @inline(__always) mutating func advancePipeline(_ a: Int32, _ j: Int) {
        let head = pipeHead
        let old = Int(pipeAtom[head])
        if old >= 0 && isPending(old) && rec[recIndex(old) + 3] == pipeSeq[head] { fillRow(old) }
        pipeAtom[head] = a
        pipeSeq[head] = rec[recIndex(Int(a)) + 3]
        pipeHead = head + 1 == pipeAtom.count ? 0 : head + 1
        let row = j * 2 * zH
        hopRow.withUnsafeBufferPointer { cekmc_prefetch($0.baseAddress! + row) }
    }

    /// Seed the environment and composite-class tables from a checkpoint (ids then match the saved
    /// run's): `t` must already hold the checkpoint's classes.
    public mutating func importEnvironments(_ keys: [UInt64], classes t: inout RateClassTable) throws {
        compositeIndex = [:]
        for c in 0..<t.classCount where !t.info[c].channels.isEmpty {
            compositeIndex[CompositeKey(type: t.info[c].eventType, barriers: t.info[c].channels.map(\.bitPattern))] = Int32(c)
        }
        let before = t.classCount
        for (i, k) in keys.enumerated() {
            let e = internEnv(k, &t)
            guard e == Int32(i) else { throw CheckpointError("checkpoint hop environment \(i) is a duplicate or out of order") }
        }
        guard t.classCount == before else { throw CheckpointError("checkpoint hop environments need classes the checkpoint does not list") }
    }

    // MARK: mobile atoms

    /// Register a new mobile atom at `x` (species from `occ`) and file its hop slot. Pipeline settled.
    mutating func addAtom(_ x: Int, _ t: inout RateClassTable) {
        let a = Int32(atomCount)
        atomCount += 1
        if rec.count + recStride > rec.capacity {
            // Grow in huge-page-backed storage: the hop path reads random records.
            reallocateRecords(capacity: Swift.max(2 * rec.capacity, 1 << 20), keeping: atomCount - 1)
        }
        rec.append(contentsOf: repeatElement(0, count: recStride))
        rec[recIndex(Int(a))] = UInt32(bitPattern: Int32(x))
        rec[recIndex(Int(a)) + 2] = UInt32(occ[x])
        siteAtom[x] = a
        fillRecord(Int(a))
        t.assign(baseAtom + a, to: atomClass(occ[x], word[x]))
    }

    /// Move the first `kept` records into fresh huge-page-backed storage with room for `capacity`
    /// record words, padded in front so that record 0 starts on a 64-byte line: a record of
    /// `recStride` words is then exactly one (or two) cache lines, one prefetch on the hop path. O(kept).
    mutating func reallocateRecords(capacity: Int, keeping kept: Int) {
        let line = 16
        var fresh = [UInt32].hugePaged(copying: [UInt32](repeating: 0, count: line), capacity: capacity + line)
        let misalign = fresh.withUnsafeBufferPointer { (Int(bitPattern: $0.baseAddress!) & 63) / 4 }
        let pad = (line - misalign) % line
        fresh.removeLast(line - pad)
        fresh.append(contentsOf: rec[recOff..<(recOff + kept * recStride)])
        rec = fresh
        recOff = pad
    }

    /// Remove the mobile atom at `x`; the last atom takes its id (and hop slot).
    mutating func removeAtom(_ x: Int, _ t: inout RateClassTable) {
        let a = siteAtom[x]
        let last = Int32(atomCount - 1)
        t.assign(baseAtom + a, to: -1)
        if a != last {
            let y = siteOf(Int(last))
            t.assign(baseAtom + last, to: -1)
            for k in 0..<recStride { rec[recIndex(Int(a)) + k] = rec[recIndex(Int(last)) + k] }
            siteAtom[y] = a
            fillRecord(Int(a))
            t.assign(baseAtom + a, to: atomClass(species(Int(a)), word[y]))
        }
        atomCount -= 1
        rec.removeLast(recStride)
        siteAtom[x] = -1
    }

    /// Rebuild the atom list: in `order` (sites) when given, else in site order. O(N).
    mutating func rebuildAtoms(order: [Int32]? = nil) throws {
        for a in 0..<atomCount { siteAtom[siteOf(a)] = -1 }
        var atomSite: [Int32] = []
        for k in 0..<pipeAtom.count { pipeAtom[k] = -1 }
        defer {
            atomCount = atomSite.count
            reallocateRecords(capacity: atomCount * recStride, keeping: 0)
            rec.append(contentsOf: repeatElement(0, count: atomCount * recStride))
            for (a, x) in atomSite.enumerated() {
                rec[recIndex(a)] = UInt32(bitPattern: x)
                rec[recIndex(a) + 2] = UInt32(occ[Int(x)])
                fillRecord(a)
            }
        }
        if let order {
            for x in order {
                guard x >= 0, Int(x) < topo.siteCount, topo.kinds[Int(x)] == .tetra || topo.kinds[Int(x)] == .octa,
                      occ[Int(x)] != Occupant.empty, siteAtom[Int(x)] < 0 else {
                    throw CheckpointError("checkpoint atom list is inconsistent at site \(x)")
                }
                siteAtom[Int(x)] = Int32(atomSite.count); atomSite.append(x)
            }
        }
        for x in 0..<topo.siteCount where (topo.kinds[x] == .tetra || topo.kinds[x] == .octa) && occ[x] != Occupant.empty && siteAtom[x] < 0 {
            guard order == nil else { throw CheckpointError("checkpoint atom list misses the atom at site \(x)") }
            siteAtom[x] = Int32(atomSite.count); atomSite.append(Int32(x))
        }
    }

    // MARK: classification (state → class of a slot)

    @inline(__always) func lookup(_ type: EventType, _ key: Int) -> Int32 {
        let b = keyBase[Int(type.rawValue)]
        return b < 0 ? -1 : classOfKey[Int(b) + key]
    }

    @inline(__always) func kindIndex(_ i: Int) -> Int { topo.kinds[i] == .tetra ? 0 : 1 }

    /// Class of site slot `x` (adsorb/desorb on shell sites; Cd escape/return on surface interstitials).
    @inline(__always) func classOfSite(_ x: Int) -> Int32 {
        switch topo.kinds[x] {
        case .shell:
            return lookup(occ[x] == Occupant.cu ? .desorb : .adsorb, Int(nVac[x]))
        case .tetra, .octa:
            guard topo.isSurfaceInterstitial[x] else { return -1 }
            let o = occ[x]
            if o == Occupant.cd { return lookup(.cdEscape, kindIndex(x)) }
            if o == Occupant.empty { return lookup(.cdReturn, kindIndex(x)) }
            return -1
        case .cation:
            return -1
        }
    }

    /// Class of shell–shell edge `e`.
    @inline(__always) func classOfShellShell(_ e: Int) -> Int32 {
        let s = Int(topo.shellShell.sources[e]), d = Int(topo.shellShell.targets[e])
        guard occ[s] == Occupant.cu && occ[d] == Occupant.empty else { return -1 }
        return lookup(.shellHop, Int(nVac[s]) * (zV + 1) + Int(nVac[d]))
    }

    /// Class of shell–interstitial edge `e`.
    @inline(__always) func classOfShellInt(_ e: Int) -> Int32 {
        let s = Int(topo.shellInt.sources[e]), i = Int(topo.shellInt.targets[e])
        let os = occ[s], oi = occ[i]
        let key = (Int(nVac[s]) * 2 + kindIndex(i)) * (zI + 1) + Int(mCu[i])
        if os == Occupant.cu && oi == Occupant.empty { return lookup(.penetrate, key) }
        if os == Occupant.empty && oi == Occupant.cu { return lookup(.exitToShell, key) }
        return -1
    }

    /// Site kind from a packed site word (no optional unwrap in the hot path).
    @inline(__always) static func siteKind(_ w: UInt32) -> SiteKind {
        switch (w >> 2) & 3 {
        case 0: return .cation
        case 1: return .tetra
        case 2: return .octa
        default: return .shell
        }
    }

    /// Class of interstitial–cation edge `e` (i, c).
    @inline(__always) func classOfIntCat(_ e: Int) -> Int32 {
        let i = Int(topo.intCat.sources[e]), c = Int(topo.intCat.targets[e])
        let oi = occ[i], oc = occ[c]
        let type: EventType
        switch (oi, oc) {
        case (Occupant.cu, Occupant.cd): type = .kickOff
        case (Occupant.cd, Occupant.cu): type = .kickIn
        case (Occupant.cu, Occupant.empty), (Occupant.empty, Occupant.cu):
            let key = (((kindIndex(i) * (zI + 1) + Int(mCu[i])) * (zC + 1) + Int(nCdNN[c])) * (zT + 1) + Int(nCuTet[c])) * (zS + 1) + Int(nShCu[c])
            return lookup(oi == Occupant.cu ? .cuVacancyFill : .cuRelease, key)
        case (Occupant.cd, Occupant.empty), (Occupant.empty, Occupant.cd):
            let key = (kindIndex(i) * (zC + 1) + Int(nCuNN[c])) * (zS + 1) + Int(nShCu[c])
            return lookup(oi == Occupant.cd ? .cdVacancyFill : .cdRelease, key)
        default: return -1
        }
        let key = (((kindIndex(i) * (zI + 1) + Int(mCu[i])) * (zC + 1) + Int(nCuNN[c])) * (zC + 1) + Int(nCdNN[c])) * (zT + 1) + Int(nCuTet[c])
        return lookup(type, key)
    }

    /// Class of any slot (slow path: decodes the slot space).
    public func classOf(slot: Int32) -> Int32 {
        if slot < baseSS { return classOfSite(Int(slot)) }
        if slot < baseSI { return classOfShellShell(Int(slot - baseSS)) }
        if slot < baseIC { return classOfShellInt(Int(slot - baseSI)) }
        if slot < baseAtom { return classOfIntCat(Int(slot - baseIC)) }
        let a = Int(slot - baseAtom)
        guard a < atomCount else { return -1 }
        let x = siteOf(a)
        return atomClass(occ[x], word[x])
    }

    /// The slot and channel holding the reverse of the event (`slot`, `channel`) once it has been
    /// performed: site and edge events are their own slot; a hop's reverse is the same atom's
    /// channel back to the site it came from.
    public func reverse(slot: Int32, channel: Int32, from source: Int) -> (slot: Int32, channel: Int32) {
        if slot < baseSS || slot >= baseIC && slot < baseAtom || (slot >= baseSI && slot < baseIC) { return (slot, -1) }
        if slot < baseSI { return (baseSS + topo.shellShellReverse[Int(slot - baseSS)], -1) }
        let j = siteOf(Int(slot - baseAtom))
        for d in 0..<zH where target(j, d) == Int32(source) { return (slot, Int32(d)) }
        return (slot, -1)
    }

    /// Target site of channel `d` of the atom in hop slot `slot`.
    public func hopTarget(slot: Int32, channel d: Int32) -> Int {
        Int(target(siteOf(Int(slot - baseAtom)), Int(d)))
    }

    /// Assign every slot from scratch (atoms and environments must be current).
    mutating func fillAll(_ table: inout RateClassTable) {
        for s in 0..<slotCount { table.assign(Int32(s), to: classOf(slot: Int32(s))) }
    }

    // MARK: refresh (incremental, per the locality contract)

    /// Refresh the site and edge slots of `x` (hop slots of atoms are handled by the callers).
    func refreshSiteSlots(_ x: Int, _ t: inout RateClassTable) {
        switch ExchangeModel.siteKind(word[x]) {
        case .shell:
            t.assign(Int32(x), to: classOfSite(x))
            for e in topo.shellShell.range(x) {
                t.assign(baseSS + Int32(e), to: classOfShellShell(e))
                if occ[Int(topo.shellShell.targets[e])] != Occupant.empty {
                    let r = Int(topo.shellShellReverse[e])
                    t.assign(baseSS + Int32(r), to: classOfShellShell(r))
                }
            }
            for e in topo.shellInt.range(x) { t.assign(baseSI + Int32(e), to: classOfShellInt(e)) }
        case .tetra, .octa:
            if word[x] & 128 != 0 {  // surface interstitial
                t.assign(Int32(x), to: classOfSite(x))
                for e in topo.intShell.range(x) {
                    let se = Int(topo.intShellEdge[e])
                    t.assign(baseSI + Int32(se), to: classOfShellInt(se))
                }
            }
            if usesIntCat { for e in topo.intCat.range(x) { t.assign(baseIC + Int32(e), to: classOfIntCat(e)) } }
        case .cation:
            for e in topo.catInt.range(x) {
                let ie = Int(topo.catIntEdge[e])
                t.assign(baseIC + Int32(ie), to: classOfIntCat(ie))
            }
        }
    }

    /// Change the occupancy of `x` to `new`, update counters and refresh every dependent slot
    /// (creating, re-filing or removing the mobile atom of an interstitial).
    mutating func setOccupancy(_ x: Int, _ new: UInt8, _ t: inout RateClassTable) {
        let old = occ[x]
        if old == new { return }
        occ[x] = new
        switch ExchangeModel.siteKind(word[x]) {
        case .tetra, .octa:
            if new == Occupant.empty { clearBit(x) } else { setBit(x) }
            if old == Occupant.empty { addAtom(x, &t) }
            else if new == Occupant.empty { removeAtom(x, &t) }
            else {
                let a = Int(siteAtom[x])
                rec[recIndex(a) + 2] = (rec[recIndex(a) + 2] & ~0xFF) | UInt32(new)
                t.assign(baseAtom + Int32(a), to: atomClass(new, word[x]))
            }
        default: break
        }
        occupancyChanged(x, old: old, new: new, &t)
    }

    /// Everything that follows an occupancy change at `x` except the hop slot of an atom there:
    /// `x`'s site/edge slots, counters of its neighbours and the slots that read them.
    mutating func occupancyChanged(_ x: Int, old: UInt8, new: UInt8, _ t: inout RateClassTable) {
        refreshSiteSlots(x, &t)
        switch ExchangeModel.siteKind(word[x]) {
        case .cation:
            let dCu = Int(new == Occupant.cu ? 1 : 0) - Int(old == Occupant.cu ? 1 : 0)
            let dCd = Int(new == Occupant.cd ? 1 : 0) - Int(old == Occupant.cd ? 1 : 0)
            let dV = Int(new == Occupant.empty ? 1 : 0) - Int(old == Occupant.empty ? 1 : 0)
            for e in topo.cationNN.range(x) {
                let c = Int(topo.cationNN.targets[e])
                nCuNN[c] = UInt8(Int(nCuNN[c]) + dCu)
                nCdNN[c] = UInt8(Int(nCdNN[c]) + dCd)
                // Edges of c whose interstitial is empty while c holds Cd can only hold a Frenkel
                // event (Cd release); skip them when that family is off (their class stays −1).
                let cHoldsCd = occ[c] == Occupant.cd
                for f in topo.catInt.range(c) {
                    if cHoldsCd && !usesCdRelease && occ[Int(topo.catInt.targets[f])] == Occupant.empty { continue }
                    let ie = Int(topo.catIntEdge[f])
                    t.assign(baseIC + Int32(ie), to: classOfIntCat(ie))
                }
            }
            if dCu != 0 {
                for e in topo.catInt.range(x) {
                    let i = Int(topo.catInt.targets[e])
                    mCu[i] = UInt8(Int(mCu[i]) + dCu)
                    word[i] = (word[i] & ~0x70) | UInt32(mCu[i]) << 4
                }
                // Environments read m of the site and of its hop neighbours: refresh after all m
                // changed, each affected site once (the interstitials around x are hop neighbours of
                // one another, so their neighbourhoods overlap).
                envScratch.removeAll(keepingCapacity: true)
                for e in topo.catInt.range(x) {
                    let i = topo.catInt.targets[e]
                    if !envScratch.contains(i) { envScratch.append(i) }
                    for d in 0..<zH {
                        let j = target(Int(i), d)
                        if j < 0 { break }
                        if !envScratch.contains(j) { envScratch.append(j) }
                    }
                }
                for k in envScratch.indices { refreshEnv(Int(envScratch[k]), &t) }
                for e in topo.catInt.range(x) { refreshCuDependents(Int(topo.catInt.targets[e]), &t) }
            }
            if dV != 0 {
                for e in topo.catShell.range(x) {
                    let s = Int(topo.catShell.targets[e])
                    nVac[s] = UInt8(Int(nVac[s]) + dV)
                    refreshSiteSlots(s, &t)
                }
            }
        case .tetra:
            // n_CuTet is read only by kick-off and Cu-vacancy events: with both off it is not
            // maintained (a hop then touches no cation data; `verifyIncremental` skips it).
            let dCu = Int(new == Occupant.cu ? 1 : 0) - Int(old == Occupant.cu ? 1 : 0)
            if dCu != 0 && usesCuTet {
                for e in topo.intCat.range(x) {
                    let c = Int(topo.intCat.targets[e])
                    nCuTet[c] = UInt8(Int(nCuTet[c]) + dCu)
                    // Only Cu-involving events on c's edges depend on n_CuTet.
                    for f in topo.catInt.range(c) {
                        let ie = Int(topo.catIntEdge[f])
                        if occ[c] == Occupant.cu || occ[Int(topo.intCat.sources[ie])] == Occupant.cu {
                            t.assign(baseIC + Int32(ie), to: classOfIntCat(ie))
                        }
                    }
                }
            }
        case .shell:
            let dCu = Int(new == Occupant.cu ? 1 : 0) - Int(old == Occupant.cu ? 1 : 0)
            for e in topo.shellCat.range(x) {
                let c = Int(topo.shellCat.targets[e])
                nShCu[c] = UInt8(Int(nShCu[c]) + dCu)
                // Only vacancy-changing events on c's edges depend on n_ShCu.
                if !usesShellCu { continue }
                for f in topo.catInt.range(c) {
                    let ie = Int(topo.catIntEdge[f])
                    if occ[c] == Occupant.empty || occ[Int(topo.intCat.sources[ie])] == Occupant.empty {
                        t.assign(baseIC + Int32(ie), to: classOfIntCat(ie))
                    }
                }
            }
        case .octa:
            break
        }
    }

    /// Refresh i's edge events, which depend on m(i) (Cu cation neighbours of interstitial i). The
    /// hop environments that read m(i) are refreshed by the caller.
    func refreshCuDependents(_ i: Int, _ t: inout RateClassTable) {
        for e in topo.intCat.range(i) { t.assign(baseIC + Int32(e), to: classOfIntCat(e)) }
        for e in topo.intShell.range(i) {
            let se = Int(topo.intShellEdge[e])
            t.assign(baseSI + Int32(se), to: classOfShellInt(se))
        }
    }

    // MARK: events

    /// Perform the event in `slot` of class `rateClass` (channel `channel` of a hop slot). Returns
    /// false, changing nothing, when a hop's target is occupied (a null event, see file header).
    public mutating func perform(slot: Int32, rateClass: Int32, channel: Int32, classes t: inout RateClassTable) -> Bool {
        if slot >= baseAtom {
            // Hop of a mobile atom: the hot path reads only the atom's record (atom-indexed, in
            // cache) and the occupancy bits; site arrays are only written.
            let a = Int(slot - baseAtom)
            let ra = recIndex(a)
            if rec[ra + 2] & 0x100 != 0 { fillRow(a) }
            let r = ra + 4 + 2 * Int(channel)
            let j = Int(Int32(bitPattern: rec[r]))
            if isOccupied(j) { return false }
            let x = Int(Int32(bitPattern: rec[ra]))
            let wx = rec[ra + 1], wj = rec[r + 1]
            let flags = rec[ra + 2]
            let o = UInt8(truncatingIfNeeded: flags)
            executed[o == Occupant.cu ? Int(EventType.cuHop.rawValue) : Int(EventType.cdHop.rawValue)] &+= 1
            clearBit(x); setBit(j)
            rec[ra] = UInt32(bitPattern: Int32(j))
            rec[ra + 1] = wj
            rec[ra + 2] = flags | 0x100
            rec[ra + 3] &+= 1
            t.move(slot, from: rateClass, to: atomClass(o, wj))
            advancePipeline(Int32(a), j)
            // Non-hop dependents (surface events, edge events, n_CuTet) only when they exist; they
            // read no hop environment, so pending records may stay pending. They read `occ`, so
            // the log is applied first; a hop without them only logs its site writes.
            if ((wx | wj) & 128 != 0 && usesSurfaceInt) || usesIntCat {
                synchronize()
                rec[ra + 2] = UInt32(o) | 0x100
                occ[x] = Occupant.empty
                occ[j] = o
                siteAtom[x] = -1
                siteAtom[j] = Int32(a)
                occupancyChanged(x, old: o, new: Occupant.empty, &t)
                occupancyChanged(j, old: Occupant.empty, new: o, &t)
            } else if flags & 0x200 == 0 {
                // First hop since the last synchronisation: the arrays still hold the atom at x.
                rec[ra + 2] = UInt32(o) | 0x300
                if unsyncedLen + 2 > unsynced.count { reserveUnsynced() }
                unsynced[unsyncedLen] = Int32(a)
                unsynced[unsyncedLen + 1] = Int32(x)
                unsyncedLen += 2
            }
            return true
        }
        settle()
        let type = EventType(rawValue: t.classType[Int(rateClass)])!
        executed[Int(type.rawValue)] &+= 1
        switch type {
        case .adsorb:
            donorCu -= 1; t.setReservoir(.donorCu, count: donorCu)
            setOccupancy(Int(slot), Occupant.cu, &t)
        case .desorb:
            donorCu += 1; t.setReservoir(.donorCu, count: donorCu)
            setOccupancy(Int(slot), Occupant.empty, &t)
        case .cdEscape:
            escapedCd += 1; t.setReservoir(.escapedCd, count: escapedCd)
            setOccupancy(Int(slot), Occupant.empty, &t)
        case .cdReturn:
            escapedCd -= 1; t.setReservoir(.escapedCd, count: escapedCd)
            setOccupancy(Int(slot), Occupant.cd, &t)
        case .shellHop:
            let e = Int(slot - baseSS)
            setOccupancy(Int(topo.shellShell.sources[e]), Occupant.empty, &t)
            setOccupancy(Int(topo.shellShell.targets[e]), Occupant.cu, &t)
        case .penetrate, .exitToShell:
            let e = Int(slot - baseSI)
            let s = Int(topo.shellInt.sources[e]), i = Int(topo.shellInt.targets[e])
            if type == .penetrate {
                setOccupancy(s, Occupant.empty, &t); setOccupancy(i, Occupant.cu, &t)
            } else {
                setOccupancy(i, Occupant.empty, &t); setOccupancy(s, Occupant.cu, &t)
            }
        case .cuHop, .cdHop:
            preconditionFailure("hop events live in atom slots")
        case .kickOff, .kickIn, .cuVacancyFill, .cuRelease, .cdVacancyFill, .cdRelease:
            let e = Int(slot - baseIC)
            let i = Int(topo.intCat.sources[e]), c = Int(topo.intCat.targets[e])
            let oi = occ[i], oc = occ[c]
            setOccupancy(i, oc, &t)
            setOccupancy(c, oi, &t)
        }
        return true
    }

    // MARK: checks and measures

    /// Count atoms by place. O(N).
    public func counts() -> AtomCounts {
        if unsyncedLen > 0 { var s = self; s.synchronize(); return s.counts() }
        var a = AtomCounts()
        a.cuPool = donorCu
        a.cdEscaped = escapedCd
        for x in 0..<topo.siteCount {
            let o = occ[x]
            switch topo.kinds[x] {
            case .cation:
                if o == Occupant.cu { a.cuCation += 1 } else if o == Occupant.cd { a.cdCation += 1 } else { a.vacancies += 1 }
            case .tetra, .octa:
                if o == Occupant.cu { a.cuInterstitial += 1 } else if o == Occupant.cd { a.cdInterstitial += 1 }
            case .shell:
                if o == Occupant.cu { a.cuShell += 1 }
            }
        }
        return a
    }

    /// Throw unless total Cu and total Cd equal their initial values (and no site holds a
    /// species it cannot). O(N).
    public func checkConservation() throws {
        let a = counts()
        if a.cu != initialCu || a.cd != initialCd + extraCd {
            throw ModelError("conservation violated: Cu \(a.cu) (initial \(initialCu)) = pool \(a.cuPool) + shell \(a.cuShell) + interstitial \(a.cuInterstitial) + cation \(a.cuCation); Cd \(a.cd) (initial \(initialCd + extraCd)) = cation \(a.cdCation) + interstitial \(a.cdInterstitial) + escaped \(a.cdEscaped)")
        }
        for x in 0..<topo.siteCount where topo.kinds[x] == .shell && occ[x] == Occupant.cd {
            throw ModelError("state invalid: Cd on shell site \(x)")
        }
    }

    /// Energy E of the configuration (see file header), eV. O(edges).
    public func energy() -> Double {
        if unsyncedLen > 0 { var s = self; s.synchronize(); return s.energy() }
        let p = params
        var e = p.donorCu_eV * Double(donorCu) + p.escapedCd_eV * Double(escapedCd)
        for x in 0..<topo.siteCount {
            let o = occ[x]
            switch topo.kinds[x] {
            case .cation:
                if o == Occupant.cu {
                    e += p.cuCation_eV
                    for f in topo.cationNN.range(x) where occ[Int(topo.cationNN.targets[f])] == Occupant.cd { e += p.interfaceJ_eV }
                    for f in topo.catInt.range(x) {
                        let i = Int(topo.catInt.targets[f])
                        if topo.kinds[i] == .tetra && occ[i] == Occupant.cu { e += p.cu2sePairU_eV }
                    }
                } else if o == Occupant.empty { e += p.cationVacancy_eV }
            case .tetra:
                if o == Occupant.cu { e += p.cuTetra_eV } else if o == Occupant.cd { e += p.cdTetra_eV }
            case .octa:
                if o == Occupant.cu { e += p.cuOcta_eV } else if o == Occupant.cd { e += p.cdOcta_eV }
            case .shell:
                if o == Occupant.cu { e += p.adsorbedCu_eV - p.adsorptionVacancyDeepening_eV * Double(nVac[x]) }
            }
        }
        return e
    }

    /// Compare counters and every slot's class with a full recompute; throws on the first mismatch.
    public func verifyIncremental(_ table: RateClassTable) throws {
        if unsyncedLen > 0 { var s = self; s.synchronize(); try s.verifyIncremental(table); return }
        var fresh = self
        fresh.recomputeCounters()
        if fresh.nCuNN != nCuNN || fresh.nCdNN != nCdNN || (usesCuTet && fresh.nCuTet != nCuTet) || fresh.mCu != mCu || fresh.nVac != nVac || fresh.nShCu != nShCu || fresh.word != word {
            throw ModelError("incremental check: neighbour counters differ from a full recompute")
        }
        // Hop environments (ids are interning order, so compare keys) and the atom list.
        var atoms = 0
        for x in 0..<topo.siteCount where topo.kinds[x] == .tetra || topo.kinds[x] == .octa {
            let e = Int(word[x] >> 8)
            guard e < envKeys.count, envKeys[e] == envKey(x) else {
                throw ModelError("incremental check: hop environment of site \(x) is stale")
            }
            if occ[x] != Occupant.empty {
                atoms += 1
                let a = Int(siteAtom[x])
                guard a >= 0, a < atomCount, siteOf(a) == x else {
                    throw ModelError("incremental check: atom list broken at site \(x)")
                }
            } else if siteAtom[x] != -1 {
                throw ModelError("incremental check: empty site \(x) has an atom id")
            }
        }
        if atoms != atomCount { throw ModelError("incremental check: \(atomCount) atom ids for \(atoms) mobile atoms") }
        var filled = self
        for a in 0..<atomCount where !isPending(a) {
            filled.fillRecord(a)
            guard species(a) == occ[siteOf(a)], rec[recIndex(a)..<(recIndex(a) + recStride)] == filled.rec[recIndex(a)..<(recIndex(a) + recStride)] else {
                throw ModelError("incremental check: the record of atom \(a) (site \(siteOf(a))) is stale")
            }
        }
        for x in 0..<topo.siteCount {
            for d in 0..<zH {
                let y = target(x, d)
                if y >= 0 && hopRow[(x * zH + d) * 2 + 1] != word[Int(y)] {
                    throw ModelError("incremental check: hop row of site \(x) holds a stale word of site \(y)")
                }
            }
        }
        for x in 0..<topo.siteCount where isOccupied(x) != ((topo.kinds[x] == .tetra || topo.kinds[x] == .octa) && occ[x] != Occupant.empty) {
            throw ModelError("incremental check: occupancy bit of site \(x) is wrong")
        }
        for s in 0..<slotCount {
            let c = classOf(slot: Int32(s))
            if table.slotClass[s] != c {
                throw ModelError("incremental check: slot \(s) is in class \(table.slotClass[s]), full recompute gives \(c)")
            }
        }
        for c in 0..<table.classCount {
            for (p, s) in table.members[c].enumerated() where table.slotPos[Int(s)] != Int32(p) || table.slotClass[Int(s)] != Int32(c) {
                throw ModelError("incremental check: member index broken in class \(c)")
            }
        }
        if table.reservoirCount[1] != donorCu || table.reservoirCount[2] != escapedCd {
            throw ModelError("incremental check: reservoir counts in the class table differ from the model")
        }
    }

    /// Replace the whole configuration (tests, checkpoints): occupancy and pools; totals become
    /// the new initial totals. Rebuilds counters and every slot's class. O(slots).
    /// `atoms` gives the mobile atoms' ids (their sites in id order, from a checkpoint); by default
    /// atoms are numbered in site order.
    mutating func setConfiguration(occupancy: [UInt8], donorCu d: Int, escapedCd e: Int, resetTotals: Bool,
                                   atoms: [Int32]? = nil, classes t: inout RateClassTable) throws {
        settle()
        occ = .hugePaged(copying: occupancy)
        donorCu = d; escapedCd = e
        if resetTotals {
            let a = counts()
            initialCu = a.cu; initialCd = a.cd; extraCd = 0
        }
        recomputeCounters()
        recomputeEnvs(&t)
        try rebuildAtoms(order: atoms)
        t.setReservoir(.donorCu, count: d)
        t.setReservoir(.escapedCd, count: e)
        fillAll(&t)
    }

    /// Place Cu or Cd directly (test and scenario setup; keeps classes current). `site` must be
    /// an interstitial or shell site that is empty; the atom comes from the donor pool (Cu) or is
    /// added to the initial Cd total (Cd).
    public mutating func insert(_ occupant: UInt8, at site: Int, classes t: inout RateClassTable) throws {
        settle()
        guard occ[site] == Occupant.empty, topo.kinds[site] != .cation else {
            throw ModelError("insert: site \(site) is not an empty interstitial/shell site")
        }
        if occupant == Occupant.cu {
            guard donorCu > 0 else { throw ModelError("insert: donor pool is empty") }
            donorCu -= 1; t.setReservoir(.donorCu, count: donorCu)
        } else {
            guard topo.kinds[site] != .shell else { throw ModelError("insert: Cd cannot sit on a shell site") }
            extraCd += 1
        }
        setOccupancy(site, occupant, &t)
    }

    /// Cd atoms added by `insert` (counted in the Cd total).
    public internal(set) var extraCd = 0
}
