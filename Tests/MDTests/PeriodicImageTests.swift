// Periodic cells narrower than twice cutoff + skin: every image within the cutoff is summed, as in
// LAMMPS. Oracles: (1) the brute-force list over lattice translations; (2) an independent double sum
// E = ½ Σ_i Σ_j Σ'_m φ(|r_i − r_j − h m|) of `single()` over images; (3) the same crystal replicated
// until r_c + skin < w/2 (then each pair has at most one image within the cutoff): energy per atom,
// forces of every copy and virial per atom must agree; (4) the rock-salt Madelung constant from an
// 8-atom cell.
import Testing
@testable import MD
import CekmcCore

@Suite struct PeriodicImageTests {
    /// `c` replicated `r` times (copy t = (i·r_y + j)·r_z + k holds atoms t·N ..< (t+1)·N).
    static func replicated(_ c: Configuration, _ r: SIMD3<Int>) -> Configuration {
        var species: [Species] = [], positions: [SIMD3<Double>] = []
        for i in 0..<r.x { for j in 0..<r.y { for k in 0..<r.z {
            let t = c.cell.a * Double(i) + c.cell.b * Double(j) + c.cell.c * Double(k)
            species += c.species
            positions += c.positions.map { $0 + t }
        } } }
        var cell = c.cell
        cell.a *= Double(r.x); cell.b *= Double(r.y); cell.c *= Double(r.z)
        return Configuration(species: species, positions: positions, cell: cell)
    }

    /// Small cells with all three species, perturbed, some atoms unwrapped by lattice vectors.
    static let smallCells: [(String, Configuration, SIMD3<Int>)] = {
        var zb = FFTest.perturbed(ReferenceCrystals.zincblende(a: 6.08, repeats: [2, 2, 2]), amplitude: 0.2, seed: 11)  // 64 atoms, w = 12.16 Å
        zb.species[5] = .Cu; zb.species[17] = .Cu
        zb.positions[3] += zb.cell.a - 2 * zb.cell.c
        var hex = FFTest.perturbed(ReferenceCrystals.wurtziteHexagonal(a: 4.39, c: 7.02, u: 0.4, repeats: [2, 2, 2]), amplitude: 0.2, seed: 12)  // triclinic, w_a = 7.6 Å
        hex.species[2] = .Cu
        let tiny = FFTest.perturbed(ReferenceCrystals.zincblende(a: 6.08, repeats: [1, 1, 1]), amplitude: 0.2, seed: 13)  // 8 atoms, w = 6.08 Å < r_c
        return [("zb 64 atoms", zb, [3, 3, 3]), ("wz hexagonal 32 atoms (triclinic)", hex, [3, 3, 2]), ("zb 8 atoms", tiny, [4, 4, 4])]
    }()

    static func sorted(_ p: [NeighborPair]) -> [NeighborPair] {
        p.sorted { a, b in
            if a.i != b.i { return a.i < b.i }
            if a.j != b.j { return a.j < b.j }
            if abs(a.d.x - b.d.x) > 1e-9 { return a.d.x < b.d.x }
            if abs(a.d.y - b.d.y) > 1e-9 { return a.d.y < b.d.y }
            return a.d.z < b.d.z
        }
    }

    @Test("Small periodic cells: the list holds exactly the brute-force pair images (self-images in the half space)")
    func listMatchesBruteForceImages() throws {
        var wire = Self.smallCells[0].1; wire.cell.periodic = (false, false, true)
        let cases = Self.smallCells.map { ($0.0, $0.1) } + [("zb 64-atom wire (periodic c only)", wire)]
        for (name, c) in cases {
            var list = try NeighborList(cutoff: 10, skin: 1)
            try list.build(c.positions, cell: c.cell)
            let got = Self.sorted(list.pairs(c.positions))
            let want = Self.sorted(try NeighborList.bruteForcePairs(c.positions, cell: c.cell, cutoff: 10))
            #expect(got.count == want.count, "\(name): list \(got.count) vs brute \(want.count)")
            // Self-images exist when a lattice vector is shorter than the cutoff (a = 8.78 Å, 6.08 Å).
            let shortest = [c.cell.a, c.cell.b, c.cell.c].map { ($0 * $0).sum().squareRoot() }.min()!
            #expect(want.contains { $0.i == $0.j } == (shortest < 10), "\(name): self-images iff a lattice vector < r_c")
            guard got.count == want.count else { continue }
            var worst = 0.0
            for (x, y) in zip(got, want) {
                #expect(x.i == y.i && x.j == y.j, "\(name)")
                worst = max(worst, ((x.d - y.d) * (x.d - y.d)).sum().squareRoot())
            }
            #expect(worst < 1e-9, "\(name): displacement mismatch \(worst) Å")
        }
    }

    @Test("Small cell = replicated cell: LJ + DSF and LJ + Ewald energy per atom, forces, virial per atom (1e-9 relative)")
    func smallEqualsReplicated() throws {
        let methods: [(String, CoulombMethod)] = [
            ("dsf", .dsf(alpha: 0.2, cutoff: 10)),
            ("ewald", .ewaldExplicit(EwaldParameters(alpha: 0.3, realCutoff: 10, kCutoff: 2.0))),
        ]
        for (cname, c, r) in Self.smallCells {
            let big = Self.replicated(c, r)
            let copies = r.x * r.y * r.z
            for (mname, method) in methods {
                var small = try ForceField(coulomb: method, ljCutoff: 10, skin: 1)
                var ref = try ForceField(coulomb: method, ljCutoff: 10, skin: 1)
                var fs: [SIMD3<Double>] = [], fb: [SIMD3<Double>] = []
                let es = try small.evaluate(c, forces: &fs).total / Double(c.count)
                let eb = try ref.evaluate(big, forces: &fb).total / Double(big.count)
                #expect(FFTest.relClose(es, eb, 1e-9), "\(cname) \(mname): \(es) vs \(eb) eV/atom")
                let fscale = fb.map { ($0 * $0).sum().squareRoot() }.max() ?? 1
                var worst = 0.0
                for t in 0..<copies { for i in 0..<c.count {
                    let d = fs[i] - fb[t * c.count + i]
                    worst = max(worst, (d * d).sum().squareRoot())
                } }
                #expect(worst <= 1e-9 * fscale, "\(cname) \(mname): force mismatch \(worst) eV/Å (max |F| \(fscale))")
                let ws = small.lastVirial, wb = ref.lastVirial
                for a in 0..<3 { for b in 0..<3 {
                    #expect(abs(ws[a, b] / Double(c.count) - wb[a, b] / Double(big.count)) <= 1e-9 * abs(wb.trace / Double(big.count)),
                            "\(cname) \(mname): virial[\(a),\(b)]")
                } }
            }
        }
    }

    @Test("Small cell = independent double sum over images of single() (energy and forces, 1e-9 relative)")
    func smallEqualsImageDoubleSum() throws {
        for (name, c, _) in Self.smallCells {
            var ff = try ForceField(coulomb: .dsf(alpha: 0.2, cutoff: 10), ljCutoff: 10, skin: 1)
            var f: [SIMD3<Double>] = []
            let b = try ff.evaluate(c, forces: &f)
            // ½ Σ_i Σ_j Σ'_m over all ordered pairs and translations |m_k| ≤ ⌈r_c/w_k⌉ + 1.
            let g = try CellGeometry(c.cell)
            var range = SIMD3<Int>.zero
            for k in 0..<3 { range[k] = Int((10 / g.widths[k]).rounded(.up)) + 1 }
            // Pair laws built once (as `single()` does per call), charges in e.
            let dsf = DSFLaw(alpha: 0.2, cutoff: 10)
            let params = ForceFieldParameters.casu2023
            var pairEnergy = 0.0
            var fRef = [SIMD3<Double>](repeating: .zero, count: c.count)
            for i in 0..<c.count { for j in 0..<c.count {
                let pp = params.pair(c.species[i], c.species[j])
                let lj = LennardJonesLaw(epsilon: pp.epsilon_eV, sigma: pp.sigma_A, cutoff: 10, shifted: true)
                let qq = Constants.coulomb_eV_A * params.charge(c.species[i]) * params.charge(c.species[j])
                // Reduce to the minimum image first so the translation range covers unwrapped atoms.
                let d0 = g.minimumImage(c.positions[i] - c.positions[j])
                for mx in -range.x...range.x { for my in -range.y...range.y { for mz in -range.z...range.z {
                    if i == j && mx == 0 && my == 0 && mz == 0 { continue }
                    let d = d0 - g.cartesian(SIMD3(Double(mx), Double(my), Double(mz)))
                    let r2 = (d * d).sum()
                    guard r2 < 100 else { continue }
                    let l = lj.evaluate(r2: r2), q = dsf.evaluate(r2: r2, qq: qq)
                    pairEnergy += 0.5 * (l.energy + q.energy)
                    fRef[i] += (l.forceOverR + q.forceOverR) * d
                } } }
            } }
            #expect(FFTest.relClose(b.lennardJones + b.coulombReal, pairEnergy, 1e-9), "\(name): \(b.lennardJones + b.coulombReal) vs \(pairEnergy) eV")
            let fscale = fRef.map { ($0 * $0).sum().squareRoot() }.max() ?? 1
            var worst = 0.0
            for i in 0..<c.count { let d = f[i] - fRef[i]; worst = max(worst, (d * d).sum().squareRoot()) }
            #expect(worst <= 1e-9 * fscale, "\(name): force mismatch \(worst) eV/Å")
        }
    }

    @Test("Rock-salt Madelung constant 1.747565 from one 8-atom cell (edge 5.64 Å < r_c = 10 Å), Ewald")
    func madelungFromOneCell() throws {
        let a = 5.64
        let c = ReferenceCrystals.rockSalt(a: a, repeats: [1, 1, 1])
        var ff = try ForceField(parameters: FFTest.unitCharges, coulomb: .ewaldExplicit(EwaldParameters(alpha: 0.45, realCutoff: 10, kCutoff: 4.5)))
        let e = try ff.energyBreakdown(c).total
        // E per ion pair = −M k_e / r_nn, r_nn = a/2.
        let madelung = -e / 4 * (a / 2) / Constants.coulomb_eV_A
        #expect(abs(madelung - 1.747_564_594_633) < 1e-6, "M = \(madelung)")
    }

    @Test("cutoff + skin beyond maxImagesPerAxis widths is rejected, naming the axis")
    func tooThin() throws {
        let zb = ReferenceCrystals.zincblende(a: 6.08, repeats: [1, 1, 1])
        var thin = zb; thin.cell.c = [0, 0, 0.5]; thin.positions = thin.positions.map { [$0.x, $0.y, 0.25] }
        var list = try NeighborList(cutoff: 10, skin: 1)
        do { try list.build(thin.positions, cell: thin.cell); Issue.record("expected cellTooSmall") }
        catch let e as ForceFieldError {
            guard case let .cellTooSmall(_, _, axis, _) = e else { Issue.record("wrong error \(e)"); return }
            #expect(axis == "c")
        }
        var open = thin; open.cell.periodic = (true, true, false)
        try list.build(open.positions, cell: open.cell)
        #expect(list.pairCount > 0)
    }
}
