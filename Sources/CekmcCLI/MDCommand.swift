import ArgumentParser
import CekmcCore
import Foundation
import Geometry
import MD

/// `cekmc md …` — the paper's MD calculations (docs/md.md lists every subcommand and JSON key).
struct MDCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "md",
        abstract: "Molecular dynamics calculations of Casu et al. 2023 (force-field checks, steps a–d).",
        subcommands: [MDLatticeCommand.self, MDDefectCommand.self, MDFrequencyCommand.self, MDDiffusionCommand.self,
                      MDPathCommand.self, MDAdsorptionCommand.self, MDEnergyCommand.self, MDBenchCommand.self]
    )
}

/// Options every `md` subcommand shares.
struct MDCommonOptions: ParsableArguments {
    @Flag(help: "Small cells, short runs, few paths (minutes; wider error bars).") var quick = false
    @Flag(help: "Print the result as JSON on stdout (keys: docs/md.md).") var json = false
    @Option(help: "Seed of the GSL generator (mt19937).") var seed: UInt64 = 20_230_101
    @Option(name: .customLong("bulk-coulomb"), help: "Coulomb method for fully periodic bulk cells: ewald or dsf.") var bulkCoulomb = "ewald"
    @Option(name: .customLong("force-tolerance"), help: "Max-force tolerance of every relaxation, eV/Å.") var forceTolerance = 1e-3
    @Flag(help: "No progress messages on stderr.") var silent = false

    func validate() throws {
        guard ["ewald", "dsf"].contains(bulkCoulomb) else { throw ValidationError("--bulk-coulomb must be ewald or dsf, got \(bulkCoulomb)") }
        guard forceTolerance > 0 && forceTolerance.isFinite else { throw ValidationError("--force-tolerance must be > 0, got \(forceTolerance)") }
    }

    var settings: ProtocolSettings {
        var s = ProtocolSettings()
        s.profile = quick ? .quick : .full
        s.seed = seed
        s.bulkCoulomb = bulkCoulomb == "dsf" ? .dsf() : .ewald()
        s.forceTolerance_eV_per_A = forceTolerance
        let start = Date()
        if !silent {
            s.progress = { msg in
                FileHandle.standardError.write(Data(String(format: "[%7.1f s] %@\n", Date().timeIntervalSince(start), msg).utf8))
            }
        }
        return s
    }

    /// Prints `value` as JSON (sorted keys) or `text`.
    func emit<T: Encodable>(_ value: T, text: () -> String) throws {
        if json {
            let e = JSONEncoder()
            e.outputFormatting = [.prettyPrinted, .sortedKeys]
            e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            print(String(decoding: try e.encode(value), as: UTF8.self))
        } else {
            print(text(), terminator: "")
        }
    }
}

func fmt(_ x: Double?, _ digits: Int = 3) -> String { x.map { String(format: "%.\(digits)f", $0) } ?? "—" }

func phases(_ s: String) throws -> [Phase] {
    switch s {
    case "wz": return [.wz]
    case "zb": return [.zb]
    case "both": return [.wz, .zb]
    default: throw ValidationError("--phase must be wz, zb or both, got \(s)")
    }
}

struct MDLatticeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "lattice",
        abstract: "Relaxed a, c, u and energy per formula unit of wz, zb CdSe and antifluorite Cu₂Se (paper Table 4).")
    @OptionGroup var common: MDCommonOptions
    func run() throws {
        let r = try BulkProtocols.lattice(settings: common.settings)
        try common.emit(["lattice": r]) {
            var t = "crystal  a (Å)   c (Å)   u       E/f.u. (eV)  atoms  | paper FF: a, c, u\n"
            for x in r {
                t += "\(x.crystal.padding(toLength: 7, withPad: " ", startingAt: 0))  \(fmt(x.a_A))  \(fmt(x.c_A))  \(fmt(x.u, 4))  \(fmt(x.energyPerFormulaUnit_eV, 4))  \(x.atoms)  | \(fmt(x.paper_a_A)), \(fmt(x.paper_c_A)), \(fmt(x.paper_u, 2))\n"
            }
            return t
        }
    }
}

struct DefectOutput: Encodable { var lattice: [LatticeResult]; var defects: [DefectResult] }

struct MDDefectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "defect",
        abstract: "Cd vacancy and Cu interstitial formation energies in wz and zb CdSe (paper Table 5; definitions in docs/md.md).")
    @OptionGroup var common: MDCommonOptions
    @Option(help: "wz, zb or both.") var phase = "both"
    func run() throws {
        let s = common.settings
        let lat = try BulkProtocols.lattice(settings: s)
        var specs = [Phase: CrystalSpec]()
        for p in try phases(phase) { specs[p] = try BulkProtocols.relaxedSpec(p, lattice: lat) }
        let d = try BulkProtocols.defects(settings: s, specs: specs)
        try common.emit(DefectOutput(lattice: lat, defects: d)) {
            var t = "defect        phase  E_f (eV)  unrelaxed (eV)  atoms  | paper FF (eV)\n"
            for x in d {
                t += "\(x.defect.padding(toLength: 12, withPad: " ", startingAt: 0))  \(x.phase)     \(fmt(x.formationEnergy_eV))     \(fmt(x.unrelaxedFormationEnergy_eV))          \(x.atoms)  | \(fmt(x.paper_eV, 1))\n"
            }
            return t
        }
    }
}

struct MDFrequencyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "frequency",
        abstract: "Attempt frequency from a quadratic fit of the Cu interstitial well (paper 1.9 THz).")
    @OptionGroup var common: MDCommonOptions
    @Option(help: "wz, zb or both.") var phase = "both"
    func run() throws {
        let s = common.settings
        let lat = try BulkProtocols.lattice(settings: s)
        var out = [FrequencyResult]()
        for p in try phases(phase) { out.append(try BulkProtocols.frequency(settings: s, spec: try BulkProtocols.relaxedSpec(p, lattice: lat))) }
        try common.emit(["frequency": out]) {
            out.map { "\($0.phase): ν = \(fmt($0.nu_THz)) ± \(fmt($0.nuError_THz)) THz (x, y, z: \($0.nuPerAxis_THz.map { fmt($0) }.joined(separator: ", "))), k = \(fmt($0.k_eV_per_A2)) eV/Å²  | paper 1.9 THz\n" }.joined()
        }
    }
}

struct MDDiffusionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "diffusion",
        abstract: "Step c: MSD of one Cu interstitial in bulk CdSe, D(T), Arrhenius E_c and D₀ (paper wz 0.29, zb 0.51 eV).")
    @OptionGroup var common: MDCommonOptions
    @Option(help: "wz, zb or both.") var phase = "both"
    @Option(name: .customLong("temperatures-K"), parsing: .upToNextOption, help: "Temperatures in K (default: profile's).") var temperatures: [Double] = []
    @Option(name: .customLong("production-ps"), help: "Production time per temperature, ps (default: profile's).") var production: Double?
    @Option(help: "Write extended-XYZ trajectories PREFIX-<phase>-<T>K.xyz.") var trajectory: String?
    func run() throws {
        let s = common.settings
        let lat = try BulkProtocols.lattice(settings: s)
        var sizes = DiffusionSizes.preset(s.profile)
        if !temperatures.isEmpty { sizes.temperatures = temperatures }
        if let production { sizes.production_ps = production }
        sizes.trajectoryPrefix = trajectory
        var out = [DiffusionResult]()
        for p in try phases(phase) { out.append(try MDProtocols.diffusion(spec: try BulkProtocols.relaxedSpec(p, lattice: lat), sizes: sizes, settings: s)) }
        try common.emit(["diffusion": out]) {
            var t = ""
            for r in out {
                t += "\(r.phase) (\(r.atoms) atoms):\n"
                for p in r.points { t += "  T = \(Int(p.kelvin)) K  D = \(String(format: "%.4g", p.D_A2_per_ps)) ± \(String(format: "%.2g", p.DError_A2_per_ps)) Å²/ps  (⟨T_kin⟩ \(fmt(p.meanKineticKelvin, 0)) K, host MSD \(fmt(p.hostMSD_A2, 2)) Å²\(p.hostMolten ? ", molten: not fitted" : ""))\n" }
                t += "  E_c = \(fmt(r.Ec_eV)) ± \(fmt(r.EcError_eV)) eV, D₀ = \(fmt(r.D0_A2_per_ps)) ± \(fmt(r.D0Error_A2_per_ps)) Å²/ps  | paper \(r.paper_eV) eV\n"
            }
            return t
        }
    }
}

struct MDPathCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "path",
        abstract: "Steps b (penetration), d (kick-off) or cu2se (Cu₂Se interstitial creation): 30 perturbed straight paths + CI-NEB.")
    @OptionGroup var common: MDCommonOptions
    @Option(help: "b, d or cu2se.") var step = "b"
    @Option(help: "wz, zb or both (host phase; ignored for cu2se).") var phase = "both"
    @Option(help: "Number of straight paths (default: profile's; paper 30).") var paths: Int?
    @Option(help: "Images per path (default: profile's).") var images: Int?
    @Flag(name: .customLong("no-neb"), help: "Skip the climbing-image NEB.") var noNEB = false
    func validate() throws {
        guard ["b", "d", "cu2se"].contains(step) else { throw ValidationError("--step must be b, d or cu2se, got \(step)") }
        if let paths, paths < 1 { throw ValidationError("--paths must be ≥ 1") }
        if let images, images < 3 { throw ValidationError("--images must be ≥ 3") }
    }
    func run() throws {
        let s = common.settings
        let lat = try BulkProtocols.lattice(settings: s)
        var sizes = PathSizes.preset(s.profile)
        if let paths { sizes.paths = paths }
        if let images { sizes.images = images }
        var out = [PathResult]()
        if step == "cu2se" {
            let a = lat.first { $0.crystal == "cu2se" }?.a_A ?? 5.666
            out.append(try PathProtocols.run(step: step, spec: try .cu2se(a_A: a), crystalName: "cu2se", sizes: sizes, neb: !noNEB, settings: s))
        } else {
            for p in try phases(phase) {
                out.append(try PathProtocols.run(step: step, spec: try BulkProtocols.relaxedSpec(p, lattice: lat), crystalName: p.rawValue,
                                                 sizes: sizes, neb: !noNEB, settings: s))
            }
        }
        try common.emit(["paths": out]) {
            out.map {
                "step \($0.step) \($0.crystal) (\($0.atoms) atoms, Cu moves \(fmt($0.cuDisplacement_A, 2)) Å): straight-path barrier \(fmt($0.barrierMean_eV)) ± \(fmt($0.barrierStd_eV)) eV over \($0.paths) paths, ΔE \(fmt($0.deltaEMean_eV)) ± \(fmt($0.deltaEStd_eV)) eV; relaxed ΔE \(fmt($0.relaxedDeltaE_eV)) eV; NEB barrier \(fmt($0.nebBarrier_eV)) eV (converged: \($0.nebConverged.map { "\($0)" } ?? "—"))  | paper \($0.paper_eV) eV\n"
            }.joined()
        }
    }
}

struct MDAdsorptionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "adsorption",
        abstract: "Step a: CdSe wire in a bath of Cu atoms; adsorbed Cu per nm vs time at several Cd-vacancy fractions.")
    @OptionGroup var common: MDCommonOptions
    @Option(help: "Host phase: wz or zb.") var phase = "wz"
    @Option(parsing: .upToNextOption, help: "Cd-vacancy fractions (default 0 0.03 0.05).") var fractions: [Double] = [0, 0.03, 0.05]
    @Option(name: .customLong("duration-ps"), help: "MD time per fraction, ps (default: profile's).") var duration: Double?
    @Option(name: .customLong("temperature-K"), help: "Temperature, K (default 300).") var kelvin: Double?
    @Option(help: "Number of bath Cu atoms (default: profile's; paper 100).") var bath: Int?
    @Option(help: "Write extended-XYZ trajectories PREFIX-<percent>pct.xyz.") var trajectory: String?
    func run() throws {
        let s = common.settings
        guard let p = try phases(phase).first, phase != "both" else { throw ValidationError("--phase must be wz or zb") }
        var sizes = AdsorptionSizes.preset(s.profile)
        if let duration { sizes.duration_ps = duration }
        if let kelvin { sizes.kelvin = kelvin }
        if let bath { sizes.bath = bath }
        sizes.trajectoryPrefix = trajectory
        let r = try MDProtocols.adsorption(spec: try ProtocolSettings.startSpec(p), fractions: fractions, sizes: sizes, settings: s)
        try common.emit(["adsorption": r]) {
            var t = "\(r.phase) wire d = \(fmt(r.diameter_A / 10, 1)) nm, L = \(fmt(r.length_A / 10, 2)) nm, \(r.bathCu) Cu, \(Int(r.kelvin)) K\n"
            for x in r.series {
                t += "  vacancies \(Int(100 * x.vacancyFraction)) % (\(x.vacancies)): adsorbed Cu/nm at end \(fmt(x.adsorbedPerNm.last, 2)), mean of last third \(fmt(x.finalMeanPerNm, 2))\n"
            }
            return t
        }
    }
}
