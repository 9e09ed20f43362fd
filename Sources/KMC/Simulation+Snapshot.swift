// The extended-XYZ snapshot of a run: every Cu and Cd atom (and, with `output.snapshot_anions`, the
// fixed Se frame) with a site label and the id of the exchanged domain it belongs to.
//
//   site    cation | tetrahedral | octahedral | surface (an interstitial hole next to a shell site)
//           | shell | anion                                                          (SiteLabel)
//   domain  a Cu on a cation site: the id of its tracked domain (domains.csv), 0 if none;
//           a Cu on an interstitial site or a Se: the domain held by more than half of its cation
//           neighbours, else 0 — so selecting one id picks the domain's Cu₂Se (cation Cu, the
//           interstitial Cu inside it, and its Se); Cd and shell atoms: 0.
//
// Domain ids are those of the observer pass of the same output. Cost O(N) per snapshot.

import CekmcCore
import Geometry

/// The fixed anion frame of a wire and each anion's cation neighbours (indices into the cation frame).
struct AnionFrame: Sendable {
    /// Anion positions, Å.
    var positions: [SIMD3<Double>]
    /// CSR offsets into `cations` (count = anions + 1).
    var offsets: [Int32]
    /// Cation-frame indices of each anion's nearest cations.
    var cations: [Int32]

    /// Finds, for every anion, its bonded cation sites (Geometry's anion–cation shell of `phase`: 4 in
    /// the bulk of both phases, fewer at the surface), with Geometry's cell-list neighbour search. O(N).
    init(anions: [SIMD3<Double>], cations: [SIMD3<Double>], phase: Phase) throws {
        positions = anions
        let window = try StandardShell.anionCation.window(CrystalSpec.defaults(for: phase))
        let na = anions.count
        let table = try NeighborTable.build(positions: anions + cations, sources: (0..<na).map { Int32($0) },
                                            targets: (0..<cations.count).map { Int32(na + $0) }, window: window, box: nil)
        offsets = Array(table.offsets[0...na])
        self.cations = table.neighbors[0..<Int(table.offsets[na])].map { $0 - Int32(na) }
    }
}

extension Simulation {
    /// The tracked domain id of each cation-frame site (0: not in a domain), from the observer's last pass.
    func domainIdsOfCationSites() -> [Int32] {
        let analyzer = observer.analyzer
        var idOfComponent = [Int32](repeating: 0, count: analyzer.domainCount)
        for d in observer.tracker.domains where d.component >= 0 && d.component < idOfComponent.count {
            idOfComponent[d.component] = Int32(d.id)
        }
        var ids = [Int32](repeating: 0, count: observer.frame.count)
        for i in 0..<ids.count {
            let k = analyzer.domainIndex(ofSite: i)
            if k >= 0 { ids[i] = idOfComponent[k] }
        }
        return ids
    }

    /// The domain held by more than half of `neighbours` (cation-frame indices), else 0.
    static func majorityDomain<S: Sequence>(_ neighbours: S, ids: [Int32]) -> Int where S.Element == Int32 {
        var n = 0, candidate: Int32 = 0, votes = 0
        for c in neighbours {   // Boyer–Moore majority vote, then a count to confirm it
            n += 1
            let id = ids[Int(c)]
            if votes == 0 { candidate = id; votes = 1 } else if id == candidate { votes += 1 } else { votes -= 1 }
        }
        guard candidate != 0, n > 0 else { return 0 }
        var count = 0
        for c in neighbours where ids[Int(c)] == candidate { count += 1 }
        return 2 * count > n ? Int(candidate) : 0
    }

    /// The labelled snapshot frame of the current state (after this output's observer pass).
    func snapshotFrame(time_s t: Double, temperature_C tc: Double) -> ExtendedXYZWriter {
        let m = engine.model
        let ids = domainIdsOfCationSites()
        var local = [Int32](repeating: -1, count: topology.siteCount)   // site → cation-frame index
        for (k, c) in topology.cationSites.enumerated() { local[Int(c)] = Int32(k) }
        var w = ExtendedXYZWriter(wire: observer.frame, time_s: t, temperature_C: tc, labelled: true)
        for x in 0..<topology.siteCount {
            let o = m.occupant[x]
            guard o == Occupant.cu || o == Occupant.cd else { continue }
            let symbol = o == Occupant.cu ? "Cu" : "Cd"
            let p = topology.positions[x]
            switch topology.kinds[x] {
            case .cation:
                w.append(symbol: symbol, position: p, site: .cation, domain: o == Occupant.cu ? Int(ids[Int(local[x])]) : 0)
            case .tetra, .octa:
                let label: SiteLabel = topology.isSurfaceInterstitial[x] ? .surface : (topology.kinds[x] == .tetra ? .tetrahedral : .octahedral)
                let r = topology.intCat.range(x)
                let d = o == Occupant.cu ? Simulation.majorityDomain(r.lazy.map { local[Int(topology.intCat.targets[$0])] }, ids: ids) : 0
                w.append(symbol: symbol, position: p, site: label, domain: d)
            case .shell:
                w.append(symbol: symbol, position: p, site: .shell, domain: 0)
            }
        }
        if let a = anionFrame {
            for i in 0..<a.positions.count {
                let d = Simulation.majorityDomain(a.cations[Int(a.offsets[i])..<Int(a.offsets[i + 1])], ids: ids)
                w.append(symbol: "Se", position: a.positions[i], site: .anion, domain: d)
            }
        }
        return w
    }
}
