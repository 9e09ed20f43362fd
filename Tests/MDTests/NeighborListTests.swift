// Neighbour list vs brute force: same pair set and displacements, periodic (orthorhombic, triclinic)
// and partly periodic; skin logic (no rebuild for small moves, rebuild for large ones).
import Testing
@testable import MD

@Suite struct NeighborListTests {
    static func key(_ p: NeighborPair) -> Int { p.i * 1_000_000 + p.j }

    static func samePairs(_ a: [NeighborPair], _ b: [NeighborPair]) -> Bool {
        guard a.count == b.count else { return false }
        let da = Dictionary(uniqueKeysWithValues: a.map { (key($0), $0.d) })
        for p in b {
            guard let d = da[key(p)] else { return false }
            if ((d - p.d) * (d - p.d)).sum() > 1e-20 { return false }
        }
        return true
    }

    static let cases: [(String, Configuration, Double)] = {
        let zb = FFTest.perturbed(ReferenceCrystals.zincblende(a: 6.08, repeats: [3, 3, 3]), amplitude: 0.3, seed: 1)
        let hex = FFTest.perturbed(ReferenceCrystals.wurtziteHexagonal(a: 4.39, c: 7.02, u: 0.4, repeats: [5, 5, 3]), amplitude: 0.3, seed: 2)
        var wire = zb; wire.cell.periodic = (false, false, true)
        var cluster = hex; cluster.cell.periodic = (false, false, false)
        var slab = hex; slab.cell.periodic = (true, true, false)
        // Atoms far outside the cell (unwrapped by several lattice vectors).
        var unwrapped = hex
        for i in stride(from: 0, to: unwrapped.count, by: 3) { unwrapped.positions[i] += 2 * hex.cell.a - 3 * hex.cell.c + hex.cell.b }
        return [("zb periodic", zb, 7.0), ("wz hexagonal periodic", hex, 6.5), ("zb wire", wire, 7.0),
                ("wz cluster", cluster, 6.5), ("wz slab", slab, 6.5), ("wz unwrapped", unwrapped, 6.5),
                ("zb 2 bins per axis", zb, 5.0), ("zb 1 bin on open axes", wire, 8.0)]
    }()

    @Test("Cell list ⇒ Verlet list holds exactly the brute-force pairs within the cutoff")
    func matchesBruteForce() throws {
        for (name, c, rc) in Self.cases {
            var list = try NeighborList(cutoff: rc, skin: 0.5)
            try list.build(c.positions, cell: c.cell)
            let brute = try NeighborList.bruteForcePairs(c.positions, cell: c.cell, cutoff: rc)
            #expect(brute.count > c.count, "\(name)")
            #expect(Self.samePairs(list.pairs(c.positions), brute), "\(name): list \(list.pairs(c.positions).count) vs brute \(brute.count)")
        }
    }

    @Test("Skin: moves < skin/2 keep the list valid without rebuild; a larger move triggers a rebuild")
    func skinLogic() throws {
        for (name, c, rc) in Self.cases {
            var list = try NeighborList(cutoff: rc, skin: 0.6)
            try list.update(c.positions, cell: c.cell)
            let moved = FFTest.perturbed(c, amplitude: 0.17, seed: 9)   // |Δr| ≤ 0.17·√3 < 0.3
            #expect(try list.update(moved.positions, cell: moved.cell) == false, "\(name)")
            let brute = try NeighborList.bruteForcePairs(moved.positions, cell: moved.cell, cutoff: rc)
            #expect(Self.samePairs(list.pairs(moved.positions), brute), "\(name) after small moves")
            var far = moved; far.positions[7].x += 0.7
            #expect(try list.update(far.positions, cell: far.cell) == true, "\(name)")
            #expect(list.buildCount == 2)
        }
    }

    @Test("Cutoff + skin ≥ half the perpendicular width: the list holds several images of a pair; open axes are free")
    func smallPeriodicWidth() throws {
        let hex = FFTest.perturbed(ReferenceCrystals.zincblende(a: 6.08, repeats: [1, 1, 1]), amplitude: 0.1, seed: 3)  // w = 6.08 Å
        var list = try NeighborList(cutoff: 5.5, skin: 0.3)
        try list.build(hex.positions, cell: hex.cell)
        #expect(list.imageRange == SIMD3(1, 1, 1))
        var seen = Set<Int>()
        var repeated = false
        for i in 0..<hex.count { for p in Int(list.offsets[i])..<Int(list.offsets[i + 1]) {
            let key = i * 1_000_000 + Int(list.neighbors[p])
            if !seen.insert(key).inserted { repeated = true }
        } }
        #expect(repeated, "r_l = 5.8 Å > w/2 = 3.04 Å: some pair must appear with two images")
        let brute = try NeighborList.bruteForcePairs(hex.positions, cell: hex.cell, cutoff: 5.5)
        #expect(list.pairs(hex.positions).count == brute.count)
        var open = hex; open.cell.periodic = (false, false, true)
        try list.build(open.positions, cell: open.cell)
        #expect(list.pairCount > 0)
    }
}
