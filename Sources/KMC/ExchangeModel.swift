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
import GSL

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
    /// Packed per-site byte read by the hot hop refresh: bits 0–1 occupant, 2–3 `SiteKind` raw
    /// value, 4–6 m_Cu, 7 surface interstitial. One cache line then serves occupancy, kind and m of 64 sites, instead of
    /// three lines from three arrays (the hop refresh is bound by memory latency on big wires).
    /// Kept in sync with `occ`, `topo.kinds`, `mCu` and `topo.isSurfaceInterstitial` (rebuilt by
    /// `recomputeCounters`).
    var cell: [UInt8]
    /// Cu-occupied shell neighbours of each cation (their adsorption deepens when it is vacant).
    var nShCu: [UInt8]
    /// Donor Cu pool count and escaped-Cd pool count.
    public internal(set) var donorCu: Int
    public internal(set) var escapedCd: Int
    /// Initial totals.
    public internal(set) var initialCu: Int, initialCd: Int

    /// Slot bases: site slots [0, N), shell–shell, shell–interstitial, hop, interstitial–cation edges.
    public let baseSS: Int32, baseSI: Int32, baseHop: Int32, baseIC: Int32, slotCount: Int
    /// Per event type: class id table over its key space (flattened: type t's table starts at
    /// keyBase[t]; −1 when the type is switched off).
    let classOfKey: [Int32]
    let keyBase: [Int32]
    /// Radices for keys.
    let zI: Int, zC: Int, zT: Int, zV: Int, zS: Int
    /// Class descriptions (also given to the rate-class table).
    public let classInfo: [RateClassInfo]
    /// Whether any enabled event depends on n_CuTet (kick-off, Cu vacancy events) / on n_ShCu (vacancy events).
    let usesCuTet: Bool, usesShellCu: Bool
    /// Whether any interstitial–cation event is enabled; whether Frenkel pairs (Cd release) are.
    let usesIntCat: Bool, usesCdRelease: Bool
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
        occ = o
        nCuNN = [UInt8](repeating: 0, count: n); nCdNN = nCuNN; nCuTet = nCuNN; mCu = nCuNN; nVac = nCuNN; nShCu = nCuNN
        cell = nCuNN
        donorCu = initial.donorCu
        escapedCd = 0
        initialCu = initial.donorCu
        initialCd = t.cationSites.reduce(0) { $0 + (o[Int($1)] == Occupant.cd ? 1 : 0) }
        baseSS = Int32(n)
        baseSI = baseSS + Int32(t.shellShell.edgeCount)
        baseHop = baseSI + Int32(t.shellInt.edgeCount)
        baseIC = baseHop + Int32(t.hop.edgeCount)
        slotCount = Int(baseIC) + t.intCat.edgeCount
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
        let (table, info) = ExchangeModel.buildClasses(p, zI: zI, zC: zC, zT: zT, zV: zV, zS: zS,
                                                          zTetra: max(t.cationsAroundTetra, 1), zOcta: max(t.cationsAroundOcta, 1))
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

    static func buildClasses(_ p: ExchangeParameters, zI: Int, zC: Int, zT: Int, zV: Int, zS: Int, zTetra: Int, zOcta: Int)
        -> ([[Int32]], [RateClassInfo]) {
        var tables: [[Int32]] = []
        var info: [RateClassInfo] = []
        struct K: Hashable { var t: UInt8; var e: UInt64; var r: UInt8 }
        var seen: [K: Int32] = [:]
        for type in EventType.allCases {
            let rad = radices(type, zI: zI, zC: zC, zT: zT, zV: zV, zS: zS)
            let size = rad.reduce(1, *)
            guard p.enabled.contains(type.family) else { tables.append([]); continue }
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
        return (tables, info)
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
            cell[x] = occ[x] | (t.kinds[x].rawValue << 2) | (mCu[x] << 4) | surface
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

    /// Class of hop edge `e` (i → j).
    @inline(__always) func classOfHop(_ e: Int) -> Int32 {
        hopClass(cell[Int(topo.hop.sources[e])], cell[Int(topo.hop.targets[e])])
    }

    /// Site kind from a packed `cell` byte (no optional unwrap in the hot path).
    @inline(__always) static func siteKind(_ c: UInt8) -> SiteKind {
        switch (c >> 2) & 3 {
        case 0: return .cation
        case 1: return .tetra
        case 2: return .octa
        default: return .shell
        }
    }

    /// Class of a hop from a site with packed state `ci` to one with packed state `cj` (`cell`).
    @inline(__always) func hopClass(_ ci: UInt8, _ cj: UInt8) -> Int32 {
        guard cj & 3 == Occupant.empty else { return -1 }
        let o = ci & 3
        // Interstitial kind index: tetra (raw 1) → 0, octa (raw 2) → 1.
        let ki = Int((ci >> 2) & 3) - 1, kj = Int((cj >> 2) & 3) - 1
        if o == Occupant.cu {
            return lookup(.cuHop, ((ki * 2 + kj) * (zI + 1) + Int((ci >> 4) & 7)) * (zI + 1) + Int((cj >> 4) & 7))
        }
        if o == Occupant.cd { return lookup(.cdHop, ki * 2 + kj) }
        return -1
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
        if slot < baseHop { return classOfShellInt(Int(slot - baseSI)) }
        if slot < baseIC { return classOfHop(Int(slot - baseHop)) }
        return classOfIntCat(Int(slot - baseIC))
    }

    /// The slot holding the reverse of the event in `slot` once it has been performed.
    public func reverseSlot(_ slot: Int32) -> Int32 {
        if slot < baseSS || slot >= baseIC || (slot >= baseSI && slot < baseHop) { return slot }
        if slot < baseSI { return baseSS + topo.shellShellReverse[Int(slot - baseSS)] }
        return baseHop + topo.hopReverse[Int(slot - baseHop)]
    }

    /// Assign every slot from scratch.
    mutating func fillAll(_ table: inout RateClassTable) {
        for s in 0..<slotCount { table.assign(Int32(s), to: classOf(slot: Int32(s))) }
    }

    // MARK: refresh (incremental, per the locality contract)

    func refreshSiteSlots(_ x: Int, _ t: inout RateClassTable) {
        switch ExchangeModel.siteKind(cell[x]) {
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
            if cell[x] & 128 != 0 {  // surface interstitial
                t.assign(Int32(x), to: classOfSite(x))
                for e in topo.intShell.range(x) {
                    let se = Int(topo.intShellEdge[e])
                    t.assign(baseSI + Int32(se), to: classOfShellInt(se))
                }
            }
            // Source and target states come from `cell` (x's row of the hop table is contiguous;
            // the reverse edge j → x needs only its slot id, not j's row).
            let cx = cell[x]
            for e in topo.hop.range(x) {
                let cj = cell[Int(topo.hop.targets[e])]
                t.assign(baseHop + Int32(e), to: hopClass(cx, cj))
                // In-edge j → x: inactive (and already −1) unless j holds an atom.
                if cj & 3 != Occupant.empty {
                    let r = Int(topo.hopReverse[e])
                    t.assign(baseHop + Int32(r), to: hopClass(cj, cx))
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

    /// Change the occupancy of `x` to `new`, update counters and refresh every dependent slot.
    mutating func setOccupancy(_ x: Int, _ new: UInt8, _ t: inout RateClassTable) {
        // Old occupant from the packed byte (the line the refresh reads anyway; `occ` is only written).
        let old = cell[x] & 3
        if old == new { return }
        occ[x] = new
        cell[x] = (cell[x] & ~3) | new
        refreshSiteSlots(x, &t)
        switch ExchangeModel.siteKind(cell[x]) {
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
                    cell[i] = (cell[i] & 0x8F) | (mCu[i] << 4)
                    refreshCuDependents(i, &t)
                }
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

    /// Refresh the slots whose class depends on m(i) (Cu cation neighbours of interstitial i).
    func refreshCuDependents(_ i: Int, _ t: inout RateClassTable) {
        for e in topo.hop.range(i) {
            if occ[i] == Occupant.cu { t.assign(baseHop + Int32(e), to: classOfHop(e)) }
            let r = Int(topo.hopReverse[e])
            if occ[Int(topo.hop.sources[r])] == Occupant.cu { t.assign(baseHop + Int32(r), to: classOfHop(r)) }
        }
        for e in topo.intCat.range(i) { t.assign(baseIC + Int32(e), to: classOfIntCat(e)) }
        for e in topo.intShell.range(i) {
            let se = Int(topo.intShellEdge[e])
            t.assign(baseSI + Int32(se), to: classOfShellInt(se))
        }
    }

    // MARK: events

    /// Perform the event in `slot` of class `rateClass`.
    public mutating func perform(slot: Int32, rateClass: Int32, classes t: inout RateClassTable) {
        let type = EventType(rawValue: classInfo[Int(rateClass)].eventType)!
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
            let e = Int(slot - baseHop)
            let i = Int(topo.hop.sources[e]), j = Int(topo.hop.targets[e])
            let o = cell[i] & 3
            setOccupancy(i, Occupant.empty, &t)
            setOccupancy(j, o, &t)
        case .kickOff, .kickIn, .cuVacancyFill, .cuRelease, .cdVacancyFill, .cdRelease:
            let e = Int(slot - baseIC)
            let i = Int(topo.intCat.sources[e]), c = Int(topo.intCat.targets[e])
            let oi = occ[i], oc = occ[c]
            setOccupancy(i, oc, &t)
            setOccupancy(c, oi, &t)
        }
    }

    // MARK: checks and measures

    /// Count atoms by place. O(N).
    public func counts() -> AtomCounts {
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
        var fresh = self
        fresh.recomputeCounters()
        if fresh.nCuNN != nCuNN || fresh.nCdNN != nCdNN || (usesCuTet && fresh.nCuTet != nCuTet) || fresh.mCu != mCu || fresh.nVac != nVac || fresh.nShCu != nShCu || fresh.cell != cell {
            throw ModelError("incremental check: neighbour counters differ from a full recompute")
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
    mutating func setConfiguration(occupancy: [UInt8], donorCu d: Int, escapedCd e: Int, resetTotals: Bool, classes t: inout RateClassTable) {
        occ = occupancy
        donorCu = d; escapedCd = e
        if resetTotals {
            let a = counts()
            initialCu = a.cu; initialCd = a.cd; extraCd = 0
        }
        recomputeCounters()
        t.setReservoir(.donorCu, count: d)
        t.setReservoir(.escapedCd, count: e)
        fillAll(&t)
    }

    /// Place Cu or Cd directly (test and scenario setup; keeps classes current). `site` must be
    /// an interstitial or shell site that is empty; the atom comes from the donor pool (Cu) or is
    /// added to the initial Cd total (Cd).
    public mutating func insert(_ occupant: UInt8, at site: Int, classes t: inout RateClassTable) throws {
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
