// Penetration (step b): an adsorbed Cu enters an empty surface interstitial; its reverse returns it
// to the shell. The reference barrier (Table 1) blends towards the Cu₂Se value as the interstitial's
// cation neighbours turn Cu (fraction m/z), and each vacant cation next to the shell site lowers the
// transition state by λ relative to the adsorbed Cu (whose own deepening δ_ads·n_vac is in ΔE):
//   ΔE = ε_Cu_i(k) + U·m·[k = tetra] − (ε_ads − δ_ads·n_vac)
//   E_ref = (1 − m/z)·E_b + (m/z)·E_b,Cu₂Se,   E_mid = E_ref − (ε_Cu_i(k) − ε_ads)/2 − (λ + δ_ads/2)·n_vac
// so E_mid + ΔE/2 = E_ref − λ·n_vac + U·m·[tetra]/2: the forward barrier falls by λ per vacancy
// unless the clamp (ΔE above it) holds it at ΔE.

/// Shell Cu ↔ surface interstitial.
public enum Penetration: ExchangeEventFamily {
    public static let key = "penetration"
    public static let summary = "adsorbed Cu ↔ empty surface interstitial (step b)"
    public static let parameters = [
        ParameterSpec("penetration_eV", table: { $0[$1].penetration.value_eV }, range: 0...10, listing: 1,
                      doc: "step b barrier (Table 1)", source: "Casu et al. 2023, Table 1 (zb 0.06, wz 0.4 eV)"),
        ParameterSpec("cu2se_penetration_eV", table: { $0[$1].cu2seInterstitialCreation.value_eV }, range: 0...10, listing: 4,
                      doc: "penetration into Cu₂Se (paper 0.6)", source: "Casu et al. 2023, text: Cu₂Se interstitial creation 0.6 ± 0.2 eV"),
        ParameterSpec("penetration_vacancy_lowering_eV", default: 0.05, range: 0...2, listing: 12,
                      doc: "per vacancy next to the shell site", source: "model choice (docs/model.md §4)"),
    ]
    public static let slot = SlotKind.shellInterstitial
    public static let directions: [EventDirection] = [.edge("penetrate", .cu, .empty), .edge("exitToShell", .empty, .cu)]
    public static let reads: Counters = [.shellVacancies, .interstitialCu]
    enum Field: Int, CaseIterable { case shellVacancies, kind, interstitialCu }
    public static func keySpace(_ z: LatticeRadices) -> KeySpace {
        KeySpace(Field.self) {
            switch $0 {
            case .shellVacancies: return z.cationsPerShell + 1
            case .kind: return 2
            case .interstitialCu: return z.cationsPerInterstitial + 1
            }
        }
    }
    public static func energetics(direction: Int, _ f: KeyFields, _ p: ExchangeParameters, _ z: LatticeRadices) -> Energetics {
        let (nv, k, m) = (f[Field.shellVacancies], f[Field.kind], f[Field.interstitialCu])
        let isT = k == 0 ? 1.0 : 0.0
        let cuI = p.cuInterstitial(k)
        let dE = cuI + p.cu2sePairU_eV * Double(m) * isT - (p.adsorbedCu_eV - p.adsorptionVacancyDeepening_eV * Double(nv))
        let frac = min(Double(m) / z.cations(aroundKind: k), 1)
        let ref = (1 - frac) * p.penetration_eV + frac * p.cu2sePenetration_eV
        let lowering = (p.penetrationVacancyLowering_eV + p.adsorptionVacancyDeepening_eV / 2) * Double(nv)
        let e = Energetics(mid: ref - (cuI - p.adsorbedCu_eV) / 2 - lowering, deltaE: dE)
        return direction == 0 ? e : e.reversed
    }
    /// The reverse event reads the same key (the event changes none of its fields).
    public static func reverseFields(direction: Int, _ f: KeyFields) -> KeyFields { f }
    public static func fields(direction: Int, _ s: SlotEndpoints, _ m: inout ExchangeModel) -> KeyFields {
        var f = KeyFields()
        f[Field.shellVacancies] = Int(m.vacanciesAround[s.a])
        f[Field.kind] = m.kindIndex(s.b)
        f[Field.interstitialCu] = Int(m.cuAround[s.b])
        return f
    }
}

extension EventFamily { public static let penetration = EventFamily(Penetration.key) }
extension ExchangeParameters {
    /// Step b, shell Cu → surface interstitial, eV (Table 1).
    public var penetration_eV: Double { get { self["penetration_eV"] } set { self["penetration_eV"] = newValue } }
    /// Penetration into Cu₂Se (all cation neighbours of the interstitial Cu), eV.
    public var cu2sePenetration_eV: Double { get { self["cu2se_penetration_eV"] } set { self["cu2se_penetration_eV"] = newValue } }
    /// Lowering of the penetration barrier per vacant cation next to the shell site, eV.
    public var penetrationVacancyLowering_eV: Double {
        get { self["penetration_vacancy_lowering_eV"] } set { self["penetration_vacancy_lowering_eV"] = newValue }
    }
}
