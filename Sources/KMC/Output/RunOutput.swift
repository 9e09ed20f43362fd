// The output directory of one run and what the run loop calls at each output.
//
//   OUTDIR/timeseries.csv      one row per output (OutputSchema.timeseries + extra columns)
//   OUTDIR/domains.csv         one row per domain per output
//   OUTDIR/domain_events.csv   births, merges, splits, reversals, vanishes
//   OUTDIR/entry_points.csv    where each domain was first seen
//   OUTDIR/fronts.csv          interfaces of spanning domains (position, width)
//   OUTDIR/axial_profile.csv   atom counts per axial bin per output (kymograph data)
//   OUTDIR/maps/index.csv, maps/cu_NNNNNN.npy, maps/cd_NNNNNN.npy   projected maps, (nZ, nU) Int32
//   OUTDIR/snapshots/index.csv, snapshots/snapshot_NNNNNN.xyz       extended XYZ
//   OUTDIR/summary.json        deterministic for a given input + seed, except its `timing` object
//   OUTDIR/timing.json         wall-clock facts (differ between runs)
//
// Every file is written atomically (AtomicFile). CSV tables are kept in memory and rewritten whole at
// each output (default), so an interrupted run keeps every row up to its last output. Rewriting costs
// O(file size) per output; for very long runs set `minFlushInterval_s` (wall time) so tables are
// rewritten at most that often, and call `flush()` whenever a checkpoint is written — the files are
// then complete up to the last flush, which is never older than the last checkpoint.
// Domain-event totals are accumulated for summary.json.

/// Writes all outputs of a run into one directory.
public struct RunOutput: Sendable {
    /// The output directory.
    public let directory: String
    /// Names of the extra timeseries columns (after the standard ones).
    public let extraTimeseriesColumns: [String]
    /// timeseries.csv content.
    public private(set) var timeseries: CSVTable
    /// domains.csv content.
    public private(set) var domains: CSVTable
    /// domain_events.csv content.
    public private(set) var domainEvents: CSVTable
    /// entry_points.csv content.
    public private(set) var entryPoints: CSVTable
    /// fronts.csv content.
    public private(set) var fronts: CSVTable
    /// axial_profile.csv content.
    public private(set) var axialProfile: CSVTable
    /// maps/index.csv content.
    public private(set) var mapsIndex: CSVTable
    /// snapshots/index.csv content.
    public private(set) var snapshotsIndex: CSVTable
    /// Domain events so far, by kind name (all kinds present, zero included).
    public private(set) var domainEventTotals: [String: Int]
    /// Minimum wall time between two rewrites of the CSV tables by `record`, s (default 0: every output).
    public var minFlushInterval_s: Double = 0
    /// Whether rows were appended since the tables were last written.
    public private(set) var hasUnflushedRows = false
    private var lastFlush_s = -Double.infinity
    private var dirtyEvents = false
    private var dirtyEntries = false

    /// Path of a file inside the output directory.
    public func path(_ name: String) -> String { directory + "/" + name }

    /// Creates the directory (and maps/, snapshots/) and empty tables, or — with `resumeAt_s` — reloads
    /// the existing tables keeping only rows with time_s ≤ resumeAt_s.
    /// - Parameters:
    ///   - directory: output directory (created if missing).
    ///   - extraTimeseriesColumns: names of extra timeseries columns, appended after the standard ones.
    ///   - resumeAt_s: checkpoint time to resume from (nil: start afresh, existing files are replaced).
    /// - Throws: `OutputError` on I/O failure or when a resumed table's header differs.
    public init(directory: String, extraTimeseriesColumns: [String] = [], resumeAt_s: Double? = nil) throws {
        let clash = Set(OutputSchema.timeseries).intersection(extraTimeseriesColumns)
        guard clash.isEmpty, Set(extraTimeseriesColumns).count == extraTimeseriesColumns.count else {
            throw OutputError.invalid(component: "RunOutput", key: "extraTimeseriesColumns",
                                      message: "names must be unique and differ from the standard columns; got \(extraTimeseriesColumns)")
        }
        self.directory = directory
        self.extraTimeseriesColumns = extraTimeseriesColumns
        try AtomicFile.createDirectory(directory)
        try AtomicFile.createDirectory(directory + "/maps")
        try AtomicFile.createDirectory(directory + "/snapshots")
        func table(_ name: String, _ header: [String]) throws -> CSVTable {
            guard let t = resumeAt_s else { return CSVTable(header: header) }
            return try CSVTable(resuming: directory + "/" + name, header: header, upTo_s: t)
        }
        timeseries = try table("timeseries.csv", OutputSchema.timeseries + extraTimeseriesColumns)
        domains = try table("domains.csv", OutputSchema.domains)
        domainEvents = try table("domain_events.csv", OutputSchema.domainEvents)
        entryPoints = try table("entry_points.csv", OutputSchema.entryPoints)
        fronts = try table("fronts.csv", OutputSchema.fronts)
        axialProfile = try table("axial_profile.csv", OutputSchema.axialProfile)
        // The index tables start with a snapshot number; their time is column 1.
        if let t = resumeAt_s {
            mapsIndex = try Self.reloadIndex(directory + "/maps/index.csv", OutputSchema.mapsIndex, upTo_s: t)
            snapshotsIndex = try Self.reloadIndex(directory + "/snapshots/index.csv", OutputSchema.snapshotsIndex, upTo_s: t)
        } else {
            mapsIndex = CSVTable(header: OutputSchema.mapsIndex)
            snapshotsIndex = CSVTable(header: OutputSchema.snapshotsIndex)
        }
        domainEventTotals = Dictionary(uniqueKeysWithValues: DomainEventKind.allCases.map { ($0.rawValue, 0) })
        if resumeAt_s != nil {  // recount the totals from the kept rows
            let parsed = try CSVTable.parse(String(decoding: domainEvents.bytes, as: UTF8.self))
            for row in parsed.rows { domainEventTotals[row[2], default: 0] += 1 }
        }
        try writeTables(all: true)
    }

    /// Records one observation: appends its rows to every table and rewrites the changed files atomically
    /// (at once, or at the next flush when `minFlushInterval_s` has not elapsed).
    /// - Parameters:
    ///   - o: the observation of this output.
    ///   - cuInterstitials: Cu interstitials now.
    ///   - cdInterstitials: Cd interstitials now.
    ///   - events: KMC events executed so far (cumulative).
    ///   - extra: values of the extra timeseries columns (count must match).
    ///   - profile: the axial profile of this output (no rows when nil).
    public mutating func record(_ o: Observation, cuInterstitials: Int, cdInterstitials: Int, events: Int,
                                extra: [Double] = [], profile: AxialProfile? = nil) throws {
        precondition(extra.count == extraTimeseriesColumns.count,
                     "RunOutput.record: \(extra.count) extra values for columns \(extraTimeseriesColumns)")
        let t = CSVFormat.number(o.time_s), c = CSVFormat.number(o.temperature_C)
        timeseries.append([t, c, CSVFormat.number(o.exchangedFraction), CSVFormat.number(o.exchangedVolume_nm3),
                           CSVFormat.number(o.shellCuPerNm), String(o.domainCount), String(cuInterstitials),
                           String(cdInterstitials), String(events)] + extra.map(CSVFormat.number))
        for d in o.domains {
            let g = d.geometry
            domains.append([t, c, String(d.id), CSVFormat.number(g.zMin_nm), CSVFormat.number(g.zMax_nm),
                            CSVFormat.number(g.length_nm), String(g.nSites), CSVFormat.flag(g.spans)])
            for (end, f) in [("lower", g.lowerFront), ("upper", g.upperFront)] {
                guard let f else { continue }
                fronts.append([t, c, String(d.id), end, CSVFormat.number(f.mean_nm), CSVFormat.number(f.std_nm),
                               CSVFormat.number(f.range_nm), String(f.columns)])
            }
        }
        for e in o.events {
            domainEvents.append([t, c, e.kind.rawValue, String(e.domainId), CSVFormat.ids(e.otherIds), String(e.nSites),
                                 CSVFormat.number(e.z_nm), String(e.maxSites), CSVFormat.number(e.maxLength_nm)])
            domainEventTotals[e.kind.rawValue, default: 0] += 1
        }
        for p in o.entries {
            entryPoints.append([t, c, String(p.domainId), String(p.nSites), String(p.site), CSVFormat.number(p.z_nm),
                                CSVFormat.number(p.theta_deg), CSVFormat.number(p.r_nm),
                                CSVFormat.number(p.nearestVacancy_nm), p.label])
        }
        if let p = profile {
            for b in 0..<p.binCount {
                axialProfile.append([t, c, CSVFormat.number(p.center_nm(b))]
                                    + AxialProfile.Column.allCases.map { String(p.count($0, bin: b)) })
            }
        }
        hasUnflushedRows = true
        dirtyEvents = dirtyEvents || !o.events.isEmpty
        dirtyEntries = dirtyEntries || !o.entries.isEmpty
        if minFlushInterval_s <= 0 || monotonicSeconds() - lastFlush_s >= minFlushInterval_s { try flush() }
    }

    /// Rewrites the CSV tables that have unwritten rows (atomically). Call at checkpoints and at the end.
    public mutating func flush() throws {
        guard hasUnflushedRows else { return }
        try writeTables(all: false, events: dirtyEvents, entries: dirtyEntries)
        hasUnflushedRows = false; dirtyEvents = false; dirtyEntries = false
        lastFlush_s = monotonicSeconds()
    }

    /// Writes a pair of projected maps as maps/cu_NNNNNN.npy and maps/cd_NNNNNN.npy ((nZ, nU) Int32) and indexes them.
    /// - Returns: the snapshot number used.
    @discardableResult
    public mutating func writeMaps(cu: ProjectedMap, cd: ProjectedMap, time_s: Double, temperature_C: Double) throws -> Int {
        precondition(cu.grid == cd.grid, "RunOutput.writeMaps: Cu and Cd maps must share one grid")
        let k = mapsIndex.rowCount
        let name = Self.number(k)
        try NpyFile.write(cu, to: path("maps/cu_\(name).npy"))
        try NpyFile.write(cd, to: path("maps/cd_\(name).npy"))
        let g = cu.grid
        mapsIndex.append([String(k), CSVFormat.number(time_s), CSVFormat.number(temperature_C), "cu_\(name).npy",
                          "cd_\(name).npy", CSVFormat.number(g.binSize_A / 10), CSVFormat.number(g.uMin_A / 10),
                          CSVFormat.number(g.zMin_A / 10), String(g.nU), String(g.nZ)])
        try mapsIndex.write(to: path("maps/index.csv"))
        return k
    }

    /// Writes an extended-XYZ snapshot as snapshots/snapshot_NNNNNN.xyz and indexes it.
    /// - Returns: the snapshot number used.
    @discardableResult
    public mutating func writeSnapshot(_ frame: ExtendedXYZWriter) throws -> Int {
        let k = snapshotsIndex.rowCount
        let file = "snapshot_\(Self.number(k)).xyz"
        try frame.write(to: path("snapshots/" + file))
        snapshotsIndex.append([String(k), CSVFormat.number(frame.time_s), CSVFormat.number(frame.temperature_C),
                               file, String(frame.atomCount)])
        try snapshotsIndex.write(to: path("snapshots/index.csv"))
        return k
    }

    /// Writes summary.json (deterministic content: see RunSummary).
    public func writeSummary<T: Encodable>(_ summary: T) throws {
        try JSONOutput.write(summary, to: path("summary.json"))
    }

    /// Writes timing.json (wall-clock content).
    public func writeTiming(_ timing: RunTiming) throws {
        try JSONOutput.write(timing, to: path("timing.json"))
    }

    private func writeTables(all: Bool, events: Bool = false, entries: Bool = false) throws {
        try timeseries.write(to: path("timeseries.csv"))
        try domains.write(to: path("domains.csv"))
        try fronts.write(to: path("fronts.csv"))
        try axialProfile.write(to: path("axial_profile.csv"))
        if all || events { try domainEvents.write(to: path("domain_events.csv")) }
        if all || entries { try entryPoints.write(to: path("entry_points.csv")) }
        if all {
            try mapsIndex.write(to: path("maps/index.csv"))
            try snapshotsIndex.write(to: path("snapshots/index.csv"))
        }
    }

    private static func reloadIndex(_ p: String, _ header: [String], upTo_s: Double) throws -> CSVTable {
        var t = CSVTable(header: header)
        guard let data = try AtomicFile.read(p) else { return t }
        let parsed = try CSVTable.parse(String(decoding: data, as: UTF8.self), path: p)
        guard parsed.header == header else {
            throw OutputError.malformed(path: p, line: 1, message: "header \(parsed.header) differs from expected \(header)")
        }
        for row in parsed.rows where (Double(row[1]) ?? .infinity) <= upTo_s { t.append(row) }
        return t
    }

    private static func number(_ k: Int) -> String {
        let s = String(k)
        return String(repeating: "0", count: max(0, 6 - s.count)) + s
    }
}
