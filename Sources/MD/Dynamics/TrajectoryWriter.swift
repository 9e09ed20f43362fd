// Extended-XYZ trajectory output (the ASE/OVITO convention): per frame, the atom count, a comment
// line with Lattice="a b c" (Å, 9 numbers), Properties=species:S:1:pos:R:3:vel:R:3, Time (ps) and
// pbc, then one line per atom. Positions are written wrapped into the cell along periodic axes;
// velocities in Å/ps.

import Foundation

/// Appends extended-XYZ frames to a file. Not thread-safe.
public final class TrajectoryXYZWriter {
    let handle: FileHandle
    /// Creates (truncates) `path`.
    public init(path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw MDProtocolError("trajectory: cannot create \(path)")
        }
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    }
    deinit { try? handle.close() }

    /// One frame as text. O(N).
    public static func frame(_ c: Configuration, time_ps: Double) -> String {
        let w = c.wrapped()
        let l = [c.cell.a, c.cell.b, c.cell.c].flatMap { [$0.x, $0.y, $0.z] }.map { String(format: "%.6f", $0) }.joined(separator: " ")
        let p = c.cell.periodic
        var s = "\(c.count)\nLattice=\"\(l)\" Properties=species:S:1:pos:R:3:vel:R:3 Time=\(time_ps) pbc=\"\(p.0 ? "T" : "F") \(p.1 ? "T" : "F") \(p.2 ? "T" : "F")\"\n"
        for i in 0..<c.count {
            let r = w.positions[i], v = c.velocities[i]
            s += String(format: "%@ %.6f %.6f %.6f %.6f %.6f %.6f\n", c.species[i].description, r.x, r.y, r.z, v.x, v.y, v.z)
        }
        return s
    }

    /// Appends a frame.
    public func write(_ c: Configuration, time_ps: Double) {
        handle.write(Data(Self.frame(c, time_ps: time_ps).utf8))
    }
}
