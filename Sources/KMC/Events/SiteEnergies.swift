// The energy of a configuration, shared by every event family (the families' ΔE are differences
// of it; `ExchangeModel.energy()` evaluates it whole, and the detailed-balance test holds the two
// together):
//   E = Σ_sites ε(kind, occupant) − δ_ads Σ_shell Cu · n_vac(s)
//     + J · #(Cu_cat–Cd_cat nearest-neighbour pairs) + U · #(Cu_cat–Cu_tetra adjacent pairs)
//     + μ_Cu N_Cu + μ_Cd N_Cd
// relative to Cd on its site, empty interstitials and an empty shell. The reservoirs have fixed
// chemical potentials μ_Cu, μ_Cd and finite inventories N_Cu, N_Cd ≥ 0 (no entropy of their own):
// the stationary weight is W = exp(−E/k_BT) over states with N ≥ 0, and a reservoir-fed event has
// its rate while the inventory is not spent (`ReservoirKind`).
//
// Defaults (docs/model.md §6 derives them from the paper's numbers): Cu_i lies F above adsorbed Cu
// (F = 1.0 eV in wz: Casu et al. 2023 Table 5, force field; F = 0.55 eV in zb, between Table 5's DFT
// and force-field values); a completed Cu₂Se unit (Cu_cat + a Cu tetra with all its z_T cations Cu)
// lies Δg = −0.05 eV per unit below two adsorbed Cu, which with J = 0.1 eV puts the Gibbs–Thomson
// critical cap radius at ≈ 4 nm for a half-covered shell; Cd in the sink is as bound as Cd on its
// site, so Cd leaves the wire downhill.

import CekmcCore

/// The energy terms and the attempt frequency (parameters not owned by one family).
public enum SiteEnergies {
    static let e = -10.0...10.0
    static let choice = "model choice (docs/model.md §4)"
    static let cuInterstitial = "wz: adsorbed Cu + 1.0 eV (Casu et al. 2023 Table 5, FF); zb: adsorbed Cu + 0.55 eV (derived, docs/model.md §6)"
    static let cdInterstitial = "derived: the exchange's effective activation energy from the paper's front rates (zb 0.1 layer/s at 125 °C, wz 0.15 at 400 °C) with the measured prefactor (docs/model.md §6)"
    /// Their declarations (`ParameterSpec`).
    public static let parameters: [ParameterSpec] = [
        ParameterSpec("attempt_frequency_THz", unit: "THz", table: { t, _ in t.attemptFrequency_THz }, range: 1e-3...1e3, listing: 0,
                      barrier: false, doc: "attempt frequency ν (paper: 1.9)",
                      source: "Casu et al. 2023: quadratic fit of the Cu potential well, 1.9 THz"),
        ParameterSpec("donor_cu_eV", default: 0, range: e, listing: 13, doc: "Cu energy in the donor pool",
                      source: "reference of the energy scale (chemical-potential-like)"),
        ParameterSpec("escaped_cd_eV", default: 0, range: e, listing: 14, doc: "μ_Cd of the Cd sink",
                      source: "model choice: Cd in the sink as bound as Cd on its site, so a surface Cd_i leaves downhill and rarely returns (docs/model.md §6)"),
        ParameterSpec("adsorbed_cu_eV", default: -0.3, range: e, listing: 15, doc: "adsorbed Cu on a shell site", source: choice),
        ParameterSpec("adsorption_vacancy_deepening_eV", default: 0.15, range: 0...5, listing: 16, doc: "per vacancy next to the shell site",
                      source: "model choice; paper: ≥ 5× more Cu at 5 % surface vacancies"),
        ParameterSpec("cu_tetra_eV", wz: 0.7, zb: 0.25, range: e, listing: 18, doc: "Cu_i on a tetrahedral hole in CdSe",
                      source: cuInterstitial),
        ParameterSpec("cu_octa_eV", wz: 0.7, zb: 0.25, range: e, listing: 19, doc: "Cu_i on an octahedral hole", source: cuInterstitial),
        ParameterSpec("cd_tetra_eV", default: 0.45, range: e, listing: 20, doc: "Cd_i on a tetrahedral hole (vs Cd on its site)", source: cdInterstitial),
        ParameterSpec("cd_octa_eV", default: 0.45, range: e, listing: 21, doc: "Cd_i on an octahedral hole (vs Cd on its site)", source: cdInterstitial),
        ParameterSpec("cu_cation_eV", default: -0.3, range: e, listing: 17, doc: "Cu on a cation site (vs Cd)",
                      source: "model choice: with ε_Cd,i it sets the kick-off ΔE at a front below the Cd hop (docs/model.md §6)"),
        ParameterSpec("cation_vacancy_eV", default: 1.0, range: e, listing: 22, doc: "vacant cation site (vs Cd)", source: choice),
        ParameterSpec("interface_J_eV", default: 0.1, range: e, listing: 23, doc: "per Cu_cat–Cd_cat NN pair",
                      source: "derived: Gibbs–Thomson critical cap radius r* ≈ 2.1·J/|Δg| nm ≈ 4 nm at a half-covered shell (docs/model.md §6)"),
        ParameterSpec("cu2se_pair_U_eV", wz: -0.2625, zb: -0.1, range: e, listing: 24, doc: "per Cu_cat–Cu_tetra pair",
                      source: "derived: a completed Cu₂Se unit 0.05 eV below two adsorbed Cu, Δg = ε_Cu,cat + ε_Cu,tetra + z_T·U + μ_Cd − 2ε_ads = −0.05 eV (z_T = 4 wz, 6 zb; docs/model.md §6)"),
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

    /// The value a calibration's end-point energies give parameter `key` (nil: none, or the file has
    /// no `delta_E_eV` for it), from the values already in force of the parameters it depends on
    /// (listed before it): step b's ΔE sets Cu_i above adsorbed Cu, step d's the kick-off ΔE
    /// B = ε_Cu,cat + ε_Cd,i − ε_Cu,i (through ε_Cd,i), and the Cu₂Se interstitial creation's ΔE the
    /// penetration ΔE into a tetra hole with all its cations Cu (through U).
    public func calibrated(_ key: String, _ b: PhaseBarriers, cationsPerTetra: Int) -> Double? {
        switch key {
        case "cu_tetra_eV", "cu_octa_eV":
            return b.penetration.deltaE_eV.map { adsorbedCu_eV + $0 }
        case "cd_tetra_eV":
            return b.kickOff.deltaE_eV.map { $0 - cuCation_eV + cuTetra_eV }
        case "cd_octa_eV":
            return b.kickOff.deltaE_eV.map { $0 - cuCation_eV + cuOcta_eV }
        case "cu2se_pair_U_eV":
            return b.cu2seInterstitialCreation.deltaE_eV.map { ($0 - (cuTetra_eV - adsorbedCu_eV)) / Double(cationsPerTetra) }
        default:
            return nil
        }
    }

    /// Energy of a Cu / Cd interstitial on a hole of kind index `k` (0 tetra, 1 octa), eV.
    func cuInterstitial(_ k: Int) -> Double { k == 0 ? cuTetra_eV : cuOcta_eV }
    func cdInterstitial(_ k: Int) -> Double { k == 0 ? cdTetra_eV : cdOcta_eV }
}
