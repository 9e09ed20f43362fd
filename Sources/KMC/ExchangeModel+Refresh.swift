// Neighbour counters and incremental refresh: after an occupancy change, update the counters of
// the neighbours and re-file exactly the slots whose class can have changed (file header of
// ExchangeModel.swift, "locality contract"). Which counters are kept and which slots are re-filed
// follows from the enabled families' declarations (`RefreshPlan`), not from a hand-kept list.

import CPrefetch

/// What the enabled families read, and so what an occupancy change must refresh.
struct RefreshPlan {
    /// Counters some enabled family reads.
    let reads: Counters
    /// An enabled family lives on interstitial–cation edges.
    let interstitialCationEvents: Bool
    /// A hop changes the occupancy of two interstitials: it has side effects beyond its atom's
    /// class when an enabled family reads interstitial occupancy anywhere (interstitial–cation
    /// edges, Cu tetra counts) …
    let hopSideEffects: Bool
    /// … or, for hops that start or end at a surface interstitial, on surface slots (site slots of
    /// surface interstitials, shell–interstitial edges).
    let surfaceHopSideEffects: Bool
    /// A Cd_i changes no counter, so its hop has side effects only where an interstitial–cation
    /// edge of its two sites changes type when the Cd leaves or arrives: always, if some enabled
    /// type has a Cd_i or an empty interstitial next to a Cd or vacant cation (Frenkel pairs, Cd
    /// vacancy fill) …
    let cdHopSideEffects: Bool
    /// … or, if only types next to a Cu cation do (kick-in, Cu release), where one of the two
    /// sites has a Cu cation around it (its word's m > 0).
    let cdHopSideEffectsNearCu: Bool
    /// Per cation occupant (raw value): the counters read by any interstitial–cation type with
    /// that cation occupant, whatever the interstitial holds (a counter change at a cation whose
    /// edges read none of it re-files nothing).
    let cationReads: [Counters]

    init(_ r: RateDispatch) {
        var reads = Counters(), ic = false, surface = false
        for f in r.enabled {
            reads.formUnion(f.reads)
            if f.slot == .interstitialCation { ic = true }
            if f.slot.interstitialIsSurface { surface = true }
        }
        self.reads = reads
        interstitialCationEvents = ic
        hopSideEffects = ic || reads.contains(.tetraCu)
        surfaceHopSideEffects = surface
        func typed(_ oi: Occupant, _ oc: Occupant) -> Bool {
            r.typeAt[RateDispatch.index(.interstitialCation, oi, oc)] >= 0
        }
        cdHopSideEffects = [Occupant.cd, .empty].contains { oc in typed(.cd, oc) || typed(.empty, oc) }
        cdHopSideEffectsNearCu = typed(.cd, .cu) || typed(.empty, .cu)
        cationReads = (0..<Occupant.count).map { c in
            (0..<Occupant.count).reduce(into: Counters()) { u, i in
                u.formUnion(r.readsAt[RateDispatch.index(.interstitialCation, Occupant(rawValue: UInt8(i)), Occupant(rawValue: UInt8(c)))])
            }
        }
    }

    /// Whether a hop of species `o` between sites with words `wx`, `wj` must refresh slots other
    /// than its atom's.
    @inline(__always) func hopHasSideEffects(_ wx: UInt32, _ wj: UInt32, _ o: Occupant) -> Bool {
        if (wx | wj) & SiteWord.surface != 0 && surfaceHopSideEffects { return true }
        if o != .cd { return hopSideEffects }
        return cdHopSideEffects || (cdHopSideEffectsNearCu && (wx | wj) & SiteWord.cuMask != 0)
    }
}

extension ExchangeModel {
    /// Recompute all counters from the occupancy. O(edges).
    mutating func recomputeCounters() {
        let t = topo
        for i in 0..<t.siteCount {
            cuNeighbours[i] = 0; cdNeighbours[i] = 0; cuTetraNeighbours[i] = 0; cuAround[i] = 0
            vacanciesAround[i] = 0; cuShellNeighbours[i] = 0
        }
        for c in t.cationSites {
            let ci = Int(c)
            for e in t.cationNN.range(ci) {
                let o = occupant[Int(t.cationNN.targets[e])]
                if o == .cu { cuNeighbours[ci] += 1 } else if o == .cd { cdNeighbours[ci] += 1 }
            }
            for e in t.catInt.range(ci) {
                let i = Int(t.catInt.targets[e])
                if t.kinds[i] == .tetra && occupant[i] == .cu { cuTetraNeighbours[ci] += 1 }
            }
        }
        for i in 0..<t.siteCount where t.kinds[i] == .tetra || t.kinds[i] == .octa {
            for e in t.intCat.range(i) where occupant[Int(t.intCat.targets[e])] == .cu { cuAround[i] += 1 }
        }
        for s in 0..<t.siteCount where t.kinds[s] == .shell {
            for e in t.shellCat.range(s) where occupant[Int(t.shellCat.targets[e])] == .empty { vacanciesAround[s] += 1 }
            if occupant[s] == .cu { for e in t.shellCat.range(s) { cuShellNeighbours[Int(t.shellCat.targets[e])] += 1 } }
        }
        for x in 0..<t.siteCount {
            let surface = t.kinds[x] != .cation && t.kinds[x] != .shell && t.isSurfaceInterstitial[x]
            siteWord[x] = SiteWord.withState(siteWord[x], kind: t.kinds[x], cu: cuAround[x], surface: surface)
            if (t.kinds[x] == .tetra || t.kinds[x] == .octa) && occupant[x] != .empty { setBit(x) } else { clearBit(x) }
        }
    }

    /// Start loading the per-site lines a refresh of `x` reads first (its occupant, word and counter,
    /// and its rows' offsets in every relation), so that the misses of an event's two endpoints
    /// overlap instead of following one another. Only a hint: nothing is read.
    @inline(__always) func prefetchSite(_ x: Int) {
        occupant.withUnsafeBufferPointer { cekmc_prefetch($0.baseAddress! + x) }
        siteWord.withUnsafeBufferPointer { cekmc_prefetch($0.baseAddress! + x) }
        vacanciesAround.withUnsafeBufferPointer { cekmc_prefetch($0.baseAddress! + x) }
        topo.shellShell.offsets.withUnsafeBufferPointer { cekmc_prefetch($0.baseAddress! + x) }
        topo.shellInt.offsets.withUnsafeBufferPointer { cekmc_prefetch($0.baseAddress! + x) }
        topo.shellCat.offsets.withUnsafeBufferPointer { cekmc_prefetch($0.baseAddress! + x) }
        topo.intCat.offsets.withUnsafeBufferPointer { cekmc_prefetch($0.baseAddress! + x) }
        topo.catInt.offsets.withUnsafeBufferPointer { cekmc_prefetch($0.baseAddress! + x) }
        topo.intShell.offsets.withUnsafeBufferPointer { cekmc_prefetch($0.baseAddress! + x) }
    }

    /// Refresh the site and edge slots of `x` (hop slots of atoms are handled by the callers).
    /// `mutating` only so that callers in mutating code pass the model by reference (a
    /// non-mutating call from there copies its fields first).
    mutating func refreshSiteSlots(_ x: Int, _ t: inout RateClassTable) {
        switch SiteWord.kind(siteWord[x]) {
        case .shell:
            // x's rows hold x as their source: only the targets are read (and x's kind is known).
            t.assign(Int32(x), to: classify(.shellSite, x, -1))
            for e in topo.shellShell.range(x) {
                let y = Int(topo.shellShell.targets[e])
                t.assign(baseSS + Int32(e), to: classify(.shellShell, x, y))
                if occupant[y] != .empty {
                    t.assign(baseSS + topo.shellShellReverse[e], to: classify(.shellShell, y, x))
                }
            }
            for e in topo.shellInt.range(x) {
                t.assign(baseSI + Int32(e), to: classify(.shellInterstitial, x, Int(topo.shellInt.targets[e])))
            }
        case .tetra, .octa:
            if siteWord[x] & SiteWord.surface != 0 {
                t.assign(Int32(x), to: classify(.surfaceSite, x, -1))
                refreshShellEdges(ofInterstitial: x, &t)
            }
            if plan.interstitialCationEvents { refreshInterstitialEdges(x, &t) }
        case .cation:
            // The edges of x, their interstitials read from x's own row (contiguous).
            for f in topo.catInt.range(x) {
                t.assign(baseIC + topo.catIntEdge[f], to: classify(.interstitialCation, Int(topo.catInt.targets[f]), x))
            }
        }
    }

    /// Change the occupant of `x` to `new`, update counters and refresh every dependent slot
    /// (creating, re-filing or removing the mobile atom of an interstitial).
    mutating func setOccupancy(_ x: Int, _ new: Occupant, _ t: inout RateClassTable) {
        let old = occupant[x]
        if old == new { return }
        occupant[x] = new
        switch SiteWord.kind(siteWord[x]) {
        case .tetra, .octa:
            if new == .empty { clearBit(x) } else { setBit(x) }
            if old == .empty { addAtom(x, &t) }
            else if new == .empty { removeAtom(x, &t) }
            else {
                let a = Int(siteAtom[x])
                let f = recordIndex(a) + AtomRecord.flags
                records[f] = (records[f] & ~AtomRecord.speciesMask) | UInt32(new.rawValue)
                t.assign(baseAtom + Int32(a), to: atomClass(new, siteWord[x]))
            }
        default: break
        }
        occupancyChanged(x, old: old, new: new, &t)
    }

    /// Re-file the interstitial–cation edges of cation `c` whose event reads `counter`, and the
    /// edge to the pending site if it still holds a class (a hop with side effects writes both
    /// sites before refreshing either, `pendingSite`). Every other edge is current except for the
    /// counter, so one whose type does not read it keeps its class. Empty interstitials are told
    /// by their occupancy bit (a small array that stays in cache) rather than their occupant byte:
    /// on a large wire that saves a DRAM miss per interstitial around the cation when, as for a
    /// Cd or Cu cation by default, no type with an empty interstitial reads the counter.
    /// `skipping`: an interstitial whose edges the caller has just filed (−1: none).
    @inline(__always) mutating func refreshCationEdges(_ c: Int, reading counter: Counters, skipping: Int = -1, _ t: inout RateClassTable) {
        let oc = occupant[c]
        let emptyReads = rates.readsAt[RateDispatch.index(.interstitialCation, .empty, oc)].contains(counter)
        for f in topo.catInt.range(c) {
            let i = Int(topo.catInt.targets[f])
            if i == skipping || (!emptyReads && i != pendingSite && !isOccupied(i)) { continue }
            let slot = baseIC + topo.catIntEdge[f]
            let d = RateDispatch.index(.interstitialCation, occupant[i], oc)
            if rates.readsAt[d].contains(counter) || (i == pendingSite && t.slotClass[Int(slot)] >= 0) {
                t.assign(slot, to: classify(dispatch: d, i, c))
            }
        }
    }

    /// Re-file the interstitial–cation edges of interstitial `i` (its cations read from i's own
    /// row, contiguous).
    @inline(__always) mutating func refreshInterstitialEdges(_ i: Int, _ t: inout RateClassTable) {
        for e in topo.intCat.range(i) {
            t.assign(baseIC + Int32(e), to: classify(.interstitialCation, i, Int(topo.intCat.targets[e])))
        }
    }

    /// Everything that follows an occupancy change at `x` except the hop slot of an atom there:
    /// `x`'s site/edge slots, counters of its neighbours and the slots that read them.
    mutating func occupancyChanged(_ x: Int, old: Occupant, new: Occupant, _ t: inout RateClassTable) {
        let dCu = Int(new == .cu ? 1 : 0) - Int(old == .cu ? 1 : 0)
        // A tetra hole's Cu changes the Cu tetra counts of its cations, which x's own edges read:
        // the counts first, so that x's edges are filed once, with them.
        let kind = SiteWord.kind(siteWord[x])
        let tetraCounts = dCu != 0 && plan.reads.contains(.tetraCu) && kind == .tetra
        if tetraCounts {
            for e in topo.intCat.range(x) {
                let c = Int(topo.intCat.targets[e])
                cuTetraNeighbours[c] = UInt8(Int(cuTetraNeighbours[c]) + dCu)
            }
        }
        refreshSiteSlots(x, &t)
        switch kind {
        case .cation:
            let dCd = Int(new == .cd ? 1 : 0) - Int(old == .cd ? 1 : 0)
            let dV = Int(new == .empty ? 1 : 0) - Int(old == .empty ? 1 : 0)
            for e in topo.cationNN.range(x) {
                let c = Int(topo.cationNN.targets[e])
                cuNeighbours[c] = UInt8(Int(cuNeighbours[c]) + dCu)
                cdNeighbours[c] = UInt8(Int(cdNeighbours[c]) + dCd)
                refreshCationEdges(c, reading: .cationNeighbours, &t)
            }
            if dCu != 0 {
                for e in topo.catInt.range(x) {
                    let i = Int(topo.catInt.targets[e])
                    cuAround[i] = UInt8(Int(cuAround[i]) + dCu)
                    siteWord[i] = SiteWord.withCu(siteWord[i], cuAround[i])
                }
                // Environments read m of the site and of its hop neighbours: refresh after all m
                // changed, each affected site once (the interstitials around x are hop neighbours of
                // one another, so their neighbourhoods overlap).
                envScratch.removeAll(keepingCapacity: true)
                for e in topo.catInt.range(x) {
                    let i = topo.catInt.targets[e]
                    if !envScratch.contains(i) { envScratch.append(i) }
                    for d in 0..<hopDegree {
                        let j = target(Int(i), d)
                        if j < 0 { break }
                        if !envScratch.contains(j) { envScratch.append(j) }
                    }
                }
                for k in envScratch.indices { refreshEnv(Int(envScratch[k]), &t) }
                for e in topo.catInt.range(x) { refreshCuDependents(Int(topo.catInt.targets[e]), &t) }
            }
            if dV != 0 {
                for e in topo.catShell.range(x) {
                    let s = Int(topo.catShell.targets[e])
                    vacanciesAround[s] = UInt8(Int(vacanciesAround[s]) + dV)
                    refreshSiteSlots(s, &t)
                }
            }
        case .tetra:
            // Cu tetra counts are kept only when an enabled family reads them (a hop then touches
            // no cation data; `verifyIncremental` skips them).
            // Counts updated above; x's own edges are current.
            if tetraCounts {
                for e in topo.intCat.range(x) { refreshCationEdges(Int(topo.intCat.targets[e]), reading: .tetraCu, skipping: x, &t) }
            }
        case .shell:
            for e in topo.shellCat.range(x) {
                let c = Int(topo.shellCat.targets[e])
                cuShellNeighbours[c] = UInt8(Int(cuShellNeighbours[c]) + dCu)
                // No interstitial–cation edge changes in a shell event, so only edges whose type
                // reads the count can change class (for a Cd cation usually none).
                if plan.cationReads[Int(occupant[c].rawValue)].contains(.shellCu) {
                    refreshCationEdges(c, reading: .shellCu, &t)
                }
            }
        case .octa:
            break
        }
    }

    /// Refresh i's edge events, which depend on m(i) (Cu cation neighbours of interstitial i). The
    /// hop environments that read m(i) are refreshed by the caller.
    mutating func refreshCuDependents(_ i: Int, _ t: inout RateClassTable) {
        refreshInterstitialEdges(i, &t)
        refreshShellEdges(ofInterstitial: i, &t)
    }

    /// Re-file the shell–interstitial edges that end at interstitial `i` (none unless it is a
    /// surface interstitial).
    @inline(__always) mutating func refreshShellEdges(ofInterstitial i: Int, _ t: inout RateClassTable) {
        for e in topo.intShell.range(i) {
            let se = Int(topo.intShellEdge[e])
            t.assign(baseSI + Int32(se), to: classify(.shellInterstitial, Int(topo.shellInt.sources[se]), i))
        }
    }
}
