// Convenience bridge from the Geometry module's carved wire to the observables' cation frame.
// Index mapping: frame site i = wire site `wire.sites.range(of: .cation).lowerBound + i`, i.e. the
// cation block of the wire's SiteList in its own order; so a per-site code array over all wire sites
// can be handed to the observers as `UnsafeBufferPointer(rebasing: codes[range])`.

import Geometry

extension CationFrame {
    /// The cation frame of a carved wire: its cation sites (SiteList order), the cation–cation
    /// nearest-neighbour table restricted to them, diameter D and carved length L_c, axis at x = y = 0.
    /// - Parameters:
    ///   - wire: the carved wire.
    ///   - cationCation: the wire's `.cationCation` table over all sites, if already built
    ///     (built here otherwise: O(N)).
    /// - Throws: `GeometryError` from the table builder, `ObservablesError` from the frame.
    public init(wire: Wire, cationCation: NeighborTable? = nil) throws {
        let range = wire.sites.range(of: .cation)
        let table = try cationCation ?? NeighborTable.standard(.cationCation, sites: wire.sites, spec: wire.spec)
        let base = Int32(range.lowerBound), end = Int32(range.upperBound)
        var offsets: [Int32] = [0], neighbors: [Int32] = []
        offsets.reserveCapacity(range.count + 1)
        neighbors.reserveCapacity(range.count * 12)
        for s in range {
            for j in table.neighbors(of: s) where j >= base && j < end { neighbors.append(j - base) }
            offsets.append(Int32(neighbors.count))
        }
        try self.init(positions: Array(wire.sites.positions[range]), diameter_A: wire.diameter_A,
                      length_A: wire.carvedLength_A, neighborOffsets: offsets, neighbors: neighbors,
                      axisCenter: SIMD2(0, 0))
    }
}
