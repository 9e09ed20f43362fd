import Testing
@testable import KMC

@Suite struct ObservablesFrameTests {
    @Test func cubicFrameHasLayersAndColumns() throws {
        let w = try CubicWire(nx: 3, ny: 4, nz: 5, a: 2.5)
        let f = w.frame
        #expect(f.layerCount == 5)
        #expect(f.layerSiteCount == [Int32](repeating: 12, count: 5))
        #expect(abs(f.layerSpacing_A - 2.5) < 1e-12)
        #expect(f.columnCount == 12)
        // Every column holds one site per layer, ranked by z.
        for c in 0..<f.columnCount {
            let sites = f.columnSites[Int(f.columnOffsets[c])..<Int(f.columnOffsets[c + 1])].map(Int.init)
            #expect(sites.count == 5)
            #expect(sites.map { f.z[$0] } == [0, 2.5, 5, 7.5, 10])
            for (r, s) in sites.enumerated() { #expect(f.rankInColumn[s] == Int32(r)); #expect(f.columnOfSite[s] == Int32(c)) }
        }
        #expect(f.axisCenter == SIMD2(2.5, 3.75))
    }

    @Test func columnsToleratePositionNoise() throws {
        // Two columns 3 Å apart, sites jittered by ±0.02 Å (below the 0.1 Å tolerance).
        var pos: [SIMD3<Double>] = []
        for k in 0..<6 {
            let e = (k % 2 == 0 ? 0.02 : -0.02)
            pos.append(SIMD3(0.05 + e, 0.05 - e, Double(k) * 3))   // straddles a 0.1 Å hash cell edge
            pos.append(SIMD3(3 + e, 0, Double(k) * 3 + e))
        }
        let f = try CationFrame(positions: pos, diameter_A: 6, length_A: 18,
                                neighborOffsets: [Int32](repeating: 0, count: pos.count + 1), neighbors: [])
        #expect(f.columnCount == 2)
        #expect(f.layerCount == 6)
    }

    @Test func invalidSetupThrowsNamingTheKey() {
        let p = [SIMD3<Double>(0, 0, 0), SIMD3(0, 0, 3)]
        #expect(throws: ObservablesError.self) {
            _ = try CationFrame(positions: p, diameter_A: 3, length_A: 6, neighborOffsets: [0, 1], neighbors: [1])
        }
        do {
            _ = try CationFrame(positions: p, diameter_A: 3, length_A: 6, neighborOffsets: [0, 1, 2], neighbors: [1, 5])
            Issue.record("expected a throw")
        } catch let e as ObservablesError {
            #expect(e.description.contains("neighbors"))
        } catch { Issue.record("wrong error \(error)") }
        #expect(throws: ObservablesError.self) {
            _ = try CationFrame(positions: p, diameter_A: -1, length_A: 6, neighborOffsets: [0, 0, 0], neighbors: [])
        }
    }
}

@Suite struct ObservablesDomainTests {
    @Test func exchangedFractionAndVolumeAreExactCounts() throws {
        let w = try CubicWire(nx: 4, ny: 4, nz: 20)
        var codes = w.pristine()
        w.exchange(&codes, i: 0...2, j: 0...2, k: 3...6)         // 36 Cu
        codes[w.index(3, 3, 19)] = CationCodes.standard.copper    // 37 Cu
        codes[w.index(0, 0, 0)] = CationCodes.standard.vacancy    // a vacancy counts in N, not in Cu or Cd
        var obs = try WireObserver(frame: w.frame)
        let o = obs.observe(time_s: 1, temperature_C: 125, cationCodes: codes, shellCopper: 30)
        #expect(o.cationSites == 320)
        #expect(o.copperSites == 37)
        #expect(o.cadmiumSites == 320 - 37 - 1)
        #expect(o.exchangedFraction == 37.0 / 320.0)
        // V = X π (d/2)² L with d = 12 Å = 1.2 nm, L = 60 Å = 6 nm.
        let v = 37.0 / 320.0 * Double.pi * 0.6 * 0.6 * 6.0
        #expect(abs(o.exchangedVolume_nm3 - v) <= 1e-12 * v)
        #expect(abs(o.shellCuPerNm - 30.0 / 6.0) < 1e-12)
        #expect(o.domainCount == 2)
    }

    @Test func twoSeparatedBlocksGiveTwoDomainsWithTheirExtents() throws {
        let w = try CubicWire(nx: 4, ny: 4, nz: 30, a: 3)
        var codes = w.pristine()
        w.exchangeLayers(&codes, 2...4)                           // block A: full slab, 48 sites
        w.exchange(&codes, i: 1...2, j: 1...2, k: 12...19)         // block B: 2×2 thorn, 32 sites
        var an = try DomainAnalyzer(frame: w.frame)
        an.analyze(codes: codes)
        #expect(an.domainCount == 2)
        let a = an.domains[0], b = an.domains[1]
        #expect(a.nSites == 48); #expect(b.nSites == 32)
        #expect(abs(a.zMin_nm - 0.6) < 1e-12); #expect(abs(a.zMax_nm - 1.2) < 1e-12)
        #expect(abs(a.length_nm - 0.9) < 1e-12)                   // 3 planes × 0.3 nm
        #expect(abs(b.zMin_nm - 3.6) < 1e-12); #expect(abs(b.zMax_nm - 5.7) < 1e-12)
        #expect(abs(b.length_nm - 2.4) < 1e-12)                   // 8 planes
        #expect(a.spans); #expect(!b.spans)
        #expect(b.maxLayerFraction == 0.25)
        // The domain index of each site matches its block.
        #expect(an.domainIndex(ofSite: w.index(0, 0, 3)) == 0)
        #expect(an.domainIndex(ofSite: w.index(1, 2, 15)) == 1)
        #expect(an.domainIndex(ofSite: w.index(0, 0, 15)) == -1)
        #expect(Set(an.sites(ofDomain: 1).map(Int.init)).count == 32)
    }

    @Test func spanningThresholdIsNinetyPercentOfALayer() throws {
        let w = try CubicWire(nx: 4, ny: 4, nz: 10)
        var codes = w.pristine()
        // 15 of 16 sites of layer 5 (93.75 %) → spans.
        w.exchangeLayers(&codes, 5...5)
        codes[w.index(3, 3, 5)] = CationCodes.standard.cadmium
        var an = try DomainAnalyzer(frame: w.frame)
        an.analyze(codes: codes)
        #expect(an.domainCount == 1 && an.domains[0].spans)
        // 14 of 16 (87.5 %) → does not span.
        codes[w.index(2, 3, 5)] = CationCodes.standard.cadmium
        an.analyze(codes: codes)
        #expect(an.domainCount == 1 && !an.domains[0].spans)
        // A thin thorn through the whole wire length never spans.
        codes = w.pristine()
        w.exchange(&codes, i: 1...1, j: 1...1, k: 0...9)
        an.analyze(codes: codes)
        #expect(an.domainCount == 1)
        #expect(!an.domains[0].spans)
        #expect(an.domains[0].lowerFront == nil && an.domains[0].upperFront == nil)
        #expect(abs(an.domains[0].length_nm - 3.0) < 1e-12)
    }

    @Test func diagonalSitesAreNotConnected() throws {
        // Nearest-neighbour connectivity only: two sites touching along a diagonal are two domains.
        let w = try CubicWire(nx: 3, ny: 3, nz: 3)
        var codes = w.pristine()
        codes[w.index(0, 0, 0)] = 2; codes[w.index(1, 1, 0)] = 2; codes[w.index(2, 2, 1)] = 2
        var an = try DomainAnalyzer(frame: w.frame)
        an.analyze(codes: codes)
        #expect(an.domainCount == 3)
        #expect(an.copperSites == 3)
    }

    @Test func smallComponentsAreCountedButNotReported() throws {
        let w = try CubicWire(nx: 4, ny: 4, nz: 10)
        var codes = w.pristine()
        codes[w.index(0, 0, 0)] = 2                                // 1 site
        w.exchange(&codes, i: 0...1, j: 3...3, k: 5...5)           // 2 sites
        w.exchangeLayers(&codes, 8...8)                            // 16 sites
        var an = try DomainAnalyzer(frame: w.frame, minDomainSites: 2)
        an.analyze(codes: codes)
        #expect(an.copperSites == 19)
        #expect(an.domains.map(\.nSites) == [2, 16])
        #expect(an.domainIndex(ofSite: w.index(0, 0, 0)) == -2)
        // Re-analysing a new state reuses buffers and forgets the old one.
        an.analyze(codes: w.pristine())
        #expect(an.domainCount == 0 && an.copperSites == 0)
        #expect(an.domainIndex(ofSite: w.index(0, 0, 8)) == -1)
    }

    @Test func planarFrontHasZeroWidth() throws {
        let w = try CubicWire(nx: 5, ny: 4, nz: 30, a: 3)
        var codes = w.pristine()
        w.exchangeLayers(&codes, 5...12)
        var an = try DomainAnalyzer(frame: w.frame)
        an.analyze(codes: codes)
        let d = try #require(an.domains.first)
        #expect(d.spans)
        let lo = try #require(d.lowerFront), hi = try #require(d.upperFront)
        #expect(lo.columns == 20 && hi.columns == 20)
        #expect(lo.std_nm == 0 && lo.range_nm == 0 && hi.std_nm == 0 && hi.range_nm == 0)
        #expect(abs(lo.mean_nm - 1.5) < 1e-12 && abs(hi.mean_nm - 3.6) < 1e-12)
        // A domain reaching the wire's end cap has no interface at that end.
        codes = w.pristine()
        w.exchangeLayers(&codes, 0...12)
        an.analyze(codes: codes)
        #expect(an.domains[0].lowerFront == nil)
        #expect(an.domains[0].upperFront?.columns == 20)
    }

    @Test func staircaseFrontWidthIsTheAnalyticStandardDeviation() throws {
        // Upper end of column (i, j) at layer 8 + i, i = 0…3: positions {8,9,10,11}·a, each on 4 columns.
        // Population std = a·√((1.5² + 0.5² + 0.5² + 1.5²)/4) = a·√1.25; range = 3a.
        let a = 3.0
        let w = try CubicWire(nx: 4, ny: 4, nz: 20, a: a)
        var codes = w.pristine()
        w.exchangeLayers(&codes, 2...8)
        for i in 0..<4 { w.exchange(&codes, i: i...i, j: 0...3, k: 8...(8 + i)) }
        var an = try DomainAnalyzer(frame: w.frame)
        an.analyze(codes: codes)
        let d = try #require(an.domains.first)
        let hi = try #require(d.upperFront), lo = try #require(d.lowerFront)
        #expect(hi.columns == 16)
        #expect(abs(hi.std_nm - a * 1.25.squareRoot() / 10) < 1e-12)
        #expect(abs(hi.range_nm - 3 * a / 10) < 1e-12)
        #expect(abs(hi.mean_nm - 9.5 * a / 10) < 1e-12)
        #expect(lo.std_nm == 0)
    }
}
