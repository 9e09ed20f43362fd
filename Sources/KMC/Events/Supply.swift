// Supply (step a): a Cu atom of the donor reservoir adsorbs on an empty shell site; its reverse,
// desorption, returns it. The donor is a reservoir of fixed chemical potential μ_Cu with a finite
// inventory: adsorption has its rate while the inventory lasts and stops when it is spent. Its
// attempt rate is set per nm of wire, γ_L, and shared by the shell sites of that length, so the
// flux onto an empty shell, γ_L·exp(−E_ads/k_BT) per nm, is the same for a thin and a thick wire:
//   ν_site = γ_L · L / N_shell    (both directions, so k_ads/k_des = exp(−ΔE/k_BT))
// A vacant cation next to the shell site deepens the adsorption by δ_ads (Casu et al. 2023: ≥ 5×
// more Cu at 5 % surface vacancies).
//   ΔE_adsorb = (ε_ads − δ_ads·n_vac) − μ_Cu,   E_mid = E_ads − (ε_ads − μ_Cu)/2

/// Donor reservoir ↔ shell site.
public enum Supply: ExchangeEventFamily {
    public static let key = "supply"
    public static let summary = "donor reservoir ↔ shell site: Cu adsorption from the donors and desorption back (step a)"
    static let derived = "derived: a Cu-poor flux onto an empty shell of ≈ 1 Cu s⁻¹ nm⁻¹ at 125 °C and ≈ 3 at 400 °C (docs/model.md §6)"
    public static let parameters = [
        ParameterSpec("adsorption_eV", default: 0.09, range: 0...10, listing: 6, barrier: true,
                      doc: "donor → shell barrier", source: derived),
        ParameterSpec("supply_attempt_per_nm", unit: "s⁻¹ nm⁻¹", default: 14, range: 1e-12...1e15, listing: 25,
                      doc: "donor attempt rate γ_L per nm of wire, shared by its shell sites", source: derived),
    ]
    public static let slot = SlotKind.shellSite
    public static let directions: [EventDirection] = [
        .site("adsorb", .empty, .cu, reservoir: .donorCu, reservoirChange: -1),
        .site("desorb", .cu, .empty, reservoir: .donorCu, reservoirChange: +1),
    ]
    public static let reads = Counters.shellVacancies
    enum Field: Int, CaseIterable { case shellVacancies }
    public static func keySpace(_ z: LatticeRadices) -> KeySpace {
        KeySpace(Field.self) { _ in z.cationsPerShell + 1 }
    }
    /// γ_L · L / N_shell (× the family's rate scale), s⁻¹.
    public static func attemptFrequency(_ p: ExchangeParameters, _ w: WireScale) -> Double {
        p.supplyAttemptPerNm * w.length_nm / Double(max(w.shellSites, 1)) * (p.rateScale[EventFamily(key)] ?? 1)
    }
    public static func energetics(direction: Int, _ f: KeyFields, _ p: ExchangeParameters, _ z: LatticeRadices) -> Energetics {
        let dE = (p.adsorbedCu_eV - p.adsorptionVacancyDeepening_eV * Double(f[Field.shellVacancies])) - p.donorCu_eV
        let mid = p.adsorption_eV - (p.adsorbedCu_eV - p.donorCu_eV) / 2
        let e = Energetics(mid: mid, deltaE: dE)
        return direction == 0 ? e : e.reversed
    }
    /// The reverse event reads the same key (the event changes none of its fields).
    public static func reverseFields(direction: Int, _ f: KeyFields) -> KeyFields { f }
    public static func fields(direction: Int, _ s: SlotEndpoints, _ m: inout ExchangeModel) -> KeyFields {
        var f = KeyFields()
        f[Field.shellVacancies] = Int(m.vacanciesAround[s.a])
        return f
    }
}

extension EventFamily { public static let supply = EventFamily(Supply.key) }
extension ExchangeParameters {
    /// Donor → shell adsorption barrier, eV.
    public var adsorption_eV: Double { get { self["adsorption_eV"] } set { self["adsorption_eV"] = newValue } }
    /// Donor attempt rate per nm of wire (γ_L), s⁻¹ nm⁻¹.
    public var supplyAttemptPerNm: Double { get { self["supply_attempt_per_nm"] } set { self["supply_attempt_per_nm"] = newValue } }
}
