// Kick-off (step d): Cu_i + Cd_Cd → Cu_Cd + Cd_i on an interstitial–cation edge (the two swap);
// its reverse, kick-in, puts the Cd back. With B = ε_Cu_cat + ε_Cd_i(k) − ε_Cu_i(k) (isolated
// defect, no pair terms),
//   ΔE_kick-off = B + J·(n_Cd − n_Cu) + U·(n_T − [k = tetra] − [k = tetra]·m)
//   E_mid = E_d − B/2
// Table 1's E_d is the barrier where the pair terms vanish (as many Cu as Cd neighbours: a planar
// front); the interface and Cu₂Se terms enter only ΔE, so a first kick-off in pristine CdSe pays
// half of its 12·J more and a kick-in at a front keeps E_d − B.
// (n_Cu, n_Cd: Cu/Cd cation neighbours of the cation; n_T: its Cu tetra neighbours; m: Cu cations
// around the interstitial). Kick-in's ΔE is written from its own state (after the swap).

/// Kick-off Cu_i + Cd_Cd ↔ Cu_Cd + Cd_i.
public enum KickOff: ExchangeEventFamily {
    public static let key = "kick_off"
    public static let summary = "kick-off Cu_i + Cd_Cd ↔ Cu_Cd + Cd_i (step d)"
    public static let parameters = [
        ParameterSpec("kick_off_eV", table: { $0[$1].kickOff.value_eV }, range: 0...10, listing: 3,
                      doc: "step d barrier (Table 1)", source: "Casu et al. 2023, Table 1 (zb 0.3, wz 0.7 eV)"),
    ]
    public static let slot = SlotKind.interstitialCation
    public static let directions: [EventDirection] = [.edge("kickOff", .cu, .cd), .edge("kickIn", .cd, .cu)]
    public static let reads: Counters = [.interstitialCu, .cationNeighbours, .tetraCu]
    enum Field: Int, CaseIterable { case kind, interstitialCu, cuNeighbours, cdNeighbours, tetraCu }
    public static func keySpace(_ z: LatticeRadices) -> KeySpace {
        KeySpace(Field.self) {
            switch $0 {
            case .kind: return 2
            case .interstitialCu: return z.cationsPerInterstitial + 1
            case .cuNeighbours, .cdNeighbours: return z.cationNeighbours + 1
            case .tetraCu: return z.tetraPerCation + 1
            }
        }
    }
    public static func energetics(direction: Int, _ f: KeyFields, _ p: ExchangeParameters, _ z: LatticeRadices) -> Energetics {
        let (k, m, nCu, nCd, nT) = (f[Field.kind], f[Field.interstitialCu], f[Field.cuNeighbours], f[Field.cdNeighbours], f[Field.tetraCu])
        let isT = k == 0 ? 1.0 : 0.0
        let J = p.interfaceJ_eV, U = p.cu2sePairU_eV
        let base = p.cuCation_eV + p.cdInterstitial(k) - p.cuInterstitial(k)
        let mid = p.kickOff_eV - base / 2
        if direction == 0 {
            return Energetics(mid: mid, deltaE: base + J * Double(nCd - nCu) + U * (Double(nT) - isT - isT * Double(m)))
        }
        return Energetics(mid: mid, deltaE: -base - J * Double(nCd - nCu) + U * (isT * Double(m - 1) - Double(nT)))
    }
    /// After a kick-off the cation is Cu (m of the interstitial + 1) and the interstitial no longer
    /// holds Cu (the cation's Cu tetra count − 1 for a tetra hole); kick-in undoes both.
    public static func reverseFields(direction: Int, _ f: KeyFields) -> KeyFields {
        KeyFields.afterCuMovesOntoCation(f, direction: direction, kind: Field.kind.rawValue,
                                         interstitialCu: Field.interstitialCu.rawValue, tetraCu: Field.tetraCu.rawValue)
    }
    public static func fields(direction: Int, _ s: SlotEndpoints, _ m: inout ExchangeModel) -> KeyFields {
        var f = KeyFields()
        f[Field.kind] = m.kindIndex(s.a)
        f[Field.interstitialCu] = Int(m.cuAround[s.a])
        f[Field.cuNeighbours] = Int(m.cuNeighbours[s.b])
        f[Field.cdNeighbours] = Int(m.cdNeighbours[s.b])
        f[Field.tetraCu] = Int(m.cuTetraNeighbours[s.b])
        return f
    }
}

extension EventFamily { public static let kickOff = EventFamily(KickOff.key) }
extension ExchangeParameters {
    /// Step d, kick-off Cu_i + Cd_Cd → Cu_Cd + Cd_i, eV (Table 1).
    public var kickOff_eV: Double { get { self["kick_off_eV"] } set { self["kick_off_eV"] = newValue } }
}
