// The net exchange rate's effective activation energy, read off the parameters (docs/model.md §6).
//
// The Cu that an exchange consumes comes from the shell, whose chemical potential μ is the donor's
// μ_Cu when the shell is in equilibrium with the donor (the Cu-rich limit) and
// ε_ads + k_BT·ln(θ/(1 − θ)) at a coverage θ that a Cu-poor supply holds below it. A unit is
// exchanged along one of two routes, each a chain of intermediates whose transition states lie at
// the formation energy of the intermediate they start from (above μ) plus their barrier (the BEP
// rule of `Energetics`, clamps included):
//   through CdSe: adsorbed Cu → (penetration) Cu_i → (hops) Cu_i at the front → (kick-off) Cu_cat +
//     Cd_i → (Cd hops) Cd_i at the surface → (escape) Cd in the sink, in the front's reference
//     environment (as many Cu as Cd neighbours, Table 1's barriers hold there);
//   along the front: adsorbed Cu → (penetration) a front hole on the Cu₂Se side, held down by its
//     m_h Cu cations (m_h·U) → (kick-off) the first unit of a new {111} layer at the wire's surface
//     edge, n_J = 2 more Cd than Cu cation neighbours (2·J) and k_c more filled Cu₂Se-side holes
//     around it (k_c·U) → (escape) its Cd_i leaves through the surface.
// The lower route's highest transition state is the energetic span E_eff, and the front advances at
// A·exp(−E_eff/k_BT) per front site. A is below ν by the entropy of the path (the few sites where a
// layer starts, the Cd_i that kicks back in before it leaves); docs/model.md §6 gives it as
// measured (`scripts/arrhenius-study.sh`). A layer that has to nucleate inside the front (no edge)
// needs a two-dimensional island of n units, which costs n·Δg + 6.93·J·√n (Δg the free energy per
// unit at μ, 6.93·√n the in-plane unlike pairs around a hexagonal island): ΔG*₂D = 12·J²/|Δg|,
// reported for a Cu-poor shell, where the critical island n* = (3.46·J/|Δg|)² is large.

import Foundation
import CekmcCore

/// One transition state of the limiting path.
public struct PathStep: Sendable, Equatable {
    /// What crosses it.
    public var name: String
    /// Energy of the intermediate it starts from, above the Cu source's μ, eV.
    public var start_eV: Double
    /// Its forward barrier, eV.
    public var barrier_eV: Double
    /// The transition state's energy above the Cu source's μ, eV.
    public var transitionState_eV: Double { start_eV + barrier_eV }
}

/// Where the exchange's Cu comes from, and so its chemical potential.
public enum CuSource: Sendable, Equatable, CustomStringConvertible {
    /// The shell in equilibrium with the donor (μ = μ_Cu; the Cu-rich limit, fast supply).
    case donor
    /// The shell at coverage θ (0 < θ < 1), held there by a Cu-poor supply: μ = ε_ads + k_BT·ln(θ/(1 − θ)).
    case shell(coverage: Double, kelvin: Double)

    /// μ of the Cu the exchange consumes, eV.
    public func chemicalPotential(_ p: ExchangeParameters) -> Double {
        switch self {
        case .donor: return p.donorCu_eV
        case .shell(let theta, let kelvin):
            return p.adsorbedCu_eV + Constants.boltzmann_eV_per_K * kelvin * log(theta / (1 - theta))
        }
    }

    public var description: String {
        switch self {
        case .donor: return "shell in equilibrium with the donor"
        case .shell(let theta, let kelvin):
            return String(format: "shell at coverage %.2f, %.0f °C", theta, Units.celsius(kelvin: kelvin))
        }
    }
}

/// The driving force, the Gibbs–Thomson scale and the layer-nucleation barrier of the exchanged
/// domains for Cu at chemical potential μ (docs/model.md §6).
public struct DomainThermodynamics: Sendable {
    /// Δg: free energy of a completed Cu₂Se unit (Cu_cat + a Cu tetra with all its z_T cations Cu,
    /// one tetra hole per cation, so z_T Cu_cat–Cu_tetra pairs per unit) with the Cd in the sink,
    /// relative to two Cu at μ and the Cd on its site, eV per unit.
    public var unit_eV: Double
    /// Interface energy per area, eV/nm² (a {111} layer: 6.3 cations/nm², 3 unlike neighbours each).
    public var gamma_eV_per_nm2: Double
    /// Critical cap radius r* = 2γ/(n|Δg|), nm (n = 18 cations/nm³); infinite when Δg ≥ 0.
    public var criticalRadius_nm: Double
    /// Barrier of two-dimensional nucleation of a new layer on a planar front, 12·J²/|Δg|, eV;
    /// infinite when Δg ≥ 0. Meaningful when the critical island holds more than one unit.
    public var layerNucleation_eV: Double
    /// Units in the critical island, n* = (2√3·J/|Δg|)²; infinite when Δg ≥ 0.
    public var criticalIsland: Double

    /// In-plane unlike pairs around a hexagonal island of n units: ≈ 4√3·√n (12s − 6 for side s,
    /// n = 3s² − 3s + 1).
    public static let islandPerimeterPerRootN = 4 * 3.0.squareRoot()

    public init(_ p: ExchangeParameters, phase: Phase, mu_eV: Double) {
        unit_eV = p.cuCation_eV + p.cuTetra_eV + Double(phase.cationsAroundTetra) * p.cu2sePairU_eV + p.escapedCd_eV - 2 * mu_eV
        gamma_eV_per_nm2 = 6.3 * 3 * p.interfaceJ_eV
        criticalRadius_nm = unit_eV < 0 ? 2 * gamma_eV_per_nm2 / (18 * -unit_eV) : .infinity
        // max over n of n·Δg + κ√n with κ = 4√3·J: κ²/(4|Δg|) = 12·J²/|Δg|.
        let kappa = Self.islandPerimeterPerRootN * p.interfaceJ_eV
        layerNucleation_eV = unit_eV < 0 ? kappa * kappa / (4 * -unit_eV) : .infinity
        criticalIsland = unit_eV < 0 ? (kappa / (2 * -unit_eV)) * (kappa / (2 * -unit_eV)) : .infinity
    }

    /// At the Cu source `source`.
    public init(_ p: ExchangeParameters, phase: Phase, source: CuSource) {
        self.init(p, phase: phase, mu_eV: source.chemicalPotential(p))
    }
}

/// The limiting path of the exchange and its effective activation energy.
public struct EffectiveRate: Sendable {
    /// Where the Cu comes from.
    public var source: CuSource
    /// The route through CdSe: its transition states in order, in eV above the source's μ.
    public var bulkRoute: [PathStep]
    /// The route along the front (a new layer's first unit at the surface edge), likewise.
    public var frontRoute: [PathStep]
    /// A domain's entry: the first unit at a surface cation of pristine CdSe with
    /// `EffectiveRate.entryCdNeighbours` Cd cation neighbours (n·J), fed by a Cu_i from CdSe; its Cd_i
    /// escapes through the surface. Transition states above the source's μ.
    public var entryRoute: [PathStep]
    /// Cd cation neighbours of the surface cation where a domain starts: the typical count of the
    /// carved wires' surface cations (4–10, most 7–9).
    public static let entryCdNeighbours = 8
    /// The entry's highest transition state above μ, eV.
    public var entryActivation_eV: Double { span(entryRoute) }
    /// The route with the lower span.
    public var steps: [PathStep] { frontIsLower ? frontRoute : bulkRoute }
    /// Which route that is: "front" (also on a tie) or "bulk".
    public var routeName: String { frontIsLower ? "front" : "bulk" }
    /// The front route's span is the lower, or equal to 1 µeV (ties of rounded parameters).
    var frontIsLower: Bool { span(frontRoute) <= span(bulkRoute) + 1e-6 }
    func span(_ r: [PathStep]) -> Double { r.map(\.transitionState_eV).max() ?? 0 }
    /// Driving force and layer nucleation at the source's μ.
    public var thermodynamics: DomainThermodynamics
    /// The energetic span E_eff: the highest transition state above μ, eV (infinite when Δg ≥ 0:
    /// the exchange then runs backwards).
    public var activation_eV: Double {
        thermodynamics.unit_eV < 0 ? span(steps) : .infinity
    }
    /// The activation energy of a planar front that has to nucleate each layer: E_eff + ΔG*₂D,
    /// where the critical island holds more than one unit; E_eff otherwise. eV.
    public var planarActivation_eV: Double {
        thermodynamics.criticalIsland > 1 ? activation_eV + thermodynamics.layerNucleation_eV : activation_eV
    }
    /// The step that sets the span.
    public var limiting: PathStep { steps.max { $0.transitionState_eV < $1.transitionState_eV }! }

    /// The routes for parameters `p` of `phase` with Cu from `source` (no vacancies).
    public init(_ p: ExchangeParameters, phase: Phase, source: CuSource = .donor) {
        self.source = source
        thermodynamics = DomainThermodynamics(p, phase: phase, source: source)
        let bep = Energetics.forwardBarrier
        let mu = source.chemicalPotential(p)
        // Cu_i in CdSe: the higher of the two hole kinds (a path through the hop network visits both
        // in zb and wz).
        let cuI = max(p.cuTetra_eV, p.cuOcta_eV), cdI = max(p.cdTetra_eV, p.cdOcta_eV)
        // Penetration starts from an adsorbed Cu (at ε_ads, k_BT·ln(θ/(1 − θ)) below μ). Its
        // reference barrier mixes Table 1's b and the Cu₂Se value by the hole's Cu fraction f.
        let ads = p.adsorbedCu_eV - mu
        let f = cuI - p.adsorbedCu_eV
        func penetration(cuFraction x: Double, delta: Double) -> Double {
            bep((1 - x) * p.penetration_eV + x * p.cu2sePenetration_eV - f / 2, delta)
        }
        let hopDelta = abs(p.cuTetra_eV - p.cuOcta_eV)
        let hop = bep(p.interstitialHop_eV - hopDelta / 2, hopDelta)
        // Kick-off ΔE in the reference environment: B = ε_Cu,cat + ε_Cd,i − ε_Cu,i.
        let b = p.cuCation_eV + cdI - cuI
        func kickOff(_ delta: Double) -> Double { bep(p.kickOff_eV - b / 2, delta) }
        let cdDelta = abs(p.cdTetra_eV - p.cdOcta_eV)
        let cdHop = bep(p.cdHop_eV - cdDelta / 2, cdDelta)
        // Escape of a Cd_i at energy `cd` into the sink.
        func escape(from cd: Double) -> Double { bep(p.cdEscape_eV - (p.escapedCd_eV - cd) / 2, p.escapedCd_eV - cd) }
        let cuAboveMu = cuI - mu
        let enterCdSe = PathStep(name: "penetration", start_eV: ads, barrier_eV: penetration(cuFraction: 0, delta: f))
        bulkRoute = [
            enterCdSe,
            PathStep(name: "cu_hop", start_eV: cuAboveMu, barrier_eV: hop),
            PathStep(name: "kick_off", start_eV: cuAboveMu, barrier_eV: kickOff(b)),
            PathStep(name: "cd_hop", start_eV: cuAboveMu + b, barrier_eV: cdHop),
            PathStep(name: "cd_escape", start_eV: cuAboveMu + b, barrier_eV: escape(from: cdI)),
        ]
        // Entry: the kick-off pays n·J more than at a front, and so does the Cd_i it leaves.
        let nJ = Double(Self.entryCdNeighbours) * p.interfaceJ_eV
        entryRoute = [
            enterCdSe,
            PathStep(name: "kick_off", start_eV: cuAboveMu, barrier_eV: kickOff(b + nJ)),
            PathStep(name: "cd_escape", start_eV: cuAboveMu + b + nJ, barrier_eV: escape(from: cdI)),
        ]
        // Along the front: a Cu tetra hole with m_h Cu cations, then the surface-edge unit.
        let mh = Double(phase.frontHoleCuCations), kc = Double(phase.frontCationCuSideHoles - 1)
        let hole = p.cuTetra_eV + mh * p.cu2sePairU_eV
        let unit = p.cuCation_eV + 2 * p.interfaceJ_eV + kc * p.cu2sePairU_eV + p.cdTetra_eV
        frontRoute = [
            PathStep(name: "penetration", start_eV: ads,
                     barrier_eV: penetration(cuFraction: mh / Double(phase.cationsAroundTetra), delta: hole - p.adsorbedCu_eV)),
            PathStep(name: "kick_off", start_eV: hole - mu, barrier_eV: kickOff(unit - hole)),
            PathStep(name: "cd_escape", start_eV: unit - mu, barrier_eV: escape(from: p.cdTetra_eV)),
        ]
    }

    /// Exchanges per second per front site at `kelvin` for the prefactor `prefactor` (ν times the
    /// path's entropy factor), A·exp(−E_eff/k_BT), s⁻¹; 0 when Δg ≥ 0.
    public func perFrontSite(prefactor: Double, kelvin: Double) -> Double {
        activation_eV.isFinite ? Arrhenius.rate(nu: prefactor, barrier_eV: activation_eV, kelvin: kelvin) : 0
    }
}

extension Phase {
    /// Cation sites around a tetrahedral hole of the KMC lattice (z_T: zb 6, wz 4; checked against
    /// the carved lattices by `EffectiveRateTests`).
    public var cationsAroundTetra: Int { self == .zb ? 6 : 4 }
    /// Cu cations around a tetra hole on the Cu₂Se side of a {111} front (m_h: zb 3 of 6 — a hole
    /// between two cation layers has 3 in each —, wz 3 of 4; checked on a seeded front).
    public var frontHoleCuCations: Int { 3 }
    /// Tetra holes with m_h Cu cations next to a front cation (zb 3, wz 1; checked on a seeded
    /// front); one of them takes the Cd_i of the kick-off.
    public var frontCationCuSideHoles: Int { self == .zb ? 3 : 1 }
}
