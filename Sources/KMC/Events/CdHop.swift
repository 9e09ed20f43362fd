// Cd interstitial hop: a Cd_i moves to a neighbouring empty interstitial (atom-centric, like
// `CuHop`). Its own reverse.
//   ΔE = ε_Cd_i(k_j) − ε_Cd_i(k_i),   E_mid = E_Cd_hop − |ΔE|/2

/// Cd interstitial hop.
public enum CdHop: ExchangeEventFamily {
    public static let key = "cd_hop"
    public static let summary = "Cd interstitial hop to an empty neighbouring interstitial"
    public static let parameters = [
        ParameterSpec("cd_hop_eV", default: 0.6, range: 0...10, listing: 9, barrier: true,
                      doc: "Cd interstitial hop (model choice)", source: "model choice (docs/model.md §4)"),
    ]
    public static let slot = SlotKind.atom
    public static let directions: [EventDirection] = [.edge("cdHop", .cd, .empty)]
    public static let reads = Counters()
    enum Field: Int, CaseIterable { case sourceKind, targetKind }
    public static func keySpace(_ z: LatticeRadices) -> KeySpace { KeySpace(Field.self) { _ in 2 } }
    public static func energetics(direction: Int, _ f: KeyFields, _ p: ExchangeParameters, _ z: LatticeRadices) -> Energetics {
        let ci = p.cdInterstitial(f[Field.sourceKind]), cj = p.cdInterstitial(f[Field.targetKind])
        return Energetics(mid: p.cdHop_eV - abs(cj - ci) / 2, deltaE: cj - ci)
    }
    /// The reverse hop: source and target swap.
    public static func reverseFields(direction: Int, _ f: KeyFields) -> KeyFields {
        var r = KeyFields()
        r[Field.sourceKind] = f[Field.targetKind]; r[Field.targetKind] = f[Field.sourceKind]
        return r
    }
    public static func fields(channel c: HopChannel) -> KeyFields {
        var f = KeyFields()
        f[Field.sourceKind] = c.sourceKind; f[Field.targetKind] = c.targetKind
        return f
    }
}

extension EventFamily { public static let cdHop = EventFamily(CdHop.key) }
extension ExchangeParameters {
    /// Cd interstitial hop barrier, eV.
    public var cdHop_eV: Double { get { self["cd_hop_eV"] } set { self["cd_hop_eV"] = newValue } }
}
