// A checked cursor over one TOML table.
//
// Decoders read keys through typed accessors (`double`, `int`, `string`, `table`, …). Each accessor
// validates type and range, fills in the default, records the key as consumed and remembers the
// effective value (with unit and doc) in reading order. After decoding, `finish()` on the root turns
// every key that was present but never read into an "unknown key" error, and `effectiveTOML()`
// prints the complete effective input. All problems are `InputError`s (one line, see its docs).

import Foundation
import TOMLKit

/// A cursor over one table of a TOML input file: typed, validated reads with defaults, consumed-key
/// tracking and effective-input printing. Not thread-safe (one decoder at a time).
public final class InputTable {
    /// Shared by every cursor of one document.
    final class Document {
        let file: String
        let lines: SourceLines
        /// Whether problems are collected (`collectingErrors`) rather than thrown at once.
        var collecting = false
        /// Problems collected so far, in the order found.
        var problems: [Problem] = []
        init(file: String, lines: SourceLines) {
            self.file = file
            self.lines = lines
        }
    }

    /// One collected problem: the error, the line it sorts by, and for a missing required key its
    /// table's path and key (to pair it with a misspelt unknown key).
    struct Problem {
        var error: InputError
        var sortLine: Int
        var missing: (table: String, key: String)?
    }

    /// One recorded read, for `effectiveTOML()`.
    enum Record {
        /// `literal` nil: an optional key that was not given.
        case value(key: String, literal: String?, unit: String, doc: String)
        case table(key: String, InputTable)
        case tables(key: String, [InputTable])
    }

    let document: Document
    /// Dotted key path of this table ("" for the root).
    public let keyPath: String
    /// Keys from the root to here without array indices (for `[a.b]` headers).
    let headerKeys: [String]
    /// The keys present in the file, in document order.
    let entries: [InputEntry]
    private var present: [String: InputNode] = [:]
    private var records: [Record] = []
    private var recordIndex: [String: Int] = [:]
    /// Every key the decoder asked for, in order (read, defaulted, or missing): the keys listed as
    /// allowed in unknown-key messages.
    private var asked: [String] = []
    /// A table standing in for a value of the wrong type: its reads give defaults and report nothing
    /// (the wrong type was reported once, on the table's key).
    private var silent = false

    init(document: Document, keyPath: String, headerKeys: [String], entries: [InputEntry]) {
        self.document = document
        self.keyPath = keyPath
        self.headerKeys = headerKeys
        var byKey: [String: InputNode] = [:]
        for e in entries { byKey[e.key] = e.value }
        present = byKey
        // Document order (TOMLKit returns keys sorted by name).
        let lines = document.lines
        func path(_ k: String) -> String { SourceLines.join(keyPath, k) }
        self.entries = entries.enumerated().sorted { a, b in
            let la = lines.line(for: path(a.element.key)) ?? Int.max
            let lb = lines.line(for: path(b.element.key)) ?? Int.max
            return la != lb ? la < lb : a.offset < b.offset
        }.map(\.element)
    }

    // MARK: - Loading

    /// Read and parse the TOML file at `path`. An unreadable file or a TOML syntax error is an
    /// `InputError` (syntax errors carry their line). O(file size).
    public static func load(path: String) throws -> InputTable {
        try parse(try readText(path: path), file: path)
    }

    /// The text of the file at `path`. An unreadable file is an `InputError` saying why (no such
    /// file, a directory, permission or I/O error, not UTF-8 text). O(file size).
    public static func readText(path: String) throws -> String {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw InputError(file: path, keyPath: "", problem: "cannot read the file: no such file")
        }
        if isDir.boolValue {
            throw InputError(file: path, keyPath: "", problem: "cannot read the file: it is a directory")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(file: path, keyPath: "", problem: "cannot read the file: permission denied or I/O error")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw InputError(file: path, keyPath: "", problem: "cannot read the file: not UTF-8 text")
        }
        return text
    }

    /// Parse TOML `text`; `file` names it in messages. A syntax error is an `InputError` with its line.
    public static func parse(_ text: String, file: String) throws -> InputTable {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let e as TOMLParseError {
            throw InputError(file: file, keyPath: "",
                             problem: "TOML syntax error at column \(e.source.begin.column): \(e.description)",
                             line: e.source.begin.line)
        }
        guard case .table(let entries) = InputNode(table: table) else {
            preconditionFailure("a parsed TOML document is a table")
        }
        let doc = Document(file: file, lines: SourceLines(text: text))
        return InputTable(document: doc, keyPath: "", headerKeys: [], entries: entries)
    }

    // MARK: - Introspection

    /// The file name given to `load`/`parse`.
    public var file: String { document.file }

    /// Whether `key` is present in this table of the file (does not consume it).
    public func contains(_ key: String) -> Bool { present[key] != nil }

    /// Keys present in this table of the file, in document order — for free-form tables only
    /// (normal decoders read the keys they know and let `finish()` reject the rest).
    public var presentKeys: [String] { entries.map(\.key) }

    /// Whether the value at `key` is a TOML string (for free-form tables mixing numbers and strings).
    public func isString(_ key: String) -> Bool {
        if case .string = present[key] { return true }
        return false
    }

    /// One key read through a cursor (see `readKeys`).
    public struct ReadKey: Hashable, Sendable {
        /// What a read key holds.
        public enum Kind: Hashable, Sendable {
            /// A scalar or an array of scalars (given, defaulted, or an optional key left out).
            case value
            /// A sub-table (`table`).
            case table
            /// An array of tables (`tables`).
            case arrayOfTables
        }
        /// Dotted key path from the root, array-of-table elements indexed as in messages
        /// (`temperature.steps[0].to_C`).
        public var path: String
        /// What the key holds.
        public var kind: Kind
        /// The effective value as TOML text, as `effectiveTOML()` prints it; nil for tables and for
        /// optional keys left out.
        public var literal: String?
    }

    /// Every key the decoder read through this cursor and the cursors it handed out, depth-first in
    /// reading order (a table before its keys) — the keys this decoding accepts, the same set that
    /// `finish()` checks against. Defaulted keys and optional keys left out count as read; a required
    /// key whose read threw does not. For comparing a decoder with its documentation. O(keys read).
    public var readKeys: [ReadKey] {
        var out: [ReadKey] = []
        for r in records {
            switch r {
            case .value(let key, let literal, _, _):
                out.append(ReadKey(path: path(key), kind: .value, literal: literal))
            case .table(let key, let t):
                out.append(ReadKey(path: path(key), kind: .table, literal: nil))
                out += t.readKeys
            case .tables(let key, let ts):
                out.append(ReadKey(path: path(key), kind: .arrayOfTables, literal: nil))
                for t in ts { out += t.readKeys }
            }
        }
        return out
    }

    // MARK: - Scalars

    /// A number (TOML float or integer) in `unit`; `default` nil ⇒ required. NaN is rejected, and so
    /// are values outside `range` (infinities only when `range` contains them).
    public func double(_ key: String, default def: Double? = nil, range: ClosedRange<Double>? = nil,
                       unit: String = "", doc: String = "") throws -> Double {
        let allowed = Describe.number(range: range, unit: unit)
        asked(key)
        guard let node = present[key] else {
            guard let def else { try reportMissing(key, allowed: allowed); return Substitute.double(range) }
            record(.value(key: key, literal: TOMLText.double(def), unit: unit, doc: doc))
            return def
        }
        let x = try number(node, path: path(key), range: range, unit: unit, allowed: allowed) ?? def ?? Substitute.double(range)
        record(.value(key: key, literal: TOMLText.double(x), unit: unit, doc: doc))
        return x
    }

    /// An optional number in `unit`: nil when absent; otherwise checked as in `double`.
    public func optionalDouble(_ key: String, range: ClosedRange<Double>? = nil, unit: String = "",
                               doc: String = "") throws -> Double? {
        asked(key)
        guard let node = present[key] else {
            record(.value(key: key, literal: nil, unit: unit, doc: doc))
            return nil
        }
        let x = try number(node, path: path(key), range: range, unit: unit,
                           allowed: Describe.number(range: range, unit: unit))
        record(.value(key: key, literal: x.map(TOMLText.double), unit: unit, doc: doc))
        return x
    }

    /// A TOML integer (floats are rejected); `default` nil ⇒ required.
    public func int(_ key: String, default def: Int? = nil, range: ClosedRange<Int>? = nil,
                    doc: String = "") throws -> Int {
        let allowed = Describe.integer(range: range)
        asked(key)
        guard let node = present[key] else {
            guard let def else { try reportMissing(key, allowed: allowed); return Substitute.int(range) }
            record(.value(key: key, literal: String(def), unit: "", doc: doc))
            return def
        }
        let i = try integer(node, path: path(key), range: range, allowed: allowed) ?? def ?? Substitute.int(range)
        record(.value(key: key, literal: String(i), unit: "", doc: doc))
        return i
    }

    /// A TOML boolean; `default` nil ⇒ required.
    public func bool(_ key: String, default def: Bool? = nil, doc: String = "") throws -> Bool {
        let b: Bool
        asked(key)
        if let node = present[key] {
            if case .bool(let v) = node { b = v } else {
                try report(error(path(key), node, "expected a boolean, got \(node.typeName)", allowed: "true, false"))
                b = def ?? false
            }
        } else {
            guard let def else { try reportMissing(key, allowed: "true, false"); return false }
            b = def
        }
        record(.value(key: key, literal: b ? "true" : "false", unit: "", doc: doc))
        return b
    }

    /// A TOML string, optionally one of `allowed`; `default` nil ⇒ required.
    public func string(_ key: String, default def: String? = nil, allowed: [String]? = nil,
                       doc: String = "") throws -> String {
        asked(key)
        guard present[key] != nil else {
            guard let def else { try reportMissing(key, allowed: Describe.string(allowed)); return allowed?.first ?? "" }
            record(.value(key: key, literal: TOMLText.string(def), unit: "", doc: doc))
            return def
        }
        return try readString(key, allowed: allowed, doc: doc) ?? def ?? allowed?.first ?? ""
    }

    /// An optional TOML string: nil when absent; otherwise checked as in `string`.
    public func optionalString(_ key: String, allowed: [String]? = nil, doc: String = "") throws -> String? {
        asked(key)
        return try readString(key, allowed: allowed, doc: doc)
    }

    /// A string naming one case of `E` (by raw value); `default` nil ⇒ required.
    public func choice<E: RawRepresentable & CaseIterable>(_ key: String, default def: E? = nil,
                                                         doc: String = "") throws -> E where E.RawValue == String {
        let names = E.allCases.map(\.rawValue)
        let s = try string(key, default: def?.rawValue, allowed: names, doc: doc)
        return E(rawValue: s)!
    }

    // MARK: - Arrays

    /// An array of numbers in `unit` (integers accepted), of exactly `count` elements when given,
    /// each within `range`; `default` nil ⇒ required.
    public func doubles(_ key: String, default def: [Double]? = nil, count: Int? = nil,
                        range: ClosedRange<Double>? = nil, unit: String = "", doc: String = "") throws -> [Double] {
        let element = Describe.number(range: range, unit: unit)
        let allowed = "an array of " + (count.map { "\($0) " } ?? "") + "numbers"
            + (element == "a number" ? "" : " (each " + element + ")")
        asked(key)
        let items = try array(key, count: count, allowed: allowed, hasDefault: def != nil)
        guard let items else {
            let v = def ?? [Double](repeating: Substitute.double(range), count: count ?? 0)
            record(.value(key: key, literal: "[" + v.map(TOMLText.double).joined(separator: ", ") + "]", unit: unit, doc: doc))
            return v
        }
        var out: [Double] = []
        for (i, node) in items.enumerated() {
            out.append(try number(node, path: path(key) + "[\(i)]", range: range, unit: unit, allowed: element) ?? Substitute.double(range))
        }
        record(.value(key: key, literal: "[" + out.map(TOMLText.double).joined(separator: ", ") + "]", unit: unit, doc: doc))
        return out
    }

    /// An array of integers, each within `range`; `default` nil ⇒ required.
    public func ints(_ key: String, default def: [Int]? = nil, range: ClosedRange<Int>? = nil,
                     doc: String = "") throws -> [Int] {
        let element = Describe.integer(range: range)
        let allowed = "an array of integers" + (element == "an integer" ? "" : " (each " + element + ")")
        asked(key)
        let items = try array(key, count: nil, allowed: allowed, hasDefault: def != nil)
        guard let items else {
            let v = def ?? []
            record(.value(key: key, literal: "[" + v.map { String($0) }.joined(separator: ", ") + "]", unit: "", doc: doc))
            return v
        }
        var out: [Int] = []
        for (i, node) in items.enumerated() {
            out.append(try integer(node, path: path(key) + "[\(i)]", range: range, allowed: element) ?? Substitute.int(range))
        }
        record(.value(key: key, literal: "[" + out.map { String($0) }.joined(separator: ", ") + "]", unit: "", doc: doc))
        return out
    }

    // MARK: - Tables

    /// The sub-table `key` (`[key]` or `key = { … }`). Absent and not required ⇒ an empty table whose
    /// reads all give defaults. Reading the same key twice returns the same cursor.
    public func table(_ key: String, required: Bool = false) throws -> InputTable {
        if let i = recordIndex[key], case .table(_, let t) = records[i] { return t }
        asked(key)
        var child: InputTable
        switch present[key] {
        case nil:
            child = InputTable(document: document, keyPath: path(key), headerKeys: headerKeys + [key], entries: [])
            if required {
                try reportMissing(key, allowed: "a table")
                child.silent = true
                return child
            }
        case .table(let entries)?:
            child = InputTable(document: document, keyPath: path(key), headerKeys: headerKeys + [key], entries: entries)
        case let node?:
            try report(error(path(key), node, "expected a table, got \(node.typeName)", allowed: "a table"))
            child = InputTable(document: document, keyPath: path(key), headerKeys: headerKeys + [key], entries: [])
            child.silent = true
        }
        child.silent = child.silent || silent
        record(.table(key: key, child))
        return child
    }

    /// The array of tables `key` (`[[key]]` blocks, or an array of inline tables). Absent and not
    /// required ⇒ []. Element `i` has key path `key[i]`.
    public func tables(_ key: String, required: Bool = false) throws -> [InputTable] {
        if let i = recordIndex[key], case .tables(_, let t) = records[i] { return t }
        asked(key)
        let allowed = "an array of tables ([[\(key)]] blocks)"
        var out: [InputTable] = []
        switch present[key] {
        case nil:
            if required { try reportMissing(key, allowed: allowed); return [] }
        case .array(let items)?:
            for (i, node) in items.enumerated() {
                guard case .table(let entries) = node else {
                    // Left out: its keys cannot be read, and the error says so once.
                    try report(error(path(key) + "[\(i)]", node, "expected a table, got \(node.typeName)", allowed: "a table"))
                    continue
                }
                let child = InputTable(document: document, keyPath: path(key) + "[\(i)]",
                                       headerKeys: headerKeys + [key], entries: entries)
                child.silent = silent
                out.append(child)
            }
        case let node?:
            try report(error(path(key), node, "expected an array of tables, got \(node.typeName)", allowed: allowed))
        }
        record(.tables(key: key, out))
        return out
    }

    // MARK: - Cross-field checks and completion

    /// An error about `key` of this table (`""`: the table itself) for checks spanning several keys;
    /// carries the key's value and line when the file has it.
    public func fail(_ key: String, _ problem: String, allowed: String? = nil) -> InputError {
        let p = key.isEmpty ? keyPath : path(key)
        if key.isEmpty {
            return InputError(file: file, keyPath: p, problem: problem, allowed: allowed,
                              line: document.lines.exactLine(for: p))
        }
        if let node = present[key] { return error(p, node, problem, allowed: allowed) }
        var value: String? = nil
        if let i = recordIndex[key], case .value(_, let lit?, _, _) = records[i] { value = lit }
        return InputError(file: file, keyPath: p, value: value, problem: problem, allowed: allowed)
    }

    /// A failed cross-field check on `key` of this table (`""`: the table itself): collected while
    /// the document collects problems (see `collectingErrors`), thrown otherwise. Left out when the
    /// key, or the table for `""`, already has a problem: the check would judge a stand-in value.
    public func reject(_ key: String, _ problem: String, allowed: String? = nil) throws {
        let e = fail(key, problem, allowed: allowed)
        if document.collecting, hasProblems(at: e.keyPath) { return }
        try report(e)
    }

    /// Whether a problem was found so far at this table's key path or below it (for decoders: skip a
    /// check that combines values of this table when some of them are stand-ins).
    public var hasErrors: Bool { hasProblems(at: keyPath) }

    private func hasProblems(at p: String) -> Bool {
        document.problems.contains { q in
            let k = q.error.keyPath
            return p.isEmpty || k == p || k.hasPrefix(p + ".") || k.hasPrefix(p + "[")
        }
    }

    /// Decode with every problem collected instead of the first one thrown: `body` reads this (root)
    /// table; each accessor that meets a bad value records the error and hands back a stand-in (its
    /// default, or a value in its range) so that decoding goes on, and `reject` records failed
    /// cross-field checks. Then unknown keys are added (`finish()`), a missing required key and an
    /// unknown key of the same table that is a likely misspelling of it become one error, and the
    /// errors are sorted in file order. One error is thrown as it is, several as `InputErrors`.
    /// An error `body` throws ends the decoding and joins the others (unknown keys are then not
    /// looked for).
    public func collectingErrors<T>(_ body: () throws -> T) throws -> T {
        document.collecting = true
        defer { document.collecting = false }
        var value: T? = nil
        do { value = try body() } catch let e as InputError {
            if !document.problems.contains(where: { $0.error == e }) { addProblem(e, missing: nil) }
        } catch let e as InputErrors {
            for x in e.errors { addProblem(x, missing: nil) }
        }
        // Keys are unknown only when decoding went through: after an early stop they were not read.
        var unknown: [(table: String, key: String, error: InputError)] = []
        if value != nil { collectUnknown(into: &unknown) }
        var problems = document.problems
        for u in unknown {
            let typo = problems.firstIndex { p in
                guard let m = p.missing, m.table == u.table else { return false }
                return Describe.nearest(u.key, in: [m.key]) != nil
            }
            if let i = typo {
                // The missing key takes the misspelt key's line and names it.
                var e = problems[i].error
                e.problem = "missing required key, found '\(u.key)' = \(u.error.value ?? "") instead: a typo?"
                e.line = u.error.line
                problems[i] = Problem(error: e, sortLine: u.error.line ?? problems[i].sortLine, missing: nil)
            } else {
                problems.append(Problem(error: u.error, sortLine: u.error.line ?? Int.max, missing: nil))
            }
        }
        document.problems = []
        // Stable: problems on one line keep the order they were found in.
        let sorted = problems.enumerated().sorted { a, b in
            a.element.sortLine != b.element.sortLine ? a.element.sortLine < b.element.sortLine : a.offset < b.offset
        }.map(\.element.error)
        if sorted.count == 1 { throw sorted[0] }
        if sorted.count > 1 { throw InputErrors(sorted) }
        return value!
    }

    /// Reject keys that were never read, in this table and every sub-table read from it. Call once
    /// on the root after decoding. When several keys are unknown, the first in the file is reported
    /// (`collectingErrors` reports them all).
    public func finish() throws {
        var found: [(table: String, key: String, error: InputError)] = []
        collectUnknown(into: &found)
        if let first = found.map(\.error).min(by: { ($0.line ?? Int.max, $0.keyPath) < ($1.line ?? Int.max, $1.keyPath) }) {
            throw first
        }
    }

    private func collectUnknown(into found: inout [(table: String, key: String, error: InputError)]) {
        let known = asked
        for e in entries where recordIndex[e.key] == nil && !silent {
            let key = e.key, node = e.value
            var problem = "unknown key"
            if let near = Describe.nearest(key, in: known) { problem += "; did you mean '\(near)'?" }
            found.append((keyPath, key, error(path(key), node, problem, allowed: known.isEmpty ? "no keys here" : known.joined(separator: ", "))))
        }
        for r in records {
            switch r {
            case .value: break
            case .table(_, let t): t.collectUnknown(into: &found)
            case .tables(_, let ts): for t in ts { t.collectUnknown(into: &found) }
            }
        }
    }

    // MARK: - Effective input

    /// The effective input — every key read, defaults filled in, in reading order — as TOML with
    /// `# unit — doc` comments. Optional keys that were not given appear as comments. Parsing it
    /// back and decoding it gives the same values.
    public func effectiveTOML() -> String {
        var out = "# Effective input of \(file) (defaults filled in).\n"
        emit(into: &out)
        return out
    }

    private func emit(into out: inout String) {
        var subtables: [(header: String, isArray: Bool, table: InputTable)] = []
        for r in records {
            switch r {
            case .value(let key, let literal, let unit, let doc):
                let comment = [unit, doc].filter { !$0.isEmpty }.joined(separator: " — ")
                if let literal {
                    out += TOMLText.key(key) + " = " + literal + (comment.isEmpty ? "" : "  # " + comment) + "\n"
                } else {
                    out += "# " + TOMLText.key(key) + " (optional, not set)" + (comment.isEmpty ? "" : " — " + comment) + "\n"
                }
            case .table(let key, let t):
                subtables.append((TOMLText.headerPath(headerKeys + [key]), false, t))
            case .tables(let key, let ts):
                if ts.isEmpty { out += TOMLText.key(key) + " = []\n" }
                for t in ts { subtables.append((TOMLText.headerPath(headerKeys + [key]), true, t)) }
            }
        }
        for s in subtables {
            // A table holding only sub-tables needs no header of its own (`[wz.kick_off]` implies `wz`).
            let onlySubtables = !s.table.records.isEmpty && s.table.records.allSatisfy {
                if case .value = $0 { return false }
                if case .tables(_, let ts) = $0, ts.isEmpty { return false }
                return true
            }
            if s.isArray { out += "\n[[\(s.header)]]\n" } else if !onlySubtables { out += "\n[\(s.header)]\n" }
            s.table.emit(into: &out)
        }
    }

    // MARK: - Helpers

    private func path(_ key: String) -> String { SourceLines.join(keyPath, key) }

    /// Replaces the effective-input text of the string `key`, already read, with `s` (e.g. a path
    /// resolved against the file's folder, so that the effective input reads the same from anywhere).
    public func setEffective(_ key: String, string s: String) {
        guard let i = recordIndex[key], case let .value(k, _, unit, doc) = records[i] else { return }
        records[i] = .value(key: k, literal: TOMLText.string(s), unit: unit, doc: doc)
    }

    private func record(_ r: Record) {
        if let i = recordIndex[r.key] { records[i] = r } else {
            recordIndex[r.key] = records.count
            records.append(r)
        }
    }

    private func error(_ path: String, _ node: InputNode, _ problem: String, allowed: String?) -> InputError {
        InputError(file: file, keyPath: path, value: node.literal, problem: problem, allowed: allowed,
                   line: document.lines.line(for: path))
    }

    private func missing(_ key: String, allowed: String) -> InputError {
        InputError(file: file, keyPath: path(key), problem: "missing required key", allowed: allowed)
    }

    private func asked(_ key: String) {
        if !asked.contains(key) { asked.append(key) }
    }

    /// Collect `e` (nothing in a silent table) or, when not collecting, throw it.
    private func report(_ e: InputError) throws {
        guard document.collecting else { throw e }
        if !silent { addProblem(e, missing: nil) }
    }

    private func reportMissing(_ key: String, allowed: String) throws {
        let e = missing(key, allowed: allowed)
        guard document.collecting else { throw e }
        if !silent { addProblem(e, missing: (keyPath, key)) }
    }

    /// A missing key has no line: it sorts at the line of its table (the file's start for the root).
    private func addProblem(_ e: InputError, missing: (table: String, key: String)?) {
        let line = e.line ?? (keyPath.isEmpty ? 0 : document.lines.line(for: keyPath) ?? 0)
        document.problems.append(Problem(error: e, sortLine: line, missing: missing))
    }

    /// The checked number, or nil after reporting why not.
    private func number(_ node: InputNode, path: String, range: ClosedRange<Double>?, unit: String,
                        allowed: String) throws -> Double? {
        let x: Double
        switch node {
        case .double(let v): x = v
        case .int(let i): x = Double(i)
        default:
            try report(error(path, node, "expected a number, got \(node.typeName)", allowed: allowed))
            return nil
        }
        if let range {
            if !range.contains(x) {
                try report(error(path, node, "must be " + Describe.range(range) + (unit.isEmpty ? "" : " " + unit), allowed: nil))
                return nil
            }
        } else if !x.isFinite {
            try report(error(path, node, "must be a finite number", allowed: nil))
            return nil
        }
        return x
    }

    /// The checked integer, or nil after reporting why not.
    private func integer(_ node: InputNode, path: String, range: ClosedRange<Int>?, allowed: String) throws -> Int? {
        guard case .int(let i) = node else {
            try report(error(path, node, "expected an integer, got \(node.typeName)", allowed: allowed))
            return nil
        }
        if let range, !range.contains(i) {
            try report(error(path, node, "must be " + Describe.range(range), allowed: nil))
            return nil
        }
        return i
    }

    private func readString(_ key: String, allowed: [String]?, doc: String) throws -> String? {
        guard let node = present[key] else {
            record(.value(key: key, literal: nil, unit: "", doc: doc))
            return nil
        }
        guard case .string(let s) = node else {
            try report(error(path(key), node, "expected a string, got \(node.typeName)", allowed: Describe.string(allowed)))
            record(.value(key: key, literal: nil, unit: "", doc: doc))
            return nil
        }
        if let allowed, !allowed.contains(s) {
            var problem = "not an allowed value"
            if let near = Describe.nearest(s, in: allowed) { problem += "; did you mean \(TOMLText.string(near))?" }
            try report(error(path(key), node, problem, allowed: Describe.string(allowed)))
            record(.value(key: key, literal: nil, unit: "", doc: doc))
            return nil
        }
        record(.value(key: key, literal: TOMLText.string(s), unit: "", doc: doc))
        return s
    }

    /// Present array elements, or nil when absent with a default (or after reporting a problem).
    private func array(_ key: String, count: Int?, allowed: String, hasDefault: Bool) throws -> [InputNode]? {
        guard let node = present[key] else {
            if hasDefault { return nil }
            try reportMissing(key, allowed: allowed)
            return nil
        }
        guard case .array(let items) = node else {
            try report(error(path(key), node, "expected an array, got \(node.typeName)", allowed: allowed))
            return nil
        }
        if let count, items.count != count {
            try report(error(path(key), node, "has \(items.count) element\(items.count == 1 ? "" : "s"), expected \(count)", allowed: nil))
            return nil
        }
        return items
    }
}

extension InputTable.Record {
    var key: String {
        switch self {
        case .value(let k, _, _, _), .table(let k, _), .tables(let k, _): return k
        }
    }
}

extension TOMLText {
    /// `a.b.c` header text with each key quoted when needed.
    static func headerPath(_ keys: [String]) -> String { keys.map(key).joined(separator: ".") }
}

/// Stand-in values handed back for a bad or missing key while problems are collected: inside the
/// key's range, so that decoding can go on (they never reach a run: the collected errors are thrown).
enum Substitute {
    static func double(_ r: ClosedRange<Double>?) -> Double {
        guard let r else { return 0 }
        return min(max(0, r.lowerBound), r.upperBound)
    }
    static func int(_ r: ClosedRange<Int>?) -> Int {
        guard let r else { return 0 }
        return min(max(0, r.lowerBound), r.upperBound)
    }
}

/// Texts for "allowed" and "must be" parts of messages.
enum Describe {
    static func range(_ r: ClosedRange<Double>) -> String {
        switch (r.lowerBound == -.infinity, r.upperBound == .infinity) {
        case (true, true): return "a number"
        case (false, true): return "≥ \(r.lowerBound)"
        case (true, false): return "≤ \(r.upperBound)"
        case (false, false): return "in \(r.lowerBound)...\(r.upperBound)"
        }
    }

    static func range(_ r: ClosedRange<Int>) -> String {
        switch (r.lowerBound == Int.min, r.upperBound == Int.max) {
        case (true, true): return "an integer"
        case (false, true): return "≥ \(r.lowerBound)"
        case (true, false): return "≤ \(r.upperBound)"
        case (false, false): return "in \(r.lowerBound)...\(r.upperBound)"
        }
    }

    static func number(range r: ClosedRange<Double>?, unit: String) -> String {
        var s = "a number"
        if let r, !(r.lowerBound == -.infinity && r.upperBound == .infinity) { s += " " + range(r) }
        if !unit.isEmpty { s += " " + unit }
        return s
    }

    static func integer(range r: ClosedRange<Int>?) -> String {
        guard let r, !(r.lowerBound == Int.min && r.upperBound == Int.max) else { return "an integer" }
        return "an integer " + range(r)
    }

    static func string(_ allowed: [String]?) -> String {
        guard let allowed else { return "a string" }
        return allowed.map(TOMLText.string).joined(separator: ", ")
    }

    /// The candidate closest to `word` by edit distance, if close enough to be a likely typo.
    static func nearest(_ word: String, in candidates: [String]) -> String? {
        var best: (String, Int)? = nil
        for c in candidates {
            let d = editDistance(Array(word.lowercased()), Array(c.lowercased()))
            if d <= max(1, min(3, c.count / 3)), d < (best?.1 ?? Int.max) { best = (c, d) }
        }
        return best?.0
    }

    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        // Optimal-string-alignment distance: insertions, deletions, substitutions and adjacent
        // transpositions ("fsat" → "fast") each cost 1.
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[a.count][b.count]
    }
}
