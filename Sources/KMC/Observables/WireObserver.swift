// One observer pass per output (spec §6): exchanged fraction and volume, shell coverage, domains with
// persistent ids and their events, entry points, fronts, and the projected Cu/Cd maps.
//
//   X = (Cu-occupied cation sites) / (all cation sites, vacancies included)
//   V_exchanged = X · π (d/2)² L                         (nm³)
//   shell coverage = (Cu on shell sites) / L              (Cu per nm of wire length)
//
// The observer takes plain inputs (positions, CSR tables, UInt8 codes), so it does not depend on the
// KMC engine's types. `exportState()`/`restore(_:)` carry the tracker's memory through checkpoints.
// Cost: O(N) per pass with no per-site allocation (see DomainAnalyzer).

import Foundation

/// Settings of a `WireObserver` (all have defaults).
public struct ObserverSettings: Sendable, Equatable {
    /// Occupancy codes of cation sites (default 0 empty, 1 Cd, 2 Cu).
    public var codes: CationCodes = .standard
    /// Layer fraction for "spans the cross-section" (default 0.9, spec §6).
    public var spanFraction: Double = 0.9
    /// Smallest component reported/tracked as a domain (default 1 = every cluster).
    public var minDomainSites: Int = 1
    /// N_min: size a domain must have reached for its disappearance to count as a reversal (default 100).
    public var minReversalSites: Int = 100
    /// Bin edge of the projected maps, Å (default 1 Å = 0.1 nm: below the cation-plane spacing, so
    /// every atom column falls in its own bin and a probe blur applied afterwards shows no stripes).
    public var mapBinSize_A: Double = 1
    /// Bin width of the axial profile along z, Å (default 10 Å = 1 nm).
    public var profileBinSize_A: Double = 10
    /// Room around the wire in the maps for shell atoms, Å (default 10).
    public var mapMargin_A: Double = 10
    /// Angle of the maps' across direction from +x, degrees (default 0: beam along y).
    public var mapAcrossAngle_deg: Double = 0

    /// Default settings.
    public init() {}
}

/// Everything one observer pass measured.
public struct Observation: Sendable, Equatable {
    /// Simulated time, s.
    public var time_s: Double
    /// Temperature, °C.
    public var temperature_C: Double
    /// All cation sites N.
    public var cationSites: Int
    /// Cu-occupied cation sites.
    public var copperSites: Int
    /// Cd-occupied cation sites.
    public var cadmiumSites: Int
    /// Exchanged fraction X = copperSites / cationSites.
    public var exchangedFraction: Double
    /// Exchanged volume X · V_wire, nm³.
    public var exchangedVolume_nm3: Double
    /// Cu atoms on shell (surface adsorption) sites.
    public var shellCopper: Int
    /// Shell coverage: shell Cu per nm of wire length.
    public var shellCuPerNm: Double
    /// Domains with persistent ids, ascending id.
    public var domains: [TrackedDomain]
    /// Domain events detected at this snapshot.
    public var events: [DomainEvent]
    /// Entry points of domains born at this snapshot.
    public var entries: [EntryPoint]

    /// Number of domains.
    public var domainCount: Int { domains.count }
}

/// Shell coverage helper.
public enum ShellCoverage {
    /// Adsorbed Cu per nm of wire length: count / (L in nm).
    public static func perNm(copperOnShell count: Int, length_A: Double) -> Double {
        Double(count) / (length_A / 10)
    }
}

/// Runs all observables on a wire, keeping buffers and domain identities between passes.
public struct WireObserver: Sendable {
    /// The cation sublattice.
    public let frame: CationFrame
    /// Settings in force.
    public let settings: ObserverSettings
    /// Domain finder (results of the latest pass readable here).
    public private(set) var analyzer: DomainAnalyzer
    /// Domain identities and history.
    public private(set) var tracker: DomainTracker
    /// Projected Cu map; refreshed from the cation sites by `projectCations(codes:)`; add other Cu
    /// (interstitials, shell) with `cuMap.add(positions:codes:matching:)` before writing it.
    public var cuMap: ProjectedMap
    /// Projected Cd map (same grid as `cuMap`).
    public var cdMap: ProjectedMap
    /// Cation codes of the latest pass (empty before the first); kept for `exportState()`.
    private var lastCodes: [UInt8] = []

    /// Everything a later pass depends on, for checkpoints: the latest pass's cation codes (from
    /// which the domains are recomputed exactly) and the tracker's ids and histories.
    /// Size O(N) bytes + O(P).
    public struct State: Codable, Sendable, Equatable {
        /// Cation codes of the latest pass, one byte per site in frame order (empty: no pass yet).
        public var codes: Data
        /// Tracker memory.
        public var tracker: DomainTracker.State
    }

    /// The state to save in a checkpoint. O(N).
    public func exportState() -> State {
        State(codes: Data(lastCodes), tracker: tracker.exportState())
    }

    /// Restores a saved state into this observer (built with the same frame and settings), so the next
    /// pass assigns the same ids and events as the observer the state came from. O(N + E).
    /// - Throws: `ObservablesError.invalid` if the state does not fit this observer.
    public mutating func restore(_ s: State) throws {
        guard !s.codes.isEmpty else {
            tracker = try DomainTracker(siteCount: frame.count, minReversalSites: settings.minReversalSites)
            lastCodes = []
            return
        }
        guard s.codes.count == frame.count else {
            throw ObservablesError.invalid(component: "WireObserver", key: "state",
                                           message: "saved codes cover \(s.codes.count) sites, the frame has \(frame.count)")
        }
        let codes = [UInt8](s.codes)
        analyzer.analyze(codes: codes)
        try tracker.restore(s.tracker, analyzer: analyzer)
        lastCodes = codes
    }

    /// Creates an observer for `frame`.
    /// - Throws: `ObservablesError.invalid` if a setting is out of range.
    public init(frame: CationFrame, settings: ObserverSettings = ObserverSettings()) throws {
        self.frame = frame
        self.settings = settings
        analyzer = try DomainAnalyzer(frame: frame, codes: settings.codes, spanFraction: settings.spanFraction,
                                      minDomainSites: settings.minDomainSites)
        tracker = try DomainTracker(siteCount: frame.count, minReversalSites: settings.minReversalSites)
        let grid = try ProjectionGrid(frame: frame, binSize_A: settings.mapBinSize_A, margin_A: settings.mapMargin_A,
                                      acrossAngle_deg: settings.mapAcrossAngle_deg)
        cuMap = ProjectedMap(grid: grid)
        cdMap = ProjectedMap(grid: grid)
    }

    /// One observer pass (everything but the maps).
    ///
    /// - Parameters:
    ///   - time_s: simulated time, s.
    ///   - temperature_C: temperature, °C.
    ///   - cationCodes: one occupancy code per cation site, in frame order.
    ///   - shellCopper: number of Cu atoms on shell sites.
    ///   - surfaceVacancies: positions (Å) of surface Cd vacancies (for entry points).
    ///   - siteLabel: optional callback describing a cation site (for entry points).
    /// - Complexity: O(N + E·z); no per-site allocation.
    public mutating func observe(time_s: Double, temperature_C: Double, cationCodes: UnsafeBufferPointer<UInt8>,
                                 shellCopper: Int, surfaceVacancies: [SIMD3<Double>] = [],
                                 siteLabel: ((Int) -> String)? = nil) -> Observation {
        analyzer.analyze(codes: cationCodes)
        if lastCodes.count != cationCodes.count { lastCodes = [UInt8](repeating: 0, count: cationCodes.count) }
        lastCodes.withUnsafeMutableBufferPointer { d in _ = d.update(fromContentsOf: cationCodes) }
        let update = tracker.update(analyzer: analyzer, time_s: time_s, temperature_C: temperature_C,
                                    surfaceVacancies: surfaceVacancies, siteLabel: siteLabel)
        let x = Double(analyzer.copperSites) / Double(frame.count)
        return Observation(
            time_s: time_s, temperature_C: temperature_C, cationSites: frame.count,
            copperSites: analyzer.copperSites, cadmiumSites: analyzer.cadmiumSites,
            exchangedFraction: x, exchangedVolume_nm3: x * frame.wireVolume_nm3,
            shellCopper: shellCopper,
            shellCuPerNm: ShellCoverage.perNm(copperOnShell: shellCopper, length_A: frame.length_A),
            domains: tracker.domains.sorted { $0.id < $1.id },
            events: update.events, entries: update.entries)
    }

    /// Array convenience for `observe(time_s:temperature_C:cationCodes:shellCopper:surfaceVacancies:siteLabel:)`.
    public mutating func observe(time_s: Double, temperature_C: Double, cationCodes: [UInt8], shellCopper: Int,
                                 surfaceVacancies: [SIMD3<Double>] = [], siteLabel: ((Int) -> String)? = nil) -> Observation {
        cationCodes.withUnsafeBufferPointer {
            observe(time_s: time_s, temperature_C: temperature_C, cationCodes: $0, shellCopper: shellCopper,
                    surfaceVacancies: surfaceVacancies, siteLabel: siteLabel)
        }
    }

    /// Resets both maps and fills them with the Cu and Cd cation sites.
    /// Add interstitial and shell atoms afterwards with `cuMap.add(…)` / `cdMap.add(…)`.
    /// - Complexity: O(N), no allocation.
    public mutating func projectCations(codes: UnsafeBufferPointer<UInt8>) {
        cuMap.reset(); cdMap.reset()
        ProjectedMap.add(frame: frame, codes: codes, matching: settings.codes.copper, to: &cuMap,
                         matching: settings.codes.cadmium, to: &cdMap)
    }

    /// Array convenience for `projectCations(codes:)`.
    public mutating func projectCations(codes: [UInt8]) {
        codes.withUnsafeBufferPointer { projectCations(codes: $0) }
    }
}
