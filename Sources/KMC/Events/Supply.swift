// Supply (step a): a Cu atom of the donor pool adsorbs on an empty shell site; its reverse,
// desorption, returns it to the pool. Each pool atom attempts independently, so adsorption's rate
// is N_Cu·ν·exp(−E/k_BT) (the pool's 1/N! weight, SiteEnergies). A vacant cation next to the shell
// site deepens the adsorption by δ_ads (Casu et al. 2023: ≥ 5× more Cu at 5 % surface vacancies).
//   ΔE_adsorb = (ε_ads − δ_ads·n_vac) − μ_Cu,   E_mid = E_ads − (ε_ads − μ_Cu)/2

/// Donor pool ↔ shell site.
public enum Supply: ExchangeEventFamily {
    public static let key = "supply"
    public static let summary = "donor pool ↔ shell site: Cu adsorption from the donors and desorption back (step a)"
    public static let parameters = [
        ParameterSpec("adsorption_eV", default: 0.2, range: 0...10, listing: 6, barrier: true,
                      doc: "pool → shell barrier (model choice)", source: "model choice (docs/model.md §4)"),
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
    public static func energetics(direction: Int, _ f: KeyFields, _ p: ExchangeParameters, _ z: LatticeRadices) -> Energetics {
        let dE = (p.adsorbedCu_eV - p.adsorptionVacancyDeepening_eV * Double(f[Field.shellVacancies])) - p.donorCu_eV
        let mid = p.adsorption_eV - (p.adsorbedCu_eV - p.donorCu_eV) / 2
        let e = Energetics(mid: mid, deltaE: dE)
        return direction == 0 ? e : e.reversed
    }
    /// The reverse event reads the same key (the event changes none of its fields).
    public static func reverseFields(direction: Int, _ f: KeyFields) -> KeyFields { f }
    public static func fields(direction: Int, _ s: SlotEndpoints, _ m: borrowing ExchangeModel) -> KeyFields {
        var f = KeyFields()
        f[Field.shellVacancies] = Int(m.vacanciesAround[s.a])
        return f
    }
}

extension EventFamily { public static let supply = EventFamily(Supply.key) }
extension ExchangeParameters {
    /// Pool → shell adsorption barrier, eV.
    public var adsorption_eV: Double { get { self["adsorption_eV"] } set { self["adsorption_eV"] = newValue } }
}
