// The adaptive acceleration's controller on prescribed event counts (the update rule of
// Acceleration.swift, step by step), and on a run: equilibrium is untouched by the scaling.
import Testing
import CekmcCore
import GSL
@testable import KMC

@Suite struct AccelerationTests {
    /// A small wire with every family on, and an adaptive controller with the default window.
    func setup() throws -> (ExchangeModel, RateClassTable, AdaptiveAcceleration) {
        let topo = try TestLattice.zbWire(radius: 7, length: 18)
        var p = ExchangeParameters.defaults(.zb)
        p.enabled = Set(EventFamily.allCases)
        let (m, t) = try ExchangeModel.make(topology: topo, parameters: p, initial: InitialState(donorCu: 10))
        var s = AccelerationSettings()
        s.mode = .adaptive
        return (m, t, AdaptiveAcceleration(settings: s, model: m))
    }

    /// The first group of family `key` and one class of each of its directions.
    func group(_ a: AdaptiveAcceleration, _ key: String) throws -> (g: Int, forward: Int, reverse: Int) {
        let g = try #require(a.groupFamily.indices.first { a.groupFamily[$0] == key && a.groupClasses[$0].count >= 2 })
        let f = try #require(a.groupClasses[g].first { a.classDirection[Int($0)] == 0 })
        let r = try #require(a.groupClasses[g].first { a.classDirection[Int($0)] == 1 })
        return (g, Int(f), Int(r))
    }

    @Test func pairGroupsJoinBothDirectionsOfTheirFamily() throws {
        let (m, _, a) = try setup()
        #expect(m.rates.pairGroupCount > 0)
        for (g, classes) in a.groupClasses.enumerated() {
            let directions = Set(classes.map { a.classDirection[Int($0)] })
            let types = Set(classes.map { m.rates.classInfo[Int($0)].eventType })
            #expect(types.allSatisfy { EventType(rawValue: $0)!.family.rawValue == a.groupFamily[g] }, "group \(g) mixes families")
            // A group holding a class of one direction holds the reverse direction too.
            #expect(directions == [0, 1], "group \(g) (\(a.groupFamily[g])) has directions \(directions)")
        }
    }

    @Test func quasiEquilibratedPairIsScaledIntoTheWindowAtMostHalvingPerCheck() throws {
        var (_, t, a) = try setup()
        let pen = try group(a, "penetration"), sup = try group(a, "supply")
        // Penetration flickers (10 000 each way, QE); supply carries a net flux (40 adsorb, 0 desorb).
        func counts(_ nf: UInt64, _ nr: UInt64) {
            t.clearExecutedCounts()
            t.executedCount[pen.forward] = nf; t.executedCount[pen.reverse] = nr
            t.executedCount[sup.forward] = 40
        }
        counts(10_000, 10_000)
        #expect(a.check(&t) >= 1)
        // B = 40 (the fastest non-QE process), centre √(50·100)·40 ≈ 2828: α = max(2828/10⁴, ½) = ½.
        #expect(a.state.groupScale[pen.g] == 0.5)
        #expect(t.scale[pen.forward] == 0.5 && t.scale[pen.reverse] == 0.5)
        #expect(t.classNu[pen.forward] == t.info[pen.forward].nu * 0.5)
        // Supply is not in the scaled families: never scaled.
        #expect(a.state.groupScale[sup.g] == 1)
        #expect(t.executedCount.allSatisfy { $0 == 0 }, "a check clears the counters")
        // Scaled by ½, the pair now fires 5 000 each way: α·max(2828/5000, ½) ≈ 0.283.
        counts(5_000, 5_000)
        a.check(&t)
        #expect(abs(a.state.groupScale[pen.g] - 0.5 * (50.0 * 100).squareRoot() * 40 / 5_000) < 1e-12)
        // Inside the window [2000, 4000]: unchanged.
        let inside = a.state.groupScale[pen.g]
        counts(2_900, 2_900)
        #expect(a.check(&t) == 0)
        #expect(a.state.groupScale[pen.g] == inside)
    }

    @Test func pairThatStopsBeingQuasiEquilibratedIsScaledBackUp() throws {
        var (_, t, a) = try setup()
        let pen = try group(a, "penetration"), sup = try group(a, "supply")
        t.executedCount[pen.forward] = 10_000; t.executedCount[pen.reverse] = 10_000; t.executedCount[sup.forward] = 40
        a.check(&t)
        #expect(a.state.groupScale[pen.g] == 0.5)
        // Now a net flux through the pair (300 forward, 100 back): not QE, scaled up by ≥ 5, capped at 1.
        t.executedCount[pen.forward] = 300; t.executedCount[pen.reverse] = 100; t.executedCount[sup.forward] = 40
        a.check(&t)
        #expect(a.state.groupScale[pen.g] == 1)
        #expect(a.state.minScaleReached["penetration"] == 0.5)
    }

    @Test func silentScaledPairIsScaledUp() throws {
        var (_, t, a) = try setup()
        let pen = try group(a, "penetration"), sup = try group(a, "supply")
        // Three checks of a fast QE pair: α = ½, ¼, ⅛ (each halving, the most per check).
        for n in [UInt64(1_000_000), 500_000, 250_000] {
            t.executedCount[pen.forward] = n; t.executedCount[pen.reverse] = n; t.executedCount[sup.forward] = 40
            a.check(&t)
        }
        #expect(a.state.groupScale[pen.g] == 0.125)
        // The next check saw no events at all: the scaled pair goes up by the upscaling factor.
        a.check(&t)
        #expect(a.state.groupScale[pen.g] == 0.125 * 5)
    }

    @Test func offModeNeverChecks() throws {
        let topo = try TestLattice.zbWire(radius: 7, length: 18)
        let (m, _) = try ExchangeModel.make(topology: topo, parameters: .defaults(.zb), initial: InitialState(donorCu: 10))
        var a = AdaptiveAcceleration(settings: AccelerationSettings(), model: m)
        #expect(!a.isActive)
        let due = a.record(events: 10_000_000)
        #expect(!due)
    }

    @Test func badSettingsAreRefused() {
        var s = AccelerationSettings()
        s.maxSeparation = 10
        #expect(throws: ModelError.self) { try s.validate() }
        s = AccelerationSettings(); s.tolerance = 0.5
        #expect(throws: ModelError.self) { try s.validate() }
        s = AccelerationSettings(); s.families = [.cuHop]
        #expect(throws: ModelError.self) { try s.validate() }
    }
}
