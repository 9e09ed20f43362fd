// Units and physical constants — the one place they are defined.
//
// Internal unit system of cekmc:
//   energy eV · length Å · time s (KMC) or ps (MD) · mass amu · charge e · temperature K.
// Input files carry their unit in the key name (`_nm`, `_eV`, `_C`, `_K`, `_s`, `_min`, `_THz`);
// conversion to internal units happens once, when the input is decoded.
// Values: CODATA 2018 (https://physics.nist.gov/cuu/Constants/).

/// Physical constants in cekmc's internal units.
public enum Constants {
    /// Boltzmann constant k_B in eV/K (CODATA 2018: k_B/e, exact value rounded to 10 digits).
    public static let boltzmann_eV_per_K: Double = 8.617_333_262e-5
    /// Coulomb constant e²/(4πε₀) in eV·Å (CODATA 2018).
    public static let coulomb_eV_A: Double = 14.399_645_478_425_668
    /// One atomic mass unit expressed in eV·ps²/Å² (1 amu = 1.66053906660e-27 kg;
    /// 1 eV = 1.602176634e-19 J; 1 Å²/ps² = 1e4 m²/s²), so that F[eV/Å] / m[amu] gives Å/ps².
    public static let amu_eV_ps2_per_A2: Double = 1.036_426_965_268_863_6e-4
    /// 0 °C in kelvin.
    public static let zeroCelsius_K: Double = 273.15
}

/// Unit conversions used at the input/output boundary.
public enum Units {
    /// °C → K.
    @inlinable public static func kelvin(celsius: Double) -> Double { celsius + Constants.zeroCelsius_K }
    /// K → °C.
    @inlinable public static func celsius(kelvin: Double) -> Double { kelvin - Constants.zeroCelsius_K }
    /// nm → Å.
    @inlinable public static func angstrom(nm: Double) -> Double { nm * 10 }
    /// Å → nm.
    @inlinable public static func nm(angstrom: Double) -> Double { angstrom / 10 }
    /// THz → s⁻¹.
    @inlinable public static func perSecond(THz: Double) -> Double { THz * 1e12 }
    /// minutes → s.
    @inlinable public static func seconds(minutes: Double) -> Double { minutes * 60 }
    /// Atomic masses in amu (IUPAC 2013 standard atomic weights).
    public static let mass_amu: [String: Double] = ["Cd": 112.414, "Se": 78.971, "Cu": 63.546]
}
