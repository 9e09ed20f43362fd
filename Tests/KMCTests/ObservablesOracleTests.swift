// Fast path against a slow oracle: the union-find domain labelling must give exactly the components
// of a plain breadth-first search, on random occupancies of a real zb wire (seeded GSL generator).
import Testing
import Geometry
import GSL
@testable import KMC

@Suite struct ObservablesOracleTests {
    /// Components by BFS: for each exchanged site in ascending order not yet seen, the sorted site set.
    static func bfsComponents(_ f: CationFrame, _ codes: [UInt8], copper: UInt8) -> [[Int]] {
        var seen = [Bool](repeating: false, count: f.count)
        var out: [[Int]] = []
        for s in 0..<f.count where codes[s] == copper && !seen[s] {
            var queue = [s], head = 0
            seen[s] = true
            while head < queue.count {
                let v = queue[head]; head += 1
                for k in Int(f.neighborOffsets[v])..<Int(f.neighborOffsets[v + 1]) {
                    let w = Int(f.neighbors[k])
                    if codes[w] == copper && !seen[w] { seen[w] = true; queue.append(w) }
                }
            }
            out.append(queue.sorted())
        }
        return out
    }

    @Test func unionFindMatchesBreadthFirstSearch() throws {
        let wire = try Wire.carve(.defaultZincblende, diameter_A: 30, length_A: 60)
        let f = try CationFrame(wire: wire)
        let rng = try RandomGenerator(name: "mt19937", seed: 20231)
        var an = try DomainAnalyzer(frame: f)
        // Occupancies around the percolation threshold of the fcc lattice (≈ 0.2) give many components.
        for p in [0.05, 0.15, 0.2, 0.3, 0.6] {
            var codes = [UInt8](repeating: 1, count: f.count)
            for i in 0..<f.count where rng.uniform() < p { codes[i] = 2 }
            an.analyze(codes: codes)
            let oracle = Self.bfsComponents(f, codes, copper: 2)
            #expect(an.domainCount == oracle.count, "p = \(p)")
            guard an.domainCount == oracle.count else { continue }
            for k in 0..<oracle.count {
                #expect(an.sites(ofDomain: k).map { Int($0) } == oracle[k], "p = \(p), domain \(k)")
                #expect(an.domains[k].nSites == oracle[k].count)
                for s in oracle[k] where an.domainIndex(ofSite: s) != k {
                    Issue.record("site \(s) labelled \(an.domainIndex(ofSite: s)), expected \(k)")
                }
            }
            #expect(an.copperSites == codes.filter { $0 == 2 }.count)
        }
    }
}
