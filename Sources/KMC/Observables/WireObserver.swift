// One observer pass per output (spec §6): exchanged fraction and volume, shell coverage, domains with
// persistent ids and their events, entry points, fronts, and the projected Cu/Cd maps.
//
//   X = (Cu-occupied cation sites) / (all cation sites, vacancies included)
//   V_exchanged = X · π (d/2)² L                         (nm³)
//   shell coverage = (Cu on shell sites) / L              (Cu per nm of wire length)
//
// The observer takes plain inputs (positions, CSR tables, UInt8 codes), so it does not depend on the
// KMC engine's types. Cost: O(N) per pass with no per-site allocation (see DomainAnalyzer).

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
    /// Bin edge of the projected maps, Å (default 5 Å = 0.5 nm).
    public var mapBinSize_A: Double = 5
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
