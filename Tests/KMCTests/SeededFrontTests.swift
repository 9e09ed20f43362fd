// A Cu₂Se slab seeded across a small zb wire, held at 300 °C with the shell in equilibrium with the
// donor (the Arrhenius study's set-up, docs/model.md §6, on a 3 × 10 nm wire): with the default
// energies the front advances, the Cd it displaces leaves for the sink, and atoms are conserved.
import Foundation
import Testing
import CekmcCore
import GSL
@testable import KMC

@Suite struct SeededFrontTests {
    @Test func seededFrontAdvancesAndItsCdLeaves() throws {
        let topo = try LatticeTopology.wire(phase: .zb, diameter_nm: 3, length_nm: 10).topology
        var p = ExchangeParameters.defaults(.zb)
        p.supplyAttemptPerNm = 1.4e7
        var initial = InitialState(donorCu: 100_000)
        initial.cu2seSlabs_nm = [4.0...6.0]
        let (m, t) = try ExchangeModel.make(topology: topo, parameters: p, initial: initial)
        let start = m.counts()
        let duration = 6e-4
        let program = try TemperatureProgram(steps: [.hold(atC: 300, durationMin: duration / 60)], initialC: 300)
        var engine = Engine(model: m, classes: t, program: program, rng: try RandomGenerator(seed: 1))
        var acc = AdaptiveAcceleration(settings: AccelerationSettings(), model: m)
        while engine.clock.time_s < duration { acc.run(&engine, until: duration, maxEvents: .max) }
        try engine.model.checkConservation()
        let end = engine.model.counts()
        // The same set-up run by `cekmc run` sends ≈ 160 Cd to the sink in 0.6 ms, most of them after
        // the shell has filled (≈ 0.3 ms); a front that stood still would send none, net.
        #expect(end.cdEscaped >= 50, "escaped Cd \(end.cdEscaped)")
        // Each net kick-off puts one Cu on a cation site and one Cd_i in the wire, which then
        // leaves: the Cu₂Se grows by what left, up to the Cd_i still inside.
        let grown = end.cuCation - start.cuCation
        #expect(abs(grown - end.cdEscaped - end.cdInterstitial) <= 10 + end.cdEscaped / 10,
                "Cu on cations +\(grown), escaped \(end.cdEscaped), Cd_i \(end.cdInterstitial)")
    }
}
