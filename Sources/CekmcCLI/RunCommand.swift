import ArgumentParser
import CekmcCore
import Foundation
import InputFiles
import KMC

/// Set by SIGINT, SIGTERM and SIGHUP to the signal's number; the run loop polls it, writes a
/// checkpoint and stops, and the command exits with 128 + that number (SIGHUP like SIGTERM: 143).
enum StopFlag {
    nonisolated(unsafe) static var requested: sig_atomic_t = 0
    static func install() {
        for s in [SIGINT, SIGTERM, SIGHUP] { signal(s) { StopFlag.requested = $0 } }
    }
    /// Name of a stop signal for messages.
    static func name(_ s: Int32) -> String {
        switch s {
        case SIGINT: return "SIGINT"
        case SIGTERM: return "SIGTERM"
        case SIGHUP: return "SIGHUP"
        default: return "signal \(s)"
        }
    }
}

/// `cekmc run` — run a KMC scenario (or the embedded default) and write its outputs.
struct RunCommand: ReportingCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a KMC scenario and write its outputs (timeseries, domains, maps, summary.json).",
        discussion: """
        With no INPUT the embedded default scenario runs (the paper's ramp to 125 °C and a 10-min hold on a 6 nm × 30 nm zb wire, in physical time).
        The input is checked before any work starts. The output folder is locked for the run's life
        (a second run into it is refused with the holder's pid). A folder that is not empty is refused
        unless it holds a stopped run of the same input, which is then resumed; --overwrite clears a
        folder that holds only cekmc output first. SIGINT/SIGTERM/SIGHUP write a checkpoint and exit
        with 130 (SIGINT) or 143 (SIGTERM, and SIGHUP handled like it); `--resume DIR` continues from DIR/checkpoint.json with
        DIR/input.toml and produces the same outputs as an uninterrupted run; on a run that is already
        complete it only rewrites summary.json and timing.json from the checkpoint.
        Before simulating it prints a banner on stderr (wire, sites, program length, outputs, folder,
        seed, fresh or resumed), then a progress line with the program's percentage and an ETA
        (--quiet: neither).
        Exit status: 0 done, 1 run failure, 2 bad input, 130/143 stopped by SIGINT/SIGTERM (SIGHUP: 143).
        """)

    @Argument(help: "Scenario TOML file (default: the embedded scenario).") var input: String?
    @Option(help: "Output directory (default: out/run).") var out: String?
    @Option(help: "Seed (overrides the input's `seed`, and the vacancy seed).") var seed: UInt64?
    @Option(help: "Resume the run in this output directory from its checkpoint.") var resume: String?
    @Option(name: .customLong("stop-after-events"), help: "Stop (with a checkpoint) after this many events.") var stopAfterEvents: UInt64?
    @Flag(help: "Clear the output directory (cekmc output only) before the run.") var overwrite = false
    @Flag(help: "No start banner and no progress line on stderr.") var quiet = false
    @Option(name: .customLong("max-memory-GB"), help: "Refuse a wire whose run needs more memory than this (GB; default: the machine's memory).")
    var maxMemoryGB: Double?
    @Option(help: "Run these seeds (e.g. 1-10, 1,3,5 or 1-3,7) into OUT/seed_K and aggregate them into OUT/aggregate.")
    var seeds: String?
    @Option(help: "With --seeds: seeds run at a time (default: the machine's cores).") var jobs: Int?
    @Option(name: .customLong("max-wall-min"), help: "Stop (with a checkpoint, exit status 0) after this many minutes of wall time; the same command continues.")
    var maxWallMin: Double?
    @Flag(help: "At the end, make the figures (python3 analysis/make_figures.py OUT) into OUT/figures.") var plots = false

    /// Output directory used when neither --out nor --resume is given.
    static let defaultOut = "out/run"

    func validate() throws {
        try ValidateCommand.checkMemoryOption(maxMemoryGB)
        if let m = maxWallMin, !(m > 0 && m.isFinite) { throw ValidationError("--max-wall-min \(m): must be a positive number of minutes") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs \(jobs): must be ≥ 1") }
        if jobs != nil && seeds == nil { throw ValidationError("--jobs needs --seeds") }
        if let seeds {
            _ = try Self.parseSeeds(seeds)
            if seed != nil { throw ValidationError("give either --seed or --seeds, not both") }
            if resume != nil { throw ValidationError("--seeds cannot be used with --resume: give the same command line again to continue the seeds") }
            if stopAfterEvents != nil { throw ValidationError("--stop-after-events cannot be used with --seeds") }
            if overwrite { throw ValidationError("--overwrite cannot be used with --seeds (it would clear every seed's checkpoint at each call); remove the seed folders to start again") }
        }
        guard let resume else { return }
        if input != nil { throw ValidationError("give either INPUT or --resume DIR, not both") }
        if seed != nil { throw ValidationError("--seed cannot be used with --resume: the run keeps the seed of \(resume)/input.toml") }
        if let out, out != resume { throw ValidationError("--out cannot be used with --resume: the run continues in \(resume)") }
        if overwrite { throw ValidationError("--overwrite cannot be used with --resume") }
    }

    func run(console: Console) throws -> Int32 {
        let (message, status): (String, Int32)
        var complete = true
        if let seeds { (message, status) = try executeSeeds(try Self.parseSeeds(seeds), console: console) } else {
            (message, status, complete) = try execute(console: console)
        }
        console.out(message)
        if plots && seeds == nil && status == ExitStatus.success {
            console.out((complete ? "" : "figures of the run so far:\n") + Self.makePlots(resume ?? out ?? Self.defaultOut))
        }
        return status
    }

    /// Runs (or resumes) the scenario; returns the closing one-line message and the exit status.
    /// `progressSink`: where the progress lines go (plain lines), instead of stderr or the console.
    /// `complete`: whether the program has run to its end.
    func execute(console: Console, progressSink: (@Sendable (String) -> Void)? = nil) throws -> (message: String, status: Int32, complete: Bool) {
        let deadline = maxWallMin.map { Simulation.monotonicSeconds() + $0 * 60 }
        let dir = resume ?? out ?? Self.defaultOut
        let explicitResume = resume != nil
        let file: String
        var text: String
        if let resume {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: resume, isDirectory: &isDir), isDir.boolValue else {
                throw CLIFailure.badInput("error: --resume \(resume): no such output folder")
            }
            file = resume + "/input.toml"
            guard FileManager.default.fileExists(atPath: file) else {
                throw CLIFailure.badInput("error: --resume \(resume): no input.toml (is it a cekmc output folder?)")
            }
            text = try InputTable.readText(path: file)
        } else if let input {
            file = input
            text = try InputTable.readText(path: input)
        } else {
            file = "default-scenario.toml"
            text = ScenarioInput.defaultText
        }
        var config = try ScenarioInput.parse(text, file: file)
        try ScenarioPreflight.check(config, text: text, file: file, limits: ValidateCommand.limits(maxMemoryGB: maxMemoryGB))
        // The saved input.toml is the original effective input: keep it verbatim so summary.json
        // of a resumed run equals the uninterrupted run's.
        if explicitResume { config.effectiveInput = text }
        if let seed {
            // Re-decode the effective input with the new seed so the saved input.toml reproduces the run.
            let lines = config.effectiveInput.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            text = lines.map { l in l.hasPrefix("seed =") ? "seed = \(seed)" : l }  // the root seed and [defects] seed
                .joined(separator: "\n")
            config = try ScenarioInput.parse(text, file: file + " (--seed \(seed))")
        }

        // The folder: lock it, then decide between a fresh run, clearing it, and resuming it.
        let lock: OutputFolder.Lock
        do { lock = try OutputFolder.Lock(directory: dir) } catch let e as OutputFolderBusy {
            throw CLIFailure.runFailure("error: \(e)")
        } catch let e as OutputError {
            throw CLIFailure.runFailure("error: \(e)")
        }
        defer { lock.release() }
        if let pid = lock.tookOverFrom { console.err("note: took over the lock file of \(dir) left by pid \(pid) (that run has ended)") }
        var resuming = explicitResume
        if !explicitResume {
            let entries = try OutputFolder.contents(dir)
            if !entries.isEmpty {
                if overwrite {
                    do { try OutputFolder.clear(dir) } catch let e as OutputError {
                        if case .invalid = e { throw CLIFailure.badInput("error: \(e)") }
                        throw CLIFailure.runFailure("error: \(e)")
                    }
                    console.err("note: cleared \(entries.count) entries from \(dir) (--overwrite)")
                } else {
                    // Continue with the folder's input.toml verbatim (it may differ in its first comment line).
                    config.effectiveInput = try Self.continuableInput(dir, entries: entries, effectiveInput: config.effectiveInput)
                    resuming = true
                    console.err("note: \(dir) holds a run of this input; continuing it from its checkpoint")
                }
            }
        }
        var checkpoint: Checkpoint? = nil
        if resuming {
            let c: Checkpoint
            do { c = try Simulation.readCheckpoint(dir) } catch let e as CheckpointError { throw CLIFailure.badInput(e.description) }
            if let saved = c.input, saved != config.effectiveInput {
                let d = Simulation.firstDifference(config.effectiveInput, saved, labels: ("in input.toml", "in the checkpoint"))
                throw CLIFailure.badInput("\(dir)/checkpoint.json: cannot resume: \(dir)/input.toml differs from the input the checkpoint was written with (\(d)); put the original input.toml back, or start again with INPUT --out \(dir) --overwrite")
            }
            checkpoint = c
        }

        // Build the model (input errors the decoder cannot see, e.g. vacancy sites outside the wire).
        var sim: Simulation
        do {
            let (topo, d, l) = try LatticeTopology.wire(phase: config.phase, diameter_nm: config.diameter_nm, length_nm: config.length_nm)
            sim = try Simulation(config: config, topology: topo, diameter_A: d, length_A: l)
        } catch let e as ModelError {
            throw CLIFailure.badInput("\(file): \(e)")
        }
        if let checkpoint {
            do { try sim.restore(checkpoint) } catch let e as CheckpointError {
                throw CLIFailure.badInput("\(dir)/checkpoint.json: cannot resume: \(e)")
            } catch let e as ModelError {
                throw CLIFailure.badInput("\(dir)/checkpoint.json: cannot resume: \(e)")
            }
        }
        let alreadyComplete = resuming && sim.isComplete
        StopFlag.install()
        if !quiet { console.err(Self.banner(sim, directory: dir, resuming: resuming).text) }
        // Collected (tests): plain lines into the console; live: stderr, redrawn in place on a terminal.
        var collect: (@Sendable (String) -> Void)? = progressSink
        if !console.live && collect == nil { collect = { text in console.err(String(text.dropLast())) } }
        let program = config.program
        let progress: ProgressReporter? = quiet ? nil : ProgressReporter(
            mode: console.live && progressSink == nil ? nil : .plain, programDuration_s: program.duration_s,
            startTime_s: sim.engine.clock.time_s, startEvents: Int(sim.engine.clock.events),
            program: program, sink: collect)
        let end: RunEnd
        do {
            end = try sim.run(outputDirectory: dir, resuming: resuming, stopAfterEvents: stopAfterEvents,
                              progress: progress,
                              shouldStop: { StopFlag.requested != 0 || deadline.map { Simulation.monotonicSeconds() >= $0 } == true })
        } catch let e as OutputError {
            let where_ = "at t = \(sim.engine.clock.time_s) s after \(sim.engine.clock.events) events"
            let hasCheckpoint = FileManager.default.fileExists(atPath: dir + "/checkpoint.json")
            let next = hasCheckpoint
                ? "the last checkpoint, \(dir)/checkpoint.json, is intact; once the problem is fixed resume with: cekmc run --resume \(dir)"
                : "no checkpoint was written yet; once the problem is fixed start again with --overwrite"
            throw CLIFailure.runFailure("error: \(e); the run stopped \(where_); \(next)")
        } catch let e as ModelError {
            throw CLIFailure.runFailure("error: \(e)")
        } catch let e as CheckpointError {
            throw CLIFailure.runFailure("error: \(e)")
        }
        let x = sim.exchangedFraction()
        let t = sim.engine.clock.time_s, events = sim.engine.clock.events
        switch end {
        case .completed where alreadyComplete:
            return ("already complete: t = \(t) s, \(events) events, X = \(x); rewrote summary.json and timing.json in \(dir)", ExitStatus.success, true)
        case .completed:
            return ("completed: t = \(t) s, \(events) events, X = \(x); outputs in \(dir)", ExitStatus.success, true)
        case .stopped:
            let signal = StopFlag.requested
            if signal == 0, let d = deadline, Simulation.monotonicSeconds() >= d {
                let pct = (1000 * t / config.program.duration_s).rounded(.down) / 10
                return ("stopped at the wall-time limit (--max-wall-min) with a checkpoint at t = \(t) s (\(pct) % of the program) after \(events) events, X = \(x); continue with: cekmc run --resume \(dir)",
                        ExitStatus.success, false)
            }
            let by = signal != 0 ? "by \(StopFlag.name(signal)) " : ""
            return ("stopped \(by)with a checkpoint at t = \(t) s after \(events) events; resume with: cekmc run --resume \(dir)",
                    signal != 0 ? ExitStatus.stopped(bySignal: signal) : ExitStatus.success, false)
        }
    }

    /// Runs `python3 analysis/make_figures.py dir` (the analysis folder found beside the executable's
    /// source tree, or by `CEKMC_ANALYSIS`) and returns its report, or why no figures were made.
    static func makePlots(_ dir: String) -> String {
        var candidates: [String] = []
        if let a = ProcessInfo.processInfo.environment["CEKMC_ANALYSIS"] { candidates.append(a) }
        var exe = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<5 { candidates.append(exe.appendingPathComponent("analysis").path); exe.deleteLastPathComponent() }
        candidates.append(FileManager.default.currentDirectoryPath + "/analysis")
        guard let a = candidates.first(where: { FileManager.default.fileExists(atPath: $0 + "/make_figures.py") }) else {
            return "plots: analysis/make_figures.py not found (looked in \(candidates.joined(separator: ", "))); set CEKMC_ANALYSIS to the analysis folder"
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", a + "/make_figures.py", dir]
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        do { try p.run() } catch { return "plots: could not start python3: \(error)" }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .newlines)
        return p.terminationStatus == 0 ? text : "plots: make_figures.py failed (exit status \(p.terminationStatus)):\n\(text)"
    }

    /// The start banner of `sim` (built, and restored when `resuming`) writing into `directory`.
    static func banner(_ sim: Simulation, directory: String, resuming: Bool) -> RunBanner {
        let c = sim.config
        return RunBanner(phase: c.phase.description, diameter_nm: sim.diameter_A / 10, length_nm: sim.length_A / 10,
                         sites: sim.topology.siteCount, cationSites: sim.topology.cationSites.count,
                         programDuration_s: c.program.duration_s,
                         outputs: Simulation.outputCount(duration_s: c.program.duration_s, interval_s: c.outputInterval_s),
                         outputInterval_s: c.outputInterval_s, outputDirectory: directory, seed: c.seed,
                         resumedAt: resuming ? (sim.engine.clock.time_s, sim.nextOutput) : nil)
    }

    /// The input.toml of the non-empty folder `dir` when it holds a run of `effectiveInput` (compared
    /// without the first line, the comment naming the file it was read from) with a checkpoint;
    /// otherwise throws the refusal.
    static func continuableInput(_ dir: String, entries: [String], effectiveInput: String) throws -> String {
        let hint = "choose another --out, or give --overwrite to clear it"
        guard let saved = try AtomicFile.read(dir + "/input.toml") else {
            throw CLIFailure.badInput("error: output folder \(dir) is not empty and holds no cekmc run (\(OutputFolder.listing(entries))); \(hint)")
        }
        let text = String(decoding: saved, as: UTF8.self)
        func body(_ s: String) -> Substring {
            s.hasPrefix("# Effective input of ") ? s.drop { $0 != "\n" } : Substring(s)
        }
        guard body(text) == body(effectiveInput) else {
            let d = Simulation.firstDifference(effectiveInput, text, labels: ("now", "in \(dir)/input.toml"))
            throw CLIFailure.badInput("error: output folder \(dir) holds a run of a different input (\(d)); \(hint)")
        }
        guard FileManager.default.fileExists(atPath: dir + "/checkpoint.json") else {
            throw CLIFailure.badInput("error: output folder \(dir) holds a run of this input with no checkpoint to resume from; give --overwrite to start it again")
        }
        return text
    }
}
