// The paper's own order-of-magnitude estimate of the full-conversion time (Casu et al. 2023, Fig. 6):
//
//   P_CE = exp(−(E_b + E_c + E_d) / k_B T)
//   t_fc = N / (ν · P_CE)
//   CE rate = V_wire / t_fc,   V_wire = π (d/2)² L
//
// N is the number of Cd sites to exchange (paper: 76×10⁴). This is a reference line, not the KMC.

/// The paper's closed-form full-conversion estimate at one temperature.
public struct PaperEstimate: Sendable, Equatable {
    /// Temperature in K.
    public var kelvin: Double
    /// P_CE (dimensionless).
    public var pCE: Double
    /// Full-conversion time t_fc in s.
    public var tFullConversion_s: Double
    /// Exchanged-volume rate in nm³/h.
    public var rate_nm3_per_h: Double

    /// Evaluate the estimate.
    /// - Parameters:
    ///   - barrierSum_eV: E_b + E_c + E_d in eV.
    ///   - attemptFrequency_THz: ν in THz.
    ///   - cationSites: N, the number of Cd sites to exchange.
    ///   - wireVolume_nm3: volume of the wire in nm³ (for the rate).
    ///   - kelvin: temperature in K (> 0).
    public init(barrierSum_eV: Double, attemptFrequency_THz: Double, cationSites: Double,
                wireVolume_nm3: Double, kelvin: Double) {
        self.kelvin = kelvin
        pCE = Arrhenius.boltzmann(energy_eV: barrierSum_eV, kelvin: kelvin)
        tFullConversion_s = cationSites / (Units.perSecond(THz: attemptFrequency_THz) * pCE)
        rate_nm3_per_h = wireVolume_nm3 / tFullConversion_s * 3600
    }

    /// Volume of a cylinder of diameter `d_nm` and length `l_nm`, in nm³.
    public static func cylinderVolume_nm3(diameter_nm d: Double, length_nm l: Double) -> Double {
        Double.pi * (d / 2) * (d / 2) * l
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension PaperEstimate {
    /// Cd (cation) sites per nm³ of CdSe for `phase`, from the default lattice constants
    /// (zb a = 6.05 Å: 4 per a³; wz a = 4.30 Å, c = 7.01 Å: 2 per (√3/2)a²c).
    public static func cdSitesPerNm3(_ phase: Phase) -> Double {
        switch phase {
        case .zb: return 4 / pow(0.605, 3)
        case .wz: return 2 / (3.0.squareRoot() / 2 * 0.430 * 0.430 * 0.701)
        }
    }
}
