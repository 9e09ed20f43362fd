/// An input-file value decoded from an `InputTable`: `load`/`parse` read the text, decode it and
/// reject unknown keys (`finish()`), in one place for every kind; every problem of a file is reported
/// at once (`InputErrors`, or the one `InputError`).
public protocol DecodableInput {
    /// Decode from the cursor (reading every key it knows; unknown keys are reported by `finish()`).
    static func decode(_ t: InputTable) throws -> Self
}

extension DecodableInput {
    /// Load, decode and check (unknown keys rejected) the file at `path`.
    public static func load(path: String) throws -> Self {
        try checked(InputTable.load(path: path))
    }

    /// Parse, decode and check `text` (`file` names it in messages).
    public static func parse(_ text: String, file: String) throws -> Self {
        try checked(InputTable.parse(text, file: file))
    }

    /// Every problem of the file at once (`InputTable.collectingErrors`).
    private static func checked(_ t: InputTable) throws -> Self {
        try t.collectingErrors { try decode(t) }
    }
}
