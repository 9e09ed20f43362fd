// The net exchange rate's effective activation energy, read off the parameters (docs/model.md §6).
//
// At a planar front in steady state the shell is saturated, so the lowest state before the
// exchange is the adsorbed Cu that feeds the interstitials. One exchange takes that Cu through the
// limiting path
//   adsorbed Cu → (penetration) Cu_i in CdSe → (hops) Cu_i at the front → (kick-off) Cu_cat + Cd_i
//   → (Cd hops) Cd_i at the surface → (escape) Cd in the sink,
// in the front's reference environment, where the interface and Cu₂Se pair terms vanish (as many
// Cu as Cd neighbours: Table 1's barriers hold there, `Energetics`). Each transition state's energy
// above the adsorbed Cu is the formation energy of the intermediate it starts from plus its
// barrier (the BEP rule, clamps included). The highest of them is the energetic span, and the
// exchange rate per front site is ≈ ν·exp(−E_eff/k_BT) up to a factor of order one per step (the
// number of hops to the front adds a power law, not an exponential).

import CekmcCore

/// One transition state of the limiting path.
public struct PathStep: Sendable, Equatable {
    /// What crosses it.
    public var name: String
    /// Energy of the intermediate it starts from, above the adsorbed Cu, eV.
    public var start_eV: Double
    /// Its forward barrier, eV.
    public var barrier_eV: Double
    /// The transition state's energy above the adsorbed Cu, eV.
    public var transitionState_eV: Double { start_eV + barrier_eV }
}

/// The limiting path of the exchange and its effective activation energy.
public struct EffectiveRate: Sendable {
    /// The path's transition states in order.
    public var steps: [PathStep]
    /// The energetic span: the highest transition state above the adsorbed Cu, eV.
    public var activation_eV: Double { steps.map(\.transitionState_eV).max() ?? 0 }
    /// The step that sets it.
    public var limiting: PathStep { steps.max { $0.transitionState_eV < $1.transitionState_eV }! }

    /// The path for parameters `p` (pair terms zero, no vacancies).
    public init(_ p: ExchangeParameters) {
        let bep = Energetics.forwardBarrier
        // Cu_i in CdSe: the higher of the two hole kinds (a path through the hop network visits both
        // in zb and wz).
        let cuI = max(p.cuTetra_eV, p.cuOcta_eV), cdI = max(p.cdTetra_eV, p.cdOcta_eV)
        let f = cuI - p.adsorbedCu_eV
        let penetration = bep(p.penetration_eV - f / 2, f)
        let hopDelta = abs(p.cuTetra_eV - p.cuOcta_eV)
        let hop = bep(p.interstitialHop_eV - hopDelta / 2, hopDelta)
        // Kick-off ΔE in the reference environment: B = ε_Cu,cat + ε_Cd,i − ε_Cu,i.
        let b = p.cuCation_eV + cdI - cuI
        let kickOff = bep(p.kickOff_eV - b / 2, b)
        let cdDelta = abs(p.cdTetra_eV - p.cdOcta_eV)
        let cdHop = bep(p.cdHop_eV - cdDelta / 2, cdDelta)
        let escapeDelta = p.escapedCd_eV - cdI
        let escape = bep(p.cdEscape_eV - escapeDelta / 2, escapeDelta)
        steps = [
            PathStep(name: "penetration", start_eV: 0, barrier_eV: penetration),
            PathStep(name: "cu_hop", start_eV: f, barrier_eV: hop),
            PathStep(name: "kick_off", start_eV: f, barrier_eV: kickOff),
            PathStep(name: "cd_hop", start_eV: f + b, barrier_eV: cdHop),
            PathStep(name: "cd_escape", start_eV: f + b, barrier_eV: escape),
        ]
    }

    /// Exchanges per second per front site at `kelvin` (ν·exp(−E_eff/k_BT)), s⁻¹.
    public func perFrontSite(nu: Double, kelvin: Double) -> Double {
        Arrhenius.rate(nu: nu, barrier_eV: activation_eV, kelvin: kelvin)
    }
}

/// The driving force and the Gibbs–Thomson scale of the exchanged domains (docs/model.md §6).
public struct DomainThermodynamics: Sendable {
    /// Δg: energy of a completed Cu₂Se unit (Cu_cat + a Cu tetra with all its z_T cations Cu, one
    /// tetra hole per cation, so z_T Cu_cat–Cu_tetra pairs per unit) with the
    /// Cd in the sink, relative to the donor's two Cu and the Cd on its site, eV per unit.
    public var unit_eV: Double
    /// Interface energy per area, eV/nm² (a {111} layer: 6.3 cations/nm², 3 unlike neighbours each).
    public var gamma_eV_per_nm2: Double
    /// Critical cap radius r* = 2γ/(n|Δg|), nm (n = 18 cations/nm³); infinite when Δg ≥ 0.
    public var criticalRadius_nm: Double

    public init(_ p: ExchangeParameters, phase: Phase) {
        unit_eV = p.cuCation_eV + p.cuTetra_eV + Double(phase.cationsAroundTetra) * p.cu2sePairU_eV + p.escapedCd_eV - 2 * p.donorCu_eV
        gamma_eV_per_nm2 = 6.3 * 3 * p.interfaceJ_eV
        criticalRadius_nm = unit_eV < 0 ? 2 * gamma_eV_per_nm2 / (18 * -unit_eV) : .infinity
    }
}

extension Phase {
    /// Cation sites around a tetrahedral hole of the KMC lattice (z_T: zb 6, wz 4; checked against
    /// the carved lattices by `EffectiveRateTests`).
    public var cationsAroundTetra: Int { self == .zb ? 6 : 4 }
}
