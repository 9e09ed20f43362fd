// Cd escape: a Cd_i on a surface interstitial leaves the wire for the escaped-Cd pool; its reverse
// returns a pool atom (rate N_Cd·ν·exp(−E/k_BT), each pool atom attempting independently).
//   ΔE_escape = μ_Cd − ε_Cd_i(k),   E_mid = E_escape − ΔE_escape/2

/// Cd_i at a surface interstitial ↔ escaped-Cd pool.
public enum CdEscape: ExchangeEventFamily {
    public static let key = "cd_escape"
    public static let summary = "Cd_i at a surface interstitial ↔ escaped-Cd pool"
    public static let parameters = [
        ParameterSpec("cd_escape_eV", default: 0.6, range: 0...10, listing: 11, barrier: true,
                      doc: "Cd_i at surface → reservoir (model choice)", source: "model choice (docs/model.md §4)"),
    ]
    public static let slot = SlotKind.surfaceSite
    public static let directions: [EventDirection] = [
        .site("cdEscape", .cd, .empty, reservoir: .escapedCd, reservoirChange: +1),
        .site("cdReturn", .empty, .cd, reservoir: .escapedCd, reservoirChange: -1),
    ]
    public static let reads = Counters()
    enum Field: Int, CaseIterable { case kind }
    public static func keySpace(_ z: LatticeRadices) -> KeySpace { KeySpace(Field.self) { _ in 2 } }
    public static func energetics(direction: Int, _ f: KeyFields, _ p: ExchangeParameters, _ z: LatticeRadices) -> Energetics {
        let dE = p.escapedCd_eV - p.cdInterstitial(f[Field.kind])
        let e = Energetics(mid: p.cdEscape_eV - dE / 2, deltaE: dE)
        return direction == 0 ? e : e.reversed
    }
    /// The reverse event reads the same key (the event changes none of its fields).
    public static func reverseFields(direction: Int, _ f: KeyFields) -> KeyFields { f }
    public static func fields(direction: Int, _ s: SlotEndpoints, _ m: inout ExchangeModel) -> KeyFields {
        var f = KeyFields()
        f[Field.kind] = m.kindIndex(s.a)
        return f
    }
}

extension EventFamily { public static let cdEscape = EventFamily(CdEscape.key) }
extension ExchangeParameters {
    /// Cd_i at a surface interstitial → escaped pool barrier, eV.
    public var cdEscape_eV: Double { get { self["cd_escape_eV"] } set { self["cd_escape_eV"] = newValue } }
}
