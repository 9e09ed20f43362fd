// Errors.swift — how GSL failures become Swift errors.
//
// Conventions:
// - GSL's default error handler calls abort(). `GSLRuntime.ensureInitialized()` replaces it, once per process
//   (thread-safe lazy `static let`), by a *recording* handler: a non-capturing C callback that stores the reason,
//   file, line and code of the last error in thread-local storage, so errors raised on different threads never mix.
// - Every entry point of this module that can reach a GSL error path (generator construction, fits, minimisers)
//   calls `ensureInitialized()` first; then each GSL status ≠ GSL_SUCCESS is thrown as
//   `GSLError.status(code:reason:file:line:)` carrying the recorded reason. Argument checks done on the Swift side
//   (before GSL could see bad input) throw the same case with code GSL_EINVAL/GSL_EBADLEN and a Swift location.
// - A failed `*_alloc` returns NULL (no status): it is thrown as `GSLError.allocationFailed` with the recorded reason.
// - GSL status codes import into Swift as `Int`; they are compared as `Int32(GSL_…)`.
@preconcurrency import CGSL
import Foundation

/// An error raised by the GSL layer (from GSL itself or from the argument checks done before calling it).
public enum GSLError: Error, CustomStringConvertible, Sendable {
    /// GSL (or an argument check in front of it) returned status `code` (a `GSL_E…` value, e.g. 4 = GSL_EINVAL,
    /// 19 = GSL_EBADLEN). `reason` names the component and the offending value; `file`/`line` locate where it was
    /// raised (a GSL source file, or a file of this module for Swift-side checks).
    case status(code: Int32, reason: String, file: String, line: Int)
    /// A GSL allocation (`*_alloc`, `gsl_rng_clone`, …) returned NULL; the string names what and why.
    case allocationFailed(String)
    /// No GSL random-number generator has this name; `allowed` lists every name GSL knows.
    case unknownGenerator(String, allowed: [String])
    /// An iterative method could not reach its convergence criterion; the string says which and how far it got.
    case noConvergence(String)

    /// A one-line human-readable message, e.g. `GSL error 4 (invalid argument supplied by user): … [file:line]`.
    public var description: String {
        switch self {
        case let .status(code, reason, file, line):
            let name = String(cString: gsl_strerror(code))
            return "GSL error \(code) (\(name)): \(reason) [\(file):\(line)]"
        case let .allocationFailed(what):
            return "GSL allocation failed: \(what)"
        case let .unknownGenerator(name, allowed):
            return "unknown GSL random-number generator '\(name)'; allowed: \(allowed.joined(separator: ", "))"
        case let .noConvergence(what):
            return "no convergence: \(what)"
        }
    }

    /// The error for an argument check made on the Swift side (code defaults to GSL_EINVAL).
    static func invalid(_ reason: String, code: Int32 = Int32(GSL_EINVAL),
                        file: String = #fileID, line: Int = #line) -> GSLError {
        .status(code: code, reason: reason, file: file, line: line)
    }
}

/// The last error GSL reported on one thread (what GSL passed to its error handler).
struct GSLErrorRecord: Sendable {
    var code: Int32
    var reason: String
    var file: String
    var line: Int
}

/// Process-wide GSL set-up: the recording error handler and per-thread access to the last recorded error.
@usableFromInline
enum GSLRuntime {
    private static let threadKey = "cekmc.GSL.lastError"

    // Swift runs a static `let` initialiser exactly once, thread-safely (swift_once); later reads are one load.
    private static let installed: Bool = {
        _ = gsl_set_error_handler(recordingHandler)
        return true
    }()

    /// Installs the recording error handler if not done yet (cheap after the first call). Call before any GSL call
    /// that may report an error.
    @usableFromInline
    static func ensureInitialized() {
        _ = installed
    }

    /// Forgets this thread's last error (call before a GSL call whose failure will be translated).
    static func clearLastError() {
        Thread.current.threadDictionary.removeObject(forKey: threadKey)
    }

    /// This thread's last error recorded by the handler since the last `clearLastError()`, if any.
    static var lastError: GSLErrorRecord? {
        (Thread.current.threadDictionary[threadKey] as? GSLErrorBox)?.record
    }

    fileprivate static func record(_ r: GSLErrorRecord) {
        Thread.current.threadDictionary[threadKey] = GSLErrorBox(r)
    }

    /// Throws `GSLError.status` for a GSL status ≠ GSL_SUCCESS, using the recorded reason when there is one.
    static func check(_ status: Int32, _ context: @autoclosure () -> String) throws {
        guard status != Int32(GSL_SUCCESS) else { return }
        throw statusError(status, context())
    }

    /// The `GSLError.status` for a GSL status, prefixed by `context` (which component/call failed).
    static func statusError(_ status: Int32, _ context: String) -> GSLError {
        if let r = lastError, r.code == status {
            return .status(code: status, reason: "\(context): \(r.reason)", file: r.file, line: r.line)
        }
        return .status(code: status, reason: "\(context): \(String(cString: gsl_strerror(status)))",
                       file: "gsl", line: 0)
    }

    /// The message to attach to a NULL returned by a GSL allocator.
    static func allocationReason(_ what: String) -> String {
        if let r = lastError { return "\(what): \(r.reason) [\(r.file):\(r.line)]" }
        return what
    }
}

/// Reference box so a Swift struct can live in Foundation's per-thread dictionary.
private final class GSLErrorBox {
    let record: GSLErrorRecord
    init(_ record: GSLErrorRecord) { self.record = record }
}

/// GSL's error handler: records and returns (never aborts). Non-capturing, so it converts to a C function pointer.
private func recordingHandler(_ reason: UnsafePointer<CChar>?, _ file: UnsafePointer<CChar>?,
                              _ line: Int32, _ code: Int32) {
    GSLRuntime.record(GSLErrorRecord(
        code: code,
        reason: reason.map { String(cString: $0) } ?? "(no reason given)",
        file: file.map { String(cString: $0) } ?? "?",
        line: Int(line)))
}

extension GSLRuntime {
    /// Test hook: makes GSL raise a real error through its own GSL_ERROR path (gsl_rng_uniform_int with n = 0 →
    /// GSL_EINVAL) and returns what the recording handler kept. Without the handler this would abort the process.
    static func provokeErrorForTesting() -> GSLErrorRecord? {
        ensureInitialized()
        clearLastError()
        guard let r = gsl_rng_alloc(gsl_rng_taus2) else { return nil }
        defer { gsl_rng_free(r) }
        _ = gsl_rng_uniform_int(r, 0)
        return lastError
    }
}
