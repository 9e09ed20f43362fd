// Throughput benchmark of the force field: NVE velocity-Verlet steps on a 2400-atom wurtzite CdSe
// cell (orthorhombic 10 × 6 × 5 supercell of the 8-atom cell, the paper's FF lattice a = 4.39 Å,
// c = 7.02 Å, u = 0.40 — Table 4), 1 fs steps, one thread. Reports steps per CPU-second (user +
// system time of the process during the run, getrusage) and the peak resident set size.
// The integrator here is the minimal one needed to time the force field; production integrators
// and thermostats live elsewhere in the MD module.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CekmcCore
import GSL

#if os(Linux)
private let rusageSelf = __rusage_who_t(RUSAGE_SELF.rawValue)
#else
private let rusageSelf = RUSAGE_SELF
#endif

/// Result of `ForceFieldBenchmark.run`.
public struct ForceFieldBenchmarkResult: Sendable, Codable, Equatable {
    /// Coulomb method description.
    public var coulomb: String
    /// Number of atoms.
    public var atoms: Int
    /// Velocity-Verlet steps timed (one force evaluation each).
    public var steps: Int
    /// Time step in fs.
    public var timestep_fs: Double
    /// CPU seconds (user + system) spent in the timed steps.
    public var cpuSeconds: Double
    /// Wall-clock seconds of the timed steps.
    public var wallSeconds: Double
    /// steps / cpuSeconds (per CPU-second).
    public var stepsPerCPUSecond: Double
    /// Peak resident set size of the process in bytes (getrusage ru_maxrss).
    public var peakRSS_bytes: Int
    /// Neighbour-list builds during the timed steps.
    public var neighborListBuilds: Int
    /// Pairs in the Verlet list at the end.
    public var listPairs: Int
    /// Total energy (kinetic + potential) before and after, eV: a sanity check of the integration.
    public var initialTotalEnergy_eV: Double
    public var finalTotalEnergy_eV: Double
    /// Whether the pair-loop virial was accumulated (NVE does not need it).
    public var virial: Bool
    /// Ewald parameters used (nil for DSF).
    public var ewald: EwaldParameters?
    /// Half-space k-vectors (Ewald only).
    public var kVectors: Int?

    /// JSON keys: snake_case with the unit in the name (one style for every command's JSON).
    enum CodingKeys: String, CodingKey {
        case coulomb
        case atoms
        case steps
        case timestep_fs
        case cpuSeconds = "cpu_s"
        case wallSeconds = "wall_s"
        case stepsPerCPUSecond = "steps_per_cpu_second"
        case peakRSS_bytes = "peak_rss_bytes"
        case neighborListBuilds = "neighbor_list_builds"
        case listPairs = "list_pairs"
        case initialTotalEnergy_eV = "initial_total_energy_eV"
        case finalTotalEnergy_eV = "final_total_energy_eV"
        case virial
        case ewald
        case kVectors = "k_vectors"
    }
}

/// The force-field throughput benchmark (see the file header).
public enum ForceFieldBenchmark {
    /// The 2400-atom wz CdSe cell (orthorhombic 10 × 6 × 5 supercell, 43.9 × 45.6 × 35.1 Å).
    public static func wurtziteCell() -> Configuration {
        ReferenceCrystals.wurtziteOrthorhombic(a: 4.39, c: 7.02, u: 0.40, repeats: [10, 6, 5])
    }

    /// Runs `warmup` untimed and `steps` timed NVE velocity-Verlet steps (`timestep_fs`) from
    /// Maxwell–Boltzmann velocities at `temperature_K` (GSL mt19937, `seed`; zero total momentum).
    /// `computeVirial` switches the pair-loop virial on (off by default: NVE does not use it).
    /// - Throws: force-field setup errors, GSL errors.
    public static func run(coulomb: CoulombMethod, steps: Int, warmup: Int = 5, timestep_fs: Double = 1,
                           temperature_K: Double = 300, seed: UInt64 = 1, skin: Double = 1.0,
                           computeVirial: Bool = false) throws -> ForceFieldBenchmarkResult {
        var c = wurtziteCell()
        let n = c.count
        let masses = c.species.map { Units.mass_amu[$0.description]! }
        let rng = try RandomGenerator(name: "mt19937", seed: seed)
        var momentum = SIMD3<Double>.zero, totalMass = 0.0
        for i in 0..<n {
            let sigma = (Constants.boltzmann_eV_per_K * temperature_K / (masses[i] * Constants.amu_eV_ps2_per_A2)).squareRoot()
            c.velocities[i] = SIMD3(rng.gaussian(sigma: sigma), rng.gaussian(sigma: sigma), rng.gaussian(sigma: sigma))
            momentum += masses[i] * c.velocities[i]; totalMass += masses[i]
        }
        for i in 0..<n { c.velocities[i] -= momentum / totalMass }

        var ff = try ForceField(coulomb: coulomb, skin: skin)
        ff.computesVirial = computeVirial
        var forces: [SIMD3<Double>] = []
        var potential = try ff.evaluate(c, forces: &forces).total
        let dt = timestep_fs * 1e-3                                  // ps
        let invM = masses.map { 1 / ($0 * Constants.amu_eV_ps2_per_A2) }
        func kinetic(_ c: Configuration) -> Double {
            var k = 0.0
            for i in 0..<n { k += 0.5 * masses[i] * Constants.amu_eV_ps2_per_A2 * (c.velocities[i] * c.velocities[i]).sum() }
            return k
        }
        func step() {
            for i in 0..<n {
                c.velocities[i] += (0.5 * dt * invM[i]) * forces[i]
                c.positions[i] += dt * c.velocities[i]
            }
            potential = ff.energyAndForces(c, forces: &forces)
            for i in 0..<n { c.velocities[i] += (0.5 * dt * invM[i]) * forces[i] }
        }
        for _ in 0..<warmup { step() }
        let e0 = kinetic(c) + potential
        let builds0 = ff.neighborListBuilds
        let cpu0 = cpuSeconds(), wall0 = wallSeconds()
        for _ in 0..<steps { step() }
        let cpu = cpuSeconds() - cpu0, wall = wallSeconds() - wall0
        let e1 = kinetic(c) + potential
        return ForceFieldBenchmarkResult(
            coulomb: coulomb.description, atoms: n, steps: steps, timestep_fs: timestep_fs,
            cpuSeconds: cpu, wallSeconds: wall, stepsPerCPUSecond: Double(steps) / max(cpu, 1e-9),
            peakRSS_bytes: peakRSS_bytes(), neighborListBuilds: ff.neighborListBuilds - builds0,
            listPairs: ff.neighborListPairs, initialTotalEnergy_eV: e0, finalTotalEnergy_eV: e1, virial: computeVirial,
            ewald: ff.ewaldParameters, kVectors: ff.ewaldKVectorCount)
    }

    /// User + system CPU time of this process in seconds.
    public static func cpuSeconds() -> Double {
        var u = rusage()
        getrusage(rusageSelf, &u)
        return Double(u.ru_utime.tv_sec) + Double(u.ru_utime.tv_usec) * 1e-6
            + Double(u.ru_stime.tv_sec) + Double(u.ru_stime.tv_usec) * 1e-6
    }

    /// Monotonic wall-clock time in seconds.
    public static func wallSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }

    /// Peak resident set size of this process in bytes (ru_maxrss is in kB on Linux, bytes on Darwin).
    public static func peakRSS_bytes() -> Int {
        var u = rusage()
        getrusage(rusageSelf, &u)
        #if os(Linux)
        return Int(u.ru_maxrss) * 1024
        #else
        return Int(u.ru_maxrss)
        #endif
    }
}
