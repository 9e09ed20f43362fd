// Exchanged domains of one snapshot (spec §6): connected components of Cu-occupied cation sites under
// the cation–cation nearest-neighbour connectivity, with per-domain axial extent, size, whether the
// domain spans the cross-section and, for spanning domains, the two interfaces ("fronts").
//
// Algorithm: iterative union-find over the CSR table (link to the lower root, path halving), then
// two sequential sweeps that number the components by their lowest site and bucket each domain's
// sites into one contiguous slice (read back by the tracker). A pass is O(N + E·z) (near-linear),
// streams the neighbour table once, uses no recursion and allocates nothing per site: the buffers
// are kept between passes. (A breadth-first search gives the same components but visits sites in
// wavefront order, missing the cache on nearly every neighbour list of a 0.8 M-site wire.)
//
// Definitions used here:
//   - z_min, z_max: smallest/largest z of the domain's sites (nm).
//   - length = z_max − z_min + one layer spacing (each atomic plane counts as a slab one spacing
//     thick, so a single-plane domain has length = spacing, and an n-plane slab n·spacing).
//   - spans: some axial layer (single atomic plane) has ≥ `spanFraction` (default 0.9) of its cation
//     sites in the domain.
//   - front: in every radial column that holds domain sites, the interface at the lower (upper) end
//     is located at the z of the column's lowest (highest) domain site, provided the column has a
//     site beyond it (otherwise that column ends at the wire cap and has no interface there). Front
//     position = mean over columns; width = population standard deviation and max − min of those z.
//     A flat interface between two atomic planes has width 0 on a lattice whose columns hold every
//     plane (wz/simple cubic); on zb [111] columns hold every third plane, so a flat front reads as
//     ≈ 0.8 plane spacings (the "few atomic planes" of a planar front).

/// Position and spread of one interface of a domain, measured over the radial columns.
public struct FrontProfile: Sendable, Equatable {
    /// Number of radial columns with an interface at this end.
    public var columns: Int
    /// Mean axial position of the interface, nm.
    public var mean_nm: Double
    /// Front width: population standard deviation of the per-column positions, nm.
    public var std_nm: Double
    /// Front width: max − min of the per-column positions, nm.
    public var range_nm: Double

    /// Creates a profile from its fields.
    public init(columns: Int, mean_nm: Double, std_nm: Double, range_nm: Double) {
        self.columns = columns; self.mean_nm = mean_nm; self.std_nm = std_nm; self.range_nm = range_nm
    }
}

/// Geometry of one exchanged domain in one snapshot (no persistent identity: see `DomainTracker`).
public struct DomainGeometry: Sendable, Equatable {
    /// Number of cation sites in the domain.
    public var nSites: Int
    /// Lowest z of the domain's sites, nm.
    public var zMin_nm: Double
    /// Highest z of the domain's sites, nm.
    public var zMax_nm: Double
    /// Axial length z_max − z_min + one layer spacing, nm.
    public var length_nm: Double
    /// Centroid of the domain's sites, Å.
    public var centroid_A: SIMD3<Double>
    /// Whether some axial layer has ≥ `spanFraction` of its cation sites in the domain.
    public var spans: Bool
    /// Largest fraction of one layer's cation sites that lie in the domain (0…1).
    public var maxLayerFraction: Double
    /// The domain site farthest from the wire axis (lowest index on ties): where Cu most likely entered.
    public var outermostSite: Int32
    /// Interface at the low-z end (spanning domains only; nil if not spanning or no column has one).
    public var lowerFront: FrontProfile?
    /// Interface at the high-z end (spanning domains only; nil if not spanning or no column has one).
    public var upperFront: FrontProfile?

    /// Centroid z, nm.
    public var centroidZ_nm: Double { centroid_A.z / 10 }
}

/// Finds the exchanged domains of a snapshot; keeps its work buffers between passes.
///
/// Usage: `analyze(codes:)` once per output, then read `domains`, `copperSites`, `cadmiumSites`, and
/// `sites(ofDomain:)`. Not thread-safe (a value type: give each thread its own copy).
public struct DomainAnalyzer: Sendable {
    /// The cation sublattice analysed.
    public let frame: CationFrame
    /// Occupancy codes of the cation sites.
    public var codes: CationCodes
    /// Fraction of a layer's cation sites a domain must hold to span the cross-section (spec: 0.9).
    public var spanFraction: Double
    /// Components with fewer sites are counted in X but not reported as domains (default 1: all).
    public var minDomainSites: Int

    /// Number of Cu-occupied cation sites in the last pass.
    public private(set) var copperSites: Int = 0
    /// Number of Cd-occupied cation sites in the last pass.
    public private(set) var cadmiumSites: Int = 0
    /// Domains (components with ≥ `minDomainSites` sites) of the last pass, ordered by their lowest site index.
    public private(set) var domains: [DomainGeometry] = []

    // Work buffers, sized once.
    private var label: [Int32]          // per site: domain index, −1 not exchanged, −2 exchanged but below minDomainSites
    private var order: [Int32]          // sites of each domain, contiguous, ascending within a domain
    private var domainStart: [Int32]    // domain k owns order[domainStart[k] ..< domainStart[k + 1]]
    private var componentSizes: [Int32] // per connected component: size, then its domain index or −2
    private var layerCount: [Int32]     // per layer scratch
    private var columnMin: [Int32]      // per column scratch: lowest rank of a domain site (−1 untouched)
    private var columnMax: [Int32]      // per column scratch: highest rank
    private var touchedColumns: [Int32]
    private var frontZ: [Double]

    /// Creates an analyzer for `frame`.
    /// - Parameters:
    ///   - frame: the cation sublattice.
    ///   - codes: occupancy codes (default 0 empty, 1 Cd, 2 Cu).
    ///   - spanFraction: layer fraction for "spans" (0 < f ≤ 1, default 0.9 as in spec §6).
    ///   - minDomainSites: smallest component reported as a domain (≥ 1, default 1).
    /// - Throws: `ObservablesError.invalid` for out-of-range parameters.
    public init(frame: CationFrame, codes: CationCodes = .standard, spanFraction: Double = 0.9,
                minDomainSites: Int = 1) throws {
        guard spanFraction > 0, spanFraction <= 1 else {
            throw ObservablesError.invalid(component: "DomainAnalyzer", key: "spanFraction",
                                           message: "must be in (0, 1], got \(spanFraction)")
        }
        guard minDomainSites >= 1 else {
            throw ObservablesError.invalid(component: "DomainAnalyzer", key: "minDomainSites",
                                           message: "must be ≥ 1, got \(minDomainSites)")
        }
        self.frame = frame
        self.codes = codes
        self.spanFraction = spanFraction
        self.minDomainSites = minDomainSites
        label = [Int32](repeating: -1, count: frame.count)
        order = [Int32](repeating: 0, count: frame.count)
        domainStart = [0]
        domainStart.reserveCapacity(1024)
        componentSizes = []
        componentSizes.reserveCapacity(1024)
        layerCount = [Int32](repeating: 0, count: frame.layerCount)
        columnMin = [Int32](repeating: -1, count: frame.columnCount)
        columnMax = [Int32](repeating: -1, count: frame.columnCount)
        touchedColumns = []
        touchedColumns.reserveCapacity(frame.columnCount)
        frontZ = []
        frontZ.reserveCapacity(frame.columnCount)
    }

    /// Number of domains found by the last pass.
    public var domainCount: Int { domains.count }

    /// Sites (indices into the frame) of domain `k` of the last pass, in ascending index order.
    public func sites(ofDomain k: Int) -> ArraySlice<Int32> {
        order[Int(domainStart[k])..<Int(domainStart[k + 1])]
    }

    /// Domain index of `site` in the last pass: 0..<domainCount, −1 if not exchanged, −2 if exchanged
    /// but in a component smaller than `minDomainSites`.
    public func domainIndex(ofSite site: Int) -> Int { Int(label[site]) }

    /// Analyses one snapshot given per-cation-site occupancy codes.
    /// - Parameter codes: one code per cation site (count must equal `frame.count`).
    /// - Complexity: O(N + E·z) where E = exchanged sites and z the coordination; no per-site allocation.
    public mutating func analyze(codes siteCodes: UnsafeBufferPointer<UInt8>) {
        precondition(siteCodes.count == frame.count,
                     "DomainAnalyzer.analyze: \(siteCodes.count) codes for \(frame.count) cation sites")
        var lab = label, ord = order, starts = domainStart, sizes = componentSizes
        label = []; order = []; domainStart = []; componentSizes = []  // keep the buffers uniquely referenced
        starts.removeAll(keepingCapacity: true)
        let counts = frame.neighborOffsets.withUnsafeBufferPointer { off in
            frame.neighbors.withUnsafeBufferPointer { nb in
                lab.withUnsafeMutableBufferPointer { l in
                    ord.withUnsafeMutableBufferPointer { o in
                        Self.components(codes: siteCodes, copper: codes.copper, cadmium: codes.cadmium,
                                        minSites: Int32(clamping: minDomainSites),
                                        offsets: off, neighbors: nb, label: l, order: o, starts: &starts,
                                        sizes: &sizes)
                    }
                }
            }
        }
        label = lab; order = ord; domainStart = starts; componentSizes = sizes
        copperSites = counts.copper
        cadmiumSites = counts.cadmium
        domains.removeAll(keepingCapacity: true)
        for k in 0..<(domainStart.count - 1) {
            domains.append(geometry(ofDomain: k))
        }
    }

    /// Convenience overload of `analyze(codes:)` for an array.
    public mutating func analyze(codes siteCodes: [UInt8]) {
        siteCodes.withUnsafeBufferPointer { analyze(codes: $0) }
    }

    // Union-find labelling in three sequential sweeps (cache-friendly: the CSR table is streamed once;
    // a BFS would visit sites in wavefront order and miss the cache on nearly every neighbour list).
    //  1. union: for each exchanged site s and exchanged neighbour w < s, link the larger root under
    //     the smaller (path halving). Every parent pointer points to a smaller index, so a component's
    //     root is its lowest site.
    //  2. label: ascending s; a root gets the next component number, any other site the (already
    //     final) number of its parent. The same array holds parents, then numbers.
    //  3. keep components with ≥ minSites sites as domains (numbered in order of their lowest site),
    //     mark the rest −2, and bucket the kept sites by domain into `order` (ascending within a domain).
    // `sizes` is scratch (one entry per component).
    private static func components(
        codes: UnsafeBufferPointer<UInt8>, copper: UInt8, cadmium: UInt8, minSites: Int32,
        offsets: UnsafeBufferPointer<Int32>, neighbors: UnsafeBufferPointer<Int32>,
        label: UnsafeMutableBufferPointer<Int32>, order: UnsafeMutableBufferPointer<Int32>,
        starts: inout [Int32], sizes: inout [Int32]
    ) -> (copper: Int, cadmium: Int) {
        let n = codes.count
        var nCu = 0, nCd = 0
        // 1. union
        for s in 0..<n {
            let c = codes[s]
            if c != copper {
                label[s] = -1
                if c == cadmium { nCd += 1 }
                continue
            }
            nCu += 1
            label[s] = Int32(truncatingIfNeeded: s)
            var root = s   // current root of s's tree
            var k = Int(offsets[s])
            let end = Int(offsets[s + 1])
            while k < end {
                let w = Int(neighbors[k]); k += 1
                guard w < s, codes[w] == copper else { continue }
                var b = w   // find(w) with path halving
                while Int(label[b]) != b { let g = label[Int(label[b])]; label[b] = g; b = Int(g) }
                if b == root { continue }
                if root < b { label[b] = Int32(truncatingIfNeeded: root) }
                else { label[root] = Int32(truncatingIfNeeded: b); root = b }
            }
        }
        // 2. component numbers and sizes
        sizes.removeAll(keepingCapacity: true)
        for s in 0..<n {
            let p = Int(label[s])
            if p < 0 { continue }
            if p == s {
                label[s] = Int32(truncatingIfNeeded: sizes.count)
                sizes.append(1)
            } else {
                let c = label[p]
                label[s] = c
                sizes[Int(c)] += 1
            }
        }
        // 3. keep large-enough components; prefix sums give each domain's slice of `order`
        var kept: Int32 = 0
        var total: Int32 = 0
        for c in 0..<sizes.count {
            let size = sizes[c]
            if size >= minSites {
                starts.append(total)
                total += size
                sizes[c] = kept       // sizes now maps component → domain
                kept += 1
            } else {
                sizes[c] = -2
            }
        }
        starts.append(total)
        var fill = Array(starts.dropLast())
        for s in 0..<n {
            let c = Int(label[s])
            if c < 0 { continue }
            let d = sizes[c]
            label[s] = d
            if d >= 0 {
                order[Int(fill[Int(d)])] = Int32(truncatingIfNeeded: s)
                fill[Int(d)] += 1
            }
        }
        return (nCu, nCd)
    }

    // Per-domain geometry: extent, centroid, outermost site, spans, fronts. O(domain size).
    private mutating func geometry(ofDomain k: Int) -> DomainGeometry {
        let lo = Int(domainStart[k]), hi = Int(domainStart[k + 1])
        let f = frame
        var lc = layerCount
        layerCount = []  // unique while the buffer is written through a pointer
        let acc = order.withUnsafeBufferPointer { ord in
            f.layerOfSite.withUnsafeBufferPointer { layerOf in
                lc.withUnsafeMutableBufferPointer { count in
                    f.withCoordinates { xs, ys, zs in
                        Self.accumulate(sites: UnsafeBufferPointer(rebasing: ord[lo..<hi]), xs: xs, ys: ys, zs: zs,
                                        center: f.axisCenter, layerOf: layerOf, layerCount: count)
                    }
                }
            }
        }
        var bestFraction = 0.0
        for l in Int(acc.layerLo)...Int(acc.layerHi) {
            let frac = Double(lc[l]) / Double(f.layerSiteCount[l])
            bestFraction = max(bestFraction, frac)
            lc[l] = 0
        }
        layerCount = lc
        let n = hi - lo
        // 9 of 10 sites must read as exactly 90 %: allow for the rounding of the division.
        let spans = bestFraction >= spanFraction * (1 - 1e-12)
        var geo = DomainGeometry(
            nSites: n, zMin_nm: acc.zMin / 10, zMax_nm: acc.zMax / 10,
            length_nm: (acc.zMax - acc.zMin + f.layerSpacing_A) / 10,
            centroid_A: acc.sum / Double(n), spans: spans, maxLayerFraction: bestFraction,
            outermostSite: acc.outer, lowerFront: nil, upperFront: nil)
        if spans {
            (geo.lowerFront, geo.upperFront) = fronts(lo: lo, hi: hi)
        }
        return geo
    }

    private struct Accumulated {
        var zMin = Double.infinity, zMax = -Double.infinity
        var sum = SIMD3<Double>.zero
        var outer: Int32 = -1, outerR2 = -1.0
        var layerLo = Int32.max, layerHi = Int32.min
    }

    // One sweep over a domain's sites: z extent, coordinate sums, outermost site, per-layer counts.
    private static func accumulate(sites: UnsafeBufferPointer<Int32>, xs: UnsafeBufferPointer<Double>,
                                   ys: UnsafeBufferPointer<Double>, zs: UnsafeBufferPointer<Double>,
                                   center: SIMD2<Double>, layerOf: UnsafeBufferPointer<Int32>,
                                   layerCount: UnsafeMutableBufferPointer<Int32>) -> Accumulated {
        var a = Accumulated()
        let cx = center.x, cy = center.y
        var sx = 0.0, sy = 0.0, sz = 0.0
        for s32 in sites {
            let s = Int(s32)
            let px = xs[s], py = ys[s], pz = zs[s]
            a.zMin = min(a.zMin, pz); a.zMax = max(a.zMax, pz)
            sx += px; sy += py; sz += pz
            let dx = px - cx, dy = py - cy
            let r2 = dx * dx + dy * dy
            // Sites come in ascending index order, so a strict > keeps the lowest index on ties.
            if r2 > a.outerR2 { a.outerR2 = r2; a.outer = s32 }
            let l = layerOf[s]
            layerCount[Int(l)] &+= 1
            a.layerLo = min(a.layerLo, l); a.layerHi = max(a.layerHi, l)
        }
        a.sum = SIMD3(sx, sy, sz)
        return a
    }

    // Interfaces at both ends over the radial columns touched by order[lo..<hi].
    private mutating func fronts(lo: Int, hi: Int) -> (FrontProfile?, FrontProfile?) {
        let f = frame
        touchedColumns.removeAll(keepingCapacity: true)
        for i in lo..<hi {
            let s = Int(order[i])
            let c = Int(f.columnOfSite[s]), r = f.rankInColumn[s]
            if columnMin[c] < 0 {
                columnMin[c] = r; columnMax[c] = r
                touchedColumns.append(Int32(c))
            } else {
                columnMin[c] = min(columnMin[c], r); columnMax[c] = max(columnMax[c], r)
            }
        }
        // Visit touched columns in index order so the floating-point sums are reproducible.
        touchedColumns.sort()
        frontZ.removeAll(keepingCapacity: true)
        for c in touchedColumns where columnMin[Int(c)] > 0 {
            let c = Int(c)
            frontZ.append(f.z[Int(f.columnSites[Int(f.columnOffsets[c] + columnMin[c])])])
        }
        let lower = Self.profile(frontZ)
        frontZ.removeAll(keepingCapacity: true)
        for c in touchedColumns {
            let c = Int(c)
            let len = f.columnOffsets[c + 1] - f.columnOffsets[c]
            if columnMax[c] < len - 1 {
                frontZ.append(f.z[Int(f.columnSites[Int(f.columnOffsets[c] + columnMax[c])])])
            }
            columnMin[c] = -1; columnMax[c] = -1
        }
        let upper = Self.profile(frontZ)
        return (lower, upper)
    }

    // Mean, population standard deviation and range of z values (Å in, nm out); nil if empty.
    static func profile(_ zs: [Double]) -> FrontProfile? {
        guard let first = zs.first else { return nil }
        var sum = 0.0, lo = first, hi = first
        for v in zs { sum += v - first; lo = min(lo, v); hi = max(hi, v) }
        let mean = sum / Double(zs.count)
        var ss = 0.0
        for v in zs { let d = v - first - mean; ss += d * d }
        return FrontProfile(columns: zs.count, mean_nm: (first + mean) / 10,
                            std_nm: (ss / Double(zs.count)).squareRoot() / 10, range_nm: (hi - lo) / 10)
    }
}
