// Long-range shell-hop partners (`[model] shell_partners`, `LatticeTopology.withShellPartners`):
// a symmetric addition to the shell–shell relation, fixed per wire, that keeps the shell mixed
// along the wire; the shell hops on it obey the same barrier law (detailed balance is checked with
// partners by `ModelPhysicsTests.everyEventPairObeysDetailedBalance`).
import Testing
import CekmcCore
@testable import KMC

import GSL

@Suite struct ShellPartnerTests {
    @Test func partnersAreSymmetricAtMostKPerSiteAndFixedPerWire() throws {
        let topo = try TestLattice.zbWire(radius: 7, length: 60)
        let a = try topo.withShellPartners(2), b = try topo.withShellPartners(2)
        #expect(a.shellShell == b.shellShell, "the same wire gets the same partners")
        #expect(!a.shellShellReverse.contains(-1), "every edge has its reverse")
        var added = 0, shellSites = 0, far = 0
        for x in 0..<topo.siteCount {
            let old = topo.shellShell.range(x).map { topo.shellShell.targets[$0] }
            let new = a.shellShell.range(x).map { a.shellShell.targets[$0] }
            #expect(Set(new).count == new.count, "no duplicate edge at site \(x)")
            #expect(Array(new.prefix(old.count)) == old, "the nearest-neighbour edges are kept first")
            #expect(new.count - old.count <= 2)
            guard topo.kinds[x] == .shell else { #expect(new.isEmpty); continue }
            shellSites += 1
            added += new.count - old.count
            for y in new.dropFirst(old.count) {
                #expect(topo.kinds[Int(y)] == .shell)
                if abs(topo.positions[Int(y)].z - topo.positions[x].z) > 10 { far += 1 }
            }
        }
        // k random pairings of all shell sites: a site misses a partner only when it is left over
        // (odd count) or paired with a neighbour, a few per cent at most here.
        #expect(Double(added) > 1.8 * Double(shellSites), "\(added) partners for \(shellSites) shell sites")
        #expect(Double(far) > 0.5 * Double(added), "partners are spread along the 6 nm wire")
        #expect(try topo.withShellPartners(0).shellShell == topo.shellShell)
    }

    /// Fraction of the shell Cu above the wire's middle after `hopsPerAtom` shell hops per atom,
    /// starting with all of it in the lowest fifth of a 20 nm wire.
    func upperHalfFraction(partners: Int, hopsPerAtom: Int) throws -> (fraction: Double, atoms: Int) {
        let topo = try TestLattice.zbWire(radius: 10, length: 200)
        var p = TestLattice.params(only: [.shellHop])
        p.shellPartners = partners
        var (m, t) = try ExchangeModel.make(topology: topo, parameters: p, initial: InitialState(donorCu: 0))
        let zs = topo.positions.map(\.z)
        let z0 = zs.min()!, z1 = zs.max()!
        var occ = (0..<topo.siteCount).map { m.occupant[$0] }
        var atoms = 0
        for x in 0..<topo.siteCount where topo.kinds[x] == .shell && zs[x] < z0 + (z1 - z0) / 5 && x % 2 == 0 {
            occ[x] = .cu; atoms += 1
        }
        try m.setConfiguration(occupancy: occ, donorCu: 0, escapedCd: 0, resetTotals: true, classes: &t)
        var engine = Engine(model: m, classes: t, program: try .constant(kelvin: 500, duration_s: 1e30),
                            rng: try RandomGenerator(seed: 11))
        _ = engine.run(until: 1e30, maxEvents: UInt64(hopsPerAtom * atoms))
        try engine.model.checkConservation()
        let mid = (z0 + z1) / 2
        let upper = (0..<topo.siteCount).filter { topo.kinds[$0] == .shell && engine.model.occupant[$0] == .cu && zs[$0] > mid }.count
        return (Double(upper) / Double(atoms), atoms)
    }

    @Test func partnersMixTheShellAlongTheWire() throws {
        // 20 hops per atom. Nearest-neighbour hops (≈ 0.35 nm, about a third of their length along z)
        // spread an atom by ≈ 0.9 nm r.m.s. along z, so from the lowest 4 nm of a 20 nm wire
        // practically none passes its middle, 6 nm up. With one partner per site about one hop in
        // five or six is a jump to a random shell site (uniform along the wire): 1 − (5/6)²⁰ ≈ 97 %
        // of the atoms have jumped, about half of those to the upper half.
        let local = try upperHalfFraction(partners: 0, hopsPerAtom: 20)
        let mixed = try upperHalfFraction(partners: 1, hopsPerAtom: 20)
        #expect(local.atoms > 40 && local.atoms == mixed.atoms, "\(local.atoms) atoms")
        #expect(local.fraction < 0.05, "nearest neighbours only: \(local.fraction) above the middle")
        #expect(mixed.fraction > 0.3, "one partner per site: \(mixed.fraction) above the middle")
    }
}
