import ArgumentParser
import CekmcCore
import Foundation
import GSL
import InputFiles
import KMC

/// `cekmc bench` — events/s and peak memory of the KMC engine on a hop-dominated workload.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmark the KMC engine: many Cu interstitials hopping in a zb wire (default 20 nm × 150 nm), or a real scenario (--scenario).",
        discussion: "Synthetic: only the cu_hop event pair is on; the rest of the model (classes, incremental refresh, locality contract) is the production code. With --scenario FILE: the scenario's wire, model and program from t = 0 until --minutes of simulated time or --events executed events, whichever comes first (no outputs written). With --resume DIR: the same from the checkpoint of the run stopped in DIR (its input.toml), so that a late, costly stage of a real run can be timed. Use a release build.")

    @Option(help: "Time a real scenario file instead of the synthetic hop workload.") var scenario: String?
    @Option(help: "Time the run stopped in this output folder from its checkpoint (a `cekmc run` folder).") var resume: String?
    @Option(help: "With --scenario or --resume: simulated minutes to cover from the start (capped at the program's end).") var minutes: Double = 1

    @Option(name: .customLong("diameter-nm"), help: "Wire diameter, nm.") var diameter: Double = 20
    @Option(name: .customLong("length-nm"), help: "Wire length, nm.") var length: Double = 150
    @Option(help: "Host phase.") var phase: Phase = .zb
    @Option(help: "Number of Cu interstitials.") var copper: Int = 100_000
    @Option(help: "Events to time (per repeat).") var events: UInt64 = 20_000_000
    @Option(help: "Timed repeats on the same setup; the reported rate is their median.") var repeats: Int = 1
    @Option(name: .customLong("temperature-C"), help: "Temperature, °C.") var temperature: Double = 300
    @Option(help: "GSL generator name (mt19937, taus2, ranlxd2, …).") var rngName: String = "mt19937"
    @Option(name: .customLong("look-ahead"), help: "Engine look-ahead in candidates (0 ... 10; only speed depends on it).") var lookAhead: Int = 6
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        if scenario != nil && resume != nil { throw ValidationError("give either --scenario FILE or --resume DIR, not both") }
        if let scenario { return try runScenario(scenario) }
        if let resume { return try runScenario(resume + "/input.toml", resuming: resume) }
        guard repeats >= 1 else { throw ValidationError("--repeats must be ≥ 1, got \(repeats)") }
        let t0 = Self.now()
        let (topo, _, _) = try LatticeTopology.wire(phase: phase, diameter_nm: diameter, length_nm: length)
        var p = ExchangeParameters.defaults(phase)
        p.enabled = [.cuHop]
        var (m, t) = try ExchangeModel.make(topology: topo, parameters: p, initial: InitialState(donorCu: copper))
        let rng = try RandomGenerator(name: rngName, seed: 1)
        var interstitials: [Int] = []
        for x in 0..<topo.siteCount where topo.kinds[x] == .tetra || topo.kinds[x] == .octa { interstitials.append(x) }
        var placed = 0
        while placed < copper && placed < interstitials.count / 2 {
            let x = interstitials[rng.uniformInt(interstitials.count)]
            if m.occupant[x] == .empty { try m.insert(.cu, at: x, classes: &t); placed += 1 }
        }
        let setup = Self.now() - t0
        var engine = Engine(model: m, classes: t, program: try .constant(kelvin: Units.kelvin(celsius: temperature), duration_s: 1e300), rng: rng)
        guard (0...10).contains(lookAhead) else { throw ValidationError("--look-ahead must be in 0...10, got \(lookAhead)") }
        engine.lookAhead = lookAhead
        _ = engine.advance(until: 1e300, maxEvents: 100_000)  // warm-up
        var rates: [Double] = [], cpuRates: [Double] = [], wall = 0.0, cpu = 0.0
        for _ in 0..<repeats {
            let t1 = Self.now(), c1 = Self.cpuNow()
            _ = engine.advance(until: 1e300, maxEvents: events)
            let w = Self.now() - t1, c = Self.cpuNow() - c1
            wall += w; cpu += c
            rates.append(Double(events) / w)
            // Events per CPU second of this process: less sensitive to other jobs on a shared
            // machine (cache sharing still counts).
            cpuRates.append(Double(events) / c)
        }
        try engine.model.checkConservation()
        let rate = Self.median(rates), cpuRate = Self.median(cpuRates)
        let nullFraction = Double(engine.clock.rejections) / Double(engine.clock.rejections + engine.clock.events)
        let rss = Self.peakRSS()
        if json {
            print("""
            {"events_per_second": \(rate), "events_per_cpu_second": \(cpuRate), "repeat_events_per_second": \(rates), "cpu_s": \(cpu), "rng": "\(rngName)", "null_fraction": \(nullFraction), "peak_rss_bytes": \(rss), "sites": \(topo.siteCount), "cation_sites": \(topo.cationSites.count), \
            "cu_interstitials": \(placed), "events": \(events), "wall_s": \(wall), "setup_s": \(setup), "rate_classes": \(engine.classes.classCount), \
            "workload": "cu_hop only, \(phase) \(diameter)x\(length) nm, \(temperature) C"}
            """)
        } else {
            print("sites \(topo.siteCount), Cu_i \(placed), \(repeats) × \(events) events in \(wall) s: median \(rate) events/s (\(cpuRate) per CPU s, \(rngName)); null events \(nullFraction); peak RSS \(rss) bytes; setup \(setup) s")
        }
    }

    /// What `--scenario` measured.
    struct ScenarioMeasurement {
        var events: UInt64, rejections: UInt64
        /// Simulated time at the start (0, or the checkpoint's), the time covered and the end aimed at.
        var start_s: Double, simulated_s: Double, target_s: Double
        var wall_s: Double, cpu_s: Double, setup_s: Double
        var sites: Int, rateClasses: Int
        /// Executed events by type name (types that occurred).
        var eventCounts: [String: UInt64]
        /// The adaptive acceleration's checks and, per family, its smallest scale at the end and
        /// the smallest reached (empty when off).
        var checks: Int
        var scales: [String: (now: Double, reached: Double)]
    }

    /// `--scenario FILE`: the scenario from t = 0 until `minutes` of simulated time or `events`
    /// executed events, whichever comes first (no outputs written). `resuming` DIR (`--resume`,
    /// `path` its input.toml): the same from the checkpoint of the run stopped there, both limits
    /// counted from it.
    func measureScenario(_ path: String, resuming dir: String? = nil) throws -> ScenarioMeasurement {
        guard minutes.isFinite && minutes > 0 else { throw ValidationError("--minutes must be a finite number > 0, got \(minutes)") }
        guard events > 0 else { throw ValidationError("--events must be ≥ 1, got \(events)") }
        let t0 = Self.now()
        var engine: Engine<ExchangeModel>, acceleration: AdaptiveAcceleration, program: TemperatureProgram
        if let dir {
            // As `cekmc run --resume DIR`: the folder's input verbatim, the model built, then restored.
            let text = try InputTable.readText(path: path)
            var config = try ScenarioInput.parse(text, file: path)
            config.effectiveInput = text
            let (topo, d, l) = try LatticeTopology.wire(phase: config.phase, diameter_nm: config.diameter_nm, length_nm: config.length_nm)
            var sim = try Simulation(config: config, topology: topo, diameter_A: d, length_A: l)
            try sim.restore(try Simulation.readCheckpoint(dir))
            guard !sim.isComplete else {
                throw ValidationError("--resume \(dir): that run is complete (t = \(sim.engine.clock.time_s) s, the program's end): nothing left to time")
            }
            (engine, acceleration, program) = (sim.engine, sim.acceleration, config.program)
        } else {
            let config = try ScenarioInput.load(path: path)
            let (topo, _, _) = try LatticeTopology.wire(phase: config.phase, diameter_nm: config.diameter_nm, length_nm: config.length_nm)
            let (m, t) = try ExchangeModel.make(topology: topo, parameters: config.parameters, initial: config.initial)
            engine = Engine(model: m, classes: t, program: config.program,
                            rng: try RandomGenerator(name: config.generator, seed: config.seed))
            acceleration = AdaptiveAcceleration(settings: config.acceleration, model: m)
            program = config.program
        }
        let setup = Self.now() - t0
        let start = engine.clock.time_s, startEvents = engine.clock.events, startRejections = engine.clock.rejections
        let startMix = engine.model.executed, startChecks = acceleration.state.checks
        let until = min(start + Units.seconds(minutes: minutes), program.duration_s)
        let lastEvent = startEvents + events
        let t1 = Self.now(), c1 = Self.cpuNow()
        // As `cekmc run` does: the acceleration checks between engine runs (clock points).
        while engine.clock.events < lastEvent && engine.clock.time_s < until {
            if acceleration.run(&engine, until: until, maxEvents: lastEvent - engine.clock.events) == 0 { break }
        }
        let wall = Self.now() - t1, cpu = Self.cpuNow() - c1
        try engine.model.checkConservation()
        var mix: [String: UInt64] = [:]
        for type in EventType.allCases {
            let k = Int(type.rawValue), n = engine.model.executed[k] - startMix[k]
            if n > 0 { mix[type.name] = n }
        }
        return ScenarioMeasurement(events: engine.clock.events - startEvents, rejections: engine.clock.rejections - startRejections,
                                   start_s: start, simulated_s: engine.clock.time_s - start, target_s: until, wall_s: wall, cpu_s: cpu, setup_s: setup,
                                   sites: engine.model.topo.siteCount, rateClasses: engine.classes.classCount, eventCounts: mix,
                                   checks: acceleration.state.checks - startChecks, scales: acceleration.isActive ? acceleration.familyScales : [:])
    }

    /// Print `measureScenario`'s result (JSON or a text summary).
    func runScenario(_ path: String, resuming dir: String? = nil) throws {
        let r = try measureScenario(path, resuming: dir)
        let done = Double(r.events)
        let nullFraction = Double(r.rejections) / max(Double(r.rejections + r.events), 1)
        let rss = Self.peakRSS()
        if json {
            let mixJSON = r.eventCounts.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \($0.value)" }.joined(separator: ", ")
            let scaleJSON = r.scales.sorted { $0.key < $1.key }
                .map { "\"\($0.key)\": {\"scale_min_now\": \($0.value.now), \"scale_min_reached\": \($0.value.reached)}" }.joined(separator: ", ")
            print("""
            {"events_per_second": \(done / r.wall_s), "events_per_cpu_second": \(done / r.cpu_s), "simulated_seconds": \(r.simulated_s), \
            "simulated_seconds_per_wall_second": \(r.simulated_s / r.wall_s), "start_simulated_seconds": \(r.start_s), "target_simulated_seconds": \(r.target_s), "events": \(r.events), \
            "null_fraction": \(nullFraction), "peak_rss_bytes": \(rss), "sites": \(r.sites), "wall_s": \(r.wall_s), "cpu_s": \(r.cpu_s), \
            "setup_s": \(r.setup_s), "rate_classes": \(r.rateClasses), "event_counts": {\(mixJSON)}, "acceleration_checks": \(r.checks), "acceleration_scales": {\(scaleJSON)}, \
            "workload": "scenario \(path)"}
            """)
        } else {
            print("\(path): \(r.events) events in \(r.wall_s) s (\(done / r.wall_s) events/s), simulated \(r.simulated_s) s from t = \(r.start_s) s toward \(r.target_s) s (\(r.simulated_s / r.wall_s) simulated s per wall s); sites \(r.sites); peak RSS \(rss) bytes; setup \(r.setup_s) s")
            for (k, v) in r.eventCounts.sorted(by: { $0.value > $1.value }) { print("  \(k): \(v)") }
            if !r.scales.isEmpty {
                print("acceleration: \(r.checks) checks; smallest scale per family (now, smallest reached):")
                for (k, v) in r.scales.sorted(by: { $0.key < $1.key }) { print("  \(k): \(v.now) \(v.reached)") }
            }
        }
    }

    static func median(_ x: [Double]) -> Double { SeedAggregate.quantile(x.sorted(), 0.5) }

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }

    /// CPU time of this process in s.
    static func cpuNow() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }

    /// Peak resident set size (VmHWM of /proc/self/status) in bytes; 0 when unavailable.
    static func peakRSS() -> Int {
        guard let s = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in s.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            if parts.count >= 2, let kb = Int(parts[1]) { return kb * 1024 }
        }
        return 0
    }
}
