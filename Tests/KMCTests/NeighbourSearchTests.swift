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
        return (pos, kinds, try .standard(s))
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

    /// Transpose by sorting the (target, source) pairs: row t lists the sources of edges into t, ascending.
    static func referenceTranspose(_ m: CSR, rows n: Int) -> (offsets: [Int32], targets: [Int32]) {
        var pairs: [(Int32, Int32)] = []
        for r in 0..<n { for e in m.range(r) { pairs.append((m.targets[e], Int32(r))) } }
        pairs.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        var off = [Int32](repeating: 0, count: n + 1)
        for p in pairs { off[Int(p.0) + 1] += 1 }
        for i in 0..<n { off[i + 1] += off[i] }
        return (off, pairs.map { $0.1 })
    }

    /// Edge map e ↦ other.edge(target(e), source(e)) from the row ranges.
    static func referenceReverse(_ m: CSR, in other: CSR, rows n: Int) -> [Int32] {
        var map: [Int32] = []
        for r in 0..<n { for e in m.range(r) { map.append(other.edge(m.targets[e], Int32(r))) } }
        return map
    }

    /// All tables of a topology against the reference search and straightforward derivations.
    static func expectTopologyMatches(_ t: LatticeTopology, windows: RelationWindows, _ label: String) throws {
        let n = t.siteCount
        let ref = try ReferenceNeighbourSearch.rows(positions: t.positions, kinds: t.kinds, windows: windows)
        let tables = [t.cationNN, t.hop, t.intCat, t.shellShell, t.shellInt, t.shellCat]
        for r in 0..<6 {
            #expect(tables[r].offsets == ref.offsets[r] && tables[r].targets == ref.targets[r], "\(label): relation \(r)")
        }
        for (m, tr, name) in [(t.intCat, t.catInt, "catInt"), (t.shellInt, t.intShell, "intShell"), (t.shellCat, t.catShell, "catShell")] {
            let x = Self.referenceTranspose(m, rows: n)
            #expect(tr.offsets == x.offsets && tr.targets == x.targets, "\(label): \(name)")
        }
        #expect(t.hopReverse == Self.referenceReverse(t.hop, in: t.hop, rows: n), "\(label): hopReverse")
        #expect(t.shellShellReverse == Self.referenceReverse(t.shellShell, in: t.shellShell, rows: n), "\(label): shellShellReverse")
        #expect(t.catIntEdge == Self.referenceReverse(t.catInt, in: t.intCat, rows: n), "\(label): catIntEdge")
        #expect(t.intShellEdge == Self.referenceReverse(t.intShell, in: t.shellInt, rows: n), "\(label): intShellEdge")
        for (m, name) in [(t.hop, "hop"), (t.intCat, "intCat"), (t.shellShell, "shellShell"), (t.shellInt, "shellInt")] {
            var src: [Int32] = []
            for r in 0..<n { for _ in m.range(r) { src.append(Int32(r)) } }
            #expect(m.sources == src, "\(label): \(name).sources")
        }
    }

    @Test("LatticeTopology.wire (zb, wz): spatial order, relations, transposes and edge maps equal the references")
    func wireTopologyMatchesReference() throws {
        for phase in [Phase.zb, .wz] {
            let (t, _, _) = try LatticeTopology.wire(phase: phase, diameter_nm: 3, length_nm: 4)
            let w = try Self.carved(phase, diameter_nm: 3, length_nm: 4)
            // The first implementation's order: z slabs of 2 Å, y rows of 2 Å, x, then index.
            let pos = w.positions
            let order = (0..<pos.count).sorted { a, b in
                let pa = pos[a], pb = pos[b]
                let za = Int((pa.z / 2).rounded(.down)), zb = Int((pb.z / 2).rounded(.down))
                if za != zb { return za < zb }
                let ya = Int((pa.y / 2).rounded(.down)), yb = Int((pb.y / 2).rounded(.down))
                if ya != yb { return ya < yb }
                if pa.x != pb.x { return pa.x < pb.x }
                return a < b
            }
            #expect(t.positions == order.map { pos[$0] } && t.kinds == order.map { w.kinds[$0] }, "\(phase): site order")
            try Self.expectTopologyMatches(t, windows: w.windows, "\(phase)")
        }
    }
}
