// Progress display on stderr during a run.
//
// On a terminal (isatty(stderr)) one line is redrawn in place ("\r" + text + clear-to-end-of-line),
// at most every `interval_s` of wall time (default 0.25 s); otherwise (log files, CI) plain lines are
// printed at most every `interval_s` (default 10 s). Throttling reads a monotonic clock, so calling
// `update` often is cheap (one clock read and a compare). events/s is measured between two printed
// updates.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Throttled one-line progress reporter for stderr.
public struct ProgressReporter: Sendable {
    /// How progress is shown.
    public enum Mode: Sendable, Equatable {
        /// One line redrawn in place (stderr is a terminal).
        case terminal
        /// Plain periodic lines (stderr is a file or pipe).
        case plain
        /// Nothing.
        case silent
    }

    /// Display mode in force.
    public let mode: Mode
    /// Minimum wall time between two displays, s.
    public let interval_s: Double
    private let clock: @Sendable () -> Double
    private let sink: @Sendable (String) -> Void
    private var lastWall: Double
    private var lastEvents: Int = 0
    private var startWall: Double
    private var printedAny = false

    /// Creates a reporter.
    /// - Parameters:
    ///   - mode: display mode; default: `.terminal` if stderr is a terminal, else `.plain`.
    ///   - interval_s: minimum wall time between displays, s; default 0.25 (terminal) or 10 (plain).
    ///   - clock: monotonic wall clock in s (default: CLOCK_MONOTONIC; injectable for tests).
    ///   - sink: where text goes (default: stderr, unbuffered).
    public init(mode: Mode? = nil, interval_s: Double? = nil,
                clock: (@Sendable () -> Double)? = nil,
                sink: (@Sendable (String) -> Void)? = nil) {
        let clock = clock ?? { monotonicSeconds() }
        let m = mode ?? (isatty(STDERR_FILENO) != 0 ? .terminal : .plain)
        self.mode = m
        self.interval_s = interval_s ?? (m == .terminal ? 0.25 : 10)
        self.clock = clock
        self.sink = sink ?? { ProgressReporter.writeStderr($0) }
        startWall = clock()
        lastWall = startWall
    }

    /// Shows progress if at least `interval_s` passed since the last display; returns whether it did.
    /// - Parameters:
    ///   - time_s: simulated time, s.
    ///   - temperature_C: temperature, °C.
    ///   - exchangedFraction: X.
    ///   - events: KMC events executed so far (cumulative).
    @discardableResult
    public mutating func update(time_s: Double, temperature_C: Double, exchangedFraction: Double, events: Int) -> Bool {
        guard mode != .silent else { return false }
        let now = clock()
        guard now - lastWall >= interval_s else { return false }
        let rate = Double(events - lastEvents) / (now - lastWall)
        lastWall = now; lastEvents = events
        let text = Self.line(time_s: time_s, temperature_C: temperature_C, exchangedFraction: exchangedFraction,
                             eventsPerSecond: rate)
        sink(mode == .terminal ? "\r" + text + "\u{1B}[K" : text + "\n")
        printedAny = true
        return true
    }

    /// Shows the final state (always) and ends the in-place line; events/s is the run average.
    public mutating func finish(time_s: Double, temperature_C: Double, exchangedFraction: Double, events: Int) {
        guard mode != .silent else { return }
        let now = clock()
        let rate = now > startWall ? Double(events) / (now - startWall) : 0
        let text = Self.line(time_s: time_s, temperature_C: temperature_C, exchangedFraction: exchangedFraction,
                             eventsPerSecond: rate)
        sink(mode == .terminal ? "\r" + text + "\u{1B}[K\n" : text + "\n")
        printedAny = false
    }

    /// Ends an in-place line that is showing (terminal mode), so what is printed next starts on its
    /// own line; does nothing otherwise. Call before a run stops early.
    public mutating func endLine() {
        guard mode == .terminal, printedAny else { return }
        sink("\n")
        printedAny = false
    }

    /// The progress text, e.g. "t = 1.250e+02 s (2.08 min)  T = 125.0 °C  X = 0.0123  3.45e+06 events/s".
    public static func line(time_s: Double, temperature_C: Double, exchangedFraction: Double,
                            eventsPerSecond: Double) -> String {
        var s = "t = " + format("%.3e", time_s) + " s"
        if time_s >= 3600 { s += " (" + format("%.2f", time_s / 3600) + " h)" }
        else if time_s >= 60 { s += " (" + format("%.2f", time_s / 60) + " min)" }
        s += "  T = " + format("%.1f", temperature_C) + " °C"
        s += "  X = " + format("%.4f", exchangedFraction)
        s += "  " + format("%.2e", eventsPerSecond) + " events/s"
        return s
    }

    /// Writes `text` to stderr (unbuffered).
    public static func writeStderr(_ text: String) {
        var t = text
        t.withUTF8 { buf in
            var done = 0
            while done < buf.count {
                let n = Glibc_write(STDERR_FILENO, buf.baseAddress! + done, buf.count - done)
                if n <= 0 { if n < 0 && errno == EINTR { continue }; return }
                done += n
            }
        }
    }

    private static func format(_ f: String, _ x: Double) -> String {
        var buf = [CChar](repeating: 0, count: 64)
        _ = withVaList([x]) { vsnprintf(&buf, 64, f, $0) }
        return String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
