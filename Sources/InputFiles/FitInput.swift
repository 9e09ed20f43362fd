// The fit input file (kind = "fit", `cekmc fit FIT.toml`): which scenario keys are free, which
// observables are fitted to which targets, which are only predicted, and the seeds every parameter
// point is run with (common random numbers). Format and method: docs/fit.md.
//
//     kind = "fit"
//     scenario = "zb-fit.toml"          # relative to this file's folder
//     seeds = [1, 2, 3, 4]              # every point runs these seeds (common random numbers)
//     max_iterations = 10
//     [[parameter]]
//     key = "model.supply_attempt_per_nm"   # a numeric key of the scenario (dotted: section.key)
//     start = 1e3
//     min = 1.0
//     max = 1e9
//     scale = "log"                      # fitted in log10 (positive parameters) or "linear"
//     step = 0.1                         # finite-difference step in the fitted coordinate
//     [[target]]
//     fact = "shell at the end of the 125 °C hold"
//     observable = "final.shell_cu_per_nm"  # a number of summary.json, or "timeseries.<column>@<time_s>"
//     value = 120.0
//     uncertainty = 20.0
//     [[prediction]]
//     fact = "domains at the end"
//     observable = "final.n_domains"

import Foundation

/// A decoded fit file.
public struct FitInput: Sendable, Equatable, DecodableInput {
    /// How a free parameter is fitted.
    public enum Scale: String, Sendable, CaseIterable {
        /// u = log10(θ): for positive parameters spanning decades (rates, attempt frequencies).
        case log
        /// u = θ.
        case linear
    }

    /// A free parameter: a numeric scenario key.
    public struct Parameter: Sendable, Equatable {
        /// Dotted scenario key, `section.key` (e.g. `model.supply_attempt_per_nm`).
        public var key: String
        /// Starting value, in the key's own unit.
        public var start: Double
        /// Bounds (the fit refuses to evaluate outside them: the point is clamped and the report says so).
        public var min: Double, max: Double
        /// Fitted coordinate.
        public var scale: Scale
        /// Finite-difference step in the fitted coordinate (log: decades).
        public var step: Double
        /// θ ↦ u.
        public func coordinate(_ theta: Double) -> Double { scale == .log ? log10(theta) : theta }
        /// u ↦ θ, clamped to [min, max].
        public func value(_ u: Double) -> Double { Swift.min(Swift.max(scale == .log ? pow(10, u) : u, min), max) }
    }

    /// An observable: a number of a run's summary.json, or a timeseries column at a time.
    public enum Observable: Sendable, Equatable, CustomStringConvertible {
        /// A dotted path of summary.json (e.g. `final.exchanged_fraction`).
        case summary(String)
        /// `timeseries.<column>@<time_s>`: the column at that time (linear interpolation between outputs).
        case timeseries(column: String, time_s: Double)

        /// Parses the text form; nil if it is neither form.
        public init?(_ text: String) {
            if text.hasPrefix("timeseries.") {
                let rest = text.dropFirst("timeseries.".count)
                let parts = rest.split(separator: "@", omittingEmptySubsequences: false)
                guard parts.count == 2, !parts[0].isEmpty, let t = Double(parts[1]), t >= 0, t.isFinite else { return nil }
                self = .timeseries(column: String(parts[0]), time_s: t)
            } else {
                let parts = text.split(separator: ".", omittingEmptySubsequences: false)
                guard !parts.isEmpty, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } }) else { return nil }
                self = .summary(text)
            }
        }
        public var description: String {
            switch self {
            case let .summary(p): return p
            case let .timeseries(c, t): return "timeseries.\(c)@\(t)"
            }
        }
    }

    /// A fitted fact: observable, target and its one-sigma uncertainty.
    public struct Target: Sendable, Equatable {
        /// What the target is (the paper's fact), for the report.
        public var fact: String
        /// What is measured on every run.
        public var observable: Observable
        /// Target value, in the observable's unit.
        public var value: Double
        /// One-sigma uncertainty of the target (> 0).
        public var uncertainty: Double
    }

    /// A fact only predicted (evaluated at the fitted point, not fitted).
    public struct Prediction: Sendable, Equatable {
        /// What is predicted, for the report.
        public var fact: String
        /// What is measured on every run.
        public var observable: Observable
    }

    /// The scenario file, as written (relative paths are relative to the fit file's folder).
    public var scenario: String
    /// Seeds run at every point.
    public var seeds: [UInt64]
    /// The free parameters, in file order.
    public var parameters: [Parameter]
    /// The fitted facts (at least as many as parameters).
    public var targets: [Target]
    /// The facts only reported at the fitted point.
    public var predictions: [Prediction]
    /// Levenberg–Marquardt iterations at most.
    public var maxIterations: Int
    /// Stop when every step in the fitted coordinates is below this (relative, GSL's xtol).
    public var xtol: Double

    public static func decode(_ t: InputTable) throws -> FitInput {
        try InputKind.require(.fit, in: t)
        let scenario = try t.string("scenario", doc: "scenario file the fit runs (relative to this file's folder)")
        let seeds = try t.ints("seeds", range: 0...Int.max, doc: "seeds run at every parameter point (common random numbers)")
        if Set(seeds).count != seeds.count { try t.reject("seeds", "lists a seed twice", allowed: "distinct seeds") }
        if seeds.isEmpty { try t.reject("seeds", "is empty", allowed: "at least one seed") }
        let maxIt = try t.int("max_iterations", default: 10, range: 1...1000, doc: "Levenberg–Marquardt iterations at most")
        let xtol = try t.double("xtol", default: 1e-2, range: 1e-12...1, unit: "", doc: "relative step tolerance in the fitted coordinates")

        var params: [Parameter] = []
        for p in try t.tables("parameter", required: true) {
            let key = try p.string("key", doc: "dotted scenario key, section.key")
            if !key.contains(".") { try p.reject("key", "is not a dotted section.key", allowed: "e.g. model.supply_attempt_per_nm") }
            let start = try p.double("start", doc: "starting value (the key's unit)")
            let lo = try p.double("min", doc: "lower bound")
            let hi = try p.double("max", doc: "upper bound")
            let scale = try p.choice("scale", default: Scale.log, doc: "fitted coordinate: log (log10) or linear")
            let step = try p.double("step", default: scale == .log ? 0.1 : Swift.max((hi - lo) * 0.05, 1e-12), range: 1e-12...1e12, unit: "",
                                    doc: "finite-difference step in the fitted coordinate (default: 0.1 decade, or 5 % of max − min)")
            if !p.hasErrors {
                if !(lo < hi) { try p.reject("max", "is not above min = \(lo)", allowed: "max > min") }
                else if !(start >= lo && start <= hi) { try p.reject("start", "lies outside [\(lo), \(hi)]", allowed: "min ≤ start ≤ max") }
                else if scale == .log && lo <= 0 { try p.reject("min", "must be positive with scale = \"log\"", allowed: "min > 0") }
            }
            params.append(Parameter(key: key, start: start, min: lo, max: hi, scale: scale, step: step))
        }
        if Set(params.map(\.key)).count != params.count { try t.reject("parameter", "names a key twice", allowed: "distinct keys") }

        func observable(_ x: InputTable) throws -> Observable {
            let s = try x.string("observable", doc: "a number of summary.json (dotted path) or timeseries.<column>@<time_s>")
            if let o = Observable(s) { return o }
            try x.reject("observable", "is not an observable", allowed: "a dotted path of summary.json (final.exchanged_fraction) or timeseries.<column>@<time_s>")
            return .summary("final.exchanged_fraction")
        }
        var targets: [Target] = []
        for x in try t.tables("target", required: true) {
            let fact = try x.string("fact", doc: "what the target is (the paper's fact)")
            let o = try observable(x)
            let v = try x.double("value", doc: "target value (the observable's unit)")
            let u = try x.double("uncertainty", range: 1e-300...Double.greatestFiniteMagnitude, unit: "", doc: "one-sigma uncertainty of the target (> 0)")
            targets.append(Target(fact: fact, observable: o, value: v, uncertainty: u))
        }
        var predictions: [Prediction] = []
        for x in try t.tables("prediction") {
            predictions.append(Prediction(fact: try x.string("fact", doc: "what is predicted"), observable: try observable(x)))
        }
        if !t.hasErrors && targets.count < params.count {
            try t.reject("target", "has \(targets.count) targets for \(params.count) free parameters", allowed: "at least as many targets as parameters")
        }
        return FitInput(scenario: scenario, seeds: seeds.map(UInt64.init), parameters: params, targets: targets,
                        predictions: predictions, maxIterations: maxIt, xtol: xtol)
    }
}
