// The scenario input (`cekmc run INPUT.toml`): wire, temperature program, reservoirs, defects,
// model parameters, event switches and output settings. Every key has a unit in its name, a
// default with its source (docs/model.md), and a range; unknown keys are errors (`finish()`).
// The embedded default scenario (`ScenarioInput.defaultText`) is the first stage of the paper's
// heating programme on a 6 nm × 30 nm zb wire in physical time (about a minute, release build).

import CekmcCore
import Foundation
import KMC

/// Decoder of scenario input files into `KMC.ScenarioConfig`.
public enum ScenarioInput {
    /// Decode a scenario from its root table (reads every key; call `finish()` afterwards, or use
    /// `load(path:)` / `parse(_:file:)`). `effectiveInput` of the result is left empty.
    public static func decode(_ t: InputTable) throws -> ScenarioConfig {
        try InputKind.require(.scenario, in: t)
        let seed = try t.int("seed", default: 1, range: 0...Int.max, doc: "seed of the random generator")
        let generator = try t.string("generator", default: "mt19937", allowed: ["mt19937", "taus2", "ranlxd2"],
                                     doc: "GSL generator")

        // Wire.
        let w = try t.table("wire")
        let phase = try w.choice("phase", default: Phase.zb, doc: "host phase (zb: axis [111]; wz: axis [001])")
        let d = try w.double("diameter_nm", default: 6, range: 0.5...200, unit: "nm", doc: "wire diameter")
        let l = try w.double("length_nm", default: 30, range: 0.5...2000, unit: "nm", doc: "wire length")

        // Temperature program.
        let tp = try t.table("temperature")
        let start = try tp.double("start_C", default: 25, range: -273...3000, unit: "°C", doc: "temperature before the first step")
        func steps(_ tables: [InputTable]) throws -> [TemperatureStep] {
            try tables.map { s in
                let type = try s.string("type", allowed: ["ramp", "hold", "quench", "repeat"], doc: "step type")
                switch type {
                case "ramp":
                    let from = try s.optionalDouble("from_C", range: -273...3000, unit: "°C", doc: "start (default: previous end)")
                    let to = try s.double("to_C", range: -273...3000, unit: "°C", doc: "end temperature")
                    let rate = try s.optionalDouble("rate_C_per_min", range: 1e-9...1e9, unit: "°C/min", doc: "ramp rate")
                    let dur = try s.optionalDouble("duration_min", range: 1e-12...1e9, unit: "min", doc: "ramp duration")
                    if (rate == nil) == (dur == nil) { try s.reject("rate_C_per_min", "give exactly one of rate_C_per_min and duration_min") }
                    return .ramp(fromC: from, toC: to, ratePerMin: rate, durationMin: dur)
                case "hold":
                    let at = try s.optionalDouble("at_C", range: -273...3000, unit: "°C", doc: "hold temperature (default: previous end)")
                    let dur = try s.double("duration_min", range: 1e-12...1e9, unit: "min", doc: "hold duration")
                    return .hold(atC: at, durationMin: dur)
                case "quench":
                    let to = try s.double("to_C", range: -273...3000, unit: "°C", doc: "end temperature")
                    let rate = try s.double("rate_C_per_min", default: 1000, range: 1e-9...1e12, unit: "°C/min", doc: "quench rate")
                    return .quench(toC: to, ratePerMin: rate)
                default:
                    let n = try s.int("times", range: 1...100_000, doc: "number of repetitions")
                    return .repeatSteps(times: n, steps: try steps(try s.tables("steps", required: true)))
                }
            }
        }
        let stepList = try steps(try tp.tables("steps", required: true))
        // A program built from stand-ins of bad values is not checked (its problems are reported);
        // a one-minute hold stands in for it so that the output keys are still read.
        var program = try TemperatureProgram(steps: [.hold(atC: nil, durationMin: 1)], initialC: start)
        if !tp.hasErrors {
            do { program = try TemperatureProgram(steps: stepList, initialC: start) } catch let e as TemperatureProgramError {
                try tp.reject("steps", e.description)
            }
        }

        // Reservoirs and defects.
        let r = try t.table("reservoirs")
        let donor = try r.int("donor_cu", default: 20_000, range: 0...Int(Int32.max),
                              doc: "Cu atoms in the donor pool at t = 0 (model choice: Cu-poor experiments)")
        let df = try t.table("defects")
        let fs = try df.double("surface_vacancy_fraction", default: 0.03, range: 0...1, unit: "",
                               doc: "vacant fraction of surface cation sites (paper MD: 0, 3, 5 %)")
        let fb = try df.double("bulk_vacancy_fraction", default: 0, range: 0...1, unit: "", doc: "vacant fraction of bulk cation sites")
        let sites = try df.ints("vacancy_sites", default: [], range: 0...Int(Int32.max), doc: "extra vacancies by KMC site index")
        let vp = try df.doubles("vacancy_positions_A", default: [], range: -1e6...1e6, unit: "Å",
                                doc: "extra vacancies by position, flat list x1, y1, z1, x2, … (nearest cation within 1 Å)")
        if vp.count % 3 != 0 { try df.reject("vacancy_positions_A", "needs a multiple of 3 numbers (x, y, z per vacancy), got \(vp.count)") }
        let positions = stride(from: 0, to: vp.count - vp.count % 3, by: 3).map { SIMD3(vp[$0], vp[$0 + 1], vp[$0 + 2]) }
        let dseed = try df.int("seed", default: seed, range: 0...Int.max, doc: "seed of the vacancy placement (default: seed)")
        let ini = try t.table("initial")
        let sl = try ini.doubles("cu2se_slabs_nm", default: [], range: 0...1e6, unit: "nm",
                                 doc: "slabs exchanged to Cu₂Se at t = 0, flat list from1, to1, from2, … (nm along the axis from the wire's end)")
        var slabs: [ClosedRange<Double>] = []
        if sl.count % 2 != 0 {
            try ini.reject("cu2se_slabs_nm", "needs pairs of numbers (from, to per slab), got \(sl.count)")
        } else {
            for i in stride(from: 0, to: sl.count, by: 2) {
                if sl[i] < sl[i + 1] { slabs.append(sl[i]...sl[i + 1]); continue }
                try ini.reject("cu2se_slabs_nm", "slab \(i / 2 + 1) runs from \(sl[i]) to \(sl[i + 1]) nm", allowed: "from < to")
            }
        }

        // Model parameters.
        let m = try t.table("model")
        var p = ExchangeParameters.defaults(phase)
        var calibration: PhaseBarriers? = nil
        if let path = try m.optionalString("barrier_file", doc: "barrier file (docs/barrier-file.md) for steps b, c, d and Cu₂Se") {
            // A relative path is read relative to the scenario file's directory (like an include),
            // so a scenario and its barrier file can move together.
            let resolved = ScenarioInput.resolve(path, relativeTo: t.file)
            // The effective input (a run's input.toml, read again on resume from another folder)
            // names the file by its absolute path.
            m.setEffective("barrier_file", string: URL(fileURLWithPath: resolved).standardizedFileURL.path)
            if FileManager.default.fileExists(atPath: resolved) {
                let bf = try BarrierFile.load(path: resolved)
                p.adopt(bf.table, phase: phase)
                calibration = bf.table[phase]
            } else {
                try m.reject("barrier_file", "no such file: \(resolved)", allowed: "a path to a barrier file (absolute, or relative to the scenario file)")
            }
        }
        // Every parameter the event families and the site energies declare, in listing order.
        // A barrier file's end-point energies (delta_E_eV) set the defaults of the site energies
        // they determine, from the values in force of those listed before them.
        for spec in EventCatalog.parameters {
            if let b = calibration, let v = p.calibrated(spec.key, b, cationsPerTetra: phase.cationsAroundTetra) { p[spec.key] = v }
            if spec.isInteger {
                let r = Int(spec.range.lowerBound)...Int(spec.range.upperBound)
                p[spec.key] = Double(try m.int(spec.key, default: Int(p[spec.key]), range: r, doc: spec.doc))
            } else {
                p[spec.key] = try m.double(spec.key, default: p[spec.key], range: spec.range, unit: spec.unit, doc: spec.doc)
            }
        }
        let ev = try m.table("events")
        var enabled = Set<EventFamily>()
        for f in EventFamily.allCases where try ev.bool(f.rawValue, default: p.enabled.contains(f), doc: "switch the \(f.rawValue) event pair") {
            enabled.insert(f)
        }
        p.enabled = enabled
        if enabled.isEmpty && !ev.hasErrors {
            try ev.reject("", "every event family is switched off: nothing could happen",
                          allowed: "at least one of " + EventFamily.allCases.map(\.rawValue).joined(separator: ", ") + " = true")
        }
        let rs = try m.table("rate_scale")
        for f in EventFamily.allCases {
            let v = try rs.double(f.rawValue, default: 1, range: 1e-30...1, unit: "",
                                  doc: "ν multiplier of the \(f.rawValue) pair (acceleration of quasi-equilibrated events; 1 = physical)")
            if v != 1 { p.rateScale[f] = v }
        }
        if !m.hasErrors {
            do { try p.validate() } catch let e as ModelError { try m.reject("", e.description) }
        }

        // Adaptive acceleration (docs/model.md §5).
        let ac = try t.table("acceleration")
        var acc = AccelerationSettings()
        acc.mode = try ac.choice("mode", default: acc.mode, doc: "adaptive scaling of quasi-equilibrated event pairs, or off")
        acc.checkEvents = try ac.int("check_events", default: acc.checkEvents, range: 1...1_000_000_000, doc: "executed events between checks")
        acc.minSeparation = try ac.double("min_separation", default: acc.minSeparation, range: 1...1e9, unit: "",
                                          doc: "window low end, in events of the fastest non-equilibrated process (Prats et al. 2025: 50)")
        acc.maxSeparation = try ac.double("max_separation", default: acc.maxSeparation, range: 1...1e9, unit: "",
                                          doc: "window high end (Prats et al. 2025: 100)")
        acc.tolerance = try ac.double("tolerance", default: acc.tolerance, range: 1e-6...0.49, unit: "",
                                      doc: "partial-equilibrium tolerance on |n_f/(n_f + n_r) − 1/2| (Prats et al. 2025: 0.05)")
        acc.noiseSigmas = try ac.double("noise_sigmas", default: acc.noiseSigmas, range: 0...100, unit: "",
                                        doc: "imbalance within this many standard deviations of counting noise counts as balanced")
        acc.minOccurrences = try ac.int("min_occurrences", default: acc.minOccurrences, range: 1...1_000_000_000,
                                        doc: "fewest events of a pair to judge it (Prats et al. 2025: 10)")
        acc.upscalingFactor = try ac.double("upscaling_factor", default: acc.upscalingFactor, range: 1.000001...1e6, unit: "",
                                            doc: "scale-up factor per check (Prats et al. 2025: 5)")
        acc.upscalingLimit = try ac.double("upscaling_limit", default: acc.upscalingLimit, range: 1.000001...1e9, unit: "",
                                           doc: "largest scale-up per check (Prats et al. 2025: 100)")
        acc.downscalingLimit = try ac.double("downscaling_limit", default: acc.downscalingLimit, range: 1.000001...1e6, unit: "",
                                             doc: "largest scale-down per check (Prats et al. 2025: 2)")
        acc.minScale = try ac.double("min_scale", default: acc.minScale, range: 1e-300...1, unit: "", doc: "smallest scale factor")
        acc.historyChecks = try ac.int("history_checks", default: acc.historyChecks, range: 1...1_000_000,
                                       doc: "checks over which a rare non-equilibrated process's rate is averaged")
        let af = try ac.table("families")
        var scaled: [EventFamily] = []
        for f in EventCatalog.families {
            let key = EventFamily(f.key)
            if try af.bool(f.key, default: acc.families.contains(key), doc: "scale the \(f.key) pairs") { scaled.append(key) }
        }
        acc.families = scaled
        if !ac.hasErrors {
            do { try acc.validate() } catch let e as ModelError { try ac.reject("", e.description) }
        }

        // Output.
        let o = try t.table("output")
        let interval = try o.double("interval_min", default: max(program.duration_s / 60 / 100, 1e-12), range: 1e-15...1e9, unit: "min",
                                    doc: "time between outputs (default: program/100)")
        let outputs = Simulation.outputCount(duration_s: program.duration_s, interval_s: Units.seconds(minutes: interval))
        if outputs > ScenarioInput.maxOutputs, !tp.hasErrors {
            let duration_min = program.duration_s / 60
            let n = outputs == Int.max ? "more than 10^18" : "\(outputs)"
            try o.reject("interval_min", "gives \(n) outputs over the \(duration_min)-min program (at most \(ScenarioInput.maxOutputs): interval_min ≥ \(duration_min / Double(ScenarioInput.maxOutputs - 1)))")
        }
        let maps = try o.int("maps_every", default: 10, range: 0...1_000_000, doc: "projected maps every n outputs (0: never)")
        let snaps = try o.int("snapshots_every", default: 0, range: 0...1_000_000, doc: "XYZ snapshots every n outputs (0: never)")
        let anions = try o.bool("snapshot_anions", default: false, doc: "snapshots also carry the fixed Se frame")
        if anions && snaps == 0 && !o.hasErrors {
            try o.reject("snapshot_anions", "has no effect: no snapshots are written (snapshots_every = 0)", allowed: "false, or snapshots_every ≥ 1")
        }
        let ckpt = try o.int("checkpoint_every", default: 10, range: 0...1_000_000, doc: "checkpoint every n outputs (0: only at stop/end)")
        let verify = try o.int("verify_every", default: 0, range: 0...1_000_000, doc: "incremental-vs-full-recompute check every n outputs (0: off)")
        var obs = ObserverSettings()
        obs.minReversalSites = try o.int("min_reversal_sites", default: obs.minReversalSites, range: 1...Int(Int32.max), doc: "N of spec §6 for reversals")
        obs.spanFraction = try o.double("span_fraction", default: obs.spanFraction, range: 0.01...1, unit: "", doc: "spanning criterion (spec §6: 0.9)")
        obs.mapBinSize_A = Units.angstrom(nm: try o.double("map_bin_nm", default: Units.nm(angstrom: obs.mapBinSize_A), range: 0.01...100, unit: "nm", doc: "projected map bin"))
        obs.profileBinSize_A = Units.angstrom(nm: try o.double("profile_bin_nm", default: Units.nm(angstrom: obs.profileBinSize_A), range: 0.01...1000, unit: "nm", doc: "axial profile bin"))

        var config = ScenarioConfig(
            phase: phase, diameter_nm: d, length_nm: l, parameters: p,
            initial: InitialState(donorCu: donor, surfaceVacancyFraction: fs, bulkVacancyFraction: fb, vacancySites: sites, vacancyPositions: positions, seed: UInt64(dseed),
                                  cu2seSlabs_nm: slabs),
            program: program, outputInterval_s: Units.seconds(minutes: interval), mapsEvery: maps, snapshotsEvery: snaps,
            checkpointEvery: ckpt, verifyEvery: verify, seed: UInt64(seed), generator: generator, observer: obs)
        config.acceleration = acc
        config.snapshotAnions = anions
        return config
    }

    /// Most outputs a run may write (t = 0 and the end included): `output.interval_min` giving more is refused.
    public static let maxOutputs = 100_000

    /// Load, decode and check a scenario file; the result carries its effective TOML.
    public static func load(path: String) throws -> ScenarioConfig {
        try finish(try InputTable.load(path: path))
    }

    /// As `load(path:)` for text in memory.
    public static func parse(_ text: String, file: String) throws -> ScenarioConfig {
        try finish(try InputTable.parse(text, file: file))
    }

    static func finish(_ t: InputTable) throws -> ScenarioConfig {
        var c = try t.collectingErrors { try decode(t) }
        c.effectiveInput = t.effectiveTOML()
        return c
    }

    /// The embedded default scenario (= inputs/default-zb-ramp.toml): the paper's ramp to 125 °C and a
    /// 10-min hold on a 6 nm × 30 nm zb wire, in physical time with the default model.
    public static let defaultText = """
    # cekmc default scenario (also embedded: `cekmc run` with no input): the first stage of the paper's
    # stepped heating programme (Casu et al. 2023) in physical time on a 6 nm × 30 nm zb wire — ramp from
    # room temperature to 125 °C at 20 °C/min, then hold 10 min — with every model parameter at its
    # default (docs/model.md §4, §6) and the default adaptive acceleration (docs/model.md §5). The shell
    # forms during the ramp and fills during the hold. About a minute in a release build; the whole
    # programme on the full wire is inputs/zb-ramp.toml, whose hotter holds cost far more
    # (docs/performance.md).
    kind = "scenario"
    seed = 1

    [wire]
    phase = "zb"
    diameter_nm = 6.0
    length_nm = 30.0

    [temperature]
    start_C = 25.0
    [[temperature.steps]]
    type = "ramp"
    to_C = 125.0
    rate_C_per_min = 20.0
    [[temperature.steps]]
    type = "hold"
    duration_min = 10.0

    [reservoirs]
    donor_cu = 20000

    [defects]
    surface_vacancy_fraction = 0.03

    [output]
    interval_min = 1.0
    maps_every = 5
    snapshots_every = 5
    checkpoint_every = 5
    """
}

extension ScenarioInput {
    /// `path` if absolute; otherwise `path` relative to the directory of `file` (the scenario file).
    static func resolve(_ path: String, relativeTo file: String) -> String {
        if path.hasPrefix("/") { return path }
        let dir = (file as NSString).deletingLastPathComponent
        return dir.isEmpty ? path : (dir as NSString).appendingPathComponent(path)
    }
}
