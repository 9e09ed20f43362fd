// Bulk force-field checks of Casu et al. 2023 (DOI 10.1021/acsnano.3c03049):
//  • lattice (Table 4): relaxed a, c, u and energy per formula unit of wz, zb CdSe and
//    antifluorite Cu₂Se — `CellRelaxation` (outer BFGS on cell scales, inner SD+CG), axial for wz,
//    isotropic for the cubic crystals. u = ⟨axial Cd–Se bond⟩ / c, the bond being the Se directly
//    below each Cd along c.
//  • defect (Table 5): formation energies in the relaxed bulk cell, defined with isolated-ion
//    reservoirs (the usual classical-FF convention):
//      E_f(V_Cd) = E(N−1, Cd removed, relaxed) − E(N, perfect)
//      E_f(Cu_i) = E(N+1, Cu on an empty tetrahedral/octahedral hole, relaxed) − E(N, perfect)
//    i.e. the ion is taken from/brought to infinity at zero energy. Charged cells: Ewald includes
//    the uniform neutralising background (the FF's `coulombBackground` term).
//  • frequency: the Cu interstitial well — Cu relaxed on an empty tetrahedral hole, then displaced
//    by ±d (d = 0.05…0.2 Å) along x, y, z with every other atom frozen; ν from a linear fit of
//    E − E₀ against d² (DiffusionAnalysis.harmonicFrequency). Paper: 1.9 THz.

import CekmcCore
import Foundation
import Geometry

/// Relaxed lattice of one crystal.
public struct LatticeResult: Sendable, Codable {
    /// "wz", "zb" or "cu2se".
    public var crystal: String
    /// Relaxed a (Å): hexagonal a for wz, cubic a for zb and Cu₂Se.
    public var a_A: Double
    /// Relaxed c (Å), wz only.
    public var c_A: Double?
    /// Relaxed u, wz only.
    public var u: Double?
    /// Energy per formula unit (CdSe or Cu₂Se), eV.
    public var energyPerFormulaUnit_eV: Double
    /// Atoms in the supercell.
    public var atoms: Int
    /// Paper's force-field values (Table 4) for comparison.
    public var paper_a_A: Double?
    /// Paper FF c (Å), wz only.
    public var paper_c_A: Double?
    /// Paper FF u, wz only.
    public var paper_u: Double?

    /// JSON keys: snake_case with the unit in the name (one style for every command's JSON).
    enum CodingKeys: String, CodingKey {
        case crystal
        case a_A
        case c_A
        case u
        case energyPerFormulaUnit_eV = "energy_per_formula_unit_eV"
        case atoms
        case paper_a_A
        case paper_c_A
        case paper_u
    }
}

/// Formation energy of one defect.
public struct DefectResult: Sendable, Codable {
    /// "V_Cd", "Cu_i(tetra)", "Cu_i(octa)".
    public var defect: String
    /// Host phase.
    public var phase: String
    /// Formation energy (definition in docs/md.md), eV.
    public var formationEnergy_eV: Double
    /// Unrelaxed formation energy, eV.
    public var unrelaxedFormationEnergy_eV: Double
    /// Atoms in the perfect cell.
    public var atoms: Int
    /// Table 5 force-field value, eV.
    public var paper_eV: Double

    /// JSON keys: snake_case with the unit in the name (one style for every command's JSON).
    enum CodingKeys: String, CodingKey {
        case defect
        case phase
        case formationEnergy_eV = "formation_energy_eV"
        case unrelaxedFormationEnergy_eV = "unrelaxed_formation_energy_eV"
        case atoms
        case paper_eV
    }
}

/// Attempt-frequency result.
public struct FrequencyResult: Sendable, Codable {
    /// Host phase ("wz" or "zb").
    public var phase: String
    /// ν from all displacements pooled, THz.
    public var nu_THz: Double
    /// Fit uncertainty of ν, THz.
    public var nuError_THz: Double
    /// ν along x, y, z separately, THz.
    public var nuPerAxis_THz: [Double]
    /// Curvature k, eV/Å².
    public var k_eV_per_A2: Double
    /// Paper: 1.9 THz.
    public var paper_THz: Double

    /// JSON keys: snake_case with the unit in the name (one style for every command's JSON).
    enum CodingKeys: String, CodingKey {
        case phase
        case nu_THz
        case nuError_THz = "nu_error_THz"
        case nuPerAxis_THz = "nu_per_axis_THz"
        case k_eV_per_A2
        case paper_THz
    }
}

/// The bulk protocols.
public enum BulkProtocols {
    /// Relaxed bulk cell of `phase` (CdSe) at the given lattice, and its energy.
    static func relaxedCell(_ spec: CrystalSpec, settings: ProtocolSettings, ff: inout ForceField) throws -> (AtomicStructure, Double) {
        let setting: BulkSetting = spec.phase == .wz ? .orthorhombic : .cubic
        var s = try Structures.bulk(spec, minimumWidth_A: settings.minimumWidth(ff), setting: setting)
        let r = try Relaxation.relax(s.configuration, surface: &ff, options: settings.relaxation)
        s.configuration = r.configuration
        return (s, r.energy)
    }

    /// Mean axial bond / c for wz: for each Cd, the Se with the same in-plane position below it.
    static func wurtziteU(_ c: Configuration, cLength: Double) -> Double {
        let w = PeriodicWrap(c.cell)
        var sum = 0.0, n = 0
        let se = c.species.indices.filter { c.species[$0] == .Se }
        for i in c.species.indices where c.species[i] == .Cd {
            var best = Double.infinity
            for j in se {
                let d = w.minimumImage(c.positions[i] - c.positions[j])
                if d.x * d.x + d.y * d.y < 0.25 && d.z > 0 { best = min(best, d.z) }
            }
            if best.isFinite { sum += best; n += 1 }
        }
        return n > 0 ? sum / Double(n) / cLength : .nan
    }

    /// Table 4: relaxed lattices of wz, zb CdSe and antifluorite Cu₂Se.
    public static func lattice(settings: ProtocolSettings) throws -> [LatticeResult] {
        var out = [LatticeResult]()
        var ff = try settings.bulkForceField()
        let inner = RelaxationOptions(forceTolerance_eV_per_A: 1e-4)
        for crystal in ["wz", "zb", "cu2se"] {
            settings.progress("lattice: relaxing \(crystal)")
            let spec: CrystalSpec = crystal == "wz" ? try .wurtzite() : (crystal == "zb" ? try .zincblende() : try .cu2se(a_A: 5.859))
            let setting: BulkSetting = crystal == "wz" ? .orthorhombic : .cubic
            let s = try Structures.bulk(spec, minimumWidth_A: settings.minimumWidth(ff) + 2, setting: setting)
            let dof: CellDegreesOfFreedom = crystal == "wz" ? .axial : .isotropic
            let r = try CellRelaxation.relax(s.configuration, surface: &ff, dof: dof, inner: inner,
                                             gradientTolerance_eV: 0.01, h: 1e-3)
            let nSe = Double(r.configuration.species.filter { $0 == .Se }.count)
            let a = spec.a_A * r.scales[0]
            let c = crystal == "wz" ? spec.c_A * r.scales[1] : nil
            out.append(LatticeResult(crystal: crystal, a_A: a, c_A: c,
                                     u: c.map { wurtziteU(r.configuration, cLength: $0) },
                                     energyPerFormulaUnit_eV: r.energy / nSe, atoms: r.configuration.count,
                                     paper_a_A: crystal == "wz" ? 4.39 : (crystal == "cu2se" ? 5.666 : nil),
                                     paper_c_A: crystal == "wz" ? 7.02 : nil, paper_u: crystal == "wz" ? 0.40 : nil))
        }
        return out
    }

    /// The lattice spec of `phase` relaxed by the FF (a, c, u from `lattice` results).
    public static func relaxedSpec(_ phase: Phase, lattice: [LatticeResult]) throws -> CrystalSpec {
        if phase == .wz, let r = lattice.first(where: { $0.crystal == "wz" }), let c = r.c_A, let u = r.u {
            return try .wurtzite(a_A: r.a_A, c_A: c, u: min(max(u, 0.26), 0.49))
        }
        if phase == .zb, let r = lattice.first(where: { $0.crystal == "zb" }) { return try .zincblende(a_A: r.a_A) }
        return try ProtocolSettings.startSpec(phase)
    }

    /// Table 5: Cd vacancy and Cu interstitial formation energies in `phases`.
    public static func defects(settings: ProtocolSettings, specs: [Phase: CrystalSpec]) throws -> [DefectResult] {
        var out = [DefectResult]()
        for phase in [Phase.wz, .zb] {
            guard let spec = specs[phase] else { continue }
            var ff = try settings.bulkForceField()
            settings.progress("defect: perfect \(phase) cell")
            let (perfect, e0) = try relaxedCell(spec, settings: settings, ff: &ff)
            let w = PeriodicWrap(perfect.configuration.cell)
            let centre = w.cartesian(SIMD3(0.5, 0.5, 0.5))
            func single(_ c: Configuration) -> Double { var f: [SIMD3<Double>] = []; return ff.energyAndForces(c, forces: &f) }
            // Vacancy.
            var vac = perfect
            let cd = vac.atoms(of: .Cd).min { w.distance(vac.configuration.positions[$0], centre) < w.distance(vac.configuration.positions[$1], centre) }!
            vac.removeAtoms([cd])
            settings.progress("defect: V_Cd in \(phase)")
            let eu = single(vac.configuration)
            let rv = try Relaxation.relax(vac.configuration, surface: &ff, options: settings.relaxation)
            out.append(DefectResult(defect: "V_Cd", phase: phase.rawValue, formationEnergy_eV: rv.energy - e0,
                                    unrelaxedFormationEnergy_eV: eu - e0, atoms: perfect.configuration.count, paper_eV: 5.3))
            for (kind, name) in [(SiteKind.tetraEmpty, "Cu_i(tetra)"), (.octa, "Cu_i(octa)")] {
                var s = perfect
                try s.insertInterstitial(kind, near: centre)
                settings.progress("defect: \(name) in \(phase)")
                let eu = single(s.configuration)
                let r = try Relaxation.relax(s.configuration, surface: &ff, options: settings.relaxation)
                out.append(DefectResult(defect: name, phase: phase.rawValue, formationEnergy_eV: r.energy - e0,
                                        unrelaxedFormationEnergy_eV: eu - e0, atoms: perfect.configuration.count, paper_eV: 1.0))
            }
        }
        return out
    }

    /// Attempt frequency of a Cu interstitial on an empty tetrahedral hole of `spec`.
    public static func frequency(settings: ProtocolSettings, spec: CrystalSpec) throws -> FrequencyResult {
        var ff = try settings.bulkForceField()
        settings.progress("frequency: relaxing Cu_i in \(spec.phase)")
        let (perfect, _) = try relaxedCell(spec, settings: settings, ff: &ff)
        var s = perfect
        let w = PeriodicWrap(s.configuration.cell)
        let cu = try s.insertInterstitial(.tetraEmpty, near: w.cartesian(SIMD3(0.5, 0.5, 0.5)))
        var o = settings.relaxation
        o.forceTolerance_eV_per_A = min(o.forceTolerance_eV_per_A, 1e-4)
        let relaxed = try Relaxation.relax(s.configuration, surface: &ff, options: o).configuration
        var f: [SIMD3<Double>] = []
        let e0 = ff.energyAndForces(relaxed, forces: &f)
        let ds = [0.05, 0.1, 0.15, 0.2]
        var allD = [Double](), allE = [Double](), perAxis = [Double]()
        for axis in 0..<3 {
            var d = [Double](), e = [Double]()
            for sign in [-1.0, 1.0] {
                for x in ds {
                    var c = relaxed
                    var u = SIMD3<Double>.zero; u[axis] = sign * x
                    c.positions[cu] += u
                    d.append(sign * x); e.append(ff.energyAndForces(c, forces: &f) - e0)
                }
            }
            perAxis.append(try DiffusionAnalysis.harmonicFrequency(displacements_A: d, energies_eV: e, mass_amu: massAmu(.Cu)).nu_THz.value)
            allD += d; allE += e
        }
        let (nu, k) = try DiffusionAnalysis.harmonicFrequency(displacements_A: allD, energies_eV: allE, mass_amu: massAmu(.Cu))
        return FrequencyResult(phase: spec.phase.rawValue, nu_THz: nu.value, nuError_THz: nu.error, nuPerAxis_THz: perAxis,
                               k_eV_per_A2: k.value, paper_THz: 1.9)
    }
}
