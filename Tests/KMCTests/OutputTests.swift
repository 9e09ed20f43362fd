import Testing
import Geometry
@testable import KMC

import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A fresh empty directory under /tmp, removed by `cleanup`.
func makeTempDir(_ tag: String) throws -> String {
    var template = Array("/tmp/cekmc-\(tag)-XXXXXX".utf8CString)
    guard let p = mkdtemp(&template) else { throw OutputError.io(path: "/tmp", operation: "mkdtemp", errno: errno) }
    return String(cString: p)
}

func removeTree(_ path: String) {
    if let names = try? AtomicFile.list(path) {
        for n in names {
            let p = path + "/" + n
            var st = stat()
            if stat(p, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR { removeTree(p) } else { unlink(p) }
        }
    }
    rmdir(path)
}

func readText(_ path: String) throws -> String {
    String(decoding: try #require(try AtomicFile.read(path)), as: UTF8.self)
}

@Suite(.serialized) struct OutputFileTests {
    @Test func atomicWriteReplacesWholeContentAndLeavesNoTempFiles() throws {
        let dir = try makeTempDir("atomic")
        defer { removeTree(dir) }
        let p = dir + "/data.txt"
        try AtomicFile.write("old content\n", to: p)
        #expect(try readText(p) == "old content\n")
        let big = String(repeating: "0123456789", count: 100_000)
        try AtomicFile.write(big, to: p)
        #expect(try readText(p) == big)
        #expect(try AtomicFile.list(dir) == ["data.txt"])
        // A failing write (missing directory) throws and creates nothing; the old file is intact.
        #expect(throws: OutputError.self) { try AtomicFile.write("x", to: dir + "/missing/data.txt") }
        #expect(try AtomicFile.list(dir) == ["data.txt"])
        #expect(try readText(p) == big)
    }

    @Test func createDirectoryMakesParents() throws {
        let dir = try makeTempDir("mkdir")
        defer { removeTree(dir) }
        try AtomicFile.createDirectory(dir + "/a/b/c")
        try AtomicFile.createDirectory(dir + "/a/b/c")   // idempotent
        #expect(try AtomicFile.list(dir + "/a/b") == ["c"])
        try AtomicFile.write("f", to: dir + "/a/file")
        #expect(throws: OutputError.self) { try AtomicFile.createDirectory(dir + "/a/file") }
    }

    @Test func csvQuotingRoundTrips() throws {
        var t = CSVTable(header: ["a", "b", "c"])
        t.append(["1", "x,y", "say \"hi\""])
        t.append(["2", "", "line\nbreak"])
        let text = String(decoding: t.bytes, as: UTF8.self)
        #expect(text.hasPrefix("a,b,c\n1,\"x,y\",\"say \"\"hi\"\"\"\n"))
        let parsed = try CSVTable.parse(text)
        #expect(parsed.header == ["a", "b", "c"])
        #expect(parsed.rows == [["1", "x,y", "say \"hi\""], ["2", "", "line\nbreak"]])
        #expect(throws: OutputError.self) { _ = try CSVTable.parse("a,b\n1\n") }
        #expect(throws: OutputError.self) { _ = try CSVTable.parse("a,b\n\"1,2\n") }
    }

    @Test func numbersRoundTripExactly() {
        for x in [0.1, 1.0 / 3.0, 5e-5, 1e16, -2.5, 123456.789e-300] {
            #expect(Double(CSVFormat.number(x)) == x)
        }
        #expect(CSVFormat.number(0.1) == "0.1")
        #expect(CSVFormat.flag(true) == "1" && CSVFormat.flag(false) == "0")
        #expect(CSVFormat.ids([3, 7]) == "3;7" && CSVFormat.ids([]) == "")
    }

    @Test func npyBytesMatchNumpy() throws {
        // Reference bytes from numpy 2.4: np.save(f, np.arange(6, dtype='<i4').reshape(2, 3)).
        let dict = "{'descr': '<i4', 'fortran_order': False, 'shape': (2, 3), }"
        let header: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, 0x76, 0x00] + Array(dict.utf8)
            + [UInt8](repeating: 0x20, count: 118 - dict.utf8.count - 1) + [0x0A]
        var expected = header
        for v: Int32 in 0..<6 { withUnsafeBytes(of: v.littleEndian) { expected += $0 } }
        let bytes = NpyFile.encode(int32: [0, 1, 2, 3, 4, 5], shape: [2, 3])
        #expect(bytes == expected)
        let back = try NpyFile.decode(bytes)
        #expect(back.descr == "<i4" && back.shape == [2, 3] && back.int32Values == [0, 1, 2, 3, 4, 5])
        // 1-D float64: shape "(2,)", and every header is 64-byte aligned.
        let f = NpyFile.encode(float64: [1.5, -2.0], shape: [2])
        #expect(String(decoding: f[10..<70], as: UTF8.self).contains("'shape': (2,), }"))
        #expect((f.count - 16) % 64 == 0)
        #expect(try NpyFile.decode(f).float64Values == [1.5, -2.0])
        #expect(throws: OutputError.self) { _ = try NpyFile.decode(Array(f.dropLast())) }
    }

    @Test func extendedXYZWritesAndParsesBack() throws {
        let dir = try makeTempDir("xyz")
        defer { removeTree(dir) }
        let w = try CubicWire(nx: 3, ny: 3, nz: 4, a: 3)
        var codes = w.pristine()
        w.exchangeLayers(&codes, 0...1)
        var frame = ExtendedXYZWriter(wire: w.frame, padding_A: 10, time_s: 12.5, temperature_C: 125)
        codes.withUnsafeBufferPointer { c in
            frame.append(symbol: "Cu", frame: w.frame, codes: c, matching: CationCodes.standard.copper)
            frame.append(symbol: "Cd", frame: w.frame, codes: c, matching: CationCodes.standard.cadmium)
        }
        frame.append(symbol: "Se", position: SIMD3(-1.25, 2, 3))
        #expect(frame.atomCount == 37)
        let p = dir + "/s.xyz"
        try frame.write(to: p)
        let text = try readText(p)
        let lines = text.split(separator: "\n")
        #expect(lines[0] == "37")
        #expect(lines[1] == "Lattice=\"29.0 0.0 0.0 0.0 29.0 0.0 0.0 0.0 32.0\" Properties=species:S:1:pos:R:3 Time=12.5 Temperature_C=125.0 pbc=\"F F F\"")
        // Fixed point with 5 decimals, relative to the box origin (−11.5, −11.5, −10).
        #expect(lines[38] == "Se 10.25000 13.50000 13.00000")
        #expect(ExtendedXYZWriter(cell_A: SIMD3(1.5, 2, 3), time_s: 1e-5).commentLine
                == "Lattice=\"1.5 0.0 0.0 0.0 2.0 0.0 0.0 0.0 3.0\" Properties=species:S:1:pos:R:3 Time=1e-05 pbc=\"F F F\"")
        let frames = try ExtendedXYZ.parse(text)
        #expect(frames.count == 1)
        let f = frames[0]
        #expect(f.pbc == (false, false, false) && f.info["Time"] == "12.5" && f.info["Temperature_C"] == "125.0")
        #expect(f.lattice == .orthorhombic(SIMD3(29, 29, 32)))
        #expect(f.species.filter { $0 == "Cu" }.count == 18 && f.species.filter { $0 == "Cd" }.count == 18)
        // Positions are written relative to the box origin (axis − d/2 − padding, z0 − padding); d = 9 Å, axis (3, 3).
        let origin = SIMD3(3.0 - 14.5, 3.0 - 14.5, -10)
        #expect(f.positions[0] == w.frame.position(0) - origin)
        let se = f.positions[36] + origin
        #expect(abs(se.x + 1.25) < 1e-9 && abs(se.y - 2) < 1e-9 && abs(se.z - 3) < 1e-9)
        // Every atom lies inside the box.
        #expect(f.positions.allSatisfy { $0.x >= 0 && $0.y >= 0 && $0.z >= 0 && $0.x <= 29 && $0.y <= 29 && $0.z <= 32 })
        #expect(throws: ExtendedXYZError.self) { _ = try ExtendedXYZ.parse("3\nProperties=species:S:1:pos:R:3\nCu 0 0 0\n") }
    }

    @Test func summaryJSONIsDeterministicAndKeepsWallClockOut() throws {
        let dir = try makeTempDir("summary")
        defer { removeTree(dir) }
        let w = try CubicWire(nx: 3, ny: 3, nz: 4)
        var obs = try WireObserver(frame: w.frame)
        let o = obs.observe(time_s: 10, temperature_C: 400, cationCodes: w.pristine(), shellCopper: 4)
        let input: [String: JSONValue] = ["zeta": .double(0.5), "alpha": .string("zb"), "list": .array([.int(1), .null])]
        let s = RunSummary(program: "cekmc test", effectiveInput: input, seed: 42, generator: "mt19937",
                           simulatedTime_s: 10, totalEvents: 1000, eventCounts: ["hop": 900, "kick_off": 100],
                           finalObservables: FinalObservables(o, cuInterstitials: 1, cdInterstitials: 2,
                                                              domainEvents: ["birth": 0]),
                           extra: ["inf": .double(.infinity)])
        let a = try JSONOutput.encode(s), b = try JSONOutput.encode(s)
        #expect(a == b)
        let text = String(decoding: a, as: UTF8.self)
        #expect(!text.contains("wall"))
        #expect(text.contains("\"inf\" : \"inf\""))
        // Sorted keys: effective_input's "alpha" before "list" before "zeta"; top level alphabetical.
        let ia = try #require(text.firstRange(of: "\"alpha\"")), il = try #require(text.firstRange(of: "\"list\"")),
            iz = try #require(text.firstRange(of: "\"zeta\""))
        #expect(ia.lowerBound < il.lowerBound && il.lowerBound < iz.lowerBound)
        let keys = ["effective_input", "event_counts", "extra", "final", "generator", "program", "seed",
                    "simulated_time_s", "total_events"]
        let topLevel = text.split(separator: "\n").filter { $0.hasPrefix("  \"") }.map { String($0.dropFirst(3).prefix { $0 != "\"" }) }
        #expect(topLevel == keys)
        let out = try RunOutput(directory: dir + "/run")
        try out.writeSummary(s)
        try out.writeTiming(RunTiming(wallTime_s: 2, events: 1000, startedAt: "a", finishedAt: "b"))
        #expect(try AtomicFile.read(dir + "/run/summary.json") == a)
        #expect(try readText(dir + "/run/timing.json").contains("\"events_per_second\" : 500"))
        // JSONValue decodes what it encodes.
        let back = try JSONDecoder().decode([String: JSONValue].self, from: Data(try JSONOutput.encode(input)))
        #expect(back == input)
    }
}

@Suite(.serialized) struct OutputRunTests {
    @Test func csvHeadersAreExact() throws {
        let dir = try makeTempDir("headers")
        defer { removeTree(dir) }
        _ = try RunOutput(directory: dir, extraTimeseriesColumns: ["n_shell_cu"])
        func firstLine(_ name: String) throws -> String { String(try readText(dir + "/" + name).split(separator: "\n")[0]) }
        #expect(try firstLine("timeseries.csv") == "time_s,temperature_C,exchanged_fraction,exchanged_volume_nm3,shell_cu_per_nm,n_domains,n_cu_interstitial,n_cd_interstitial,events,n_shell_cu")
        #expect(try firstLine("domains.csv") == "time_s,temperature_C,domain_id,z_min_nm,z_max_nm,length_nm,n_sites,spans")
        #expect(try firstLine("domain_events.csv").hasPrefix("time_s,temperature_C,event,domain_id,other_ids,n_sites,z_nm"))
        #expect(try firstLine("entry_points.csv") == "time_s,temperature_C,domain_id,n_sites,site,z_nm,theta_deg,r_nm,nearest_vacancy_nm,label")
        #expect(try firstLine("fronts.csv") == "time_s,temperature_C,domain_id,end,z_nm,width_std_nm,width_range_nm,n_columns")
        #expect(throws: OutputError.self) { _ = try RunOutput(directory: dir, extraTimeseriesColumns: ["events"]) }
    }

    // Three outputs of a small run: birth of two domains, growth, merge.
    func recordRun(into dir: String) throws -> RunOutput {
        let w = try CubicWire(nx: 4, ny: 4, nz: 30, a: 3)
        var obs = try WireObserver(frame: w.frame)
        var out = try RunOutput(directory: dir, extraTimeseriesColumns: ["x2"])
        var codes = w.pristine()
        w.exchangeLayers(&codes, 2...4)
        w.exchange(&codes, i: 0...0, j: 0...0, k: 10...12)
        for (t, extend) in [(1.0, 0), (2.0, 1), (3.0, 2)] {
            if extend == 1 { w.exchangeLayers(&codes, 5...6) }
            if extend == 2 { w.exchange(&codes, i: 0...0, j: 0...0, k: 7...9) }
            let o = obs.observe(time_s: t, temperature_C: 100 + t, cationCodes: codes, shellCopper: 3)
            try out.record(o, cuInterstitials: 5, cdInterstitials: 6, events: Int(t) * 100, extra: [t * t])
            obs.projectCations(codes: codes)
            try out.writeMaps(cu: obs.cuMap, cd: obs.cdMap, time_s: t, temperature_C: 100 + t)
        }
        return out
    }

    @Test func runOutputWritesRowsMapsAndEvents() throws {
        let dir = try makeTempDir("run")
        defer { removeTree(dir) }
        let out = try recordRun(into: dir)
        let ts = try CSVTable.parse(try readText(dir + "/timeseries.csv"))
        #expect(ts.rows.count == 3)
        // 86 of 480 sites exchanged; d = 1.2 nm, L = 9 nm; 3 shell Cu / 9 nm.
        let x = 86.0 / 480.0
        #expect(ts.rows[2] == ["3.0", "103.0", String(x), String(x * (Double.pi * 0.6 * 0.6 * 9.0)), String(3.0 / 9.0),
                               "1", "5", "6", "300", "9.0"])
        let dom = try CSVTable.parse(try readText(dir + "/domains.csv"))
        #expect(dom.rows.map { $0[2] } == ["1", "2", "1", "2", "1"])
        #expect(dom.rows[0] == ["1.0", "101.0", "1", "0.6", "1.2", "0.9", "48", "1"])
        let ev = try CSVTable.parse(try readText(dir + "/domain_events.csv"))
        #expect(ev.rows.map { $0[2] } == ["birth", "birth", "merge"])
        #expect(ev.rows[2][3] == "1" && ev.rows[2][4] == "2")
        #expect(out.domainEventTotals["merge"] == 1 && out.domainEventTotals["birth"] == 2 && out.domainEventTotals["reversal"] == 0)
        let fr = try CSVTable.parse(try readText(dir + "/fronts.csv"))
        #expect(fr.rows.first?[3] == "lower" && fr.rows.first?[5] == "0.0")
        let maps = try CSVTable.parse(try readText(dir + "/maps/index.csv"))
        #expect(maps.rows.map { $0[3] } == ["cu_000000.npy", "cu_000001.npy", "cu_000002.npy"])
        let cu = try NpyFile.decode(try #require(try AtomicFile.read(dir + "/maps/cu_000002.npy")))
        #expect(cu.int32Values.reduce(0, +) == 86)
        #expect(cu.shape == [Int(maps.rows[2][9])!, Int(maps.rows[2][8])!])
        // Only final files remain: no temporaries.
        #expect(try AtomicFile.list(dir).allSatisfy { !$0.hasPrefix(".") })
        #expect(try AtomicFile.list(dir + "/maps").count == 7)
    }

    @Test func resumeKeepsRowsUpToTheCheckpoint() throws {
        let dir = try makeTempDir("resume")
        defer { removeTree(dir) }
        _ = try recordRun(into: dir)
        let r = try RunOutput(directory: dir, extraTimeseriesColumns: ["x2"], resumeAt_s: 2)
        #expect(r.timeseries.rowCount == 2)
        #expect(r.domains.rowCount == 4)
        #expect(r.domainEvents.rowCount == 2)
        #expect(r.domainEventTotals["birth"] == 2 && r.domainEventTotals["merge"] == 0)
        #expect(r.mapsIndex.rowCount == 2)
        #expect(try CSVTable.parse(try readText(dir + "/timeseries.csv")).rows.count == 2)
        #expect(throws: OutputError.self) { _ = try RunOutput(directory: dir, extraTimeseriesColumns: [], resumeAt_s: 2) }
    }

    @Test func throttledFlushWritesOnlyOnFlush() throws {
        let dir = try makeTempDir("flush")
        defer { removeTree(dir) }
        let w = try CubicWire(nx: 3, ny: 3, nz: 6)
        var obs = try WireObserver(frame: w.frame)
        var out = try RunOutput(directory: dir)
        out.minFlushInterval_s = 1e9
        var codes = w.pristine()
        codes[0] = CationCodes.standard.copper
        for t in [1.0, 2.0] {
            let o = obs.observe(time_s: t, temperature_C: 25, cationCodes: codes, shellCopper: 0)
            try out.record(o, cuInterstitials: 0, cdInterstitials: 0, events: 0)
        }
        // The first record flushes (nothing was flushed yet); the second waits for flush().
        #expect(try CSVTable.parse(try readText(dir + "/timeseries.csv")).rows.count == 1)
        #expect(out.hasUnflushedRows)
        try out.flush()
        #expect(!out.hasUnflushedRows)
        #expect(try CSVTable.parse(try readText(dir + "/timeseries.csv")).rows.count == 2)
        #expect(try CSVTable.parse(try readText(dir + "/domain_events.csv")).rows.map { $0[2] } == ["birth"])
    }

    @Test func sameInputsGiveByteIdenticalFiles() throws {
        let d1 = try makeTempDir("same1"), d2 = try makeTempDir("same2")
        defer { removeTree(d1); removeTree(d2) }
        _ = try recordRun(into: d1)
        _ = try recordRun(into: d2)
        for name in ["timeseries.csv", "domains.csv", "domain_events.csv", "entry_points.csv", "fronts.csv",
                     "maps/index.csv", "maps/cu_000002.npy"] {
            #expect(try AtomicFile.read(d1 + "/" + name) == AtomicFile.read(d2 + "/" + name), "\(name)")
        }
    }
}

@Suite struct OutputProgressTests {
    final class Box: @unchecked Sendable { var text: [String] = []; var now = 0.0 }

    @Test func terminalModeRedrawsOneThrottledLine() {
        let box = Box()
        var p = ProgressReporter(mode: .terminal, interval_s: 1, clock: { box.now }, sink: { box.text.append($0) })
        box.now = 0.5
        let shown1 = p.update(time_s: 1, temperature_C: 125, exchangedFraction: 0.1, events: 10)
        #expect(!shown1)
        box.now = 2
        let shown2 = p.update(time_s: 90, temperature_C: 125, exchangedFraction: 0.25, events: 4000)
        #expect(shown2)
        #expect(box.text == ["\rt = 9.000e+01 s (1.50 min)  T = 125.0 °C  X = 0.2500  2.00e+03 events/s\u{1B}[K"])
        box.now = 2.5
        let shown3 = p.update(time_s: 91, temperature_C: 125, exchangedFraction: 0.25, events: 5000)
        #expect(!shown3)
        box.now = 4
        p.finish(time_s: 7200, temperature_C: 450, exchangedFraction: 1, events: 8000)
        #expect(box.text.last == "\rt = 7.200e+03 s (2.00 h)  T = 450.0 °C  X = 1.0000  2.00e+03 events/s\u{1B}[K\n")
    }

    @Test func plainModePrintsLines() {
        let box = Box()
        var p = ProgressReporter(mode: .plain, interval_s: 10, clock: { box.now }, sink: { box.text.append($0) })
        box.now = 10
        let shown4 = p.update(time_s: 1, temperature_C: 25, exchangedFraction: 0, events: 100)
        #expect(shown4)
        #expect(box.text == ["t = 1.000e+00 s  T = 25.0 °C  X = 0.0000  1.00e+01 events/s\n"])
        var s = ProgressReporter(mode: .silent, clock: { box.now }, sink: { box.text.append($0) })
        box.now = 100
        let shown5 = s.update(time_s: 1, temperature_C: 25, exchangedFraction: 0, events: 100)
        #expect(!shown5)
        #expect(box.text.count == 1)
    }
}

@Suite struct OutputFolderTests {
    func folder() throws -> String {
        let d = NSTemporaryDirectory() + "cekmc-folder-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: d + "/maps", withIntermediateDirectories: true)
        return d
    }

    @Test func runFilesAreRecognisedAndNothingElse() {
        for name in ["timeseries.csv", "checkpoint.json", "input.toml", "maps", "maps/index.csv", "maps/cu_000012.npy",
                     "snapshots/snapshot_000003.xyz", ".summary.json.tmp.12.34", ".cekmc.lock"] {
            #expect(OutputFolder.isRunFile(name), "\(name)")
        }
        for name in ["notes.txt", "maps/cu_x.npy", "maps/cu_.npy", "maps/extra.csv", "snapshots/cu_000001.npy", "a/b/c", "analysis"] {
            #expect(!OutputFolder.isRunFile(name), "\(name)")
        }
    }

    @Test func clearRemovesRunFilesAndRefusesForeignOnes() throws {
        let d = try folder()
        defer { try? FileManager.default.removeItem(atPath: d) }
        for f in ["timeseries.csv", "maps/cu_000001.npy", "maps/index.csv"] { try AtomicFile.write("x", to: d + "/" + f) }
        try AtomicFile.write("x", to: d + "/notes.txt")
        #expect(throws: OutputError.self) { try OutputFolder.clear(d) }
        #expect(try OutputFolder.contents(d) == ["maps", "maps/cu_000001.npy", "maps/index.csv", "notes.txt", "timeseries.csv"],
                "a refused clear removes nothing")
        try FileManager.default.removeItem(atPath: d + "/notes.txt")
        let lock = try OutputFolder.Lock(directory: d)
        try OutputFolder.clear(d)
        #expect(try OutputFolder.contents(d) == [])
        #expect(FileManager.default.fileExists(atPath: d + "/" + OutputFolder.lockName), "clear keeps the lock")
        lock.release()
        #expect(try AtomicFile.list(d) == [])
    }

    @Test func aSecondLockIsRefusedUntilTheFirstIsReleased() throws {
        let d = try folder()
        defer { try? FileManager.default.removeItem(atPath: d) }
        let a = try OutputFolder.Lock(directory: d)
        do {
            _ = try OutputFolder.Lock(directory: d)
            Issue.record("a held folder was locked twice")
        } catch let e as OutputFolderBusy {
            #expect(e.pid == getpid())
        }
        a.release()
        let b = try OutputFolder.Lock(directory: d)
        #expect(b.tookOverFrom == nil, "a released lock leaves no file behind to take over")
        b.release()
    }
}

@Suite struct AxialProfileAndAggregateTests {
    @Test func binsCoverTheRangeAndClamp() {
        var p = AxialProfile(zMin_A: -3, zMax_A: 17, bin_A: 10)
        #expect(p.binCount == 3)   // [−3, 7), [7, 17), [17, 27): the top site falls in the last bin
        #expect(p.bin(z_A: -3) == 0 && p.bin(z_A: 6.999) == 0 && p.bin(z_A: 7) == 1 && p.bin(z_A: 17) == 2)
        #expect(p.bin(z_A: -100) == 0 && p.bin(z_A: 1e9) == 2)
        p.add(.cuCation, z_A: 8); p.add(.cuCation, z_A: 9); p.add(.shellCu, z_A: -2)
        #expect(p.count(.cuCation, bin: 1) == 2 && p.count(.shellCu, bin: 0) == 1 && p.total(.cuCation) == 2)
        #expect(abs(p.center_nm(1) - 1.2) < 1e-12)
        p.reset()
        #expect(p.total(.cuCation) == 0)
    }

    @Test func quantilesAreType7() {
        // numpy.quantile([3, 1, 10, 7], [0.1, 0.5, 0.9]) = [1.6, 5.0, 9.1]
        let s = [1.0, 3, 7, 10]
        #expect(abs(SeedAggregate.quantile(s, 0.1) - 1.6) < 1e-12)
        #expect(SeedAggregate.quantile(s, 0.5) == 5)
        #expect(abs(SeedAggregate.quantile(s, 0.9) - 9.1) < 1e-12)
        #expect(SeedAggregate.quantile([4], 0.9) == 4)
        let sp = SeedAggregate.Spread([3, 1, 10, 7])
        #expect(sp.min == 1 && sp.max == 10 && sp.values == [3, 1, 10, 7])
    }

    @Test func anInterstitialOrAnionBelongsToTheDomainOfMostOfItsCations() {
        let ids: [Int32] = [0, 5, 5, 7, 5]
        #expect(Simulation.majorityDomain([1, 2, 3, 4] as [Int32], ids: ids) == 5)   // 3 of 4
        #expect(Simulation.majorityDomain([1, 2, 3, 0] as [Int32], ids: ids) == 0)   // 2 of 4: not more than half
        #expect(Simulation.majorityDomain([3] as [Int32], ids: ids) == 7)
        #expect(Simulation.majorityDomain([0, 0, 1] as [Int32], ids: ids) == 0)      // majority in no domain
        #expect(Simulation.majorityDomain([] as [Int32], ids: ids) == 0)
    }
}
