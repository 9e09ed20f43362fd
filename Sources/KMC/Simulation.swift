// A complete KMC run: wire → model → engine, observer passes at output times, outputs, periodic
// checkpoints, stop on request (signal / event limit) with a checkpoint, and exact resume.
//
// Determinism: the engine's state is (configuration, class member lists in order, clock/window,
// generator state). Checkpoints store all of it, so a stopped and resumed run executes the same
// events at the same times as an uninterrupted one. Runs are chunked by event counts only to poll
// the stop flag; chunking does not change the random stream (see Engine.run). The observer's
// domain-tracking memory (ids and histories of the last output's domains) is in the checkpoint too,
// and on resume the output tables are reloaded up to the checkpoint time, so every output file
// (timing fields aside) is byte-identical to an uninterrupted run's, wherever the stop fell.
//
// Conservation: at every output the Cu and Cd totals of the (already needed) O(N) atom count are
// compared with the initial totals; every checkpoint also runs the model's full check
// (`checkConservation`). A violation throws `ModelError` and ends the run.

import CekmcCore
import Foundation
import GSL

/// Everything a run needs, decoded from a scenario input.
public struct ScenarioConfig: Sendable {
    /// Host phase.
    public var phase: Phase
    /// Wire diameter and length, nm.
    public var diameter_nm: Double
    public var length_nm: Double
    /// Model parameters.
    public var parameters: ExchangeParameters
    /// Initial state (donor inventory, vacancies).
    public var initial: InitialState
    /// Temperature program.
    public var program: TemperatureProgram
    /// Time between outputs, s.
    public var outputInterval_s: Double
    /// Write projected maps every n outputs (0: never).
    public var mapsEvery: Int
    /// Write an XYZ snapshot every n outputs (0: never).
    public var snapshotsEvery: Int
    /// Write a checkpoint every n outputs (0: only on stop and at the end).
    public var checkpointEvery: Int
    /// Check incremental classes against a full recompute every n outputs (0: never).
    public var verifyEvery: Int
    /// Seed and generator name.
    public var seed: UInt64
    public var generator: String
    /// Observer settings.
    public var observer: ObserverSettings
    /// The effective input as TOML text (kept in summary.json and in the output directory).
    public var effectiveInput: String
    /// Adaptive acceleration (`[acceleration]`).
    public var acceleration = AccelerationSettings()
    /// Whether snapshots also carry the fixed Se frame (`output.snapshot_anions`).
    public var snapshotAnions = false

    public init(phase: Phase, diameter_nm: Double, length_nm: Double, parameters: ExchangeParameters,
                initial: InitialState, program: TemperatureProgram, outputInterval_s: Double,
                mapsEvery: Int = 0, snapshotsEvery: Int = 0, checkpointEvery: Int = 0, verifyEvery: Int = 0,
                seed: UInt64 = 1, generator: String = "mt19937", observer: ObserverSettings = ObserverSettings(),
                effectiveInput: String = "") {
        self.phase = phase; self.diameter_nm = diameter_nm; self.length_nm = length_nm
        self.parameters = parameters; self.initial = initial; self.program = program
        self.outputInterval_s = outputInterval_s; self.mapsEvery = mapsEvery; self.snapshotsEvery = snapshotsEvery
        self.checkpointEvery = checkpointEvery; self.verifyEvery = verifyEvery; self.seed = seed
        self.generator = generator; self.observer = observer; self.effectiveInput = effectiveInput
    }
}

/// Saved engine + model state (checkpoint.json in the output directory).
public struct Checkpoint: Codable, Sendable {
    /// Format version (2: rate classes, hop environments and atom ids are stored; 3: class
    /// capacities and the generator's buffered uniforms; 4: the hold clock's product, rate and
    /// threshold in `clock`; 5: the count clock in `clock` and its generator, `clockGenerator`).
    public var version = 5
    /// Site count and class count of the model (consistency checks).
    public var siteCount: Int
    public var classCount: Int
    /// Occupancy bytes.
    public var occupancy: Data
    /// Pools and totals.
    public var donorCu: Int, escapedCd: Int, initialCu: Int, initialCd: Int, extraCd: Int
    /// Executed events per type.
    public var executed: [UInt64]
    /// Engine clock/window.
    public var clock: ClockState
    /// Generator state.
    public var generator: GeneratorState
    /// The hold clock's generator state (`Engine.clockRng`).
    public var clockGenerator: GeneratorState
    /// Uniforms drawn from the generator but not yet used (Double bit patterns, oldest first).
    public var uniforms: [UInt64]
    /// Capacity of each rate class (bounded thinning; see RateClassTable).
    public var capacities: [Int]
    /// Class member lists (Int32 little-endian bytes per class), in order.
    public var members: [Data]
    /// All rate classes in id order (composite hop classes are created during a run).
    public var classes: [RateClassInfo]
    /// Hop-environment keys in id order (UInt64 little-endian bytes).
    public var hopEnvironments: Data
    /// Sites of the mobile interstitial atoms in atom-id order (Int32 little-endian bytes).
    public var atoms: Data
    /// Reservoir counts of the class table.
    public var reservoirs: [Int]
    /// Index of the next output.
    public var nextOutput: Int
    /// Observer memory (domain ids and histories) as of the last output; nil in checkpoints written
    /// before it was saved (domain ids then restart from scratch).
    public var observer: WireObserver.State?
    /// The adaptive acceleration's state and the per-class event counters it reads (absent: no
    /// scaling, counters zero).
    public var acceleration: AccelerationState? = nil
    public var classEventCounts: [UInt64]? = nil
    /// The per-channel event counters of the composite classes (with `acceleration`).
    public var channelEventCounts: [UInt64]? = nil
    /// The effective input (input.toml) the run was started with; `restore` refuses a run whose
    /// input differs. nil in checkpoints written before it was saved (not checked then).
    public var input: String? = nil
}

/// Why a run ended.
public enum RunEnd: Sendable, Equatable {
    /// The temperature program finished.
    case completed
    /// Stopped on request (signal or event limit) after writing a checkpoint.
    case stopped
}

/// One run of a scenario.
public struct Simulation {
    /// Configuration.
    public let config: ScenarioConfig
    /// Topology.
    public let topology: LatticeTopology
    /// Engine (model + classes + clock + generator).
    public var engine: Engine<ExchangeModel>
    /// The adaptive acceleration's controller (inactive with `[acceleration] mode = "off"`).
    public var acceleration: AdaptiveAcceleration
    /// Cation sites in frame order and the observer.
    public var observer: WireObserver
    /// Next output index (output k is at time k·Δt).
    public var nextOutput = 0
    /// The axial profile filled at each output (bins over every site's z).
    var profile: AxialProfile
    /// The fixed Se frame written into snapshots (`config.snapshotAnions` with snapshots on), else nil.
    var anionFrame: AnionFrame?
    /// Wire dimensions used by the observer, Å.
    public let diameter_A: Double, length_A: Double

    /// Build a fresh run (t = 0) on `topology`.
    public init(config: ScenarioConfig, topology: LatticeTopology, diameter_A: Double, length_A: Double) throws {
        self.config = config
        self.topology = topology
        self.diameter_A = diameter_A
        self.length_A = length_A
        let (m, t) = try ExchangeModel.make(topology: topology, parameters: config.parameters, initial: config.initial)
        let rng = try RandomGenerator(name: config.generator, seed: config.seed)
        engine = Engine(model: m, classes: t, program: config.program, rng: rng)
        acceleration = AdaptiveAcceleration(settings: config.acceleration, model: m)
        // Cation frame with cation-local indices.
        let cat = topology.cationSites
        var local = [Int32](repeating: -1, count: topology.siteCount)
        for (k, c) in cat.enumerated() { local[Int(c)] = Int32(k) }
        var off: [Int32] = [0]
        var nb: [Int32] = []
        for c in cat {
            for e in topology.cationNN.range(Int(c)) { nb.append(local[Int(topology.cationNN.targets[e])]) }
            off.append(Int32(nb.count))
        }
        let frame = try CationFrame(positions: cat.map { topology.positions[Int($0)] }, diameter_A: diameter_A,
                                    length_A: length_A, neighborOffsets: off, neighbors: nb, axisCenter: SIMD2(0, 0))
        observer = try WireObserver(frame: frame, settings: config.observer)
        var z0 = Double.infinity, z1 = -Double.infinity
        for p in topology.positions { z0 = min(z0, p.z); z1 = max(z1, p.z) }
        if !z0.isFinite { z0 = 0; z1 = 0 }
        profile = AxialProfile(zMin_A: z0, zMax_A: z1, bin_A: config.observer.profileBinSize_A)
        if config.snapshotAnions && config.snapshotsEvery > 0 {
            let anions = try LatticeTopology.wireAnions(phase: config.phase, diameter_nm: config.diameter_nm, length_nm: config.length_nm)
            anionFrame = try AnionFrame(anions: anions, cations: cat.map { topology.positions[Int($0)] }, phase: config.phase)
        }
    }

    /// Fills `profile` with the current occupancy. O(N).
    mutating func measureProfile() {
        profile.reset()
        let m = engine.model
        for x in 0..<topology.siteCount {
            let z = topology.positions[x].z
            let o = m.occupant[x]
            switch topology.kinds[x] {
            case .cation:
                profile.add(.cationSites, z_A: z)
                if o == Occupant.cu { profile.add(.cuCation, z_A: z) } else if o == Occupant.cd { profile.add(.cdCation, z_A: z) }
            case .tetra, .octa:
                if o == Occupant.cu { profile.add(.cuInterstitial, z_A: z) } else if o == Occupant.cd { profile.add(.cdInterstitial, z_A: z) }
            case .shell:
                if o == Occupant.cu { profile.add(.shellCu, z_A: z) }
            }
        }
    }

    /// Output times: k·Δt, capped at the program end.
    func outputTime(_ k: Int) -> Double { min(Double(k) * config.outputInterval_s, config.program.duration_s) }

    /// Number of outputs (including t = 0 and the end).
    var outputCount: Int { Simulation.outputCount(duration_s: config.program.duration_s, interval_s: config.outputInterval_s) }

    /// Outputs of a program of `duration_s` written every `interval_s` (t = 0 and the end included),
    /// saturating at `Int.max` instead of trapping.
    public static func outputCount(duration_s: Double, interval_s: Double) -> Int {
        let n = (duration_s / interval_s).rounded(.up) + 1
        return n.isFinite && n < 9e18 ? Int(n) : Int.max
    }

    /// Extra timeseries columns written by the run.
    public static let extraColumns = ["donor_cu", "escaped_cd", "shell_cu", "cu_cation", "vacancies", "rejections"]

    /// Whether the temperature program has finished: every output, the last at the program end, is
    /// done (true after `restore` from the checkpoint a completed run writes at its end).
    public var isComplete: Bool { nextOutput >= outputCount }

    /// Run (or continue) until the program ends, `stopAfterEvents` events have been executed in this
    /// call, or `shouldStop()` returns true (checked every ~1 M events). Writes outputs to `dir`.
    /// Resuming a run that is already complete (`isComplete`) simulates nothing: it rewrites
    /// summary.json and timing.json from the restored state (the checkpoint is left as it is) and
    /// returns `.completed`.
    public mutating func run(outputDirectory dir: String, resuming: Bool = false, stopAfterEvents: UInt64? = nil,
                             progress: ProgressReporter? = nil, shouldStop: () -> Bool = { false }) throws -> RunEnd {
        let started = RunTiming.now()
        let wall0 = Simulation.wallClock()
        let alreadyComplete = resuming && isComplete   // checkpoint at the program end: nothing left to simulate
        var outputWall = 0.0
        var output = try RunOutput(directory: dir, extraTimeseriesColumns: Simulation.extraColumns,
                                   resumeAt_s: resuming ? engine.clock.time_s : nil)
        if !resuming { try AtomicFile.write(Array(config.effectiveInput.utf8), to: dir + "/input.toml") }
        var progress = progress
        var budget = stopAfterEvents ?? .max
        let eventsAtStart = engine.clock.events
        let chunk: UInt64 = 1 << 20
        while nextOutput < outputCount {
            let target = outputTime(nextOutput)
            while engine.clock.time_s < target {
                if budget == 0 || shouldStop() {
                    progress?.endLine()
                    try writeCheckpoint(dir)
                    return .stopped
                }
                budget -= acceleration.run(&engine, until: target, maxEvents: min(chunk, budget))
                if var p = progress {
                    _ = p.update(time_s: engine.clock.time_s, temperature_C: Units.celsius(kelvin: engine.temperature),
                                 exchangedFraction: exchangedFraction(), events: Int(engine.clock.events))
                    progress = p
                }
            }
            let w0 = Simulation.wallClock()
            try observe(into: &output)
            nextOutput += 1
            if config.verifyEvery > 0 && nextOutput % config.verifyEvery == 0 {
                try engine.model.verifyIncremental(engine.classes)
                try engine.model.checkConservation()
            }
            if config.checkpointEvery > 0 && nextOutput % config.checkpointEvery == 0 { try writeCheckpoint(dir) }
            outputWall += Simulation.wallClock() - w0
        }
        if alreadyComplete {
            // summary.json needs the final observation; recompute it from the restored state.
            try engine.model.checkConservation()
            lastObservation = observationOfCurrentState()
        } else {
            try writeCheckpoint(dir)
        }
        if !alreadyComplete, var p = progress {
            p.finish(time_s: engine.clock.time_s, temperature_C: Units.celsius(kelvin: engine.temperature),
                     exchangedFraction: exchangedFraction(), events: Int(engine.clock.events))
        }
        let wall = Simulation.wallClock() - wall0
        let timing = RunTiming(wallTime_s: wall, events: Int(engine.clock.events - eventsAtStart),
                               outputTime_s: outputWall, startedAt: started, finishedAt: RunTiming.now(),
                               resumed: resuming)
        try writeSummary(output, timing: timing)
        try output.writeTiming(timing)
        return .completed
    }

    /// Exchanged fraction now. O(N_cation).
    public func exchangedFraction() -> Double {
        var cu = 0
        for c in topology.cationSites where engine.model.occupant[Int(c)] == Occupant.cu { cu += 1 }
        return Double(cu) / Double(max(topology.cationSites.count, 1))
    }

    mutating func observe(into output: inout RunOutput) throws {
        let m = engine.model
        let codes = topology.cationSites.map { m.occupant[Int($0)].rawValue }
        let a = m.counts()
        // O(1) on top of the count: totals must equal the initial ones at every output.
        if a.cu != m.initialCu || a.cd != m.initialCd + m.extraCd {
            throw ModelError("conservation violated at output \(nextOutput) (t = \(engine.clock.time_s) s, \(engine.clock.events) events): Cu \(a.cu) (initial \(m.initialCu)) = pool \(a.cuPool) + shell \(a.cuShell) + interstitial \(a.cuInterstitial) + cation \(a.cuCation); Cd \(a.cd) (initial \(m.initialCd + m.extraCd)) = cation \(a.cdCation) + interstitial \(a.cdInterstitial) + escaped \(a.cdEscaped); stopping")
        }
        var vac: [SIMD3<Double>] = []
        for c in topology.cationSites where m.occupant[Int(c)] == Occupant.empty && topology.catShell.range(Int(c)).count > 0 {
            vac.append(topology.positions[Int(c)])
        }
        let t = engine.clock.time_s
        let tc = Units.celsius(kelvin: config.program.temperature(at: t))
        let o = observer.observe(time_s: t, temperature_C: tc, cationCodes: codes, shellCopper: a.cuShell, surfaceVacancies: vac)
        measureProfile()
        try output.record(o, cuInterstitials: a.cuInterstitial, cdInterstitials: a.cdInterstitial, events: Int(engine.clock.events),
                          extra: [Double(a.cuPool), Double(a.cdEscaped), Double(a.cuShell), Double(a.cuCation), Double(a.vacancies),
                                  Double(engine.clock.rejections)], profile: profile)
        lastObservation = o
        let k = nextOutput
        if config.mapsEvery > 0 && k % config.mapsEvery == 0 {
            observer.projectCations(codes: codes)
            var cuPos: [SIMD3<Double>] = []
            for x in 0..<topology.siteCount where topology.kinds[x] != .cation && m.occupant[x] == Occupant.cu { cuPos.append(topology.positions[x]) }
            observer.cuMap.add(positions: cuPos)
            _ = try output.writeMaps(cu: observer.cuMap, cd: observer.cdMap, time_s: t, temperature_C: tc)
        }
        if config.snapshotsEvery > 0 && k % config.snapshotsEvery == 0 {
            try output.writeSnapshot(snapshotFrame(time_s: t, temperature_C: tc))
        }
    }

    /// The latest observation.
    public private(set) var lastObservation: Observation?

    /// The observation of the current state as an output at this time would make it, computed on a
    /// copy of the observer (its domain memory, e.g. restored from a checkpoint, is not advanced).
    /// Domain events and entries are relative to the observer's last pass. O(N).
    func observationOfCurrentState() -> Observation {
        let m = engine.model
        let codes = topology.cationSites.map { m.occupant[Int($0)].rawValue }
        var vac: [SIMD3<Double>] = []
        for c in topology.cationSites where m.occupant[Int(c)] == Occupant.empty && topology.catShell.range(Int(c)).count > 0 {
            vac.append(topology.positions[Int(c)])
        }
        let t = engine.clock.time_s
        var copy = observer
        return copy.observe(time_s: t, temperature_C: Units.celsius(kelvin: config.program.temperature(at: t)), cationCodes: codes,
                            shellCopper: m.counts().cuShell, surfaceVacancies: vac)
    }

    func writeSummary(_ output: RunOutput, timing: RunTiming? = nil) throws {
        guard let o = lastObservation else { return }
        let a = engine.model.counts()
        var counts: [String: Int] = [:]
        for t in EventType.allCases { counts[t.name] = Int(engine.model.executed[Int(t.rawValue)]) }
        let fin = FinalObservables(o, cuInterstitials: a.cuInterstitial, cdInterstitials: a.cdInterstitial,
                                   domainEvents: output.domainEventTotals)
        var extra: [String: JSONValue] = [:]
        extra["sites"] = .int(topology.siteCount)
        extra["cation_sites"] = .int(topology.cationSites.count)
        extra["shell_sites"] = .int(topology.kinds.reduce(0) { $0 + ($1 == .shell ? 1 : 0) })
        extra["rate_classes"] = .int(engine.classes.classCount)
        extra["rejections"] = .int(Int(engine.clock.rejections))
        extra["donor_cu_left"] = .int(a.cuPool)
        extra["escaped_cd"] = .int(a.cdEscaped)
        if acceleration.isActive {
            // Per family: its executed events, whether it may be scaled, and the range of its
            // groups' scales now and the smallest reached.
            var scales: [String: JSONValue] = ["checks": .int(acceleration.state.checks)]
            let scalable = Set(config.acceleration.families.map(\.rawValue))
            let ranges = acceleration.familyScaleRanges
            for f in EventCatalog.families where config.parameters.enabled.contains(EventFamily(f.key)) {
                let events = f.directions.reduce(0) { $0 + (counts[$1.name] ?? 0) }
                var o: [String: JSONValue] = ["events": .int(events), "scaled": .bool(scalable.contains(f.key))]
                if let r = ranges[f.key] {
                    o["scale_min_now"] = .double(r.min); o["scale_max_now"] = .double(r.max); o["scale_min_reached"] = .double(r.reached)
                }
                scales[f.key] = .object(o)
            }
            extra["acceleration"] = .object(scales)
        }
        let summary = RunSummary(program: "cekmc \(KMCInfo.version)", effectiveInput: config.effectiveInput, seed: config.seed,
                                 generator: config.generator, simulatedTime_s: engine.clock.time_s,
                                 totalEvents: Int(engine.clock.events), eventCounts: counts, finalObservables: fin,
                                 extra: extra, timing: timing)
        try output.writeSummary(summary)
    }

    // MARK: checkpoints

    /// The checkpoint of the current state.
    public func checkpoint() -> Checkpoint {
        let m = engine.model, t = engine.classes
        return Checkpoint(
            siteCount: topology.siteCount, classCount: t.classCount, occupancy: Data(m.occupancyBytes),
            donorCu: m.donorCu, escapedCd: m.escapedCd, initialCu: m.initialCu, initialCd: m.initialCd, extraCd: m.extraCd,
            executed: m.executed, clock: engine.clock, generator: engine.rng.saveState(),
            clockGenerator: engine.clockRng.saveState(),
            uniforms: engine.stream.backlog, capacities: t.capacity,
            members: t.members.map { list in list.withUnsafeBufferPointer { Data(buffer: $0) } },
            classes: t.info,
            hopEnvironments: m.envKeys.withUnsafeBufferPointer { Data(buffer: $0) },
            atoms: m.atomSite.withUnsafeBufferPointer { Data(buffer: $0) },
            reservoirs: t.reservoirCount, nextOutput: nextOutput, observer: observer.exportState(),
            acceleration: acceleration.isActive ? acceleration.state : nil,
            classEventCounts: acceleration.isActive ? t.executedCount : nil,
            channelEventCounts: acceleration.isActive ? t.channelExecuted : nil,
            input: config.effectiveInput)
    }

    /// Write checkpoint.json into `dir` (atomically), after the model's full conservation check. O(N).
    public func writeCheckpoint(_ dir: String) throws {
        try engine.model.checkConservation()
        try JSONOutput.write(checkpoint(), to: dir + "/checkpoint.json")
    }

    /// Restore a checkpoint into this (freshly built) run.
    public mutating func restore(_ c: Checkpoint) throws {
        guard c.version == 5 else { throw CheckpointError("checkpoint format \(c.version) is not the format of this version (5); rerun without --resume") }
        if let input = c.input, input != config.effectiveInput {
            throw CheckpointError("it was written by a run of a different input (\(Simulation.firstDifference(config.effectiveInput, input, labels: ("now", "in the checkpoint"))))")
        }
        guard c.siteCount == topology.siteCount, c.classCount == c.classes.count else {
            throw CheckpointError("checkpoint does not match the scenario (sites \(c.siteCount) vs \(topology.siteCount))")
        }
        var m = engine.model, t = engine.classes
        // Class and environment ids first (they are interning order), then the configuration.
        try t.restoreClasses(c.classes)
        let keys: [UInt64] = c.hopEnvironments.withUnsafeBytes { Array($0.bindMemory(to: UInt64.self)) }
        try m.importEnvironments(keys, classes: &t)
        let atoms: [Int32] = c.atoms.withUnsafeBytes { Array($0.bindMemory(to: Int32.self)) }
        try m.setConfiguration(occupancy: c.occupancy.map(Occupant.init(rawValue:)), donorCu: c.donorCu, escapedCd: c.escapedCd, resetTotals: false,
                               atoms: atoms, classes: &t)
        m.initialCu = c.initialCu; m.initialCd = c.initialCd; m.extraCd = c.extraCd
        m.executed = c.executed
        let lists: [[Int32]] = c.members.map { d in
            d.withUnsafeBytes { raw in Array(raw.bindMemory(to: Int32.self)) }
        }
        try t.restore(members: lists, capacities: c.capacities, reservoirs: c.reservoirs, kelvin: c.clock.boundKelvin)
        try engine.rng.restoreState(c.generator)
        try engine.clockRng.restoreState(c.clockGenerator)
        try engine.stream.restore(backlog: c.uniforms)
        if let saved = c.acceleration {
            try acceleration.restore(saved, &t)
            guard let counts = c.classEventCounts, counts.count == t.classCount else {
                throw CheckpointError("checkpoint acceleration counters do not match its rate classes")
            }
            t.executedCount = counts
            guard let channels = c.channelEventCounts, channels.count == t.channelExecuted.count else {
                throw CheckpointError("checkpoint acceleration channel counters do not match its rate classes")
            }
            t.channelExecuted = channels
        }
        engine.model = m
        engine.classes = t
        engine.clock = c.clock
        nextOutput = c.nextOutput
        if let o = c.observer { try observer.restore(o) }
        try m.verifyIncremental(t)
    }

    /// Read `dir/checkpoint.json`.
    /// - Throws: `CheckpointError` naming the file and what is wrong (missing, unreadable, not JSON,
    ///   truncated, a missing or mistyped field).
    public static func readCheckpoint(_ dir: String) throws -> Checkpoint {
        let path = dir + "/checkpoint.json"
        let bytes: [UInt8]?
        do { bytes = try AtomicFile.read(path) } catch let e as OutputError {
            throw CheckpointError("\(e)")
        }
        guard let bytes else { throw CheckpointError("\(path): no such file (a run writes it every checkpoint_every outputs, on a stop and at the end)") }
        do {
            return try JSONDecoder().decode(Checkpoint.self, from: Data(bytes))
        } catch let e as DecodingError {
            throw CheckpointError("\(path): not a readable checkpoint: \(describe(e)) (\(bytes.count) bytes)")
        }
    }

    /// One line for a checkpoint decoding error: what is wrong and at which field.
    static func describe(_ e: DecodingError) -> String {
        func at(_ path: [any CodingKey]) -> String {
            path.isEmpty ? "" : " at '" + path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".") + "'"
        }
        switch e {
        case let .keyNotFound(key, c): return "missing field '\(key.stringValue)'\(at(c.codingPath))"
        case let .valueNotFound(type, c): return "null where a \(type) is expected\(at(c.codingPath))"
        case let .typeMismatch(type, c): return "expected a \(type)\(at(c.codingPath))"
        case let .dataCorrupted(c):
            if c.codingPath.isEmpty { return "not valid JSON (truncated or damaged file)" }
            return "invalid value\(at(c.codingPath)): \(c.debugDescription)"
        @unknown default: return "\(e)"
        }
    }

    /// "line N: `a` LABEL-A, `b` LABEL-B" for the first line where two texts differ (lines that are
    /// comments in both are skipped unless nothing else differs).
    public static func firstDifference(_ a: String, _ b: String, labels: (String, String)) -> String {
        let la = a.split(separator: "\n", omittingEmptySubsequences: false)
        let lb = b.split(separator: "\n", omittingEmptySubsequences: false)
        for i in 0..<max(la.count, lb.count) {
            let x = i < la.count ? String(la[i]) : "(end of file)"
            let y = i < lb.count ? String(lb[i]) : "(end of file)"
            if x != y && !(x.hasPrefix("#") && y.hasPrefix("#")) { return "line \(i + 1): `\(x)` \(labels.0), `\(y)` \(labels.1)" }
        }
        for i in 0..<max(la.count, lb.count) {
            let x = i < la.count ? String(la[i]) : "(end of file)"
            let y = i < lb.count ? String(lb[i]) : "(end of file)"
            if x != y { return "line \(i + 1): `\(x)` \(labels.0), `\(y)` \(labels.1)" }
        }
        return "same lines"
    }

    /// Monotonic wall-clock seconds (for deadlines).
    public static func monotonicSeconds() -> Double { wallClock() }

    static func wallClock() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }
}

/// Version information of the KMC module.
public enum KMCInfo {
    /// Version string.
    public static let version = "0.1.0"
}
