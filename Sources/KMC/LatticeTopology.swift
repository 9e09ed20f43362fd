// The fixed topology the exchange model runs on: site kinds and the neighbour relations its events
// and local energies use, as CSR tables with Int32 indices over the global site index.
//
// Sites come from a carved wire (Geometry) or any list of positions and kinds. Relations are found
// by a cell list with cutoffs set from the shortest distance between the two site kinds
// (d_min·(1 + tolerance)), so the same code serves zb and wz without phase-specific tables:
//   cation–cation nearest neighbours           (interface energy J, domains)
//   interstitial–interstitial hop graph        (Cu_i / Cd_i hops, step c)
//   interstitial–cation adjacency              (kick-off d, Cu₂Se pair term U, vacancy fill)
//   shell–shell                                 (shell hops, step a)
//   shell–interstitial (surface interstitials)  (penetration b)
//   shell–cation                                (surface vacancies deepening adsorption)

import CekmcCore
import GSL

/// Kind of a KMC site.
public enum SiteKind: UInt8, Sendable, Codable, CaseIterable {
    /// Cation site (Cd in CdSe; Cu in exchanged Cu₂Se; may be vacant).
    case cation = 0
    /// Empty tetrahedral hole of the anion frame (interstitial; the second Cu of Cu₂Se sits here).
    case tetra = 1
    /// Octahedral hole (interstitial).
    case octa = 2
    /// Adsorption site in the first layer outside the wire surface.
    case shell = 3
}

/// Compressed sparse rows over all sites: row r's targets are `targets[offsets[r] ..< offsets[r+1]]`,
/// and `sources[e]` is the row of edge e.
public struct CSR: Sendable, Equatable {
    /// Row offsets (count = sites + 1).
    public var offsets: [Int32]
    /// Edge targets (site indices), ascending within a row.
    public var targets: [Int32]
    /// Edge sources.
    public var sources: [Int32]
    /// Number of edges.
    public var edgeCount: Int { targets.count }
    /// Edge range of row `r`.
    @inline(__always) public func range(_ r: Int) -> Range<Int> { Int(offsets[r])..<Int(offsets[r + 1]) }
    /// Maximum row length.
    public var maxDegree: Int {
        var m = 0
        for r in 0..<(offsets.count - 1) { m = max(m, Int(offsets[r + 1] - offsets[r])) }
        return m
    }

    /// Build from offsets and targets (sources derived). O(rows + edges).
    init(offsets: [Int32], targets: [Int32]) {
        var src = [Int32](repeating: 0, count: targets.count)
        src.withUnsafeMutableBufferPointer { src in
            offsets.withUnsafeBufferPointer { off in
                for r in 0..<(off.count - 1) { for e in Int(off[r])..<Int(off[r + 1]) { src[e] = Int32(r) } }
            }
        }
        self.offsets = offsets; self.targets = targets; self.sources = src
    }

    /// Index of edge r→t, or −1. O(degree).
    public func edge(_ r: Int32, _ t: Int32) -> Int32 {
        if Int(r) + 1 >= offsets.count { return -1 }
        for e in range(Int(r)) where targets[e] == t { return Int32(e) }
        return -1
    }

    /// For each edge r→t, the edge t→r in `other` (the transpose, or self for symmetric relations),
    /// or −1; as `other.edge(t, r)` per edge, over unsafe buffers (millions of edges at setup).
    func reverseMap(in other: CSR) -> [Int32] {
        var m = [Int32](repeating: -1, count: edgeCount)
        m.withUnsafeMutableBufferPointer { m in
        targets.withUnsafeBufferPointer { tg in
        sources.withUnsafeBufferPointer { src in
        other.offsets.withUnsafeBufferPointer { oo in
        other.targets.withUnsafeBufferPointer { ot in
            for e in 0..<m.count {
                let r = Int(tg[e]), t = src[e]
                if r + 1 >= oo.count { continue }
                for f in Int(oo[r])..<Int(oo[r + 1]) where ot[f] == t { m[e] = Int32(f); break }
            }
        } } } } }
        return m
    }
}

/// Distance windows (Å) selecting each neighbour relation (e.g. from Geometry's standard shells).
public struct RelationWindows: Sendable, Equatable {
    public var cationCation: ClosedRange<Double>
    public var interstitialHop: ClosedRange<Double>
    public var interstitialCation: ClosedRange<Double>
    public var shellShell: ClosedRange<Double>
    public var shellInterstitial: ClosedRange<Double>
    public var shellCation: ClosedRange<Double>
    public init(cationCation: ClosedRange<Double>, interstitialHop: ClosedRange<Double>, interstitialCation: ClosedRange<Double>,
                shellShell: ClosedRange<Double>, shellInterstitial: ClosedRange<Double>, shellCation: ClosedRange<Double>) {
        self.cationCation = cationCation; self.interstitialHop = interstitialHop; self.interstitialCation = interstitialCation
        self.shellShell = shellShell; self.shellInterstitial = shellInterstitial; self.shellCation = shellCation
    }
}

/// Error building a topology.
public struct TopologyError: Error, CustomStringConvertible, Sendable {
    public var description: String
}

/// Site kinds, positions and neighbour relations of one wire. Immutable after construction.
public struct LatticeTopology: Sendable {
    /// Positions in Å.
    public let positions: [SIMD3<Double>]
    /// Kind of each site.
    public let kinds: [SiteKind]
    /// Cation–cation nearest neighbours.
    public private(set) var cationNN: CSR
    /// Interstitial hop graph (symmetric), and the reverse edge of each edge.
    public let hop: CSR
    public let hopReverse: [Int32]
    /// Interstitial → adjacent cations (kick-off edges), its transpose and the edge map
    /// (cation-side edge → interstitial-side edge id).
    public let intCat: CSR
    public private(set) var catInt: CSR
    public let catIntEdge: [Int32]
    /// Shell → shell (symmetric) and reverse edges.
    public private(set) var shellShell: CSR
    public private(set) var shellShellReverse: [Int32]
    /// Shell → surface interstitials (penetration edges), transpose and edge map.
    public let shellInt: CSR
    public private(set) var intShell: CSR
    public let intShellEdge: [Int32]
    /// Shell → nearby cations (vacancy deepening), transpose.
    public private(set) var shellCat: CSR
    public private(set) var catShell: CSR
    /// Whether each interstitial has a shell neighbour (Cd can escape from it).
    public let isSurfaceInterstitial: [Bool]
    /// Cation sites, in index order.
    public let cationSites: [Int32]
    /// Bulk coordination of each kind in the interstitial–cation relation (max degree).
    public let cationsAroundTetra: Int
    public let cationsAroundOcta: Int

    /// Number of sites.
    public var siteCount: Int { kinds.count }

    /// Build the relations from positions (Å) and kinds. `tolerance`: relative slack over the
    /// shortest distance of each pair of kinds. `periodicZ_A`: period along z when the wire is
    /// periodic along its axis (nil: open ends). O(N) with a cell list.
    public init(positions: [SIMD3<Double>], kinds: [SiteKind], tolerance: Double = 0.15,
                periodicZ_A: Double? = nil, windows: RelationWindows? = nil) throws {
        guard positions.count == kinds.count, !positions.isEmpty else {
            throw TopologyError(description: "topology: \(positions.count) positions for \(kinds.count) kinds")
        }
        guard positions.count < Int(Int32.max) / 2 else { throw TopologyError(description: "topology: too many sites") }
        self.positions = positions
        self.kinds = kinds
        let n = positions.count
        let (offs, tgts) = try Self.relationRows(positions: positions, kinds: kinds, tolerance: tolerance,
                                                 periodicZ_A: periodicZ_A, windows: windows)
        func csr(_ r: Int) -> CSR { CSR(offsets: offs[r], targets: tgts[r]) }
        let rows = (0..<6).map { csr($0) }
        cationNN = rows[0]
        hop = rows[1]
        hopReverse = hop.reverseMap(in: hop)
        intCat = rows[2]
        shellShell = rows[3]
        shellShellReverse = shellShell.reverseMap(in: shellShell)
        shellInt = rows[4]
        shellCat = rows[5]
        func transpose(_ m: CSR) -> CSR {
            var off = [Int32](repeating: 0, count: n + 1)
            var t = [Int32](repeating: 0, count: m.edgeCount)
            off.withUnsafeMutableBufferPointer { off in
            t.withUnsafeMutableBufferPointer { t in
            m.targets.withUnsafeBufferPointer { mt in
            m.sources.withUnsafeBufferPointer { ms in
                for e in 0..<mt.count { off[Int(mt[e]) + 1] += 1 }
                for i in 0..<n { off[i + 1] += off[i] }
                var f = [Int32](off[0..<n])
                // sources ascend with e, so each transposed row comes out sorted.
                f.withUnsafeMutableBufferPointer { f in
                    for e in 0..<mt.count { let r = Int(mt[e]); t[Int(f[r])] = ms[e]; f[r] += 1 }
                }
            } } } }
            return CSR(offsets: off, targets: t)
        }
        catInt = transpose(intCat)
        catIntEdge = catInt.reverseMap(in: intCat)
        intShell = transpose(shellInt)
        intShellEdge = intShell.reverseMap(in: shellInt)
        catShell = transpose(shellCat)
        // Edge sources are only needed where the model decodes an edge (hop, intCat, shellShell,
        // shellInt) and for the reverse maps above; drop the others (memory on large wires).
        cationNN.sources = []
        catInt.sources = []
        intShell.sources = []
        shellCat.sources = []
        catShell.sources = []
        var surf = [Bool](repeating: false, count: n)
        for i in 0..<n where intShell.range(i).count > 0 { surf[i] = true }
        isSurfaceInterstitial = surf
        cationSites = (0..<n).filter { kinds[$0] == .cation }.map { Int32($0) }
        var zt = 0, zo = 0
        for i in 0..<n {
            if kinds[i] == .tetra { zt = max(zt, intCat.range(i).count) }
            if kinds[i] == .octa { zo = max(zo, intCat.range(i).count) }
        }
        cationsAroundTetra = zt
        cationsAroundOcta = zo
        if hopReverse.contains(-1) || shellShellReverse.contains(-1) || catIntEdge.contains(-1) || intShellEdge.contains(-1) {
            throw TopologyError(description: "topology: asymmetric neighbour relation (check the tolerance)")
        }
    }
}

extension LatticeTopology {
    /// This topology with `k` long-range partners per shell site added to the shell–shell relation:
    /// k rounds of a random pairing of all shell sites (a shuffle cut into consecutive pairs), each
    /// pair joined by an edge both ways unless they are already neighbours, so every shell site gets
    /// at most k partners and the relation stays symmetric. The draw is fixed per wire (GSL mt19937,
    /// seed `seed`): the same wire always gets the same partners (restarts, repeated runs).
    public func withShellPartners(_ k: Int, seed: UInt64 = 20_231_006) throws -> LatticeTopology {
        precondition(k >= 0)
        let shell = (0..<siteCount).filter { kinds[$0] == .shell }.map { Int32($0) }
        guard k > 0, shell.count > 2 else { return self }
        let rng = try RandomGenerator(name: "mt19937", seed: seed)
        var extra = [[Int32]](repeating: [], count: siteCount)
        var order = shell
        for _ in 0..<k {
            for i in stride(from: order.count - 1, to: 0, by: -1) {     // Fisher–Yates
                let j = rng.uniformInt(i + 1)
                order.swapAt(i, j)
            }
            for p in stride(from: 0, to: order.count - 1, by: 2) {
                let a = order[p], b = order[p + 1]
                if shellShell.range(Int(a)).contains(where: { shellShell.targets[$0] == b }) || extra[Int(a)].contains(b) { continue }
                extra[Int(a)].append(b); extra[Int(b)].append(a)
            }
        }
        var offsets = [Int32](repeating: 0, count: siteCount + 1), targets: [Int32] = []
        targets.reserveCapacity(shellShell.edgeCount + shell.count * k)
        for x in 0..<siteCount {
            for e in shellShell.range(x) { targets.append(shellShell.targets[e]) }
            targets.append(contentsOf: extra[x].sorted())
            offsets[x + 1] = Int32(targets.count)
        }
        var t = self
        t.shellShell = CSR(offsets: offsets, targets: targets)
        t.shellShellReverse = t.shellShell.reverseMap(in: t.shellShell)
        guard !t.shellShellReverse.contains(-1) else { throw TopologyError(description: "topology: asymmetric shell partners") }
        return t
    }
}
