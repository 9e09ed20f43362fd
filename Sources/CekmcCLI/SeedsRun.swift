// `cekmc run [INPUT] --out DIR --seeds A-B[,C…] [--jobs N]`: the same scenario for several seeds, N at a
// time on the machine's cores, each an ordinary run in DIR/seed_K (resumable and checked like any
// run), then DIR/aggregate/ (SeedAggregate: the median and spread of every time series and of every
// number of summary.json).
//
// The seeds run in this process, one thread each (a run is a value with its own generators). The
// input is checked once before any work, with the memory limit shared between the N concurrent runs.
// Each seed's progress line is printed prefixed with its seed, a line at most every 10 s per seed.
// A stop signal stops every running seed with its checkpoint; the same command line continues them
// (a seed folder holding a stopped run of the same input is continued, a completed one only gets its
// summary rewritten), and seeds not yet started start then.

import ArgumentParser
import Foundation
import InputFiles
import KMC

extension RunCommand {
    /// Parses "1-10", "1,3,5" or "1-3,7" into ascending distinct seeds.
    static func parseSeeds(_ text: String) throws -> [UInt64] {
        var out = Set<UInt64>()
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let p = part.trimmingCharacters(in: .whitespaces)
            let ends = p.split(separator: "-", omittingEmptySubsequences: false).map { UInt64($0.trimmingCharacters(in: .whitespaces)) }
            switch ends.count {
            case 1:
                guard let a = ends[0], a <= UInt64(Int.max) else { throw ValidationError("--seeds \(text): '\(p)' is not a seed (a non-negative integer)") }
                out.insert(a)
            case 2:
                guard let a = ends[0], let b = ends[1], a <= b, b <= UInt64(Int.max) else {
                    throw ValidationError("--seeds \(text): '\(p)' is not a range A-B of seeds with A ≤ B")
                }
                guard b - a < 100_000 else { throw ValidationError("--seeds \(text): at most 100000 seeds") }
                for s in a...b { out.insert(s) }
            default:
                throw ValidationError("--seeds \(text): '\(p)' is not a seed or a range A-B")
            }
        }
        return out.sorted()
    }

    /// Runs every seed of `seeds` into `dir/seed_K`, `jobs` at a time, then aggregates them.
    func executeSeeds(_ seeds: [UInt64], console: Console) throws -> (message: String, status: Int32) {
        let dir = out ?? Self.defaultOut
        let jobs = max(1, min(self.jobs ?? ProcessInfo.processInfo.activeProcessorCount, seeds.count))
        // Check the input once, before any work, with each concurrent run's share of the memory.
        let file = input ?? "default-scenario.toml"
        let text = try input.map { try InputTable.readText(path: $0) } ?? ScenarioInput.defaultText
        let config = try ScenarioInput.parse(text, file: file)
        let machine = Double(ProcessInfo.processInfo.physicalMemory)
        let share_GB = (maxMemoryGB.map { $0 * 1e9 } ?? machine) / Double(jobs) / 1e9
        try ScenarioPreflight.check(config, text: text, file: file, limits: ValidateCommand.limits(maxMemoryGB: share_GB))
        try AtomicFile.createDirectory(dir)
        if !quiet {
            console.err("cekmc run: \(seeds.count) seeds (\(Self.seedList(seeds))), \(jobs) at a time, into \(dir)/seed_K; aggregate in \(dir)/aggregate")
        }

        StopFlag.install()
        let deadline = maxWallMin.map { Simulation.monotonicSeconds() + $0 * 60 }
        let state = SeedsState(seeds: seeds)
        let printer = SeedPrinter(console: console)
        let group = DispatchGroup()
        for _ in 0..<jobs {
            group.enter()
            let worker = SeedWorker(command: self, dir: dir, memory_GB: share_GB, state: state, printer: printer,
                                    deadline: deadline, budget_s: (maxWallMin ?? 0) * 60)
            let t = Thread { worker.work(); group.leave() }
            t.stackSize = 16 << 20
            t.start()
        }
        group.wait()

        let statuses = state.statuses
        let outOfTime = deadline.map { Simulation.monotonicSeconds() >= $0 } ?? false
        let failed = seeds.filter { statuses[$0].map { $0 != 0 } ?? !outOfTime }
        if failed.isEmpty {
            let stopped = seeds.filter { !state.completeSeeds.contains($0) }
            let notStarted = seeds.filter { statuses[$0] == nil }
            if !notStarted.isEmpty {   // the wall-time limit came before every seed had started
                return ("\(stopped.count) of \(seeds.count) seeds not complete at the wall-time limit (\(notStarted.count) not started: \(Self.seedList(notStarted))); no aggregate written; the same command continues them", ExitStatus.success)
            }
            let s: SeedAggregate.Summary
            do { s = try SeedAggregate.write(parent: dir, seeds: seeds, partial: !stopped.isEmpty) } catch let e as OutputError {
                throw CLIFailure.runFailure("error: every seed ran, but the aggregate failed: \(e)")
            }
            if !stopped.isEmpty {
                var message = "\(stopped.count) of \(seeds.count) seeds stopped at the wall-time limit (\(Self.seedList(stopped))); partial aggregate in \(dir)/aggregate over the \(s.outputs) outputs every seed reached; the same command continues them"
                if plots { message += "\nfigures of the runs so far:\n" + Self.makePlots(dir) }
                return (message, ExitStatus.success)
            }
            var message = "completed \(seeds.count) seeds (\(Self.seedList(seeds))) in \(dir)/seed_K; aggregate in \(dir)/aggregate"
            if let x = s.quantities["final.exchanged_fraction"] {
                message += "; final X median \(x.median) (10–90 %: \(x.p10)–\(x.p90))"
            }
            if plots { message += "\n" + Self.makePlots(dir) }
            return (message, ExitStatus.success)
        }
        let stoppedBySignal = StopFlag.requested
        let notRun = seeds.filter { statuses[$0] == nil }
        var message = failed.map { s in "seed \(s): " + (statuses[s].map { "exit status \($0)" } ?? "not started") }.joined(separator: "; ")
        message += "; no aggregate written. The same command continues the stopped seeds and starts the others"
        if !notRun.isEmpty { message += " (\(notRun.count) not started)" }
        if stoppedBySignal != 0 { return (message, ExitStatus.stopped(bySignal: stoppedBySignal)) }
        let worst = failed.compactMap { statuses[$0] }.contains(ExitStatus.badInput) ? ExitStatus.badInput : ExitStatus.runFailure
        return (message, worst)
    }

    /// "1–10" for a contiguous range, else the list.
    static func seedList(_ s: [UInt64]) -> String {
        guard let a = s.first, let b = s.last else { return "" }
        if s.count > 2 && b - a + 1 == UInt64(s.count) { return "\(a)–\(b)" }
        return s.map(String.init).joined(separator: ", ")
    }
}

/// One worker thread of `executeSeeds`: runs seeds from `state` until none is left.
struct SeedWorker: @unchecked Sendable {
    let command: RunCommand
    let dir: String
    let memory_GB: Double
    let state: SeedsState
    let printer: SeedPrinter
    /// The wall-clock deadline of the whole command (--max-wall-min), monotonic seconds.
    let deadline: Double?
    /// The command's whole wall-time budget, s.
    let budget_s: Double

    func work() {
        while let seed = state.next() {
            // Out of time: leave it for the next call. A seed is not started in the last tenth of the
            // budget (at most a minute): building a full wire's model alone takes a while.
            if let d = deadline, Simulation.monotonicSeconds() >= d - min(60, 0.1 * budget_s) { break }
            let (status, complete) = run(seed)
            state.finish(seed, status: status, complete: complete)
        }
    }

    func run(_ seed: UInt64) -> (Int32, Bool) {
        var r = command
        r.seeds = nil
        r.jobs = nil
        r.plots = false
        r.seed = seed
        r.out = dir + "/" + SeedAggregate.folderName(seed: seed)
        r.maxMemoryGB = memory_GB
        if let d = deadline { r.maxWallMin = max((d - Simulation.monotonicSeconds()) / 60, 1e-9) }
        let c = Console(live: false)
        let prefix = "[seed \(seed)] "
        let p = printer
        var sink: (@Sendable (String) -> Void)? = nil
        if !command.quiet {
            sink = { (line: String) -> Void in
                let text: String = line.trimmingCharacters(in: CharacterSet.newlines)
                p.line(prefix + text)
            }
        }
        var message: String
        var status: Int32
        var complete = false
        do { (message, status, complete) = try r.execute(console: c, progressSink: sink) } catch {
            status = Cekmc.render(error, console: c)
            message = c.stderr.trimmingCharacters(in: .newlines)
        }
        if !command.quiet {   // the seed's notes (continuing a run, a lock taken over), then its closing line
            for l in c.stderr.split(separator: "\n") where l.hasPrefix("note:") { printer.line("seed \(seed): \(l)") }
        }
        if !command.quiet || status != 0 { printer.line("seed \(seed): \(message)") }
        return (status, complete)
    }
}

/// Prints whole lines from several threads (stderr when live, else into the console).
final class SeedPrinter: @unchecked Sendable {
    private let lock = NSLock()
    private let console: Console
    init(console: Console) { self.console = console }
    func line(_ l: String) {
        lock.lock(); defer { lock.unlock() }
        if console.live { FileHandle.standardError.write(Data((l + "\n").utf8)) } else { console.err(l) }
    }
}

/// The seeds left to run and the exit status of each finished one (shared by the worker threads).
final class SeedsState: @unchecked Sendable {
    private let lock = NSLock()
    private var pending: [UInt64]
    private var done: [UInt64: Int32] = [:]
    private var completed: Set<UInt64> = []
    init(seeds: [UInt64]) { pending = seeds.reversed() }
    /// The next seed to run, or nil when none is left or a stop was requested.
    func next() -> UInt64? {
        lock.lock(); defer { lock.unlock() }
        guard StopFlag.requested == 0 else { return nil }
        return pending.popLast()
    }
    func finish(_ seed: UInt64, status: Int32, complete: Bool) {
        lock.lock(); done[seed] = status; if complete { completed.insert(seed) }; lock.unlock()
    }
    var completeSeeds: Set<UInt64> { lock.lock(); defer { lock.unlock() }; return completed }
    var statuses: [UInt64: Int32] { lock.lock(); defer { lock.unlock() }; return done }
}
