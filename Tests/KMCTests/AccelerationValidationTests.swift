// Accelerated against unaccelerated runs: on small wires (a zb hold, a wz hold, a zb ramp) the
// adaptive acceleration must leave the state reached at given simulated times unchanged within
// statistical error, while executing fewer events; and one exact case, a fast reversible pair
// feeding a slow irreversible drain under a ramp, against its analytic survival law.
import Foundation
import Testing
import CekmcCore
import GSL
@testable import KMC

@Suite struct AccelerationValidationTests {
    enum Case: String, CaseIterable, CustomTestStringConvertible {
        case zbHold, wzHold, zbRamp
        var testDescription: String { rawValue }
    }

    /// What a run reached: X at a third, two thirds and the end of the run, and at the end the
    /// populations and the domain-size histogram (connected Cu cation clusters of 1, 2–3, 4–7 and
    /// ≥ 8 sites).
    struct Outcome {
        var x: [Double]
        var cuInterstitial: Double, cdInterstitial: Double, cuShell: Double, cdEscaped: Double
        var domainBins: [Double]
        var events: Double
        var scaledFamilies: Set<String>
    }

    /// The wire and program of a case; the model is the fast-regime parameter set.
    static func setup(_ c: Case) throws -> (LatticeTopology, ExchangeParameters, TemperatureProgram, Double) {
        let duration = 6e-7
        switch c {
        case .zbHold, .zbRamp:
            let ramp = c == .zbRamp
            let program = ramp
                ? try TemperatureProgram(steps: [.ramp(fromC: 100, toC: 150, ratePerMin: nil, durationMin: duration / 60)], initialC: 100)
                : try TemperatureProgram(steps: [.hold(atC: 125, durationMin: duration / 60)], initialC: 125)
            return (try TestLattice.zbWire(radius: 9, length: 24), TestLattice.active(.zb), program, duration)
        case .wzHold:
            // The wz fast regime exchanges more slowly (Table 1's wz kick-off is higher): a warmer hold.
            let (topo, _, _) = try LatticeTopology.wire(phase: .wz, diameter_nm: 1.8, length_nm: 2.4)
            let program = try TemperatureProgram(steps: [.hold(atC: 175, durationMin: duration / 60)], initialC: 175)
            return (topo, TestLattice.active(.wz), program, duration)
        }
    }

    /// One run of case `c` from the same initial state, the engine seeded by `seed`; the
    /// controller checks between engine runs as `Simulation.run` does.
    func run(_ c: Case, accelerated: Bool, seed: UInt64) throws -> Outcome {
        let (topo, p, program, duration) = try Self.setup(c)
        let (m, t) = try ExchangeModel.make(topology: topo, parameters: p,
                                            initial: InitialState(donorCu: 300, surfaceVacancyFraction: 0.05, seed: 3))
        var engine = Engine(model: m, classes: t, program: program, rng: try RandomGenerator(seed: seed))
        var s = AccelerationSettings()
        s.mode = accelerated ? .adaptive : .off
        s.checkEvents = 20_000
        var acc = AdaptiveAcceleration(settings: s, model: m)
        var x: [Double] = []
        let cations = Double(topo.cationSites.count)
        for k in 1...3 {
            let until = duration * Double(k) / 3
            while engine.clock.time_s < until { acc.run(&engine, until: until, maxEvents: .max) }
            x.append(Double(engine.model.counts().cuCation) / cations)
        }
        try engine.model.checkConservation()
        let a = engine.model.counts()
        return Outcome(x: x, cuInterstitial: Double(a.cuInterstitial), cdInterstitial: Double(a.cdInterstitial),
                       cuShell: Double(a.cuShell), cdEscaped: Double(a.cdEscaped),
                       domainBins: Self.domainBins(engine.model), events: Double(engine.clock.events),
                       scaledFamilies: Set(acc.state.minScaleReached.filter { $0.value < 1 }.keys))
    }

    /// Histogram of the sizes of connected clusters of Cu cation sites (nearest cation neighbours),
    /// bins 1, 2–3, 4–7, ≥ 8 sites. O(N).
    static func domainBins(_ m: ExchangeModel) -> [Double] {
        let topo = m.topo
        var seen = Set<Int>(), bins = [Double](repeating: 0, count: 4)
        for c in topo.cationSites.map(Int.init) where m.occupant[c] == .cu && !seen.contains(c) {
            var stack = [c], size = 0
            seen.insert(c)
            while let x = stack.popLast() {
                size += 1
                for e in topo.cationNN.range(x) {
                    let y = Int(topo.cationNN.targets[e])
                    if m.occupant[y] == .cu && !seen.contains(y) { seen.insert(y); stack.append(y) }
                }
            }
            bins[size == 1 ? 0 : size < 4 ? 1 : size < 8 ? 2 : 3] += 1
        }
        return bins
    }

    /// Mean and variance of the mean.
    func stats(_ x: [Double]) -> (mean: Double, varMean: Double) {
        let n = Double(x.count), m = x.reduce(0, +) / n
        return (m, x.map { ($0 - m) * ($0 - m) }.reduce(0, +) / (n - 1) / n)
    }

    /// 10 seeds each way, 6·10⁻⁷ s (≈ 10⁵ events unaccelerated, where shell hops, penetration/exit,
    /// Cu_i hops and kick-off/kick-in flicker are scaled). Each observable's means must agree within
    /// 4 standard errors of their difference plus a floor (1 atom, or 1/N_cation for X) for
    /// observables that hardly vary: a two-sample test whose false-alarm rate per observable is
    /// ≈ 6·10⁻⁵ for normal means (15 observables per case).
    @Test(arguments: Case.allCases)
    func acceleratedRunsReachTheSameState(_ c: Case) throws {
        var off: [Outcome] = [], on: [Outcome] = []
        for seed in UInt64(1)...10 {
            off.append(try run(c, accelerated: false, seed: seed))
            on.append(try run(c, accelerated: true, seed: seed))
        }
        let scaled = on.reduce(Set<String>()) { $0.union($1.scaledFamilies) }
        #expect(!scaled.isEmpty, "the test must exercise scaling")
        let cations = Double(try Self.setup(c).0.cationSites.count)
        var observables: [(String, Double, (Outcome) -> Double)] = [
            ("Cu interstitials", 1, { $0.cuInterstitial }), ("Cd interstitials", 1, { $0.cdInterstitial }),
            ("shell Cu", 1, { $0.cuShell }), ("escaped Cd", 1, { $0.cdEscaped }),
        ]
        for k in 0..<3 { observables.append(("X at \(k + 1)/3 of the run", 1 / cations, { $0.x[k] })) }
        for (b, name) in ["1", "2–3", "4–7", "≥ 8"].enumerated() {
            observables.append(("Cu clusters of \(name) sites", 1, { $0.domainBins[b] }))
        }
        for (name, floor, f) in observables {
            let a = stats(off.map(f)), b = stats(on.map(f))
            let bound = 4 * (a.varMean + b.varMean).squareRoot() + floor
            #expect(abs(a.mean - b.mean) <= bound, "\(c) \(name): off \(a.mean), accelerated \(b.mean), bound \(bound)")
        }
        #expect(stats(off.map { $0.x[2] }).mean > 0, "\(c): the runs must exchange")
        let eventsOff = stats(off.map(\.events)).mean, eventsOn = stats(on.map(\.events)).mean
        #expect(eventsOn < eventsOff, "acceleration must save events: \(eventsOn) vs \(eventsOff)")
    }

    /// The exact case. One Cu, a donor ⇌ shell pair (adsorption on each empty shell site s at
    /// k_a,s, desorption at k_d,s), drained irreversibly by penetration through the
    /// shell–interstitial edges of the site it sits on (total k_p,s), under a 300 → 400 K ramp (the
    /// Cu_i lies 1.1 eV below the adsorbed Cu: its exit is 10⁻¹³ of the penetration rate at 400 K).
    /// While the pair is fast against the drain, the Cu is in the donor or on site s with the
    /// weights 1 and k_a,s/k_d,s (detailed balance), so it survives to t with
    /// S(t) = exp(−∫₀ᵗ h(T) dt'), h = Σ_s (k_a,s/k_d,s) k_p,s / (1 + Σ_s k_a,s/k_d,s), the rates read
    /// from the model's classes with the Cu on each site in turn. The drained fraction of 300
    /// seeds, with the pair scaled by the adaptive acceleration and without, must match 1 − S(t_end)
    /// within 4 binomial standard errors; t_end is chosen so that ∫ = ln 2 (S = ½, the largest
    /// binomial variance).
    @Test func fastPairFeedingASlowDrainFollowsItsSurvivalLaw() throws {
        let topo = try TestLattice.zbWire(radius: 7, length: 18)
        var p = TestLattice.params(.zb, only: [.supply, .penetration])
        p.adsorbedCu_eV = 0.1; p.cuTetra_eV = -1; p.cuOcta_eV = -1
        p.adsorption_eV = 0.1; p.supplyAttemptPerNm = 1e11
        p.penetration_eV = 0.52
        let (m0, t0Table) = try ExchangeModel.make(topology: topo, parameters: p, initial: InitialState(donorCu: 1))
        let shell = (0..<topo.siteCount).filter { topo.kinds[$0] == .shell }
        func slotRate(_ t: RateClassTable, _ slot: Int, _ kelvin: Double) -> Double {
            let c = Int(t.slotClass[slot])
            return c < 0 ? 0 : Arrhenius.rate(nu: t.classNu[c], barrier_eV: t.info[c].barrier_eV, kelvin: kelvin)
        }
        // Per shell site: its adsorption slot (empty wire), and with the Cu on it its desorption
        // slot and penetration edge slots.
        var occupiedTables: [RateClassTable] = []
        for x in shell {
            var m = m0, t = t0Table
            var o = (0..<topo.siteCount).map { m0.occupant[$0] }
            o[x] = .cu
            try m.setConfiguration(occupancy: o, donorCu: 0, escapedCd: 0, resetTotals: true, classes: &t)
            t.setReservoir(.donorCu, count: 1)   // desorption's class is not reservoir-fed; adsorption elsewhere is not needed
            occupiedTables.append(t)
        }
        let (t0, t1) = (300.0, 400.0)
        func rates(_ T: Double) -> (ka: Double, kd: Double, kp: Double, h: Double) {
            var weight = 1.0, drain = 0.0, ka = 0.0, kd = 0.0, kp = 0.0
            for (k, x) in shell.enumerated() {
                let a = slotRate(t0Table, x, T), d = slotRate(occupiedTables[k], x, T)
                let pen = topo.shellInt.range(x).reduce(0.0) { $0 + slotRate(occupiedTables[k], Int(m0.baseSI) + $1, T) }
                weight += a / d
                drain += a / d * pen
                ka += a; kd = max(kd, d); kp = max(kp, pen)
            }
            return (ka, kd, kp, drain / weight)
        }
        // Time scales: the pair at least 100× faster than the drain; the Cu neither always in the
        // donor nor always on the shell.
        for T in [t0, t1] {
            let r = rates(T), onShell = 1 - 1 / (1 + r.ka / r.kd)
            #expect(min(r.ka, r.kd) > 100 * r.kp && onShell > 0.1 && onShell < 0.9, "T \(T): \(r)")
        }
        let n = 2000
        var mean = 0.0
        for i in 0...n {
            let w = i == 0 || i == n ? 1.0 : (i % 2 == 1 ? 4.0 : 2.0)
            mean += w * rates(t0 + (t1 - t0) * Double(i) / Double(n)).h
        }
        mean /= 3 * Double(n)
        let duration = log(2) / mean, expected = 0.5
        let program = try TemperatureProgram(steps: [.ramp(fromC: t0 - 273.15, toC: t1 - 273.15, ratePerMin: nil, durationMin: duration / 60)],
                                             initialC: t0 - 273.15)
        let seeds = 300
        for accelerated in [false, true] {
            var drained = 0, scaled = false
            for seed in 1...seeds {
                let (m, t) = try ExchangeModel.make(topology: topo, parameters: p, initial: InitialState(donorCu: 1))
                var engine = Engine(model: m, classes: t, program: program, rng: try RandomGenerator(seed: UInt64(seed)))
                var s = AccelerationSettings()
                s.mode = accelerated ? .adaptive : .off
                s.checkEvents = 4_000
                var acc = AdaptiveAcceleration(settings: s, model: m)
                while engine.clock.time_s < duration && engine.model.counts().cuInterstitial == 0 {
                    acc.run(&engine, until: duration, maxEvents: 4_000)
                }
                if engine.model.counts().cuInterstitial > 0 { drained += 1 }
                scaled = scaled || acc.state.minScaleReached["supply"].map { $0 < 1 } ?? false
            }
            let f = Double(drained) / Double(seeds)
            let se = (expected * (1 - expected) / Double(seeds)).squareRoot()
            #expect(abs(f - expected) <= 4 * se, "accelerated \(accelerated): drained \(f), 1 − S = \(expected) ± \(se)")
            if accelerated { #expect(scaled, "the fast pair must be scaled") }
        }
    }
}
