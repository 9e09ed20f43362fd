// Wire carving: counts vs the analytic volume estimate, symmetry, shell and surface definitions,
// periodic wires, determinism.
import Testing
import CekmcCore
@testable import Geometry

@Suite struct WireTests {
    static let specs: [CrystalSpec] = [.defaultZincblende, .defaultWurtzite]

    @Test(arguments: specs)
    func cationCountMatchesVolumeEstimate(_ spec: CrystalSpec) throws {
        // 6 nm × 20 nm: N ≈ πr²L_c·ρ, every kind has n layers; the remaining error is the
        // lattice-points-in-a-circle fluctuation of each layer, ≈ 1 % here.
        // The wz A/B layers fluctuate more at this radius (≈ 3 %), so wz uses 10 nm.
        let D = spec.phase == .zb ? 60.0 : 100.0
        let wire = try Wire.carve(spec, diameter_A: D, length_A: 200)
        let n = Int((200 / spec.layerSpacing_A - 0.5).rounded(.up))
        #expect(wire.layerCount == n)
        #expect(abs(wire.carvedLength_A - Double(n) * spec.layerSpacing_A) < 1e-9)
        let L = wire.carvedLength_A
        let expected = Double.pi * D * D / 4 * L * spec.anionDensity_perA3
        for kind in [SiteKind.anion, .cation] {
            let got = Double(wire.count(kind))
            #expect(abs(got / expected - 1) < 0.02, "\(kind): \(got) vs \(expected)")
        }
    }

    /// All four kinds converge to the bulk density: averaged over 8 diameters the circle-counting
    /// fluctuations (a few % for one diameter and one stacking letter) cancel to < 1.5 %.
    @Test(arguments: specs)
    func siteDensitiesMatchBulk(_ spec: CrystalSpec) throws {
        let L = Double(spec.layersPerPeriod * 2) * spec.layerSpacing_A
        var rel = [Double](repeating: 0, count: 4)
        let diameters: [Double] = [50, 60, 70, 80, 90, 100, 110, 120]
        for D in diameters {
            let wire = try Wire.carve(spec, diameter_A: D, length_A: L)
            let expected = Double.pi * D * D / 4 * L * spec.anionDensity_perA3
            for k in 0 ..< 4 { rel[k] += (Double(wire.count(SiteKind(rawValue: UInt8(k))!)) / expected - 1) / Double(diameters.count) }
        }
        for k in 0 ..< 4 { #expect(abs(rel[k]) < 0.015, "\(SiteKind(rawValue: UInt8(k))!): mean relative error \(rel[k])") }
    }

    @Test(arguments: specs)
    func cationCentreOfMassOnAxis(_ spec: CrystalSpec) throws {
        let wire = try Wire.carve(spec, diameter_A: 40, length_A: 80)
        var sum = SIMD3<Double>.zero
        let r = wire.sites.range(of: .cation)
        for i in r { sum += wire.sites.positions[i] }
        let com = sum / Double(r.count)
        // Off-axis offset bounded by one lattice spacing / √N-type fluctuations: < 0.5 Å.
        #expect((com.x * com.x + com.y * com.y).squareRoot() < 0.5, "\(com)")
        #expect(abs(com.z - 40) < spec.layerSpacing_A)
    }

    @Test(arguments: specs)
    func sitesInsideAndShellOutside(_ spec: CrystalSpec) throws {
        let (D, R) = (30.0, 15.0)
        let wire = try Wire.carve(spec, diameter_A: D, length_A: 40)
        let s = wire.sites, L = wire.carvedLength_A
        #expect(abs(L - 40) <= spec.layerSpacing_A / 2)
        for kind in [SiteKind.anion, .cation, .tetraEmpty, .octa] {
            for i in s.range(of: kind) {
                let p = s.positions[i]
                #expect(p.x * p.x + p.y * p.y < R * R && p.z >= -1e-9 && p.z < L)
                #expect(s.latticeKinds[i] == kind)
            }
        }
        #expect(s.count(of: .shell) > 0)
        let rc = spec.maxHoleAnionDistance_A + 1e-6
        let anions = s.range(of: .anion)
        var sideShell = 0, capShell = (0, 0)
        for i in s.range(of: .shell) {
            let p = s.positions[i]
            let outside = p.x * p.x + p.y * p.y >= R * R || p.z < 0 || p.z >= L
            #expect(outside)
            #expect(s.latticeKinds[i].isHole)
            // Adjacent: ≥ 1 wire Se within the hole–Se coordination distance, and that Se is surface.
            let near = anions.filter { minImageDistance(s, i, $0) <= rc }
            #expect(!near.isEmpty)
            #expect(near.allSatisfy { s.isSurface[$0] })
            if p.z < 0 { capShell.0 += 1 } else if p.z >= L { capShell.1 += 1 } else { sideShell += 1 }
        }
        #expect(sideShell > 0 && capShell.0 > 0 && capShell.1 > 0, "shell covers side and both caps")
    }

    /// Surface flags agree with brute-force coordination counts (the definition in Wire.swift).
    @Test(arguments: specs)
    func surfaceFlagsMatchBruteForceCoordination(_ spec: CrystalSpec) throws {
        let wire = try Wire.carve(spec, diameter_A: 25, length_A: 30)
        let s = wire.sites
        let rc = spec.maxHoleAnionDistance_A + 1e-6
        let holes = s.indices(of: [.cation, .tetraEmpty, .octa])
        let anions = s.indices(of: [.anion])
        let holeToSe = try NeighborTable.bruteForce(positions: s.positions, sources: holes, targets: anions, window: 0 ... rc, box: s.box)
        let seToHole = try NeighborTable.bruteForce(positions: s.positions, sources: anions, targets: holes, window: 0 ... rc, box: s.box)
        var nSurface = 0, nInterior = 0
        for h in holes {
            let full = s.kinds[Int(h)] == .octa ? 6 : 4
            #expect(s.isSurface[Int(h)] == (holeToSe.degree(of: Int(h)) < full))
            #expect(holeToSe.degree(of: Int(h)) >= 1)
        }
        for a in anions {
            #expect(s.isSurface[Int(a)] == (seToHole.degree(of: Int(a)) < 14))
            if s.isSurface[Int(a)] { nSurface += 1 } else { nInterior += 1 }
        }
        #expect(nSurface > 0 && nInterior > 0)
    }

    @Test(arguments: specs)
    func interiorCationsHaveBulkEnvironment(_ spec: CrystalSpec) throws {
        let wire = try Wire.carve(spec, diameter_A: 30, length_A: 30)
        let s = wire.sites
        let bulk = [spec.axialBond_A, spec.basalBond_A, spec.basalBond_A, spec.basalBond_A].sorted()
        var checked = 0
        for i in s.range(of: .cation) where !s.isSurface[i] {
            let d = distances(s, from: i, to: [.anion], rmax: 3.3)
            #expect(d.count == 4)
            if d.count == 4 { for (x, y) in zip(d, bulk) { #expect(abs(x - y) < 1e-9) } }
            checked += 1
        }
        #expect(checked > 0)
    }

    @Test(arguments: specs)
    func periodicWireHasNoCapsAndWrapsInZ(_ spec: CrystalSpec) throws {
        let L = spec.periodicLength(near: 30)
        let wire = try Wire.carve(spec, diameter_A: 45, length_A: L, periodicZ: true)
        let s = wire.sites
        #expect(wire.layerCount == Int((L / spec.layerSpacing_A).rounded()))
        #expect(wire.layerCount % spec.layersPerPeriod == 0 && wire.carvedLength_A == L)
        for p in s.positions { #expect(p.z >= -1e-9 && p.z < L) }
        // Per layer the four site kinds have nearly equal counts, and no site duplicates an image.
        let cell = s.box
        #expect(cell.periodic == (false, false, true))
        let all = Array(0 ..< Int32(s.count))
        let dup = try NeighborTable.build(positions: s.positions, sources: all, targets: all, window: 0 ... 0.5, box: cell)
        #expect(dup.pairCount == 0)
        // Anions away from the side surface see 12 Se, also across the periodic boundary.
        let nn = spec.phase == .zb ? spec.a_A / 2.0.squareRoot() : spec.a_A
        for i in s.range(of: .anion) where (s.positions[i] * s.positions[i]).sum() - s.positions[i].z * s.positions[i].z < 17 * 17 {
            #expect(distances(s, from: i, to: [.anion], rmax: nn * 1.1).count == 12)
        }
        #expect(throws: GeometryError.self) { try Wire.carve(spec, diameter_A: 45, length_A: L + 1, periodicZ: true) }
    }

    @Test func carvingIsDeterministic() throws {
        let a = try Wire.carve(.defaultZincblende, diameter_A: 33, length_A: 47)
        let b = try Wire.carve(.defaultZincblende, diameter_A: 33, length_A: 47)
        #expect(a.sites == b.sites)
        let ta = try NeighborTable.standard(.cationCation, sites: a.sites, spec: a.spec)
        let tb = try NeighborTable.standard(.cationCation, sites: b.sites, spec: b.spec)
        #expect(ta == tb)
    }

    @Test func invalidWireRequestsThrow() {
        #expect(throws: GeometryError.self) { try Wire.carve(.defaultZincblende, diameter_A: 1, length_A: 100) }
        #expect(throws: GeometryError.self) { try Wire.carve(.defaultZincblende, diameter_A: 30, length_A: .nan) }
        #expect(throws: GeometryError.self) { try Wire.carve(.defaultZincblende, diameter_A: 30, length_A: 50, minimumHoleCoordination: 5) }
    }
}

@Suite struct WireOptionTests {
    /// With minimumHoleCoordination = 3 every wire hole has ≥ 3 wire Se (brute force) and the holes
    /// with fewer become shell sites; anions and the total number of holes are unchanged.
    @Test func minimumHoleCoordinationIsHonoured() throws {
        let spec = CrystalSpec.defaultZincblende
        let w1 = try Wire.carve(spec, diameter_A: 25, length_A: 30)
        let w2 = try Wire.carve(spec, diameter_A: 25, length_A: 30, minimumHoleCoordination: 3)
        let s = w2.sites
        let rc = spec.maxHoleAnionDistance_A + 1e-6
        let holes = s.indices(of: [.cation, .tetraEmpty, .octa, .shell])
        let t = try NeighborTable.bruteForce(positions: s.positions, sources: holes, targets: s.indices(of: [.anion]), window: 0 ... rc, box: s.box)
        for h in holes {
            if s.kinds[Int(h)] == .shell { #expect(t.degree(of: Int(h)) >= 1) } else { #expect(t.degree(of: Int(h)) >= 3) }
        }
        #expect(w2.count(.anion) == w1.count(.anion))
        let holeTotal = { (w: Wire) in w.count(.cation) + w.count(.tetraEmpty) + w.count(.octa) + w.count(.shell) }
        #expect(holeTotal(w1) == holeTotal(w2))
        #expect(w2.count(.shell) > w1.count(.shell))
    }

    @Test func depthIsPositiveInsideNegativeInShell() throws {
        let w = try Wire.carve(.defaultWurtzite, diameter_A: 30, length_A: 30)
        for i in 0 ..< w.sites.count {
            if w.sites.kinds[i] == .shell { #expect(w.depth_A(i) <= 1e-9) } else { #expect(w.depth_A(i) >= -1e-9) }
        }
    }

    @Test func minimumImageInBulk() throws {
        let cell = try BulkCell.make(.defaultWurtzite, repeats: (4, 4, 2), setting: .hexagonal)
        let box = cell.box
        let d = box.minimumImage(box.a * 0.9 + box.c * 0.2)
        #expect(abs(d.x - (-0.1 * box.a.x)) < 1e-9 && abs(d.z - 0.2 * box.c.z) < 1e-9)
    }
}
