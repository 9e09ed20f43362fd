// Shell hop (step a): an adsorbed Cu moves to an empty neighbouring shell site. Its own reverse
// (on the reverse edge). Only the adsorption deepening of the two shell sites differs:
//   ΔE = −δ_ads·(n_vac(target) − n_vac(source)),   E_mid = E_shell_hop
// `shell_partners` > 0 adds that many long-range partners per shell site, drawn once per wire
// (`LatticeTopology.withShellPartners`): symmetric shell–shell edges with the same barrier law, so
// the shell stays mixed along the wire, as it is physically (microseconds to milliseconds), when
// the acceleration scales its hops by many decades (docs/model.md §5).

/// Shell Cu hop to an empty neighbouring shell site.
public enum ShellHop: ExchangeEventFamily {
    public static let key = "shell_hop"
    public static let summary = "adsorbed Cu hops to an empty neighbouring shell site (step a)"
    public static let parameters = [
        ParameterSpec("shell_hop_eV", default: 0.3, range: 0...10, listing: 7, barrier: true,
                      doc: "shell hop barrier (model choice)", source: "model choice (docs/model.md §4)"),
        ParameterSpec("shell_partners", unit: "per shell site", default: 0, range: 0...8, listing: 26, integer: true,
                      doc: "long-range shell-hop partners per shell site (0: nearest neighbours only)",
                      source: "model choice: keeps the shell mixed under scaled shell hops (docs/model.md §5)"),
    ]
    public static let slot = SlotKind.shellShell
    public static let directions: [EventDirection] = [.edge("shellHop", .cu, .empty)]
    public static let reads = Counters.shellVacancies
    enum Field: Int, CaseIterable { case sourceVacancies, targetVacancies }
    public static func keySpace(_ z: LatticeRadices) -> KeySpace {
        KeySpace(Field.self) { _ in z.cationsPerShell + 1 }
    }
    public static func energetics(direction: Int, _ f: KeyFields, _ p: ExchangeParameters, _ z: LatticeRadices) -> Energetics {
        Energetics(mid: p.shellHop_eV,
                   deltaE: -p.adsorptionVacancyDeepening_eV * Double(f[Field.targetVacancies] - f[Field.sourceVacancies]))
    }
    /// The reverse hop runs on the reverse edge: source and target swap.
    public static func reverseFields(direction: Int, _ f: KeyFields) -> KeyFields {
        var r = KeyFields()
        r[Field.sourceVacancies] = f[Field.targetVacancies]; r[Field.targetVacancies] = f[Field.sourceVacancies]
        return r
    }
    public static func fields(direction: Int, _ s: SlotEndpoints, _ m: inout ExchangeModel) -> KeyFields {
        var f = KeyFields()
        f[Field.sourceVacancies] = Int(m.vacanciesAround[s.a])
        f[Field.targetVacancies] = Int(m.vacanciesAround[s.b])
        return f
    }
}

extension EventFamily { public static let shellHop = EventFamily(ShellHop.key) }
extension ExchangeParameters {
    /// Shell hop barrier, eV.
    public var shellHop_eV: Double { get { self["shell_hop_eV"] } set { self["shell_hop_eV"] = newValue } }
    /// Long-range shell-hop partners per shell site.
    public var shellPartners: Int { get { Int(self["shell_partners"]) } set { self["shell_partners"] = Double(newValue) } }
}
