// MD → KMC calibration: runs the paper's calculations (Casu et al. 2023, DOI
// 10.1021/acsnano.3c03049) with the force field and turns them into a `CekmcCore.BarrierTable`
// plus provenance. Mapping (docs/md.md, "Calibration"):
//   ν                         ← mean of the wz and zb Cu-well frequencies (`md frequency`);
//                               uncertainty = half their difference ⊕ fit errors
//   interstitial_hop (step c) ← Arrhenius E_c of `md diffusion` (per phase), ± fit error
//   penetration (step b)      ← straight-path barrier mean ± std over the perturbed paths
//   kick_off (step d)         ← straight-path barrier mean ± std
//   cu2se_interstitial_creation ← Cu₂Se straight-path mean ± std (same for both phases)
//   delta_E_eV                ← E_final − E_initial of the relaxed end points (steps b, d, cu2se)
// A barrier below its own ΔE (max of the landscape at the end point) or below 0 is raised to
// max(ΔE, 0) so the reverse barrier is ≥ 0, and the source says so. If a fit fails (e.g. no hop
// seen at the lowest temperatures) the paper's value is kept and the source says why.
// The barrier-file writer lives above this module (InputFiles.BarrierFile): the CLI converts.

import CekmcCore
import Foundation
import Geometry
import GSL
import MD

/// Everything the calibration computed, for the JSON report.
public struct CalibrationReport: Sendable, Codable {
    /// Size profile used ("quick" or "full").
    public var profile: String
    /// Relaxed lattices.
    public var lattice: [LatticeResult]
    /// Cu-well frequencies.
    public var frequency: [FrequencyResult]
    /// Step c results.
    public var diffusion: [DiffusionResult]
    /// Path results (steps b, d, Cu₂Se).
    public var paths: [PathResult]
    /// Wall-clock seconds.
    public var seconds: Double

    /// JSON keys: snake_case with the unit in the name (one style for every command's JSON).
    enum CodingKeys: String, CodingKey {
        case profile
        case lattice
        case frequency
        case diffusion
        case paths
        case seconds = "wall_s"
    }
}

/// The calibrated table with its provenance (what a barrier file holds).
public struct CalibrationResult: Sendable {
    /// The calibrated barrier table.
    public var table: BarrierTable
    /// One-sigma uncertainty of ν, THz.
    public var attemptFrequencyUncertainty_THz: Double
    /// `method`, `date`, `cekmc_version`, `force_field_hash`, and `force_field.*` strings.
    public var provenance: [String: String]
    /// Force-field numbers (ε, σ, q per species).
    public var forceField: [String: Double]
    /// Everything computed, for the JSON report.
    public var report: CalibrationReport
}

/// Options of a calibration run.
public struct CalibrationOptions: Sendable {
    /// Protocol settings (force field, profile, seed, progress).
    public var settings: ProtocolSettings
    /// Run the CI-NEB beside the straight paths (reported, not used for the table).
    public var neb: Bool = false
    /// Version string for the provenance.
    public var version: String = "unknown"
    /// Overrides of the profile's sizes (nil: preset).
    public var pathSizes: PathSizes?
    /// Override of the diffusion sizes (nil: preset).
    public var diffusionSizes: DiffusionSizes?
    /// Options with `settings` and the defaults.
    public init(settings: ProtocolSettings) { self.settings = settings }
}

/// Runs the calibration.
public enum Calibrator {
    /// Barrier from a path result with its ΔE, clamped so value ≥ max(ΔE, 0).
    static func barrier(_ p: PathResult, label: String, source: String) -> BarrierValue {
        let d = p.relaxedDeltaE_eV
        var v = p.barrierMean_eV, src = source + " (straight paths, \(p.paths) × \(p.images) images)"
        if p.finalStateUnstable { src += "; final state held on its sites (not a force-field minimum)" }
        if v < max(d, 0) { v = max(d, 0); src += "; raised to max(ΔE, 0)" }
        return BarrierValue(value_eV: min(v, 10), uncertainty_eV: p.barrierStd_eV, source: src,
                            deltaE_eV: min(max(d, -10), 10))
    }

    /// Runs lattice → frequency → diffusion → paths (b, d for wz and zb; Cu₂Se) and builds the table.
    public static func run(_ options: CalibrationOptions) throws -> CalibrationResult {
        let t0 = Date()
        let s = options.settings
        let stamp = ISO8601DateFormatter().string(from: t0)
        let source = "cekmc calibrate \(s.profile == .quick ? "--quick " : "")\(stamp)"
        s.progress("calibrate [1/5]: lattices")
        let lat = try BulkProtocols.lattice(settings: s)
        let specs: [Phase: CrystalSpec] = [.wz: try BulkProtocols.relaxedSpec(.wz, lattice: lat),
                                           .zb: try BulkProtocols.relaxedSpec(.zb, lattice: lat)]
        s.progress("calibrate [2/5]: attempt frequency")
        let freq = try [Phase.wz, .zb].map { try BulkProtocols.frequency(settings: s, spec: specs[$0]!) }
        s.progress("calibrate [3/5]: Cu interstitial diffusion")
        let dsizes = options.diffusionSizes ?? DiffusionSizes.preset(s.profile)
        let diff = try [Phase.wz, .zb].map { try MDProtocols.diffusion(spec: specs[$0]!, sizes: dsizes, settings: s) }
        s.progress("calibrate [4/5]: straight paths, steps b and d")
        var psizes = options.pathSizes ?? PathSizes.preset(s.profile)
        if options.pathSizes == nil && s.profile == .quick { psizes.paths = 4; psizes.images = 7 }
        var paths = [PathResult]()
        for step in ["b", "d"] {
            for p in [Phase.wz, .zb] {
                paths.append(try PathProtocols.run(step: step, spec: specs[p]!, crystalName: p.rawValue, sizes: psizes, neb: options.neb, settings: s))
            }
        }
        s.progress("calibrate [5/5]: Cu2Se interstitial creation")
        let aCu2Se = lat.first { $0.crystal == "cu2se" }?.a_A ?? 5.666
        let cu2se = try PathProtocols.run(step: "cu2se", spec: try .cu2se(a_A: aCu2Se), crystalName: "cu2se", sizes: psizes, neb: options.neb, settings: s)
        paths.append(cu2se)

        let nus = freq.map(\.nu_THz)
        let nu = nus.reduce(0, +) / Double(nus.count)
        let spread = abs(nus[0] - nus[1]) / 2
        let fitErr = (freq.map { $0.nuError_THz * $0.nuError_THz }.reduce(0, +)).squareRoot() / Double(nus.count)
        func hop(_ r: DiffusionResult, _ phase: Phase) -> BarrierValue {
            if let e = r.Ec_eV, let se = r.EcError_eV, e.isFinite, e > 0, e <= 10 {
                return BarrierValue(value_eV: e, uncertainty_eV: se,
                                    source: source + " (Arrhenius fit of D(T), \(r.points.filter { !$0.hostMolten }.count) temperatures \(Int(r.points.first!.kelvin))–\(Int(r.points.last!.kelvin)) K, molten-host points excluded)")
            }
            let paper = BarrierTable.paper[phase].interstitialHop
            return BarrierValue(value_eV: paper.value_eV, uncertainty_eV: paper.uncertainty_eV,
                                source: "\(paper.source) (MD Arrhenius fit unusable: E_c = \(r.Ec_eV.map { "\($0)" } ?? "none"))")
        }
        func phaseBarriers(_ p: Phase, _ d: DiffusionResult) -> PhaseBarriers {
            let b = paths.first { $0.step == "b" && $0.crystal == p.rawValue }!
            let k = paths.first { $0.step == "d" && $0.crystal == p.rawValue }!
            return PhaseBarriers(penetration: barrier(b, label: "b", source: source), interstitialHop: hop(d, p),
                                 kickOff: barrier(k, label: "d", source: source),
                                 cu2seInterstitialCreation: barrier(cu2se, label: "cu2se", source: source))
        }
        let table = BarrierTable(attemptFrequency_THz: nu,
                                 attemptFrequencySource: source + " (quadratic fit of the Cu interstitial well, mean of wz \(String(format: "%.3f", nus[0])) and zb \(String(format: "%.3f", nus[1])) THz)",
                                 wz: phaseBarriers(.wz, diff[0]), zb: phaseBarriers(.zb, diff[1]))
        var prov: [String: String] = [
            "method": "MD calibration (\(s.profile.rawValue) profile): Casu et al. 2023 protocols — straight-path ensembles (steps b, d, Cu2Se), Langevin MSD + Arrhenius (step c), Cu-well quadratic fit (ν); seed \(s.seed)",
            "date": stamp,
            "cekmc_version": options.version,
            "force_field_hash": s.parameters.hashHex,
        ]
        prov["force_field.coulomb_bulk"] = s.bulkCoulomb.description
        prov["force_field.coulomb_wire_and_md"] = s.wireCoulomb.description
        prov["force_field.mixing"] = s.parameters.pairOverrides.isEmpty ? "Lorentz-Berthelot" : "explicit pair overrides"
        let report = CalibrationReport(profile: s.profile.rawValue, lattice: lat, frequency: freq, diffusion: diff, paths: paths,
                                       seconds: Date().timeIntervalSince(t0))
        return CalibrationResult(table: table, attemptFrequencyUncertainty_THz: (spread * spread + fitErr * fitErr).squareRoot(),
                                 provenance: prov, forceField: s.parameters.flatNumbers, report: report)
    }
}
