// The single Arrhenius helper every thermally activated rate in cekmc goes through.
//
//   k(T) = ν · exp(−E / k_B T)
//
// Routing every rate through here is what makes detailed balance testable in one place: for an
// event with forward barrier E_f and reverse barrier E_r = E_f − ΔE (ΔE = E_final − E_initial),
// k_f / k_r = exp(−ΔE / k_B T) holds by construction.

/// Thermally activated rate law.
public enum Arrhenius {
    /// Rate in s⁻¹ for attempt frequency `nu` (s⁻¹), barrier `barrier_eV` (eV) and temperature
    /// `kelvin` (K). Requires `kelvin > 0`. O(1).
    @inlinable
    public static func rate(nu: Double, barrier_eV: Double, kelvin: Double) -> Double {
        nu * exp(-barrier_eV / (Constants.boltzmann_eV_per_K * kelvin))
    }

    /// Boltzmann factor exp(−E / k_B T) for `energy_eV` at `kelvin`.
    @inlinable
    public static func boltzmann(energy_eV: Double, kelvin: Double) -> Double {
        exp(-energy_eV / (Constants.boltzmann_eV_per_K * kelvin))
    }

    /// Reverse barrier of an event pair: E_r = E_f − ΔE, where ΔE = E_final − E_initial of the
    /// forward event. The pair then obeys k_f/k_r = exp(−ΔE/k_BT) (detailed balance).
    @inlinable
    public static func reverseBarrier(forward barrier_eV: Double, deltaE_eV: Double) -> Double {
        barrier_eV - deltaE_eV
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
