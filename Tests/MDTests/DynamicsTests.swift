// Integrators and thermostats on analytic surfaces.
import CekmcCore
import Foundation
import GSL
import Geometry
import Testing
@testable import MD

/// Block-average mean and its standard error (20 blocks).
func blockMean(_ v: [Double], blocks: Int = 20) -> (mean: Double, se: Double) {
    let n = v.count / blocks
    let means = (0..<blocks).map { b in v[(b * n)..<((b + 1) * n)].reduce(0, +) / Double(n) }
    let m = means.reduce(0, +) / Double(blocks)
    let s2 = means.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(blocks - 1)
    return (m, (s2 / Double(blocks)).squareRoot())
}

func ljCluster() -> Configuration {
    // 2×2×2 cube of LJ neighbours (edge ≈ r_min), slightly distorted.
    let d = pow(2.0, 1.0 / 6) * 2.5
    var p = [SIMD3<Double>]()
    for i in 0..<2 { for j in 0..<2 { for k in 0..<2 {
        p.append(d * SIMD3(Double(i), Double(j), Double(k)) + 0.05 * SIMD3(Double(j - k), Double(k - i), Double(i - j)))
    } } }
    return Configuration(species: Array(repeating: .Cu, count: 8), positions: p, cell: .orthorhombic([50, 50, 50], periodic: (false, false, false)))
}

func wells(_ n: Int, quartic: Double) -> (Configuration, AnharmonicWells) {
    var anchors = [SIMD3<Double>](), k = [Double]()
    for i in 0..<n { anchors.append(SIMD3(Double(i) * 3, 0, 0)); k.append(0.5 + 1.5 * Double(i) / Double(n - 1)) }
    let c = Configuration(species: Array(repeating: .Cu, count: n), positions: anchors, cell: .orthorhombic([300, 300, 300], periodic: (false, false, false)))
    return (c, AnharmonicWells(anchors: anchors, k: k, quartic: quartic))
}

@Suite struct DynamicsTests {
    /// Max |E(t) − E(0)| over 2 ps of NVE for time step dt.
    func nveError(dt: Double) throws -> Double {
        var s = LJCluster()
        var st = DynamicsState(configuration: ljCluster(), surface: &s)
        st.setMaxwellBoltzmannVelocities(kelvin: 60, rng: try RandomGenerator(seed: 7), degreesOfFreedom: 21)
        let e0 = st.totalEnergy
        let vv = VelocityVerlet(dt_ps: dt)
        var worst = 0.0
        for _ in 0..<Int((2.0 / dt).rounded()) {
            vv.step(&st, surface: &s)
            worst = max(worst, abs(st.totalEnergy - e0))
        }
        return worst
    }

    @Test("NVE velocity Verlet: energy error bounded and ~4x smaller when dt halves")
    func nveEnergyErrorScalesAsDtSquared() throws {
        let e4 = try nveError(dt: 0.004), e2 = try nveError(dt: 0.002)
        // kT at 60 K is 5 meV; the error must be a small fraction of it.
        #expect(e4 < 2e-3)
        let ratio = e4 / e2
        #expect(ratio > 3.2 && ratio < 4.8, "ratio \(ratio) (e4 \(e4), e2 \(e2))")
    }

    @Test("Harmonic well: velocity Verlet follows x0·cos(ωt)")
    func harmonicFollowsCosine() {
        var s = AnharmonicWells(anchors: [.zero], k: [1.0])
        let c = Configuration(species: [.Cu], positions: [SIMD3(0.1, 0, 0)], cell: .orthorhombic([10, 10, 10]))
        var st = DynamicsState(configuration: c, surface: &s)
        let omega = (1.0 / (massAmu(.Cu) * Constants.amu_eV_ps2_per_A2)).squareRoot()
        let vv = VelocityVerlet(dt_ps: 0.001)
        for _ in 0..<1000 { vv.step(&st, surface: &s) }
        let expected = 0.1 * cos(omega * st.time_ps)
        #expect(abs(st.configuration.positions[0].x - expected) < 1e-4)
        #expect(abs(st.time_ps - 1) < 1e-12)
    }

    @Test("Nosé–Hoover chain: conserved quantity bounded, mean kinetic T = target within 4 SE")
    func noseHooverConservesAndThermalises() throws {
        var (c, s) = wells(64, quartic: 0.5)
        var st = DynamicsState(configuration: c, surface: &s)
        let nf = 3 * 64
        st.setMaxwellBoltzmannVelocities(kelvin: 150, rng: try RandomGenerator(seed: 3), degreesOfFreedom: nf, removeDrift: false)
        let nhc = NoseHooverChain(dt_ps: 0.002, kelvin: 300, tau_ps: 0.1, degreesOfFreedom: nf, chainLength: 3)
        nhc.prepare(&st)
        let h0 = nhc.conservedEnergy(st)
        var worst = 0.0
        var temps = [Double]()
        for step in 0..<30_000 {
            nhc.step(&st, surface: &s)
            worst = max(worst, abs(nhc.conservedEnergy(st) - h0))
            if step >= 5000 && step % 5 == 0 { temps.append(st.temperature(degreesOfFreedom: nf)) }
        }
        let kT = Constants.boltzmann_eV_per_K * 300
        #expect(worst < 0.01 * Double(nf) * kT, "max |ΔH'| = \(worst) eV")
        let (m, se) = blockMean(temps)
        #expect(se < 6, "SE \(se) K too large to test anything")
        #expect(abs(m - 300) < 4 * se, "mean T \(m) ± \(se)")
    }

    @Test("Langevin BAOAB: mean kinetic T and harmonic ⟨½kr²⟩ = 3/2 k_BT within 4 SE")
    func langevinThermalises() throws {
        var (c, s) = wells(64, quartic: 0)
        var st = DynamicsState(configuration: c, surface: &s)
        let nf = 3 * 64
        let lg = LangevinBAOAB(dt_ps: 0.002, kelvin: 500, friction_per_ps: 5, rng: try RandomGenerator(seed: 11))
        var temps = [Double](), pots = [Double]()
        for step in 0..<25_000 {
            lg.step(&st, surface: &s)
            if step >= 2000 && step % 5 == 0 {
                temps.append(st.temperature(degreesOfFreedom: nf))
                pots.append(st.potentialEnergy)
            }
        }
        let (m, se) = blockMean(temps)
        #expect(se < 10)
        #expect(abs(m - 500) < 4 * se, "mean T \(m) ± \(se)")
        let (u, seU) = blockMean(pots)
        let expected = 1.5 * 64 * Constants.boltzmann_eV_per_K * 500
        #expect(abs(u - expected) < 4 * seU, "⟨U⟩ \(u) ± \(seU), expected \(expected)")
    }

    @Test("MSD of unwrapped positions, Maxwell-Boltzmann initial temperature exact")
    func msdAndInitialTemperature() throws {
        var (c, s) = wells(10, quartic: 0)
        var st = DynamicsState(configuration: c, surface: &s)
        st.setMaxwellBoltzmannVelocities(kelvin: 800, rng: try RandomGenerator(seed: 1), degreesOfFreedom: 27)
        #expect(abs(st.temperature(degreesOfFreedom: 27) - 800) < 1e-9)
        var p = st.configuration.positions
        p[0] += SIMD3(3, 0, 4)
        #expect(abs(meanSquareDisplacement(p, reference: st.configuration.positions, atoms: [0, 1]) - 12.5) < 1e-12)
        let w = PeriodicWrap(Cell(a: [4, 0, 0], b: [-2, 2 * 3.0.squareRoot(), 0], c: [0, 0, 6]))
        let r = SIMD3(9.3, -7.1, 13.0)
        let f = w.fractional(w.wrap(r))
        #expect(f.x >= 0 && f.x < 1 && f.y >= 0 && f.y < 1 && f.z >= 0 && f.z < 1)
        #expect(simd_length(w.minimumImage(w.wrap(r) - r)) < 1e-9)
    }
}

func simd_length(_ v: SIMD3<Double>) -> Double { (v * v).sum().squareRoot() }

@Suite struct DynamicsTrajectoryTests {
    @Test("Extended-XYZ frames: wrapped positions, velocities and Time read back through ExtendedXYZ.parseConfigurations")
    func frameFormat() throws {
        let c = Configuration(species: [.Cd, .Cu], positions: [SIMD3(1, 2, 3), SIMD3(11.5, -0.5, 2)],
                              velocities: [SIMD3(0.1, 0, 0), .zero], cell: .orthorhombic([10, 10, 10], periodic: (true, true, false)))
        let text = TrajectoryXYZWriter.frame(c, time_ps: 0.5) + TrajectoryXYZWriter.frame(c, time_ps: 1.0)
        let frames = try ExtendedXYZ.parseConfigurations(text)
        #expect(frames.count == 2)
        let f = frames[0].configuration
        #expect(f.species == [.Cd, .Cu])
        #expect(simd_length(f.positions[0] - SIMD3(1, 2, 3)) < 1e-12)
        #expect(abs(f.positions[1].x - 1.5) < 1e-12 && abs(f.positions[1].y - 9.5) < 1e-12 && f.positions[1].z == 2)
        #expect(f.velocities[0] == SIMD3(0.1, 0, 0))
        #expect(f.cell == c.cell)
        #expect(frames[1].info["Time"] == "1.0")
    }
}
