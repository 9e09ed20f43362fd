// The Lennard-Jones + Coulomb force field of Casu et al., ACS Nano 17 (2023), eq. 2
// (doi:10.1021/acsnano.3c04516), as a `PotentialEnergySurface`.
//
//   E = Σ_{i<j, r<r_LJ} φ_LJ(r_ij) + E_Coulomb
// with φ_LJ truncated (and by default energy-shifted) at r_LJ (PairLaws.swift), and E_Coulomb by
//   .ewald  — Ewald sum, fully periodic cells (Ewald.swift): real + reciprocal + self + background;
//   .dsf    — damped shifted force (Fennell & Gezelter 2006), any periodicity: pair sum + self term
//             (Fennell–Gezelter or LAMMPS convention, `DSFSelfEnergy` in PairLaws.swift);
//   .direct — bare k_e q_i q_j / r over all pairs, non-periodic clusters only;
//   .none   — LJ only.
// One pair loop over a Verlet list (NeighborList.swift) evaluates LJ and the real-space Coulomb law
// together: r² tests, one sqrt only inside the Coulomb cutoff, LJ prefactors in a 3×3 table, shifts
// precomputed at init. The loop is generic over the Coulomb law (static dispatch).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CekmcCore

/// How the Coulomb energy is computed.
public enum CoulombMethod: Sendable, Equatable, CustomStringConvertible {
    /// No Coulomb term (LJ only).
    case none
    /// Damped shifted force, damping `alpha` (Å⁻¹, ≥ 0) and `cutoff` (Å), self-energy convention
    /// `selfEnergy` (Fennell–Gezelter by default; `.lammps` matches LAMMPS totals). Any periodicity.
    case dsf(alpha: Double = 0.2, cutoff: Double = 10, selfEnergy: DSFSelfEnergy = .fennellGezelter)
    /// Ewald sum with α and K chosen for relative force accuracy `accuracy` (see `EwaldParameters.choose`)
    /// at real-space `cutoff` (Å; nil = chosen to balance real- and reciprocal-space cost, ≥ the LJ
    /// cutoff, see `EwaldParameters.chooseBalanced`). Fully periodic cells only.
    case ewald(accuracy: Double = 1e-5, cutoff: Double? = nil)
    /// Ewald sum with explicit α (Å⁻¹), real-space cutoff (Å) and reciprocal cutoff K (Å⁻¹).
    case ewaldExplicit(EwaldParameters)
    /// Bare Coulomb over all pairs, no cutoff. Non-periodic cells only.
    case direct

    public var description: String {
        switch self {
        case .none: return "none"
        case let .dsf(a, rc, se): return "dsf(alpha=\(a) 1/A, cutoff=\(rc) A\(se == .lammps ? ", self=lammps" : ""))"
        case let .ewald(acc, rc): return "ewald(accuracy=\(acc), cutoff=\(rc.map { "\($0) A" } ?? "balanced"))"
        case let .ewaldExplicit(p): return "ewald(alpha=\(p.alpha) 1/A, cutoff=\(p.realCutoff) A, kcutoff=\(p.kCutoff) 1/A)"
        case .direct: return "direct"
        }
    }
}

/// Energy of each term in eV.
public struct EnergyBreakdown: Sendable, Equatable, Codable {
    /// Lennard-Jones (truncated, shifted if requested).
    public var lennardJones: Double = 0
    /// Coulomb pair sum: Ewald real space, DSF pair sum, or bare Coulomb.
    public var coulombReal: Double = 0
    /// Ewald reciprocal space (0 otherwise).
    public var coulombReciprocal: Double = 0
    /// Self term: Ewald −k_e α/√π Σq²; DSF −k_e c Σq² with c of the `DSFSelfEnergy` convention.
    public var coulombSelf: Double = 0
    /// Ewald neutralising-background term −k_e π Q²/(2Vα²) (0 for a neutral cell or without Ewald).
    public var coulombBackground: Double = 0
    public init() {}
    /// Total Coulomb energy.
    public var coulomb: Double { coulombReal + coulombReciprocal + coulombSelf + coulombBackground }
    /// Total potential energy.
    public var total: Double { lennardJones + coulomb }
}

/// Energy and force of one pair at distance r (the `single` evaluator).
public struct PairEvaluation: Sendable, Equatable {
    /// LJ energy (eV).
    public var lennardJones: Double
    /// Coulomb pair energy (eV): Ewald real-space part, DSF pair part or bare Coulomb.
    public var coulomb: Double
    /// −dE/dr (eV/Å); positive = repulsive.
    public var force: Double
    /// lennardJones + coulomb.
    public var energy: Double { lennardJones + coulomb }
}

/// The LJ + Coulomb force field. Value type; caches its neighbour list and Ewald tables between
/// calls (`energyAndForces` is `mutating`).
///
/// Setup errors are thrown by `init` and `prepare`; `energyAndForces` (the protocol entry point)
/// stops with the same message if called on a configuration `prepare` would reject.
public struct ForceField: PotentialEnergySurface, Sendable {
    /// Parameter set.
    public let parameters: ForceFieldParameters
    /// Coulomb method as requested.
    public let coulomb: CoulombMethod
    /// LJ cutoff r_LJ in Å.
    public let ljCutoff: Double
    /// Whether LJ is energy-shifted to zero at r_LJ.
    public let ljShifted: Bool
    /// Verlet skin in Å.
    public let skin: Double
    /// Ewald parameters in use (resolved from the first configuration for `.ewald(accuracy:)`).
    public private(set) var ewaldParameters: EwaldParameters?
    /// Breakdown of the last evaluation.
    public private(set) var lastBreakdown = EnergyBreakdown()
    /// Virial tensor of the last evaluation (eV); see `VirialTensor`. Zero when `computesVirial` is false.
    public private(set) var lastVirial = VirialTensor.zero
    /// Whether evaluations accumulate the virial (default true). The pair-loop virial costs ~15 % of a
    /// DSF step: MD without pressure control can switch it off.
    public var computesVirial = true

    // Precomputed tables (index 3·s_i + s_j).
    private var ljTable: [LennardJonesLaw]
    private var chargeBySpecies: [Double]
    private var list: NeighborList?
    private var reciprocal: EwaldReciprocal?
    private var scratchY: [SIMD3<Double>] = []
    private var scratchQ: [Double] = []
    private var scratchT: [UInt8] = []

    /// - Parameters:
    ///   - parameters: ε, σ, q per species (default Casu et al. 2023).
    ///   - coulomb: Coulomb method (default DSF, α = 0.2 Å⁻¹, cutoff 10 Å).
    ///   - ljCutoff: LJ cutoff in Å (default 10).
    ///   - ljShifted: shift LJ energy to zero at the cutoff (default true).
    ///   - skin: Verlet skin in Å (default 1).
    /// - Throws: `ForceFieldError.invalidParameter` naming the key.
    public init(parameters: ForceFieldParameters = .casu2023, coulomb: CoulombMethod = .dsf(),
                ljCutoff: Double = 10, ljShifted: Bool = true, skin: Double = 1.0) throws {
        try parameters.validate()
        guard ljCutoff > 0, ljCutoff.isFinite else {
            throw ForceFieldError.invalidParameter(component: "lennard_jones", key: "cutoff", value: "\(ljCutoff)", allowed: "finite > 0 Å")
        }
        guard skin >= 0, skin.isFinite else {
            throw ForceFieldError.invalidParameter(component: "neighbor_list", key: "skin", value: "\(skin)", allowed: "finite ≥ 0 Å")
        }
        switch coulomb {
        case .none, .direct: break
        case let .dsf(alpha, cutoff, _):
            guard alpha >= 0, alpha.isFinite else {
                throw ForceFieldError.invalidParameter(component: "coulomb_dsf", key: "alpha", value: "\(alpha)", allowed: "finite ≥ 0 Å⁻¹")
            }
            guard cutoff > 0, cutoff.isFinite else {
                throw ForceFieldError.invalidParameter(component: "coulomb_dsf", key: "cutoff", value: "\(cutoff)", allowed: "finite > 0 Å")
            }
        case let .ewald(accuracy, cutoff):
            guard accuracy > 0, accuracy < 0.1 else {
                throw ForceFieldError.invalidParameter(component: "coulomb_ewald", key: "accuracy", value: "\(accuracy)", allowed: "0 < accuracy < 0.1")
            }
            if let cutoff, !(cutoff > 0 && cutoff.isFinite) {
                throw ForceFieldError.invalidParameter(component: "coulomb_ewald", key: "cutoff", value: "\(cutoff)", allowed: "finite > 0 Å")
            }
        case let .ewaldExplicit(p):
            for (key, v) in [("alpha", p.alpha), ("cutoff", p.realCutoff), ("kcutoff", p.kCutoff)] where !(v > 0 && v.isFinite) {
                throw ForceFieldError.invalidParameter(component: "coulomb_ewald", key: key, value: "\(v)", allowed: "finite > 0")
            }
            ewaldParameters = p
        }
        self.parameters = parameters; self.coulomb = coulomb
        self.ljCutoff = ljCutoff; self.ljShifted = ljShifted; self.skin = skin
        var table: [LennardJonesLaw] = []
        for x in Species.allCases {
            for y in Species.allCases {
                let p = parameters.pair(x, y)
                table.append(LennardJonesLaw(epsilon: p.epsilon_eV, sigma: p.sigma_A, cutoff: ljCutoff, shifted: ljShifted))
            }
        }
        ljTable = table
        chargeBySpecies = Species.allCases.map { parameters.charge($0) }
    }

    /// Coulomb real-space (pair) cutoff in Å: DSF cutoff, Ewald real cutoff, +∞ for direct, 0 for none.
    /// For `.ewald(accuracy:cutoff: nil)` this is the balanced cutoff once resolved (the LJ cutoff before).
    public var coulombCutoff: Double {
        switch coulomb {
        case .none: return 0
        case .direct: return .infinity
        case let .dsf(_, rc, _): return rc
        case let .ewald(_, rc): return rc ?? ewaldParameters?.realCutoff ?? ljCutoff
        case let .ewaldExplicit(p): return p.realCutoff
        }
    }

    /// Radius of the neighbour list (max of the LJ and Coulomb pair cutoffs) in Å, without skin.
    public var pairCutoff: Double { max(ljCutoff, coulombCutoff) }

    /// Number of neighbour-list builds so far.
    public var neighborListBuilds: Int { list?.buildCount ?? 0 }

    /// Pairs stored in the Verlet list (within cutoff + skin at the last build).
    public var neighborListPairs: Int { list?.pairCount ?? 0 }

    /// Number of half-space k-vectors of the Ewald sum (nil without Ewald or before `prepare`).
    public var ewaldKVectorCount: Int? { reciprocal?.kCount }

    /// Validates `configuration` for this force field and prepares the neighbour list and Ewald tables.
    /// Resolves `.ewald(accuracy:)` parameters on first use (kept fixed afterwards; the k-vectors are
    /// rebuilt, at fixed α and K, when the cell changes).
    /// - Throws: `ForceFieldError` (periodicity not supported, cell too small for cutoff + skin, …).
    public mutating func prepare(_ configuration: Configuration) throws {
        let cell = configuration.cell
        let per = cell.periodic
        let pbc = "\(per.0 ? "T" : "F") \(per.1 ? "T" : "F") \(per.2 ? "T" : "F")"
        switch coulomb {
        case .ewald, .ewaldExplicit:
            guard per.0 && per.1 && per.2 else {
                throw ForceFieldError.unsupportedPeriodicity(component: "coulomb_ewald", periodic: pbc, allowed: "T T T (use dsf for partly periodic or open systems)")
            }
        case .direct:
            guard !per.0 && !per.1 && !per.2 else {
                throw ForceFieldError.unsupportedPeriodicity(component: "coulomb_direct", periodic: pbc, allowed: "F F F (use ewald or dsf for periodic systems)")
            }
        default: break
        }
        let geometry = try CellGeometry(cell)
        if case let .ewald(accuracy, cutoff) = coulomb, ewaldParameters == nil {
            var q2 = 0.0
            for s in configuration.species { q2 += chargeBySpecies[Int(s.rawValue)] * chargeBySpecies[Int(s.rawValue)] }
            if let cutoff {
                ewaldParameters = try EwaldParameters.choose(accuracy: accuracy, realCutoff: cutoff,
                                                             count: configuration.count, sumQ2: q2, volume: geometry.volume)
            } else {
                // Balanced real-space cutoff: at least the LJ cutoff, at most 2.5 r_LJ and w/2 − skin
                // (beyond that the list holds several images of a pair and the cost model no longer applies).
                let maxCut = min(0.5 * geometry.smallestPeriodicWidth - skin - 1e-6, 2.5 * ljCutoff)
                ewaldParameters = try EwaldParameters.chooseBalanced(accuracy: accuracy, minCutoff: ljCutoff, maxCutoff: maxCut, skin: skin,
                                                                     count: configuration.count, sumQ2: q2, volume: geometry.volume)
            }
        }
        if list == nil {
            list = try NeighborList(cutoff: pairCutoff, skin: pairCutoff.isInfinite ? 0 : skin)
        }
        try list!.update(configuration.positions, cell: cell)
        if let p = ewaldParameters, reciprocal == nil || reciprocal!.geometry != geometry {
            reciprocal = EwaldReciprocal(alpha: p.alpha, kCutoff: p.kCutoff, geometry: geometry)
        }
    }

    /// Potential energy (eV) and forces (eV/Å); also updates `lastBreakdown` and `lastVirial`.
    /// Stops with the `prepare` error message if the configuration is not supported.
    public mutating func energyAndForces(_ configuration: Configuration, forces: inout [SIMD3<Double>]) -> Double {
        do { return try evaluate(configuration, forces: &forces).total }
        catch { preconditionFailure("ForceField: \(error)") }
    }

    /// Energy breakdown (eV), forces (eV/Å) into `forces` (resized to N) and the virial into
    /// `lastVirial`. Cost O(N·neighbours) plus O(N·N_k) for Ewald.
    /// - Throws: the `prepare` errors.
    @discardableResult
    public mutating func evaluate(_ configuration: Configuration, forces: inout [SIMD3<Double>]) throws -> EnergyBreakdown {
        try prepare(configuration)
        let n = configuration.count
        if forces.count != n { forces = [SIMD3<Double>](repeating: .zero, count: n) }
        else { for i in 0..<n { forces[i] = .zero } }
        if scratchY.count != n {
            scratchY = [SIMD3<Double>](repeating: .zero, count: n)
            scratchQ = [Double](repeating: 0, count: n)
            scratchT = [UInt8](repeating: 0, count: n)
        }
        let sqrtKe = Constants.coulomb_eV_A.squareRoot()
        var sumQ = 0.0, sumQ2 = 0.0
        let nl = list!
        for i in 0..<n {
            let s = configuration.species[i]
            let q = chargeBySpecies[Int(s.rawValue)]
            sumQ += q; sumQ2 += q * q
            scratchQ[i] = q * sqrtKe
            scratchT[i] = s.rawValue
            scratchY[i] = configuration.positions[i] - nl.wrapOffsets[i]
        }
        var b = EnergyBreakdown()
        var w = VirialTensor.zero
        let ljCut2 = ljCutoff * ljCutoff
        let ke = Constants.coulomb_eV_A
        switch coulomb {
        case .none:
            (b.lennardJones, b.coulombReal) = pairLoop(NoCoulombLaw(), ljCut2: ljCut2, forces: &forces, virial: &w)
        case .direct:
            (b.lennardJones, b.coulombReal) = pairLoop(DirectCoulombLaw(), ljCut2: ljCut2, forces: &forces, virial: &w)
        case let .dsf(alpha, cutoff, selfEnergy):
            let law = DSFLaw(alpha: alpha, cutoff: cutoff)
            (b.lennardJones, b.coulombReal) = pairLoop(law, ljCut2: ljCut2, forces: &forces, virial: &w)
            b.coulombSelf = -law.selfCoefficient(selfEnergy) * ke * sumQ2
        case .ewald, .ewaldExplicit:
            let p = ewaldParameters!
            let law = EwaldRealLaw(alpha: p.alpha, cutoff: p.realCutoff)
            (b.lennardJones, b.coulombReal) = pairLoop(law, ljCut2: ljCut2, forces: &forces, virial: &w)
            b.coulombSelf = -ke * p.alpha * oneOverSqrtPi * sumQ2
            let volume = reciprocal!.geometry.volume
            b.coulombBackground = sumQ == 0 ? 0 : -ke * Double.pi * sumQ * sumQ / (2 * volume * p.alpha * p.alpha)
            w.diagonal += SIMD3(repeating: b.coulombBackground)
            var charges = scratchQ
            for i in 0..<n { charges[i] /= sqrtKe }
            b.coulombReciprocal = configuration.positions.withUnsafeBufferPointer { x in
                charges.withUnsafeBufferPointer { q in
                    forces.withUnsafeMutableBufferPointer { f in
                        reciprocal!.evaluate(positions: x, charges: q, forces: f, virial: &w)
                    }
                }
            }
        }
        lastBreakdown = b
        lastVirial = computesVirial ? w : .zero
        return b
    }

    /// Energy breakdown only (forces computed and discarded).
    public mutating func energyBreakdown(_ configuration: Configuration) throws -> EnergyBreakdown {
        var f: [SIMD3<Double>] = []
        return try evaluate(configuration, forces: &f)
    }

    /// The hot loop: LJ + Coulomb law `law` over the Verlet list. Returns (E_LJ, E_Coulomb pair sum).
    private mutating func pairLoop<C: CoulombLaw>(_ law: C, ljCut2: Double, forces: inout [SIMD3<Double>],
                                                 virial: inout VirialTensor) -> (Double, Double) {
        // Two specialisations so the virial-free loop carries no virial work at all.
        computesVirial ? pairLoop(law, PairLoopWithVirial.self, ljCut2: ljCut2, forces: &forces, virial: &virial)
                       : pairLoop(law, PairLoopWithoutVirial.self, ljCut2: ljCut2, forces: &forces, virial: &virial)
    }

    private mutating func pairLoop<C: CoulombLaw, V: PairLoopVirialMode>(_ law: C, _ mode: V.Type, ljCut2: Double, forces: inout [SIMD3<Double>],
                                                                virial: inout VirialTensor) -> (Double, Double) {
        let nl = list!
        let coulCut2 = law.cutoffSquared
        let maxCut2 = max(ljCut2, coulCut2)
        var elj = 0.0, ecoul = 0.0
        var wd = SIMD3<Double>.zero, wo = SIMD3<Double>.zero
        let n = scratchY.count
        scratchY.withUnsafeBufferPointer { y in
        scratchQ.withUnsafeBufferPointer { q in
        scratchT.withUnsafeBufferPointer { t in
        ljTable.withUnsafeBufferPointer { lj in
        nl.offsets.withUnsafeBufferPointer { off in
        nl.neighbors.withUnsafeBufferPointer { nb in
        nl.images.withUnsafeBufferPointer { img in
        nl.imageShifts.withUnsafeBufferPointer { shifts in
        forces.withUnsafeMutableBufferPointer { f in
            for i in 0..<n {
                let yi = y[i], qi = q[i], ti = 3 &* Int(t[i])
                var fi = SIMD3<Double>.zero
                for p in Int(off[i])..<Int(off[i + 1]) {
                    let j = Int(nb[p])
                    let d = yi - y[j] - shifts[Int(img[p])]
                    let r2 = (d * d).sum()
                    if r2 >= maxCut2 { continue }
                    var fr = 0.0
                    if r2 < ljCut2 {
                        let pl = lj[ti &+ Int(t[j])]
                        let ir2 = 1 / r2
                        let ir6 = ir2 * ir2 * ir2
                        elj += ir6 * (pl.c12 * ir6 - pl.c6) - pl.shift
                        fr = ir6 * (12 * pl.c12 * ir6 - 6 * pl.c6) * ir2
                    }
                    if r2 < coulCut2 {
                        let c = law.evaluate(r2: r2, qq: qi * q[j])
                        ecoul += c.energy
                        fr += c.forceOverR
                    }
                    let fv = fr * d
                    fi += fv
                    f[j] -= fv
                    if V.on {
                        wd += d * fv
                        wo += SIMD3(d.x * fv.y, d.x * fv.z, d.y * fv.z)
                    }
                }
                f[i] += fi
            }
        } } } } } } } } }
        virial.diagonal += wd
        virial.offDiagonal += wo
        return (elj, ecoul)
    }

    /// Energy and force of one pair of species `x`, `y` at distance `r` (Å), with the same laws as the
    /// pair loop (LJ truncated/shifted; Coulomb pair law of the method — for Ewald only the real-space
    /// part, which needs resolved `ewaldParameters`, i.e. `prepare` called for `.ewald(accuracy:)`).
    /// Self, reciprocal and background terms are not pair terms and are not included.
    public func single(_ x: Species, _ y: Species, r: Double) -> PairEvaluation {
        let r2 = r * r
        let l = ljTable[Int(x.rawValue) * 3 + Int(y.rawValue)].evaluate(r2: r2)
        let qq = Constants.coulomb_eV_A * chargeBySpecies[Int(x.rawValue)] * chargeBySpecies[Int(y.rawValue)]
        var c = PairTerm.zero
        switch coulomb {
        case .none: break
        case .direct: c = DirectCoulombLaw().evaluate(r2: r2, qq: qq)
        case let .dsf(alpha, cutoff, _): if r2 < cutoff * cutoff { c = DSFLaw(alpha: alpha, cutoff: cutoff).evaluate(r2: r2, qq: qq) }
        case .ewald, .ewaldExplicit:
            guard let p = ewaldParameters else { preconditionFailure("ForceField.single: Ewald parameters unresolved; call prepare(_:) first") }
            if r2 < p.realCutoff * p.realCutoff { c = EwaldRealLaw(alpha: p.alpha, cutoff: p.realCutoff).evaluate(r2: r2, qq: qq) }
        }
        return PairEvaluation(lennardJones: l.energy, coulomb: c.energy, force: (l.forceOverR + c.forceOverR) * r)
    }
}

/// Compile-time switch of the pair loop's virial accumulation.
protocol PairLoopVirialMode { static var on: Bool { get } }
enum PairLoopWithVirial: PairLoopVirialMode { static var on: Bool { true } }
enum PairLoopWithoutVirial: PairLoopVirialMode { static var on: Bool { false } }
