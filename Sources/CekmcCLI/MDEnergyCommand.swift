import ArgumentParser
import CekmcCore
import Geometry
import MD
#if canImport(Foundation)
import Foundation
#endif

extension DSFSelfEnergy: ExpressibleByArgument {}

/// Coulomb method names accepted on the command line.
enum CoulombChoice: String, ExpressibleByArgument, CaseIterable, Sendable {
    case ewald, dsf, none, direct
}

/// Force-field options shared by `md energy` and `md bench`.
struct ForceFieldOptions: ParsableArguments {
    @Option(help: "Coulomb method: ewald (fully periodic), dsf (any periodicity), direct (open clusters), none.")
    var coulomb: CoulombChoice = .ewald
    @Option(help: "Ewald relative force accuracy (relative to k_e e²/Å²).")
    var accuracy: Double = 1e-5
    @Option(name: .customLong("ewald-cutoff-A"), help: "Ewald real-space cutoff in Å (default: balanced for speed, ≥ the LJ cutoff).")
    var ewaldCutoff: Double?
    @Option(name: .customLong("dsf-alpha-per-A"), help: "DSF damping α in Å⁻¹.")
    var dsfAlpha: Double = 0.2
    @Option(name: .customLong("dsf-cutoff-A"), help: "DSF cutoff in Å.")
    var dsfCutoff: Double = 10
    @Option(name: .customLong("dsf-self"), help: "DSF self-energy convention: fennell-gezelter (default) or lammps (LAMMPS lj/cut/coul/dsf totals).")
    var dsfSelf: DSFSelfEnergy = .fennellGezelter
    @Option(name: .customLong("lj-cutoff-A"), help: "Lennard-Jones cutoff in Å.")
    var ljCutoff: Double = 10
    @Flag(name: .customLong("lj-unshifted"), help: "Plain LJ truncation (default: energy shifted to 0 at the cutoff).")
    var ljUnshifted = false
    @Option(name: .customLong("skin-A"), help: "Verlet skin in Å.")
    var skin: Double = 1

    var method: CoulombMethod {
        switch coulomb {
        case .ewald: return .ewald(accuracy: accuracy, cutoff: ewaldCutoff)
        case .dsf: return .dsf(alpha: dsfAlpha, cutoff: dsfCutoff, selfEnergy: dsfSelf)
        case .none: return .none
        case .direct: return .direct
        }
    }

    func forceField() throws -> ForceField {
        try ForceField(parameters: .casu2023, coulomb: method, ljCutoff: ljCutoff, ljShifted: !ljUnshifted, skin: skin)
    }
}

/// JSON document printed by `cekmc md energy --json` (keys documented in docs/md-forcefield.md).
struct MDEnergyReport: Codable {
    struct Breakdown: Codable {
        var lennard_jones: Double
        var coulomb_real: Double
        var coulomb_reciprocal: Double
        var coulomb_self: Double
        var coulomb_background: Double
    }
    struct Ewald: Codable {
        var alpha_per_A: Double
        var real_cutoff_A: Double
        var k_cutoff_per_A: Double
        var k_vectors: Int
    }
    var file: String
    var frame: Int
    var atoms: Int
    var coulomb: String
    var parameters_hash: String
    var energy_eV: Double
    var energy_per_atom_eV: Double
    var breakdown_eV: Breakdown
    var max_force_eV_per_A: Double
    var max_force_atom: Int
    var virial_eV: [[Double]]
    var pressure_GPa: Double?
    var ewald: Ewald?
    var forces_eV_per_A: [[Double]]?
}

/// `cekmc md energy FILE.extxyz` — energy, breakdown and forces of one configuration.
public struct MDEnergyCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "energy",
        abstract: "Force-field energy, breakdown and forces of an extended XYZ configuration.",
        discussion: """
        Force field of Casu et al. 2023 (eq. 2, Tables 2–3): LJ (Lorentz–Berthelot) + Coulomb.
        Units: eV, Å, eV/Å, GPa. See docs/md-forcefield.md for conventions and JSON keys.
        """
    )
    public init() {}

    @Argument(help: "Extended XYZ file (species:S:1:pos:R:3, Lattice, pbc).")
    var file: String
    @Option(help: "Frame index (0-based; negative counts from the end).")
    var frame: Int = 0
    @OptionGroup var options: ForceFieldOptions
    @Flag(help: "Print JSON instead of text.")
    var json = false
    @Flag(help: "Include per-atom forces.")
    var forces = false

    public func run() throws {
        let frames = try ExtendedXYZ.readConfigurations(contentsOf: file)
        guard !frames.isEmpty else { throw ValidationError("\(file): no frames") }
        let index = frame < 0 ? frames.count + frame : frame
        guard index >= 0 && index < frames.count else {
            throw ValidationError("--frame \(frame) out of range: \(file) has \(frames.count) frame(s)")
        }
        let c = frames[index].configuration
        var ff = try options.forceField()
        var f: [SIMD3<Double>] = []
        let b = try ff.evaluate(c, forces: &f)
        var fmax = 0.0, imax = -1
        for i in 0..<f.count { let m = (f[i] * f[i]).sum().squareRoot(); if m > fmax { fmax = m; imax = i } }
        let w = ff.lastVirial
        let fullyPeriodic = c.cell.periodic.0 && c.cell.periodic.1 && c.cell.periodic.2
        let pressure = fullyPeriodic ? w.pressure(volume: c.cell.volume) * VirialTensor.eVPerCubicAngstrom_GPa : nil
        let report = MDEnergyReport(
            file: file, frame: index, atoms: c.count, coulomb: options.method.description,
            parameters_hash: ff.parameters.hashHex,
            energy_eV: b.total, energy_per_atom_eV: c.count > 0 ? b.total / Double(c.count) : 0,
            breakdown_eV: .init(lennard_jones: b.lennardJones, coulomb_real: b.coulombReal, coulomb_reciprocal: b.coulombReciprocal,
                                coulomb_self: b.coulombSelf, coulomb_background: b.coulombBackground),
            max_force_eV_per_A: fmax, max_force_atom: imax,
            virial_eV: (0..<3).map { r in (0..<3).map { w[r, $0] } },
            pressure_GPa: pressure,
            ewald: ff.ewaldParameters.map { .init(alpha_per_A: $0.alpha, real_cutoff_A: $0.realCutoff, k_cutoff_per_A: $0.kCutoff, k_vectors: ff.ewaldKVectorCount ?? 0) },
            forces_eV_per_A: forces ? f.map { [$0.x, $0.y, $0.z] } : nil)
        if json {
            let enc = JSONEncoder()
            enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try enc.encode(report), as: UTF8.self))
            return
        }
        print("file               \(file) (frame \(index), \(c.count) atoms)")
        print("coulomb            \(report.coulomb)")
        print("parameters hash    \(report.parameters_hash)")
        print("energy             \(fmt(b.total)) eV  (\(fmt(report.energy_per_atom_eV)) eV/atom)")
        print("  lennard-jones    \(fmt(b.lennardJones)) eV")
        print("  coulomb real     \(fmt(b.coulombReal)) eV")
        print("  coulomb recip    \(fmt(b.coulombReciprocal)) eV")
        print("  coulomb self     \(fmt(b.coulombSelf)) eV")
        print("  coulomb backgr.  \(fmt(b.coulombBackground)) eV")
        print("max |F|            \(fmt(fmax)) eV/Å (atom \(imax))")
        if let pressure { print("pressure           \(fmt(pressure)) GPa (configurational)") }
        if let e = report.ewald {
            print("ewald              α = \(fmt(e.alpha_per_A)) Å⁻¹, r_c = \(fmt(e.real_cutoff_A)) Å, K = \(fmt(e.k_cutoff_per_A)) Å⁻¹, \(e.k_vectors) k-vectors")
        }
        if forces {
            for i in 0..<f.count { print("F \(i) \(c.species[i]) \(fmt(f[i].x)) \(fmt(f[i].y)) \(fmt(f[i].z))") }
        }
    }

    private func fmt(_ x: Double) -> String { String(format: "%.10g", x) }
}

/// `cekmc md bench` — force-field throughput on the 2400-atom wz CdSe cell.
public struct MDBenchCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Velocity-Verlet steps per CPU-second on a 2400-atom wz CdSe cell (1 fs, one core).",
        discussion: "Targets: DSF (α = 0.2 Å⁻¹, 10 Å) ≥ 145 steps/s; Ewald at 1e-5 beside LAMMPS's ~95 steps/s."
    )
    public init() {}

    @Option(help: "Coulomb method: dsf or ewald (or none).")
    var coulomb: CoulombChoice = .dsf
    @Option(help: "Timed steps (default 300 for dsf/none, 100 for ewald).")
    var steps: Int?
    @Option(help: "Ewald relative force accuracy.")
    var accuracy: Double = 1e-5
    @Option(name: .customLong("ewald-cutoff-A"), help: "Ewald real-space cutoff in Å (default: balanced for speed).")
    var ewaldCutoff: Double?
    @Option(name: .customLong("temperature-K"), help: "Initial Maxwell–Boltzmann temperature in K.")
    var temperature: Double = 300
    @Option(name: .customLong("skin-A"), help: "Verlet skin in Å.")
    var skin: Double = 1
    @Option(help: "Seed of the velocity generator (GSL mt19937).")
    var seed: UInt64 = 1
    @Flag(help: "Also accumulate the virial (as needed for pressure/cell relaxation).")
    var virial = false
    @Flag(help: "Print JSON.")
    var json = false

    public func run() throws {
        let method: CoulombMethod
        switch coulomb {
        case .dsf: method = .dsf(alpha: 0.2, cutoff: 10)
        case .ewald: method = .ewald(accuracy: accuracy, cutoff: ewaldCutoff)
        case .none: method = .none
        case .direct: throw ValidationError("--coulomb direct needs an open cluster; the benchmark cell is periodic")
        }
        let n = steps ?? (coulomb == .ewald ? 100 : 300)
        guard n > 0 else { throw ValidationError("--steps must be > 0, got \(n)") }
        let r = try ForceFieldBenchmark.run(coulomb: method, steps: n, temperature_K: temperature, seed: seed, skin: skin, computeVirial: virial)
        if json {
            let enc = JSONEncoder()
            enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try enc.encode(r), as: UTF8.self))
            return
        }
        print("coulomb           \(r.coulomb)")
        print("atoms             \(r.atoms), \(r.steps) steps of \(r.timestep_fs) fs, virial \(r.virial ? "on" : "off")")
        print("steps/CPU-second  \(String(format: "%.1f", r.stepsPerCPUSecond))  (CPU \(String(format: "%.2f", r.cpuSeconds)) s, wall \(String(format: "%.2f", r.wallSeconds)) s)")
        print("peak RSS          \(String(format: "%.1f", Double(r.peakRSS_bytes) / 1_048_576)) MB")
        print("list              \(r.listPairs) pairs, \(r.neighborListBuilds) rebuilds")
        print("total energy      \(String(format: "%.6f", r.initialTotalEnergy_eV)) → \(String(format: "%.6f", r.finalTotalEnergy_eV)) eV")
        if let e = r.ewald {
            print("ewald             α = \(String(format: "%.4f", e.alpha)) Å⁻¹, r_c = \(e.realCutoff) Å, K = \(String(format: "%.4f", e.kCutoff)) Å⁻¹, \(r.kVectors ?? 0) k-vectors")
        }
    }
}
