// Finite-temperature protocols of Casu et al. 2023 (DOI 10.1021/acsnano.3c03049):
//  • diffusion (step c): one Cu interstitial in periodic bulk CdSe, Langevin BAOAB NVT at each
//    temperature (lattice fixed at the relaxed 0 K cell), Cu positions unwrapped and corrected for
//    the host's centre-of-mass drift; D(T) from the block-averaged MSD (DiffusionAnalysis), E_c and
//    D₀ from the weighted Arrhenius fit over the temperatures whose host stayed crystalline (host
//    MSD ≤ 1 Å²; the force field's CdSe melts near 2000 K).
//  • adsorption (step a): a wire periodic along its axis in a laterally periodic box with a bath of
//    Cu atoms placed at random in an annulus around it; Langevin NVT; a Cu counts as adsorbed when
//    some wire atom (Cd or Se) is within `adsorptionDistance_A`; output adsorbed Cu per nm of wire
//    against time for each Cd-vacancy fraction (random, seeded).

import CekmcCore
import Foundation
import Geometry
import GSL

/// D at one temperature.
public struct DiffusionPoint: Sendable, Codable {
    /// Temperature, K.
    public var kelvin: Double
    /// Diffusion coefficient, Å²/ps, and its block standard error.
    public var D_A2_per_ps: Double
    /// Block standard error of D, Å²/ps.
    public var DError_A2_per_ps: Double
    /// Simulated production time, ps.
    public var production_ps: Double
    /// Mean kinetic temperature of the run, K.
    public var meanKineticKelvin: Double
    /// Host (Cd, Se) mean-square displacement over the production run (COM-corrected), Å² — a
    /// melting check: a crystal keeps it ≲ 1 Å², a liquid host grows it like the Cu's.
    public var hostMSD_A2: Double
    /// True when `hostMSD_A2` > `DiffusionSizes.moltenHostMSD_A2`: the point is left out of the
    /// Arrhenius fit (Cu diffusion in a molten host is not interstitial hopping).
    public var hostMolten: Bool

    /// JSON keys: snake_case with the unit in the name (one style for every command's JSON).
    enum CodingKeys: String, CodingKey {
        case kelvin = "temperature_K"
        case D_A2_per_ps
        case DError_A2_per_ps = "D_error_A2_per_ps"
        case production_ps
        case meanKineticKelvin = "mean_kinetic_temperature_K"
        case hostMSD_A2 = "host_msd_A2"
        case hostMolten = "host_molten"
    }
}

/// Step c result for one phase.
public struct DiffusionResult: Sendable, Codable {
    /// Host phase ("wz" or "zb").
    public var phase: String
    /// Number of atoms in the simulated cell or wire.
    public var atoms: Int
    /// D at each temperature.
    public var points: [DiffusionPoint]
    /// Arrhenius fit: E_c ± σ (eV), D₀ ± σ (Å²/ps).
    public var Ec_eV: Double?
    /// Fit error of E_c, eV.
    public var EcError_eV: Double?
    /// Arrhenius prefactor D₀, Å²/ps.
    public var D0_A2_per_ps: Double?
    /// Fit error of D₀, Å²/ps.
    public var D0Error_A2_per_ps: Double?
    /// Paper: wz 0.29 ± 0.02, zb 0.51 ± 0.02 eV.
    public var paper_eV: Double

    /// JSON keys: snake_case with the unit in the name (one style for every command's JSON).
    enum CodingKeys: String, CodingKey {
        case phase
        case atoms
        case points
        case Ec_eV = "E_c_eV"
        case EcError_eV = "E_c_error_eV"
        case D0_A2_per_ps
        case D0Error_A2_per_ps = "D0_error_A2_per_ps"
        case paper_eV
    }
}

/// Run lengths of the diffusion protocol.
public struct DiffusionSizes: Sendable {
    /// Temperatures, K.
    public var temperatures: [Double]
    /// Equilibration time per temperature, ps.
    public var equilibration_ps: Double
    /// Production time per temperature, ps.
    public var production_ps: Double
    /// Time step, ps.
    public var dt_ps: Double
    /// Steps between samples of the Cu position.
    public var sampleEvery: Int
    /// Langevin friction γ, ps⁻¹.
    public var friction_per_ps: Double = 2
    /// Blocks for the D error estimate.
    public var blocks: Int = 5
    /// Host MSD (Å²) above which a temperature counts as molten and leaves the fit. Measured here:
    /// crystalline hosts stay ≤ 0.55 Å² up to 1600 K; at 2000 K they reach 1.7–2 Å² in 10 ps and
    /// 8–20 Å² in 40 ps.
    public var moltenHostMSD_A2: Double = 1.0
    /// If set, an extended-XYZ trajectory `<prefix>-<phase>-<T>K.xyz` is written (every
    /// `trajectoryEvery` samples).
    public var trajectoryPrefix: String? = nil
    /// Samples between trajectory frames.
    public var trajectoryEvery: Int = 10
    /// Quick: 4 temperatures (1000–1600 K, below the force field's melting), 10 ps each; full: 6
    /// temperatures (600–2000 K, the paper's range; molten points leave the fit), 400 ps each.
    public static func preset(_ p: ProtocolProfile) -> DiffusionSizes {
        p == .quick
            ? DiffusionSizes(temperatures: [1000, 1200, 1400, 1600], equilibration_ps: 1, production_ps: 10, dt_ps: 0.002, sampleEvery: 10)
            : DiffusionSizes(temperatures: [600, 800, 1000, 1300, 1600, 2000], equilibration_ps: 10, production_ps: 400, dt_ps: 0.002, sampleEvery: 10)
    }
}

/// Step a result for one vacancy fraction.
public struct AdsorptionSeries: Sendable, Codable {
    /// Fraction of Cd removed.
    public var vacancyFraction: Double
    /// Number of Cd vacancies.
    public var vacancies: Int
    /// Sample times, ps.
    public var times_ps: [Double]
    /// Adsorbed Cu per nm of wire at each time.
    public var adsorbedPerNm: [Double]
    /// Mean over the last third of the run.
    public var finalMeanPerNm: Double

    /// JSON keys: snake_case with the unit in the name (one style for every command's JSON).
    enum CodingKeys: String, CodingKey {
        case vacancyFraction = "vacancy_fraction"
        case vacancies
        case times_ps
        case adsorbedPerNm = "adsorbed_per_nm"
        case finalMeanPerNm = "final_mean_per_nm"
    }
}

/// Step a result.
public struct AdsorptionResult: Sendable, Codable {
    /// Host phase ("wz" or "zb").
    public var phase: String
    /// Wire diameter, Å.
    public var diameter_A: Double
    /// Wire length (periodic), Å.
    public var length_A: Double
    /// Number of bath Cu atoms.
    public var bathCu: Int
    /// Temperature, K.
    public var kelvin: Double
    /// One series per vacancy fraction.
    public var series: [AdsorptionSeries]

    /// JSON keys: snake_case with the unit in the name (one style for every command's JSON).
    enum CodingKeys: String, CodingKey {
        case phase
        case diameter_A
        case length_A
        case bathCu = "bath_cu"
        case kelvin = "temperature_K"
        case series
    }
}

/// Sizes of the adsorption protocol.
public struct AdsorptionSizes: Sendable {
    /// Wire diameter, Å.
    public var diameter_A: Double
    /// Wire length (periodic), Å.
    public var length_A: Double
    /// Number of bath Cu atoms.
    public var bath: Int
    /// MD time per vacancy fraction, ps.
    public var duration_ps: Double
    /// Time step, ps.
    public var dt_ps: Double = 0.002
    /// Time between samples, ps.
    public var sampleEvery_ps: Double
    /// Temperature, K.
    public var kelvin: Double = 300
    /// A Cu is adsorbed when a Cd or Se lies within this distance, Å.
    public var adsorptionDistance_A: Double = 3.5
    /// Radial width of the bath annulus, Å.
    public var bathWidth_A: Double = 12
    /// If set, an extended-XYZ trajectory `<prefix>-<percent>pct.xyz` is written at every sample.
    public var trajectoryPrefix: String? = nil
    /// Quick: 2.4 nm × 2.4 nm wire, 40 Cu, 10 ps; full: 4.5 nm × 3 nm, 100 Cu, 1400 ps (paper's 1.4 ns).
    public static func preset(_ p: ProtocolProfile) -> AdsorptionSizes {
        p == .quick
            ? AdsorptionSizes(diameter_A: 24, length_A: 24, bath: 40, duration_ps: 10, sampleEvery_ps: 0.5)
            : AdsorptionSizes(diameter_A: 45, length_A: 30, bath: 100, duration_ps: 1400, sampleEvery_ps: 10)
    }
}

/// Finite-temperature protocols.
public enum MDProtocols {
    /// Step c for `spec`: D(T) at `sizes.temperatures` and the Arrhenius fit.
    public static func diffusion(spec: CrystalSpec, sizes: DiffusionSizes, settings: ProtocolSettings) throws -> DiffusionResult {
        var ff = try settings.wireForceField()
        let setting: BulkSetting = spec.phase == .wz ? .orthorhombic : .cubic
        var s = try Structures.bulk(spec, minimumWidth_A: settings.minimumWidth(ff), setting: setting)
        let w = PeriodicWrap(s.configuration.cell)
        let cu = try s.insertInterstitial(.tetraEmpty, near: w.cartesian(SIMD3(0.5, 0.5, 0.5)))
        settings.progress("diffusion \(spec.phase): relaxing \(s.configuration.count) atoms")
        let relaxed = try Relaxation.relax(s.configuration, surface: &ff, options: settings.relaxation).configuration
        let host = relaxed.species.indices.filter { $0 != cu }
        let masses = relaxed.species.map(massAmu)
        let hostMass = host.reduce(0.0) { $0 + masses[$1] }
        let nf = 3 * relaxed.count - 3
        var points = [DiffusionPoint]()
        for (ti, t) in sizes.temperatures.enumerated() {
            let rng = try RandomGenerator(name: "mt19937", seed: settings.seed &+ UInt64(ti))
            var st = DynamicsState(configuration: relaxed, surface: &ff)
            st.setMaxwellBoltzmannVelocities(kelvin: t, rng: rng, degreesOfFreedom: nf)
            let lg = LangevinBAOAB(dt_ps: sizes.dt_ps, kelvin: t, friction_per_ps: sizes.friction_per_ps, rng: rng)
            let neq = Int((sizes.equilibration_ps / sizes.dt_ps).rounded()), nprod = Int((sizes.production_ps / sizes.dt_ps).rounded())
            for _ in 0..<neq { lg.step(&st, surface: &ff) }
            var traj = [SIMD3<Double>](), tsum = 0.0, tcount = 0
            func hostCOM() -> SIMD3<Double> {
                var com = SIMD3<Double>.zero
                for i in host { com += masses[i] * st.configuration.positions[i] }
                return com / hostMass
            }
            let hostStart = st.configuration.positions, comStart = hostCOM()
            let xyz = try sizes.trajectoryPrefix.map { try TrajectoryXYZWriter(path: "\($0)-\(spec.phase)-\(Int(t))K.xyz") }
            for k in 0..<nprod {
                lg.step(&st, surface: &ff)
                if k % sizes.sampleEvery == 0 {
                    var com = SIMD3<Double>.zero
                    for i in host { com += masses[i] * st.configuration.positions[i] }
                    traj.append(st.configuration.positions[cu] - com / hostMass)
                    tsum += st.temperature(degreesOfFreedom: nf); tcount += 1
                    if let xyz, (k / sizes.sampleEvery) % sizes.trajectoryEvery == 0 { xyz.write(st.configuration, time_ps: st.time_ps) }
                }
                if k > 0 && k % max(nprod / 4, 1) == 0 { settings.progress("diffusion \(spec.phase) \(Int(t)) K: \(100 * k / nprod) %") }
            }
            let comEnd = hostCOM()
            var hmsd = 0.0
            for i in host { let d = (st.configuration.positions[i] - comEnd) - (hostStart[i] - comStart); hmsd += (d * d).sum() }
            hmsd /= Double(host.count)
            let d = try DiffusionAnalysis.diffusionCoefficient(positions: traj, sampleInterval_ps: Double(sizes.sampleEvery) * sizes.dt_ps,
                                                               blocks: sizes.blocks)
            settings.progress("diffusion \(spec.phase) \(Int(t)) K: D = \(d.value) ± \(d.error) Å²/ps")
            points.append(DiffusionPoint(kelvin: t, D_A2_per_ps: d.value, DError_A2_per_ps: d.error,
                                         production_ps: sizes.production_ps, meanKineticKelvin: tsum / Double(max(tcount, 1)),
                                         hostMSD_A2: hmsd, hostMolten: hmsd > sizes.moltenHostMSD_A2))
        }
        var out = DiffusionResult(phase: spec.phase.rawValue, atoms: relaxed.count, points: points,
                                  paper_eV: spec.phase == .wz ? 0.29 : 0.51)
        let solid = points.filter { !$0.hostMolten }
        if let fit = try? DiffusionAnalysis.arrhenius(kelvin: solid.map(\.kelvin),
                                                      diffusion: solid.map { Measured($0.D_A2_per_ps, $0.DError_A2_per_ps) }) {
            out.Ec_eV = fit.energy_eV.value; out.EcError_eV = fit.energy_eV.error
            out.D0_A2_per_ps = fit.prefactor_A2_per_ps.value; out.D0Error_A2_per_ps = fit.prefactor_A2_per_ps.error
        }
        return out
    }

    /// Step a: adsorbed Cu per nm vs time for each vacancy fraction.
    public static func adsorption(spec: CrystalSpec, fractions: [Double], sizes: AdsorptionSizes,
                                  settings: ProtocolSettings) throws -> AdsorptionResult {
        var series = [AdsorptionSeries]()
        var lz = 0.0
        for (fi, frac) in fractions.enumerated() {
            var ff = try settings.wireForceField()
            let rng = try RandomGenerator(name: "mt19937", seed: settings.seed &+ UInt64(100 + fi))
            let margin = sizes.bathWidth_A + 6
            let length = Structures.periodicLength(spec, atLeast: max(sizes.length_A, settings.minimumWidth(ff)))
            var wire = try Structures.nanowire(spec, diameter_A: sizes.diameter_A, length_A: length, margin_A: margin,
                                               lateralPeriodic: true)
            let vac = try wire.removeCadmium(fraction: frac, rng: rng)
            let r0 = wire.radius_A!
            settings.progress("adsorption \(Int(100 * frac)) %: relaxing the wire (\(wire.configuration.count) atoms, \(vac.count) vacancies)")
            wire.configuration = try Relaxation.relax(wire.configuration, surface: &ff,
                                                      options: RelaxationOptions(forceTolerance_eV_per_A: 0.05, maxIterations: 500)).configuration
            let nWire = wire.configuration.count
            try wire.addBath(count: sizes.bath, innerRadius_A: r0 + 4, outerRadius_A: r0 + 4 + sizes.bathWidth_A,
                             minSeparation_A: 3, rng: rng)
            lz = wire.configuration.cell.c.z
            var st = DynamicsState(configuration: wire.configuration, surface: &ff)
            let nf = 3 * st.configuration.count - 3
            st.setMaxwellBoltzmannVelocities(kelvin: sizes.kelvin, rng: rng, degreesOfFreedom: nf)
            let lg = LangevinBAOAB(dt_ps: sizes.dt_ps, kelvin: sizes.kelvin, friction_per_ps: 2, rng: rng)
            let w = PeriodicWrap(st.configuration.cell)
            let steps = Int((sizes.duration_ps / sizes.dt_ps).rounded())
            let every = max(1, Int((sizes.sampleEvery_ps / sizes.dt_ps).rounded()))
            var times = [Double](), counts = [Double]()
            let xyz = try sizes.trajectoryPrefix.map { try TrajectoryXYZWriter(path: "\($0)-\(Int((100 * frac).rounded()))pct.xyz") }
            let d2 = sizes.adsorptionDistance_A * sizes.adsorptionDistance_A
            func adsorbed() -> Int {
                var n = 0
                for i in nWire..<st.configuration.count {
                    let p = st.configuration.positions[i]
                    for j in 0..<nWire {
                        let d = w.minimumImage(st.configuration.positions[j] - p)
                        if (d * d).sum() < d2 { n += 1; break }
                    }
                }
                return n
            }
            for k in 0...steps {
                if k % every == 0 {
                    times.append(st.time_ps)
                    counts.append(Double(adsorbed()) / (lz / 10))
                    xyz?.write(st.configuration, time_ps: st.time_ps)
                }
                if k < steps { lg.step(&st, surface: &ff) }
                if k > 0 && k % max(steps / 5, 1) == 0 { settings.progress("adsorption \(Int(100 * frac)) %: \(100 * k / steps) %") }
            }
            let tail = counts.suffix(max(1, counts.count / 3))
            series.append(AdsorptionSeries(vacancyFraction: frac, vacancies: vac.count, times_ps: times, adsorbedPerNm: counts,
                                           finalMeanPerNm: tail.reduce(0, +) / Double(tail.count)))
        }
        return AdsorptionResult(phase: spec.phase.rawValue, diameter_A: sizes.diameter_A, length_A: lz, bathCu: sizes.bath,
                                kelvin: sizes.kelvin, series: series)
    }
}
