// Cu interstitial hop (step c): a Cu_i moves to a neighbouring empty interstitial. Atom-centric:
// each mobile Cu is one member of a composite class whose channels are its site's hops (the
// model's hop environments). Its own reverse (the same atom's channel back). The barrier blends
// towards the Cu₂Se value with the fraction of Cu cations around the two holes:
//   ΔE = ε_Cu_i(k_j) − ε_Cu_i(k_i) + U·(m_j·[k_j = tetra] − m_i·[k_i = tetra])
//   E_ref = (1 − f)·E_c + f·E_c,Cu₂Se,  f = min((m_i + m_j)/(z_i + z_j), 1)
//   E_mid = E_ref − |ε_Cu_i(k_j) − ε_Cu_i(k_i)|/2

/// Cu interstitial hop.
public enum CuHop: ExchangeEventFamily {
    public static let key = "cu_hop"
    public static let summary = "Cu interstitial hop to an empty neighbouring interstitial (step c; also inside Cu₂Se)"
    public static let parameters = [
        ParameterSpec("interstitial_hop_eV", table: { $0[$1].interstitialHop.value_eV }, range: 0...10, listing: 2,
                      doc: "step c barrier (Table 1)", source: "Casu et al. 2023, Table 1 (zb 0.51, wz 0.29 eV)"),
        ParameterSpec("cu2se_hop_eV", table: { $0[$1].cu2seInterstitialCreation.value_eV }, range: 0...10, listing: 5,
                      doc: "Cu hop inside Cu₂Se (paper 0.6)", source: "Casu et al. 2023, text: Cu₂Se value 0.6 ± 0.2 eV, used for hops"),
    ]
    public static let slot = SlotKind.atom
    public static let directions: [EventDirection] = [.edge("cuHop", .cu, .empty)]
    public static let reads = Counters.interstitialCu
    enum Field: Int, CaseIterable { case sourceKind, targetKind, sourceCu, targetCu }
    public static func keySpace(_ z: LatticeRadices) -> KeySpace {
        KeySpace(Field.self) {
            switch $0 {
            case .sourceKind, .targetKind: return 2
            case .sourceCu, .targetCu: return z.cationsPerInterstitial + 1
            }
        }
    }
    public static func energetics(direction: Int, _ f: KeyFields, _ p: ExchangeParameters, _ z: LatticeRadices) -> Energetics {
        let (ki, kj, mi, mj) = (f[Field.sourceKind], f[Field.targetKind], f[Field.sourceCu], f[Field.targetCu])
        let ci = p.cuInterstitial(ki), cj = p.cuInterstitial(kj)
        let dE = cj - ci + p.cu2sePairU_eV * (Double(mj) * (kj == 0 ? 1 : 0) - Double(mi) * (ki == 0 ? 1 : 0))
        let frac = min(Double(mi + mj) / (z.cations(aroundKind: ki) + z.cations(aroundKind: kj)), 1)
        let ref = (1 - frac) * p.interstitialHop_eV + frac * p.cu2seHop_eV
        return Energetics(mid: ref - abs(cj - ci) / 2, deltaE: dE)
    }
    /// The reverse hop: source and target swap.
    public static func reverseFields(direction: Int, _ f: KeyFields) -> KeyFields {
        var r = KeyFields()
        r[Field.sourceKind] = f[Field.targetKind]; r[Field.targetKind] = f[Field.sourceKind]
        r[Field.sourceCu] = f[Field.targetCu]; r[Field.targetCu] = f[Field.sourceCu]
        return r
    }
    public static func fields(channel c: HopChannel) -> KeyFields {
        var f = KeyFields()
        f[Field.sourceKind] = c.sourceKind; f[Field.targetKind] = c.targetKind
        f[Field.sourceCu] = c.sourceCu; f[Field.targetCu] = c.targetCu
        return f
    }
}

extension EventFamily { public static let cuHop = EventFamily(CuHop.key) }
extension ExchangeParameters {
    /// Step c, Cu interstitial hop, eV (Table 1).
    public var interstitialHop_eV: Double { get { self["interstitial_hop_eV"] } set { self["interstitial_hop_eV"] = newValue } }
    /// Cu hop inside Cu₂Se (all cation neighbours Cu), eV.
    public var cu2seHop_eV: Double { get { self["cu2se_hop_eV"] } set { self["cu2se_hop_eV"] = newValue } }
}
