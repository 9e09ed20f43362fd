// The barrier file: the on-disk form of `CekmcCore.BarrierTable`, shared by MD calibration (which
// writes it) and the KMC (which reads it). Format: docs/barrier-file.md. Defaults are Table 1 of
// Casu et al., ACS Nano 2023 (DOI 10.1021/acsnano.3c03049).

import CekmcCore
import Foundation

/// A barrier table with its provenance, as read from / written to a TOML barrier file.
public struct BarrierFile: Sendable, Equatable, DecodableInput {
    /// The barriers and the attempt frequency.
    public var table: BarrierTable
    /// One-sigma uncertainty of the attempt frequency in THz (0: not given).
    public var attemptFrequencyUncertainty_THz: Double
    /// `[provenance]` strings: `method`, `date`, `cekmc_version`, `force_field_hash`; string
    /// entries of `[provenance.force_field]` appear here as `force_field.<key>`.
    public var provenance: [String: String]
    /// Numeric entries of `[provenance.force_field]` (free-form: parameter name → value).
    public var forceField: [String: Double]

    /// Memberwise initialiser.
    public init(table: BarrierTable, attemptFrequencyUncertainty_THz: Double = 0,
                provenance: [String: String] = [:], forceField: [String: Double] = [:]) {
        self.table = table
        self.attemptFrequencyUncertainty_THz = attemptFrequencyUncertainty_THz
        self.provenance = provenance
        self.forceField = forceField
    }

    /// The current format version (`format_version`).
    public static let formatVersion = 1

    /// Event keys of each phase table, in file order.
    public static let eventKeys = ["penetration", "interstitial_hop", "kick_off", "cu2se_interstitial_creation"]

    /// Keys allowed in `[provenance]` (besides the free-form `[provenance.force_field]` table).
    public static let provenanceKeys = ["method", "date", "cekmc_version", "force_field_hash"]

    /// Prefix of `provenance` entries that hold string entries of `[provenance.force_field]`.
    public static let forceFieldStringPrefix = "force_field."

    /// Casu et al. 2023 Table 1 (`BarrierTable.paper`), as shipped in inputs/barriers-paper.toml.
    public static let paperDefault = BarrierFile(
        table: .paper, attemptFrequencyUncertainty_THz: 0,
        provenance: ["method": "literature: Casu et al., ACS Nano 2023, DOI 10.1021/acsnano.3c03049"])

    // Ranges: wide enough for any physical barrier, narrow enough to catch unit mistakes (meV, J).
    static let barrierRange_eV: ClosedRange<Double> = 0...10
    static let deltaERange_eV: ClosedRange<Double> = -10...10
    static let frequencyRange_THz: ClosedRange<Double> = 1e-3...1e3

    /// Decode a barrier file from its root table (reads every key; call `finish()` afterwards, or
    /// use `load(path:)`). Cross-check: each reverse barrier value_eV − delta_E_eV must be ≥ 0.
    public static func decode(_ t: InputTable) throws -> BarrierFile {
        try InputKind.require(.barriers, in: t)
        _ = try t.int("format_version", range: formatVersion...formatVersion, doc: "barrier-file format version")
        let nu = try t.double("attempt_frequency_THz", range: frequencyRange_THz, unit: "THz", doc: "attempt frequency ν")
        let dnu = try t.double("attempt_frequency_uncertainty_THz", default: 0, range: 0...1e3, unit: "THz",
                               doc: "one-sigma uncertainty of ν")
        let nuSource = try t.string("attempt_frequency_source", doc: "where ν comes from")

        func barrier(_ pt: InputTable, _ key: String, _ doc: String) throws -> BarrierValue {
            let b = try pt.table(key, required: true)
            let v = try b.double("value_eV", range: barrierRange_eV, unit: "eV", doc: doc)
            let u = try b.double("uncertainty_eV", default: 0, range: 0...10, unit: "eV", doc: "one-sigma uncertainty")
            let s = try b.string("source", doc: "where the value comes from")
            let d = try b.optionalDouble("delta_E_eV", range: deltaERange_eV, unit: "eV",
                                         doc: "E_final − E_initial of the path end points")
            if let d, v - d < 0, !b.hasErrors {
                try b.reject("delta_E_eV", "gives a negative reverse barrier value_eV − delta_E_eV = \(v - d) eV",
                             allowed: "delta_E_eV ≤ value_eV = \(v)")
            }
            return BarrierValue(value_eV: v, uncertainty_eV: u, source: s, deltaE_eV: d)
        }
        func phase(_ p: Phase) throws -> PhaseBarriers {
            let pt = try t.table(p.rawValue, required: true)
            return PhaseBarriers(
                penetration: try barrier(pt, "penetration", "step b: shell Cu → first interstitial"),
                interstitialHop: try barrier(pt, "interstitial_hop", "step c: Cu interstitial hop"),
                kickOff: try barrier(pt, "kick_off", "step d: Cu_i + Cd_Cd → Cu_Cd + Cd_i"),
                cu2seInterstitialCreation: try barrier(pt, "cu2se_interstitial_creation",
                                                       "Cu interstitial creation in Cu2Se"))
        }
        let wz = try phase(.wz)
        let zb = try phase(.zb)

        var provenance: [String: String] = [:]
        var forceField: [String: Double] = [:]
        let prov = try t.table("provenance")
        for key in provenanceKeys {
            if let s = try prov.optionalString(key, doc: provenanceDoc[key] ?? "") { provenance[key] = s }
        }
        let ff = try prov.table("force_field")
        for key in ff.presentKeys {
            if ff.isString(key) {
                provenance[forceFieldStringPrefix + key] = try ff.string(key)
            } else {
                forceField[key] = try ff.double(key)
            }
        }
        let table = BarrierTable(attemptFrequency_THz: nu, attemptFrequencySource: nuSource, wz: wz, zb: zb)
        return BarrierFile(table: table, attemptFrequencyUncertainty_THz: dnu, provenance: provenance,
                           forceField: forceField)
    }

    private static let provenanceDoc = [
        "method": "how the barriers were obtained",
        "date": "when (ISO 8601)",
        "cekmc_version": "cekmc version that wrote the file",
        "force_field_hash": "hash of the force-field file used",
    ]

    /// The file as TOML text; `decode` of it gives back an equal value (numbers print exactly).
    public func encodeTOML() -> String {
        var out = "kind = \"barriers\"\n"
        out += "format_version = \(Self.formatVersion)\n"
        out += "attempt_frequency_THz = \(TOMLText.double(table.attemptFrequency_THz))\n"
        out += "attempt_frequency_uncertainty_THz = \(TOMLText.double(attemptFrequencyUncertainty_THz))\n"
        out += "attempt_frequency_source = \(TOMLText.string(table.attemptFrequencySource))\n"
        for p in Phase.allCases {
            let b = table[p]
            for (key, v) in zip(Self.eventKeys, [b.penetration, b.interstitialHop, b.kickOff, b.cu2seInterstitialCreation]) {
                out += "\n[\(p.rawValue).\(key)]\n"
                out += "value_eV = \(TOMLText.double(v.value_eV))\n"
                out += "uncertainty_eV = \(TOMLText.double(v.uncertainty_eV))\n"
                out += "source = \(TOMLText.string(v.source))\n"
                if let d = v.deltaE_eV { out += "delta_E_eV = \(TOMLText.double(d))\n" }
            }
        }
        let ffStrings = provenance.filter { $0.key.hasPrefix(Self.forceFieldStringPrefix) }
        let plain = provenance.filter { !$0.key.hasPrefix(Self.forceFieldStringPrefix) }
        if !plain.isEmpty || !forceField.isEmpty || !ffStrings.isEmpty {
            out += "\n[provenance]\n"
            for key in plain.keys.sorted() { out += "\(TOMLText.key(key)) = \(TOMLText.string(plain[key]!))\n" }
        }
        if !forceField.isEmpty || !ffStrings.isEmpty {
            out += "\n[provenance.force_field]\n"
            var lines: [(String, String)] = forceField.map { ($0.key, TOMLText.double($0.value)) }
            lines += ffStrings.map { (String($0.key.dropFirst(Self.forceFieldStringPrefix.count)), TOMLText.string($0.value)) }
            for (k, v) in lines.sorted(by: { $0.0 < $1.0 }) { out += "\(TOMLText.key(k)) = \(v)\n" }
        }
        return out
    }
}
