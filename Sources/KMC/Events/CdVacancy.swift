// Cd vacancy fill: Cd_i + V_Cd → Cd_Cd on an interstitial–cation edge; its reverse creates a
// Frenkel pair. With B = −ε_V − ε_Cd_i(k),
//   ΔE_fill = B + J·n_Cu + δ_ads·n_Sh,   E_mid = E_Cd_fill − B/2
// Off by default: with the 1 eV vacancy energy its rate is negligible, and its slots (every empty
// interstitial next to a Cd) would dominate the bookkeeping.

/// Cd_i + V_Cd ↔ Cd_Cd (Frenkel pair).
public enum CdVacancy: ExchangeEventFamily {
    public static let key = "cd_vacancy"
    public static let summary = "Cd_i + V_Cd ↔ Cd_Cd (vacancy fill by Cd, Frenkel pair)"
    public static let enabledByDefault = false
    public static let parameters = [
        ParameterSpec("cd_vacancy_fill_eV", default: 0.6, range: 0...10, listing: 10, barrier: true,
                      doc: "Cd_i → vacant cation (model choice)", source: "model choice: = the Cd hop barrier"),
    ]
    public static let slot = SlotKind.interstitialCation
    public static let directions: [EventDirection] = [.edge("cdVacancyFill", .cd, .empty), .edge("cdRelease", .empty, .cd)]
    public static let reads: Counters = [.cationNeighbours, .shellCu]
    enum Field: Int, CaseIterable { case kind, cuNeighbours, shellCu }
    public static func keySpace(_ z: LatticeRadices) -> KeySpace {
        KeySpace(Field.self) {
            switch $0 {
            case .kind: return 2
            case .cuNeighbours: return z.cationNeighbours + 1
            case .shellCu: return z.shellPerCation + 1
            }
        }
    }
    public static func energetics(direction: Int, _ f: KeyFields, _ p: ExchangeParameters, _ z: LatticeRadices) -> Energetics {
        let base = -p.cationVacancy_eV - p.cdInterstitial(f[Field.kind])
        let dE = base + p.interfaceJ_eV * Double(f[Field.cuNeighbours]) + p.adsorptionVacancyDeepening_eV * Double(f[Field.shellCu])
        let e = Energetics(mid: p.cdVacancyFill_eV - base / 2, deltaE: dE)
        return direction == 0 ? e : e.reversed
    }
    /// The reverse event reads the same key (the event changes none of its fields).
    public static func reverseFields(direction: Int, _ f: KeyFields) -> KeyFields { f }
    public static func fields(direction: Int, _ s: SlotEndpoints, _ m: inout ExchangeModel) -> KeyFields {
        var f = KeyFields()
        f[Field.kind] = m.kindIndex(s.a)
        f[Field.cuNeighbours] = Int(m.cuNeighbours[s.b])
        f[Field.shellCu] = Int(m.cuShellNeighbours[s.b])
        return f
    }
}

extension EventFamily { public static let cdVacancy = EventFamily(CdVacancy.key) }
extension ExchangeParameters {
    /// Cd_i → adjacent vacant cation site barrier, eV.
    public var cdVacancyFill_eV: Double { get { self["cd_vacancy_fill_eV"] } set { self["cd_vacancy_fill_eV"] = newValue } }
}
