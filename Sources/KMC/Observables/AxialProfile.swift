// Atom counts in axial bins along the wire (z), one profile per output: the data of a kymograph
// (Cu along the axis vs time) and of the axial shell and interstitial distributions.
//
//   bin k covers z ∈ [z₀ + k·w, z₀ + (k+1)·w)   (z₀ = lowest site z, w = output.profile_bin_nm)
//
// Per bin: cation sites (vacant ones included), Cu and Cd on cation sites, Cu and Cd on interstitial
// sites, Cu on shell sites. The exchanged fraction of a bin is cu_cation / cation_sites; as a ratio
// of counts of the same planes it shows no stripes when w is not a multiple of the plane spacing
// (the counts themselves do). The last bin may be partial. O(N) per profile, no allocation.

/// Counts of atoms per axial bin.
public struct AxialProfile: Sendable, Equatable {
    /// What each bin counts, in column order.
    public enum Column: Int, CaseIterable, Sendable {
        case cationSites = 0, cuCation, cdCation, cuInterstitial, cdInterstitial, shellCu
        /// The CSV column name.
        public var name: String {
            ["cation_sites", "cu_cation", "cd_cation", "cu_interstitial", "cd_interstitial", "shell_cu"][rawValue]
        }
    }

    /// Columns per bin.
    static let columnCount = Column.allCases.count

    /// Lower edge of bin 0, Å.
    public let zMin_A: Double
    /// Bin width, Å.
    public let bin_A: Double
    /// Number of bins.
    public let binCount: Int
    /// counts[bin · columns + column].
    public private(set) var counts: [Int]

    /// A profile whose bins of `bin_A` cover [zMin_A, zMax_A].
    /// - Precondition: bin_A > 0, zMax_A ≥ zMin_A.
    public init(zMin_A: Double, zMax_A: Double, bin_A: Double) {
        precondition(bin_A > 0 && zMax_A >= zMin_A, "AxialProfile: bin \(bin_A) Å over [\(zMin_A), \(zMax_A)] Å")
        self.zMin_A = zMin_A
        self.bin_A = bin_A
        binCount = max(1, Int(((zMax_A - zMin_A) / bin_A).rounded(.down)) + 1)
        counts = [Int](repeating: 0, count: binCount * Self.columnCount)
    }

    /// Zeroes every count.
    public mutating func reset() {
        counts.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
    }

    /// The bin of height `z_A` (clamped to the grid).
    @inline(__always) public func bin(z_A: Double) -> Int {
        min(max(Int(((z_A - zMin_A) / bin_A).rounded(.down)), 0), binCount - 1)
    }

    /// Adds one count of `column` at height `z_A`.
    @inline(__always) public mutating func add(_ column: Column, z_A: Double) {
        counts[bin(z_A: z_A) * Self.columnCount + column.rawValue] += 1
    }

    /// The count of `column` in `bin`.
    public func count(_ column: Column, bin: Int) -> Int { counts[bin * Self.columnCount + column.rawValue] }

    /// Centre of `bin`, nm.
    public func center_nm(_ bin: Int) -> Double { (zMin_A + (Double(bin) + 0.5) * bin_A) / 10 }

    /// Sum of `column` over every bin.
    public func total(_ column: Column) -> Int {
        (0..<binCount).reduce(0) { $0 + count(column, bin: $1) }
    }
}
