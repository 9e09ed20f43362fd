// Configurational virial tensor W = Σ_pairs d ⊗ f (d = r_i − r_j, f = force on i from j) plus the
// Ewald reciprocal and background contributions, defined so that W = −∂E/∂ε for a homogeneous
// strain ε of cell and atoms (fractional coordinates fixed). Then:
//   stress  σ = −(W + K)/V  (K = Σ m v⊗v, the kinetic tensor; tensile positive),
//   pressure P = tr(W + K)/(3V),
//   cell gradient ∂E/∂h = −W h⁻ᵀ, i.e. ∂E/∂a = −W·b₁, ∂E/∂b = −W·b₂, ∂E/∂c = −W·b₃ (b_i rows of h⁻¹).

import CekmcCore

/// Symmetric 3×3 tensor in eV (virial) — or eV/Å³ after dividing by a volume.
public struct VirialTensor: Sendable, Equatable, Codable {
    /// (xx, yy, zz) in eV.
    public var diagonal: SIMD3<Double>
    /// (xy, xz, yz) in eV.
    public var offDiagonal: SIMD3<Double>
    public init(diagonal: SIMD3<Double> = .zero, offDiagonal: SIMD3<Double> = .zero) {
        self.diagonal = diagonal; self.offDiagonal = offDiagonal
    }
    public static let zero = VirialTensor()

    /// 1 eV/Å³ in GPa.
    public static let eVPerCubicAngstrom_GPa = 160.217_663_4

    /// Trace W_xx + W_yy + W_zz in eV.
    public var trace: Double { diagonal.sum() }
    /// Element (row, column), 0-based.
    public subscript(row: Int, column: Int) -> Double {
        if row == column { return diagonal[row] }
        switch (min(row, column), max(row, column)) {
        case (0, 1): return offDiagonal.x
        case (0, 2): return offDiagonal.y
        default: return offDiagonal.z
        }
    }
    /// W · v.
    public func apply(_ v: SIMD3<Double>) -> SIMD3<Double> {
        SIMD3(diagonal.x * v.x + offDiagonal.x * v.y + offDiagonal.y * v.z,
              offDiagonal.x * v.x + diagonal.y * v.y + offDiagonal.z * v.z,
              offDiagonal.y * v.x + offDiagonal.z * v.y + diagonal.z * v.z)
    }
    public static func + (l: VirialTensor, r: VirialTensor) -> VirialTensor {
        VirialTensor(diagonal: l.diagonal + r.diagonal, offDiagonal: l.offDiagonal + r.offDiagonal)
    }
    /// Kinetic tensor K = Σ m v⊗v (eV) for masses in amu and velocities in Å/ps.
    public static func kinetic(velocities: [SIMD3<Double>], masses_amu: [Double]) -> VirialTensor {
        var k = VirialTensor.zero
        for (v, m) in zip(velocities, masses_amu) {
            let mm = m * Constants.amu_eV_ps2_per_A2
            k.diagonal += mm * v * v
            k.offDiagonal += mm * SIMD3(v.x * v.y, v.x * v.z, v.y * v.z)
        }
        return k
    }
    /// Pressure tr(W + K)/(3V) in eV/Å³ (multiply by `eVPerCubicAngstrom_GPa` for GPa).
    public func pressure(volume: Double, kinetic: VirialTensor = .zero) -> Double {
        (trace + kinetic.trace) / (3 * volume)
    }
    /// Stress σ = −(W + K)/V in eV/Å³ (tensile positive).
    public func stress(volume: Double, kinetic: VirialTensor = .zero) -> VirialTensor {
        let s = -1 / volume
        return VirialTensor(diagonal: s * (diagonal + kinetic.diagonal), offDiagonal: s * (offDiagonal + kinetic.offDiagonal))
    }
    /// ∂E/∂a, ∂E/∂b, ∂E/∂c (eV/Å) for the lattice vectors of `cell`, atoms moving affinely
    /// (fractional coordinates fixed): −W·b_i with b_i the rows of h⁻¹.
    public func cellGradient(_ cell: Cell) throws -> (a: SIMD3<Double>, b: SIMD3<Double>, c: SIMD3<Double>) {
        let g = try CellGeometry(cell)
        return (-apply(g.ra), -apply(g.rb), -apply(g.rc))
    }
}
