// Cu vacancy fill: Cu_i + V_Cd → Cu_Cd on an interstitial–cation edge; its reverse releases a Cu
// from a cation site to the empty interstitial. Filling the vacancy also removes the adsorption
// deepening of its n_Sh Cu shell neighbours. With B = ε_Cu_cat − ε_V − ε_Cu_i(k),
//   ΔE_fill = B + δ_ads·n_Sh + J·n_Cd + U·(n_T − [k = tetra] − [k = tetra]·m)
//   E_mid = E_fill − B/2   (the pair terms enter only ΔE, as for kick-off)

/// Cu_i + V_Cd ↔ Cu_Cd.
public enum CuVacancy: ExchangeEventFamily {
    public static let key = "cu_vacancy"
    public static let summary = "Cu_i + V_Cd ↔ Cu_Cd (Cu fills a vacant cation site, or leaves one)"
    public static let parameters = [
        ParameterSpec("cu_vacancy_fill_eV", table: { $0[$1].interstitialHop.value_eV }, range: 0...10, listing: 8,
                      doc: "Cu_i → vacant cation (model choice)", source: "model choice: = the interstitial hop barrier (Table 1)"),
    ]
    public static let slot = SlotKind.interstitialCation
    public static let directions: [EventDirection] = [.edge("cuVacancyFill", .cu, .empty), .edge("cuRelease", .empty, .cu)]
    public static let reads: Counters = [.interstitialCu, .cationNeighbours, .tetraCu, .shellCu]
    enum Field: Int, CaseIterable { case kind, interstitialCu, cdNeighbours, tetraCu, shellCu }
    public static func keySpace(_ z: LatticeRadices) -> KeySpace {
        KeySpace(Field.self) {
            switch $0 {
            case .kind: return 2
            case .interstitialCu: return z.cationsPerInterstitial + 1
            case .cdNeighbours: return z.cationNeighbours + 1
            case .tetraCu: return z.tetraPerCation + 1
            case .shellCu: return z.shellPerCation + 1
            }
        }
    }
    public static func energetics(direction: Int, _ f: KeyFields, _ p: ExchangeParameters, _ z: LatticeRadices) -> Energetics {
        let (k, m, nCd, nT, nSh) = (f[Field.kind], f[Field.interstitialCu], f[Field.cdNeighbours], f[Field.tetraCu], f[Field.shellCu])
        let isT = k == 0 ? 1.0 : 0.0
        let J = p.interfaceJ_eV, U = p.cu2sePairU_eV
        let base = p.cuCation_eV - p.cationVacancy_eV - p.cuInterstitial(k)
        let mid = p.cuVacancyFill_eV - base / 2
        let sh = p.adsorptionVacancyDeepening_eV * Double(nSh)
        if direction == 0 {
            return Energetics(mid: mid, deltaE: base + sh + J * Double(nCd) + U * (Double(nT) - isT - isT * Double(m)))
        }
        return Energetics(mid: mid, deltaE: -base - sh - J * Double(nCd) + U * (isT * Double(m - 1) - Double(nT)))
    }
    /// After a fill the cation is Cu (m + 1) and the interstitial empty (Cu tetra count − 1 for a
    /// tetra hole); a release undoes both.
    public static func reverseFields(direction: Int, _ f: KeyFields) -> KeyFields {
        KeyFields.afterCuMovesOntoCation(f, direction: direction, kind: Field.kind.rawValue,
                                         interstitialCu: Field.interstitialCu.rawValue, tetraCu: Field.tetraCu.rawValue)
    }
    public static func fields(direction: Int, _ s: SlotEndpoints, _ m: inout ExchangeModel) -> KeyFields {
        var f = KeyFields()
        f[Field.kind] = m.kindIndex(s.a)
        f[Field.interstitialCu] = Int(m.cuAround[s.a])
        f[Field.cdNeighbours] = Int(m.cdNeighbours[s.b])
        f[Field.tetraCu] = Int(m.cuTetraNeighbours[s.b])
        f[Field.shellCu] = Int(m.cuShellNeighbours[s.b])
        return f
    }
}

extension EventFamily { public static let cuVacancy = EventFamily(CuVacancy.key) }
extension ExchangeParameters {
    /// Cu_i → adjacent vacant cation site barrier, eV.
    public var cuVacancyFill_eV: Double { get { self["cu_vacancy_fill_eV"] } set { self["cu_vacancy_fill_eV"] = newValue } }
}
