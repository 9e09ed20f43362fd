// Checks of a decoded scenario that need the wire or the machine, run by `cekmc validate` and by
// `cekmc run` before anything is allocated: the size of the wire against the memory (estimated from
// diameter and length, without carving), the volume of the outputs, and the explicit vacancies
// (`defects.vacancy_sites`, `defects.vacancy_positions_A`) against the wire's sites — the checks
// the model would otherwise make only once it is built. Every problem is an `InputError` naming
// the file, line and key path; several are thrown together as `InputErrors`.
//
// Calibration of the estimates (debug build, Linux x86-64, `cekmc run --stop-after-events 1`):
//   wire (nm)      phase  sites     peak RSS
//   6 × 30         zb      53 469    52 MB
//   12 × 60        zb     398 681   157 MB
//   6 × 30         wz      51 705    49 MB
// Sites = ρ·V + σ·A (V = π d² l / 4, A = π d l the side surface) fitted to the two zb wires gives
// ρ = 54.5 sites/nm³ (the zb holes: 12 per 0.2215 nm³ cubic cell = 54.2) and σ = 12.9 sites/nm²
// (shell sites); wz has 3 % fewer sites for the same wire (ρ = 52.8). Memory = 40 MB + 310 bytes per
// site (the slope between the two zb wires; peak RSS includes building the topology). Snapshots are
// labelled extended XYZ (species, position, site label, domain id): measured 11 bytes per site on the
// default 6 × 30 nm wire with no shell, 21 with the Se frame (`output.snapshot_anions`) on a 4 × 10 nm
// wire with a shell; counted as 21 and 32 bytes per site to leave room for the shell and exchanged Cu.

import CekmcCore
import Foundation
import KMC

/// Limits a scenario is checked against before a run: the machine's memory and an optional cap.
public struct ScenarioLimits: Sendable {
    /// Most memory the run may need, bytes (`--max-memory-GB`); nil: the machine's memory only.
    public var maxMemory_bytes: Double?
    /// Physical memory of the machine, bytes; nil when it cannot be read.
    public var physicalMemory_bytes: Double?

    /// Memberwise initialiser.
    public init(maxMemory_bytes: Double? = nil, physicalMemory_bytes: Double? = ScenarioLimits.physicalMemory()) {
        self.maxMemory_bytes = maxMemory_bytes
        self.physicalMemory_bytes = physicalMemory_bytes
    }

    /// Physical memory of this machine in bytes: `MemTotal` of /proc/meminfo (Linux) or `hw.memsize`
    /// (macOS); nil when neither can be read.
    public static func physicalMemory() -> Double? {
        #if os(macOS)
        var size: UInt64 = 0
        var len = MemoryLayout<UInt64>.size
        guard sysctlbyname("hw.memsize", &size, &len, nil, 0) == 0 else { return nil }
        return Double(size)
        #else
        guard let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("MemTotal:") {
            let fields = line.split(separator: " ")
            if fields.count >= 2, let kB = Double(fields[1]) { return kB * 1024 }
        }
        return nil
        #endif
    }
}

/// The checks of a decoded scenario that need the wire or the machine (see the file header).
public enum ScenarioPreflight {
    /// Most bytes of maps and snapshots a run may write (estimate; see `outputBytes`): 100 GB.
    public static let maxOutput_bytes = 100e9

    /// Estimated KMC sites of a wire of diameter `d_nm` and length `l_nm` (calibration in the file
    /// header; within a few % on the calibration wires). O(1).
    public static func sites(phase: Phase, diameter_nm d: Double, length_nm l: Double) -> Double {
        let rho = phase == .zb ? 54.5 : 52.8   // sites/nm³
        let sigma = 12.9                       // shell sites/nm² of side surface
        return rho * Double.pi * d * d * l / 4 + sigma * Double.pi * d * l
    }

    /// Estimated peak memory of a run on a wire of `sites` sites, bytes. O(1).
    public static func memory_bytes(sites: Double) -> Double { 40e6 + 310 * sites }

    /// Estimated bytes of snapshots and maps a run of `config` writes on a wire of `sites` sites. O(1).
    public static func output_bytes(_ config: ScenarioConfig, sites: Double) -> Double {
        let outputs = Double(Simulation.outputCount(duration_s: config.program.duration_s, interval_s: config.outputInterval_s))
        let snapshots = config.snapshotsEvery > 0 ? (outputs / Double(config.snapshotsEvery)).rounded(.up) : 0
        // A projected map: a few bins per nm² of the wire's side, well under a snapshot; counted as 1/10 of one.
        let maps = config.mapsEvery > 0 ? (outputs / Double(config.mapsEvery)).rounded(.up) : 0
        return (snapshots + maps / 10) * (config.snapshotAnions ? 32 : 21) * sites
    }

    /// "1.5 GB"-style text of a byte count.
    static func text(bytes b: Double) -> String {
        let units = [(1e12, "TB"), (1e9, "GB"), (1e6, "MB"), (1e3, "kB")]
        for (size, name) in units where b >= size {
            return String(format: "%.3g %@", b / size, name)
        }
        return String(format: "%.0f bytes", b)
    }

    /// Check `config`, decoded from `text` (`file` names it in messages), against `limits` and its wire.
    public static func check(_ config: ScenarioConfig, text: String, file: String, limits: ScenarioLimits) throws {
        try check(config, table: InputTable.parse(text, file: file), limits: limits)
    }

    /// As `check(_:text:file:limits:)` with the table the scenario was decoded from (for lines).
    static func check(_ config: ScenarioConfig, table t: InputTable, limits: ScenarioLimits) throws {
        var problems: [InputError] = []
        let lines = t.document.lines
        func problem(_ path: String, value: String?, _ text: String, allowed: String? = nil) {
            problems.append(InputError(file: t.file, keyPath: path, value: value, problem: text, allowed: allowed,
                                       line: lines.line(for: path)))
        }
        let wire = "\(config.diameter_nm) × \(config.length_nm) nm \(config.phase.rawValue) wire"
        let n = sites(phase: config.phase, diameter_nm: config.diameter_nm, length_nm: config.length_nm)
        let need = memory_bytes(sites: n)
        var fits = true
        let capped = limits.maxMemory_bytes.map { ($0, "--max-memory-GB") }
        let machine = limits.physicalMemory_bytes.map { ($0, "the machine's memory") }
        if let (limit, what) = [capped, machine].compactMap({ $0 }).min(by: { $0.0 < $1.0 }), need > limit {
            fits = false
            problem("wire", value: nil, "the \(wire) has about \(String(format: "%.3g", n)) sites and needs about \(text(bytes: need)) of memory, more than \(what) (\(text(bytes: limit)))",
                    allowed: "a wire needing at most \(text(bytes: limit)): a smaller diameter_nm or length_nm")
        }
        let out = output_bytes(config, sites: n)
        if out > maxOutput_bytes {
            problem("output", value: nil, "the run would write about \(text(bytes: out)) of snapshots and maps on the \(wire) (at most \(text(bytes: maxOutput_bytes)))",
                    allowed: "larger snapshots_every, maps_every or interval_min")
        }
        let sitesList = config.initial.vacancySites, positions = config.initial.vacancyPositions
        if fits, !sitesList.isEmpty || !positions.isEmpty {
            let (pos, kinds) = try LatticeTopology.wireSites(phase: config.phase, diameter_nm: config.diameter_nm, length_nm: config.length_nm)
            for (i, s) in sitesList.enumerated() where !(s < kinds.count && kinds[s] == .cation) {
                problem("defects.vacancy_sites[\(i)]", value: String(s), "not a cation site index of the \(wire)",
                        allowed: "the index of a cation site, in 0..<\(kinds.count)")
            }
            let cations = kinds.indices.filter { kinds[$0] == .cation }
            for (i, p) in positions.enumerated() {
                var best = Double.infinity
                for c in cations {
                    let d = pos[c] - p
                    best = min(best, (d * d).sum())
                }
                if best > 1 {
                    let v = "[" + [p.x, p.y, p.z].map(TOMLText.double).joined(separator: ", ") + "]"
                    problem("defects.vacancy_positions_A", value: v,
                            "no cation site of the \(wire) within 1 Å of vacancy \(i + 1) (nearest at \(String(format: "%.3g", best.squareRoot())) Å)")
                }
            }
        }
        let sorted = problems.enumerated().sorted { a, b in
            let la = a.element.line ?? 0, lb = b.element.line ?? 0
            return la != lb ? la < lb : a.offset < b.offset
        }.map(\.element)
        if sorted.count == 1 { throw sorted[0] }
        if sorted.count > 1 { throw InputErrors(sorted) }
    }
}
