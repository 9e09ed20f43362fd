// The adaptive acceleration's controller on prescribed event counts (the update rule of
// Acceleration.swift, step by step), and on a run: equilibrium is untouched by the scaling.
import Foundation
import Testing
import CekmcCore
import GSL
@testable import KMC

@Suite struct AccelerationTests {
    /// A small wire with every family on, and an adaptive controller with the default window.
    /// `octa`: the Cu octa energy (eV; default: the phase's, equal to the tetra's in zb).
    func setup(octa: Double? = nil, historyChecks: Int = 1) throws -> (ExchangeModel, RateClassTable, AdaptiveAcceleration) {
        let topo = try TestLattice.zbWire(radius: 7, length: 18)
        var p = ExchangeParameters.defaults(.zb)
        if let octa { p.cuOcta_eV = octa }
        p.enabled = Set(EventFamily.allCases)
        var (m, t) = try ExchangeModel.make(topology: topo, parameters: p, initial: InitialState(donorCu: 10))
        // Events of every kind present: Cu on every other shell site, on every 10th tetra hole.
        var o = (0..<topo.siteCount).map { m.occupant[$0] }
        for (k, x) in (0..<topo.siteCount).filter({ topo.kinds[$0] == .shell }).enumerated() where k % 2 == 0 { o[x] = .cu }
        for (k, x) in (0..<topo.siteCount).filter({ topo.kinds[$0] == .tetra }).enumerated() where k % 10 == 0 { o[x] = .cu }
        try m.setConfiguration(occupancy: o, donorCu: 10, escapedCd: 0, resetTotals: true, classes: &t)
        var s = AccelerationSettings()
        s.mode = .adaptive
        s.families = EventFamily.allCases
        s.historyChecks = historyChecks
        return (m, t, AdaptiveAcceleration(settings: s, model: m))
    }

    /// The first group of family `key` and one class of each of its directions.
    func group(_ a: AdaptiveAcceleration, _ key: String) throws -> (g: Int, forward: Int, reverse: Int) {
        let g = try #require(a.groupFamily.indices.first { a.groupFamily[$0] == key && a.groupClasses[$0].count >= 2 })
        let f = try #require(a.groupClasses[g].first { a.classRole[Int($0)] == .forward })
        let r = try #require(a.groupClasses[g].first { a.classRole[Int($0)] == .reverse })
        return (g, Int(f), Int(r))
    }

    @Test func pairGroupsJoinBothDirectionsOfTheirFamily() throws {
        let (m, _, a) = try setup()
        #expect(m.rates.pairGroupCount > 0)
        var levelOnly = 0
        for (g, classes) in a.groupClasses.enumerated() {
            let roles = Set(classes.map { a.classRole[Int($0)] })
            let types = Set(classes.map { m.rates.classInfo[Int($0)].eventType })
            #expect(types.allSatisfy { EventType(rawValue: $0)!.family.rawValue == a.groupFamily[g] }, "group \(g) mixes families")
            if a.groupFamily[g] == "shell_hop" {
                // A self-reverse family: a downhill class pairs with its uphill reverse; a level
                // class (ΔE = 0) is its own reverse and may stand alone.
                #expect(roles.contains(.forward) == roles.contains(.reverse), "shell hop group \(g) has roles \(roles)")
                if roles == [.level] { levelOnly += 1 }
            } else {
                // A group holding a class of one direction holds the reverse direction too.
                #expect(roles == [.forward, .reverse], "group \(g) (\(a.groupFamily[g])) has roles \(roles)")
            }
        }
        #expect(levelOnly == 1, "the level shell hops (equal vacancy counts) share one barrier, hence one class")
        // One group per atom family after the class groups.
        #expect(a.groupFamily.suffix(a.atomGroupType.count) == ["cu_hop", "cd_hop"])
    }

    @Test func shellHopRolesFollowTheSignOfDeltaE() throws {
        let (m, _, a) = try setup()
        let p = m.params, z = m.radices
        let space = ShellHop.keySpace(z)
        let type = try #require(EventCatalog.types.firstIndex { EventCatalog.families[$0.0].key == "shell_hop" })
        for key in 0..<space.size {
            let c = Int(m.rates.classOfKey[Int(m.rates.keyBase[type]) + key])
            let dE = ShellHop.energetics(direction: 0, space.fields(of: key), p, z).deltaE
            let expected: PairRole = dE < 0 ? .forward : (dE > 0 ? .reverse : .level)
            #expect(a.classRole[c] == expected, "key \(key): ΔE \(dE)")
        }
    }

    /// An atom family's group counts its hops by channel (downhill forward, uphill reverse, level
    /// half each) over all its composite classes, and its scale reaches every class of the family,
    /// including classes interned after the scale was set.
    @Test func atomFamilyIsOneGroupCountedByChannelSign() throws {
        // Octa above tetra: tetra → octa hops are uphill, octa → tetra downhill.
        var (m, t, a) = try setup(octa: 0.4)
        let sup = try group(a, "supply")
        let g = try #require(a.groupFamily.firstIndex(of: "cu_hop"))
        let type = a.atomGroupType[g - a.groupClasses.count]
        // A level channel (ΔE = 0) in a class of its own (zb has none between tetra and octa holes).
        let level = Int(m.compositeClass(type, [0.3], [0], &t))
        let cuClasses = (0..<t.classCount).filter { Int(t.classType[$0]) == type }
        #expect(cuClasses.count > 1)
        // Counts: 3 000 downhill, 3 000 uphill and 4 000 level hops (2 000 each way): QE.
        var put = (down: false, up: false)
        for c in cuClasses where c != level {
            for k in Int(t.channelStart[c])..<Int(t.channelStart[c] + t.channelCount[c]) {
                switch t.channelSign[k] {
                case -1 where !put.down: t.channelExecuted[k] = 3_000; put.down = true
                case 1 where !put.up: t.channelExecuted[k] = 3_000; put.up = true
                default: break
                }
            }
        }
        t.channelExecuted[Int(t.channelStart[level])] = 4_000
        #expect(put.down && put.up, "the wire's Cu_i environments have downhill and uphill hops")
        let n = a.counts(g, t)
        #expect(n.f == 5_000 && n.r == 5_000)
        t.executedCount[sup.forward] = 40
        a.check(&t)
        // B = 40, centre √(50·100)·40 ≈ 2828 < 5 000: α = max(2828/5000, ½).
        let alpha = (50.0 * 100).squareRoot() * 40 / 5_000
        #expect(a.state.groupScale[g] == alpha)
        #expect(cuClasses.allSatisfy { t.scale[$0] == alpha && t.classNu[$0] == t.info[$0].nu * alpha })
        #expect(t.channelExecuted.allSatisfy { $0 == 0 }, "a check clears the channel counters")
        // A composite class interned now (a new environment) gets the family's scale.
        let before = t.classCount
        _ = m.compositeClass(type, [0.123, 0.456], [-1, 1], &t)
        #expect(t.classCount == before + 1 && t.scale[before] == alpha)
        // A net downhill flow (Cu_i moving to sites of lower energy) is not QE: scaled back up.
        t.channelExecuted[Int(t.channelStart[before])] = 900
        t.channelExecuted[Int(t.channelStart[before]) + 1] = 100
        t.executedCount[sup.forward] = 40
        a.check(&t)
        #expect(a.state.groupScale[g] == 1 && t.scale[before] == 1)
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
        // Supply carries a net flux (not QE): not scaled.
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
        var s = AccelerationSettings()
        #expect(s.mode == .adaptive, "adaptive is the default")
        s.mode = .off
        var a = AdaptiveAcceleration(settings: s, model: m)
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
        s = AccelerationSettings(); s.families = [EventFamily("no_such_family")]
        #expect(throws: ModelError.self) { try s.validate() }
    }

    /// The hops to cross the wire's radius: (R/a)² with a the zb hop length √3/4·a₀ (every hop of
    /// the test lattice joins a tetra and an octa hole) and R the farthest interstitial from the axis.
    @Test func crossSectionHopsIsTheRadiusInHopLengths() throws {
        let topo = try TestLattice.zbWire(radius: 7, length: 18)
        let a = 3.0.squareRoot() / 4 * 6.05
        let cx = topo.cationSites.map { topo.positions[Int($0)].x }.reduce(0, +) / Double(topo.cationSites.count)
        let cy = topo.cationSites.map { topo.positions[Int($0)].y }.reduce(0, +) / Double(topo.cationSites.count)
        let r2 = (0..<topo.siteCount).filter { topo.kinds[$0] == .tetra || topo.kinds[$0] == .octa }
            .map { let p = topo.positions[$0]; return (p.x - cx) * (p.x - cx) + (p.y - cy) * (p.y - cy) }.max()!
        #expect(abs(topo.crossSectionHops - r2 / (a * a)) < 1e-9 * r2 / (a * a))
        #expect(topo.crossSectionHops > 4, "a 7 Å wire is a few hops across")
    }

    /// With a clock, the reference B of a check with fewer than n_min non-QE events is their rate over
    /// the recent checks that hold n_min of them (at least n_min assumed), times this interval.
    @Test func rareReferenceProcessIsAveragedOverRecentChecks() throws {
        var (_, t, a) = try setup(historyChecks: 100)
        let sup = try group(a, "supply")
        func check(at time: Double, supplied n: UInt64) {
            t.clearExecutedCounts()
            t.executedCount[sup.forward] = n
            a.check(&t, time_s: time, kelvin: 500)
        }
        check(at: 0, supplied: 0)
        // One interval of 1 s with 2 events: B = max(2, n_min)/1 s · 1 s = 10 (an upper bound).
        #expect(a.referenceCount(fastest: 2, dt: 1) == 10)
        // Four more such intervals: 10 events in 5 s, so B = 2 per 1-s interval.
        for _ in 0..<4 { _ = a.referenceCount(fastest: 2, dt: 1) }
        #expect(a.state.recentNonQE.count == 5)
        #expect(a.referenceCount(fastest: 2, dt: 1) == 2)
        // An interval with n_min events of its own is its own reference.
        #expect(a.referenceCount(fastest: 40, dt: 0.5) == 40)
        // With the default history of one check: the floor max(fastest, n_min).
        var (_, _, floor) = try setup()
        #expect(floor.referenceCount(fastest: 2, dt: 1) == 10 && floor.referenceCount(fastest: 2, dt: 1) == 10)
        // Without a clock: max(fastest, n_min), nothing recorded.
        let before = a.state.recentNonQE.count
        #expect(a.referenceCount(fastest: 3, dt: nil) == 10 && a.state.recentNonQE.count == before)
    }

    /// With a clock, the Cu_i hop group is judged per atom: its measure is the cross-section
    /// relaxations of one atom in the interval, α·z·ν·exp(−E/k_BT)·dt/(R/a)², kept inside
    /// [s_min·B, s_max·B]; a rare atom (few hops) is not raised for being rare.
    @Test func atomHopGroupIsKeptInsideItsTransportWindow() throws {
        var (m, t, a) = try setup()
        let sup = try group(a, "supply")
        let g = try #require(a.groupFamily.firstIndex(of: "cu_hop"))
        let level = Int(m.compositeClass(a.atomGroupType[g - a.groupClasses.count], [0.3], [0], &t))
        let tr = try #require(a.groupTransport[g])
        let kelvin = 500.0
        let perSecond = tr.nuZ * exp(-tr.barrier_eV / (Constants.boltzmann_eV_per_K * kelvin)) / tr.hops
        var time = 0.0
        // B = 40 supply events per interval; the hops balanced (QE), f = r = hops each way.
        func check(after dt: Double, hops: UInt64) {
            t.clearExecutedCounts()
            t.executedCount[sup.forward] = 40
            t.channelExecuted[Int(t.channelStart[level])] = 2 * hops   // level: half each way
            time += dt
            a.check(&t, time_s: time, kelvin: kelvin)
        }
        check(after: 1, hops: 0)   // starts the clock
        let centre = (50.0 * 100).squareRoot() * 40
        // Far above the window: halved (at most ÷2 per check).
        let dtFast = 1000 * centre / perSecond
        check(after: dtFast, hops: 5_000)
        #expect(a.state.groupScale[g] == 0.5)
        // Inside the window [s_min·B, s_max·B]: unchanged.
        let alpha = a.state.groupScale[g]
        check(after: 75 * 40 / (alpha * perSecond), hops: 5_000)
        #expect(a.state.groupScale[g] == alpha)
        // Inside the window with a rare atom (3 hops): unchanged.
        check(after: 75 * 40 / (alpha * perSecond), hops: 3)
        #expect(a.state.groupScale[g] == alpha)
        // Below s_min·B: raised toward the centre, ×centre/m capped at u_max = 100.
        let low = alpha * perSecond * (10 * 40 / (alpha * perSecond))
        check(after: 10 * 40 / (alpha * perSecond), hops: 5_000)
        #expect(abs(a.state.groupScale[g] - min(1, alpha * min(100, centre / low))) < 1e-12)
    }
}
