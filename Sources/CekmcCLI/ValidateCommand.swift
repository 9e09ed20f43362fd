import ArgumentParser
import Foundation
import InputFiles

/// `cekmc validate FILE [--print-effective]` — check an input file before any work.
struct ValidateCommand: ReportingCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check an input file and print its effective values.",
        discussion: """
        Reads the file's top-level `kind` (scenario — the default —, barriers or forcefield) and \
        decodes it with that kind's decoder. A valid file prints "FILE: valid" (or, with \
        --print-effective, the effective input with every default filled in) and exits 0; \
        otherwise every problem goes to stderr, one line each in file order, and the exit status is 2 \
        (bad input). \
        Format of the message: docs/input-files.md.
        """
    )

    @Argument(help: "Input TOML file.") var input: String
    @Flag(help: "Print the effective input with defaults filled in.") var printEffective = false

    /// What the command prints: stdout text on success, or every problem of the file.
    func check() -> Result<String, InputErrors> {
        do {
            let t = try InputKind.validate(path: input)
            return .success(printEffective ? t.effectiveTOML() : "\(input): valid\n")
        } catch {
            return .failure(InputErrors(error) ?? InputErrors([InputError(file: input, keyPath: "", problem: "\(error)")]))
        }
    }

    func run(console: Console) throws -> Int32 {
        switch check() {
        case .success(let text):
            console.out(text, terminator: "")
            return ExitStatus.success
        case .failure(let e):
            console.err(e.description)
            return ExitStatus.badInput
        }
    }
}
