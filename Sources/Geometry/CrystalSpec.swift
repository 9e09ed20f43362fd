// Crystal parameters of the host lattices and the stacking geometry every builder of this module
// shares.
//
// Construction (verified by the distance and coordination tests in Tests/GeometryTests):
// both CdSe phases are close-packed Se layers stacked along the wire axis z.
//   • wurtzite (wz):  stacking ABAB…, axis [001];  in-plane spacing a_hex = a,     layer spacing d = c/2.
//   • zincblende (zb): stacking ABCABC…, axis [111]; in-plane spacing a_hex = a/√2, layer spacing d = a/√3.
// In-plane, each layer is a triangular lattice with basis a1 = a_hex(1, 0), a2 = a_hex(1/2, √3/2);
// the three stacking positions ("letters") are A = 0, B = t, C = 2t with t = (a1 + a2)/3, so
// |t| = a_hex/√3 and 3t = a1 + a2 is a lattice vector (letters add modulo 3).
// Se layer k sits at height z_k = (k + 1/2)·d with letter p_k = k mod 2 (wz) or k mod 3 (zb).
// The gap between layer k (letter p_k) and layer k+1 (letter p_{k+1}) holds, per lattice point,
//   • the cation (Cd) site: tetrahedral hole "above" layer k, letter p_k, at z_k + 2u·d
//     (wz: bond u·c along +z; zb: u = 3/8 exactly, bond 3d/4 = a√3/4);
//   • the empty tetrahedral hole ("tetraEmpty"): letter p_{k+1}, at z_k + (1 − 2u)·d, the mirror
//     image of the cation site through the mid-plane of the gap (ideal u = 3/8: z_k + d/4);
//   • the octahedral hole: the third letter 3 − p_k − p_{k+1}, at z_k + d/2 (centroid of its 6 Se).
// Hence N_anion = N_cation = N_tetraEmpty = N_octa in bulk. Antifluorite Cu₂Se is the same Se frame
// with both tetrahedral sets filled by Cu (`CrystalSpec.Framework.antifluorite`).
// Textbook checks: zb Cd–Se = a√3/4, Cd–Cd = a/√2 (12 neighbours), T–O = a√3/4, T₊–T₋ = a/2;
// wz bonds u·c (axial) and √(a²/3 + (1/2 − u)²c²) (basal).
// Reference: e.g. U. Müller, Inorganic Structural Chemistry (Wiley, 2nd ed. 2007), ch. 17
// (close packings and their holes); Casu et al. 2023 (doi:10.1021/acsnano.3c04516 — the paper this
// project follows).

import CekmcCore

/// Errors raised while setting up geometry (never in hot loops).
public enum GeometryError: Error, Equatable, CustomStringConvertible {
    /// A parameter is outside its allowed range. `component` names the builder, `key` the parameter.
    case invalidParameter(component: String, key: String, value: String, allowed: String)
    /// A periodic cell is too small for the requested neighbour cut-off (minimum image would break).
    case cellTooSmall(component: String, axis: Int, width_A: Double, required_A: Double)
    /// A distance window cannot separate the requested coordination shell from the next one.
    case ambiguousShell(component: String, detail: String)

    public var description: String {
        switch self {
        case let .invalidParameter(component, key, value, allowed):
            return "\(component): invalid \(key) = \(value) (allowed: \(allowed))"
        case let .cellTooSmall(component, axis, width, required):
            return "\(component): periodic cell width along axis \(axis) is \(width) Å; "
                + "needs > \(required) Å (twice the cut-off) for the minimum-image convention"
        case let .ambiguousShell(component, detail):
            return "\(component): \(detail)"
        }
    }
}

/// Lattice parameters of a host crystal (Å) and which holes of its Se frame are filled.
///
/// Values are validated at construction: a in (2, 20) Å; for wz c/a in (1.2, 2.2) and u in (0.25, 0.5).
/// For zb, u = 3/8 and c_A = a√3 (the length of the ABC stacking period along [111]) are derived.
public struct CrystalSpec: Sendable, Equatable, CustomStringConvertible {
    /// Which holes of the Se frame are occupied by cations.
    public enum Framework: String, Sendable, CaseIterable, Equatable {
        /// CdSe: Cd on one tetrahedral set (the `cation` sites); `tetraEmpty` and `octa` empty.
        case cdse
        /// Antifluorite Cu₂Se: Cu on both tetrahedral sets (`cation` and `tetraEmpty`).
        case antifluorite
    }

    /// Host phase (sets the stacking: wz ABAB along [001], zb ABC along [111]).
    public let phase: Phase
    /// Lattice constant a in Å (wz: hexagonal a; zb: cubic a).
    public let a_A: Double
    /// wz: lattice constant c in Å. zb: a√3, the [111] stacking period (derived).
    public let c_A: Double
    /// Internal parameter u (cation above anion by u·c along the axis in wz); zb: 3/8.
    public let u: Double
    /// Which holes are filled (CdSe or antifluorite Cu₂Se).
    public let framework: Framework

    /// Spec default zb CdSe: a = 6.05 Å.
    public static let defaultZincblende = CrystalSpec(uncheckedPhase: .zb, a: 6.05, c: 6.05 * 3.0.squareRoot(), u: 0.375, framework: .cdse)
    /// Spec default wz CdSe: a = 4.30 Å, c = 7.01 Å, u = 0.376.
    public static let defaultWurtzite = CrystalSpec(uncheckedPhase: .wz, a: 4.30, c: 7.01, u: 0.376, framework: .cdse)

    /// The spec default for a phase (`defaultZincblende` or `defaultWurtzite`).
    public static func defaults(for phase: Phase) -> CrystalSpec {
        phase == .zb ? defaultZincblende : defaultWurtzite
    }

    private init(uncheckedPhase phase: Phase, a: Double, c: Double, u: Double, framework: Framework) {
        self.phase = phase; self.a_A = a; self.c_A = c; self.u = u; self.framework = framework
    }

    /// Validated initialiser. For zb, `c_A` and `u` must be nil (they are derived); for wz, nil means
    /// the spec default (c = 7.01 Å, u = 0.376).
    /// - Throws: `GeometryError.invalidParameter` naming the key.
    public init(phase: Phase, a_A: Double, c_A: Double? = nil, u: Double? = nil, framework: Framework = .cdse) throws {
        let comp = "CrystalSpec(\(phase))"
        guard a_A.isFinite, a_A > 2, a_A < 20 else {
            throw GeometryError.invalidParameter(component: comp, key: "a_A", value: "\(a_A)", allowed: "2 < a < 20 Å")
        }
        switch phase {
        case .zb:
            if let c_A {
                throw GeometryError.invalidParameter(component: comp, key: "c_A", value: "\(c_A)", allowed: "unset for zb (derived: a√3)")
            }
            if let u, abs(u - 0.375) > 1e-12 {
                throw GeometryError.invalidParameter(component: comp, key: "u", value: "\(u)", allowed: "unset or 0.375 for zb")
            }
            self.init(uncheckedPhase: .zb, a: a_A, c: a_A * 3.0.squareRoot(), u: 0.375, framework: framework)
        case .wz:
            let c = c_A ?? 7.01, uu = u ?? 0.376
            guard c.isFinite, c / a_A > 1.2, c / a_A < 2.2 else {
                throw GeometryError.invalidParameter(component: comp, key: "c_A", value: "\(c)", allowed: "1.2 < c/a < 2.2")
            }
            guard uu.isFinite, uu > 0.25, uu < 0.5 else {
                throw GeometryError.invalidParameter(component: comp, key: "u", value: "\(uu)", allowed: "0.25 < u < 0.5")
            }
            self.init(uncheckedPhase: .wz, a: a_A, c: c, u: uu, framework: framework)
        }
    }

    /// Zincblende CdSe with cubic lattice constant `a_A` (Å).
    public static func zincblende(a_A: Double = 6.05) throws -> CrystalSpec {
        try CrystalSpec(phase: .zb, a_A: a_A)
    }
    /// Wurtzite CdSe with lattice constants `a_A`, `c_A` (Å) and internal parameter `u`.
    public static func wurtzite(a_A: Double = 4.30, c_A: Double = 7.01, u: Double = 0.376) throws -> CrystalSpec {
        try CrystalSpec(phase: .wz, a_A: a_A, c_A: c_A, u: u)
    }
    /// Antifluorite Cu₂Se (fcc Se frame, all tetrahedral holes Cu) with cubic constant `a_A` (Å);
    /// default 5.666 Å is the force-field value of Casu et al. 2023, Table 4.
    public static func cu2se(a_A: Double = 5.666) throws -> CrystalSpec {
        try CrystalSpec(phase: .zb, a_A: a_A, framework: .antifluorite)
    }

    public var description: String {
        switch phase {
        case .zb: return "zb(a=\(a_A) Å, \(framework))"
        case .wz: return "wz(a=\(a_A) Å, c=\(c_A) Å, u=\(u), \(framework))"
        }
    }

    // MARK: Derived stacking geometry

    /// Triangular-lattice spacing of one close-packed Se layer, Å (wz: a; zb: a/√2).
    public var inPlaneSpacing_A: Double { phase == .wz ? a_A : a_A / 2.0.squareRoot() }
    /// Distance between consecutive Se layers along the axis, Å (wz: c/2; zb: a/√3).
    public var layerSpacing_A: Double { phase == .wz ? c_A / 2 : a_A / 3.0.squareRoot() }
    /// Se layers per stacking period (wz 2, zb 3).
    public var layersPerPeriod: Int { phase == .wz ? 2 : 3 }
    /// Stacking period along the axis, Å (wz: c; zb: a√3).
    public var period_A: Double { Double(layersPerPeriod) * layerSpacing_A }
    /// Height of the cation above its Se along +z, Å (= 2u·d; wz: u·c; zb: a√3/4).
    public var cationRise_A: Double { 2 * u * layerSpacing_A }
    /// Axial cation–anion bond length, Å (wz: u·c; zb: a√3/4).
    public var axialBond_A: Double { cationRise_A }
    /// The three basal cation–anion bonds, Å: √(a_hex²/3 + (d − 2ud)²) (wz: √(a²/3 + (1/2 − u)²c²)).
    public var basalBond_A: Double {
        let ah = inPlaneSpacing_A, dz = layerSpacing_A - cationRise_A
        return (ah * ah / 3 + dz * dz).squareRoot()
    }
    /// Face-sharing tetrahedral–octahedral hole distance, Å: √(a_hex²/3 + ((2u − 1/2)d)²) (zb: a√3/4).
    public var tetraOctaDistance_A: Double {
        let ah = inPlaneSpacing_A, dz = (2 * u - 0.5) * layerSpacing_A
        return (ah * ah / 3 + dz * dz).squareRoot()
    }
    /// Anion number density, Å⁻³ (one Se per a_hex²·√3/2·d; zb: 4/a³).
    public var anionDensity_perA3: Double {
        let ah = inPlaneSpacing_A
        return 1 / (ah * ah * 3.0.squareRoot() / 2 * layerSpacing_A)
    }
    /// The largest hole–Se coordination distance, Å (tetra: the two bonds; octa: √(a_hex²/3 + d²/4)).
    public var maxHoleAnionDistance_A: Double {
        let ah = inPlaneSpacing_A, d = layerSpacing_A
        return max(axialBond_A, basalBond_A, (ah * ah / 3 + d * d / 4).squareRoot())
    }

    /// The length closest to `length_A` that is a whole number (≥ 1) of stacking periods, Å —
    /// what a wire periodic along z (or a bulk cell) must have.
    public func periodicLength(near length_A: Double) -> Double {
        let n = max(1, (length_A / period_A).rounded())
        return n * period_A
    }
}
