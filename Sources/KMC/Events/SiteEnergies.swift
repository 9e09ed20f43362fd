// The energy of a configuration, shared by every event family (the families' ΔE are differences
// of it; `ExchangeModel.energy()` evaluates it whole, and the detailed-balance test holds the two
// together):
//   E = Σ_sites ε(kind, occupant) − δ_ads Σ_shell Cu · n_vac(s)
//     + J · #(Cu_cat–Cd_cat nearest-neighbour pairs) + U · #(Cu_cat–Cu_tetra adjacent pairs)
//     + μ_Cu N_Cu + μ_Cd N_Cd
// relative to Cd on its site, empty interstitials and an empty shell. The pools are ideal: their
// stationary weight carries 1/N! (indistinguishable atoms in a large volume), so the Boltzmann
// weight is W = exp(−E/k_BT)/(N_Cu! N_Cd!).

import CekmcCore

/// The energy terms and the attempt frequency (parameters not owned by one family).
public enum SiteEnergies {
    static let e = -10.0...10.0
    static let choice = "model choice (docs/model.md §4)"
    /// Their declarations (`ParameterSpec`).
    public static let parameters: [ParameterSpec] = [
        ParameterSpec("attempt_frequency_THz", unit: "THz", table: { t, _ in t.attemptFrequency_THz }, range: 1e-3...1e3, listing: 0,
                      barrier: false, doc: "attempt frequency ν (paper: 1.9)",
                      source: "Casu et al. 2023: quadratic fit of the Cu potential well, 1.9 THz"),
        ParameterSpec("donor_cu_eV", default: 0, range: e, listing: 13, doc: "Cu energy in the donor pool",
                      source: "reference of the energy scale (chemical-potential-like)"),
        ParameterSpec("escaped_cd_eV", default: -0.3, range: e, listing: 14, doc: "Cd energy in the escaped reservoir", source: choice),
        ParameterSpec("adsorbed_cu_eV", default: -0.3, range: e, listing: 15, doc: "adsorbed Cu on a shell site", source: choice),
        ParameterSpec("adsorption_vacancy_deepening_eV", default: 0.15, range: 0...5, listing: 16, doc: "per vacancy next to the shell site",
                      source: "model choice; paper: ≥ 5× more Cu at 5 % surface vacancies"),
        ParameterSpec("cu_tetra_eV", default: -0.25, range: e, listing: 17, doc: "Cu_i on an empty tetrahedral hole", source: choice),
        ParameterSpec("cu_octa_eV", default: -0.25, range: e, listing: 18, doc: "Cu_i on an octahedral hole", source: choice),
        ParameterSpec("cd_tetra_eV", default: 0, range: e, listing: 19, doc: "Cd_i on a tetrahedral hole", source: choice),
        ParameterSpec("cd_octa_eV", default: 0, range: e, listing: 20, doc: "Cd_i on an octahedral hole", source: choice),
        ParameterSpec("cu_cation_eV", default: -0.2, range: e, listing: 21, doc: "Cu on a cation site (vs Cd)", source: choice),
        ParameterSpec("cation_vacancy_eV", default: 1.0, range: e, listing: 22, doc: "vacant cation site (vs Cd)", source: choice),
        ParameterSpec("interface_J_eV", default: 0.02, range: e, listing: 23, doc: "per Cu_cat–Cd_cat NN pair", source: choice),
        ParameterSpec("cu2se_pair_U_eV", default: -0.05, range: e, listing: 24, doc: "per Cu_cat–Cu_tetra pair", source: choice),
    ]
}

extension ExchangeParameters {
    /// Cu in the donor pool, per atom (energy reference), eV.
    public var donorCu_eV: Double { get { self["donor_cu_eV"] } set { self["donor_cu_eV"] = newValue } }
    /// Escaped Cd (substrate/vapour) per atom, eV.
    public var escapedCd_eV: Double { get { self["escaped_cd_eV"] } set { self["escaped_cd_eV"] = newValue } }
    /// Adsorbed Cu on a shell site, eV.
    public var adsorbedCu_eV: Double { get { self["adsorbed_cu_eV"] } set { self["adsorbed_cu_eV"] = newValue } }
    /// Deepening of adsorption per vacant cation next to the shell site, eV.
    public var adsorptionVacancyDeepening_eV: Double {
        get { self["adsorption_vacancy_deepening_eV"] } set { self["adsorption_vacancy_deepening_eV"] = newValue }
    }
    /// Cu interstitial on an empty tetrahedral / octahedral hole, eV.
    public var cuTetra_eV: Double { get { self["cu_tetra_eV"] } set { self["cu_tetra_eV"] = newValue } }
    public var cuOcta_eV: Double { get { self["cu_octa_eV"] } set { self["cu_octa_eV"] = newValue } }
    /// Cd interstitial on a tetrahedral / octahedral hole, eV.
    public var cdTetra_eV: Double { get { self["cd_tetra_eV"] } set { self["cd_tetra_eV"] = newValue } }
    public var cdOcta_eV: Double { get { self["cd_octa_eV"] } set { self["cd_octa_eV"] = newValue } }
    /// Cu on a cation site (vs Cd), eV.
    public var cuCation_eV: Double { get { self["cu_cation_eV"] } set { self["cu_cation_eV"] = newValue } }
    /// Vacant cation site (vs Cd), eV.
    public var cationVacancy_eV: Double { get { self["cation_vacancy_eV"] } set { self["cation_vacancy_eV"] = newValue } }
    /// Interface energy J per Cu_cat–Cd_cat nearest-neighbour pair, eV.
    public var interfaceJ_eV: Double { get { self["interface_J_eV"] } set { self["interface_J_eV"] = newValue } }
    /// Cu₂Se unit stability U per Cu_cat–Cu_tetra adjacent pair, eV.
    public var cu2sePairU_eV: Double { get { self["cu2se_pair_U_eV"] } set { self["cu2se_pair_U_eV"] = newValue } }

    /// Energy of a Cu / Cd interstitial on a hole of kind index `k` (0 tetra, 1 octa), eV.
    func cuInterstitial(_ k: Int) -> Double { k == 0 ? cuTetra_eV : cuOcta_eV }
    func cdInterstitial(_ k: Int) -> Double { k == 0 ? cdTetra_eV : cdOcta_eV }
}
