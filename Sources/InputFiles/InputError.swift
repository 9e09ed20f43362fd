// The one error type of checked input files.
//
// Every problem found in an input file — unreadable file, TOML syntax error, unknown key, wrong
// type, missing required key, value out of range, failed cross-field check — is one `InputError`
// whose `description` is a single line naming the file, the line (when known), the key path, the
// offending value, the problem and what is allowed. The exact format is documented in
// docs/input-files.md and pinned by exact-text tests.

/// A problem in an input file, rendered as one line:
///
///     FILE:LINE: key 'KEY.PATH' = VALUE: PROBLEM (allowed: ALLOWED)
///
/// `:LINE` is left out when the line is unknown (e.g. a missing key), ` = VALUE` when there is no
/// value (missing key, file-level problem), ` (allowed: …)` when the problem already says it, and
/// `key '…'` when the problem concerns the whole file (`keyPath` is empty):
///
///     FILE:LINE: PROBLEM
public struct InputError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file as given by the user (path or label).
    public var file: String
    /// Dotted key path from the root: `wire.diameter_nm`, `program[2].to_C`, `temps_C[1]`; "" for the file.
    public var keyPath: String
    /// The offending value as TOML text (`"hex"`, `1.5`, `[1, 2]`), nil when there is none.
    public var value: String?
    /// What is wrong ("expected a number, got a string", "must be in 0.0...1.0 eV", "unknown key").
    public var problem: String
    /// What would be accepted ("a number in 0.0...1.0 eV", `"wz", "zb"`, a list of keys), if not in `problem`.
    public var allowed: String?
    /// 1-based line in the file, when known.
    public var line: Int?

    /// Memberwise initialiser.
    public init(file: String, keyPath: String, value: String? = nil, problem: String,
                allowed: String? = nil, line: Int? = nil) {
        self.file = file
        self.keyPath = keyPath
        self.value = value
        self.problem = problem
        self.allowed = allowed
        self.line = line
    }

    /// The one-line message (format in the type's documentation).
    public var description: String {
        var s = file
        if let line { s += ":\(line)" }
        s += ": "
        if !keyPath.isEmpty {
            s += "key '\(keyPath)'"
            if let value { s += " = \(value)" }
            s += ": "
        }
        s += problem
        if let allowed { s += " (allowed: \(allowed))" }
        return s
    }
}

/// Several problems in one input file, in file order; `description` is one `InputError` line each.
/// (A file with one problem throws that `InputError` itself.)
public struct InputErrors: Error, Equatable, Sendable, CustomStringConvertible {
    /// The problems, sorted by line (a missing key at the line of its table).
    public var errors: [InputError]

    /// The list of problems.
    public init(_ errors: [InputError]) { self.errors = errors }

    /// The problems of any input-file error: its list, or the one `InputError`; nil for other errors.
    public init?(_ error: any Error) {
        switch error {
        case let e as InputErrors: self = e
        case let e as InputError: self.init([e])
        default: return nil
        }
    }

    /// One line per problem.
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
