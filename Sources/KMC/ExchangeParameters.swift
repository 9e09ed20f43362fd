// Parameters of the Cu→Cd exchange model: barriers (forward, in the reference environment),
// local energies, reservoirs, event switches. Units are in the names. Every default carries its
// source; "model choice, to be fitted in #5" marks the free parameters of the spec (§7).

import CekmcCore

/// Switchable families of reversible event pairs (input key: `events.<rawValue>`).
public enum EventFamily: String, Sendable, Codable, CaseIterable {
    /// Donor pool ↔ shell site (supply/adsorption and desorption/return), step a.
    case supply
    /// Shell Cu hop to an empty neighbouring shell site, step a.
    case shellHop = "shell_hop"
    /// Shell Cu ↔ surface interstitial, step b.
    case penetration
    /// Cu interstitial hop, step c (and Cu hops inside exchanged Cu₂Se regions).
    case cuHop = "cu_hop"
    /// Cd interstitial hop.
    case cdHop = "cd_hop"
    /// Kick-off Cu_i + Cd_Cd ↔ Cu_Cd + Cd_i, step d.
    case kickOff = "kick_off"
    /// Cu_i + V_Cd ↔ Cu_Cd (Cu interstitial creation from / filling of a cation site).
    case cuVacancy = "cu_vacancy"
    /// Cd_i + V_Cd ↔ Cd_Cd (Frenkel pair).
    case cdVacancy = "cd_vacancy"
    /// Cd_i at a surface interstitial ↔ escaped-Cd reservoir.
    case cdEscape = "cd_escape"
}

/// Elementary event types (the reverse of each is listed beside it).
public enum EventType: UInt8, Sendable, Codable, CaseIterable {
    case adsorb = 0, desorb, shellHop, penetrate, exitToShell, cuHop, cdHop, kickOff, kickIn,
         cuVacancyFill, cuRelease, cdVacancyFill, cdRelease, cdEscape, cdReturn
    /// The family (input switch) of this type.
    public var family: EventFamily {
        switch self {
        case .adsorb, .desorb: return .supply
        case .shellHop: return .shellHop
        case .penetrate, .exitToShell: return .penetration
        case .cuHop: return .cuHop
        case .cdHop: return .cdHop
        case .kickOff, .kickIn: return .kickOff
        case .cuVacancyFill, .cuRelease: return .cuVacancy
        case .cdVacancyFill, .cdRelease: return .cdVacancy
        case .cdEscape, .cdReturn: return .cdEscape
        }
    }
    /// Name used in outputs.
    public var name: String { String(describing: self) }
}

/// All parameters of the exchange model for one host phase. Energies in eV, ν in THz.
public struct ExchangeParameters: Sendable, Codable, Equatable {
    /// Attempt frequency ν, THz (paper: quadratic fit of the Cu potential well, 1.9 THz).
    public var attemptFrequency_THz: Double
    // Barriers: forward barrier of the nominal direction in the reference environment
    // (isolated defect in pristine CdSe, no vacancies around); see docs/model.md.
    /// Step b, shell Cu → surface interstitial, eV (Table 1).
    public var penetration_eV: Double
    /// Step c, Cu interstitial hop (uphill direction if interstitial kinds differ), eV (Table 1).
    public var interstitialHop_eV: Double
    /// Step d, kick-off Cu_i + Cd_Cd → Cu_Cd + Cd_i, eV (Table 1).
    public var kickOff_eV: Double
    /// Penetration into Cu₂Se (all cation neighbours of the interstitial Cu), eV (paper text, 0.6 ± 0.2).
    public var cu2sePenetration_eV: Double
    /// Cu hop inside Cu₂Se (all cation neighbours Cu), eV (paper's Cu₂Se value 0.6 ± 0.2, used for hops).
    public var cu2seHop_eV: Double
    /// Pool → shell adsorption, eV (model choice, to be fitted in #5).
    public var adsorption_eV: Double
    /// Shell hop, eV (model choice, to be fitted in #5).
    public var shellHop_eV: Double
    /// Cu_i → adjacent vacant cation site, eV (model choice: = interstitial hop).
    public var cuVacancyFill_eV: Double
    /// Cd interstitial hop, eV (model choice, to be fitted in #5).
    public var cdHop_eV: Double
    /// Cd_i → adjacent vacant cation site, eV (model choice: = Cd hop).
    public var cdVacancyFill_eV: Double
    /// Cd_i at a surface interstitial → escaped reservoir, eV (model choice, to be fitted in #5).
    public var cdEscape_eV: Double
    /// Lowering of the penetration barrier per vacant cation next to the shell site, eV (model choice).
    public var penetrationVacancyLowering_eV: Double

    // Local energies (relative to Cd on its site, empty interstitials, empty shell).
    /// Cu in the donor pool, per atom (chemical-potential-like reference), eV.
    public var donorCu_eV: Double
    /// Escaped Cd (substrate/vapour) per atom, eV (model choice, to be fitted in #5).
    public var escapedCd_eV: Double
    /// Adsorbed Cu on a shell site, eV (model choice, to be fitted in #5).
    public var adsorbedCu_eV: Double
    /// Deepening of adsorption per vacant cation next to the shell site, eV (model choice; paper: ≥ 5× more Cu at 5 % vacancies).
    public var adsorptionVacancyDeepening_eV: Double
    /// Cu interstitial on an empty tetrahedral hole, eV.
    public var cuTetra_eV: Double
    /// Cu interstitial on an octahedral hole, eV.
    public var cuOcta_eV: Double
    /// Cd interstitial on a tetrahedral hole, eV.
    public var cdTetra_eV: Double
    /// Cd interstitial on an octahedral hole, eV.
    public var cdOcta_eV: Double
    /// Cu on a cation site (vs Cd), eV.
    public var cuCation_eV: Double
    /// Vacant cation site (vs Cd), eV.
    public var cationVacancy_eV: Double
    /// Interface energy J per Cu_cat–Cd_cat nearest-neighbour pair, eV (model choice, to be fitted in #5).
    public var interfaceJ_eV: Double
    /// Cu₂Se unit stability U per Cu_cat–Cu_tetra adjacent pair, eV (model choice, to be fitted in #5).
    public var cu2sePairU_eV: Double

    /// Event families switched on.
    public var enabled: Set<EventFamily>
    /// Rate scale per family (multiplies ν of both directions of the pair, so detailed balance and
    /// the equilibrium are untouched): 1 = physical. Values < 1 slow down fast quasi-equilibrated
    /// families — the static form of the rate scaling of Dybeck, Plaisance & Neurock, JCTC 13, 1525
    /// (2017), DOI 10.1021/acs.jctc.6b00859. For `supply` it also sets the donor pool's attempt rate.
    public var rateScale: [EventFamily: Double] = [:]

    /// ν of `family` in s⁻¹ (ν × its rate scale).
    public func nu(_ family: EventFamily) -> Double { nu * (rateScale[family] ?? 1) }

    /// Defaults for `phase`: Table 1 barriers (Casu et al. 2023, DOI 10.1021/acsnano.3c03049), ν = 1.9 THz,
    /// and the model choices documented in docs/model.md.
    public static func defaults(_ phase: Phase) -> ExchangeParameters {
        let t = BarrierTable.paper
        let b = t[phase]
        return ExchangeParameters(
            attemptFrequency_THz: t.attemptFrequency_THz,
            penetration_eV: b.penetration.value_eV,
            interstitialHop_eV: b.interstitialHop.value_eV,
            kickOff_eV: b.kickOff.value_eV,
            cu2sePenetration_eV: b.cu2seInterstitialCreation.value_eV,
            cu2seHop_eV: b.cu2seInterstitialCreation.value_eV,
            adsorption_eV: 0.2,
            shellHop_eV: 0.3,
            cuVacancyFill_eV: b.interstitialHop.value_eV,
            cdHop_eV: 0.6,
            cdVacancyFill_eV: 0.6,
            cdEscape_eV: 0.6,
            penetrationVacancyLowering_eV: 0.05,
            donorCu_eV: 0,
            escapedCd_eV: -0.3,
            adsorbedCu_eV: -0.3,
            adsorptionVacancyDeepening_eV: 0.15,
            cuTetra_eV: -0.25,
            cuOcta_eV: -0.25,
            cdTetra_eV: 0.0,
            cdOcta_eV: 0.0,
            cuCation_eV: -0.2,
            cationVacancy_eV: 1.0,
            interfaceJ_eV: 0.02,
            cu2sePairU_eV: -0.05,
            // Frenkel pairs (cd_vacancy) are off by default: with the 1 eV vacancy energy their rate is
            // negligible, and their slots (every empty interstitial next to a Cd) would dominate the bookkeeping.
            enabled: Set(EventFamily.allCases).subtracting([.cdVacancy]))
    }

    /// Attempt frequency in s⁻¹.
    public var nu: Double { Units.perSecond(THz: attemptFrequency_THz) }

    /// Throw when a value is out of its physical range.
    public func validate() throws {
        let barriers: [(String, Double)] = [
            ("penetration_eV", penetration_eV), ("interstitial_hop_eV", interstitialHop_eV), ("kick_off_eV", kickOff_eV),
            ("cu2se_penetration_eV", cu2sePenetration_eV), ("cu2se_hop_eV", cu2seHop_eV), ("adsorption_eV", adsorption_eV),
            ("shell_hop_eV", shellHop_eV), ("cu_vacancy_fill_eV", cuVacancyFill_eV), ("cd_hop_eV", cdHop_eV),
            ("cd_vacancy_fill_eV", cdVacancyFill_eV), ("cd_escape_eV", cdEscape_eV),
        ]
        for (k, v) in barriers where !(v.isFinite && v >= 0) {
            throw ModelError("model parameter \(k) must be a finite barrier ≥ 0 eV, got \(v)")
        }
        for (f, v) in rateScale where !(v.isFinite && v > 0) {
            throw ModelError("model parameter rate_scale.\(f.rawValue) must be > 0, got \(v)")
        }
        guard attemptFrequency_THz.isFinite && attemptFrequency_THz > 0 else {
            throw ModelError("model parameter attempt_frequency_THz must be > 0, got \(attemptFrequency_THz)")
        }
    }
}

/// A model setup error.
public struct ModelError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ d: String) { description = d }
}
