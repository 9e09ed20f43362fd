// Physics tests of the exchange model: detailed balance of every event pair, conservation,
// incremental class bookkeeping vs full recompute, random-walk diffusion, Boltzmann occupations.
import Testing
import CekmcCore
import GSL
@testable import KMC
#if canImport(Glibc)
import Glibc
#endif

/// Wraps the model to follow one tagged Cu interstitial through its hops.
struct WalkerModel: KMCModel {
    var inner: ExchangeModel
    var site: Int
    var unwrapped: SIMD3<Double>
    mutating func perform(slot: Int32, rateClass: Int32, classes: inout RateClassTable) {
        let e = Int(slot - inner.baseHop)
        let i = Int(inner.topo.hop.sources[e]), j = Int(inner.topo.hop.targets[e])
        if i == site {
            unwrapped += inner.topo.positions[j] - inner.topo.positions[i]
            site = j
        }
        inner.perform(slot: slot, rateClass: rateClass, classes: &classes)
    }
}

/// A random configuration with every kind of occupant, for detailed-balance enumeration.
func randomConfiguration(seed: UInt64, params: ExchangeParameters) throws -> (ExchangeModel, RateClassTable) {
    let topo = try TestLattice.zbWire(radius: 7, length: 18)
    var (m, t) = try ExchangeModel.make(topology: topo, parameters: params,
                                        initial: InitialState(donorCu: 150, surfaceVacancyFraction: 0.1, bulkVacancyFraction: 0.05, seed: seed))
    let rng = try RandomGenerator(seed: seed)
    var o = m.occ
    for x in 0..<topo.siteCount {
        let u = rng.uniform()
        switch topo.kinds[x] {
        case .cation: o[x] = u < 0.55 ? Occupant.cd : (u < 0.9 ? Occupant.cu : Occupant.empty)
        case .tetra, .octa: o[x] = u < 0.7 ? Occupant.empty : (u < 0.85 ? Occupant.cu : Occupant.cd)
        case .shell: o[x] = u < 0.5 ? Occupant.empty : Occupant.cu
        }
    }
    m.setConfiguration(occupancy: o, donorCu: 20, escapedCd: 20, resetTotals: true, classes: &t)
    return (m, t)
}

@Suite struct ModelPhysicsTests {
    @Test func everyEventPairObeysDetailedBalance() throws {
        var p = ExchangeParameters.defaults(.zb)
        p.enabled = Set(EventFamily.allCases)
        p.cuOcta_eV = -0.1; p.cdOcta_eV = 0.2; p.interfaceJ_eV = 0.05; p.cu2sePairU_eV = -0.08
        let kT = Constants.boltzmann_eV_per_K * 600
        var checkedTypes = Set<UInt8>()
        for seed in [UInt64(1), 2, 3] {
            let (m, t) = try randomConfiguration(seed: seed, params: p)
            try m.verifyIncremental(t)
            let e0 = m.energy()
            for c in 0..<t.classCount where t.reservoirCount[Int(t.info[c].reservoir.rawValue)] > 0 {
                for slot in t.members[c].prefix(40) {
                    var m1 = m, t1 = t
                    m1.perform(slot: slot, rateClass: Int32(c), classes: &t1)
                    try m1.verifyIncremental(t1)
                    try m1.checkConservation()
                    let rs = m1.reverseSlot(slot)
                    let rc = Int(t1.slotClass[Int(rs)])
                    #expect(rc >= 0, "no reverse for \(EventType(rawValue: t.info[c].eventType)!)")
                    guard rc >= 0 else { continue }
                    let dE = m1.energy() - e0
                    let eF = t.info[c].barrier_eV, eR = t1.info[rc].barrier_eV
                    #expect(abs((eF - eR) - dE) < 1e-9, "\(EventType(rawValue: t.info[c].eventType)!): E_f − E_r = \(eF - eR), ΔE = \(dE)")
                    // Rates with reservoir factors against W = exp(−E/kT)/(N_Cu! N_Cd!).
                    let kF = Arrhenius.rate(nu: t.info[c].nu, barrier_eV: eF, kelvin: 600) * Double(t.reservoirCount[Int(t.info[c].reservoir.rawValue)])
                    let kR = Arrhenius.rate(nu: t1.info[rc].nu, barrier_eV: eR, kelvin: 600) * Double(t1.reservoirCount[Int(t1.info[rc].reservoir.rawValue)])
                    let logW0 = -e0 / kT - lgamma(Double(m.donorCu + 1)) - lgamma(Double(m.escapedCd + 1))
                    let logW1 = -(e0 + dE) / kT - lgamma(Double(m1.donorCu + 1)) - lgamma(Double(m1.escapedCd + 1))
                    #expect(abs((log(kF) + logW0) - (log(kR) + logW1)) < 1e-9)
                    checkedTypes.insert(t.info[c].eventType)
                }
            }
        }
        // Every event type was exercised.
        #expect(checkedTypes.count == EventType.allCases.count, "types seen: \(checkedTypes.sorted())")
    }

    @Test func conservationAndIncrementalClassesOverLongRun() throws {
        let topo = try TestLattice.zbWire(radius: 9, length: 24)
        var p = ExchangeParameters.defaults(.zb)
        p.enabled = Set(EventFamily.allCases)
        p.escapedCd_eV = -1.0
        let (m, t) = try ExchangeModel.make(topology: topo, parameters: p,
                                            initial: InitialState(donorCu: 400, surfaceVacancyFraction: 0.05, bulkVacancyFraction: 0.01, seed: 5))
        var engine = Engine(model: m, classes: t, program: try .constant(kelvin: 700, duration_s: 1e30), rng: try RandomGenerator(seed: 9))
        for _ in 0..<10 {
            _ = engine.run(until: 1e30, maxEvents: 20_000)
            try engine.model.checkConservation()
            try engine.model.verifyIncremental(engine.classes)
        }
        let a = engine.model.counts()
        #expect(a.cuCation > 0 && a.cdEscaped > 0 && a.cuShell > 0)
    }

    @Test func singleCuInterstitialRandomWalkGivesAnalyticDiffusion() throws {
        // Hop graph tetra ↔ octa, 4 neighbours, hop length b = √3a/4, equal site energies:
        // MSD(τ) = ⟨N_hops⟩ b² = 4kτ · 3a²/16 = 6Dτ with D = k a²/8.
        let a = 6.05
        let topo = try TestLattice.zbWire(radius: 42, length: 130, a: a)
        let p = TestLattice.params(only: [.cuHop])
        let (m0, t0) = try ExchangeModel.make(topology: topo, parameters: p, initial: InitialState(donorCu: 1))
        let T = 500.0
        let k = Arrhenius.rate(nu: p.nu, barrier_eV: p.interstitialHop_eV, kelvin: T)
        let tau = 30 / (4 * k)
        // Start at the tetra hole nearest the wire centre.
        let centre = SIMD3(0.0, 0.0, 65.0)
        var start = -1, best = Double.infinity
        for x in 0..<topo.siteCount where topo.kinds[x] == .tetra {
            let d = topo.positions[x] - centre
            if (d * d).sum() < best { best = (d * d).sum(); start = x }
        }
        let rng = try RandomGenerator(seed: 21)
        let walkers = 1200
        var sq: [Double] = []
        let program = try TemperatureProgram.constant(kelvin: T, duration_s: tau)
        for _ in 0..<walkers {
            var m = m0, t = t0
            try m.insert(Occupant.cu, at: start, classes: &t)
            var engine = Engine(model: WalkerModel(inner: m, site: start, unwrapped: .zero), classes: t, program: program, rng: rng)
            _ = engine.run(until: tau)
            let d = engine.model.unwrapped
            sq.append((d * d).sum())
        }
        let msd = sq.reduce(0, +) / Double(walkers)
        let sd = (sq.map { ($0 - msd) * ($0 - msd) }.reduce(0, +) / Double(walkers - 1)).squareRoot()
        let se = sd / Double(walkers).squareRoot()
        let expected = 6 * (k * a * a / 8) * tau
        #expect(abs(msd - expected) < 4 * se, "MSD \(msd) ± \(se) vs \(expected)")
    }

    @Test func oneCuAmongShellAndInterstitialsIsBoltzmannDistributed() throws {
        // Closed system: one Cu, events shell hop, penetration/exit, Cu hop (no pool, no kick-off).
        // Sites grouped by energy; sampled at spacings ≫ the mixing time; χ² against Boltzmann.
        let topo = try TestLattice.zbWire(radius: 5, length: 13)
        var p = TestLattice.params(only: [.shellHop, .penetration, .cuHop])
        p.adsorbedCu_eV = -0.05; p.adsorptionVacancyDeepening_eV = 0.04; p.cuTetra_eV = 0.0; p.cuOcta_eV = 0.03
        p.shellHop_eV = 0.1; p.penetration_eV = 0.1; p.interstitialHop_eV = 0.1; p.cu2seHop_eV = 0.1
        let T = 600.0
        var (m, t) = try ExchangeModel.make(topology: topo, parameters: p,
                                            initial: InitialState(donorCu: 1, surfaceVacancyFraction: 0.3, seed: 4))
        let start = (0..<topo.siteCount).first { topo.kinds[$0] == .shell }!
        try m.insert(Occupant.cu, at: start, classes: &t)
        // Site energy of the Cu at each accessible site.
        func siteEnergy(_ x: Int) -> Double {
            switch topo.kinds[x] {
            case .shell: return p.adsorbedCu_eV - p.adsorptionVacancyDeepening_eV * Double(m.nVac[x])
            case .tetra: return p.cuTetra_eV
            case .octa: return p.cuOcta_eV
            case .cation: return .nan
            }
        }
        // Groups: rounded energy levels.
        var groupOf: [Int: Int] = [:]
        var levels: [Double] = []
        var weight: [Double] = []
        let kT = Constants.boltzmann_eV_per_K * T
        for x in 0..<topo.siteCount where topo.kinds[x] != .cation {
            let e = siteEnergy(x)
            let g = levels.firstIndex { abs($0 - e) < 1e-9 } ?? { levels.append(e); weight.append(0); return levels.count - 1 }()
            groupOf[x] = g
            weight[g] += exp(-e / kT)
        }
        let z = weight.reduce(0, +)
        var engine = Engine(model: m, classes: t, program: try .constant(kelvin: T, duration_s: 1e30), rng: try RandomGenerator(seed: 8))
        var counts = [Int](repeating: 0, count: levels.count)
        let samples = 1500
        // Sample at fixed times (sampling after fixed event counts would weight states by their escape rates).
        _ = engine.run(until: 1e30, maxEvents: 1)
        let dt = 100 / engine.classes.totalRate
        for n in 0..<samples {
            _ = engine.run(until: dt * Double(n + 1))
            let x = (0..<topo.siteCount).first { topo.kinds[$0] != .cation && engine.model.occ[$0] == Occupant.cu }!
            counts[groupOf[x]!] += 1
        }
        var chi2 = 0.0
        for g in 0..<levels.count {
            let ex = Double(samples) * weight[g] / z
            chi2 += (Double(counts[g]) - ex) * (Double(counts[g]) - ex) / ex
        }
        // 1 % critical values of χ² for 1…8 degrees of freedom.
        let crit = [6.635, 9.210, 11.345, 13.277, 15.086, 16.812, 18.475, 20.090]
        let dof = levels.count - 1
        #expect(dof >= 2 && dof <= crit.count)
        #expect(chi2 < crit[dof - 1], "χ² = \(chi2), dof \(dof), counts \(counts), expected \(weight.map { Double(samples) * $0 / z }), levels \(levels)")
    }
}
