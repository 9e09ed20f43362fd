import ArgumentParser
import Foundation
import InputFiles
import KMC

/// `cekmc validate FILE [--print-effective]` — check an input file before any work.
struct ValidateCommand: ReportingCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check an input file and print its effective values.",
        discussion: """
        Reads the file's top-level `kind` (scenario — the default —, barriers or forcefield) and \
        decodes it with that kind's decoder. A valid file prints "FILE: valid" (or, with \
        --print-effective, the effective input with every default filled in) and exits 0; \
        otherwise every problem goes to stderr, one line each in file order, and the exit status is 2 \
        (bad input). A scenario is also checked as `cekmc run` checks it before a run: the wire's \
        estimated memory against the machine's (or --max-memory-GB), the estimated output volume, and \
        defects.vacancy_sites / vacancy_positions_A against the wire's sites. \
        With --effective-rate, a valid scenario also prints the exchange's limiting path for Cu from \
        a shell in equilibrium with the donor and from a half-covered shell: each transition \
        state's energy above the Cu's chemical potential, the effective activation energy, the \
        driving force per Cu₂Se unit, the Gibbs–Thomson and layer-nucleation scales and a \
        domain's entry (its first unit at a surface cation) \
        (docs/model.md §6). Format of the message: docs/input-files.md.
        """
    )

    @Argument(help: "Input TOML file.") var input: String
    @Flag(help: "Print the effective input with defaults filled in.") var printEffective = false
    @Flag(help: "For a scenario: print the limiting path of the exchange and its effective activation energy.")
    var effectiveRate = false
    @Option(name: .customLong("max-memory-GB"), help: "Refuse a scenario whose run needs more memory than this (GB; default: the machine's memory).")
    var maxMemoryGB: Double?

    func validate() throws { try Self.checkMemoryOption(maxMemoryGB) }

    /// `--max-memory-GB` must be a finite number > 0.
    static func checkMemoryOption(_ gb: Double?) throws {
        guard let gb else { return }
        if !gb.isFinite { throw ValidationError("--max-memory-GB must be a finite number, got \(gb)") }
        if gb <= 0 { throw ValidationError("--max-memory-GB must be > 0, got \(gb)") }
    }

    /// The limits a scenario is checked against: the machine's memory and `--max-memory-GB`.
    static func limits(maxMemoryGB: Double?) -> ScenarioLimits {
        ScenarioLimits(maxMemory_bytes: maxMemoryGB.map { $0 * 1e9 })
    }

    /// What the command prints: stdout text on success, or every problem of the file.
    func check() -> Result<String, InputErrors> {
        do {
            let t = try InputKind.validate(path: input, limits: Self.limits(maxMemoryGB: maxMemoryGB))
            var text = printEffective ? t.effectiveTOML() : "\(input): valid\n"
            if effectiveRate {
                guard let c = try? ScenarioInput.load(path: input) else {
                    return .failure(InputErrors([InputError(file: input, keyPath: "kind", problem: "--effective-rate needs a scenario file")]))
                }
                text += Self.pathTable(c)
            }
            return .success(text)
        } catch {
            return .failure(InputErrors(error) ?? InputErrors([InputError(file: input, keyPath: "", problem: "\(error)")]))
        }
    }

    /// The limiting path of `c`'s parameters (`EffectiveRate`), one line per transition state, for
    /// Cu from a shell in equilibrium with the donor and from a half-covered shell.
    static func pathTable(_ c: ScenarioConfig) -> String {
        func f(_ x: Double) -> String { x.isFinite ? String(format: "%.3f", x) : "none (Δg ≥ 0)" }
        var out = ""
        for source in [CuSource.donor, .shell(coverage: 0.5, kelvin: 398.15)] {
            let r = EffectiveRate(c.parameters, phase: c.phase, source: source)
            let label = source == .donor ? "shell in equilibrium with the donor (Cu-rich limit)" : "half-covered shell (Cu-poor)"
            let route = r.routeName == "front" ? "along the front" : "through CdSe"
            out += "limiting path (\(c.phase.rawValue), \(route), Cu from a \(label); eV above its μ; docs/model.md §6):\n"
            out += "  step         start  barrier  transition state\n"
            for s in r.steps {
                out += "  " + s.name.padding(toLength: 11, withPad: " ", startingAt: 0) + "  " + f(s.start_eV) + "  " + f(s.barrier_eV)
                    + "    " + f(s.transitionState_eV) + (s == r.limiting ? "  <- limiting" : "") + "\n"
            }
            let g = r.thermodynamics
            let radius = g.criticalRadius_nm.isFinite ? String(format: "%.1f nm", g.criticalRadius_nm) : "none (Δg ≥ 0)"
            let island = g.criticalIsland.isFinite ? String(format: "%.1f", g.criticalIsland) : "none"
            out += "  effective activation energy \(f(r.activation_eV)) eV; Δg = \(f(g.unit_eV)) eV per Cu₂Se unit; "
                + "Gibbs–Thomson critical cap radius \(radius)\n"
            out += "  planar front: critical island \(island) units, ΔG*₂D \(f(g.layerNucleation_eV)) eV, "
                + "activation \(f(r.planarActivation_eV)) eV\n"
            let entry = r.entryRoute.map { "\($0.name) \(f($0.transitionState_eV))" }.joined(separator: ", ")
            out += "  entry (a domain's first unit at a surface cation with \(EffectiveRate.entryCdNeighbours) Cd neighbours): "
                + "\(entry); activation \(f(r.entryActivation_eV)) eV\n"
        }
        return out
    }

    func run(console: Console) throws -> Int32 {
        switch check() {
        case .success(let text):
            console.out(text, terminator: "")
            return ExitStatus.success
        case .failure(let e):
            console.err(e.description)
            return ExitStatus.badInput
        }
    }
}
