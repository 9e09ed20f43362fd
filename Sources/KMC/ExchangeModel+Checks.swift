// Measures and checks of the model: atom counts, conservation, the energy of a configuration,
// the incremental-vs-full-recompute check, and whole-configuration setup (tests, checkpoints).

extension ExchangeModel {
    /// Count atoms by place. O(N).
    public func counts() -> AtomCounts {
        if unsyncedLen > 0 { var s = self; s.synchronize(); return s.counts() }
        var a = AtomCounts()
        a.cuPool = donorCu
        a.cdEscaped = escapedCd
        for x in 0..<topo.siteCount {
            let o = occupant[x]
            switch topo.kinds[x] {
            case .cation:
                if o == .cu { a.cuCation += 1 } else if o == .cd { a.cdCation += 1 } else { a.vacancies += 1 }
            case .tetra, .octa:
                if o == .cu { a.cuInterstitial += 1 } else if o == .cd { a.cdInterstitial += 1 }
            case .shell:
                if o == .cu { a.cuShell += 1 }
            }
        }
        return a
    }

    /// Occupant codes of every site (`Occupant` raw values), for outputs and checkpoints. O(N).
    public var occupancyBytes: [UInt8] {
        if unsyncedLen > 0 { var s = self; s.synchronize(); return s.occupancyBytes }
        return occupant.map(\.rawValue)
    }

    /// Throw unless total Cu and total Cd equal their initial values (and no site holds a
    /// species it cannot). O(N).
    public func checkConservation() throws {
        let a = counts()
        if a.cu != initialCu || a.cd != initialCd + extraCd {
            throw ModelError("conservation violated: Cu \(a.cu) (initial \(initialCu)) = pool \(a.cuPool) + shell \(a.cuShell) + interstitial \(a.cuInterstitial) + cation \(a.cuCation); Cd \(a.cd) (initial \(initialCd + extraCd)) = cation \(a.cdCation) + interstitial \(a.cdInterstitial) + escaped \(a.cdEscaped)")
        }
        for x in 0..<topo.siteCount where topo.kinds[x] == .shell && occupant[x] == .cd {
            throw ModelError("state invalid: Cd on shell site \(x)")
        }
    }

    /// Energy E of the configuration (Events/SiteEnergies.swift), eV. O(edges).
    public func energy() -> Double {
        if unsyncedLen > 0 { var s = self; s.synchronize(); return s.energy() }
        let p = params
        var e = p.donorCu_eV * Double(donorCu) + p.escapedCd_eV * Double(escapedCd)
        for x in 0..<topo.siteCount {
            let o = occupant[x]
            switch topo.kinds[x] {
            case .cation:
                if o == .cu {
                    e += p.cuCation_eV
                    for f in topo.cationNN.range(x) where occupant[Int(topo.cationNN.targets[f])] == .cd { e += p.interfaceJ_eV }
                    for f in topo.catInt.range(x) {
                        let i = Int(topo.catInt.targets[f])
                        if topo.kinds[i] == .tetra && occupant[i] == .cu { e += p.cu2sePairU_eV }
                    }
                } else if o == .empty { e += p.cationVacancy_eV }
            case .tetra:
                if o == .cu { e += p.cuTetra_eV } else if o == .cd { e += p.cdTetra_eV }
            case .octa:
                if o == .cu { e += p.cuOcta_eV } else if o == .cd { e += p.cdOcta_eV }
            case .shell:
                if o == .cu { e += p.adsorbedCu_eV - p.adsorptionVacancyDeepening_eV * Double(vacanciesAround[x]) }
            }
        }
        return e
    }

    /// Compare counters and every slot's class with a full recompute, and every slot's key with
    /// its family's key space; throws on the first mismatch.
    public func verifyIncremental(_ table: RateClassTable) throws {
        if unsyncedLen > 0 { var s = self; s.synchronize(); try s.verifyIncremental(table); return }
        var fresh = self
        fresh.recomputeCounters()
        if fresh.cuNeighbours != cuNeighbours || fresh.cdNeighbours != cdNeighbours
            || (plan.reads.contains(.tetraCu) && fresh.cuTetraNeighbours != cuTetraNeighbours)
            || fresh.cuAround != cuAround || fresh.vacanciesAround != vacanciesAround
            || fresh.cuShellNeighbours != cuShellNeighbours || fresh.siteWord != siteWord {
            throw ModelError("incremental check: neighbour counters differ from a full recompute")
        }
        // Hop environments (ids are interning order, so compare keys) and the atom list.
        var atoms = 0
        for x in 0..<topo.siteCount where topo.kinds[x] == .tetra || topo.kinds[x] == .octa {
            let e = SiteWord.env(siteWord[x])
            guard e < envKeys.count, envKeys[e] == envKey(x) else {
                throw ModelError("incremental check: hop environment of site \(x) is stale")
            }
            if occupant[x] != .empty {
                atoms += 1
                let a = Int(siteAtom[x])
                guard a >= 0, a < atomCount, siteOf(a) == x else {
                    throw ModelError("incremental check: atom list broken at site \(x)")
                }
            } else if siteAtom[x] != -1 {
                throw ModelError("incremental check: empty site \(x) has an atom id")
            }
        }
        if atoms != atomCount { throw ModelError("incremental check: \(atomCount) atom ids for \(atoms) mobile atoms") }
        var filled = self
        for a in 0..<atomCount where !isPending(a) {
            filled.fillRecord(a)
            let r = recordIndex(a)..<(recordIndex(a) + recordStride)
            guard species(a) == occupant[siteOf(a)], records[r] == filled.records[r] else {
                throw ModelError("incremental check: the record of atom \(a) (site \(siteOf(a))) is stale")
            }
        }
        for x in 0..<topo.siteCount {
            for d in 0..<hopDegree {
                let y = target(x, d)
                if y >= 0 && hopRow[(x * hopDegree + d) * 2 + 1] != siteWord[Int(y)] {
                    throw ModelError("incremental check: hop row of site \(x) holds a stale word of site \(y)")
                }
            }
        }
        for x in 0..<topo.siteCount where isOccupied(x) != ((topo.kinds[x] == .tetra || topo.kinds[x] == .octa) && occupant[x] != .empty) {
            throw ModelError("incremental check: occupancy bit of site \(x) is wrong")
        }
        var m = self   // the families' key functions read the model in place
        for s in 0..<Int(baseAtom) {
            let (a, b) = endpoints(Int32(s))
            if s < Int(baseSS) && topo.kinds[a] != .shell && !(topo.kinds[a] != .cation && topo.isSurfaceInterstitial[a]) { continue }
            let kind: SlotKind = s < Int(baseSS) ? (topo.kinds[a] == .shell ? .shellSite : .surfaceSite)
                : s < Int(baseSI) ? .shellShell : s < Int(baseIC) ? .shellInterstitial : .interstitialCation
            let type = rates.typeAt[RateDispatch.index(kind, occupant[a], b >= 0 ? occupant[b] : .empty)]
            guard type >= 0 else { continue }
            let f = rates.family[Int(type)].fields(direction: rates.directionIndex[Int(type)], SlotEndpoints(a: a, b: b), &m)
            guard rates.strides[Int(type)].contains(f) else {
                throw ModelError("incremental check: slot \(s) (\(EventType(rawValue: UInt8(type))!)) has key fields \(f.values) outside its key space")
            }
        }
        for s in 0..<slotCount {
            let c = m.currentClass(of: Int32(s))
            if table.slotClass[s] != c {
                throw ModelError("incremental check: slot \(s) is in class \(table.slotClass[s]), full recompute gives \(c)")
            }
        }
        let members = table.members
        for c in 0..<table.classCount {
            for (p, s) in members[c].enumerated() where table.slotPos[Int(s)] != Int32(p) || table.slotClass[Int(s)] != Int32(c) {
                throw ModelError("incremental check: member index broken in class \(c)")
            }
        }
        if table.reservoirCount[1] != donorCu || table.reservoirCount[2] != escapedCd {
            throw ModelError("incremental check: reservoir counts in the class table differ from the model")
        }
    }

    /// Replace the whole configuration (tests, checkpoints): occupancy and pools; totals become
    /// the new initial totals. Rebuilds counters and every slot's class. O(slots).
    /// `atoms` gives the mobile atoms' ids (their sites in id order, from a checkpoint); by default
    /// atoms are numbered in site order.
    mutating func setConfiguration(occupancy: [Occupant], donorCu d: Int, escapedCd e: Int, resetTotals: Bool,
                                   atoms: [Int32]? = nil, classes t: inout RateClassTable) throws {
        settle()
        occupant = .hugePaged(copying: occupancy)
        donorCu = d; escapedCd = e
        if resetTotals {
            let a = counts()
            initialCu = a.cu; initialCd = a.cd; extraCd = 0
        }
        recomputeCounters()
        recomputeEnvs(&t)
        try rebuildAtoms(order: atoms)
        t.setReservoir(.donorCu, count: d)
        t.setReservoir(.escapedCd, count: e)
        fillAll(&t)
    }

    /// Place Cu or Cd directly (test and scenario setup; keeps classes current). `site` must be
    /// an interstitial or shell site that is empty; the atom comes from the donor pool (Cu) or is
    /// added to the initial Cd total (Cd).
    public mutating func insert(_ species: Occupant, at site: Int, classes t: inout RateClassTable) throws {
        settle()
        guard occupant[site] == .empty, topo.kinds[site] != .cation else {
            throw ModelError("insert: site \(site) is not an empty interstitial/shell site")
        }
        if species == .cu {
            guard donorCu > 0 else { throw ModelError("insert: donor pool is empty") }
            donorCu -= 1; t.setReservoir(.donorCu, count: donorCu)
        } else {
            guard topo.kinds[site] != .shell else { throw ModelError("insert: Cd cannot sit on a shell site") }
            extraCd += 1
        }
        setOccupancy(site, species, &t)
    }
}
