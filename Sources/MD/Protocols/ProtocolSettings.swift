// Settings shared by the paper's MD calculations (Casu et al. 2023, DOI 10.1021/acsnano.3c03049,
// "Atomistic modeling" and "Theoretical Section"): force field, Coulomb method, relaxation
// tolerance, seeds, and the quick/full size profile.

import CekmcCore
import Foundation
import Geometry

/// Size profile: `quick` = small cells, short runs, few paths (minutes, wider error bars);
/// `full` = the paper's sizes (wire 4.5 nm × 3 nm, ~2400-atom bulk, 30 paths, long MD).
public enum ProtocolProfile: String, Sendable, Codable, CaseIterable {
    case quick, full
}

/// Settings of every protocol.
public struct ProtocolSettings: Sendable {
    /// Force-field parameters (default Casu et al. 2023).
    public var parameters: ForceFieldParameters = .casu2023
    /// Coulomb method for fully periodic bulk cells (default Ewald, relative force accuracy 1e-5).
    public var bulkCoulomb: CoulombMethod = .ewald()
    /// Coulomb method for wires (periodic along the axis only) and for long MD runs (default DSF,
    /// α = 0.2 Å⁻¹, cutoff 10 Å).
    public var wireCoulomb: CoulombMethod = .dsf()
    /// Size profile.
    public var profile: ProtocolProfile = .quick
    /// Max-force tolerance of every relaxation, eV/Å.
    public var forceTolerance_eV_per_A: Double = 1e-3
    /// Seed of the GSL generator (mt19937) of the protocol.
    public var seed: UInt64 = 20_230_101
    /// Progress messages (stderr in the CLI).
    public var progress: @Sendable (String) -> Void = { _ in }
    /// Defaults as documented on each property.
    public init() {}

    /// Relaxation options with the settings' tolerance.
    public var relaxation: RelaxationOptions { RelaxationOptions(forceTolerance_eV_per_A: forceTolerance_eV_per_A) }

    /// A force field for bulk cells.
    public func bulkForceField() throws -> ForceField { try ForceField(parameters: parameters, coulomb: bulkCoulomb) }
    /// A force field for wires and MD.
    public func wireForceField() throws -> ForceField { try ForceField(parameters: parameters, coulomb: wireCoulomb) }

    /// Minimum perpendicular width of periodic cells: 2 × (pair cutoff + skin) + 1 Å.
    public func minimumWidth(_ ff: ForceField) -> Double { 2 * (ff.pairCutoff + ff.skin) + 1 }

    /// Starting crystal of `phase` (experimental lattice: wz a 4.30, c 7.01, u 0.376; zb 6.05 Å).
    public static func startSpec(_ phase: Phase) throws -> CrystalSpec {
        phase == .wz ? try .wurtzite() : try .zincblende()
    }
}

/// Energy and forces for provenance/JSON.
extension ForceFieldParameters {
    /// Flat numeric form `epsilon_CdCd_eV`, `sigma_CdCd_A`, `charge_Cd_e`, … for barrier-file
    /// provenance.
    public var flatNumbers: [String: Double] {
        var out = [String: Double]()
        for s in Species.allCases {
            let p = self[s]
            out["epsilon_\(s)\(s)_eV"] = p.epsilon_eV
            out["sigma_\(s)\(s)_A"] = p.sigma_A
            out["charge_\(s)_e"] = p.charge_e
        }
        return out
    }
}
