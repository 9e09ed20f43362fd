import Testing
@testable import KMC

@Suite struct ObservablesTrackingTests {
    // A 4×4×40 wire; N_min = 20 sites for the reversal tests.
    func setup(minReversal: Int = 20) throws -> (CubicWire, WireObserver) {
        let w = try CubicWire(nx: 4, ny: 4, nz: 40, a: 3)
        var s = ObserverSettings()
        s.minReversalSites = minReversal
        return (w, try WireObserver(frame: w.frame, settings: s))
    }

    @Test func birthGrowAndMergeKeepsTheLargerId() throws {
        let (w, obsInit) = try setup()
        var obs = obsInit
        var codes = w.pristine()
        // t=1: small domain low (id 1), t=1: big domain high (id 2) — ids in site-index order.
        w.exchange(&codes, i: 0...1, j: 0...1, k: 2...3)          // 8 sites
        w.exchangeLayers(&codes, 20...24)                           // 80 sites
        var o = obs.observe(time_s: 1, temperature_C: 125, cationCodes: codes, shellCopper: 0)
        #expect(o.events.map(\.kind) == [.birth, .birth])
        #expect(o.domains.map(\.id) == [1, 2])
        #expect(o.entries.map(\.domainId) == [1, 2])
        // t=2: both grow; no event, ids kept.
        w.exchange(&codes, i: 0...1, j: 0...1, k: 4...8)
        w.exchangeLayers(&codes, 17...19)
        o = obs.observe(time_s: 2, temperature_C: 125, cationCodes: codes, shellCopper: 0)
        #expect(o.events.isEmpty)
        #expect(o.domains.map(\.id) == [1, 2])
        #expect(o.domains[0].geometry.nSites == 28 && o.domains[1].geometry.nSites == 128)
        #expect(o.domains[1].firstSeen_s == 1)
        // t=3: a bridge joins them → one domain with id 2 (the larger), merge event naming 1.
        w.exchange(&codes, i: 0...0, j: 0...0, k: 9...16)
        o = obs.observe(time_s: 3, temperature_C: 150, cationCodes: codes, shellCopper: 0)
        #expect(o.domainCount == 1)
        #expect(o.domains[0].id == 2)
        let merge = try #require(o.events.first)
        #expect(o.events.count == 1)
        #expect(merge.kind == .merge && merge.domainId == 2 && merge.otherIds == [1])
        #expect(merge.nSites == 28 + 128 + 8)
        #expect(merge.time_s == 3 && merge.temperature_C == 150)
        // The absorbed domain is gone without a vanish/reversal event; next birth gets id 3.
        codes[w.index(3, 3, 38)] = CationCodes.standard.copper
        o = obs.observe(time_s: 4, temperature_C: 150, cationCodes: codes, shellCopper: 0)
        #expect(o.events.map(\.kind) == [.birth])
        #expect(o.events[0].domainId == 3)
    }

    @Test func largeDomainThatDisappearsIsAReversalSmallOneAVanish() throws {
        let (w, obsInit) = try setup(minReversal: 20)
        var obs = obsInit
        var codes = w.pristine()
        w.exchangeLayers(&codes, 5...6)                             // 32 sites ≥ 20 → id 1
        w.exchange(&codes, i: 0...1, j: 0...1, k: 30...31)          // 8 sites < 20 → id 2
        _ = obs.observe(time_s: 1, temperature_C: 200, cationCodes: codes, shellCopper: 0)
        // Shrink the big one below N_min first: it has still *reached* 32.
        codes = w.pristine()
        w.exchange(&codes, i: 0...1, j: 0...1, k: 5...5)            // 4 sites, overlaps domain 1
        w.exchange(&codes, i: 0...1, j: 0...1, k: 30...31)
        var o = obs.observe(time_s: 2, temperature_C: 200, cationCodes: codes, shellCopper: 0)
        #expect(o.events.isEmpty)
        #expect(o.domains.first { $0.id == 1 }?.maxSites == 32)
        // Both disappear.
        o = obs.observe(time_s: 3, temperature_C: 210, cationCodes: w.pristine(), shellCopper: 0)
        #expect(o.events.map(\.kind) == [.reversal, .vanish])
        #expect(o.events.map(\.domainId) == [1, 2])
        #expect(o.events[0].nSites == 4 && o.events[0].maxSites == 32)
        #expect(abs(o.events[0].maxLength_nm - 0.6) < 1e-12)
        #expect(o.events[1].nSites == 8 && o.events[1].maxSites == 8)
        #expect(o.domainCount == 0)
    }

    @Test func splitKeepsIdOnTheLargerFragment() throws {
        let (w, obsInit) = try setup()
        var obs = obsInit
        var codes = w.pristine()
        w.exchangeLayers(&codes, 10...20)                            // id 1
        _ = obs.observe(time_s: 1, temperature_C: 300, cationCodes: codes, shellCopper: 0)
        // Remove layer 13: fragments 10…12 (48 sites) and 14…20 (112 sites).
        for k in 13...13 { for j in 0..<4 { for i in 0..<4 { codes[w.index(i, j, k)] = CationCodes.standard.cadmium } } }
        let o = obs.observe(time_s: 2, temperature_C: 300, cationCodes: codes, shellCopper: 0)
        #expect(o.events.count == 1)
        let e = try #require(o.events.first)
        #expect(e.kind == .split && e.domainId == 1 && e.otherIds == [2])
        let big = try #require(o.domains.first { $0.id == 1 })
        #expect(big.geometry.nSites == 112)
        #expect(o.domains.first { $0.id == 2 }?.geometry.nSites == 48)
    }

    @Test func entryPointRecordsOutermostSiteVacancyAndLabel() throws {
        let (w, obsInit) = try setup()
        var obs = obsInit
        var codes = w.pristine()
        // Domain of the corner column (3,3) at k = 10…11 plus the inner site (2,2,10).
        w.exchange(&codes, i: 3...3, j: 3...3, k: 10...11)
        codes[w.index(2, 3, 10)] = CationCodes.standard.copper
        let vac = [SIMD3<Double>(12, 12, 30), SIMD3(100, 100, 100)]
        var labelled: [Int] = []
        let o = obs.observe(time_s: 5, temperature_C: 125, cationCodes: codes, shellCopper: 0, surfaceVacancies: vac,
                            siteLabel: { s in labelled.append(s); return "corner" })
        let e = try #require(o.entries.first)
        #expect(o.entries.count == 1)
        // Axis at (4.5, 4.5); outermost sites are (9, 9, 30) and (9, 9, 33): the lower index wins.
        #expect(e.site == w.index(3, 3, 10))
        #expect(labelled == [w.index(3, 3, 10)])
        #expect(e.label == "corner")
        #expect(abs(e.z_nm - 3.0) < 1e-12)
        #expect(abs(e.theta_deg - 45) < 1e-9)
        #expect(abs(e.r_nm - 4.5 * 2.0.squareRoot() / 10) < 1e-12)
        #expect(abs((e.nearestVacancy_nm ?? -1) - 3.0 * 2.0.squareRoot() / 10) < 1e-12)
        #expect(e.nSites == 3 && e.time_s == 5)
    }

    @Test func trackingIsDeterministic() throws {
        // The same sequence of states gives identical observations.
        func run() throws -> [Observation] {
            let (w, o0) = try setup()
            var obs = o0
            var codes = w.pristine()
            var out: [Observation] = []
            for t in 0..<6 {
                w.exchange(&codes, i: 0...1, j: 0...(t % 4), k: (3 * t)...(3 * t + 4))
                if t == 4 { for k in 0..<40 { codes[w.index(3, 3, k)] = CationCodes.standard.cadmium } }
                out.append(obs.observe(time_s: Double(t), temperature_C: 100, cationCodes: codes, shellCopper: t))
            }
            return out
        }
        #expect(try run() == run())
    }
}

@Suite struct ObservablesMapTests {
    @Test func shellOnlyConfigurationGivesAnMShapedProfile() throws {
        // Cu ring of radius R = 50 Å around the axis, 180 angles × 40 planes; bins of 5 Å over ±60 Å.
        let r = 50.0
        let grid = try ProjectionGrid(axisCenter: .zero, halfWidth_A: 60, zRange_A: 0...120, binSize_A: 5)
        var map = ProjectedMap(grid: grid)
        var pos: [SIMD3<Double>] = []
        for k in 0..<40 {
            for a in 0..<180 {
                let t = (Double(a) + 0.5) * 2 * Double.pi / 180
                pos.append(SIMD3(r * cos(t), r * sin(t), Double(k) * 3))
            }
        }
        map.add(positions: pos, codes: [UInt8](repeating: 2, count: pos.count), matching: 2)
        #expect(map.total == pos.count && map.outside == 0)
        let p = map.acrossProfile()
        #expect(p.count == 24)
        let centres = (0..<p.count).map { grid.uCenter_nm($0) }
        let left = (0..<12).max { p[$0] < p[$1] }!, right = (12..<24).max { p[$0] < p[$1] }!
        // Maxima within one bin of ∓R = ∓5 nm, minimum at the centre, well below the peaks.
        #expect(abs(centres[left] + 5) <= 0.5)
        #expect(abs(centres[right] - 5) <= 0.5)
        let centreValue = min(p[11], p[12])
        #expect(p.allSatisfy { $0 >= centreValue || $0 == 0 })
        #expect(centreValue < 0.5 * min(p[left], p[right]))
        // Closed form for the central bins: fraction of a ring with |u| < 5 Å (two bins) is (2/π)·asin(2.5/50).
        let expectedCentral = Double(pos.count) * (2 / Double.pi) * asin(5.0 / r)
        #expect(abs((p[11] + p[12]) - expectedCentral) < 0.02 * expectedCentral + 40)
    }

    @Test func cationProjectionCountsMatchTheObservation() throws {
        let w = try CubicWire(nx: 6, ny: 6, nz: 20, a: 3)
        var codes = w.pristine()
        w.exchange(&codes, i: 0...5, j: 0...2, k: 4...9)
        var obs = try WireObserver(frame: w.frame)
        let o = obs.observe(time_s: 0, temperature_C: 25, cationCodes: codes, shellCopper: 0)
        obs.projectCations(codes: codes)
        #expect(obs.cuMap.total == o.copperSites)
        #expect(obs.cdMap.total == o.cadmiumSites)
        #expect(obs.cuMap.outside == 0)
        // Beam along y: the Cu half (j ≤ 2) projects onto the same u bins as the Cd half; along z only k = 4…9.
        let prof = obs.cuMap.axialProfile()
        let grid = obs.cuMap.grid
        for iz in 0..<grid.nZ {
            let z = grid.zCenter_nm(iz) * 10
            let inBlock = z > 4 * 3 - 2.5 && z < 9 * 3 + 2.5
            if !inBlock { #expect(prof[iz] == 0) }
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
