// Extended XYZ reader and writer (the format of ASE and OVITO; specification: libAtoms/extxyz,
// https://github.com/libAtoms/extxyz). One frame:
//     N
//     Lattice="ax ay az bx by bz cx cy cz" Properties=species:S:1:pos:R:3:velo:R:3 pbc="T T F" key=value …
//     Cd  x y z  vx vy vz
//     …
// Units: positions Å, velocities Å/ps (`velo`), forces eV/Å (`forces`). The lattice vectors are the
// rows a, b, c. Frames are concatenated for trajectories. Numbers are written in Swift's shortest
// round-trip form, so a `Configuration` written and read back is bit-identical.
//
// Reading: keys Lattice, Properties and pbc are matched case-insensitively; values may be quoted
// ("…") or bare; a bare key is a flag (value "T"). Per-atom columns: species:S:1 (Cd, Se, Cu) or
// Z:I:1 (48, 34, 29), pos:R:3, velo:R:3 (also velocities/vel), forces:R:3; other properties are
// skipped by their column count. pbc defaults to "T T T" with a Lattice and "F F F" without. A frame
// without Lattice must be non-periodic: it gets an orthorhombic box spanning the atoms plus 10 Å on
// each side (positions unchanged).

#if canImport(Foundation)
import Foundation
#endif

/// An extended-XYZ reading error, with the 1-based line number.
public struct ExtendedXYZError: Error, Equatable, CustomStringConvertible {
    /// 1-based line in the file (0 if not tied to a line).
    public var line: Int
    /// What is wrong.
    public var message: String
    public var description: String { line > 0 ? "extended XYZ line \(line): \(message)" : "extended XYZ: \(message)" }
}

/// Extended XYZ reader/writer for `Configuration`s.
public enum ExtendedXYZ {
    /// One frame: the configuration, the comment-line key/values (other than Lattice, Properties,
    /// pbc), and forces if the frame had a `forces` column.
    public struct Frame: Sendable, Equatable {
        public var configuration: Configuration
        public var info: [String: String]
        public var forces: [SIMD3<Double>]?
        public init(configuration: Configuration, info: [String: String] = [:], forces: [SIMD3<Double>]? = nil) {
            self.configuration = configuration; self.info = info; self.forces = forces
        }
    }

    /// Padding (Å) of the box built for frames without a Lattice.
    public static let openBoxPadding = 10.0

    // MARK: Writing

    /// Formats one frame. Writes velocities (`velo`) when `includeVelocities` is true, forces when given.
    /// `info` pairs are appended to the comment line in order (values with spaces are quoted).
    public static func format(_ c: Configuration, info: [(String, String)] = [], forces: [SIMD3<Double>]? = nil,
                              includeVelocities: Bool = true) -> String {
        var out = "\(c.count)\n"
        let l = c.cell
        let lattice = [l.a.x, l.a.y, l.a.z, l.b.x, l.b.y, l.b.z, l.c.x, l.c.y, l.c.z].map { "\($0)" }.joined(separator: " ")
        var props = "species:S:1:pos:R:3"
        if includeVelocities { props += ":velo:R:3" }
        if forces != nil { props += ":forces:R:3" }
        let pbc = [l.periodic.0, l.periodic.1, l.periodic.2].map { $0 ? "T" : "F" }.joined(separator: " ")
        out += "Lattice=\"\(lattice)\" Properties=\(props) pbc=\"\(pbc)\""
        for (k, v) in info {
            let needsQuotes = v.isEmpty || v.contains(where: { $0 == " " || $0 == "=" || $0 == "\"" })
            out += " \(k)=" + (needsQuotes ? "\"\(v.replacingOccurrences(of: "\"", with: "'"))\"" : v)
        }
        out += "\n"
        for i in 0..<c.count {
            let p = c.positions[i]
            var line = "\(c.species[i]) \(p.x) \(p.y) \(p.z)"
            if includeVelocities { let v = c.velocities[i]; line += " \(v.x) \(v.y) \(v.z)" }
            if let forces { let f = forces[i]; line += " \(f.x) \(f.y) \(f.z)" }
            out += line + "\n"
        }
        return out
    }

    /// Writes frames to `path` (overwriting).
    public static func write(_ frames: [Frame], to path: String) throws {
        var text = ""
        for f in frames {
            text += format(f.configuration, info: f.info.sorted { $0.key < $1.key }, forces: f.forces)
        }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    // MARK: Reading

    /// Reads all frames of the file at `path`.
    public static func read(contentsOf path: String) throws -> [Frame] {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) }
        catch { throw ExtendedXYZError(line: 0, message: "cannot read \(path): \(error.localizedDescription)") }
        return try parse(text)
    }

    /// Parses all frames of `text`. O(size of text).
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
            frames.append(try parseFrame(count: n, comment: String(lines[i + 1]), atomLines: lines[(i + 2)..<(i + 2 + n)], firstLine: i + 3))
            i += 2 + n
        }
        return frames
    }

    private enum Column { case species, atomicNumber, position, velocity, force, skip(Int) }

    private static func parseFrame(count n: Int, comment: String, atomLines: ArraySlice<Substring>, firstLine: Int) throws -> Frame {
        let commentLine = firstLine - 1
        let kv = try parseKeyValues(comment, line: commentLine)
        var info: [String: String] = [:]
        var latticeText: String?, propsText: String?, pbcText: String?
        for (k, v) in kv {
            switch k.lowercased() {
            case "lattice": latticeText = v
            case "properties": propsText = v
            case "pbc": pbcText = v
            default: info[k] = v
            }
        }
        // Properties.
        var columns: [Column] = []
        let props = (propsText ?? "species:S:1:pos:R:3").split(separator: ":").map(String.init)
        guard props.count % 3 == 0 else {
            throw ExtendedXYZError(line: commentLine, message: "Properties must be name:type:count triples, got \"\(propsText ?? "")\"")
        }
        var hasPos = false, hasSpecies = false, hasVel = false, hasForces = false
        for t in stride(from: 0, to: props.count, by: 3) {
            let name = props[t], type = props[t + 1].uppercased()
            guard let cnt = Int(props[t + 2]), cnt >= 1, ["S", "R", "I", "L"].contains(type) else {
                throw ExtendedXYZError(line: commentLine, message: "bad property \"\(props[t]):\(props[t + 1]):\(props[t + 2])\" (type S, R, I or L; count ≥ 1)")
            }
            switch (name, type, cnt) {
            case ("species", "S", 1): columns.append(.species); hasSpecies = true
            case ("Z", "I", 1): columns.append(.atomicNumber); hasSpecies = true
            case ("pos", "R", 3): columns.append(.position); hasPos = true
            case ("velo", "R", 3), ("velocities", "R", 3), ("vel", "R", 3): columns.append(.velocity); hasVel = true
            case ("forces", "R", 3), ("force", "R", 3): columns.append(.force); hasForces = true
            default: columns.append(.skip(cnt))
            }
        }
        guard hasPos && hasSpecies else {
            throw ExtendedXYZError(line: commentLine, message: "Properties must include species:S:1 (or Z:I:1) and pos:R:3")
        }
        // Atoms.
        var species: [Species] = [], positions: [SIMD3<Double>] = []
        var velocities: [SIMD3<Double>] = [], forces: [SIMD3<Double>] = []
        species.reserveCapacity(n); positions.reserveCapacity(n)
        for (offset, raw) in atomLines.enumerated() {
            let lineNo = firstLine + offset
            let f = raw.split(whereSeparator: { $0 == " " || $0 == "\t" })
            var k = 0
            func take(_ m: Int) throws -> ArraySlice<Substring> {
                guard k + m <= f.count else { throw ExtendedXYZError(line: lineNo, message: "expected more columns (have \(f.count))") }
                defer { k += m }
                return f[k..<(k + m)]
            }
            func vec() throws -> SIMD3<Double> {
                let s = try take(3)
                var v = SIMD3<Double>.zero
                for (idx, word) in s.enumerated() {
                    guard let x = Double(word), x.isFinite else { throw ExtendedXYZError(line: lineNo, message: "not a finite number: \"\(word)\"") }
                    v[idx] = x
                }
                return v
            }
            for col in columns {
                switch col {
                case .species:
                    let w = String(try take(1).first!)
                    guard let s = Species(symbol: w) else { throw ExtendedXYZError(line: lineNo, message: "unknown species \"\(w)\" (allowed: Cd, Se, Cu)") }
                    species.append(s)
                case .atomicNumber:
                    let w = String(try take(1).first!)
                    switch Int(w) {
                    case 48: species.append(.Cd)
                    case 34: species.append(.Se)
                    case 29: species.append(.Cu)
                    default: throw ExtendedXYZError(line: lineNo, message: "unknown atomic number \"\(w)\" (allowed: 48, 34, 29)")
                    }
                case .position: positions.append(try vec())
                case .velocity: velocities.append(try vec())
                case .force: forces.append(try vec())
                case let .skip(m): _ = try take(m)
                }
            }
            if k != f.count { throw ExtendedXYZError(line: lineNo, message: "\(f.count) columns, Properties declare \(k)") }
        }
        // pbc.
        var periodic: (Bool, Bool, Bool)
        if let pbcText {
            let w = pbcText.split(separator: " ").map { String($0) }
            func flag(_ s: String) throws -> Bool {
                switch s.lowercased() {
                case "t", "true", "1": return true
                case "f", "false", "0": return false
                default: throw ExtendedXYZError(line: commentLine, message: "pbc value \"\(s)\" (allowed: T/F, True/False, 1/0)")
                }
            }
            if w.count == 1 { let b = try flag(w[0]); periodic = (b, b, b) }
            else if w.count == 3 { periodic = (try flag(w[0]), try flag(w[1]), try flag(w[2])) }
            else { throw ExtendedXYZError(line: commentLine, message: "pbc must have 1 or 3 values, got \"\(pbcText)\"") }
        } else {
            periodic = latticeText == nil ? (false, false, false) : (true, true, true)
        }
        // Lattice.
        let cell: Cell
        if let latticeText {
            let w = latticeText.split(separator: " ").compactMap { Double($0) }
            guard w.count == 9, w.allSatisfy({ $0.isFinite }) else {
                throw ExtendedXYZError(line: commentLine, message: "Lattice must hold 9 numbers, got \"\(latticeText)\"")
            }
            cell = Cell(a: SIMD3(w[0], w[1], w[2]), b: SIMD3(w[3], w[4], w[5]), c: SIMD3(w[6], w[7], w[8]), periodic: periodic)
        } else {
            guard !periodic.0 && !periodic.1 && !periodic.2 else {
                throw ExtendedXYZError(line: commentLine, message: "a periodic frame (pbc=\"\(pbcText ?? "")\") needs a Lattice")
            }
            var lo = SIMD3<Double>(repeating: 0), hi = SIMD3<Double>(repeating: 0)
            if let p0 = positions.first {
                lo = p0; hi = p0
                for p in positions { lo = pointwiseMin(lo, p); hi = pointwiseMax(hi, p) }
            }
            let e = hi - lo + SIMD3(repeating: 2 * openBoxPadding)
            cell = Cell(a: SIMD3(e.x, 0, 0), b: SIMD3(0, e.y, 0), c: SIMD3(0, 0, e.z), periodic: (false, false, false))
        }
        let configuration = Configuration(species: species, positions: positions, velocities: hasVel ? velocities : nil, cell: cell)
        return Frame(configuration: configuration, info: info, forces: hasForces ? forces : nil)
    }

    /// Splits a comment line into key/value pairs (values quoted with "…" or bare; bare keys → "T").
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
}
