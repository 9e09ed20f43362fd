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
    mutating func perform(slot: Int32, rateClass: Int32, channel: Int32, classes: inout RateClassTable) -> Bool {
        let i = inner.siteOf(Int(slot - inner.baseAtom)), j = inner.hopTarget(slot: slot, channel: channel)
        guard inner.perform(slot: slot, rateClass: rateClass, channel: channel, classes: &classes) else { return false }
        if i == site {
            unwrapped += inner.topo.positions[j] - inner.topo.positions[i]
            site = j
        }
        return true
    }
}

/// A random configuration with every kind of occupant, for detailed-balance enumeration.
func randomConfiguration(seed: UInt64, params: ExchangeParameters) throws -> (ExchangeModel, RateClassTable) {
    let topo = try TestLattice.zbWire(radius: 7, length: 18)
    var (m, t) = try ExchangeModel.make(topology: topo, parameters: params,
                                        initial: InitialState(donorCu: 150, surfaceVacancyFraction: 0.1, bulkVacancyFraction: 0.05, seed: seed))
    let rng = try RandomGenerator(seed: seed)
    var o = m.occupant
    for x in 0..<topo.siteCount {
        let u = rng.uniform()
        switch topo.kinds[x] {
        case .cation: o[x] = u < 0.55 ? Occupant.cd : (u < 0.9 ? Occupant.cu : Occupant.empty)
        case .tetra, .octa: o[x] = u < 0.7 ? Occupant.empty : (u < 0.85 ? Occupant.cu : Occupant.cd)
        case .shell: o[x] = u < 0.5 ? Occupant.empty : Occupant.cu
        }
    }
    try m.setConfiguration(occupancy: o, donorCu: 20, escapedCd: 20, resetTotals: true, classes: &t)
    return (m, t)
}

@Suite struct ModelPhysicsTests {
    /// With `scaled`, every pair group and atom family gets a random rate scale α ∈ [10⁻³, 1]
    /// (adaptive acceleration's factors): detailed balance must still hold exactly, and the reverse of every
    /// site or edge event must land in a class of the same pair group.
    /// `partners`: long-range shell-hop partners per shell site (`shell_partners`).
    @Test(arguments: zip([false, true, true], [0, 0, 2]))
    func everyEventPairObeysDetailedBalance(scaled: Bool, partners: Int) throws {
        var p = ExchangeParameters.defaults(.zb)
        p.enabled = Set(EventFamily.allCases)
        p.shellPartners = partners
        p.cuOcta_eV = -0.1; p.cdOcta_eV = 0.2; p.interfaceJ_eV = 0.05; p.cu2sePairU_eV = -0.08
        let kT = Constants.boltzmann_eV_per_K * 600
        var checkedTypes = Set<UInt8>()
        var blocked = 0
        for seed in [UInt64(1), 2, 3] {
            let (m, t0) = try randomConfiguration(seed: seed, params: p)
            var t = t0
            try m.verifyIncremental(t)
            if scaled {
                let rng = try RandomGenerator(seed: 100 + seed)
                let alpha = (0..<m.rates.pairGroupCount).map { _ in pow(10, -3 * rng.uniform()) }
                for (c, g) in m.rates.pairGroup.enumerated() where g >= 0 { t.setScale(c, alpha[Int(g)]) }
                // Atom families: one scale per family, also for the classes interned by the events.
                for type in m.rates.hopType where type >= 0 { t.setTypeScale(type, pow(10, -3 * rng.uniform())) }
            }
            let e0 = m.energy()
            let members = t.members
            for c in 0..<t.classCount where t.reservoirCount[Int(t.info[c].reservoir.rawValue)] > 0 {
                // Composite (hop) classes: every channel of each member atom.
                let channels: [Int32] = t.channelCount[c] == 0 ? [-1] : (0..<t.channelCount[c]).map { Int32($0) }
                for (k, slot) in members[c].prefix(40).enumerated() {
                    for ch in channels {
                        var m1 = m, t1 = t
                        let source = slot >= m.baseAtom ? m.siteOf(Int(slot - m.baseAtom)) : -1
                        guard m1.perform(slot: slot, rateClass: Int32(c), channel: ch, classes: &t1) else {
                            // A blocked hop (occupied target) is a null event: nothing may change.
                            #expect(ch >= 0 && m.occupant[m.hopTarget(slot: slot, channel: ch)] != Occupant.empty)
                            #expect(m1.occupant == m.occupant && t1.slotClass == t.slotClass)
                            blocked += 1
                            continue
                        }
                        // The O(N) incremental check on the first members of each class.
                        if k < 4 { try m1.verifyIncremental(t1) }
                        try m1.checkConservation()
                        let (rs, rch) = m1.reverse(slot: slot, channel: ch, from: source)
                        let rc = Int(t1.slotClass[Int(rs)])
                        #expect(rc >= 0 && (ch < 0) == (rch < 0), "no reverse for \(EventType(rawValue: t.info[c].eventType)!)")
                        guard rc >= 0, (ch < 0) == (rch < 0) else { continue }
                        let dE = m1.energy() - e0
                        let eF = t.chosen(c, channel: ch).barrier_eV, eR = t1.chosen(rc, channel: rch).barrier_eV
                        #expect(abs((eF - eR) - dE) < 1e-9, "\(EventType(rawValue: t.info[c].eventType)!): E_f − E_r = \(eF - eR), ΔE = \(dE)")
                        // Rates (a reservoir-fed class has its rate while its reservoir holds atoms)
                        // against W = exp(−E/kT) (fixed-μ reservoirs, E including μ·N).
                        let open0 = t.reservoirCount[Int(t.info[c].reservoir.rawValue)] > 0 ? 1.0 : 0.0
                        let open1 = t1.reservoirCount[Int(t1.info[rc].reservoir.rawValue)] > 0 ? 1.0 : 0.0
                        let kF = Arrhenius.rate(nu: t.classNu[c], barrier_eV: eF, kelvin: 600) * open0
                        let kR = Arrhenius.rate(nu: t1.classNu[rc], barrier_eV: eR, kelvin: 600) * open1
                        if c < m.rates.pairGroup.count && m.rates.pairGroup[c] >= 0 {
                            #expect(rc < m.rates.pairGroup.count && m.rates.pairGroup[rc] == m.rates.pairGroup[c],
                                    "\(EventType(rawValue: t.info[c].eventType)!): the reverse lands outside the pair group (reverseFields)")
                        }
                        let logW0 = -e0 / kT
                        let logW1 = -(e0 + dE) / kT
                        #expect(abs((log(kF) + logW0) - (log(kR) + logW1)) < 1e-9)
                        checkedTypes.insert(t.info[c].eventType)
                    }
                }
            }
        }
        #expect(blocked > 0, "the random configurations should contain blocked hops")
        // Every event type was exercised.
        #expect(checkedTypes.count == EventType.allCases.count, "types seen: \(checkedTypes.sorted())")
    }

    @Test func conservationAndIncrementalClassesOverLongRun() throws {
        let topo = try TestLattice.zbWire(radius: 9, length: 24)
        var p = TestLattice.active(.zb)
        p.enabled = Set(EventFamily.allCases)
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
            case .shell: return p.adsorbedCu_eV - p.adsorptionVacancyDeepening_eV * Double(m.vacanciesAround[x])
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
            let x = (0..<topo.siteCount).first { topo.kinds[$0] != .cation && engine.model.occupant[$0] == Occupant.cu }!
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

    @Test func crowdedInterstitialsFollowLatticeGasBoltzmann() throws {
        // Many Cu on one connected hop cluster with site exclusion: hops onto occupied sites are
        // null events of the atom-centric classes, so this checks their timing. With N atoms on
        // n_T tetra and n_O octa sites, P(k on tetra) ∝ C(n_T, k) C(n_O, N−k) exp(−(N−k)ΔE/kT),
        // ΔE = E_octa − E_tetra. Sampled at fixed times; χ² over k.
        let topo = try TestLattice.zbWire(radius: 5, length: 25, periodic: true)
        var p = TestLattice.params(only: [.cuHop])
        p.cuTetra_eV = 0; p.cuOcta_eV = 0.05; p.interstitialHop_eV = 0.1; p.cu2seHop_eV = 0.1
        let T = 600.0, kT = Constants.boltzmann_eV_per_K * T
        var (m, t) = try ExchangeModel.make(topology: topo, parameters: p, initial: InitialState(donorCu: 1000))
        // Connected component of the hop graph around the first interstitial with hops.
        let seed = (0..<topo.siteCount).first { (topo.kinds[$0] == .tetra || topo.kinds[$0] == .octa) && !topo.hop.range($0).isEmpty }!
        var inCluster = [Bool](repeating: false, count: topo.siteCount)
        var stack = [seed]; inCluster[seed] = true
        while let x = stack.popLast() {
            for e in topo.hop.range(x) where !inCluster[Int(topo.hop.targets[e])] { inCluster[Int(topo.hop.targets[e])] = true; stack.append(Int(topo.hop.targets[e])) }
        }
        let cluster = (0..<topo.siteCount).filter { inCluster[$0] }
        let nT = cluster.filter { topo.kinds[$0] == .tetra }.count, nO = cluster.count - nT
        let n = cluster.count / 3
        for x in cluster.prefix(n) { try m.insert(Occupant.cu, at: x, classes: &t) }
        // Exact distribution of k (lgamma for the binomials).
        func lc(_ a: Int, _ b: Int) -> Double { lgamma(Double(a + 1)) - lgamma(Double(b + 1)) - lgamma(Double(a - b + 1)) }
        let dE = p.cuOcta_eV - p.cuTetra_eV
        var logw: [Double] = [], ks: [Int] = []
        for k in max(0, n - nO)...min(n, nT) { ks.append(k); logw.append(lc(nT, k) + lc(nO, n - k) - Double(n - k) * dE / kT) }
        let mx = logw.max()!
        let w = logw.map { exp($0 - mx) }, z = w.reduce(0, +)
        var engine = Engine(model: m, classes: t, program: try .constant(kelvin: T, duration_s: 1e30), rng: try RandomGenerator(seed: 13))
        _ = engine.run(until: 1e30, maxEvents: 1)  // opens the first window (class rates at T)
        let dt = 10 * Double(n) / engine.classes.totalRate
        #expect(dt > 0 && dt < 1)
        let samples = 1500
        var counts = [Int](repeating: 0, count: ks.count)
        _ = engine.run(until: 20 * dt)
        for s in 0..<samples {
            _ = engine.run(until: dt * Double(s + 21))
            let k = cluster.filter { topo.kinds[$0] == .tetra && engine.model.occupant[$0] == Occupant.cu }.count
            counts[k - ks[0]] += 1
        }
        try engine.model.verifyIncremental(engine.classes)
        #expect(engine.clock.rejections > 0, "no blocked hops were proposed")
        // Pool bins with expected < 5 into their neighbours (tails), then χ² at the 0.1 % level.
        var obs: [Double] = [], exps: [Double] = []
        var accO = 0.0, accE = 0.0
        for i in 0..<ks.count {
            accO += Double(counts[i]); accE += Double(samples) * w[i] / z
            if accE >= 5 { obs.append(accO); exps.append(accE); accO = 0; accE = 0 }
        }
        if accE > 0 { obs[obs.count - 1] += accO; exps[exps.count - 1] += accE }
        let chi2 = zip(obs, exps).map { ($0 - $1) * ($0 - $1) / $1 }.reduce(0, +)
        let dof = Double(obs.count - 1)
        // Wilson–Hilferty approximation of the 0.1 % critical value.
        let crit = dof * pow(1 - 2 / (9 * dof) + 3.09 * (2 / (9 * dof)).squareRoot(), 3)
        #expect(obs.count >= 4)
        #expect(chi2 < crit, "χ² = \(chi2) for \(obs.count - 1) dof (critical \(crit)); observed \(obs), expected \(exps)")
    }
}
