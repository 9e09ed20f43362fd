// The plain value through which MD (calibration) and KMC meet.
//
// Defaults are Table 1 of Casu et al., ACS Nano 2023 (DOI 10.1021/acsnano.3c03049) and the
// attempt frequency of its "quadratic fit of the Cu potential well" (1.9 THz). The on-disk format
// (a TOML barrier file) is documented in docs/barrier-file.md.

/// One activation barrier with its uncertainty and provenance.
public struct BarrierValue: Sendable, Equatable, Codable {
    /// Barrier height in eV.
    public var value_eV: Double
    /// One-sigma uncertainty (or spread over paths) in eV.
    public var uncertainty_eV: Double
    /// Where the number comes from ("Casu 2023 Table 1", "cekmc calibrate --quick 2026-…", …).
    public var source: String
    /// Energy change of the event's end points, E_final − E_initial in eV, when the MD measured it
    /// (nil: the KMC's local energy model supplies it).
    public var deltaE_eV: Double?

    public init(value_eV: Double, uncertainty_eV: Double, source: String, deltaE_eV: Double? = nil) {
        self.value_eV = value_eV
        self.uncertainty_eV = uncertainty_eV
        self.source = source
        self.deltaE_eV = deltaE_eV
    }
}

/// Barriers of the three elementary CE steps (and the Cu₂Se alternative path) for one phase.
public struct PhaseBarriers: Sendable, Equatable, Codable {
    /// Step b: shell Cu → first interstitial (penetration), eV.
    public var penetration: BarrierValue
    /// Step c: Cu interstitial hop, eV.
    public var interstitialHop: BarrierValue
    /// Step d: kick-off Cu_i + Cd_Cd → Cu_Cd + Cd_i, eV.
    public var kickOff: BarrierValue
    /// Cu interstitial creation in Cu₂Se (the alternative path), eV.
    public var cu2seInterstitialCreation: BarrierValue

    public init(penetration: BarrierValue, interstitialHop: BarrierValue, kickOff: BarrierValue,
                cu2seInterstitialCreation: BarrierValue) {
        self.penetration = penetration
        self.interstitialHop = interstitialHop
        self.kickOff = kickOff
        self.cu2seInterstitialCreation = cu2seInterstitialCreation
    }

    /// E_b + E_c + E_d in eV — the exponent of the paper's P_CE (Fig. 6).
    public var sumBCD_eV: Double { penetration.value_eV + interstitialHop.value_eV + kickOff.value_eV }
}

/// Barrier table for both phases plus the attempt frequency.
public struct BarrierTable: Sendable, Equatable, Codable {
    /// Attempt frequency ν in THz.
    public var attemptFrequency_THz: Double
    /// Provenance of ν.
    public var attemptFrequencySource: String
    public var wz: PhaseBarriers
    public var zb: PhaseBarriers

    public init(attemptFrequency_THz: Double, attemptFrequencySource: String, wz: PhaseBarriers, zb: PhaseBarriers) {
        self.attemptFrequency_THz = attemptFrequency_THz
        self.attemptFrequencySource = attemptFrequencySource
        self.wz = wz
        self.zb = zb
    }

    /// Barriers of `phase`.
    public subscript(phase: Phase) -> PhaseBarriers {
        get { phase == .wz ? wz : zb }
        set { if phase == .wz { wz = newValue } else { zb = newValue } }
    }

    /// Casu et al. 2023, Table 1 (steps b, c, d) and text (Cu₂Se interstitial creation 0.6 ± 0.2 eV;
    /// ν = 1.9 THz).
    public static let paper: BarrierTable = {
        let t1 = "Casu et al. 2023, Table 1"
        let text = "Casu et al. 2023, text (Cu2Se nanowire, 30 straight paths)"
        return BarrierTable(
            attemptFrequency_THz: 1.9,
            attemptFrequencySource: "Casu et al. 2023, quadratic fit of the Cu potential well",
            wz: PhaseBarriers(
                penetration: .init(value_eV: 0.4, uncertainty_eV: 0.1, source: t1),
                interstitialHop: .init(value_eV: 0.29, uncertainty_eV: 0.02, source: t1),
                kickOff: .init(value_eV: 0.7, uncertainty_eV: 0.3, source: t1),
                cu2seInterstitialCreation: .init(value_eV: 0.6, uncertainty_eV: 0.2, source: text)),
            zb: PhaseBarriers(
                penetration: .init(value_eV: 0.06, uncertainty_eV: 0.01, source: t1),
                interstitialHop: .init(value_eV: 0.51, uncertainty_eV: 0.02, source: t1),
                kickOff: .init(value_eV: 0.3, uncertainty_eV: 0.1, source: t1),
                cu2seInterstitialCreation: .init(value_eV: 0.6, uncertainty_eV: 0.2, source: text)))
    }()
}
