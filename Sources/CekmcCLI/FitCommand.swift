// `cekmc fit FIT.toml --out DIR`: adjusts free scenario parameters to facts by nonlinear least
// squares on seed-averaged observables, with common random numbers (docs/fit.md).
//
//   point θ   → the scenario with θ set (DIR/points/p_NNN/scenario.toml), run for every seed of the fit
//               file (`cekmc run … --seeds …`, DIR/points/p_NNN/seed_K) — the same seeds at every point
//   observable → mean over seeds m_i(θ) and its standard error s_i (sample sd / √n; 0 for one seed)
//   residual   r_i = (m_i(θ) − y_i) / √(σ_i² + s_i²)          (y_i, σ_i: the target and its uncertainty)
//   fitted in  u = log10 θ (scale "log") or u = θ ("linear"); bounds clamp θ, and the report flags it
//   Jacobian   forward differences in u with the parameter's `step`, on the same seeds: the common
//              random numbers cancel most of the run-to-run noise in m(θ + h) − m(θ); denominators are
//              the base point's, J_ij = (m_i(u + h_j) − m_i(u)) / (h_j · √(σ_i² + s_i²))
//   solver     GSL's trust-region Levenberg–Marquardt (`NonlinearFit.leastSquares`, gsl_multifit_nlinear)
//   errors     C_u = (JᵀJ)⁻¹ at the solution; a log parameter's one-sigma interval is 10^(u ± σ_u)
//
// Points are numbered in the order the solver asks for them; a point already run (same scenario
// text, complete seeds) is read back, so the same command line continues an interrupted fit and a
// finished fit re-reports without running anything. Writes DIR/fit.json (every point, the fitted
// values, residuals, predictions) and DIR/parameters-fitted.toml (the fitted keys, ready to paste
// into a scenario, with their provenance).

import ArgumentParser
import Foundation
import GSL
import InputFiles
import KMC

struct FitCommand: ReportingCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit",
        abstract: "Fit free scenario parameters to facts (GSL nonlinear least squares on seed-averaged runs, common random numbers).",
        discussion: """
        FIT.toml (kind = "fit") names the scenario, the seeds every parameter point is run with, the free
        parameters (scenario keys, bounds, log or linear), the targets (observable, value, uncertainty) and
        the predictions (observables only reported). Writes DIR/fit.json and DIR/parameters-fitted.toml;
        every run is kept in DIR/points/p_NNN/seed_K, and the same command continues an interrupted fit.
        Format and method: docs/fit.md. Exit status: 0 fitted (converged or not: the report says),
        1 a run failed, 2 bad input.
        """)

    @Argument(help: "Fit file (kind = \"fit\").") var input: String
    @Option(help: "Output directory (default: out/fit).") var out: String = "out/fit"
    @Option(help: "Seeds run at a time (default: the machine's cores).") var jobs: Int?
    @Flag(help: "No progress lines.") var quiet = false

    func validate() throws { if let jobs, jobs < 1 { throw ValidationError("--jobs \(jobs): must be ≥ 1") } }

    func run(console: Console) throws -> Int32 {
        let fit = try FitInput.load(path: input)
        let base = URL(fileURLWithPath: input).deletingLastPathComponent()
        let scenarioPath = fit.scenario.hasPrefix("/") ? fit.scenario : base.appendingPathComponent(fit.scenario).path
        guard FileManager.default.fileExists(atPath: scenarioPath) else {
            throw CLIFailure.badInput("\(input): scenario = \"\(fit.scenario)\": no such file (\(scenarioPath))")
        }
        let scenarioText = try InputTable.readText(path: scenarioPath)
        let config = try ScenarioInput.parse(scenarioText, file: scenarioPath)
        let effective = config.effectiveInput
        // Every observable must be one a run writes.
        for (label, o) in fit.targets.enumerated().map({ ("target[\($0.offset)]", $0.element.observable) })
            + fit.predictions.enumerated().map({ ("prediction[\($0.offset)]", $0.element.observable) }) {
            if let problem = Self.problem(with: o, duration_s: config.program.duration_s) {
                throw CLIFailure.badInput("\(input): \(label).observable = \"\(o)\": \(problem)")
            }
        }
        // Every key must exist and every bound must be a valid scenario value: checked before any run.
        for (i, p) in fit.parameters.enumerated() {
            for v in [p.start, p.min, p.max] {
                guard let text = FitRunner.setting(effective, key: p.key, to: v) else {
                    throw CLIFailure.badInput("\(input): parameter[\(i)].key = \"\(p.key)\": no such numeric key in the effective input of \(fit.scenario) (allowed: a key `section.name = number` of `cekmc validate \(fit.scenario) --print-effective`)")
                }
                do { _ = try ScenarioInput.parse(text, file: "\(fit.scenario) with \(p.key) = \(v)") } catch {
                    throw CLIFailure.badInput("\(input): parameter[\(i)]: the scenario refuses \(p.key) = \(v): \(error)")
                }
            }
        }
        try AtomicFile.createDirectory(out)
        var runner = FitRunner(fit: fit, effectiveScenario: effective, directory: out, jobs: jobs, log: { line in
            if !quiet { console.err(line) }
        })
        let report: FitReport
        do { report = try runner.fit(fitFile: input) } catch let e as FitRunFailure {
            let signal = StopFlag.requested
            if signal != 0 {
                throw CLIFailure(message: "stopped by \(StopFlag.name(signal)) at point \(runner.points.count) with the runs' checkpoints; the same command continues the fit",
                                 status: ExitStatus.stopped(bySignal: signal))
            }
            throw CLIFailure.runFailure("error: \(e.message)")
        }
        try JSONOutput.write(report, to: out + "/fit.json")
        try AtomicFile.write(Array(report.parametersTOML(fitFile: input, scenario: fit.scenario).utf8), to: out + "/parameters-fitted.toml")
        console.out(report.text(fitFile: input, directory: out))
        return ExitStatus.success
    }
}

extension FitCommand {
    /// Numbers of summary.json a fit may use: `final.*`, `event_counts.<event>`, `extra.*`, `simulated_time_s`.
    static let finalKeys: Set<String> = ["time_s", "temperature_C", "exchanged_fraction", "exchanged_volume_nm3", "shell_cu_per_nm",
                                         "n_domains", "n_cu_interstitial", "n_cd_interstitial"]

    /// Why a run cannot give `o` (nil: it can), for a program of `duration_s`.
    static func problem(with o: FitInput.Observable, duration_s: Double) -> String? {
        switch o {
        case let .timeseries(column, t):
            let columns = OutputSchema.timeseries + Simulation.extraColumns
            if !columns.contains(column) { return "timeseries.csv has no column \(column) (allowed: \(columns.joined(separator: ", ")))" }
            if t > duration_s { return "time \(t) s lies after the program's end (\(duration_s) s)" }
            return nil
        case let .summary(path):
            let parts = path.split(separator: ".").map(String.init)
            switch parts[0] {
            case "simulated_time_s" where parts.count == 1: return nil
            case "final":
                if parts.count == 2, finalKeys.contains(parts[1]) { return nil }
                if parts.count == 3, parts[1] == "domain_events", DomainEventKind(rawValue: parts[2]) != nil { return nil }
                return "summary.json has no final.\(parts.dropFirst().joined(separator: ".")) (allowed: final.\(finalKeys.sorted().joined(separator: ", final.")), final.domain_events.<\(DomainEventKind.allCases.map(\.rawValue).joined(separator: "|"))>)"
            case "event_counts":
                let names = EventType.allCases.map(\.name)
                if parts.count == 2, names.contains(parts[1]) { return nil }
                return "summary.json has no such event count (allowed: event_counts.<\(names.joined(separator: "|"))>)"
            case "extra" where parts.count >= 2: return nil
            case "timing": return "timing.* is wall-clock time, not a property of the run (allowed: final.*, event_counts.*, extra.*, simulated_time_s, timeseries.<column>@<time_s>)"
            default: return "summary.json has no number at \(path) (allowed: final.*, event_counts.*, extra.*, simulated_time_s, timeseries.<column>@<time_s>)"
            }
        }
    }
}

/// A run of the fit failed (the message says which point and seed).
struct FitRunFailure: Error { var message: String }

/// What `cekmc fit` writes into fit.json.
struct FitReport: Codable, Sendable {
    struct Parameter: Codable, Sendable {
        var key: String, scale: String, start: Double, value: Double
        /// One-sigma in θ (delta method) and the one-sigma interval (log: 10^(u ± σ_u)).
        var uncertainty: Double, low: Double, high: Double
        var atBound: Bool
        /// Whether some target moves with the parameter at the solution (else its uncertainty is infinite).
        var constrained: Bool
        enum CodingKeys: String, CodingKey { case key, scale, start, value, uncertainty, low, high, constrained, atBound = "at_bound" }
    }
    struct Fact: Codable, Sendable {
        var fact: String, observable: String
        var target: Double?, targetUncertainty: Double?
        var mean: Double, standardError: Double, values: [Double]
        var residual: Double?
        enum CodingKeys: String, CodingKey {
            case fact, observable, target, mean, values, residual
            case targetUncertainty = "target_uncertainty", standardError = "standard_error"
        }
    }
    struct Point: Codable, Sendable {
        var index: Int, folder: String, parameters: [Double], chiSquared: Double
        enum CodingKeys: String, CodingKey { case index, folder, parameters, chiSquared = "chi_squared" }
    }
    var parameters: [Parameter]
    var targets: [Fact]
    var predictions: [Fact]
    var chiSquared: Double, degreesOfFreedom: Int, iterations: Int, converged: Bool
    var seeds: [UInt64]
    var points: [Point]
    /// The point the fitted values were run at.
    var bestPoint: Int
    enum CodingKeys: String, CodingKey {
        case parameters, targets, predictions, iterations, converged, seeds, points
        case chiSquared = "chi_squared", degreesOfFreedom = "degrees_of_freedom", bestPoint = "best_point"
    }

    /// parameters-fitted.toml: the fitted keys by section, each with its uncertainty and the provenance.
    func parametersTOML(fitFile: String, scenario: String) -> String {
        var s = "# Fitted by `cekmc fit \(fitFile)` (cekmc \(cekmcVersion)) on scenario \(scenario), seeds \(RunCommand.seedList(seeds)),\n"
        s += "# χ² = \(chiSquared) for \(degreesOfFreedom) degrees of freedom, \(iterations) iterations, \(converged ? "converged" : "NOT converged");\n"
        s += "# targets: " + targets.map { "\($0.fact) (\($0.observable) = \($0.target ?? .nan) ± \($0.targetUncertainty ?? .nan))" }.joined(separator: "; ") + "\n"
        s += "# Copy the keys into a scenario's sections; the run folders are in points/p_\(String(format: "%03d", bestPoint)).\n"
        var bySection: [(String, [Parameter])] = []
        for p in parameters {
            let dot = p.key.lastIndex(of: ".")!
            let sec = String(p.key[..<dot])
            if let i = bySection.firstIndex(where: { $0.0 == sec }) { bySection[i].1.append(p) } else { bySection.append((sec, [p])) }
        }
        for (sec, ps) in bySection {
            s += "\n[\(sec)]\n"
            for p in ps {
                let name = p.key[p.key.index(after: p.key.lastIndex(of: ".")!)...]
                s += "\(name) = \(p.value)  # fit: ± \(p.uncertainty) (1σ interval \(p.low) … \(p.high))\(p.atBound ? ", AT A BOUND" : "")\(p.constrained ? "" : ", NOT CONSTRAINED by the targets")\n"
            }
        }
        return s
    }

    /// The closing text on stdout.
    func text(fitFile: String, directory: String) -> String {
        var s = "fit \(converged ? "converged" : "did not converge") after \(iterations) iterations, \(points.count) points × \(seeds.count) seeds: χ² = \(chiSquared) (\(degreesOfFreedom) dof)\n"
        for p in parameters {
            s += "  \(p.key) = \(p.value) ± \(p.uncertainty)  [\(p.low) … \(p.high)]\(p.atBound ? "  at a bound" : "")\(p.constrained ? "" : "  not constrained by the targets")\n"
        }
        for t in targets {
            s += "  target \(t.observable): \(t.mean) ± \(t.standardError) vs \(t.target ?? .nan) ± \(t.targetUncertainty ?? .nan) (residual \(t.residual ?? .nan))\n"
        }
        for t in predictions { s += "  prediction \(t.observable): \(t.mean) ± \(t.standardError)\n" }
        s += "wrote \(directory)/fit.json and \(directory)/parameters-fitted.toml"
        return s
    }
}

/// Runs the points of a fit and drives GSL's solver.
struct FitRunner {
    let fit: FitInput
    let effectiveScenario: String
    let directory: String
    let jobs: Int?
    let log: (String) -> Void

    /// Evaluated points, in order, and their observables (per seed, targets then predictions).
    private(set) var points: [(u: [Double], theta: [Double], values: [[Double]], folder: String)] = []

    init(fit: FitInput, effectiveScenario: String, directory: String, jobs: Int?, log: @escaping (String) -> Void) {
        self.fit = fit; self.effectiveScenario = effectiveScenario; self.directory = directory; self.jobs = jobs; self.log = log
    }

    /// `text` with the key `section.name` set to `value` (the first `name =` line of `[section]`; a
    /// key without a dot is a root key), keeping the line's comment; nil if there is no such numeric line.
    static func setting(_ text: String, key: String, to value: Double) -> String? {
        let dot = key.lastIndex(of: ".")
        let section = dot.map { String(key[..<$0]) } ?? ""
        let name = dot.map { String(key[key.index(after: $0)...]) } ?? key
        var lines = text.components(separatedBy: "\n")
        var current = ""
        for (i, l) in lines.enumerated() {
            let t = l.trimmingCharacters(in: .whitespaces)
            if t.hasPrefix("[") { current = t.hasPrefix("[[") ? "" : String(t.dropFirst().prefix { $0 != "]" }); continue }
            guard current == section, t.hasPrefix(name) else { continue }
            let rest = t.dropFirst(name.count).drop { $0 == " " }
            guard rest.hasPrefix("=") else { continue }
            let valueAndComment = rest.dropFirst().drop { $0 == " " }
            let old = valueAndComment.prefix { $0 != " " && $0 != "#" }
            guard Double(old) != nil else { return nil }
            let comment = valueAndComment.dropFirst(old.count)
            lines[i] = "\(name) = \(value)\(comment)"
            return lines.joined(separator: "\n")
        }
        return nil
    }

    var observables: [FitInput.Observable] { fit.targets.map(\.observable) + fit.predictions.map(\.observable) }

    /// The observables (per seed) at u, running the point unless it was evaluated already.
    mutating func evaluate(_ u: [Double]) throws -> [[Double]] {
        // Keyed by θ: steps beyond a bound clamp to one point, which runs once.
        let theta = zip(fit.parameters, u).map { $0.value($1) }
        if let p = points.first(where: { $0.theta == theta }) { return p.values }
        var text = effectiveScenario
        for (p, v) in zip(fit.parameters, theta) { text = Self.setting(text, key: p.key, to: v)! }
        let k = points.count
        let folder = "points/p_" + String(format: "%03d", k)
        let dir = directory + "/" + folder
        if let old = try AtomicFile.read(dir + "/scenario.toml"), old != Array(text.utf8) {
            throw CLIFailure.badInput("error: \(dir) holds another point's scenario (the fit file, its scenario or the code changed since it ran); give a new --out, or remove \(directory)/points to start the fit again")
        }
        try AtomicFile.createDirectory(dir)
        try AtomicFile.write(Array(text.utf8), to: dir + "/scenario.toml")
        log("fit: point \(k): " + zip(fit.parameters, theta).map { "\($0.key) = \($1)" }.joined(separator: ", "))
        guard let r = try Cekmc.parseAsRoot(["run", dir + "/scenario.toml", "--out", dir, "--quiet",
                                             "--seeds", fit.seeds.map(String.init).joined(separator: ",")]
                                            + (jobs.map { ["--jobs", String($0)] } ?? [])) as? RunCommand else {
            throw FitRunFailure(message: "internal: the run command line of point \(k) did not parse as `cekmc run`")
        }
        let c = Console(live: false)
        let (message, status) = try r.executeSeeds(fit.seeds, console: c)
        guard status == 0, message.hasPrefix("completed") else {
            throw FitRunFailure(message: "point \(k) (\(dir)): \(message) \(c.stderr)")
        }
        var values: [[Double]] = []
        for o in observables {
            values.append(try fit.seeds.map { try Self.read(o, in: dir + "/" + SeedAggregate.folderName(seed: $0)) })
        }
        points.append((u, theta, values, folder))
        return values
    }

    /// The observable `o` of the run in `dir`.
    static func read(_ o: FitInput.Observable, in dir: String) throws -> Double {
        switch o {
        case let .summary(path):
            guard let data = try AtomicFile.read(dir + "/summary.json"),
                  case let .object(root)? = try? JSONDecoder().decode(JSONValue.self, from: Data(data)) else {
                throw FitRunFailure(message: "\(dir)/summary.json: missing or not a JSON object")
            }
            var node = JSONValue.object(root)
            for part in path.split(separator: ".") {
                guard case let .object(d) = node, let next = d[String(part)] else {
                    throw FitRunFailure(message: "\(dir)/summary.json has no number at \(path)")
                }
                node = next
            }
            switch node {
            case let .int(i): return Double(i)
            case let .double(x): return x
            default: throw FitRunFailure(message: "\(dir)/summary.json: \(path) is not a number")
            }
        case let .timeseries(column, t):
            guard let data = try AtomicFile.read(dir + "/timeseries.csv") else { throw FitRunFailure(message: "\(dir)/timeseries.csv: missing") }
            let table = try CSVTable.parse(String(decoding: data, as: UTF8.self), path: dir + "/timeseries.csv")
            guard let j = table.header.firstIndex(of: column) else {
                throw FitRunFailure(message: "\(dir)/timeseries.csv has no column \(column) (columns: \(table.header.joined(separator: ", ")))")
            }
            let ts = table.rows.map { Double($0[0]) ?? .nan }, ys = table.rows.map { Double($0[j]) ?? .nan }
            guard let last = ts.last, t <= last * (1 + 1e-9), t >= ts[0] else {
                throw FitRunFailure(message: "\(dir)/timeseries.csv: time \(t) s lies outside the outputs [\(ts.first ?? .nan), \(ts.last ?? .nan)] s")
            }
            var k = 1
            while k < ts.count - 1 && ts[k] < t { k += 1 }
            if ts.count == 1 { return ys[0] }
            let a = ts[k - 1], b = ts[k]
            let w = b > a ? min(max((t - a) / (b - a), 0), 1) : 1
            return ys[k - 1] + w * (ys[k] - ys[k - 1])
        }
    }

    static func meanAndError(_ v: [Double]) -> (mean: Double, error: Double) {
        let n = Double(v.count)
        let m = v.reduce(0, +) / n
        guard v.count > 1 else { return (m, 0) }
        let s2 = v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / (n - 1)
        return (m, (s2 / n).squareRoot())
    }

    /// Residuals at u, and their denominators √(σ² + s²).
    mutating func residuals(_ u: [Double]) throws -> (r: [Double], scale: [Double]) {
        let values = try evaluate(u)
        var r: [Double] = [], sc: [Double] = []
        for (i, t) in fit.targets.enumerated() {
            let (m, e) = Self.meanAndError(values[i])
            let d = (t.uncertainty * t.uncertainty + e * e).squareRoot()
            r.append((m - t.value) / d); sc.append(d)
        }
        return (r, sc)
    }

    /// Runs the fit.
    mutating func fit(fitFile: String) throws -> FitReport {
        let u0 = fit.parameters.map { $0.coordinate($0.start) }
        // The solver's closures cannot throw or mutate self: they go through this box.
        final class Box: @unchecked Sendable { var runner: FitRunner; var failure: Error?; init(_ r: FitRunner) { runner = r } }
        let box = Box(self)
        let n = fit.targets.count
        let residualsClosure: ([Double]) -> [Double] = { u in
            if box.failure != nil { return [Double](repeating: 0, count: n) }
            do { return try box.runner.residuals(u).r } catch { box.failure = error; return [Double](repeating: 0, count: n) }
        }
        let jacobianClosure: ([Double]) -> [[Double]] = { u in
            var J = [[Double]](repeating: [Double](repeating: 0, count: u.count), count: n)
            if box.failure != nil { return J }
            do {
                let (_, scale) = try box.runner.residuals(u)
                let base = try box.runner.evaluate(u)
                for j in 0..<u.count {
                    // Forward, or backward when the forward step would leave the bounds (a clamped
                    // step would give a zero column).
                    let p = box.runner.fit.parameters[j]
                    let h = u[j] + p.step <= p.coordinate(p.max) ? p.step : -p.step
                    var v = u
                    v[j] += h
                    let moved = try box.runner.evaluate(v)
                    for i in 0..<n {
                        let d = Self.meanAndError(moved[i]).mean - Self.meanAndError(base[i]).mean
                        J[i][j] = d / (h * scale[i])
                    }
                }
            } catch { box.failure = error }
            return J
        }
        let result = try NonlinearFit.leastSquares(initial: u0, residualCount: n, residuals: residualsClosure,
                                                   jacobian: jacobianClosure, xtol: fit.xtol, gtol: 1e-8,
                                                   maxIterations: fit.maxIterations)
        // The Jacobian at the solution (its points are run already): a parameter whose column is zero
        // does not move any target, and its uncertainty is unbounded (GSL's covariance reports 0 there).
        let jBest = jacobianClosure(result.parameters)
        self = box.runner
        if let f = box.failure { throw f }
        let best = result.parameters
        let values = try evaluate(best)
        let bestTheta = zip(fit.parameters, best).map { $0.value($1) }
        let bestIndex = points.firstIndex { $0.theta == bestTheta }!
        var params: [FitReport.Parameter] = []
        for (j, p) in fit.parameters.enumerated() {
            let constrained = jBest.contains { $0[j] != 0 } && result.covariance[j][j] > 0
            let su = constrained ? result.covariance[j][j].squareRoot() : .infinity
            let theta = p.value(best[j])
            // One-sigma interval about the (clamped) value: log θ·10^(±σ_u), linear θ ± σ_u.
            let lo = constrained ? (p.scale == .log ? theta * pow(10, -su) : theta - su) : p.min
            let hi = constrained ? (p.scale == .log ? theta * pow(10, su) : theta + su) : p.max
            let sigma = p.scale == .log ? theta * 2.302585092994046 * su : su   // dθ/du = θ ln 10
            let raw = p.scale == .log ? pow(10, best[j]) : best[j]
            let atBound = raw < p.min * (1 - 1e-12) - 1e-300 || raw > p.max * (1 + 1e-12) + 1e-300
            params.append(FitReport.Parameter(key: p.key, scale: p.scale.rawValue, start: p.start, value: theta,
                                              uncertainty: sigma, low: lo, high: hi, atBound: atBound, constrained: constrained))
        }
        var targets: [FitReport.Fact] = []
        let (r, _) = try residuals(best)
        for (i, t) in fit.targets.enumerated() {
            let (m, e) = Self.meanAndError(values[i])
            targets.append(FitReport.Fact(fact: t.fact, observable: t.observable.description, target: t.value,
                                          targetUncertainty: t.uncertainty, mean: m, standardError: e, values: values[i], residual: r[i]))
        }
        var predictions: [FitReport.Fact] = []
        for (k, p) in fit.predictions.enumerated() {
            let v = values[fit.targets.count + k]
            let (m, e) = Self.meanAndError(v)
            predictions.append(FitReport.Fact(fact: p.fact, observable: p.observable.description, target: nil,
                                              targetUncertainty: nil, mean: m, standardError: e, values: v, residual: nil))
        }
        var pts: [FitReport.Point] = []
        for (k, p) in points.enumerated() {
            var chi2 = 0.0
            for (i, t) in fit.targets.enumerated() {
                let (m, e) = Self.meanAndError(p.values[i])
                chi2 += (m - t.value) * (m - t.value) / (t.uncertainty * t.uncertainty + e * e)
            }
            pts.append(FitReport.Point(index: k, folder: p.folder, parameters: p.theta, chiSquared: chi2))
        }
        return FitReport(parameters: params, targets: targets, predictions: predictions, chiSquared: result.chiSquared,
                         degreesOfFreedom: result.degreesOfFreedom, iterations: result.iterations, converged: result.converged,
                         seeds: fit.seeds, points: pts, bestPoint: bestIndex)
    }
}
