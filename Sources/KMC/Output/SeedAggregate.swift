// The aggregate of several runs of one input with different seeds (`cekmc run … --seeds A-B`,
// `cekmc aggregate DIR`): the median and spread of every time series and every number of summary.json.
//
//   DIR/seed_K/               one ordinary output folder per seed
//   DIR/aggregate/timeseries.csv
//       time_s, temperature_C, then for every other column q of timeseries.csv: q_median, q_p10, q_p90
//   DIR/aggregate/summary.json
//       seeds, folders, and per quantity (every numeric leaf of summary.json outside `timing`, keyed by
//       its dotted path, e.g. final.exchanged_fraction, event_counts.kickOff): median, p10, p90, min,
//       max and the per-seed values in seed order
//
// Quantiles interpolate linearly between order statistics (Hyndman & Fan type 7, numpy's default):
// for n sorted values x₀…x_{n−1}, q(p) = x_⌊h⌋ + (h − ⌊h⌋)(x_⌊h⌋+1 − x_⌊h⌋) with h = (n − 1)p.
// The runs share the output times (same input), so the rows are aligned by index and their time_s
// must agree; a folder whose table differs in header or length is refused with its name.
// Files are written atomically; the aggregate depends only on the seed folders' contents.

import Foundation

/// Aggregates seed folders of one input.
public enum SeedAggregate {
    /// Median, 10th and 90th percentiles, extremes and the values of one quantity over seeds.
    public struct Spread: Codable, Sendable, Equatable {
        /// Median (type-7 quantile 0.5).
        public var median: Double
        /// 10th percentile.
        public var p10: Double
        /// 90th percentile.
        public var p90: Double
        /// Smallest value.
        public var min: Double
        /// Largest value.
        public var max: Double
        /// Values in seed order.
        public var values: [Double]

        /// The spread of `values` (non-empty).
        public init(_ values: [Double]) {
            precondition(!values.isEmpty, "SeedAggregate.Spread: no values")
            let s = values.sorted()
            median = SeedAggregate.quantile(s, 0.5)
            p10 = SeedAggregate.quantile(s, 0.1)
            p90 = SeedAggregate.quantile(s, 0.9)
            min = s[0]
            max = s[s.count - 1]
            self.values = values
        }
    }

    /// aggregate/summary.json.
    public struct Summary: Codable, Sendable, Equatable {
        /// The seeds, ascending.
        public var seeds: [UInt64]
        /// The seed folders, relative to the parent folder.
        public var folders: [String]
        /// Whether every seed's run is complete (has its summary.json; else the aggregate covers the
        /// outputs all reached).
        public var complete: Bool
        /// Rows of aggregate/timeseries.csv: the outputs every seed has written.
        public var outputs: Int
        /// Every numeric quantity of the seeds' summary.json, by dotted path (empty unless complete).
        public var quantities: [String: Spread]
    }

    /// Quantile `p` ∈ [0, 1] of ascending `sorted` values (type 7). NaN for no values.
    public static func quantile(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let h = Double(sorted.count - 1) * p
        let k = Int(h.rounded(.down))
        guard k + 1 < sorted.count else { return sorted[sorted.count - 1] }
        return sorted[k] + (h - Double(k)) * (sorted[k + 1] - sorted[k])
    }

    /// The folder name of seed `k` inside the parent folder.
    public static func folderName(seed: UInt64) -> String { "seed_\(seed)" }

    /// Seeds of the `seed_K` folders in `dir`, ascending.
    public static func seedFolders(in dir: String) -> [UInt64] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return names.compactMap { n in n.hasPrefix("seed_") ? UInt64(n.dropFirst(5)) : nil }.sorted()
    }

    /// Aggregates `dir/seed_K` for `seeds` into `dir/aggregate/`. Returns the summary written.
    /// With `partial`, runs stopped before the program's end are accepted: the time series are
    /// aggregated over the outputs every seed has written, and summary.json (written at a run's end)
    /// is not read.
    /// - Throws: `OutputError` when a folder lacks its timeseries.csv or summary.json, or its tables
    ///   do not line up with the first seed's.
    @discardableResult
    public static func write(parent dir: String, seeds: [UInt64], partial: Bool = false) throws -> Summary {
        let seeds = seeds.sorted()
        guard !seeds.isEmpty else {
            throw OutputError.invalid(component: "SeedAggregate", key: "seeds", message: "no seed folders in \(dir)")
        }
        let folders = seeds.map(folderName(seed:))
        // One input: every folder's input.toml equal to the first one's but for its seed lines.
        func inputBody(_ f: String) throws -> [Substring] {
            let p = dir + "/" + f + "/input.toml"
            guard let data = try AtomicFile.read(p) else { throw OutputError.malformed(path: p, line: 1, message: "missing (is it a cekmc run folder?)") }
            return String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
                .dropFirst().filter { !$0.hasPrefix("seed =") }
        }
        let first = try inputBody(folders[0])
        for f in folders.dropFirst() where try inputBody(f) != first {
            throw OutputError.malformed(path: dir + "/" + f + "/input.toml", line: 1,
                                        message: "is not the input of \(folders[0]) (apart from its seed): the seeds of one aggregate must share their input")
        }
        // Time series.
        var header: [String] = []
        var tables: [[[String]]] = []
        for f in folders {
            let p = dir + "/" + f + "/timeseries.csv"
            guard let data = try AtomicFile.read(p) else { throw OutputError.malformed(path: p, line: 0, message: "missing") }
            let t = try CSVTable.parse(String(decoding: data, as: UTF8.self), path: p)
            if tables.isEmpty { header = t.header } else {
                guard t.header == header else {
                    throw OutputError.malformed(path: p, line: 1, message: "header differs from \(folders[0])/timeseries.csv")
                }
                guard partial || t.rows.count == tables[0].count else {
                    throw OutputError.malformed(path: p, line: 0, message: "\(t.rows.count) rows, \(folders[0])/timeseries.csv has \(tables[0].count) (is every seed's run complete?)")
                }
            }
            tables.append(t.rows)
        }
        guard header.count >= 2, header[0] == "time_s", header[1] == "temperature_C" else {
            throw OutputError.malformed(path: dir + "/" + folders[0] + "/timeseries.csv", line: 1,
                                        message: "expected time_s,temperature_C first, got \(header.prefix(2))")
        }
        let quantities = Array(header.dropFirst(2))
        var out = CSVTable(header: ["time_s", "temperature_C"] + quantities.flatMap { ["\($0)_median", "\($0)_p10", "\($0)_p90"] })
        let rows = tables.map(\.count).min() ?? 0
        // summary.json is written when a run reaches its program's end: complete = every seed has one.
        let finished = folders.map { FileManager.default.fileExists(atPath: dir + "/" + $0 + "/summary.json") }
        let complete = !partial || finished.allSatisfy { $0 }
        for r in 0..<rows {
            for (k, t) in tables.enumerated() where t[r][0] != tables[0][r][0] {
                throw OutputError.malformed(path: dir + "/" + folders[k] + "/timeseries.csv", line: r + 2,
                                            message: "time_s \(t[r][0]) differs from \(tables[0][r][0]) in \(folders[0])")
            }
            var row = [tables[0][r][0], tables[0][r][1]]
            for j in 2..<header.count {
                let s = Spread(tables.map { Double($0[r][j]) ?? .nan })
                row += [CSVFormat.number(s.median), CSVFormat.number(s.p10), CSVFormat.number(s.p90)]
            }
            out.append(row)
        }
        // Summaries.
        var perSeed: [[String: Double]] = []
        for f in folders where complete {
            let p = dir + "/" + f + "/summary.json"
            guard let data = try AtomicFile.read(p) else { throw OutputError.malformed(path: p, line: 0, message: "missing") }
            guard case let .object(json)? = try? JSONDecoder().decode(JSONValue.self, from: Data(data)) else {
                throw OutputError.malformed(path: p, line: 0, message: "not a JSON object")
            }
            var flat: [String: Double] = [:]
            flatten(.object(json.filter { $0.key != "timing" }), prefix: "", into: &flat)
            perSeed.append(flat)
        }
        let keys = Set(perSeed.flatMap(\.keys)).sorted()
        var spreads: [String: Spread] = [:]
        for k in keys {
            let v = perSeed.compactMap { $0[k] }
            if v.count == perSeed.count { spreads[k] = Spread(v) }   // a quantity some seeds lack is left out
        }
        let summary = Summary(seeds: seeds, folders: folders, complete: complete, outputs: rows, quantities: spreads)
        try AtomicFile.createDirectory(dir + "/aggregate")
        try out.write(to: dir + "/aggregate/timeseries.csv")
        try JSONOutput.write(summary, to: dir + "/aggregate/summary.json")
        return summary
    }

    /// Numeric leaves of a JSON value by dotted path (booleans, strings and arrays are left out).
    static func flatten(_ value: JSONValue, prefix: String, into out: inout [String: Double]) {
        switch value {
        case let .object(d): for (k, v) in d { flatten(v, prefix: prefix.isEmpty ? k : prefix + "." + k, into: &out) }
        case let .int(i): out[prefix] = Double(i)
        case let .double(x): out[prefix] = x
        default: break
        }
    }
}
