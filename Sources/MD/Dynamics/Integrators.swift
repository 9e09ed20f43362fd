// Molecular-dynamics integrators: velocity Verlet (NVE), Nosé–Hoover chain (NVT) and Langevin
// BAOAB (NVT), as `init` + `step` over a state value (JAX-MD style).
//
// Units: x Å, v Å/ps, F eV/Å, m amu, t ps. Acceleration a = F / (m·κ) with
// κ = Constants.amu_eV_ps2_per_A2 (1 amu in eV·ps²/Å²), kinetic energy K = ½ κ Σ m v² (eV),
// kinetic temperature T = 2K / (N_f k_B).
//
// Velocity Verlet (Swope et al. 1982, DOI 10.1063/1.442716):
//   v ← v + ½dt·a(x);  x ← x + dt·v;  v ← v + ½dt·a(x).  Global energy error O(dt²).
// Nosé–Hoover chain (Martyna, Klein, Tuckerman 1992, DOI 10.1063/1.463940), Trotter-split as in
// Martyna, Tuckerman, Tobias, Klein 1996 (DOI 10.1080/00268979600100761): a half-step of the
// chain (Suzuki–Yoshida order-4 weights), a velocity Verlet step, a half-step of the chain.
// Thermostat masses Q₁ = N_f k_BT τ², Q_j = k_BT τ² (j ≥ 2). Conserved quantity
//   H' = K + U + Σ_j ½ Q_j v_ξj² + N_f k_BT ξ₁ + k_BT Σ_{j≥2} ξ_j.
// Langevin BAOAB (Leimkuhler & Matthews 2013, DOI 10.1093/amrx/abs010):
//   B: v += ½dt·a;  A: x += ½dt·v;  O: v ← c₁v + c₂√(k_BT/m)·ξ (c₁ = e^{−γdt}, c₂ = √(1−c₁²));
//   A: x += ½dt·v;  (forces);  B: v += ½dt·a.
//
// Positions are integrated without wrapping, so `Configuration.positions` are the unwrapped
// trajectory (what the MSD needs); `Configuration.wrapped()` gives the in-cell copy for output.
// The force field must accept positions outside the cell (it applies the minimum image).

import CekmcCore
import Foundation
import GSL

/// Mass of `species` in amu, from `CekmcCore.Units.mass_amu`.
public func massAmu(_ species: Species) -> Double {
    Units.mass_amu[species.description]!
}

/// State of an MD run: configuration (unwrapped positions, velocities), current forces and
/// potential energy, time, and the thermostat's own variables.
public struct DynamicsState: Sendable {
    /// Atoms; positions are unwrapped (never folded back into the cell).
    public var configuration: Configuration
    /// Forces at `configuration.positions`, eV/Å.
    public var forces: [SIMD3<Double>]
    /// Potential energy at `configuration.positions`, eV.
    public var potentialEnergy: Double
    /// Elapsed simulated time, ps.
    public var time_ps: Double = 0
    /// Steps taken.
    public var step: Int = 0
    /// Per-atom mass in amu.
    public var masses: [Double]
    /// Nosé–Hoover chain positions ξ_j (dimensionless) — empty unless NHC is used.
    public var chainPositions: [Double] = []
    /// Nosé–Hoover chain velocities v_ξj in ps⁻¹ — empty unless NHC is used.
    public var chainVelocities: [Double] = []

    /// Evaluates forces at the initial configuration. O(cost of one force call).
    public init<P: PotentialEnergySurface>(configuration: Configuration, surface: inout P) {
        self.configuration = configuration
        self.masses = configuration.species.map(massAmu)
        var f: [SIMD3<Double>] = []
        self.potentialEnergy = surface.energyAndForces(configuration, forces: &f)
        self.forces = f
    }

    /// Kinetic energy ½κΣmv² in eV. O(N).
    public var kineticEnergy: Double {
        var k = 0.0
        for i in masses.indices {
            let v = configuration.velocities[i]
            k += masses[i] * (v * v).sum()
        }
        return 0.5 * Constants.amu_eV_ps2_per_A2 * k
    }

    /// Kinetic temperature 2K/(N_f k_B) in K for `degreesOfFreedom` N_f.
    public func temperature(degreesOfFreedom: Int) -> Double {
        2 * kineticEnergy / (Double(degreesOfFreedom) * Constants.boltzmann_eV_per_K)
    }

    /// K + U in eV.
    public var totalEnergy: Double { kineticEnergy + potentialEnergy }

    /// Draws Maxwell–Boltzmann velocities at `kelvin` from `rng`, removes the centre-of-mass
    /// velocity when `removeDrift`, then rescales to exactly `kelvin` over `degreesOfFreedom`.
    public mutating func setMaxwellBoltzmannVelocities(kelvin: Double, rng: RandomGenerator,
                                                       degreesOfFreedom: Int, removeDrift: Bool = true) {
        let kT = Constants.boltzmann_eV_per_K * kelvin
        var p = SIMD3<Double>.zero, mTot = 0.0
        for i in masses.indices {
            let s = (kT / (masses[i] * Constants.amu_eV_ps2_per_A2)).squareRoot()
            let v = SIMD3(rng.gaussian(sigma: s), rng.gaussian(sigma: s), rng.gaussian(sigma: s))
            configuration.velocities[i] = v
            p += masses[i] * v
            mTot += masses[i]
        }
        if removeDrift {
            let vcm = p / mTot
            for i in masses.indices { configuration.velocities[i] -= vcm }
        }
        let t = temperature(degreesOfFreedom: degreesOfFreedom)
        if t > 0 {
            let s = (kelvin / t).squareRoot()
            for i in masses.indices { configuration.velocities[i] *= s }
        }
    }
}

/// Velocity Verlet integrator (NVE). Error in energy O(dt²).
/// Reference: Swope, Andersen, Berens, Wilson 1982, DOI 10.1063/1.442716.
public struct VelocityVerlet: Sendable {
    /// Time step, ps.
    public var dt_ps: Double
    /// Integrator with time step `dt_ps` (ps).
    public init(dt_ps: Double) { self.dt_ps = dt_ps }

    /// Advances `state` by one step: one force evaluation. O(N + force cost).
    public func step<P: PotentialEnergySurface>(_ state: inout DynamicsState, surface: inout P) {
        halfKick(&state, dt_ps)
        drift(&state, dt_ps)
        state.potentialEnergy = surface.energyAndForces(state.configuration, forces: &state.forces)
        halfKick(&state, dt_ps)
        state.time_ps += dt_ps
        state.step += 1
    }
}

@inline(__always)
func halfKick(_ s: inout DynamicsState, _ dt: Double) {
    let n = s.masses.count
    let forces = s.forces, masses = s.masses
    s.configuration.velocities.withUnsafeMutableBufferPointer { v in
        for i in 0..<n { v[i] += (0.5 * dt / (masses[i] * Constants.amu_eV_ps2_per_A2)) * forces[i] }
    }
}

@inline(__always)
func drift(_ s: inout DynamicsState, _ dt: Double) {
    let n = s.masses.count
    let vel = s.configuration.velocities
    s.configuration.positions.withUnsafeMutableBufferPointer { x in
        for i in 0..<n { x[i] += dt * vel[i] }
    }
}

/// Nosé–Hoover chain thermostat (NVT) around a velocity Verlet step, with its conserved quantity.
/// References: Martyna, Klein, Tuckerman 1992 (DOI 10.1063/1.463940); Martyna, Tuckerman,
/// Tobias, Klein 1996 (DOI 10.1080/00268979600100761).
public struct NoseHooverChain: Sendable {
    /// Time step, ps.
    public var dt_ps: Double
    /// Target temperature, K.
    public var kelvin: Double
    /// Thermostat period τ, ps (Q₁ = N_f k_BT τ²).
    public var tau_ps: Double
    /// Chain length M ≥ 1.
    public var chainLength: Int
    /// Number of degrees of freedom N_f.
    public var degreesOfFreedom: Int

    /// Thermostat at `kelvin` K with period `tau_ps` ps over `degreesOfFreedom`; chain of `chainLength` links.
    public init(dt_ps: Double, kelvin: Double, tau_ps: Double, degreesOfFreedom: Int, chainLength: Int = 3) {
        precondition(chainLength >= 1 && degreesOfFreedom >= 1 && kelvin > 0 && tau_ps > 0)
        self.dt_ps = dt_ps; self.kelvin = kelvin; self.tau_ps = tau_ps
        self.chainLength = chainLength; self.degreesOfFreedom = degreesOfFreedom
    }

    var kT: Double { Constants.boltzmann_eV_per_K * kelvin }
    /// Q_j in eV·ps².
    func q(_ j: Int) -> Double { (j == 0 ? Double(degreesOfFreedom) : 1) * kT * tau_ps * tau_ps }

    /// Sets up zeroed chain variables in `state`.
    public func prepare(_ state: inout DynamicsState) {
        state.chainPositions = Array(repeating: 0, count: chainLength)
        state.chainVelocities = Array(repeating: 0, count: chainLength)
    }

    /// The conserved quantity H' (eV); constant up to O(dt²) integration error.
    public func conservedEnergy(_ state: DynamicsState) -> Double {
        var h = state.totalEnergy
        for j in 0..<chainLength {
            h += 0.5 * q(j) * state.chainVelocities[j] * state.chainVelocities[j]
            h += (j == 0 ? Double(degreesOfFreedom) : 1) * kT * state.chainPositions[j]
        }
        return h
    }

    /// One step: chain half-step, velocity Verlet, chain half-step. O(N + force cost).
    public func step<P: PotentialEnergySurface>(_ state: inout DynamicsState, surface: inout P) {
        if state.chainVelocities.count != chainLength { prepare(&state) }
        chainHalfStep(&state)
        halfKick(&state, dt_ps)
        drift(&state, dt_ps)
        state.potentialEnergy = surface.energyAndForces(state.configuration, forces: &state.forces)
        halfKick(&state, dt_ps)
        chainHalfStep(&state)
        state.time_ps += dt_ps
        state.step += 1
    }

    // Suzuki–Yoshida fourth-order weights.
    static let yoshida: [Double] = {
        let w1 = 1 / (2 - pow(2, 1.0 / 3))
        return [w1, 1 - 2 * w1, w1]
    }()

    func chainHalfStep(_ s: inout DynamicsState) {
        let m = chainLength
        var v = s.chainVelocities, xi = s.chainPositions
        var twoK = 2 * s.kineticEnergy
        let nf = Double(degreesOfFreedom)
        var scale = 1.0
        for w in Self.yoshida {
            let d = w * 0.5 * dt_ps   // the substep δ
            // Backward sweep: last link first.
            func g(_ j: Int) -> Double {
                j == 0 ? (twoK - nf * kT) / q(0) : (q(j - 1) * v[j - 1] * v[j - 1] - kT) / q(j)
            }
            v[m - 1] += 0.5 * d * g(m - 1)
            if m >= 2 {
                for j in stride(from: m - 2, through: 0, by: -1) {
                    let e = exp(-0.25 * d * v[j + 1])
                    v[j] = (v[j] * e + 0.5 * d * g(j)) * e
                }
            }
            let f = exp(-d * v[0])
            scale *= f
            twoK *= f * f
            for j in 0..<m { xi[j] += d * v[j] }
            // Forward sweep.
            if m >= 2 {
                for j in 0..<(m - 1) {
                    let e = exp(-0.25 * d * v[j + 1])
                    v[j] = (v[j] * e + 0.5 * d * g(j)) * e
                }
            }
            v[m - 1] += 0.5 * d * g(m - 1)
        }
        for i in s.configuration.velocities.indices { s.configuration.velocities[i] *= scale }
        s.chainVelocities = v
        s.chainPositions = xi
    }
}

/// Langevin dynamics, BAOAB splitting (NVT). Reference: Leimkuhler & Matthews 2013,
/// DOI 10.1093/amrx/abs010. Noise from a seeded GSL generator.
public struct LangevinBAOAB {
    /// Time step, ps.
    public var dt_ps: Double
    /// Target temperature, K.
    public var kelvin: Double
    /// Friction γ, ps⁻¹.
    public var friction_per_ps: Double
    /// Noise source.
    public let rng: RandomGenerator

    /// Langevin integrator at `kelvin` K with friction `friction_per_ps` (ps⁻¹); noise from `rng`.
    public init(dt_ps: Double, kelvin: Double, friction_per_ps: Double, rng: RandomGenerator) {
        precondition(dt_ps > 0 && kelvin >= 0 && friction_per_ps >= 0)
        self.dt_ps = dt_ps; self.kelvin = kelvin; self.friction_per_ps = friction_per_ps; self.rng = rng
    }

    /// One BAOAB step: one force evaluation, 3N Gaussian draws. O(N + force cost).
    public func step<P: PotentialEnergySurface>(_ state: inout DynamicsState, surface: inout P) {
        let dt = dt_ps
        halfKick(&state, dt)
        drift(&state, 0.5 * dt)
        let c1 = exp(-friction_per_ps * dt), c2 = (1 - c1 * c1).squareRoot()
        let kT = Constants.boltzmann_eV_per_K * kelvin
        for i in state.masses.indices {
            let s = c2 * (kT / (state.masses[i] * Constants.amu_eV_ps2_per_A2)).squareRoot()
            let noise = SIMD3(rng.gaussian(sigma: 1), rng.gaussian(sigma: 1), rng.gaussian(sigma: 1))
            state.configuration.velocities[i] = c1 * state.configuration.velocities[i] + s * noise
        }
        drift(&state, 0.5 * dt)
        state.potentialEnergy = surface.energyAndForces(state.configuration, forces: &state.forces)
        halfKick(&state, dt)
        state.time_ps += dt
        state.step += 1
    }
}

/// Mean-square displacement of selected atoms relative to a reference frame (unwrapped
/// positions), Å². O(|atoms|).
public func meanSquareDisplacement(_ positions: [SIMD3<Double>], reference: [SIMD3<Double>], atoms: [Int]) -> Double {
    var s = 0.0
    for i in atoms { let d = positions[i] - reference[i]; s += (d * d).sum() }
    return s / Double(max(atoms.count, 1))
}
