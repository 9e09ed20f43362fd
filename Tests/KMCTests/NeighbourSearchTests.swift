// The fast neighbour search of `LatticeTopology` against the first implementation (kept here as a
// test-only reference): same six CSR relations, bit for bit, on zb and wz wires with and without
// windows, open and periodic.
import Testing
import CekmcCore
import Geometry  // CrystalSpec, StandardShell (its SiteKind is qualified away below)
@testable import KMC

/// The original search (head/next cell list of edge searchR, closure per pair, count and fill
/// passes over all pairs, per-row sort), unchanged except that it returns the six relations.
enum ReferenceNeighbourSearch {
    static func rows(positions: [SIMD3<Double>], kinds: [KMC.SiteKind], tolerance: Double = 0.15,
                     periodicZ_A: Double? = nil, windows: RelationWindows? = nil) throws -> (offsets: [[Int32]], targets: [[Int32]]) {
        let n = positions.count
        let searchR = max(6.5, (windows.map { max($0.shellShell.upperBound, $0.cationCation.upperBound, $0.shellCation.upperBound) } ?? 0) + 0.5)
        var lo = positions[0], hi = positions[0]
        for p in positions { lo = pointwiseMin(lo, p); hi = pointwiseMax(hi, p) }
        let cell = searchR
        let dims = SIMD3<Int>(Int(((hi.x - lo.x) / cell).rounded(.down)) + 1, Int(((hi.y - lo.y) / cell).rounded(.down)) + 1,
                              Int(((hi.z - lo.z) / cell).rounded(.down)) + 1)
        func cellOf(_ p: SIMD3<Double>) -> SIMD3<Int> {
            SIMD3(min(Int((p.x - lo.x) / cell), dims.x - 1), min(Int((p.y - lo.y) / cell), dims.y - 1), min(Int((p.z - lo.z) / cell), dims.z - 1))
        }
        let nCells = dims.x * dims.y * dims.z
        var head = [Int32](repeating: -1, count: nCells)
        var next = [Int32](repeating: -1, count: n)
        for i in stride(from: n - 1, through: 0, by: -1) {
            let c = cellOf(positions[i])
            let ci = (c.z * dims.y + c.y) * dims.x + c.x
            next[i] = head[ci]; head[ci] = Int32(i)
        }
        let periodic = periodicZ_A
        func dist2(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> Double {
            var d = a - b
            if let L = periodic { d.z -= L * (d.z / L).rounded() }
            return (d * d).sum()
        }
        if let L = periodic, dims.z < 3 || L < 2 * searchR {
            throw TopologyError(description: "topology: periodic length \(L) Å too short for the cell list")
        }
        func forNeighbours(_ i: Int, _ body: (Int, Double) -> Void) {
            let c = cellOf(positions[i])
            for dz in -1...1 {
                var z = c.z + dz
                if periodic != nil { z = (z + dims.z) % dims.z } else if z < 0 || z >= dims.z { continue }
                for y in max(0, c.y - 1)...min(dims.y - 1, c.y + 1) {
                    for x in max(0, c.x - 1)...min(dims.x - 1, c.x + 1) {
                        var j = head[(z * dims.y + y) * dims.x + x]
                        while j >= 0 {
                            if Int(j) != i {
                                let d2 = dist2(positions[i], positions[Int(j)])
                                if d2 < searchR * searchR { body(Int(j), d2) }
                            }
                            j = next[Int(j)]
                        }
                    }
                }
            }
        }
        var dmin = [[Double]](repeating: [Double](repeating: .infinity, count: 4), count: 4)
        for i in 0..<n {
            let a = Int(kinds[i].rawValue)
            forNeighbours(i) { j, d2 in
                let b = Int(kinds[j].rawValue)
                if d2 < dmin[a][b] { dmin[a][b] = d2 }
            }
        }
        func cut(_ a: KMC.SiteKind, _ b: KMC.SiteKind) -> Double {
            let d = dmin[Int(a.rawValue)][Int(b.rawValue)]
            return d.isFinite ? d.squareRoot() * (1 + tolerance) : 0
        }
        let dII = min(cut(.tetra, .octa), cut(.tetra, .tetra) > 0 ? cut(.tetra, .tetra) : .infinity,
                      cut(.octa, .octa) > 0 ? cut(.octa, .octa) : .infinity, cut(.tetra, .octa) > 0 ? cut(.tetra, .octa) : .infinity)
        let cCC = cut(.cation, .cation), cSS = cut(.shell, .shell)
        let cTC = cut(.tetra, .cation), cOC = cut(.octa, .cation)
        let cSI = min(cut(.shell, .tetra) > 0 ? cut(.shell, .tetra) : .infinity, cut(.shell, .octa) > 0 ? cut(.shell, .octa) : .infinity)
        let cSC = cut(.shell, .cation)
        func relation(_ i: Int, _ j: Int, _ d2: Double) -> Int {
            let ki = kinds[i], kj = kinds[j]
            let d = d2.squareRoot()
            if let w = windows {
                switch (ki, kj) {
                case (.cation, .cation): return w.cationCation.contains(d) ? 0 : -1
                case (.shell, .shell): return w.shellShell.contains(d) ? 3 : -1
                case (.shell, .cation): return w.shellCation.contains(d) ? 5 : -1
                case (.tetra, .cation), (.octa, .cation): return w.interstitialCation.contains(d) ? 2 : -1
                case (.shell, .tetra), (.shell, .octa): return w.shellInterstitial.contains(d) ? 4 : -1
                case (.tetra, .octa), (.octa, .tetra), (.tetra, .tetra), (.octa, .octa): return w.interstitialHop.contains(d) ? 1 : -1
                default: return -1
                }
            }
            switch (ki, kj) {
            case (.cation, .cation): return d <= cCC ? 0 : -1
            case (.shell, .shell): return d <= cSS ? 3 : -1
            case (.shell, .cation): return d <= cSC ? 5 : -1
            case (.tetra, .cation): return d <= cTC ? 2 : -1
            case (.octa, .cation): return d <= cOC ? 2 : -1
            case (.shell, .tetra), (.shell, .octa): return d <= cSI ? 4 : -1
            case (.tetra, .octa), (.octa, .tetra), (.tetra, .tetra), (.octa, .octa): return d <= dII ? 1 : -1
            default: return -1
            }
        }
        var offs = [[Int32]](repeating: [Int32](repeating: 0, count: n + 1), count: 6)
        for i in 0..<n {
            forNeighbours(i) { j, d2 in
                let r = relation(i, j, d2)
                if r >= 0 { offs[r][i + 1] += 1 }
            }
        }
        for r in 0..<6 { for i in 0..<n { offs[r][i + 1] += offs[r][i] } }
        var tgts = (0..<6).map { [Int32](repeating: 0, count: Int(offs[$0][n])) }
        var fill = offs.map { Array($0.dropLast()) }
        for i in 0..<n {
            forNeighbours(i) { j, d2 in
                let r = relation(i, j, d2)
                if r >= 0 { tgts[r][Int(fill[r][i])] = Int32(j); fill[r][i] += 1 }
            }
            for r in 0..<6 { tgts[r][Int(offs[r][i])..<Int(offs[r][i + 1])].sort() }
        }
        return (offs, tgts)
    }
}

@Suite struct NeighbourSearchTests {
    /// Positions, kinds and windows of a small carved wire, as `LatticeTopology.wire` builds them
    /// (before its spatial reordering, which does not matter here).
    static func carved(_ phase: Phase, diameter_nm: Double, length_nm: Double) throws
        -> (positions: [SIMD3<Double>], kinds: [KMC.SiteKind], windows: RelationWindows) {
        let s = CrystalSpec.defaults(for: phase)
        let (pos, kinds, _, _) = try LatticeTopology.carvedHoles(s, diameter_nm: diameter_nm, length_nm: length_nm)
        let win = RelationWindows(
            cationCation: try StandardShell.cationCation.window(s),
            interstitialHop: try StandardShell.interstitialHop.window(s),
            interstitialCation: try StandardShell.interstitialCation.window(s),
            shellShell: try StandardShell.shellShell.window(s),
            shellInterstitial: try StandardShell.shellSurfaceInterstitial.window(s),
            shellCation: try StandardShell.interstitialCation.window(s))
        return (pos, kinds, win)
    }

    /// Exact equality of the six relations; the edge counts are reported so that an empty relation
    /// (a vacuous pass) is caught by the callers' `#expect(edges > 0)`.
    static func expectSame(_ positions: [SIMD3<Double>], _ kinds: [KMC.SiteKind], periodicZ_A: Double? = nil,
                           windows: RelationWindows?, _ label: String) throws -> [Int] {
        let fast = try LatticeTopology.relationRows(positions: positions, kinds: kinds, tolerance: 0.15,
                                                    periodicZ_A: periodicZ_A, windows: windows)
        let ref = try ReferenceNeighbourSearch.rows(positions: positions, kinds: kinds, tolerance: 0.15,
                                                    periodicZ_A: periodicZ_A, windows: windows)
        var edges: [Int] = []
        for r in 0..<6 {
            #expect(fast.offsets[r] == ref.offsets[r], "\(label): offsets of relation \(r)")
            #expect(fast.targets[r] == ref.targets[r], "\(label): targets of relation \(r)")
            edges.append(ref.targets[r].count)
        }
        return edges
    }

    @Test("Geometry wires (zb, wz) with standard-shell windows: relations equal the reference search")
    func carvedWiresWithWindows() throws {
        for phase in [Phase.zb, .wz] {
            let w = try Self.carved(phase, diameter_nm: 3, length_nm: 4)
            let edges = try Self.expectSame(w.positions, w.kinds, windows: w.windows, "\(phase) windows")
            #expect(edges.allSatisfy { $0 > 0 }, "\(phase): every relation has edges \(edges)")
            // Without windows (cutoffs from the shortest distances) on the same sites.
            let e2 = try Self.expectSame(w.positions, w.kinds, windows: nil, "\(phase) cutoffs")
            #expect(e2.allSatisfy { $0 > 0 }, "\(phase): every relation has edges \(e2)")
        }
    }

    @Test("Test-lattice zb wires, open and periodic: relations equal the reference search")
    func testLatticeWires() throws {
        for periodic in [false, true] {
            // Rebuild the test wire's sites through its topology (positions and kinds are kept).
            let t = try TestLattice.zbWire(radius: 9, length: 40, periodic: periodic)
            let zLen = Double(Int((40 / 6.05).rounded(.down))) * 6.05
            let edges = try Self.expectSame(t.positions, t.kinds, periodicZ_A: periodic ? zLen : nil, windows: nil, "zb periodic=\(periodic)")
            #expect(edges.allSatisfy { $0 > 0 }, "periodic=\(periodic): every relation has edges \(edges)")
        }
    }

    @Test("Windows reaching searchR/1.01 fall back to the searchR grid and still match")
    func wideWindows() throws {
        var w = try Self.carved(.zb, diameter_nm: 3, length_nm: 3)
        // Wide interstitial windows: accepted distances up to ~6.5 Å ≥ searchR/1.01.
        w.windows.interstitialHop = 1.0 ... 6.45
        w.windows.interstitialCation = 1.0 ... 6.6
        let edges = try Self.expectSame(w.positions, w.kinds, windows: w.windows, "zb wide")
        #expect(edges.allSatisfy { $0 > 0 }, "every relation has edges \(edges)")
    }

    @Test("The topology's tables are the reference relations (full constructor)")
    func topologyUsesTheRelations() throws {
        let w = try Self.carved(.wz, diameter_nm: 3, length_nm: 3)
        let t = try LatticeTopology(positions: w.positions, kinds: w.kinds, windows: w.windows)
        let ref = try ReferenceNeighbourSearch.rows(positions: w.positions, kinds: w.kinds, windows: w.windows)
        let tables = [t.cationNN, t.hop, t.intCat, t.shellShell, t.shellInt, t.shellCat]
        for r in 0..<6 {
            #expect(tables[r].offsets == ref.offsets[r] && tables[r].targets == ref.targets[r], "relation \(r)")
        }
    }
}
