// Mobile-atom records and deferred site writes: the data the hop path reads.
//
// Each mobile interstitial atom has one record (`AtomRecord`, 64 B for up to 6 hop channels: one
// cache line): its site, the site's word, species and flags, an arrival counter, and a copy of the
// site's hop row (targets and their words). The hop path reads one record and the occupancy bits,
// and only writes site arrays. The row copy is made `pipeDepth` hops after the atom arrives, from
// the line prefetched at arrival (`advancePipeline`); an atom chosen before that (pending) is filled
// on the spot.
//
// Deferred site writes: on a multi-million-site wire `occupant` and `siteAtom` are far larger than
// the cache, and a hop's four random stores into them stall the core. A hop without side effects
// writes only the atom's record and the occupancy bits; the first such hop of an atom since the
// last synchronisation lists the atom in `unsynced` (flag `AtomRecord.unsyncedFlag`). `synchronize`
// then clears every listed atom's old site and writes its current one (two passes, so the result
// is the current configuration whatever the order of the hops): O(atoms moved), not O(hops). It
// runs before anything reads those arrays: every non-hop event, every hop with side effects, the
// end of each engine run.

import CPrefetch

/// Layout of an atom record (`ExchangeModel.records`, UInt32 words).
enum AtomRecord {
    /// Site (Int32 bit pattern).
    static let site = 0
    /// The site's word (`SiteWord`).
    static let word = 1
    /// Species (`Occupant` raw value, bits 0–7) | `pending` | `unsyncedFlag`.
    static let flags = 2
    /// Arrivals so far (mod 2³², matches pipeline entries).
    static let arrivals = 3
    /// First word of the copy of the site's hop row: target of channel d at `row + 2d`, its word at
    /// `row + 2d + 1`.
    static let row = 4
    /// The row copy is not filled yet.
    static let pending: UInt32 = 0x100
    /// The atom is listed in `unsynced`.
    static let unsyncedFlag: UInt32 = 0x200
    static let speciesMask: UInt32 = 0xFF
    /// Species of a flags word.
    @inline(__always) static func species(_ flags: UInt32) -> Occupant { Occupant(rawValue: UInt8(truncatingIfNeeded: flags)) }
}

extension ExchangeModel {
    /// Sites of the mobile interstitial atoms (Cu_i, Cd_i) in atom-id order (ids are dense; the last
    /// atom takes the id of a removed one). Atom a's hop slot is `baseAtom + a`. O(atoms).
    public var atomSite: [Int32] { (0..<atomCount).map { Int32(bitPattern: records[recordIndex($0)]) } }
    /// Site of atom `a`.
    @inline(__always) public func siteOf(_ a: Int) -> Int { Int(Int32(bitPattern: records[recordIndex(a) + AtomRecord.site])) }
    @inline(__always) func species(_ a: Int) -> Occupant { AtomRecord.species(records[recordIndex(a) + AtomRecord.flags]) }
    @inline(__always) func isPending(_ a: Int) -> Bool { records[recordIndex(a) + AtomRecord.flags] & AtomRecord.pending != 0 }

    /// Make room in `unsynced` for every atom (the most it can list). Amortised O(1).
    mutating func reserveUnsynced() {
        let need = max(2 * atomCount, unsyncedLen + 2) + 64
        if unsynced.count < need { unsynced.append(contentsOf: repeatElement(-1, count: need - unsynced.count)) }
    }

    /// Fill atom a's record from its site now (hop row and the neighbours' words).
    mutating func fillRecord(_ a: Int) {
        records[recordIndex(a) + AtomRecord.word] = siteWord[siteOf(a)]
        fillRow(a)
    }

    /// Complete atom a's record from its site's hop row (its own word is already current: a hop
    /// copies it from the row of the site it left). Reads only the row line, which the pipeline
    /// prefetched; `siteWord` is a random read on large wires and stays out of the hop path.
    mutating func fillRow(_ a: Int) {
        let r = recordIndex(a)
        let x = siteOf(a)
        hopRow.withUnsafeBufferPointer { h in
            records.withUnsafeMutableBufferPointer { d in
                precondition(r + AtomRecord.row + 2 * hopDegree <= d.count && (x + 1) * 2 * hopDegree <= h.count)
                AtomRecords(base: d.baseAddress! + recordOffset, stride: recordStride, hopRow: h.baseAddress!, hopDegree: hopDegree)
                    .fillRow(a)
            }
        }
    }

    /// Write the current sites of the atoms listed in `unsynced` into `occupant` and `siteAtom`
    /// (clear every old site first, then set every new one), prefetching a few atoms ahead so the
    /// cache misses overlap. After this `occupant` and `siteAtom` are current. O(listed atoms).
    public mutating func synchronize() {
        let n = unsyncedLen / 2
        if n == 0 { return }
        let ahead = 8
        let stride = recordStride
        unsynced.withUnsafeBufferPointer { list in
            records.withUnsafeMutableBufferPointer { r in
                occupant.withUnsafeMutableBufferPointer { o in
                    siteAtom.withUnsafeMutableBufferPointer { sa in
                        precondition(list.count >= 2 * n)
                        let p = r.baseAddress! + recordOffset
                        @inline(__always) func warm(_ x: Int) {
                            cekmc_prefetch_write(o.baseAddress! + x); cekmc_prefetch_write(sa.baseAddress! + x)
                        }
                        // Pass 1: vacate the sites the arrays still hold the atoms at.
                        for k in 0..<min(ahead, n) { warm(Int(list[2 * k + 1])) }
                        for k in 0..<n {
                            if k + ahead < n { warm(Int(list[2 * (k + ahead) + 1])) }
                            let x = Int(list[2 * k + 1])
                            o[x] = .empty
                            sa[x] = -1
                        }
                        // Pass 2: occupy the atoms' current sites.
                        for k in 0..<min(ahead, n) { cekmc_prefetch(p + Int(list[2 * k]) * stride) }
                        for k in 0..<n {
                            if k + ahead < n { cekmc_prefetch(p + Int(list[2 * (k + ahead)]) * stride) }
                            if k + ahead / 2 < n { warm(Int(Int32(bitPattern: p[Int(list[2 * (k + ahead / 2)]) * stride]))) }
                            let a = Int(list[2 * k])
                            let x = Int(Int32(bitPattern: p[a * stride + AtomRecord.site]))
                            let w = p[a * stride + AtomRecord.flags]
                            o[x] = AtomRecord.species(w)
                            sa[x] = Int32(a)
                            p[a * stride + AtomRecord.flags] = w & ~AtomRecord.unsyncedFlag
                        }
                    }
                }
            }
        }
        unsyncedLen = 0
    }

    /// Start loading the record of the atom whose hop slot is `slot` (engine look-ahead).
    @inline(__always) public func prefetch(slot: Int32) {
        if slot < baseAtom { return }
        let r = recordIndex(Int(slot - baseAtom))
        records.withUnsafeBufferPointer { p in
            cekmc_prefetch(p.baseAddress! + r)
            if recordStride > 16 { cekmc_prefetch(p.baseAddress! + r + recordStride - 1) }
        }
    }

    /// Start loading, for writing, the occupancy words of the site and of the channel's target of
    /// the atom in `slot` (its record is in cache: an earlier look-ahead stage prefetched it).
    @inline(__always) public func prefetch(slot: Int32, channel: Int32) {
        if slot < baseAtom || channel < 0 { return }
        let ra = recordIndex(Int(slot - baseAtom))
        let x = Int(Int32(bitPattern: records[ra + AtomRecord.site]))
        let j = Int(Int32(bitPattern: records[ra + AtomRecord.row + 2 * Int(channel)]))
        occupied.withUnsafeBufferPointer { b in
            cekmc_prefetch_write(b.baseAddress! + (x >> 6))
            if j >= 0 { cekmc_prefetch_write(b.baseAddress! + (j >> 6)) }
        }
    }

    /// Run `body` on raw views of the hop path's arrays (the hop kernel, `HopKernel.swift`), then
    /// store back the counters it advanced. `unsynced` has room for every atom first. No pointer
    /// outlives the call.
    mutating func withHopView<R>(_ body: (inout HopView) -> R) -> R {
        reserveUnsynced()
        let stride = recordStride, z = hopDegree
        var hops = (cu: UInt64(0), cd: UInt64(0))
        var head = pipeHead, len = unsyncedLen
        let result = records.withUnsafeMutableBufferPointer { r in
            occupied.withUnsafeMutableBufferPointer { o in
                hopRow.withUnsafeBufferPointer { h in
                    envClass.withUnsafeBufferPointer { e in
                        pipeAtom.withUnsafeMutableBufferPointer { pa in
                            pipeSeq.withUnsafeMutableBufferPointer { ps in
                                unsynced.withUnsafeMutableBufferPointer { u in
                                    var v = HopView(atoms: AtomRecords(base: r.baseAddress! + recordOffset, stride: stride,
                                                                       hopRow: h.baseAddress!, hopDegree: z),
                                                    occupied: o.baseAddress!, envClass: e.baseAddress!,
                                                    pipeline: RecordPipeline(atom: pa.baseAddress!, seq: ps.baseAddress!, depth: pa.count),
                                                    pipeHead: head, unsynced: u.baseAddress!, unsyncedLen: len)
                                    let res = body(&v)
                                    precondition(v.unsyncedLen <= u.count)
                                    head = v.pipeHead; len = v.unsyncedLen; hops = (v.cuHops, v.cdHops)
                                    return res
                                }
                            }
                        }
                    }
                }
            }
        }
        pipeHead = head
        unsyncedLen = len
        if hopType[0] >= 0 { executed[hopType[0]] &+= hops.cu }
        if hopType[1] >= 0 { executed[hopType[1]] &+= hops.cd }
        return result
    }

    /// The hop kernel (`HopKernel.swift`).
    public static func burst(_ engine: inout Engine<ExchangeModel>, maxEvents: UInt64, done: inout UInt64) -> Bool {
        engine.hopBurst(maxEvents: maxEvents, done: &done)
    }

    /// Complete every pending record and write the deferred sites now (before any event that is not a
    /// hop, and before anything reads the records or site arrays from outside the hop path).
    mutating func settle() {
        synchronize()
        for k in 0..<pipeAtom.count {
            let a = Int(pipeAtom[k])
            if a >= 0 && a < atomCount && isPending(a) { fillRow(a) }
            pipeAtom[k] = -1
        }
    }

    /// Record-fill pipeline step after atom `a` arrived at `j` (`RecordPipeline.advance`).
    @inline(__always) mutating func advancePipeline(_ a: Int32, _ j: Int) {
        var head = pipeHead
        let stride = recordStride, z = hopDegree, off = recordOffset
        records.withUnsafeMutableBufferPointer { r in
            hopRow.withUnsafeBufferPointer { h in
                pipeAtom.withUnsafeMutableBufferPointer { pa in
                    pipeSeq.withUnsafeMutableBufferPointer { ps in
                        RecordPipeline(atom: pa.baseAddress!, seq: ps.baseAddress!, depth: pa.count)
                            .advance(AtomRecords(base: r.baseAddress! + off, stride: stride, hopRow: h.baseAddress!, hopDegree: z),
                                     head: &head, a, j)
                    }
                }
            }
        }
        pipeHead = head
    }

    /// Register a new mobile atom at `x` (species from `occupant`) and file its hop slot. Pipeline settled.
    mutating func addAtom(_ x: Int, _ t: inout RateClassTable) {
        let a = Int32(atomCount)
        atomCount += 1
        if records.count + recordStride > records.capacity {
            // Grow in huge-page-backed storage: the hop path reads random records.
            reallocateRecords(capacity: Swift.max(2 * records.capacity, 1 << 20), keeping: atomCount - 1)
        }
        records.append(contentsOf: repeatElement(0, count: recordStride))
        records[recordIndex(Int(a)) + AtomRecord.site] = UInt32(bitPattern: Int32(x))
        records[recordIndex(Int(a)) + AtomRecord.flags] = UInt32(occupant[x].rawValue)
        siteAtom[x] = a
        fillRecord(Int(a))
        t.assign(baseAtom + a, to: atomClass(occupant[x], siteWord[x]))
    }

    /// Move the first `kept` records into fresh huge-page-backed storage with room for `capacity`
    /// record words, padded in front so that record 0 starts on a 64-byte line: a record of
    /// `recordStride` words is then exactly one (or two) cache lines, one prefetch on the hop path. O(kept).
    mutating func reallocateRecords(capacity: Int, keeping kept: Int) {
        let line = 16
        var fresh = [UInt32].hugePaged(copying: [UInt32](repeating: 0, count: line), capacity: capacity + line)
        let misalign = fresh.withUnsafeBufferPointer { (Int(bitPattern: $0.baseAddress!) & 63) / 4 }
        let pad = (line - misalign) % line
        fresh.removeLast(line - pad)
        fresh.append(contentsOf: records[recordOffset..<(recordOffset + kept * recordStride)])
        records = fresh
        recordOffset = pad
    }

    /// Remove the mobile atom at `x`; the last atom takes its id (and hop slot).
    mutating func removeAtom(_ x: Int, _ t: inout RateClassTable) {
        let a = siteAtom[x]
        let last = Int32(atomCount - 1)
        t.assign(baseAtom + a, to: -1)
        if a != last {
            let y = siteOf(Int(last))
            t.assign(baseAtom + last, to: -1)
            for k in 0..<recordStride { records[recordIndex(Int(a)) + k] = records[recordIndex(Int(last)) + k] }
            siteAtom[y] = a
            fillRecord(Int(a))
            t.assign(baseAtom + a, to: atomClass(species(Int(a)), siteWord[y]))
        }
        atomCount -= 1
        records.removeLast(recordStride)
        siteAtom[x] = -1
    }

    /// Rebuild the atom list: in `order` (sites) when given, else in site order. O(N).
    mutating func rebuildAtoms(order: [Int32]? = nil) throws {
        for a in 0..<atomCount { siteAtom[siteOf(a)] = -1 }
        var atomSite: [Int32] = []
        for k in 0..<pipeAtom.count { pipeAtom[k] = -1 }
        defer {
            atomCount = atomSite.count
            reallocateRecords(capacity: atomCount * recordStride, keeping: 0)
            records.append(contentsOf: repeatElement(0, count: atomCount * recordStride))
            for (a, x) in atomSite.enumerated() {
                records[recordIndex(a) + AtomRecord.site] = UInt32(bitPattern: x)
                records[recordIndex(a) + AtomRecord.flags] = UInt32(occupant[Int(x)].rawValue)
                fillRecord(a)
            }
        }
        let kinds = topo.kinds
        func isInterstitial(_ x: Int) -> Bool { kinds[x] == .tetra || kinds[x] == .octa }
        if let order {
            for x in order {
                guard x >= 0, Int(x) < topo.siteCount, isInterstitial(Int(x)), occupant[Int(x)] != .empty, siteAtom[Int(x)] < 0 else {
                    throw CheckpointError("checkpoint atom list is inconsistent at site \(x)")
                }
                siteAtom[Int(x)] = Int32(atomSite.count); atomSite.append(x)
            }
        }
        for x in 0..<topo.siteCount where isInterstitial(x) && occupant[x] != .empty && siteAtom[x] < 0 {
            guard order == nil else { throw CheckpointError("checkpoint atom list misses the atom at site \(x)") }
            siteAtom[x] = Int32(atomSite.count); atomSite.append(Int32(x))
        }
    }
}

/// The record-fill pipeline on raw memory: a ring of the last `depth` arrivals (atom, its arrival
/// number). Shared by the general hop path (`ExchangeModel.advancePipeline`) and the hop kernel.
struct RecordPipeline {
    let atom: UnsafeMutablePointer<Int32>
    let seq: UnsafeMutablePointer<UInt32>
    let depth: Int

    /// After atom `a` arrived at `j`: complete the record of the arrival `depth` hops ago (its row
    /// line was prefetched then; skipped if that atom has moved or been filled since), enter `a`,
    /// and prefetch row j.
    @inline(__always) func advance(_ records: AtomRecords, head: inout Int, _ a: Int32, _ j: Int) {
        let rec = records.base, stride = records.stride
        let h = head
        let old = Int(atom[h])
        if old >= 0 {
            let r = old &* stride
            if rec[r &+ AtomRecord.flags] & AtomRecord.pending != 0 && rec[r &+ AtomRecord.arrivals] == seq[h] { records.fillRow(old) }
        }
        atom[h] = a
        seq[h] = rec[Int(a) &* stride &+ AtomRecord.arrivals]
        head = h &+ 1 == depth ? 0 : h &+ 1
        cekmc_prefetch(records.hopRow + j &* 2 &* records.hopDegree)
    }
}

/// Raw view of the atom records and hop rows: the one implementation of the record operations the
/// safe path (`ExchangeModel.fillRow`) and the hop kernel (`HopView`) share. Valid only inside the
/// scope that made it.
struct AtomRecords {
    /// Record 0 (records are `stride` words apart).
    let base: UnsafeMutablePointer<UInt32>
    let stride: Int
    let hopRow: UnsafePointer<UInt32>
    let hopDegree: Int

    /// Copy the hop row of atom a's site into its record and clear its pending flag.
    @inline(__always) func fillRow(_ a: Int) {
        let r = a &* stride
        let n = 2 &* hopDegree
        let x = Int(Int32(bitPattern: base[r &+ AtomRecord.site]))
        let src = hopRow + x &* n, dst = base + (r &+ AtomRecord.row)
        if n == 8 {
            // The common row (4 channels): one 32-byte copy.
            UnsafeMutableRawPointer(dst).storeBytes(of: UnsafeRawPointer(src).loadUnaligned(as: SIMD8<UInt32>.self),
                                                    as: SIMD8<UInt32>.self)
        } else {
            for k in 0..<n { dst[k] = src[k] }
        }
        base[r &+ AtomRecord.flags] &= ~AtomRecord.pending
    }
}
