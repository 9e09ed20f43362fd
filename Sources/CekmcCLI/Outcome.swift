// What an invocation prints and the status it exits with, kept apart from printing it.
//
// Exit status:
//   0        success (a run completed, or stopped at --stop-after-events; a file validated)
//   1        the run failed (I/O error, model or conservation error, output folder in use)
//   2        bad input: the command line, the input file, the checkpoint or the output folder was
//            refused before any work; command-line errors print the usage line, input errors do not
//   130/143  stopped by SIGINT / SIGTERM after writing a checkpoint; SIGHUP (a closed terminal) is
//            handled like SIGTERM, 143
//
// Commands that take part (`ReportingCommand`) write through a `Console`, which either prints at once
// (`cekmc`) or collects the text (tests), and return their exit status; errors are values rendered by
// `Cekmc.render`. Tests call `Cekmc.outcome(arguments:)`, the same path `cekmc` takes.

import ArgumentParser
import Foundation
import InputFiles

/// Exit statuses of `cekmc` (see the file header).
public enum ExitStatus {
    public static let success: Int32 = 0
    public static let runFailure: Int32 = 1
    public static let badInput: Int32 = 2
    /// Status after a stop requested by `signal`: 128 + n, SIGHUP handled like SIGTERM (143).
    public static func stopped(bySignal signal: Int32) -> Int32 { 128 + (signal == SIGHUP ? SIGTERM : signal) }
}

/// An error whose message is shown as is (no usage line) with its exit status.
struct CLIFailure: Error, CustomStringConvertible {
    var message: String
    var status: Int32
    var description: String { message }
    static func badInput(_ m: String) -> CLIFailure { CLIFailure(message: m, status: ExitStatus.badInput) }
    static func runFailure(_ m: String) -> CLIFailure { CLIFailure(message: m, status: ExitStatus.runFailure) }
}

/// Where a command's text goes: straight to stdout/stderr, or collected.
final class Console: @unchecked Sendable {
    /// Whether text is printed as it comes (else only collected).
    let live: Bool
    private(set) var stdout = ""
    private(set) var stderr = ""
    init(live: Bool) { self.live = live }

    /// One line (or block) of results on stdout.
    func out(_ text: String, terminator: String = "\n") {
        if live { Swift.print(text, terminator: terminator); fflush(nil) } else { stdout += text + terminator }
    }
    /// One line of messages on stderr.
    func err(_ text: String) {
        if live { FileHandle.standardError.write(Data((text + "\n").utf8)) } else { stderr += text + "\n" }
    }
}

/// A subcommand that reports through a `Console` and returns its exit status.
protocol ReportingCommand: ParsableCommand {
    func run(console: Console) throws -> Int32
}

extension ReportingCommand {
    func run() throws {
        let c = Console(live: true)
        let status: Int32
        do { status = try run(console: c) } catch { status = Cekmc.render(error, console: c) }
        if status != 0 { throw ExitCode(status) }
    }
}

/// Text and status of one invocation.
public struct CommandOutcome: Sendable, Equatable {
    public var stdout: String
    public var stderr: String
    public var status: Int32
}

extension Cekmc {
    /// Runs `cekmc` with `arguments` as `main` does, returning what it printed (`live`: also print it).
    static func outcome(arguments: [String], live: Bool = false) -> CommandOutcome {
        let console = Console(live: live)
        var status: Int32
        do {
            var command = try parseAsRoot(arguments)
            if let r = command as? any ReportingCommand {
                status = try r.run(console: console)
            } else {
                try command.run()
                status = 0
            }
        } catch {
            status = render(error, console: console)
        }
        return CommandOutcome(stdout: console.stdout, stderr: console.stderr, status: status)
    }

    /// Shows `error` and returns the exit status (see the file header).
    static func render(_ error: any Error, console: Console) -> Int32 {
        switch error {
        case let f as CLIFailure:
            console.err(f.message)
            return f.status
        case let e as InputError:
            console.err(e.description)
            return ExitStatus.badInput
        case let e as InputErrors:
            console.err(e.description)
            return ExitStatus.badInput
        default:
            let code = exitCode(for: error).rawValue
            let message = fullMessage(for: error)
            if code == 0 {
                if !message.isEmpty { console.out(message) }
                return 0
            }
            if !message.isEmpty { console.err(message) }
            return code == ExitCode.validationFailure.rawValue ? ExitStatus.badInput : code
        }
    }

    /// Entry point of the `cekmc` executable: runs the command line and exits with its status.
    public static func main() {
        let o = outcome(arguments: Array(CommandLine.arguments.dropFirst()), live: true)
        Foundation.exit(o.status)
    }
}
