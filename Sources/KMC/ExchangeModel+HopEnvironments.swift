// Site words, hop rows and hop environments: the data of the atom-centric hop classes (file header
// of ExchangeModel.swift). A hop environment is (kind, m) of an interstitial and of each of its hop
// neighbours in row order; it changes only when an m changes, and its composite classes (one per
// mobile species) carry one channel per neighbour with the barrier of the species' hop family.

/// Layout of a site word (`ExchangeModel.siteWord`, UInt32): bits 0–1 unused (0), 2–3 `SiteKind`
/// raw value, 4–6 m (Cu cations around an interstitial), 7 surface interstitial, 8–31 hop-environment
/// id (interstitials).
enum SiteWord {
    static let kindShift: UInt32 = 2
    static let cuShift: UInt32 = 4
    static let cuMask: UInt32 = 0x70
    /// Surface-interstitial flag.
    static let surface: UInt32 = 0x80
    /// Everything below the environment id.
    static let stateMask: UInt32 = 0xFF
    static let envShift: UInt32 = 8

    /// Site kind of word `w` (no optional unwrap in the hot path).
    @inline(__always) static func kind(_ w: UInt32) -> SiteKind {
        switch (w >> kindShift) & 3 {
        case 0: return .cation
        case 1: return .tetra
        case 2: return .octa
        default: return .shell
        }
    }
    /// Kind index of an interstitial's word (0 tetra, 1 octa).
    @inline(__always) static func kindIndex(_ w: UInt32) -> UInt64 { UInt64(((w >> kindShift) & 3) - 1) }
    /// m of an interstitial's word.
    @inline(__always) static func cu(_ w: UInt32) -> UInt64 { UInt64((w >> cuShift) & 7) }
    /// Environment id of an interstitial's word.
    @inline(__always) static func env(_ w: UInt32) -> Int { Int(w >> envShift) }
    /// `w` with kind, m and surface flag replaced (environment id kept).
    static func withState(_ w: UInt32, kind: SiteKind, cu: UInt8, surface: Bool) -> UInt32 {
        (w & ~stateMask) | UInt32(kind.rawValue) << kindShift | UInt32(cu) << cuShift | (surface ? SiteWord.surface : 0)
    }
    /// `w` with m replaced.
    @inline(__always) static func withCu(_ w: UInt32, _ m: UInt8) -> UInt32 { (w & ~cuMask) | UInt32(m) << cuShift }
    /// `w` with environment id `e`.
    @inline(__always) static func withEnv(_ w: UInt32, _ e: Int32) -> UInt32 { (w & stateMask) | UInt32(e) << envShift }
}

extension ExchangeModel {
    /// Hop-environment key of interstitial `x` from the site words: bit 0 kind index (tetra 0,
    /// octa 1), 1–3 m, 4–7 hop degree, then 4 bits per row entry d (kind index, m << 1). O(hopDegree).
    func envKey(_ x: Int) -> UInt64 {
        let w = siteWord[x]
        var k = SiteWord.kindIndex(w) | SiteWord.cu(w) << 1
        var deg: UInt64 = 0
        for d in 0..<hopDegree {
            let j = target(x, d)
            if j < 0 { break }
            let wj = siteWord[Int(j)]
            k |= (SiteWord.kindIndex(wj) | SiteWord.cu(wj) << 1) << (8 + 4 * deg)
            deg += 1
        }
        return k | deg << 4
    }

    /// Id of environment `key`, interning it (and its composite classes in `t`) on first sight.
    mutating func internEnv(_ key: UInt64, _ t: inout RateClassTable) -> Int32 {
        if let e = envIndex[key] { return e }
        let e = Int32(envKeys.count)
        precondition(e < (1 << 24), "more than 2^24 hop environments")
        envKeys.append(key)
        envIndex[key] = e
        let ki = Int(key & 1), mi = Int((key >> 1) & 7), deg = Int((key >> 4) & 15)
        for s in 0..<2 {
            let type = hopType[s]
            guard type >= 0 else { envClass.append(-1); continue }
            let family = rates.family[type]
            var channels: [Double] = [], signs: [Int8] = []
            for d in 0..<deg {
                let f = Int((key >> UInt64(8 + 4 * d)) & 15)
                let c = HopChannel(sourceKind: ki, targetKind: f & 1, sourceCu: mi, targetCu: f >> 1)
                let k = hopStrides[s].index(of: family.fields(channel: c))
                channels.append(hopBarrier[s][k])
                signs.append(rates.hopSign[s][k])
            }
            envClass.append(channels.isEmpty ? -1 : compositeClass(type, channels, signs, &t))
        }
        return e
    }

    /// The composite class of event type `type` with these channel barriers and ΔE signs, added to
    /// `t` if new.
    mutating func compositeClass(_ type: Int, _ channels: [Double], _ signs: [Int8], _ t: inout RateClassTable) -> Int32 {
        let k = CompositeKey(type: UInt8(type), barriers: channels.map(\.bitPattern), signs: signs)
        if let c = compositeIndex[k] { return c }
        let c = t.addClass(RateClassInfo(eventType: UInt8(type), channels: channels, signs: signs,
                                         nu: params.nu(EventType(rawValue: UInt8(type))!.family)))
        compositeIndex[k] = c
        return c
    }

    /// Recompute the environment of every interstitial (interning new ones). O(N·hopDegree).
    mutating func recomputeEnvs(_ t: inout RateClassTable) {
        for x in 0..<topo.siteCount where topo.kinds[x] == .tetra || topo.kinds[x] == .octa {
            let e = internEnv(envKey(x), &t)
            siteWord[x] = SiteWord.withEnv(siteWord[x], e)
        }
        syncRows()
    }

    /// Refresh the environment of interstitial `x`: its word, the class and record of an atom on
    /// it, and the copies of its word in the records of atoms next to it. The pipeline must be
    /// settled (no pending records).
    mutating func refreshEnv(_ x: Int, _ t: inout RateClassTable) {
        let e = internEnv(envKey(x), &t)
        let w = SiteWord.withEnv(siteWord[x], e)
        setWord(x, w)
        let a = siteAtom[x]
        if a >= 0 {
            records[recordIndex(Int(a)) + AtomRecord.word] = w
            t.assign(baseAtom + a, to: atomClass(species(Int(a)), w))
        }
    }

    /// Class of a mobile atom of `species` on a site with word `w` (−1 if its hop family is off or
    /// it has no hops).
    @inline(__always) func atomClass(_ species: Occupant, _ w: UInt32) -> Int32 {
        if species == .empty { return -1 }
        return envClass[SiteWord.env(w) * 2 + (species == .cd ? 1 : 0)]
    }

    /// Target of channel `d` of site `x` (−1: none).
    @inline(__always) func target(_ x: Int, _ d: Int) -> Int32 { Int32(bitPattern: hopRow[(x * hopDegree + d) * 2]) }

    /// Set `siteWord[x]` and copy it into the rows of x's hop neighbours (and of their atoms'
    /// records). The pipeline must be settled.
    mutating func setWord(_ x: Int, _ w: UInt32) {
        siteWord[x] = w
        for d in 0..<hopDegree {
            let y = target(x, d)
            if y < 0 { break }
            let b = Int(siteAtom[Int(y)])
            // y's channels back to x: a scan of y's row, the line that is written anyway (looking
            // the channel up through the topology's reverse edges costs two more cold lines).
            for k in 0..<hopDegree where target(Int(y), k) == Int32(x) {
                hopRow[(Int(y) * hopDegree + k) * 2 + 1] = w
                if b >= 0 { records[recordIndex(b) + AtomRecord.row + 1 + 2 * k] = w }
            }
        }
    }

    /// Copy every site's word into its neighbours' rows. O(N·hopDegree).
    mutating func syncRows() {
        for x in 0..<topo.siteCount {
            for d in 0..<hopDegree {
                let y = target(x, d)
                if y >= 0 { hopRow[(x * hopDegree + d) * 2 + 1] = siteWord[Int(y)] }
            }
        }
    }

    @inline(__always) func isOccupied(_ x: Int) -> Bool { occupied[x >> 6] & (1 << UInt64(x & 63)) != 0 }
    @inline(__always) mutating func setBit(_ x: Int) { occupied[x >> 6] |= 1 << UInt64(x & 63) }
    @inline(__always) mutating func clearBit(_ x: Int) { occupied[x >> 6] &= ~(1 << UInt64(x & 63)) }

    /// Seed the environment and composite-class tables from a checkpoint (ids then match the saved
    /// run's): `t` must already hold the checkpoint's classes.
    public mutating func importEnvironments(_ keys: [UInt64], classes t: inout RateClassTable) throws {
        compositeIndex = [:]
        for c in 0..<t.classCount where !t.info[c].channels.isEmpty {
            compositeIndex[CompositeKey(type: t.info[c].eventType, barriers: t.info[c].channels.map(\.bitPattern), signs: t.info[c].channelSigns)] = Int32(c)
        }
        let before = t.classCount
        for (i, k) in keys.enumerated() {
            let e = internEnv(k, &t)
            guard e == Int32(i) else { throw CheckpointError("checkpoint hop environment \(i) is a duplicate or out of order") }
        }
        guard t.classCount == before else { throw CheckpointError("checkpoint hop environments need classes the checkpoint does not list") }
    }
}
