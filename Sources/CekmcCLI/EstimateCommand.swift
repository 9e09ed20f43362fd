import ArgumentParser
import CekmcCore

/// `cekmc estimate` — the paper's order-of-magnitude estimate (Fig. 6) as CSV.
struct EstimateCommand: ReportingCommand {
    static let configuration = CommandConfiguration(
        commandName: "estimate",
        abstract: "The paper's estimate t_fc = N/(ν·exp(−(E_b+E_c+E_d)/k_BT)) and CE rate, as CSV on stdout.",
        discussion: """
        Defaults: barriers of Casu et al. 2023 Table 1 for the chosen phase, ν = 1.9 THz,
        N = 76e4 (the paper's), wire 20 nm × 150 nm (for the volume rate).
        Give one temperature (--temperature-C) or a range (--from-C --to-C --step-C).
        """
    )

    @Option(help: "Host phase: wz or zb.")
    var phase: Phase = .wz

    @Option(name: .customLong("Eb-eV"), help: "Penetration barrier E_b in eV (default: Table 1).")
    var eb: Double?
    @Option(name: .customLong("Ec-eV"), help: "Interstitial hop barrier E_c in eV (default: Table 1).")
    var ec: Double?
    @Option(name: .customLong("Ed-eV"), help: "Kick-off barrier E_d in eV (default: Table 1).")
    var ed: Double?

    @Option(name: .customLong("attempt-frequency-THz"), help: "Attempt frequency ν in THz.")
    var attemptFrequency: Double = 1.9

    @Option(name: .customLong("sites"), help: "N, the number of Cd sites (default 76e4, the paper's; with --diameter-nm/--length-nm given and no --sites, N is computed from the wire volume).")
    var sites: Double?

    @Option(name: .customLong("diameter-nm"), help: "Wire diameter in nm (for the volume; default 20).")
    var diameter: Double?
    @Option(name: .customLong("length-nm"), help: "Wire length in nm (for the volume; default 150).")
    var length: Double?

    @Option(name: .customLong("temperature-C"), help: "One temperature in °C.")
    var temperature: Double?
    @Option(name: .customLong("from-C"), help: "First temperature of a range, °C.")
    var from: Double?
    @Option(name: .customLong("to-C"), help: "Last temperature of a range, °C (inclusive).")
    var to: Double?
    @Option(name: .customLong("step-C"), help: "Step of the range, °C.")
    var step: Double?

    func validate() throws {
        for (name, v) in [("--Eb-eV", eb), ("--Ec-eV", ec), ("--Ed-eV", ed)] {
            if let v, !(v.isFinite && v >= 0) { throw ValidationError("\(name) must be a finite number ≥ 0 eV, got \(v)") }
        }
        if !(attemptFrequency.isFinite && attemptFrequency > 0) {
            throw ValidationError("--attempt-frequency-THz must be > 0, got \(attemptFrequency)")
        }
        if let sites, !(sites.isFinite && sites > 0) { throw ValidationError("--sites must be > 0, got \(sites)") }
        if let diameter, !(diameter.isFinite && diameter > 0) { throw ValidationError("--diameter-nm must be > 0, got \(diameter)") }
        if let length, !(length.isFinite && length > 0) { throw ValidationError("--length-nm must be > 0, got \(length)") }
        for (name, v) in [("--temperature-C", temperature), ("--from-C", from), ("--to-C", to), ("--step-C", step)] {
            if let v, !v.isFinite { throw ValidationError("\(name) must be a finite number, got \(v)") }
        }
        let range = [from, to, step].compactMap { $0 }
        if temperature != nil && !range.isEmpty {
            throw ValidationError("give either --temperature-C or --from-C/--to-C/--step-C, not both")
        }
        if !range.isEmpty {
            guard let from, let to, let step else {
                throw ValidationError("a range needs all of --from-C, --to-C and --step-C")
            }
            if !(step > 0) { throw ValidationError("--step-C must be > 0, got \(step)") }
            if to < from { throw ValidationError("--to-C (\(to)) must be ≥ --from-C (\(from))") }
            if from <= -Constants.zeroCelsius_K { throw ValidationError("--from-C must be above absolute zero, got \(from)") }
            let rows = ((to - from) / step).rounded(.down) + 1
            if !(rows <= Double(Self.maxRows)) {
                let n = rows < 1e18 ? "\(Int(rows))" : "more than 10^18"
                throw ValidationError("--from-C \(from) --to-C \(to) --step-C \(step) gives \(n) rows (at most \(Self.maxRows)); use a larger --step-C")
            }
        }
        if let temperature, temperature <= -Constants.zeroCelsius_K {
            throw ValidationError("--temperature-C must be above absolute zero (−273.15 °C), got \(temperature)")
        }
    }

    /// Most rows a range may give.
    static let maxRows = 100_000

    func run(console: Console) throws -> Int32 {
        console.out(try csv(), terminator: "")
        return ExitStatus.success
    }

    /// The CSV text (header + one row per temperature).
    func csv() throws -> String {
        let table = BarrierTable.paper[phase]
        let sum = (eb ?? table.penetration.value_eV) + (ec ?? table.interstitialHop.value_eV)
            + (ed ?? table.kickOff.value_eV)
        let d = diameter ?? 20, l = length ?? 150
        let volume = PaperEstimate.cylinderVolume_nm3(diameter_nm: d, length_nm: l)
        // N: explicit, else from the wire volume when a size was given, else the paper's 76e4.
        let n: Double
        if let sites { n = sites }
        else if diameter != nil || length != nil { n = volume * PaperEstimate.cdSitesPerNm3(phase) }
        else { n = 76e4 }
        var temps: [Double] = []
        if let from, let to, let step {
            var i = 0
            while true {
                let t = from + Double(i) * step
                if t > to + 1e-9 * max(1, abs(to)) { break }
                temps.append(t); i += 1
            }
        } else {
            temps = [temperature ?? 400]
        }
        var out = "phase,temperature_C,temperature_K,p_ce,t_fc_s,rate_nm3_per_h\n"
        for c in temps {
            let k = Units.kelvin(celsius: c)
            let e = PaperEstimate(barrierSum_eV: sum, attemptFrequency_THz: attemptFrequency,
                                  cationSites: n, wireVolume_nm3: volume, kelvin: k)
            out += "\(phase),\(fmt(c)),\(fmt(k)),\(sci(e.pCE)),\(sci(e.tFullConversion_s)),\(sci(e.rate_nm3_per_h))\n"
        }
        return out
    }

    private func fmt(_ x: Double) -> String { String(format: "%.2f", x) }
    private func sci(_ x: Double) -> String { String(format: "%.6e", x) }
}

extension Phase: ExpressibleByArgument {}

#if canImport(Foundation)
import Foundation
#endif
