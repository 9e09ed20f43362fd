// CSV outputs of a run: the table type, the number format, and the exact column schemas.
//
// Persistence policy: every table is kept in memory (as its encoded text) and the whole file is
// rewritten atomically (AtomicFile) at each output. An interrupted run therefore leaves every file
// complete as of its last output — all previous rows kept, no partial row. A resumed run reloads
// the rows up to its checkpoint time with `CSVTable(resuming:…)`.
//
// Format: RFC 4180 (comma separator, "\n" line ends, fields quoted only when they contain a comma,
// quote or line break). Floating-point numbers use Swift's shortest round-trip representation
// (e.g. 0.1, 5e-05, 1e+16, inf, nan): exact, locale-independent and byte-identical between runs.

/// Number and field formatting shared by all CSV outputs.
public enum CSVFormat {
    /// Shortest text that reads back as exactly `x` (Swift's `description`).
    public static func number(_ x: Double) -> String { x.description }
    /// Integer text.
    public static func number(_ x: Int) -> String { String(x) }
    /// Boolean as 1/0.
    public static func flag(_ b: Bool) -> String { b ? "1" : "0" }
    /// Ids joined with ";" (no comma, so no quoting needed), "" when empty.
    public static func ids(_ ids: [Int]) -> String { ids.map(String.init).joined(separator: ";") }
    /// Optional number: empty field when nil.
    public static func number(_ x: Double?) -> String { x.map { $0.description } ?? "" }

    /// The field, quoted if it contains a comma, quote or line break.
    public static func field(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        var out = "\""
        for ch in s { if ch == "\"" { out += "\"\"" } else { out.append(ch) } }
        return out + "\""
    }
}

/// Exact column lists of the CSV outputs (documented in the README's output section).
public enum OutputSchema {
    /// timeseries.csv; extra columns, if any, follow these.
    public static let timeseries = ["time_s", "temperature_C", "exchanged_fraction", "exchanged_volume_nm3",
                                    "shell_cu_per_nm", "n_domains", "n_cu_interstitial", "n_cd_interstitial", "events"]
    /// domains.csv: one row per domain per output; spans is 1/0.
    public static let domains = ["time_s", "temperature_C", "domain_id", "z_min_nm", "z_max_nm", "length_nm",
                                 "n_sites", "spans"]
    /// domain_events.csv: event ∈ birth|reversal|vanish|merge|split; other_ids ";"-separated;
    /// then the domain's largest size and length ever reached.
    public static let domainEvents = ["time_s", "temperature_C", "event", "domain_id", "other_ids", "n_sites", "z_nm",
                                      "max_n_sites", "max_length_nm"]
    /// entry_points.csv: one row per birth (position of the new domain's outermost site).
    public static let entryPoints = ["time_s", "temperature_C", "domain_id", "n_sites", "site", "z_nm", "theta_deg",
                                     "r_nm", "nearest_vacancy_nm", "label"]
    /// fronts.csv: one row per interface of a spanning domain per output (end ∈ lower|upper).
    public static let fronts = ["time_s", "temperature_C", "domain_id", "end", "z_nm", "width_std_nm",
                                "width_range_nm", "n_columns"]
    /// maps/index.csv: one row per written pair of projected maps.
    public static let mapsIndex = ["snapshot", "time_s", "temperature_C", "cu_file", "cd_file", "bin_nm", "u_min_nm",
                                   "z_min_nm", "n_u", "n_z"]
    /// axial_profile.csv: one row per axial bin per output (z_nm = bin centre), then the
    /// `AxialProfile.Column` counts.
    public static let axialProfile = ["time_s", "temperature_C", "z_nm"] + AxialProfile.Column.allCases.map(\.name)
    /// snapshots/index.csv: one row per extended-XYZ snapshot.
    public static let snapshotsIndex = ["snapshot", "time_s", "temperature_C", "file", "n_atoms"]
}

/// An in-memory CSV table, rewritten atomically as a whole.
public struct CSVTable: Sendable, Equatable {
    /// Column names.
    public let header: [String]
    /// Number of data rows.
    public private(set) var rowCount: Int = 0
    /// The encoded file content (header line + rows).
    public private(set) var bytes: [UInt8]

    /// An empty table with `header`.
    public init(header: [String]) {
        precondition(!header.isEmpty, "CSVTable: empty header")
        self.header = header
        bytes = Array((header.map(CSVFormat.field).joined(separator: ",") + "\n").utf8)
    }

    /// Appends one row; fields are quoted as needed.
    /// - Precondition: `fields.count == header.count`.
    public mutating func append(_ fields: [String]) {
        precondition(fields.count == header.count, "CSVTable.append: \(fields.count) fields for \(header.count) columns \(header)")
        var line = ""
        for (i, f) in fields.enumerated() {
            if i > 0 { line += "," }
            line += CSVFormat.field(f)
        }
        line += "\n"
        bytes.append(contentsOf: line.utf8)
        rowCount += 1
    }

    /// Writes the whole table to `path` atomically.
    public func write(to path: String) throws { try AtomicFile.write(bytes, to: path) }

    /// Reloads a table written earlier, keeping only rows whose first column (time_s) is ≤ `upTo_s`
    /// (all rows when nil). A missing file gives an empty table.
    /// - Throws: `OutputError.malformed` when the file's header differs from `header`.
    public init(resuming path: String, header: [String], upTo_s: Double? = nil) throws {
        self.init(header: header)
        guard let data = try AtomicFile.read(path) else { return }
        let parsed = try CSVTable.parse(String(decoding: data, as: UTF8.self), path: path)
        guard parsed.header == header else {
            throw OutputError.malformed(path: path, line: 1, message: "header \(parsed.header) differs from expected \(header)")
        }
        for (k, row) in parsed.rows.enumerated() {
            if let limit = upTo_s {
                guard let t = Double(row[0]) else {
                    throw OutputError.malformed(path: path, line: k + 2, message: "first field '\(row[0])' is not a number")
                }
                if t > limit { continue }
            }
            append(row)
        }
    }

    /// Parses CSV text (RFC 4180 quoting) into its header and rows.
    /// - Throws: `OutputError.malformed` for an unterminated quote or a row with the wrong field count.
    public static func parse(_ text: String, path: String = "<csv>") throws -> (header: [String], rows: [[String]]) {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var inQuotes = false
        var line = 1
        var chars = text.makeIterator()
        var pending: Character? = nil
        var fieldStarted = false
        while let c = pending ?? chars.next() {
            pending = nil
            if inQuotes {
                if c == "\"" {
                    if let n = chars.next() {
                        if n == "\"" { field.append("\"") } else { inQuotes = false; pending = n }
                    } else { inQuotes = false }
                } else {
                    if c == "\n" { line += 1 }
                    field.append(c)
                }
                continue
            }
            switch c {
            case "\"" where field.isEmpty: inQuotes = true; fieldStarted = true
            case ",": record.append(field); field = ""; fieldStarted = true
            case "\n", "\r\n":
                record.append(field); records.append(record); record = []; field = ""; fieldStarted = false
                line += 1
            default: field.append(c); fieldStarted = true
            }
        }
        if inQuotes { throw OutputError.malformed(path: path, line: line, message: "unterminated quoted field") }
        if fieldStarted || !field.isEmpty || !record.isEmpty { record.append(field); records.append(record) }
        guard let header = records.first else { throw OutputError.malformed(path: path, line: 1, message: "empty file") }
        let rows = Array(records.dropFirst())
        for (k, r) in rows.enumerated() where r.count != header.count {
            throw OutputError.malformed(path: path, line: k + 2, message: "\(r.count) fields, header has \(header.count)")
        }
        return (header, rows)
    }
}
