// `cekmc fit`: recovers a parameter from targets the model itself produced at a known value (the
// self-consistency check of a fit: same scenario, same seeds), within its reported uncertainty;
// the same command line again re-reports from the kept runs with identical fit.json; bad fit files
// are refused before any run, naming the file, key and value.
import Foundation
import Testing
import KMC
import InputFiles
@testable import CekmcCLI

extension RunCommandTests {
    /// The tiny scenario with supply_attempt_per_nm = `supply` and outputs every 30 µs (no maps).
    func fitScenario(supply: Double) throws -> String {
        var s = try Self.tinyScenario()
        s = s.replacingOccurrences(of: "supply_attempt_per_nm = 1e12", with: "supply_attempt_per_nm = \(supply)")
        s = s.replacingOccurrences(of: "maps_every = 2\nsnapshots_every = 2\ncheckpoint_every = 2", with: "maps_every = 0\ncheckpoint_every = 0")
        return s
    }

    @Test func settingAKeyKeepsItsCommentAndRefusesUnknownKeys() {
        let text = "seed = 1  # s\n[model]\nsupply_attempt_per_nm = 14.0  # s⁻¹ nm⁻¹\n[model.rate_scale]\nshell_hop = 1.0\n"
        #expect(FitRunner.setting(text, key: "model.supply_attempt_per_nm", to: 2e6)
                == "seed = 1  # s\n[model]\nsupply_attempt_per_nm = 2000000.0  # s⁻¹ nm⁻¹\n[model.rate_scale]\nshell_hop = 1.0\n")
        #expect(FitRunner.setting(text, key: "model.rate_scale.shell_hop", to: 0.5)?.hasSuffix("shell_hop = 0.5\n") == true)
        #expect(FitRunner.setting(text, key: "model.nope", to: 1) == nil)
        #expect(FitRunner.setting(text, key: "wire.supply_attempt_per_nm", to: 1) == nil)
    }

    @Test func aFitRecoversTheParameterThatMadeItsTarget() throws {
        let (input, out) = try workspace()
        defer { cleanUp(input) }
        let folder = URL(fileURLWithPath: input).deletingLastPathComponent().path
        // The target: shell coverage at 60 µs, mean over seeds 1–4, made at supply = 3·10⁶ s⁻¹ nm⁻¹.
        let truth = 3e6
        try fitScenario(supply: truth).write(toFile: folder + "/truth.toml", atomically: true, encoding: .utf8)
        #expect(Cekmc.outcome(arguments: ["run", folder + "/truth.toml", "--out", folder + "/truth", "--quiet", "--seeds", "1-4"]).status == 0)
        let y = try (1...4).map { try FitRunner.read(.timeseries(column: "shell_cu_per_nm", time_s: 6e-5), in: folder + "/truth/seed_\($0)") }
        let target = y.reduce(0, +) / 4
        try fitScenario(supply: 1e6).write(toFile: folder + "/base.toml", atomically: true, encoding: .utf8)
        let fitText = """
            kind = "fit"
            scenario = "base.toml"
            seeds = [1, 2, 3, 4]
            [[parameter]]
            key = "model.supply_attempt_per_nm"
            start = 1e6
            min = 1e4
            max = 1e9
            [[target]]
            fact = "shell coverage at 60 µs"
            observable = "timeseries.shell_cu_per_nm@6e-05"
            value = \(target)
            uncertainty = 1.0
            [[prediction]]
            fact = "shell at the end"
            observable = "final.shell_cu_per_nm"

            """
        try fitText.write(toFile: folder + "/fit.toml", atomically: true, encoding: .utf8)
        let o = Cekmc.outcome(arguments: ["fit", folder + "/fit.toml", "--out", out, "--quiet"])
        #expect(o.status == 0, "\(o)")
        let report = try JSONDecoder().decode(FitReport.self, from: Data(contentsOf: URL(fileURLWithPath: out + "/fit.json")))
        let p = try #require(report.parameters.first)
        // Started a factor 3 low; must land within 2σ of the truth, with a σ that means something
        // (the target's 1 Cu/nm and the seed spread give ≈ 20 % on a linear-in-supply coverage).
        #expect(abs(p.value - truth) <= 2 * p.uncertainty, "fitted \(p.value) ± \(p.uncertainty), truth \(truth)")
        #expect(p.uncertainty > 0.02 * truth && p.uncertainty < 0.6 * truth)
        #expect(p.low < p.value && p.value < p.high && !p.atBound)
        #expect(report.converged && report.chiSquared < 4)
        #expect(report.predictions.count == 1 && report.predictions[0].values.count == 4)
        let toml = try String(contentsOfFile: out + "/parameters-fitted.toml", encoding: .utf8)
        #expect(toml.contains("[model]\nsupply_attempt_per_nm = \(p.value)  # fit: ± "))
        #expect(p.constrained)
        // Again: every point is read back, nothing is simulated, the same report.
        let before = try bytes(out + "/fit.json")
        let listing = try names(out + "/points")
        let again = Cekmc.outcome(arguments: ["fit", folder + "/fit.toml", "--out", out, "--quiet"])
        let after = try bytes(out + "/fit.json")
        #expect(again.status == 0 && after == before)
        #expect(try names(out + "/points") == listing)
        let timing = try String(contentsOfFile: out + "/points/p_000/seed_1/timing.json", encoding: .utf8)
        #expect(timing.contains("\"events\" : 0"), "\(timing)")
    }

    @Test func badFitFilesAreRefusedBeforeAnyRun() throws {
        let (input, out) = try workspace()
        defer { cleanUp(input) }
        let folder = URL(fileURLWithPath: input).deletingLastPathComponent().path
        try fitScenario(supply: 1e6).write(toFile: folder + "/base.toml", atomically: true, encoding: .utf8)
        func fit(_ parameter: String, target: String = "observable = \"final.shell_cu_per_nm\"") throws -> CommandOutcome {
            let text = "kind = \"fit\"\nscenario = \"base.toml\"\nseeds = [1]\n[[parameter]]\n\(parameter)\n[[target]]\nfact = \"f\"\n\(target)\nvalue = 1.0\nuncertainty = 1.0\n"
            try text.write(toFile: folder + "/bad.toml", atomically: true, encoding: .utf8)
            return Cekmc.outcome(arguments: ["fit", folder + "/bad.toml", "--out", out, "--quiet"])
        }
        let unknown = try fit("key = \"model.no_such_key\"\nstart = 1.0\nmin = 0.1\nmax = 10.0")
        #expect(unknown.status == 2 && unknown.stderr.contains("parameter[0].key = \"model.no_such_key\": no such numeric key"), "\(unknown)")
        let outside = try fit("key = \"model.supply_attempt_per_nm\"\nstart = 100.0\nmin = 1.0\nmax = 10.0")
        #expect(outside.status == 2 && outside.stderr.contains("parameter[0].start") && outside.stderr.contains("min ≤ start ≤ max"), "\(outside)")
        let badObservable = try fit("key = \"model.supply_attempt_per_nm\"\nstart = 5.0\nmin = 1.0\nmax = 10.0", target: "observable = \"timeseries.x@soon\"")
        #expect(badObservable.status == 2 && badObservable.stderr.contains("target[0].observable"), "\(badObservable)")
        let refusedValue = try fit("key = \"model.supply_attempt_per_nm\"\nstart = 5.0\nmin = -1.0\nmax = 10.0\nscale = \"linear\"")
        #expect(refusedValue.status == 2 && refusedValue.stderr.contains("the scenario refuses model.supply_attempt_per_nm = -1.0"), "\(refusedValue)")
        let logMin = try fit("key = \"model.supply_attempt_per_nm\"\nstart = 5.0\nmin = 0.0\nmax = 10.0")
        #expect(logMin.status == 2 && logMin.stderr.contains("parameter[0].min") && logMin.stderr.contains("min > 0"), "\(logMin)")
        let column = try fit("key = \"model.supply_attempt_per_nm\"\nstart = 5.0\nmin = 1.0\nmax = 10.0", target: "observable = \"timeseries.shell_cu_nm@1e-5\"")
        #expect(column.status == 2 && column.stderr.contains("target[0].observable = \"timeseries.shell_cu_nm@1e-05\": timeseries.csv has no column shell_cu_nm"), "\(column)")
        let late = try fit("key = \"model.supply_attempt_per_nm\"\nstart = 5.0\nmin = 1.0\nmax = 10.0", target: "observable = \"timeseries.shell_cu_per_nm@1.0\"")
        #expect(late.status == 2 && late.stderr.contains("lies after the program's end"), "\(late)")
        let typo = try fit("key = \"model.supply_attempt_per_nm\"\nstart = 5.0\nmin = 1.0\nmax = 10.0", target: "observable = \"final.exchange_fraction\"")
        #expect(typo.status == 2 && typo.stderr.contains("summary.json has no final.exchange_fraction"), "\(typo)")
        let wall = try fit("key = \"model.supply_attempt_per_nm\"\nstart = 5.0\nmin = 1.0\nmax = 10.0", target: "observable = \"timing.wall_time_s\"")
        #expect(wall.status == 2 && wall.stderr.contains("wall-clock"), "\(wall)")
        let twoParameters = try fit("key = \"model.supply_attempt_per_nm\"\nstart = 5.0\nmin = 1.0\nmax = 10.0\n[[parameter]]\nkey = \"model.rate_scale.shell_hop\"\nstart = 1e-4\nmin = 1e-6\nmax = 1.0")
        #expect(twoParameters.status == 2 && twoParameters.stderr.contains("has 1 targets for 2 free parameters"), "\(twoParameters)")
        try FileManager.default.removeItem(atPath: folder + "/base.toml")
        let missing = try fit("key = \"model.supply_attempt_per_nm\"\nstart = 5.0\nmin = 1.0\nmax = 10.0")
        #expect(missing.status == 2 && missing.stderr.contains("scenario = \"base.toml\": no such file"), "\(missing)")
        #expect(!FileManager.default.fileExists(atPath: out + "/points"), "nothing may run")
    }
}
