// NumPy .npy files (format version 1.0), written by hand so the projected maps load with
// `numpy.load` and no extra dependency. Layout (numpy.lib.format, NEP 1):
//   "\x93NUMPY" · major 1 · minor 0 · header length (UInt16, little endian) ·
//   header = Python dict literal {'descr': '<i4', 'fortran_order': False, 'shape': (nz, nu), }
//            padded with spaces and ended by "\n" so that the data start at a multiple of 64 bytes ·
//   raw little-endian values in C (row-major) order.

/// Writer/reader of 1.0-format .npy arrays (little-endian Int32 or Float64, C order).
public enum NpyFile {
    /// Encodes an Int32 array of `shape` (product must equal values.count).
    public static func encode(int32 values: [Int32], shape: [Int]) -> [UInt8] {
        var out = header(descr: "<i4", shape: shape, count: values.count)
        for v in values { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
        return out
    }

    /// Encodes a Float64 array of `shape` (product must equal values.count).
    public static func encode(float64 values: [Double], shape: [Int]) -> [UInt8] {
        var out = header(descr: "<f8", shape: shape, count: values.count)
        for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { out.append(contentsOf: $0) } }
        return out
    }

    /// Writes a projected map as an (nZ, nU) Int32 array, atomically.
    public static func write(_ map: ProjectedMap, to path: String) throws {
        try AtomicFile.write(encode(int32: map.counts, shape: [map.grid.nZ, map.grid.nU]), to: path)
    }

    /// A decoded array: dtype descriptor, shape and raw little-endian payload.
    public struct Array: Sendable, Equatable {
        /// NumPy dtype descriptor, e.g. "<i4".
        public var descr: String
        /// Shape (C order).
        public var shape: [Int]
        /// Raw data bytes.
        public var payload: [UInt8]

        /// Payload as Int32 (descr must be "<i4").
        public var int32Values: [Int32] {
            stride(from: 0, to: payload.count, by: 4).map { i in
                Int32(littleEndian: payload[i..<i + 4].withUnsafeBytes { $0.loadUnaligned(as: Int32.self) })
            }
        }
        /// Payload as Double (descr must be "<f8").
        public var float64Values: [Double] {
            stride(from: 0, to: payload.count, by: 8).map { i in
                Double(bitPattern: UInt64(littleEndian: payload[i..<i + 8].withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }))
            }
        }
    }

    /// Decodes a version-1.0 .npy file written by this writer (C order, '<i4' or '<f8').
    /// - Throws: `OutputError.malformed` when the magic, header or size is wrong.
    public static func decode(_ bytes: [UInt8], path: String = "<npy>") throws -> Array {
        func bad(_ m: String) -> OutputError { .malformed(path: path, line: 0, message: m) }
        guard bytes.count >= 10, bytes[0] == 0x93, Swift.Array(bytes[1..<6]) == Swift.Array("NUMPY".utf8) else { throw bad("not an .npy file") }
        guard bytes[6] == 1 else { throw bad("unsupported .npy version \(bytes[6]).\(bytes[7])") }
        let hlen = Int(bytes[8]) | Int(bytes[9]) << 8
        guard bytes.count >= 10 + hlen else { throw bad("truncated header") }
        let h = String(decoding: bytes[10..<10 + hlen], as: UTF8.self)
        guard let d0 = h.firstRange(of: "'descr': '"), let d1 = h[d0.upperBound...].firstIndex(of: "'") else { throw bad("no descr") }
        let descr = String(h[d0.upperBound..<d1])
        guard h.contains("'fortran_order': False") else { throw bad("only C order is supported") }
        guard let s0 = h.firstRange(of: "'shape': ("), let s1 = h[s0.upperBound...].firstIndex(of: ")") else { throw bad("no shape") }
        let shape = h[s0.upperBound..<s1].split(separator: ",").compactMap { Int($0.trimmingSpaces) }
        let size: Int
        switch descr { case "<i4": size = 4; case "<f8": size = 8; default: throw bad("unsupported dtype \(descr)") }
        let count = shape.reduce(1, *)
        guard bytes.count == 10 + hlen + count * size else { throw bad("payload has \(bytes.count - 10 - hlen) bytes, shape needs \(count * size)") }
        return Array(descr: descr, shape: shape, payload: Swift.Array(bytes[(10 + hlen)...]))
    }

    private static func header(descr: String, shape: [Int], count: Int) -> [UInt8] {
        precondition(shape.reduce(1, *) == count, "NpyFile: shape \(shape) does not hold \(count) values")
        let dims = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var dict = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(dims), }"
        let total = 10 + dict.utf8.count + 1
        dict += String(repeating: " ", count: (64 - total % 64) % 64) + "\n"
        var out: [UInt8] = [0x93] + Swift.Array("NUMPY".utf8) + [1, 0]
        let hl = UInt16(dict.utf8.count)
        out += [UInt8(hl & 0xff), UInt8(hl >> 8)]
        out += Swift.Array(dict.utf8)
        out.reserveCapacity(out.count + count * 8)
        return out
    }
}

extension Substring {
    var trimmingSpaces: Substring {
        var s = self
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return s
    }
}
