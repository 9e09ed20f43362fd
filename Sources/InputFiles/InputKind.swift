// The kinds of cekmc input file and the registry that maps each to its decoder.
//
// Every input file may carry a top-level `kind` key; `cekmc validate` reads it (default
// "scenario") and runs the matching decoder, then `finish()` — so every problem in the file is
// reported before any work starts. Adding a kind = one case here + one line in `decode`.

import KMC

/// A kind of input file, named by the file's top-level `kind` key.
public enum InputKind: String, CaseIterable, Sendable {
    /// A KMC scenario (`cekmc run`); the default when `kind` is absent.
    case scenario
    /// A barrier table (written by `cekmc calibrate`, read by the KMC); docs/barrier-file.md.
    case barriers
    /// An MD force field.
    case forcefield
    /// A fit of scenario parameters to facts (`cekmc fit`); docs/fit.md.
    case fit

    /// Decode `t` with this kind's decoder (the result is dropped: this only checks).
    func decode(_ t: InputTable) throws {
        // registry — one line per kind: `_ = try <Decoder>.decode(t)`
        switch self {
        case .scenario: _ = try ScenarioInput.decode(t)
        case .barriers: _ = try BarrierFile.decode(t)
        case .forcefield: _ = try ForceFieldInput.decode(t)
        case .fit: _ = try FitInput.decode(t)
        }
    }

    /// Load the file at `path`, read its `kind` (default "scenario"), decode it with that kind's
    /// decoder and reject unknown keys. Returns the cursor, whose `effectiveTOML()` prints the
    /// effective input. Throws every problem of the file, in file order: the one `InputError`, or
    /// `InputErrors`.
    public static func validate(path: String) throws -> InputTable {
        try validate(try InputTable.load(path: path))
    }

    /// As `validate(path:)`, and a scenario is then checked against `limits` and its wire
    /// (`ScenarioPreflight`), as `cekmc run` does before a run.
    public static func validate(path: String, limits: ScenarioLimits) throws -> InputTable {
        try validate(try InputTable.load(path: path), limits: limits)
    }

    /// As `validate(path:)`, for text already in memory (`file` names it in messages).
    public static func validate(text: String, file: String) throws -> InputTable {
        try validate(try InputTable.parse(text, file: file))
    }

    private static func validate(_ t: InputTable, limits: ScenarioLimits? = nil) throws -> InputTable {
        var scenario: ScenarioConfig? = nil
        try t.collectingErrors {
            let kind = try t.choice("kind", default: InputKind.scenario, doc: "kind of input file")
            // An unknown kind ends the check: another kind's decoder would only add noise.
            if let e = t.document.problems.last?.error { throw e }
            if kind == .scenario { scenario = try ScenarioInput.decode(t) } else { try kind.decode(t) }
        }
        if let limits, let scenario { try ScenarioPreflight.check(scenario, table: t, limits: limits) }
        return t
    }

    /// For decoders: read the root's `kind` key and require it to be `kind`. The key may be left
    /// out only for scenarios (the default kind). Call first in every top-level decoder.
    /// A file of another kind ends the decoding there (its keys would only add noise).
    public static func require(_ kind: InputKind, in t: InputTable) throws {
        let before = t.document.problems.count
        _ = try t.string("kind", default: kind == .scenario ? kind.rawValue : nil, allowed: [kind.rawValue],
                         doc: "kind of input file")
        if t.document.problems.count > before, let e = t.document.problems.last?.error { throw e }
    }
}
