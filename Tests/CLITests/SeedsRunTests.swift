// `cekmc run … --seeds A-B --jobs N` and `cekmc aggregate`: each seed folder is the run `--seed K`
// makes (byte for byte), the aggregate's medians and percentiles are those of the seed folders, the
// same command line again finds every seed complete and rewrites the same aggregate; and what a run
// writes for the experiments' figures: axial_profile.csv sums to the timeseries' counts at every
// output, and a labelled snapshot's atoms carry site labels and the domain ids of domains.csv.
// (In RunCommandTests' serialized suite: runs share StopFlag.)
import Foundation
import Testing
import Geometry
import KMC
@testable import CekmcCLI

extension RunCommandTests {
    func table(_ path: String) throws -> (header: [String], rows: [[String]]) {
        try CSVTable.parse(try String(contentsOfFile: path, encoding: .utf8), path: path)
    }

    @Test func seedListsParse() throws {
        #expect(try RunCommand.parseSeeds("1-3,7") == [1, 2, 3, 7])
        #expect(try RunCommand.parseSeeds("5, 2,2") == [2, 5])
        for bad in ["3-1", "a", "1-", "1--2", ""] {
            #expect(throws: (any Error).self, "\(bad)") { _ = try RunCommand.parseSeeds(bad) }
        }
        #expect(RunCommand.seedList([1, 2, 3, 4]) == "1–4")
        #expect(RunCommand.seedList([1, 3]) == "1, 3")
    }

    @Test func seedsRunEachSeedAsItsOwnRunAndAggregateThem() throws {
        let (input, out) = try workspace()
        defer { cleanUp(input) }
        let o = Cekmc.outcome(arguments: ["run", input, "--out", out, "--quiet", "--seeds", "1-3", "--jobs", "2"])
        #expect(o.status == 0, "\(o)")
        #expect(o.stdout.hasPrefix("completed 3 seeds (1–3) in \(out)/seed_K; aggregate in \(out)/aggregate"), "\(o.stdout)")
        #expect(try names(out) == ["aggregate", "seed_1", "seed_2", "seed_3"])

        // Seed 2's folder is what a single run with --seed 2 writes.
        let single = out + "-single"
        #expect(Cekmc.outcome(arguments: ["run", input, "--out", single, "--quiet", "--seed", "2"]).status == 0)
        for f in ["timeseries.csv", "domains.csv", "axial_profile.csv", "input.toml"] {
            #expect(try bytes(single + "/" + f) == bytes(out + "/seed_2/" + f), "\(f)")
        }

        // The aggregate: medians and percentiles of the three tables, row by row (type-7 quantiles).
        let seedTables = try (1...3).map { try table(out + "/seed_\($0)/timeseries.csv") }
        let agg = try table(out + "/aggregate/timeseries.csv")
        let cols = Array(seedTables[0].header.dropFirst(2))
        #expect(agg.header == ["time_s", "temperature_C"] + cols.flatMap { ["\($0)_median", "\($0)_p10", "\($0)_p90"] })
        #expect(agg.rows.count == seedTables[0].rows.count)
        for (r, row) in agg.rows.enumerated() {
            #expect(row[0] == seedTables[0].rows[r][0])
            for (j, _) in cols.enumerated() {
                let v = seedTables.map { Double($0.rows[r][j + 2])! }.sorted()
                // n = 3: median = middle value, p10 = v0 + 0.2 (v1 − v0), p90 = v1 + 0.8 (v2 − v1).
                #expect(Double(row[2 + 3 * j])! == v[1])
                #expect(abs(Double(row[3 + 3 * j])! - (v[0] + 0.2 * (v[1] - v[0]))) <= 1e-12 * max(1, abs(v[1])))
                #expect(abs(Double(row[4 + 3 * j])! - (v[1] + 0.8 * (v[2] - v[1]))) <= 1e-12 * max(1, abs(v[2])))
            }
        }
        let summary = try JSONDecoder().decode(SeedAggregate.Summary.self, from: Data(contentsOf: URL(fileURLWithPath: out + "/aggregate/summary.json")))
        #expect(summary.seeds == [1, 2, 3] && summary.folders == ["seed_1", "seed_2", "seed_3"])
        let finals = try (1...3).map { k -> Double in
            let s = try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: URL(fileURLWithPath: out + "/seed_\(k)/summary.json")))
            guard case let .object(o) = s, case let .object(f)? = o["final"], let x = f["exchanged_fraction"] else { return .nan }
            switch x { case let .double(d): return d; case let .int(i): return Double(i); default: return .nan }
        }
        #expect(summary.quantities["final.exchanged_fraction"]?.values == finals)
        #expect(summary.quantities.keys.allSatisfy { !$0.hasPrefix("timing") })

        // The same command again: every seed is complete, the aggregate is rewritten identically.
        let before = try bytes(out + "/aggregate/summary.json")
        let again = Cekmc.outcome(arguments: ["run", input, "--out", out, "--seeds", "1-3", "--jobs", "2"])
        #expect(again.status == 0)
        #expect(again.stderr.components(separatedBy: "already complete").count == 4, "\(again.stderr)")
        #expect(try bytes(out + "/aggregate/summary.json") == before)
        // cekmc aggregate rewrites it from the folders alone.
        try FileManager.default.removeItem(atPath: out + "/aggregate")
        let a = Cekmc.outcome(arguments: ["aggregate", out])
        #expect(a.status == 0 && a.stdout.hasPrefix("aggregated 3 seeds (1–3) into \(out)/aggregate"), "\(a)")
        #expect(try bytes(out + "/aggregate/summary.json") == before)
        // A seed folder whose table is shorter (an incomplete run) is refused by name.
        let ts = out + "/seed_3/timeseries.csv"
        let lines = try String(contentsOfFile: ts, encoding: .utf8).split(separator: "\n")
        try (lines.dropLast().joined(separator: "\n") + "\n").write(toFile: ts, atomically: true, encoding: .utf8)
        let bad = Cekmc.outcome(arguments: ["aggregate", out])
        #expect(bad.status == 2 && bad.stderr.contains("seed_3/timeseries.csv") && bad.stderr.contains("is every seed's run complete?"), "\(bad)")
        try? FileManager.default.removeItem(atPath: single)
    }

    @Test func axialProfileAndLabelledSnapshotsAgreeWithTheTables() throws {
        let (input, out) = try workspace()
        defer { cleanUp(input) }
        var text = try String(contentsOfFile: input, encoding: .utf8)
        // A Cu₂Se slab at t = 0 gives a domain at every snapshot.
        text = text.replacingOccurrences(of: "[output]\n", with: "[initial]\ncu2se_slabs_nm = [0.5, 1.5]\n\n[output]\nsnapshot_anions = true\nprofile_bin_nm = 0.7\n")
        try text.write(toFile: input, atomically: true, encoding: .utf8)
        let o = Cekmc.outcome(arguments: ["run", input, "--out", out, "--quiet", "--seed", "3"])
        #expect(o.status == 0, "\(o)")

        let ts = try table(out + "/timeseries.csv"), prof = try table(out + "/axial_profile.csv")
        func col(_ t: (header: [String], rows: [[String]]), _ name: String) -> Int { t.header.firstIndex(of: name)! }
        for row in ts.rows {
            let bins = prof.rows.filter { $0[0] == row[0] }
            #expect(!bins.isEmpty)
            func sum(_ name: String) -> Int { bins.reduce(0) { $0 + Int($1[col(prof, name)])! } }
            #expect(sum("cu_cation") == Int(Double(row[col(ts, "cu_cation")])!))
            #expect(sum("shell_cu") == Int(Double(row[col(ts, "shell_cu")])!))
            #expect(sum("cu_interstitial") == Int(row[col(ts, "n_cu_interstitial")])!)
            #expect(sum("cd_interstitial") == Int(row[col(ts, "n_cd_interstitial")])!)
            #expect(sum("cation_sites") == sum("cu_cation") + sum("cd_cation") + Int(Double(row[col(ts, "vacancies")])!))
            // Bin centres 0.7 nm apart.
            let z = bins.map { Double($0[2])! }
            for k in 1..<z.count { #expect(abs(z[k] - z[k - 1] - 0.7) < 1e-9) }
        }

        // Snapshots: labels, domain ids of domains.csv at that time, the Se frame.
        let index = try table(out + "/snapshots/index.csv")
        let domains = try table(out + "/domains.csv")
        #expect(!index.rows.isEmpty)
        for row in index.rows {
            let frames = try ExtendedXYZ.parse(try String(contentsOfFile: out + "/snapshots/" + row[3], encoding: .utf8))
            let f = frames[0]
            let site = try #require(f.column("site")), domain = try #require(f.column("domain"))
            guard case let .string(labels) = site.values, case let .integer(ids) = domain.values else {
                Issue.record("site/domain columns have the wrong types"); continue
            }
            #expect(Set(labels).isSubset(of: Set(SiteLabel.allCases.map(\.rawValue))))
            let known = Set(domains.rows.filter { $0[0] == row[1] }.map { Int($0[2])! })
            let cuCation = (0..<f.count).filter { f.species[$0] == "Cu" && labels[$0] == "cation" }
            let inDomains = cuCation.filter { ids[$0] != 0 }
            #expect(Set(inDomains.map { ids[$0] }) == known, "every domain of domains.csv at t = \(row[1]) appears, and no other")
            let sizes = Dictionary(grouping: inDomains, by: { ids[$0] }).mapValues(\.count)
            for d in domains.rows where d[0] == row[1] { #expect(sizes[Int(d[2])!] == Int(d[6])!, "domain \(d[2]) size") }
            #expect((0..<f.count).allSatisfy { f.species[$0] == "Cu" || f.species[$0] == "Se" || ids[$0] == 0 }, "Cd is in no domain")
            #expect((0..<f.count).allSatisfy { (f.species[$0] == "Se") == (labels[$0] == "anion") })
            #expect((0..<f.count).filter { f.species[$0] == "Se" }.count > 0)
            #expect(!known.isEmpty, "the slab is a domain at t = \(row[1])")
            // The slab's Se and the interstitial Cu inside it carry its id; none carries an unknown id.
            let seIds = Set((0..<f.count).filter { f.species[$0] == "Se" && ids[$0] != 0 }.map { ids[$0] })
            let cuIntIds = Set((0..<f.count).filter { f.species[$0] == "Cu" && ["tetrahedral", "octahedral", "surface"].contains(labels[$0]) && ids[$0] != 0 }.map { ids[$0] })
            #expect(!seIds.isEmpty && seIds.isSubset(of: known) && cuIntIds.isSubset(of: known), "Se \(seIds), Cu_i \(cuIntIds), domains \(known)")
        }
    }
}

extension RunCommandTests {
    @Test func aWallTimeLimitStopsWithACheckpointAndTheSameCommandContinues() throws {
        let (input, out) = try workspace()
        defer { cleanUp(input) }
        let o = Cekmc.outcome(arguments: ["run", input, "--out", out, "--quiet", "--max-wall-min", "1e-9"])
        #expect(o.status == 0, "\(o)")
        #expect(o.stdout.hasPrefix("stopped at the wall-time limit (--max-wall-min) with a checkpoint at t = "), "\(o.stdout)")
        #expect(o.stdout.contains("% of the program)") && o.stdout.hasSuffix("continue with: cekmc run --resume \(out)\n"))
        #expect(FileManager.default.fileExists(atPath: out + "/checkpoint.json"))
        let again = Cekmc.outcome(arguments: ["run", input, "--out", out, "--quiet"])
        #expect(again.status == 0 && again.stdout.hasPrefix("completed: "), "\(again)")
        // Byte-identical to a run that was never stopped.
        let whole = out + "-whole"
        #expect(Cekmc.outcome(arguments: ["run", input, "--out", whole, "--quiet"]).status == 0)
        for f in ["timeseries.csv", "domains.csv", "axial_profile.csv"] { #expect(try bytes(out + "/" + f) == bytes(whole + "/" + f), "\(f)") }
        try? FileManager.default.removeItem(atPath: whole)
        #expect(Cekmc.outcome(arguments: ["run", input, "--out", out, "--max-wall-min", "0"]).status == 2)
    }

    @Test func seedsStoppedByTheWallTimeLimitGetAPartialAggregate() throws {
        let (input, out) = try workspace()
        defer { cleanUp(input) }
        // Two seeds and no time (60 ns): neither starts.
        let o = Cekmc.outcome(arguments: ["run", input, "--out", out, "--quiet", "--seeds", "1-2", "--jobs", "1", "--max-wall-min", "1e-9"])
        #expect(o.status == 0, "\(o)")
        #expect(o.stdout.hasPrefix("2 of 2 seeds not complete at the wall-time limit (2 not started: 1, 2); no aggregate written"), "\(o.stdout)")
        // The seeds run separately to stops at different points, then the partial aggregate over the outputs both reached.
        #expect(Cekmc.outcome(arguments: ["run", input, "--out", out + "/seed_1", "--quiet", "--seed", "1", "--stop-after-events", "30000"]).status == 0)
        #expect(Cekmc.outcome(arguments: ["run", input, "--out", out + "/seed_2", "--quiet", "--seed", "2", "--stop-after-events", "5"]).status == 0)
        let a = Cekmc.outcome(arguments: ["aggregate", out, "--partial"])
        #expect(a.status == 0 && a.stdout.hasPrefix("partial: aggregated 2 seeds"), "\(a)")
        let s = try JSONDecoder().decode(SeedAggregate.Summary.self, from: Data(contentsOf: URL(fileURLWithPath: out + "/aggregate/summary.json")))
        #expect(s.outputs >= 1)
        #expect(s.quantities.isEmpty)
        let rows = try table(out + "/aggregate/timeseries.csv").rows.count
        let fewest = try [1, 2].map { try table(out + "/seed_\($0)/timeseries.csv").rows.count }.min()!
        #expect(rows == fewest && s.outputs == fewest)
        // The same command without a limit finishes both and writes the whole aggregate.
        let done = Cekmc.outcome(arguments: ["run", input, "--out", out, "--quiet", "--seeds", "1-2", "--jobs", "1"])
        #expect(done.status == 0 && done.stdout.hasPrefix("completed 2 seeds"), "\(done)")
        let full = try JSONDecoder().decode(SeedAggregate.Summary.self, from: Data(contentsOf: URL(fileURLWithPath: out + "/aggregate/summary.json")))
        #expect(full.complete && !full.quantities.isEmpty)
    }
}

extension RunCommandTests {
    /// `cekmc run --plots` on a tiny run: analysis/make_figures.py makes every figure from the run's
    /// real output (maps, axial profile, domains, timeseries) into OUT/figures, and --overwrite
    /// clears them with the run.
    @Test func plotsMakeEveryFigureFromARealRun() throws {
        let (input, out) = try workspace()
        defer { cleanUp(input) }
        let o = Cekmc.outcome(arguments: ["run", input, "--out", out, "--quiet", "--plots"])
        #expect(o.status == 0, "\(o)")
        for f in ["xt.png", "kymograph.png", "eds_maps.png", "profile.png", "lifelines.png"] {
            let p = out + "/figures/" + f
            let size = (try? FileManager.default.attributesOfItem(atPath: p)[.size] as? Int) ?? 0
            #expect(size > 1000, "\(f): \(size) bytes; stdout: \(o.stdout)")
        }
        #expect(!o.stdout.contains("error"), "\(o.stdout)")
        let w = Cekmc.outcome(arguments: ["run", input, "--out", out, "--quiet", "--overwrite", "--stop-after-events", "5"])
        #expect(w.status == 0, "\(w)")
        #expect(!FileManager.default.fileExists(atPath: out + "/figures"))
    }
}
