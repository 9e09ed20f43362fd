// Parameters of the Lennard-Jones + Coulomb force field of Casu et al., ACS Nano 17, 2023
// (doi:10.1021/acsnano.3c04516), eq. 2:
//     V(r_ij) = 4 ε_ij [(σ_ij/r_ij)^12 − (σ_ij/r_ij)^6] + k_e q_i q_j / r_ij
// with Lorentz–Berthelot mixing σ_ij = (σ_i + σ_j)/2, ε_ij = √(ε_i ε_j) for unlike pairs.
//
// Tables 2–3 of the paper give per-species ε, σ, q (ε in meV). The starred (mixed) entries are
// printed as ε_SeCd 1.58 meV, ε_SeCu 1.33 meV, ε_CdCu 1.42 meV, σ_SeCd 3.61 Å, σ_SeCu 3.12 Å and
// "σ_Cd 3.61 Å" on the Cd–Cu row. Lorentz–Berthelot gives √(1.68·1.49) = 1.5822 meV,
// √(1.49·1.20) = 1.3372 meV (the paper's 1.33 is truncated, not rounded: 0.5 % lower),
// √(1.68·1.20) = 1.4199 meV, (1.98+5.24)/2 = 3.61 Å, (5.24+1.00)/2 = 3.12 Å and
// (1.98+1.00)/2 = 1.49 Å: the Cd–Cu σ of 3.61 Å in Table 3 is a copy of the Se–Cd row (typo).
// Defaults (`casu2023`) use exact Lorentz–Berthelot mixing, as the paper states it does;
// `casu2023PrintedCrossTerms` uses the printed ε values (with σ_CdCu = 1.49 Å) for comparison.

/// Lennard-Jones and charge parameters of one species.
public struct SpeciesParameters: Sendable, Equatable, Codable {
    /// LJ well depth ε_ii in eV (≥ 0; 0 switches LJ off for this species' like pair and, by mixing, its cross pairs).
    public var epsilon_eV: Double
    /// LJ diameter σ_ii in Å (> 0).
    public var sigma_A: Double
    /// Partial charge q_i in units of e.
    public var charge_e: Double
    public init(epsilon_eV: Double, sigma_A: Double, charge_e: Double) {
        self.epsilon_eV = epsilon_eV; self.sigma_A = sigma_A; self.charge_e = charge_e
    }
}

/// LJ parameters of one (unordered) species pair.
public struct PairParameters: Sendable, Equatable, Codable {
    /// Well depth ε_ij in eV.
    public var epsilon_eV: Double
    /// Diameter σ_ij in Å.
    public var sigma_A: Double
    public init(epsilon_eV: Double, sigma_A: Double) { self.epsilon_eV = epsilon_eV; self.sigma_A = sigma_A }
}

/// An unordered pair of species (Cd–Se == Se–Cd).
public struct SpeciesPair: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The species with the smaller raw value.
    public let first: Species
    /// The species with the larger raw value.
    public let second: Species
    public init(_ x: Species, _ y: Species) {
        if x.rawValue <= y.rawValue { first = x; second = y } else { first = y; second = x }
    }
    public var description: String { "\(first)-\(second)" }
    /// All six unordered pairs in canonical order (Cd-Cd, Cd-Se, Cd-Cu, Se-Se, Se-Cu, Cu-Cu).
    public static let all: [SpeciesPair] = {
        var out: [SpeciesPair] = []
        for x in Species.allCases { for y in Species.allCases where y.rawValue >= x.rawValue { out.append(SpeciesPair(x, y)) } }
        return out
    }()
}

/// The force-field parameter set: per-species ε, σ, q, with optional explicit pair overrides
/// (otherwise Lorentz–Berthelot mixing). A value type with a stable provenance hash.
public struct ForceFieldParameters: Sendable, Equatable, Codable {
    /// Per-species parameters indexed by `Species.rawValue` (Cd, Se, Cu).
    public var perSpecies: [SpeciesParameters]
    /// Explicit ε, σ for some unlike (or like) pairs; these replace the mixing rule for that pair.
    public var pairOverrides: [SpeciesPair: PairParameters]

    public init(perSpecies: [SpeciesParameters], pairOverrides: [SpeciesPair: PairParameters] = [:]) {
        self.perSpecies = perSpecies; self.pairOverrides = pairOverrides
    }

    /// Casu et al. 2023 Tables 2–3 with exact Lorentz–Berthelot cross terms (the default).
    /// ε_CdCd 1.68 meV, σ_CdCd 1.98 Å, q_Cd +1.18 e; ε_SeSe 1.49 meV, σ_SeSe 5.24 Å, q_Se −1.18 e;
    /// ε_CuCu 1.20 meV, σ_CuCu 1.00 Å, q_Cu +0.59 e.
    public static let casu2023 = ForceFieldParameters(perSpecies: [
        SpeciesParameters(epsilon_eV: 1.68e-3, sigma_A: 1.98, charge_e: 1.18),
        SpeciesParameters(epsilon_eV: 1.49e-3, sigma_A: 5.24, charge_e: -1.18),
        SpeciesParameters(epsilon_eV: 1.20e-3, sigma_A: 1.00, charge_e: 0.59),
    ])

    /// `casu2023` with the cross-term ε as printed in Tables 2–3 (1.58, 1.33, 1.42 meV) instead of
    /// exact mixing; σ cross terms by mixing (σ_CdCu = 1.49 Å, not the printed 3.61 Å typo).
    public static let casu2023PrintedCrossTerms: ForceFieldParameters = {
        var p = casu2023
        p.pairOverrides = [
            SpeciesPair(.Cd, .Se): PairParameters(epsilon_eV: 1.58e-3, sigma_A: 3.61),
            SpeciesPair(.Se, .Cu): PairParameters(epsilon_eV: 1.33e-3, sigma_A: 3.12),
            SpeciesPair(.Cd, .Cu): PairParameters(epsilon_eV: 1.42e-3, sigma_A: 1.49),
        ]
        return p
    }()

    /// Parameters of species `s`.
    public subscript(_ s: Species) -> SpeciesParameters {
        get { perSpecies[Int(s.rawValue)] }
        set { perSpecies[Int(s.rawValue)] = newValue }
    }

    /// Charge of species `s` in e.
    public func charge(_ s: Species) -> Double { self[s].charge_e }

    /// LJ ε, σ of the pair (x, y): the override if present, else Lorentz–Berthelot
    /// σ = (σ_x + σ_y)/2, ε = √(ε_x ε_y).
    public func pair(_ x: Species, _ y: Species) -> PairParameters {
        if let o = pairOverrides[SpeciesPair(x, y)] { return o }
        let px = self[x], py = self[y]
        return PairParameters(epsilon_eV: (px.epsilon_eV * py.epsilon_eV).squareRoot(),
                              sigma_A: 0.5 * (px.sigma_A + py.sigma_A))
    }

    /// Checks ranges: 3 species, ε ≥ 0 finite, σ > 0 finite, q finite.
    public func validate() throws {
        guard perSpecies.count == Species.allCases.count else {
            throw ForceFieldError.invalidParameter(component: "force_field", key: "species", value: "\(perSpecies.count) entries", allowed: "exactly 3 (Cd, Se, Cu)")
        }
        for s in Species.allCases {
            let p = self[s]
            if !(p.epsilon_eV.isFinite && p.epsilon_eV >= 0) {
                throw ForceFieldError.invalidParameter(component: "force_field", key: "\(s).epsilon_eV", value: "\(p.epsilon_eV)", allowed: "finite ≥ 0 eV")
            }
            if !(p.sigma_A.isFinite && p.sigma_A > 0) {
                throw ForceFieldError.invalidParameter(component: "force_field", key: "\(s).sigma_A", value: "\(p.sigma_A)", allowed: "finite > 0 Å")
            }
            if !p.charge_e.isFinite {
                throw ForceFieldError.invalidParameter(component: "force_field", key: "\(s).charge_e", value: "\(p.charge_e)", allowed: "finite (e)")
            }
        }
        for (k, p) in pairOverrides {
            if !(p.epsilon_eV.isFinite && p.epsilon_eV >= 0) {
                throw ForceFieldError.invalidParameter(component: "force_field", key: "pair.\(k).epsilon_eV", value: "\(p.epsilon_eV)", allowed: "finite ≥ 0 eV")
            }
            if !(p.sigma_A.isFinite && p.sigma_A > 0) {
                throw ForceFieldError.invalidParameter(component: "force_field", key: "pair.\(k).sigma_A", value: "\(p.sigma_A)", allowed: "finite > 0 Å")
            }
        }
    }

    /// Canonical text of the parameter set (one line per species, then the effective ε, σ of all six
    /// pairs, numbers in Swift's shortest round-trip form). Two sets with the same effective
    /// parameters have the same text.
    public var canonicalText: String {
        var out = "cekmc force field lj+coulomb v1\n"
        for s in Species.allCases {
            let p = self[s]
            out += "species \(s) epsilon_eV=\(p.epsilon_eV) sigma_A=\(p.sigma_A) charge_e=\(p.charge_e)\n"
        }
        for k in SpeciesPair.all {
            let p = pair(k.first, k.second)
            out += "pair \(k) epsilon_eV=\(p.epsilon_eV) sigma_A=\(p.sigma_A)\n"
        }
        return out
    }

    /// 64-bit FNV-1a hash of `canonicalText`: a stable provenance tag (same on every platform and run).
    public var hash: UInt64 { ForceFieldParameters.fnv1a64(canonicalText) }

    /// `hash` as 16 lowercase hex digits.
    public var hashHex: String {
        let h = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - h.count) + h
    }
}

extension ForceFieldParameters {
    /// 64-bit FNV-1a over the UTF-8 bytes of `text` (offset basis 0xcbf29ce484222325, prime 0x100000001b3).
    public static func fnv1a64(_ text: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return h
    }
}
