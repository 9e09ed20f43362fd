import ArgumentParser
import CekmcCore
import Foundation
import InputFiles
import KMC

/// Set by SIGINT/SIGTERM; the run loop polls it, writes a checkpoint and exits cleanly.
enum StopFlag {
    nonisolated(unsafe) static var requested: sig_atomic_t = 0
    static func install() {
        signal(SIGINT) { _ in StopFlag.requested = 1 }
        signal(SIGTERM) { _ in StopFlag.requested = 1 }
    }
}

/// `cekmc run` — run a KMC scenario (or the embedded default) and write its outputs.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a KMC scenario and write its outputs (timeseries, domains, maps, summary.json).",
        discussion: """
        With no INPUT the embedded default scenario runs (a 6 nm × 30 nm zb wire on a heating ramp).
        The input is validated before any work starts. SIGINT/SIGTERM write a checkpoint and exit;
        `--resume DIR` continues from DIR/checkpoint.json with DIR/input.toml and produces the same
        outputs as an uninterrupted run; on a run that is already complete it only rewrites
        summary.json and timing.json from the checkpoint.
        """)

    @Argument(help: "Scenario TOML file (default: the embedded scenario).") var input: String?
    @Option(help: "Output directory.") var out: String = "out/run"
    @Option(help: "Seed (overrides the input's `seed`, and the vacancy seed).") var seed: UInt64?
    @Option(help: "Resume the run in this output directory from its checkpoint.") var resume: String?
    @Option(name: .customLong("stop-after-events"), help: "Stop (with a checkpoint) after this many events.") var stopAfterEvents: UInt64?
    @Flag(help: "No progress line.") var quiet = false

    func run() throws {
        do { print(try execute()) } catch let e as InputError {
            throw ValidationError(e.description)
        }
    }

    /// Runs (or resumes) the scenario; returns the closing one-line message.
    func execute() throws -> String {
        let dir = resume ?? out
        var text: String
        var file: String
        if let resume {
            guard input == nil else { throw ValidationError("give either INPUT or --resume DIR, not both") }
            file = resume + "/input.toml"
            guard let t = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw ValidationError("cannot read \(file) (is \(resume) a cekmc output directory?)")
            }
            text = t
        } else if let input {
            file = input
            guard let t = try? String(contentsOfFile: input, encoding: .utf8) else { throw ValidationError("\(input): cannot read the file") }
            text = t
        } else {
            file = "default-scenario.toml"
            text = ScenarioInput.defaultText
        }
        var config = try ScenarioInput.parse(text, file: file)
        // The saved input.toml is the original effective input: keep it verbatim so summary.json
        // of a resumed run equals the uninterrupted run's.
        if resume != nil { config.effectiveInput = text }
        if let seed, resume == nil {
            // Re-decode the effective input with the new seed so the saved input.toml reproduces the run.
            let lines = config.effectiveInput.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            var replaced = false
            text = lines.map { l in
                if !replaced && l.hasPrefix("seed =") { replaced = true; return "seed = \(seed)" }
                if l.hasPrefix("seed =") { return "seed = \(seed)" }  // [defects] seed
                return l
            }.joined(separator: "\n")
            config = try ScenarioInput.parse(text, file: file + " (--seed \(seed))")
        }
        let (topo, d, l) = try LatticeTopology.wire(phase: config.phase, diameter_nm: config.diameter_nm, length_nm: config.length_nm)
        var sim = try Simulation(config: config, topology: topo, diameter_A: d, length_A: l)
        if resume != nil { try sim.restore(try Simulation.readCheckpoint(dir)) }
        let alreadyComplete = resume != nil && sim.isComplete
        StopFlag.install()
        let progress: ProgressReporter? = quiet ? nil : ProgressReporter()
        let end = try sim.run(outputDirectory: dir, resuming: resume != nil, stopAfterEvents: stopAfterEvents,
                              progress: progress, shouldStop: { StopFlag.requested != 0 })
        let x = sim.exchangedFraction()
        switch end {
        case .completed where alreadyComplete:
            return "already complete: t = \(sim.engine.clock.time_s) s, \(sim.engine.clock.events) events, X = \(x); rewrote summary.json and timing.json in \(dir)"
        case .completed:
            return "completed: t = \(sim.engine.clock.time_s) s, \(sim.engine.clock.events) events, X = \(x); outputs in \(dir)"
        case .stopped:
            return "stopped with a checkpoint at t = \(sim.engine.clock.time_s) s after \(sim.engine.clock.events) events; resume with: cekmc run --resume \(dir)"
        }
    }
}
