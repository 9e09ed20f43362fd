// The force-field input file (kind = "forcefield"): per-species LJ ε, σ and charge, optional pair
// overrides, LJ cutoff/shift, Coulomb method and neighbour-list skin. Defaults are Casu et al.,
// ACS Nano 17 (2023), Tables 2–3 (doi:10.1021/acsnano.3c04516) with Lorentz–Berthelot mixing and
// DSF Coulomb (α = 0.2 Å⁻¹, 10 Å). Format and conventions: docs/md-forcefield.md.
//
//     kind = "forcefield"
//     [species.Cd]            # also Se, Cu
//     epsilon_eV = 0.00168  # 1.68 meV
//     sigma_A = 1.98
//     charge_e = 1.18
//     [pairs.Cd-Cu]           # optional override of the mixing rule (Cd-Se, Cd-Cu, Se-Cu, Cd-Cd, Se-Se, Cu-Cu)
//     epsilon_eV = 0.00142
//     sigma_A = 1.49
//     [lennard_jones]
//     cutoff_A = 10.0
//     shifted = true
//     [coulomb]
//     method = "dsf"          # "ewald", "dsf", "direct", "none"
//     alpha_per_A = 0.2       # dsf damping; ewald: explicit α (then k_cutoff_per_A too)
//     cutoff_A = 10.0         # dsf cutoff; ewald real-space cutoff (default: balanced, ≥ LJ cutoff)
//     self_energy = "fennell-gezelter"  # dsf only: or "lammps" (DSFSelfEnergy)
//     accuracy = 1e-5         # ewald relative force accuracy (when α is not given)
//     k_cutoff_per_A = 2.0    # ewald explicit reciprocal cutoff (with alpha_per_A)
//     [neighbor_list]
//     skin_A = 1.0

import CekmcCore
import MD

/// A decoded force-field input file: everything needed to build a `ForceField`.
public struct ForceFieldInput: Sendable, Equatable, DecodableInput {
    /// ε, σ, q per species and pair overrides.
    public var parameters: ForceFieldParameters
    /// Coulomb method.
    public var coulomb: CoulombMethod
    /// LJ cutoff in Å.
    public var ljCutoff_A: Double
    /// LJ energy shift at the cutoff.
    public var ljShifted: Bool
    /// Verlet skin in Å.
    public var skin_A: Double

    public init(parameters: ForceFieldParameters = .casu2023, coulomb: CoulombMethod = .dsf(),
                ljCutoff_A: Double = 10, ljShifted: Bool = true, skin_A: Double = 1) {
        self.parameters = parameters; self.coulomb = coulomb
        self.ljCutoff_A = ljCutoff_A; self.ljShifted = ljShifted; self.skin_A = skin_A
    }

    /// The defaults: Casu et al. 2023 parameters, DSF (0.2 Å⁻¹, 10 Å), LJ 10 Å shifted, skin 1 Å.
    public static let casu2023 = ForceFieldInput()

    /// The force field this input describes.
    /// - Throws: `ForceFieldError` (cannot happen for a decoded file, whose ranges are checked).
    public func makeForceField() throws -> ForceField {
        try ForceField(parameters: parameters, coulomb: coulomb, ljCutoff: ljCutoff_A, ljShifted: ljShifted, skin: skin_A)
    }

    /// Canonical text: the parameters' canonical text plus the method settings.
    public var canonicalText: String {
        parameters.canonicalText + "lennard_jones cutoff_A=\(ljCutoff_A) shifted=\(ljShifted)\ncoulomb \(coulomb)\nskin_A=\(skin_A)\n"
    }

    /// 16-hex-digit FNV-1a hash of `canonicalText`: the `force_field_hash` of barrier-file provenance.
    public var hashHex: String {
        let h = String(ForceFieldParameters.fnv1a64(canonicalText), radix: 16)
        return String(repeating: "0", count: 16 - h.count) + h
    }

    /// Pair keys of `[pairs]`, in canonical order.
    public static let pairKeys = SpeciesPair.all.map { "\($0.first)-\($0.second)" }

    /// Coulomb method names (`coulomb.method`).
    public enum Method: String, CaseIterable, Sendable { case dsf, ewald, direct, none }

    /// Decode from the root table (reads every key; call `finish()` afterwards, or use `load`/`parse`).
    public static func decode(_ t: InputTable) throws -> ForceFieldInput {
        try InputKind.require(.forcefield, in: t)
        let d = ForceFieldParameters.casu2023
        var p = d
        let species = try t.table("species")
        for s in Species.allCases {
            let st = try species.table(s.description)
            p[s] = SpeciesParameters(
                epsilon_eV: try st.double("epsilon_eV", default: d[s].epsilon_eV, range: 0...10, unit: "eV", doc: "LJ well depth ε_ii"),
                sigma_A: try st.double("sigma_A", default: d[s].sigma_A, range: 0.01...100, unit: "Å", doc: "LJ diameter σ_ii"),
                charge_e: try st.double("charge_e", default: d[s].charge_e, range: -10...10, unit: "e", doc: "partial charge"))
        }
        let pairs = try t.table("pairs")
        for key in pairs.presentKeys where !pairKeys.contains(key) {
            throw pairs.fail(key, "unknown species pair", allowed: pairKeys.joined(separator: ", ") + " (species in the order Cd, Se, Cu)")
        }
        for (key, pair) in zip(pairKeys, SpeciesPair.all) where pairs.contains(key) {
            let pt = try pairs.table(key)
            let mixed = p.pair(pair.first, pair.second)
            let eps = try pt.optionalDouble("epsilon_eV", range: 0...10, unit: "eV", doc: "override of ε_ij")
            let sig = try pt.optionalDouble("sigma_A", range: 0.01...100, unit: "Å", doc: "override of σ_ij")
            if eps == nil && sig == nil {
                throw pairs.fail(key, "a pair override needs epsilon_eV and/or sigma_A", allowed: "a table with epsilon_eV, sigma_A")
            }
            p.pairOverrides[pair] = PairParameters(epsilon_eV: eps ?? mixed.epsilon_eV, sigma_A: sig ?? mixed.sigma_A)
        }
        let lj = try t.table("lennard_jones")
        let ljCut = try lj.double("cutoff_A", default: 10, range: 1...100, unit: "Å", doc: "LJ cutoff")
        let shifted = try lj.bool("shifted", default: true, doc: "shift the LJ energy to 0 at the cutoff")
        let c = try t.table("coulomb")
        let method = try c.choice("method", default: Method.dsf, doc: "Coulomb summation")
        let coulomb: CoulombMethod
        switch method {
        case .none: coulomb = .none
        case .direct: coulomb = .direct
        case .dsf:
            coulomb = .dsf(alpha: try c.double("alpha_per_A", default: 0.2, range: 0...10, unit: "Å⁻¹", doc: "DSF damping α"),
                           cutoff: try c.double("cutoff_A", default: 10, range: 1...100, unit: "Å", doc: "DSF cutoff"),
                           selfEnergy: try c.choice("self_energy", default: DSFSelfEnergy.fennellGezelter,
                                                    doc: "DSF self-energy convention (fennell-gezelter or lammps)"))
        case .ewald:
            let alpha = try c.optionalDouble("alpha_per_A", range: 1e-3...10, unit: "Å⁻¹", doc: "explicit Ewald α (with k_cutoff_per_A)")
            let cut = try c.optionalDouble("cutoff_A", range: 1...100, unit: "Å", doc: "Ewald real-space cutoff (default: balanced for speed, ≥ the LJ cutoff)")
            let kcut = try c.optionalDouble("k_cutoff_per_A", range: 1e-3...100, unit: "Å⁻¹", doc: "explicit Ewald reciprocal cutoff")
            if let alpha {
                guard let kcut else { throw c.fail("k_cutoff_per_A", "explicit Ewald α needs k_cutoff_per_A", allowed: "a number in Å⁻¹") }
                if c.contains("accuracy") { throw c.fail("accuracy", "give either accuracy or alpha_per_A + k_cutoff_per_A, not both") }
                coulomb = .ewaldExplicit(EwaldParameters(alpha: alpha, realCutoff: cut ?? ljCut, kCutoff: kcut))
            } else {
                if kcut != nil { throw c.fail("k_cutoff_per_A", "k_cutoff_per_A needs alpha_per_A", allowed: "alpha_per_A and k_cutoff_per_A together") }
                coulomb = .ewald(accuracy: try c.double("accuracy", default: 1e-5, range: 1e-15...0.01, doc: "relative force accuracy (to k_e e²/Å²)"),
                                 cutoff: cut)
            }
        }
        let nl = try t.table("neighbor_list")
        let skin = try nl.double("skin_A", default: 1, range: 0...10, unit: "Å", doc: "Verlet skin")
        return ForceFieldInput(parameters: p, coulomb: coulomb, ljCutoff_A: ljCut, ljShifted: shifted, skin_A: skin)
    }

    /// The input as TOML text; `parse` of it gives back an equal value.
    public func encodeTOML() -> String {
        var out = "kind = \"forcefield\"\n"
        for s in Species.allCases {
            let sp = parameters[s]
            out += "\n[species.\(s)]\nepsilon_eV = \(TOMLText.double(sp.epsilon_eV))\nsigma_A = \(TOMLText.double(sp.sigma_A))\ncharge_e = \(TOMLText.double(sp.charge_e))\n"
        }
        for (key, pair) in zip(Self.pairKeys, SpeciesPair.all) {
            if let o = parameters.pairOverrides[pair] {
                out += "\n[pairs.\(key)]\nepsilon_eV = \(TOMLText.double(o.epsilon_eV))\nsigma_A = \(TOMLText.double(o.sigma_A))\n"
            }
        }
        out += "\n[lennard_jones]\ncutoff_A = \(TOMLText.double(ljCutoff_A))\nshifted = \(ljShifted)\n"
        out += "\n[coulomb]\n"
        switch coulomb {
        case .none: out += "method = \"none\"\n"
        case .direct: out += "method = \"direct\"\n"
        case let .dsf(a, rc, se):
            out += "method = \"dsf\"\nalpha_per_A = \(TOMLText.double(a))\ncutoff_A = \(TOMLText.double(rc))\n"
            // Written only when not the default, so the text (and force_field_hash) of default inputs is unchanged.
            if se != .fennellGezelter { out += "self_energy = \"\(se.rawValue)\"\n" }
        case let .ewald(acc, rc):
            out += "method = \"ewald\"\naccuracy = \(TOMLText.double(acc))\n"
            if let rc { out += "cutoff_A = \(TOMLText.double(rc))\n" }
        case let .ewaldExplicit(e):
            out += "method = \"ewald\"\nalpha_per_A = \(TOMLText.double(e.alpha))\ncutoff_A = \(TOMLText.double(e.realCutoff))\nk_cutoff_per_A = \(TOMLText.double(e.kCutoff))\n"
        }
        out += "\n[neighbor_list]\nskin_A = \(TOMLText.double(skin_A))\n"
        return out
    }
}
