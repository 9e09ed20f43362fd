// Persistent identities for exchanged domains across snapshots, and the events of their history
// (spec §6: entry points, reversal, merge).
//
// Matching is by site overlap between the previous snapshot's domains P and the new components C.
// Rules, applied in this order:
//   1. each component c overlapping ≥ 1 previous domain claims the id of the largest of them (largest
//      previous site count; lower id on ties) — a merge keeps the id of the largest domain;
//   2. when several components claim the same id (a split), the one with the largest overlap keeps
//      it (lowest component index on ties); the others get fresh ids;
//   3. a component overlapping nothing is a birth (fresh id) and records an entry point.
// Events:
//   - birth    : new component with no overlap.
//   - merge    : a component overlapping ≥ 2 previous domains; domain_id = its id, other_ids = the
//                other previous ids it absorbed.
//   - split    : a previous domain overlapping ≥ 2 components; domain_id = that domain's id,
//                other_ids = ids of the other fragments.
//   - reversal : a previous domain overlapping no component whose largest size ever reached
//                ≥ `minReversalSites` (N_min) sites — it disappeared without merging (spec §6).
//   - vanish   : the same for a domain that never reached N_min sites.
// Output interval caveat: a domain that moves entirely off its previous sites between two outputs
// reads as vanish + birth; outputs must be frequent compared with domain motion over its own size.
//
// Default N_min = 100 sites (≈ 5.5 nm³ of CdSe, e.g. a 2 nm cube at ≈ 18 cation sites/nm³):
// large enough that thermal clusters of a few exchanged sites count as "vanish", small enough that
// the ≈ 3–5 nm domains the paper sees reverting at ≲ 250 °C count as reversals.

/// Kind of a domain history event (the `event` column of domain_events.csv).
public enum DomainEventKind: String, Sendable, CaseIterable {
    /// A component with no overlap with any previous domain.
    case birth
    /// A domain that had reached ≥ N_min sites disappeared without merging.
    case reversal
    /// A domain that never reached N_min sites disappeared without merging.
    case vanish
    /// Two or more previous domains became one component.
    case merge
    /// One previous domain became two or more components.
    case split
}

/// One row of domain_events.csv.
public struct DomainEvent: Sendable, Equatable {
    /// Simulated time of the snapshot where the event was detected, s.
    public var time_s: Double
    /// Temperature at that time, °C.
    public var temperature_C: Double
    /// What happened.
    public var kind: DomainEventKind
    /// The domain the event is about (see the type-level rules).
    public var domainId: Int
    /// Other domains involved (absorbed ids for a merge, new fragments for a split), ascending.
    public var otherIds: [Int]
    /// Sites of the domain: now (birth, merge, split) or at its last sighting (reversal, vanish).
    public var nSites: Int
    /// Centroid z of the domain (now, or at its last sighting), nm.
    public var z_nm: Double
    /// Largest site count the domain ever had.
    public var maxSites: Int
    /// Largest axial length the domain ever had, nm.
    public var maxLength_nm: Double
}

/// Where a domain was first seen (spec §6 "entry point").
public struct EntryPoint: Sendable, Equatable {
    /// Simulated time of first sighting, s.
    public var time_s: Double
    /// Temperature then, °C.
    public var temperature_C: Double
    /// The new domain's id.
    public var domainId: Int
    /// Its size at first sighting.
    public var nSites: Int
    /// The domain's site farthest from the axis (the likeliest entry site), index into the frame.
    public var site: Int
    /// z of that site, nm.
    public var z_nm: Double
    /// Angle of that site around the axis, degrees in [0, 360), measured from +x towards +y.
    public var theta_deg: Double
    /// Distance of that site from the axis, nm.
    public var r_nm: Double
    /// Distance from that site to the nearest listed surface vacancy, nm (nil if none were given).
    public var nearestVacancy_nm: Double?
    /// What lies there, from the caller's site-label callback ("" if none was given).
    public var label: String
}

/// A domain with its persistent id, as of the latest snapshot.
public struct TrackedDomain: Sendable, Equatable {
    /// Persistent id (1, 2, …; never reused).
    public var id: Int
    /// Geometry in the latest snapshot.
    public var geometry: DomainGeometry
    /// Index of the domain in the latest `DomainAnalyzer` pass.
    public var component: Int
    /// Simulated time of first sighting, s.
    public var firstSeen_s: Double
    /// Largest site count ever reached.
    public var maxSites: Int
    /// Largest axial length ever reached, nm.
    public var maxLength_nm: Double
}

/// What one tracking update produced.
public struct TrackingUpdate: Sendable, Equatable {
    /// Events detected at this snapshot, ordered: reversal/vanish, split, merge, birth; by id within each.
    public var events: [DomainEvent]
    /// Entry points of the domains born at this snapshot, by id.
    public var entries: [EntryPoint]
}

/// Gives exchanged domains persistent ids across snapshots and records their history.
public struct DomainTracker: Sendable {
    /// N_min: a domain that reached at least this many sites and disappears is a reversal (default 100).
    public var minReversalSites: Int
    /// Domains of the latest snapshot, in component order.
    public private(set) var domains: [TrackedDomain] = []
    /// Next fresh id.
    public private(set) var nextId: Int = 1

    private var previousSlot: [Int32]   // per site: index into `domains` of the latest snapshot, or −1

    /// Creates a tracker for a frame of `siteCount` cation sites.
    /// - Parameter minReversalSites: N_min (≥ 1; default 100 sites).
    public init(siteCount: Int, minReversalSites: Int = 100) throws {
        guard minReversalSites >= 1 else {
            throw ObservablesError.invalid(component: "DomainTracker", key: "minReversalSites",
                                           message: "must be ≥ 1, got \(minReversalSites)")
        }
        self.minReversalSites = minReversalSites
        previousSlot = [Int32](repeating: -1, count: siteCount)
    }

    /// Matches the analyzer's latest domains to the previous snapshot's, assigns ids and returns the events.
    ///
    /// - Parameters:
    ///   - analyzer: the analyzer right after `analyze(codes:)` for this snapshot.
    ///   - time_s: simulated time, s.
    ///   - temperature_C: temperature, °C.
    ///   - surfaceVacancies: positions (Å) of surface vacancies, for the entry points' nearest-vacancy distance.
    ///   - siteLabel: optional callback naming what lies at a cation site (called once per birth).
    /// - Complexity: O(E + P·log P) for E exchanged sites in domains and P domains; O(N) to clear per-site slots.
    public mutating func update(analyzer: DomainAnalyzer, time_s: Double, temperature_C: Double,
                                surfaceVacancies: [SIMD3<Double>] = [],
                                siteLabel: ((Int) -> String)? = nil) -> TrackingUpdate {
        precondition(analyzer.frame.count == previousSlot.count,
                     "DomainTracker.update: analyzer frame has \(analyzer.frame.count) sites, tracker \(previousSlot.count)")
        let nComp = analyzer.domainCount
        let prev = domains
        let nPrev = prev.count

        // Overlaps (component, previous slot, count), collected per component.
        var overlap = [Int32](repeating: 0, count: nPrev)
        var touched: [Int32] = []
        var compPrev = [[(slot: Int, count: Int)]](repeating: [], count: nComp)
        var prevComps = [[(comp: Int, count: Int)]](repeating: [], count: nPrev)
        previousSlot.withUnsafeBufferPointer { slot in
            for c in 0..<nComp {
                for s in analyzer.sites(ofDomain: c) {
                    let p = slot[Int(s)]
                    if p >= 0 {
                        if overlap[Int(p)] == 0 { touched.append(p) }
                        overlap[Int(p)] += 1
                    }
                }
                touched.sort()
                for p in touched {
                    let n = Int(overlap[Int(p)])
                    compPrev[c].append((Int(p), n))
                    prevComps[Int(p)].append((c, n))
                    overlap[Int(p)] = 0
                }
                touched.removeAll(keepingCapacity: true)
            }
        }

        // Rule 1: each component claims the largest previous domain it overlaps.
        var claim = [Int](repeating: -1, count: nComp)
        for c in 0..<nComp {
            var best = -1
            for (p, _) in compPrev[c] {
                if best < 0 { best = p; continue }
                let a = prev[p], b = prev[best]
                if a.geometry.nSites > b.geometry.nSites || (a.geometry.nSites == b.geometry.nSites && a.id < b.id) {
                    best = p
                }
            }
            claim[c] = best
        }
        // Rule 2: among claimants of one previous domain, the largest overlap keeps the id.
        var keeper = [Int](repeating: -1, count: nPrev)
        var keeperOverlap = [Int](repeating: -1, count: nPrev)
        for c in 0..<nComp where claim[c] >= 0 {
            let p = claim[c]
            let ov = compPrev[c].first(where: { $0.slot == p })!.count
            if ov > keeperOverlap[p] { keeper[p] = c; keeperOverlap[p] = ov }
        }
        // Ids and histories.
        var ids = [Int](repeating: 0, count: nComp)
        var next = nextId
        var newDomains: [TrackedDomain] = []
        newDomains.reserveCapacity(nComp)
        var births: [Int] = []
        for c in 0..<nComp {
            let g = analyzer.domains[c]
            if claim[c] >= 0 && keeper[claim[c]] == c {
                let p = prev[claim[c]]
                var maxSites = max(p.maxSites, g.nSites)
                var maxLength = max(p.maxLength_nm, g.length_nm)
                for (q, _) in compPrev[c] {
                    maxSites = max(maxSites, prev[q].maxSites); maxLength = max(maxLength, prev[q].maxLength_nm)
                }
                ids[c] = p.id
                newDomains.append(TrackedDomain(id: p.id, geometry: g, component: c, firstSeen_s: p.firstSeen_s,
                                                maxSites: maxSites, maxLength_nm: maxLength))
            } else {
                ids[c] = next; next += 1
                if compPrev[c].isEmpty { births.append(c) }
                newDomains.append(TrackedDomain(id: ids[c], geometry: g, component: c, firstSeen_s: time_s,
                                                maxSites: g.nSites, maxLength_nm: g.length_nm))
            }
        }
        nextId = next

        var events: [DomainEvent] = []
        func event(_ kind: DomainEventKind, _ id: Int, _ others: [Int], _ d: TrackedDomain) -> DomainEvent {
            DomainEvent(time_s: time_s, temperature_C: temperature_C, kind: kind, domainId: id,
                        otherIds: others.sorted(), nSites: d.geometry.nSites, z_nm: d.geometry.centroidZ_nm,
                        maxSites: d.maxSites, maxLength_nm: d.maxLength_nm)
        }
        // Disappearances.
        for p in prev.indices.sorted(by: { prev[$0].id < prev[$1].id }) where prevComps[p].isEmpty {
            let d = prev[p]
            events.append(event(d.maxSites >= minReversalSites ? .reversal : .vanish, d.id, [], d))
        }
        // Splits.
        for p in prev.indices.sorted(by: { prev[$0].id < prev[$1].id }) where prevComps[p].count >= 2 {
            let frags = prevComps[p].map { $0.comp }
            let main = keeper[p] >= 0 ? keeper[p]
                : frags.max(by: { a, b in
                    let oa = prevComps[p].first { $0.comp == a }!.count, ob = prevComps[p].first { $0.comp == b }!.count
                    return oa != ob ? oa < ob : a > b
                })!
            let others = frags.filter { ids[$0] != prev[p].id }.map { ids[$0] }
            var e = event(.split, prev[p].id, others, newDomains[main])
            e.maxSites = max(e.maxSites, prev[p].maxSites); e.maxLength_nm = max(e.maxLength_nm, prev[p].maxLength_nm)
            events.append(e)
        }
        // Merges.
        for c in (0..<nComp).sorted(by: { ids[$0] < ids[$1] }) where compPrev[c].count >= 2 {
            let others = compPrev[c].map { prev[$0.slot].id }.filter { $0 != ids[c] }
            events.append(event(.merge, ids[c], others, newDomains[c]))
        }
        // Births and their entry points.
        var entries: [EntryPoint] = []
        let f = analyzer.frame
        for c in births {
            let d = newDomains[c]
            events.append(event(.birth, d.id, [], d))
            let s = Int(d.geometry.outermostSite)
            let dx = f.x[s] - f.axisCenter.x, dy = f.y[s] - f.axisCenter.y
            var theta = atan2Degrees(dy, dx)
            if theta < 0 { theta += 360 }
            if theta >= 360 { theta -= 360 }
            var nearest: Double? = nil
            if !surfaceVacancies.isEmpty {
                let p = f.position(s)
                var best = Double.infinity
                for v in surfaceVacancies { let d = v - p; best = min(best, (d * d).sum()) }
                nearest = best.squareRoot() / 10
            }
            entries.append(EntryPoint(time_s: time_s, temperature_C: temperature_C, domainId: d.id,
                                      nSites: d.geometry.nSites, site: s, z_nm: f.z[s] / 10, theta_deg: theta,
                                      r_nm: (dx * dx + dy * dy).squareRoot() / 10,
                                      nearestVacancy_nm: nearest, label: siteLabel?(s) ?? ""))
        }

        // Remember this snapshot's site → domain slot map.
        previousSlot.withUnsafeMutableBufferPointer { slot in
            slot.update(repeating: -1)
            for c in 0..<nComp {
                for s in analyzer.sites(ofDomain: c) { slot[Int(s)] = Int32(c) }
            }
        }
        domains = newDomains
        return TrackingUpdate(events: events, entries: entries)
    }

    /// Persistent id of the domain holding `site` in the latest snapshot, or nil.
    public func domainId(ofSite site: Int) -> Int? {
        let p = previousSlot[site]
        return p >= 0 ? domains[Int(p)].id : nil
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// atan2 in degrees, (−180, 180].
func atan2Degrees(_ y: Double, _ x: Double) -> Double { atan2(y, x) * 180 / Double.pi }
