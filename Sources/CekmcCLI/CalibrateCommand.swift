import ArgumentParser
import Calibration
import CekmcCore
import Foundation
import InputFiles
import MD

/// `cekmc calibrate [--quick] --out FILE.toml` — runs the MD calculations and writes a barrier file
/// the KMC reads (format: docs/barrier-file.md; mapping: docs/md.md "Calibration").
struct CalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Calibrate the KMC barriers from MD and write a barrier file.",
        discussion: """
        Runs the lattice relaxation, the Cu-well frequency, Cu interstitial diffusion (step c) and the \
        straight-path ensembles of steps b, d and Cu2Se interstitial creation, then writes a TOML barrier \
        file with provenance. --quick: small cells and short runs (minutes, wider error bars).
        """
    )
    @Flag(help: "Small cells, short runs, few paths (minutes; wider error bars).") var quick = false
    @Option(help: "Output barrier file (TOML).") var out: String
    @Option(name: .customLong("report"), help: "Also write the full calculation report as JSON to this file.") var report: String?
    @Option(help: "Seed of the GSL generator (mt19937).") var seed: UInt64 = 20_230_101
    @Flag(help: "Also run the climbing-image NEB for every path (reported, not used for the table).") var neb = false
    @Flag(help: "No progress messages on stderr.") var silent = false

    func run() throws {
        var common = try MDCommonOptions.parse(quick ? ["--quick"] : [])
        common.seed = seed
        common.silent = silent
        var options = CalibrationOptions(settings: common.settings)
        options.neb = neb
        options.version = cekmcVersion
        let r = try Calibrator.run(options)
        let file = BarrierFile(table: r.table, attemptFrequencyUncertainty_THz: r.attemptFrequencyUncertainty_THz,
                               provenance: r.provenance, forceField: r.forceField)
        try file.encodeTOML().write(toFile: out, atomically: true, encoding: .utf8)
        // Check that what was written reads back as the same table.
        let back = try BarrierFile.load(path: out)
        guard back == file else { throw ValidationError("calibrate: \(out) does not read back as the table written") }
        if let report {
            let e = JSONEncoder()
            e.outputFormatting = [.prettyPrinted, .sortedKeys]
            e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            try e.encode(r.report).write(to: URL(fileURLWithPath: report))
        }
        let t = r.table
        print("wrote \(out) (\(String(format: "%.0f", r.report.seconds)) s)")
        print(String(format: "ν = %.3f ± %.3f THz", t.attemptFrequency_THz, r.attemptFrequencyUncertainty_THz))
        for p in Phase.allCases {
            let b = t[p]
            print(String(format: "%@: E_b = %.3f ± %.3f, E_c = %.3f ± %.3f, E_d = %.3f ± %.3f, Cu2Se = %.3f ± %.3f eV", p.rawValue,
                         b.penetration.value_eV, b.penetration.uncertainty_eV, b.interstitialHop.value_eV, b.interstitialHop.uncertainty_eV,
                         b.kickOff.value_eV, b.kickOff.uncertainty_eV, b.cu2seInterstitialCreation.value_eV, b.cu2seInterstitialCreation.uncertainty_eV))
        }
    }
}
