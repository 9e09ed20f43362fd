// Extended-XYZ trajectory output through `ExtendedXYZ.format(_: Configuration, …)` (ASE/OVITO
// convention: Lattice, Properties=species:S:1:pos:R:3:velo:R:3, pbc) with a `Time` (ps) key per
// frame. Positions are written wrapped into the cell along periodic axes; velocities in Å/ps.

import Foundation
import Geometry

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

    /// One frame as text (positions wrapped, `Time` in ps). O(N).
    public static func frame(_ c: Configuration, time_ps: Double) -> String {
        ExtendedXYZ.format(c.wrapped(), info: [("Time", "\(time_ps)")])
    }

    /// Appends a frame.
    public func write(_ c: Configuration, time_ps: Double) {
        handle.write(Data(Self.frame(c, time_ps: time_ps).utf8))
    }
}
