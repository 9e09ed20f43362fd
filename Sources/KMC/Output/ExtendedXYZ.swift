// Atomistic snapshots as extended XYZ (readable by ASE `ase.io.read(…, format="extxyz")` and OVITO):
//
//   <number of atoms>
//   Lattice="Lx 0 0 0 Ly 0 0 0 Lz" Properties=species:S:1:pos:R:3 Time=<s> Temperature_C=<°C> pbc="F F F"
//   <symbol> <x> <y> <z>            (Å, 5 decimals)
//
// The wire is not periodic (pbc F F F); the orthorhombic Lattice is a box around it (wire plus
// padding) for viewers, and positions are written relative to the box origin (position − origin),
// so every atom lies inside the box. Time is in s, Temperature_C in °C (extxyz values carry no unit).
// Coordinates are formatted by a fixed-point integer routine (no printf per number): a 1.6 M-atom
// frame encodes in well under a second, and the text is byte-identical between runs.

/// Builds one extended-XYZ frame and writes it atomically.
public struct ExtendedXYZWriter: Sendable {
    /// Box edge lengths (orthorhombic Lattice), Å.
    public var cell_A: SIMD3<Double>
    /// Box origin, Å; subtracted from every position written.
    public var origin_A: SIMD3<Double>
    /// Simulated time, s (the `Time=` key).
    public var time_s: Double
    /// Temperature, °C (the `Temperature_C=` key; omitted when nil).
    public var temperature_C: Double?
    /// Number of atoms appended so far.
    public private(set) var atomCount: Int = 0

    private var body: [UInt8] = []

    /// Creates an empty frame.
    /// - Parameters:
    ///   - cell_A: box edge lengths, Å (> 0).
    ///   - origin_A: box origin, Å (default 0).
    ///   - time_s: simulated time, s.
    ///   - temperature_C: temperature, °C.
    ///   - expectedAtoms: capacity hint.
    public init(cell_A: SIMD3<Double>, origin_A: SIMD3<Double> = .zero, time_s: Double,
                temperature_C: Double? = nil, expectedAtoms: Int = 0) {
        self.cell_A = cell_A
        self.origin_A = origin_A
        self.time_s = time_s
        self.temperature_C = temperature_C
        body.reserveCapacity(expectedAtoms * 40)
    }

    /// A frame whose box encloses `frame`'s wire (diameter × diameter × length) plus `padding_A` on each side.
    public init(wire frame: CationFrame, padding_A: Double = 10, time_s: Double, temperature_C: Double? = nil,
                expectedAtoms: Int = 0) {
        let half = frame.diameter_A / 2 + padding_A
        let z0 = (frame.layerZ.first ?? 0) - padding_A
        let z1 = max((frame.layerZ.last ?? 0), z0 + padding_A + frame.length_A) + padding_A
        self.init(cell_A: SIMD3(2 * half, 2 * half, z1 - z0),
                  origin_A: SIMD3(frame.axisCenter.x - half, frame.axisCenter.y - half, z0),
                  time_s: time_s, temperature_C: temperature_C, expectedAtoms: expectedAtoms)
    }

    /// Appends one atom (`symbol`, position in Å).
    public mutating func append(symbol: String, position p: SIMD3<Double>) {
        body.append(contentsOf: symbol.utf8)
        let q = p - origin_A
        body.append(0x20); Self.appendFixed(q.x, to: &body)
        body.append(0x20); Self.appendFixed(q.y, to: &body)
        body.append(0x20); Self.appendFixed(q.z, to: &body)
        body.append(0x0A)
        atomCount += 1
    }

    /// Appends every position whose code equals `code`, as `symbol`.
    public mutating func append(symbol: String, positions: UnsafeBufferPointer<SIMD3<Double>>,
                                codes: UnsafeBufferPointer<UInt8>, matching code: UInt8) {
        precondition(positions.count == codes.count, "ExtendedXYZWriter.append: \(positions.count) positions, \(codes.count) codes")
        for i in 0..<positions.count where codes[i] == code { append(symbol: symbol, position: positions[i]) }
    }

    /// Appends every position (all as `symbol`).
    public mutating func append(symbol: String, positions: [SIMD3<Double>]) {
        for p in positions { append(symbol: symbol, position: p) }
    }

    /// Appends the cation sites of `frame` whose code equals `code`, as `symbol`.
    public mutating func append(symbol: String, frame: CationFrame, codes: UnsafeBufferPointer<UInt8>, matching code: UInt8) {
        precondition(codes.count == frame.count, "ExtendedXYZWriter.append: \(codes.count) codes for \(frame.count) sites")
        for i in 0..<frame.count where codes[i] == code {
            append(symbol: symbol, position: SIMD3(frame.x[i], frame.y[i], frame.z[i]))
        }
    }

    /// The comment (second) line, without its line break.
    public var commentLine: String {
        let c = cell_A
        var s = "Lattice=\"\(c.x) 0.0 0.0 0.0 \(c.y) 0.0 0.0 0.0 \(c.z)\" Properties=species:S:1:pos:R:3 Time=\(time_s)"
        if let t = temperature_C { s += " Temperature_C=\(t)" }
        return s + " pbc=\"F F F\""
    }

    /// The complete file content.
    public func encoded() -> [UInt8] {
        var out = Array("\(atomCount)\n\(commentLine)\n".utf8)
        out.reserveCapacity(out.count + body.count)
        out.append(contentsOf: body)
        return out
    }

    /// Writes the frame to `path` atomically.
    public func write(to path: String) throws { try AtomicFile.write(encoded(), to: path) }

    // Fixed-point with 5 decimals, half away from zero; exact for |x| < 9e13.
    static func appendFixed(_ x: Double, to out: inout [UInt8]) {
        precondition(x.isFinite && abs(x) < 9e13, "ExtendedXYZWriter: coordinate \(x) out of range")
        var v = Int64((abs(x) * 100_000).rounded(.toNearestOrAwayFromZero))
        if x < 0 && v != 0 { out.append(0x2D) }
        let intPart = v / 100_000
        v -= intPart * 100_000
        // integer digits
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        var ip = intPart
        withUnsafeMutableBytes(of: &digits) { d in
            repeat { d[n] = UInt8(48 + ip % 10); ip /= 10; n += 1 } while ip > 0
            for k in stride(from: n - 1, through: 0, by: -1) { out.append(d[k]) }
        }
        out.append(0x2E)
        var div: Int64 = 10_000
        for _ in 0..<5 { out.append(UInt8(48 + (v / div) % 10)); div /= 10 }
    }
}

/// One frame read back from an extended-XYZ file.
public struct ExtendedXYZFrame: Sendable, Equatable {
    /// key=value pairs of the comment line (quotes removed).
    public var info: [String: String]
    /// Chemical symbols.
    public var symbols: [String]
    /// Positions as written, Å.
    public var positions: [SIMD3<Double>]
}

/// Minimal extended-XYZ reader for the files `ExtendedXYZWriter` writes (species + pos columns).
public enum ExtendedXYZ {
    /// Parses every frame of `text`.
    /// - Throws: `OutputError.malformed` with the line number when a count, key or atom line is wrong.
    public static func parse(_ text: String, path: String = "<xyz>") throws -> [ExtendedXYZFrame] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var frames: [ExtendedXYZFrame] = []
        var i = 0
        while i < lines.count {
            if lines[i].allSatisfy({ $0 == " " }) { i += 1; continue }
            guard let n = Int(lines[i].trimmingSpaces), n >= 0 else {
                throw OutputError.malformed(path: path, line: i + 1, message: "expected an atom count, got '\(lines[i])'")
            }
            guard i + 1 + n < lines.count else {
                throw OutputError.malformed(path: path, line: i + 1, message: "file ends before \(n) atoms")
            }
            let info = try parseInfo(String(lines[i + 1]), path: path, line: i + 2)
            guard info["Properties"] == "species:S:1:pos:R:3" else {
                throw OutputError.malformed(path: path, line: i + 2, message: "Properties must be species:S:1:pos:R:3, got \(info["Properties"] ?? "none")")
            }
            var symbols: [String] = [], pos: [SIMD3<Double>] = []
            symbols.reserveCapacity(n); pos.reserveCapacity(n)
            for k in 0..<n {
                let f = lines[i + 2 + k].split(separator: " ", omittingEmptySubsequences: true)
                guard f.count == 4, let x = Double(f[1]), let y = Double(f[2]), let z = Double(f[3]) else {
                    throw OutputError.malformed(path: path, line: i + 3 + k, message: "expected 'symbol x y z', got '\(lines[i + 2 + k])'")
                }
                symbols.append(String(f[0])); pos.append(SIMD3(x, y, z))
            }
            frames.append(ExtendedXYZFrame(info: info, symbols: symbols, positions: pos))
            i += 2 + n
        }
        return frames
    }

    // key=value and key="quoted value" pairs separated by spaces.
    static func parseInfo(_ s: String, path: String, line: Int) throws -> [String: String] {
        var out: [String: String] = [:]
        var it = Substring(s)
        while true {
            it = it.drop(while: { $0 == " " })
            if it.isEmpty { break }
            guard let eq = it.firstIndex(of: "=") else {
                throw OutputError.malformed(path: path, line: line, message: "expected key=value in comment line")
            }
            let key = String(it[..<eq])
            var rest = it[it.index(after: eq)...]
            let value: Substring
            if rest.first == "\"" {
                rest = rest.dropFirst()
                guard let q = rest.firstIndex(of: "\"") else {
                    throw OutputError.malformed(path: path, line: line, message: "unterminated quote after \(key)=")
                }
                value = rest[..<q]; it = rest[rest.index(after: q)...]
            } else {
                let end = rest.firstIndex(of: " ") ?? rest.endIndex
                value = rest[..<end]; it = rest[end...]
            }
            out[key] = String(value)
        }
        return out
    }
}
