// Cell-list neighbour tables against the brute-force oracle; standard shells.
import Testing
import CekmcCore
@testable import Geometry

@Suite struct NeighborTableTests {
    static let specs: [CrystalSpec] = [.defaultZincblende, .defaultWurtzite]

    /// Cell list == brute force (identical CSR arrays) on wires, periodic wires and bulk cells.
    @Test(arguments: specs)
    func cellListEqualsBruteForce(_ spec: CrystalSpec) throws {
        let structures: [SiteList] = [
            try Wire.carve(spec, diameter_A: 30, length_A: 40).sites,
            try Wire.carve(spec, diameter_A: 30, length_A: spec.periodicLength(near: 25), periodicZ: true).sites,
            try BulkCell.make(spec, repeats: (3, 2, 2)).sites,
            try BulkCell.make(spec, repeats: (4, 4, 2), setting: .hexagonal).sites,
        ]
        let windows: [ClosedRange<Double>] = [0 ... 2.7, 2.0 ... 3.1, 0 ... 4.5, 4.0 ... 6.0]
        for s in structures {
            let cats = s.indices(of: [.cation])
            let inter = s.indices(of: [.tetraEmpty, .octa, .shell])
            let all = Array(0 ..< Int32(s.count))
            for w in windows {
                for (src, tgt) in [(cats, cats), (inter, cats), (all, all)] {
                    if w.upperBound * 2 >= s.box.width(2) && s.box.periodic.2 { continue }
                    let fast = try NeighborTable.build(positions: s.positions, sources: src, targets: tgt, window: w, box: s.box)
                    let slow = try NeighborTable.bruteForce(positions: s.positions, sources: src, targets: tgt, window: w, box: s.box)
                    #expect(fast == slow, "window \(w)")
                    #expect(fast.rowCount == s.count)
                }
            }
        }
    }

    @Test func rowsSortedAndTransposeIsInverse() throws {
        let s = try Wire.carve(.defaultWurtzite, diameter_A: 30, length_A: 30).sites
        let t = try NeighborTable.standard(.interstitialCation, sites: s, spec: .defaultWurtzite)
        for i in 0 ..< t.rowCount {
            let row = Array(t.neighbors(of: i))
            #expect(row == row.sorted() && Set(row).count == row.count)
        }
        let tt = t.transposed()
        #expect(tt.pairCount == t.pairCount)
        #expect(tt.transposed() == t)
        for i in 0 ..< t.rowCount { for j in t.neighbors(of: i) { #expect(tt.neighbors(of: Int(j)).contains(Int32(i))) } }
    }

    @Test func tooSmallPeriodicCellThrows() throws {
        let s = try BulkCell.make(.defaultZincblende, repeats: (1, 1, 1), setting: .cubic).sites
        let all = Array(0 ..< Int32(s.count))
        #expect(throws: GeometryError.self) {
            try NeighborTable.build(positions: s.positions, sources: all, targets: all, window: 0 ... 4.5, box: s.box)
        }
        #expect(throws: GeometryError.self) {
            try NeighborTable.build(positions: s.positions, sources: [0, 0], targets: all, window: 0 ... 1, box: s.box)
        }
    }

    /// Every source in a bulk cell has exactly the shell's coordination number.
    @Test(arguments: specs)
    func standardShellsHaveBulkCoordination(_ spec: CrystalSpec) throws {
        let cell = try BulkCell.make(spec, repeats: (4, 3, spec.phase == .zb ? 2 : 3))
        let s = cell.sites
        for shell in StandardShell.allCases {
            let w = try shell.window(spec)
            // On bulk, the shell-type relations are checked on the lattice kinds.
            let src = s.indices(of: shell.sourceLatticeKinds), tgt = s.indices(of: shell.targetLatticeKinds)
            let t = try NeighborTable.build(positions: s.positions, sources: src, targets: tgt, window: w, box: s.box)
            for i in src {
                #expect(t.degree(of: Int(i)) == shell.coordination(of: s.kinds[Int(i)], phase: spec.phase), "\(shell) \(s.kinds[Int(i)])")
            }
        }
    }

    @Test func standardShellDistancesZincblende() throws {
        let a = 6.05, spec = CrystalSpec.defaultZincblende
        let cell = try BulkCell.make(spec, repeats: (4, 3, 2))
        let s = cell.sites
        func distSet(_ shell: StandardShell) throws -> Set<Int> {
            let t = try NeighborTable.standard(shell, sites: s, spec: spec, window: shell.window(spec))
            var out = Set<Int>()
            for i in 0 ..< t.rowCount { for j in t.neighbors(of: i) { out.insert(Int((minImageDistance(s, i, Int(j)) * 1e6).rounded())) } }
            return out
        }
        let q = { (x: Double) in Int((x * 1e6).rounded()) }
        #expect(try distSet(.cationCation) == [q(a / 2.0.squareRoot())])
        #expect(try distSet(.interstitialHop) == [q(a * 3.0.squareRoot() / 4)])            // T–O
        #expect(try distSet(.cationTetraEmpty) == [q(a / 2)])                             // T₊–T₋
        #expect(try distSet(.interstitialCation) == [q(a / 2), q(a * 3.0.squareRoot() / 4)])
        #expect(try distSet(.anionCation) == [q(a * 3.0.squareRoot() / 4)])
        #expect(try distSet(.octaOcta) == [q(a / 2.0.squareRoot())])
    }

    @Test func standardShellDistancesWurtzite() throws {
        let (a, c, u) = (4.30, 7.01, 0.376), spec = try CrystalSpec.wurtzite(a_A: a, c_A: c, u: u)
        let s = try BulkCell.make(spec, repeats: (4, 3, 3)).sites
        func distSet(_ shell: StandardShell) throws -> Set<Int> {
            let t = try NeighborTable.standard(shell, sites: s, spec: spec)
            var out = Set<Int>()
            for i in 0 ..< t.rowCount { for j in t.neighbors(of: i) { out.insert(Int((minImageDistance(s, i, Int(j)) * 1e6).rounded())) } }
            return out
        }
        let q = { (x: Double) in Int((x * 1e6).rounded()) }
        let to = (a * a / 3 + (2 * u - 0.5) * (2 * u - 0.5) * c * c / 4).squareRoot()
        let edge = (a * a / 3 + (4 * u - 1) * (4 * u - 1) * c * c / 4).squareRoot()
        #expect(try distSet(.octaOcta) == [q(c / 2)])
        #expect(try distSet(.interstitialHop) == [q(to)])
        #expect(try distSet(.cationTetraEmpty) == [q((1 - 2 * u) * c), q(edge)])
        #expect(try distSet(.cationCation) == [q(a), q((a * a / 3 + c * c / 4).squareRoot())])
    }

    /// On a wire: interior sources have bulk coordination; the shell graph is connected; the
    /// penetration table links shell sites to surface interstitials only.
    @Test(arguments: specs)
    func standardShellsOnWire(_ spec: CrystalSpec) throws {
        let wire = try Wire.carve(spec, diameter_A: 40, length_A: 40)
        let s = wire.sites
        let cc = try NeighborTable.standard(.cationCation, sites: s, spec: spec)
        let ref = try NeighborTable.bruteForce(positions: s.positions, sources: s.indices(of: [.cation]), targets: s.indices(of: [.cation]),
                                               window: try StandardShell.cationCation.window(spec), box: s.box)
        #expect(cc == ref)
        for i in s.range(of: .cation) {
            let p = s.positions[i]
            let deep = (p.x * p.x + p.y * p.y).squareRoot() < 20 - 6 && p.z > 6 && p.z < 34
            if deep { #expect(cc.degree(of: i) == 12) }
            #expect(cc.degree(of: i) <= 12)
        }
        let hop = try NeighborTable.standard(.interstitialHop, sites: s, spec: spec)
        for i in s.range(of: .octa) where !s.isSurface[i] {
            let p = s.positions[i]
            if (p.x * p.x + p.y * p.y).squareRoot() < 14 && p.z > 6 && p.z < 34 {
                #expect(hop.degree(of: i) == StandardShell.interstitialHop.coordination(of: .octa, phase: spec.phase))
            }
        }
        // Shell graph connected (BFS).
        let sh = try NeighborTable.standard(.shellShell, sites: s, spec: spec)
        let shellRange = s.range(of: .shell)
        var seen = Set<Int>([shellRange.lowerBound]), queue = [shellRange.lowerBound]
        while let i = queue.popLast() {
            for j in sh.neighbors(of: i) where !seen.contains(Int(j)) { seen.insert(Int(j)); queue.append(Int(j)) }
        }
        #expect(seen.count == shellRange.count, "shell graph connected")
        // Penetration: targets are surface interstitials, and most shell sites have one.
        let pen = try NeighborTable.standard(.shellSurfaceInterstitial, sites: s, spec: spec)
        var withTarget = 0
        for i in shellRange {
            for j in pen.neighbors(of: i) {
                #expect(s.kinds[Int(j)].isInterstitial && s.isSurface[Int(j)])
            }
            if pen.degree(of: i) > 0 { withTarget += 1 }
        }
        #expect(withTarget > shellRange.count / 3)
        for i in 0 ..< s.count where s.kinds[i] != .shell { #expect(pen.degree(of: i) == 0) }
    }

    @Test func distortedWurtziteStillSeparatesShells() throws {
        // Force-field wz (Casu et al. 2023, Table 4): a = 4.39 Å, c = 7.02 Å, u = 0.40.
        let spec = try CrystalSpec.wurtzite(a_A: 4.39, c_A: 7.02, u: 0.40)
        for shell in StandardShell.allCases { _ = try shell.window(spec) }
    }
}
