// summary.json and timing.json of a run.
//
// Decision (byte identity): summary.json holds only what is determined by the input and the seed —
// effective input, seed, generator, simulated time, event counts by type, final observables — so two
// runs with the same input and seed write byte-identical summary.json files. Everything that depends
// on the wall clock or the machine (wall time, events per second, dates) goes to timing.json, which
// differs between runs and is never compared.
// Encoding: JSONEncoder with sorted keys (deterministic order), pretty-printed, slashes unescaped,
// non-finite numbers as the strings "inf", "-inf", "nan"; files end with a newline.

import Foundation

/// A JSON value, for free-form parts of the summary (e.g. an effective input given as a dictionary).
public enum JSONValue: Codable, Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int.self) { self = .int(i) }
        else if let d = try? c.decode(Double.self) { self = .double(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case let .bool(b): try c.encode(b)
        case let .int(i): try c.encode(i)
        case let .double(d): try c.encode(d)
        case let .string(s): try c.encode(s)
        case let .array(a): try c.encode(a)
        case let .object(o): try c.encode(o)
        }
    }
}

/// Observables at the end of a run (the `final` block of summary.json).
public struct FinalObservables: Codable, Sendable, Equatable {
    /// Simulated time, s.
    public var time_s: Double
    /// Temperature, °C.
    public var temperature_C: Double
    /// Exchanged fraction X.
    public var exchangedFraction: Double
    /// Exchanged volume, nm³.
    public var exchangedVolume_nm3: Double
    /// Shell Cu per nm of wire length.
    public var shellCuPerNm: Double
    /// Number of domains.
    public var nDomains: Int
    /// Cu interstitials.
    public var nCuInterstitial: Int
    /// Cd interstitials.
    public var nCdInterstitial: Int
    /// Domain events over the whole run by kind (birth, merge, reversal, split, vanish).
    public var domainEvents: [String: Int]

    enum CodingKeys: String, CodingKey {
        case time_s, temperature_C
        case exchangedFraction = "exchanged_fraction"
        case exchangedVolume_nm3 = "exchanged_volume_nm3"
        case shellCuPerNm = "shell_cu_per_nm"
        case nDomains = "n_domains"
        case nCuInterstitial = "n_cu_interstitial"
        case nCdInterstitial = "n_cd_interstitial"
        case domainEvents = "domain_events"
    }

    /// Builds the block from the last observation.
    public init(_ o: Observation, cuInterstitials: Int, cdInterstitials: Int, domainEvents: [String: Int]) {
        time_s = o.time_s; temperature_C = o.temperature_C
        exchangedFraction = o.exchangedFraction; exchangedVolume_nm3 = o.exchangedVolume_nm3
        shellCuPerNm = o.shellCuPerNm; nDomains = o.domainCount
        nCuInterstitial = cuInterstitials; nCdInterstitial = cdInterstitials
        self.domainEvents = domainEvents
    }
}

/// Content of summary.json: deterministic for a given input and seed (no wall-clock fields).
public struct RunSummary<Input: Encodable & Sendable>: Encodable, Sendable {
    /// Program name and version, e.g. "cekmc 0.1".
    public var program: String
    /// The effective input (every parameter with its value in force, defaults included).
    public var effectiveInput: Input
    /// Seed of the random generator.
    public var seed: UInt64
    /// Name of the random generator (GSL name, e.g. "mt19937").
    public var generator: String
    /// Simulated time at the end, s.
    public var simulatedTime_s: Double
    /// KMC events executed, total.
    public var totalEvents: Int
    /// KMC events executed, by event type name.
    public var eventCounts: [String: Int]
    /// Observables at the end.
    public var finalObservables: FinalObservables
    /// Anything else worth keeping (deterministic values only).
    public var extra: [String: JSONValue]

    enum CodingKeys: String, CodingKey {
        case program
        case effectiveInput = "effective_input"
        case seed, generator
        case simulatedTime_s = "simulated_time_s"
        case totalEvents = "total_events"
        case eventCounts = "event_counts"
        case finalObservables = "final"
        case extra
    }

    /// Creates a summary.
    public init(program: String, effectiveInput: Input, seed: UInt64, generator: String, simulatedTime_s: Double,
                totalEvents: Int, eventCounts: [String: Int], finalObservables: FinalObservables,
                extra: [String: JSONValue] = [:]) {
        self.program = program; self.effectiveInput = effectiveInput; self.seed = seed; self.generator = generator
        self.simulatedTime_s = simulatedTime_s; self.totalEvents = totalEvents; self.eventCounts = eventCounts
        self.finalObservables = finalObservables; self.extra = extra
    }
}

/// Content of timing.json: wall-clock facts, different on every run.
public struct RunTiming: Codable, Sendable, Equatable {
    /// Wall time of the run, s.
    public var wallTime_s: Double
    /// KMC events executed.
    public var events: Int
    /// events / wall time, s⁻¹.
    public var eventsPerSecond: Double
    /// Wall time spent in observer passes and output writing, s.
    public var outputTime_s: Double
    /// Start date, ISO 8601 (UTC).
    public var startedAt: String
    /// End date, ISO 8601 (UTC).
    public var finishedAt: String

    enum CodingKeys: String, CodingKey {
        case wallTime_s = "wall_time_s", events, eventsPerSecond = "events_per_second",
             outputTime_s = "output_time_s", startedAt = "started_at", finishedAt = "finished_at"
    }

    /// Creates a timing record; events/s is derived.
    public init(wallTime_s: Double, events: Int, outputTime_s: Double = 0, startedAt: String, finishedAt: String) {
        self.wallTime_s = wallTime_s; self.events = events
        eventsPerSecond = wallTime_s > 0 ? Double(events) / wallTime_s : 0
        self.outputTime_s = outputTime_s; self.startedAt = startedAt; self.finishedAt = finishedAt
    }

    /// Current date as ISO 8601 UTC text, e.g. "2026-01-31T12:00:00Z".
    public static func now() -> String {
        let f = ISO8601DateFormatter()
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: Date())
    }
}

/// Deterministic JSON encoding and atomic writing.
public enum JSONOutput {
    /// Encodes `value` with sorted keys, pretty-printed, ending with a newline.
    public static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        var bytes = [UInt8](try e.encode(value))
        bytes.append(0x0A)
        return bytes
    }

    /// Writes `value` as JSON to `path`, atomically.
    public static func write<T: Encodable>(_ value: T, to path: String) throws {
        try AtomicFile.write(encode(value), to: path)
    }
}
