// Extended XYZ — the one reader/writer of the package (the format of ASE and OVITO; specification:
// libAtoms/extxyz, https://github.com/libAtoms/extxyz). MD (configurations, trajectories) and KMC
// (wire snapshots) adapt their own data types to it. One frame:
//
//     N
//     Lattice="ax ay az bx by bz cx cy cz" Properties=species:S:1:pos:R:3[:name:T:m …] [key=value …] pbc="T T F"
//     <species> x y z [extra columns]
//     …
//
// Lattice holds the rows a, b, c (Å); Properties lists the per-atom columns as name:type:count
// triples (types S string, R real, I integer, L logical T/F), always starting with species:S:1 and
// pos:R:3 when written. Frames are concatenated for trajectories.
//
// Writing: comment-line values are quoted ("…") when empty or holding a space, '=' or '"' (a '"'
// inside becomes '); `pbc` goes last (ASE's order) or right after Properties (`PBCPlacement`).
// Numbers are written either in Swift's shortest round-trip form (a value written and read back is
// bit-identical) or in fixed point with a set number of decimals by an integer routine (no printf
// per number, byte-identical between runs: a 1.6 M-atom frame encodes in well under a second).
//
// Reading: keys Lattice, Properties and pbc are matched case-insensitively; values may be quoted
// ("…" or '…') or bare; a bare key is a flag (value "T"). Properties default to species:S:1:pos:R:3.
// The species come from species:S:1 or, without it, from Z:I:1 (atomic numbers → symbols); pos:R:3
// is required. Every other column is kept, typed, in `Frame.columns`. Real values must be finite.
// pbc defaults to "T T T" with a Lattice and "F F F" without; a periodic frame needs a Lattice.
// Every error names the 1-based line and what is wrong; an atom line with the wrong number of
// columns names both counts and the Properties that declare them. Parsing is O(size of text).

import Foundation

/// An extended-XYZ reading error, with the 1-based line number.
public struct ExtendedXYZError: Error, Equatable, CustomStringConvertible {
    /// 1-based line in the file (0 if not tied to a line).
    public var line: Int
    /// What is wrong.
    public var message: String
    /// Creates an error at `line` (1-based; 0: not tied to a line).
    public init(line: Int, message: String) { self.line = line; self.message = message }
    public var description: String { line > 0 ? "extended XYZ line \(line): \(message)" : "extended XYZ: \(message)" }
}

/// Extended XYZ reader and writer (ASE/OVITO compatible). See the file header for the format.
public enum ExtendedXYZ {
    // MARK: Types

    /// Type of a per-atom property: S string, R real, I integer, L logical.
    public enum ValueType: String, Sendable, CaseIterable {
        case string = "S", real = "R", integer = "I", logical = "L"
    }

    /// One per-atom property of `Properties=`: name, type and number of columns.
    public struct Property: Sendable, Equatable, CustomStringConvertible {
        /// Property name, e.g. "velo".
        public var name: String
        /// Value type.
        public var type: ValueType
        /// Columns per atom (≥ 1).
        public var count: Int
        /// Creates a property (count ≥ 1).
        public init(_ name: String, _ type: ValueType, _ count: Int) {
            precondition(count >= 1, "ExtendedXYZ.Property \(name): count \(count) < 1")
            self.name = name; self.type = type; self.count = count
        }
        /// `species:S:1` — chemical symbols.
        public static let species = Property("species", .string, 1)
        /// `pos:R:3` — positions, Å.
        public static let positions = Property("pos", .real, 3)
        /// `velo:R:3` — velocities (ASE's name), Å/ps in this package.
        public static let velocities = Property("velo", .real, 3)
        /// `forces:R:3` — forces, eV/Å.
        public static let forces = Property("forces", .real, 3)
        /// The `name:T:count` triple.
        public var description: String { "\(name):\(type.rawValue):\(count)" }
    }

    /// The `Lattice=` vectors (rows a, b, c), Å.
    public struct Lattice: Sendable, Equatable {
        /// Lattice vectors, Å.
        public var a: SIMD3<Double>, b: SIMD3<Double>, c: SIMD3<Double>
        /// Creates a lattice from its three vectors (Å).
        public init(a: SIMD3<Double>, b: SIMD3<Double>, c: SIMD3<Double>) { self.a = a; self.b = b; self.c = c }
        /// Orthorhombic box with edge lengths `lengths` (Å).
        public static func orthorhombic(_ lengths: SIMD3<Double>) -> Lattice {
            Lattice(a: SIMD3(lengths.x, 0, 0), b: SIMD3(0, lengths.y, 0), c: SIMD3(0, 0, lengths.z))
        }
        /// The nine numbers in the order of `Lattice="…"`.
        public var components: [Double] { [a.x, a.y, a.z, b.x, b.y, b.z, c.x, c.y, c.z] }
    }

    /// Values of one extra per-atom property, flattened atom by atom (`count` values per atom).
    public enum Values: Sendable, Equatable {
        case real([Double]), integer([Int]), logical([Bool]), string([String])
        /// Number of values stored.
        public var valueCount: Int {
            switch self {
            case let .real(v): return v.count
            case let .integer(v): return v.count
            case let .logical(v): return v.count
            case let .string(v): return v.count
            }
        }
        var type: ValueType {
            switch self {
            case .real: return .real
            case .integer: return .integer
            case .logical: return .logical
            case .string: return .string
            }
        }
    }

    /// An extra per-atom column group (any property other than species and pos).
    public struct Column: Sendable, Equatable {
        /// Name, type and column count.
        public var property: Property
        /// The values, `property.count` per atom, in atom order.
        public var values: Values
        /// Creates a column; `values` must have `property`'s type.
        public init(_ property: Property, _ values: Values) {
            precondition(values.type == property.type, "ExtendedXYZ.Column \(property): values of type \(values.type) given")
            self.property = property; self.values = values
        }
        /// A `name:R:3` column from vectors.
        public init(_ name: String, vectors: [SIMD3<Double>]) {
            var v: [Double] = []
            v.reserveCapacity(3 * vectors.count)
            for x in vectors { v.append(x.x); v.append(x.y); v.append(x.z) }
            self.init(Property(name, .real, 3), .real(v))
        }
        /// The values as vectors when the column is `R:3`, else nil.
        public var vectors: [SIMD3<Double>]? {
            guard property.count == 3, case let .real(v) = values else { return nil }
            return stride(from: 0, to: v.count, by: 3).map { SIMD3(v[$0], v[$0 + 1], v[$0 + 2]) }
        }
    }

    /// One frame: cell, periodicity, comment-line keys, species, positions and extra columns.
    public struct Frame: Sendable, Equatable {
        /// `Lattice=` vectors, Å (nil: the frame had none).
        public var lattice: Lattice?
        /// Periodicity along a, b, c.
        public var pbc: (Bool, Bool, Bool)
        /// Comment-line key/values other than Lattice, Properties and pbc (quotes removed).
        public var info: [String: String]
        /// Chemical symbols, one per atom.
        public var species: [String]
        /// Positions, Å.
        public var positions: [SIMD3<Double>]
        /// Extra per-atom columns in `Properties` order.
        public var columns: [Column]
        /// 1-based line of the frame's atom-count line in the text it was read from (0: built in
        /// memory); atom i is on line `sourceLine + 2 + i`. Not part of equality.
        public var sourceLine: Int

        /// Creates a frame. pbc defaults to all true with a lattice, all false without.
        public init(lattice: Lattice?, pbc: (Bool, Bool, Bool)? = nil, info: [String: String] = [:], species: [String],
                    positions: [SIMD3<Double>], columns: [Column] = [], sourceLine: Int = 0) {
            precondition(species.count == positions.count, "ExtendedXYZ.Frame: \(species.count) species, \(positions.count) positions")
            for c in columns {
                precondition(c.values.valueCount == c.property.count * positions.count,
                             "ExtendedXYZ.Frame: column \(c.property) holds \(c.values.valueCount) values for \(positions.count) atoms")
            }
            self.lattice = lattice
            self.pbc = pbc ?? (lattice == nil ? (false, false, false) : (true, true, true))
            self.info = info; self.species = species; self.positions = positions; self.columns = columns
            self.sourceLine = sourceLine
        }

        /// Number of atoms.
        public var count: Int { positions.count }
        /// The `Properties` of the frame: species, pos, then the extra columns.
        public var properties: [Property] { [.species, .positions] + columns.map(\.property) }
        /// The first column whose name is one of `names`.
        public func column(_ names: String...) -> Column? { columns.first { names.contains($0.property.name) } }
        /// 1-based line of atom `i` in the source text (0 when built in memory).
        public func line(ofAtom i: Int) -> Int { sourceLine > 0 ? sourceLine + 2 + i : 0 }

        public static func == (l: Frame, r: Frame) -> Bool {
            l.lattice == r.lattice && l.pbc == r.pbc && l.info == r.info && l.species == r.species
                && l.positions == r.positions && l.columns == r.columns
        }
    }

    /// Where `pbc=` goes on the comment line.
    public enum PBCPlacement: Sendable {
        /// After the info keys, last (ASE's order).
        case last
        /// Right after `Properties=`, before the info keys.
        case afterProperties
    }

    /// The comment line of a frame, apart from `Properties=` (which the writer knows).
    public struct Header: Sendable {
        /// `Lattice=` vectors, Å (nil: omitted).
        public var lattice: Lattice?
        /// Periodicity along a, b, c.
        public var pbc: (Bool, Bool, Bool)
        /// Further key/values, written in this order.
        public var info: [(key: String, value: String)]
        /// Where `pbc=` goes.
        public var pbcPlacement: PBCPlacement
        /// Creates a header.
        public init(lattice: Lattice?, pbc: (Bool, Bool, Bool), info: [(key: String, value: String)] = [],
                    pbcPlacement: PBCPlacement = .last) {
            self.lattice = lattice; self.pbc = pbc; self.info = info; self.pbcPlacement = pbcPlacement
        }

        /// The comment line (no line break) for atoms with `properties`.
        public func commentLine(properties: [Property]) -> String {
            var pairs: [(String, String)] = []
            if let lattice { pairs.append(("Lattice", lattice.components.map { "\($0)" }.joined(separator: " "))) }
            pairs.append(("Properties", properties.map(\.description).joined(separator: ":")))
            let pbcText = [pbc.0, pbc.1, pbc.2].map { $0 ? "T" : "F" }.joined(separator: " ")
            if pbcPlacement == .afterProperties { pairs.append(("pbc", pbcText)) }
            for (k, v) in info { pairs.append((k, v)) }
            if pbcPlacement == .last { pairs.append(("pbc", pbcText)) }
            return pairs.map { k, v in "\(k)=" + ExtendedXYZ.quoted(v) }.joined(separator: " ")
        }
    }

    /// How numbers are written.
    public enum NumberFormat: Sendable, Equatable {
        /// Swift's shortest representation that reads back bit-identically ("1.0", "1e-05").
        case shortest
        /// Fixed point with `decimals` (0…9) decimals, rounded half away from zero; −0 prints as 0.
        /// Requires |x|·10^decimals < 9·10¹⁸.
        case fixed(decimals: Int)

        /// Appends the UTF-8 text of `x` to `out`. O(digits).
        public func append(_ x: Double, to out: inout [UInt8]) {
            switch self {
            case .shortest: out.append(contentsOf: x.description.utf8)
            case let .fixed(d): ExtendedXYZ.appendFixed(x, decimals: d, to: &out)
            }
        }
    }

    // MARK: Writing

    /// Builds one frame's text atom by atom (the body is kept as bytes; the count and comment line
    /// are prepended by `encoded()`). Append each atom with `appendAtom`, or field by field with
    /// `beginAtom` + `appendValue…` + `endAtom`; the fields must match `properties` (checked).
    public struct Writer: Sendable {
        /// Per-atom properties: species:S:1, pos:R:3, then the extra ones.
        public let properties: [Property]
        /// How numbers are written.
        public let numbers: NumberFormat
        /// The comment line's contents (may be changed before `encoded()`).
        public var header: Header
        /// Atoms appended so far.
        public private(set) var atomCount = 0

        private var body: [UInt8] = []
        private let fieldTypes: [ValueType]   // extra fields per atom, after species and pos
        private var field = -1                 // index of the next extra field; -1: no atom open

        /// Creates an empty frame.
        /// - Parameters:
        ///   - extra: properties after species:S:1 and pos:R:3 (none by default).
        ///   - header: Lattice, pbc and info keys.
        ///   - numbers: number format of the atom lines (the comment line always uses the shortest form).
        ///   - expectedAtoms: capacity hint.
        public init(extra: [Property] = [], header: Header, numbers: NumberFormat = .shortest, expectedAtoms: Int = 0) {
            for p in extra {
                precondition(p.name.lowercased() != "species" && p.name.lowercased() != "pos",
                             "ExtendedXYZ.Writer: \(p) duplicates species:S:1 or pos:R:3")
            }
            properties = [.species, .positions] + extra
            self.header = header
            self.numbers = numbers
            fieldTypes = extra.flatMap { Array(repeating: $0.type, count: $0.count) }
            body.reserveCapacity(expectedAtoms * (fieldTypes.count + 3) * 10)
        }

        /// Appends an atom with no extra columns (`symbol`, position in Å). O(1); the KMC snapshot hot path.
        public mutating func appendAtom(species symbol: String, position p: SIMD3<Double>) {
            precondition(field < 0 && fieldTypes.isEmpty,
                         "ExtendedXYZ.Writer.appendAtom(species:position:) needs Properties=species:S:1:pos:R:3 and no open atom, have \(propertiesText)")
            appendSpeciesAndPosition(symbol, p)
            body.append(0x0A)
            atomCount += 1
        }

        /// Appends an atom whose extra columns are all reals (e.g. velo:R:3, forces:R:3), given as vectors.
        public mutating func appendAtom(species symbol: String, position p: SIMD3<Double>, vectors: [SIMD3<Double>]) {
            beginAtom(species: symbol, position: p)
            for v in vectors { appendValue(v.x); appendValue(v.y); appendValue(v.z) }
            endAtom()
        }

        /// Starts an atom line: species and position (Å).
        public mutating func beginAtom(species symbol: String, position p: SIMD3<Double>) {
            precondition(field < 0, "ExtendedXYZ.Writer: beginAtom before the previous atom's endAtom")
            appendSpeciesAndPosition(symbol, p)
            field = 0
        }

        private mutating func appendSpeciesAndPosition(_ symbol: String, _ p: SIMD3<Double>) {
            // A per-atom scan: checked in debug builds only.
            assert(!symbol.isEmpty && !symbol.utf8.contains(0x20), "ExtendedXYZ.Writer: species '\(symbol)' must be one non-empty word")
            body.append(contentsOf: symbol.utf8)
            body.append(0x20); numbers.append(p.x, to: &body)
            body.append(0x20); numbers.append(p.y, to: &body)
            body.append(0x20); numbers.append(p.z, to: &body)
        }

        private mutating func nextField(_ t: ValueType) {
            precondition(field >= 0, "ExtendedXYZ.Writer: value appended outside beginAtom/endAtom")
            precondition(field < fieldTypes.count,
                         "ExtendedXYZ.Writer: atom \(atomCount) gets more than the \(fieldTypes.count + 4) columns of Properties=\(propertiesText)")
            precondition(fieldTypes[field] == t,
                         "ExtendedXYZ.Writer: column \(field + 5) of Properties=\(propertiesText) is \(fieldTypes[field].rawValue), got \(t.rawValue)")
            field += 1
            body.append(0x20)
        }
        /// Appends a real value (R column).
        public mutating func appendValue(_ x: Double) { nextField(.real); numbers.append(x, to: &body) }
        /// Appends an integer value (I column).
        public mutating func appendValue(_ i: Int) { nextField(.integer); body.append(contentsOf: String(i).utf8) }
        /// Appends a logical value (L column), as T or F.
        public mutating func appendValue(_ b: Bool) { nextField(.logical); body.append(b ? 0x54 : 0x46) }
        /// Appends a string value (S column; one word).
        public mutating func appendValue(_ s: String) {
            precondition(!s.isEmpty && !s.contains(" "), "ExtendedXYZ.Writer: string value '\(s)' must be one non-empty word")
            nextField(.string); body.append(contentsOf: s.utf8)
        }
        /// Ends the atom line; all declared columns must have been appended.
        public mutating func endAtom() {
            precondition(field == fieldTypes.count,
                         "ExtendedXYZ.Writer: atom \(atomCount) has \(max(field, 0) + 4) columns, Properties=\(propertiesText) declare \(fieldTypes.count + 4)")
            body.append(0x0A)
            atomCount += 1
            field = -1
        }

        private var propertiesText: String { properties.map(\.description).joined(separator: ":") }

        /// The comment (second) line, without its line break.
        public var commentLine: String { header.commentLine(properties: properties) }

        /// The complete frame as UTF-8 bytes.
        public func encoded() -> [UInt8] {
            precondition(field < 0, "ExtendedXYZ.Writer: encoded() with an atom line still open")
            var out = Array("\(atomCount)\n\(commentLine)\n".utf8)
            out.reserveCapacity(out.count + body.count)
            out.append(contentsOf: body)
            return out
        }

        /// The complete frame as text.
        public var text: String { String(decoding: encoded(), as: UTF8.self) }
    }

    /// Formats one frame (numbers in `numbers`; info keys sorted). O(atoms × columns).
    public static func format(_ frame: Frame, numbers: NumberFormat = .shortest, pbcPlacement: PBCPlacement = .last) -> String {
        let header = Header(lattice: frame.lattice, pbc: frame.pbc, info: frame.info.sorted { $0.key < $1.key }.map { ($0.key, $0.value) },
                            pbcPlacement: pbcPlacement)
        var w = Writer(extra: frame.columns.map(\.property), header: header, numbers: numbers, expectedAtoms: frame.count)
        for i in 0..<frame.count {
            w.beginAtom(species: frame.species[i], position: frame.positions[i])
            for c in frame.columns {
                let n = c.property.count
                switch c.values {
                case let .real(v): for k in 0..<n { w.appendValue(v[i * n + k]) }
                case let .integer(v): for k in 0..<n { w.appendValue(v[i * n + k]) }
                case let .logical(v): for k in 0..<n { w.appendValue(v[i * n + k]) }
                case let .string(v): for k in 0..<n { w.appendValue(v[i * n + k]) }
                }
            }
            w.endAtom()
        }
        return w.text
    }

    /// Writes `frames` to `path` (overwriting, atomically).
    public static func write(_ frames: [Frame], to path: String, numbers: NumberFormat = .shortest,
                             pbcPlacement: PBCPlacement = .last) throws {
        let text = frames.map { format($0, numbers: numbers, pbcPlacement: pbcPlacement) }.joined()
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// A comment-line value, quoted when empty or holding a space, '=' or '"' (which becomes ').
    static func quoted(_ v: String) -> String {
        let needsQuotes = v.isEmpty || v.contains(where: { $0 == " " || $0 == "=" || $0 == "\"" })
        return needsQuotes ? "\"" + v.replacingOccurrences(of: "\"", with: "'") + "\"" : v
    }

    // Fixed point, half away from zero; exact while |x|·10^d < 9e18 (Int64).
    static func appendFixed(_ x: Double, decimals d: Int, to out: inout [UInt8]) {
        precondition((0...9).contains(d), "ExtendedXYZ.NumberFormat.fixed: decimals \(d) (allowed 0…9)")
        var scale: Int64 = 1
        for _ in 0..<d { scale *= 10 }
        precondition(x.isFinite && abs(x) * Double(scale) < 9e18, "ExtendedXYZ: number \(x) out of range for \(d) fixed decimals")
        var v = Int64((abs(x) * Double(scale)).rounded(.toNearestOrAwayFromZero))
        if x < 0 && v != 0 { out.append(0x2D) }
        var ip = v / scale
        v -= ip * scale
        // Integer digits, least significant first into a fixed buffer (no allocation), then reversed.
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)   // 24 bytes ≥ 19 digits of Int64
        withUnsafeMutableBytes(of: &digits) { buf in
            var n = 0
            repeat { buf[n] = UInt8(48 + ip % 10); ip /= 10; n += 1 } while ip > 0
            for k in stride(from: n - 1, through: 0, by: -1) { out.append(buf[k]) }
        }
        guard d > 0 else { return }
        out.append(0x2E)
        var div = scale / 10
        for _ in 0..<d { out.append(UInt8(48 + (v / div) % 10)); div /= 10 }
    }

    // MARK: Reading

    /// Reads all frames of the file at `path`.
    public static func read(contentsOf path: String) throws -> [Frame] {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) }
        catch { throw ExtendedXYZError(line: 0, message: "cannot read \(path): \(error.localizedDescription)") }
        return try parse(text)
    }

    /// Parses all frames of `text` (blank lines between frames are skipped). O(size of text).
    public static func parse(_ text: String) throws -> [Frame] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        if lines.last?.isEmpty == true { lines.removeLast() }
        var frames: [Frame] = []
        var i = 0
        while i < lines.count {
            let head = lines[i].trimmingCharacters(in: .whitespaces)
            if head.isEmpty { i += 1; continue }
            guard let n = Int(head), n >= 0 else {
                throw ExtendedXYZError(line: i + 1, message: "expected the atom count, got \"\(head)\"")
            }
            guard i + 1 < lines.count else { throw ExtendedXYZError(line: i + 2, message: "missing comment line") }
            guard i + 2 + n <= lines.count else {
                throw ExtendedXYZError(line: lines.count + 1, message: "frame declares \(n) atoms but the file ends early, after \(lines.count - i - 2)")
            }
            frames.append(try parseFrame(comment: String(lines[i + 1]), atomLines: lines[(i + 2)..<(i + 2 + n)], countLine: i + 1))
            i += 2 + n
        }
        return frames
    }

    /// Where a declared property's values go while reading.
    private enum Slot { case species, atomicNumber, position, extra(Int) }

    private static func parseFrame(comment: String, atomLines: ArraySlice<Substring>, countLine: Int) throws -> Frame {
        let commentLine = countLine + 1
        let n = atomLines.count
        var info: [String: String] = [:]
        var latticeText: String?, propsText: String?, pbcText: String?
        for (k, v) in try parseKeyValues(comment, line: commentLine) {
            switch k.lowercased() {
            case "lattice": latticeText = v
            case "properties": propsText = v
            case "pbc": pbcText = v
            default: info[k] = v
            }
        }
        // Properties.
        let propsValue = propsText ?? "species:S:1:pos:R:3"
        let words = propsValue.split(separator: ":").map(String.init)
        guard words.count % 3 == 0 else {
            throw ExtendedXYZError(line: commentLine, message: "Properties must be name:type:count triples, got \"\(propsValue)\"")
        }
        var props: [Property] = []
        for t in stride(from: 0, to: words.count, by: 3) {
            guard let type = ValueType(rawValue: words[t + 1].uppercased()), let cnt = Int(words[t + 2]), cnt >= 1 else {
                throw ExtendedXYZError(line: commentLine, message: "bad property \"\(words[t]):\(words[t + 1]):\(words[t + 2])\" (type S, R, I or L; count ≥ 1)")
            }
            props.append(Property(words[t], type, cnt))
        }
        let hasSpecies = props.contains(.species)
        var slots: [Slot] = [], extras: [Property] = []
        var sawPos = false, sawSpecies = false
        for p in props {
            if p == .species && !sawSpecies { slots.append(.species); sawSpecies = true }
            else if p == Property("Z", .integer, 1) && !hasSpecies && !sawSpecies { slots.append(.atomicNumber); sawSpecies = true }
            else if p == .positions && !sawPos { slots.append(.position); sawPos = true }
            else { slots.append(.extra(extras.count)); extras.append(p) }
        }
        guard sawPos && sawSpecies else {
            throw ExtendedXYZError(line: commentLine, message: "Properties must include species:S:1 (or Z:I:1) and pos:R:3, got \"\(propsValue)\"")
        }
        let declared = props.reduce(0) { $0 + $1.count }
        // Atoms.
        var species: [String] = [], positions: [SIMD3<Double>] = []
        species.reserveCapacity(n); positions.reserveCapacity(n)
        var reals = extras.map { _ in [Double]() }
        var ints = extras.map { _ in [Int]() }, flags = extras.map { _ in [Bool]() }, strings = extras.map { _ in [String]() }
        for (offset, raw) in atomLines.enumerated() {
            let lineNo = commentLine + 1 + offset
            let f = raw.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard f.count == declared else {
                throw ExtendedXYZError(line: lineNo, message: "atom line has \(f.count) columns, but Properties=\(propsValue) declare \(declared)")
            }
            func real(_ w: Substring) throws -> Double {
                guard let x = Double(w), x.isFinite else { throw ExtendedXYZError(line: lineNo, message: "not a finite number: \"\(w)\"") }
                return x
            }
            var k = 0
            for (p, slot) in zip(props, slots) {
                defer { k += p.count }
                switch slot {
                case .species: species.append(String(f[k]))
                case .atomicNumber:
                    guard let z = Int(f[k]), z >= 1, z <= elementSymbols.count else {
                        throw ExtendedXYZError(line: lineNo, message: "atomic number \"\(f[k])\" (allowed: 1…\(elementSymbols.count))")
                    }
                    species.append(elementSymbols[z - 1])
                case .position: positions.append(SIMD3(try real(f[k]), try real(f[k + 1]), try real(f[k + 2])))
                case let .extra(e):
                    for w in f[k..<(k + p.count)] {
                        switch p.type {
                        case .real: reals[e].append(try real(w))
                        case .integer:
                            guard let v = Int(w) else { throw ExtendedXYZError(line: lineNo, message: "not an integer: \"\(w)\" (property \(p))") }
                            ints[e].append(v)
                        case .logical:
                            guard let v = logical(String(w)) else {
                                throw ExtendedXYZError(line: lineNo, message: "not a logical: \"\(w)\" (property \(p); allowed: T/F, True/False, 1/0)")
                            }
                            flags[e].append(v)
                        case .string: strings[e].append(String(w))
                        }
                    }
                }
            }
        }
        let columns: [Column] = extras.enumerated().map { e, p in
            switch p.type {
            case .real: return Column(p, .real(reals[e]))
            case .integer: return Column(p, .integer(ints[e]))
            case .logical: return Column(p, .logical(flags[e]))
            case .string: return Column(p, .string(strings[e]))
            }
        }
        // pbc.
        var periodic: (Bool, Bool, Bool)
        if let pbcText {
            let w = pbcText.split(separator: " ").map { String($0) }
            func flag(_ s: String) throws -> Bool {
                guard let b = logical(s) else { throw ExtendedXYZError(line: commentLine, message: "pbc value \"\(s)\" (allowed: T/F, True/False, 1/0)") }
                return b
            }
            if w.count == 1 { let b = try flag(w[0]); periodic = (b, b, b) }
            else if w.count == 3 { periodic = (try flag(w[0]), try flag(w[1]), try flag(w[2])) }
            else { throw ExtendedXYZError(line: commentLine, message: "pbc must have 1 or 3 values, got \"\(pbcText)\"") }
        } else {
            periodic = latticeText == nil ? (false, false, false) : (true, true, true)
        }
        // Lattice.
        var lattice: Lattice?
        if let latticeText {
            let w = latticeText.split(separator: " ").compactMap { Double($0) }
            guard w.count == 9, w.allSatisfy({ $0.isFinite }) else {
                throw ExtendedXYZError(line: commentLine, message: "Lattice must hold 9 numbers, got \"\(latticeText)\"")
            }
            lattice = Lattice(a: SIMD3(w[0], w[1], w[2]), b: SIMD3(w[3], w[4], w[5]), c: SIMD3(w[6], w[7], w[8]))
        } else if periodic.0 || periodic.1 || periodic.2 {
            throw ExtendedXYZError(line: commentLine, message: "a periodic frame (pbc=\"\(pbcText ?? "")\") needs a Lattice")
        }
        return Frame(lattice: lattice, pbc: periodic, info: info, species: species, positions: positions, columns: columns,
                     sourceLine: countLine)
    }

    private static func logical(_ s: String) -> Bool? {
        switch s.lowercased() {
        case "t", "true", "1": return true
        case "f", "false", "0": return false
        default: return nil
        }
    }

    /// Splits a comment line into key/value pairs (values quoted with "…" or '…', or bare; bare keys → "T").
    static func parseKeyValues(_ s: String, line: Int) throws -> [(String, String)] {
        var out: [(String, String)] = []
        let chars = Array(s)
        var i = 0
        func skipSpace() { while i < chars.count && (chars[i] == " " || chars[i] == "\t") { i += 1 } }
        while true {
            skipSpace()
            if i >= chars.count { break }
            var key = ""
            while i < chars.count && chars[i] != "=" && chars[i] != " " && chars[i] != "\t" { key.append(chars[i]); i += 1 }
            skipSpace()
            if i < chars.count && chars[i] == "=" {
                i += 1
                skipSpace()
                var value = ""
                if i < chars.count && (chars[i] == "\"" || chars[i] == "'") {
                    let q = chars[i]; i += 1
                    while i < chars.count && chars[i] != q { value.append(chars[i]); i += 1 }
                    guard i < chars.count else { throw ExtendedXYZError(line: line, message: "unterminated quoted value for key \(key)") }
                    i += 1
                } else {
                    while i < chars.count && chars[i] != " " && chars[i] != "\t" { value.append(chars[i]); i += 1 }
                }
                out.append((key, value.trimmingCharacters(in: .whitespaces)))
            } else {
                out.append((key, "T"))
            }
        }
        return out
    }

    /// Element symbols by atomic number (index Z − 1), for `Z:I:1` columns.
    static let elementSymbols: [String] = """
        H He Li Be B C N O F Ne Na Mg Al Si P S Cl Ar K Ca Sc Ti V Cr Mn Fe Co Ni Cu Zn Ga Ge As Se Br Kr \
        Rb Sr Y Zr Nb Mo Tc Ru Rh Pd Ag Cd In Sn Sb Te I Xe Cs Ba La Ce Pr Nd Pm Sm Eu Gd Tb Dy Ho Er Tm Yb Lu \
        Hf Ta W Re Os Ir Pt Au Hg Tl Pb Bi Po At Rn Fr Ra Ac Th Pa U Np Pu Am Cm Bk Cf Es Fm Md No Lr \
        Rf Db Sg Bh Hs Mt Ds Rg Cn Nh Fl Mc Lv Ts Og
        """.split(separator: " ").map(String.init)
}
