// Steps b and d of Casu et al. 2023 (DOI 10.1021/acsnano.3c03049) and the Cu₂Se alternative path,
// as straight-path ensembles plus a climbing-image NEB between the same relaxed end points.
//
// Step b (penetration): wire periodic along its axis; a Cu atom on the shell (adsorption) site
// nearest to the outer surface point at mid-length is relaxed with the whole wire → initial state.
// Final state: the same Cu on the empty hole (`tetraEmpty`; `octa` for Cu₂Se, whose tetrahedral holes
// are all filled) that is ≥ `depth_A` inside the surface and nearest to the adsorbed Cu, relaxed.
// Step d (kick-off): Cu relaxed on the empty tetrahedral hole nearest the wire axis at mid-length;
// the Cd nearest to it is kicked to the empty hole adjacent to the Cd site that best continues the
// push (max cosine with Cd − Cu, excluding the Cu's hole); final state = Cu on the Cd site, Cd on that
// hole, relaxed. Both atoms move on straight lines simultaneously. (The paper's literal "swap" of Cu
// and Cd along one straight line makes them overlap mid-path, which a pair potential cannot
// describe; the kick-off into the next hole is the mechanism its Fig. 4d draws.)
// Landscapes: N images; the moving atoms fixed on the line, every atom within `activeRadius_A` of
// a moving atom's segment relaxed (SD+CG, max-force criterion), the rest frozen at the initial
// state; for each of the paths the Cu start is perturbed by U(−1, 1) Å per axis (seeded) and then
// relaxed (active region, Cu included): the path runs from that local minimum to the end point and
// its energies are relative to it. (Without the relaxation the ~1 eV cost of a 1 Å displacement
// from the minimum would dominate every landscape.)
// End points: the initial state relaxed in full; the final state = the initial one with the moving
// atoms on their targets and the active region relaxed (so frozen atoms agree at both ends). A
// final state that is not a local minimum (moving atom drifts > 1 Å) is relaxed with the moving
// atoms held and flagged. NEB between these end points, same active region, climbing image.

import CekmcCore
import Foundation
import Geometry
import GSL

/// Outcome of a path calculation (one phase, one step).
public struct PathResult: Sendable, Codable {
    /// "b", "d" or "cu2se".
    public var step: String
    /// "wz", "zb" (host) or "cu2se".
    public var crystal: String
    /// Wire diameter and length, Å; atoms.
    public var diameter_A: Double
    /// Wire length (periodic), Å.
    public var length_A: Double
    /// Number of atoms in the simulated cell or wire.
    public var atoms: Int
    /// Straight-path statistics.
    public var images: Int
    /// Number of straight paths.
    public var paths: Int
    /// Mean straight-path barrier, eV.
    public var barrierMean_eV: Double
    /// Sample standard deviation of the barriers, eV.
    public var barrierStd_eV: Double
    /// Mean end-point difference of the landscapes, eV.
    public var deltaEMean_eV: Double
    /// Standard deviation of the end-point difference, eV.
    public var deltaEStd_eV: Double
    /// Mean landscape per image, eV.
    public var meanLandscape_eV: [Double]
    /// Standard deviation of the landscape per image, eV.
    public var spreadLandscape_eV: [Double]
    /// E_final − E_initial of the relaxed end points (final state: active region relaxed), eV.
    public var relaxedDeltaE_eV: Double
    /// True when the final state is not a local minimum (a moving atom left its target by > 1 Å on
    /// relaxation); it was then relaxed with the moving atoms held on their targets.
    public var finalStateUnstable: Bool
    /// Atoms relaxed along the paths (within `activeRadius_A` of the moving atoms' segments).
    public var activeAtoms: Int
    /// NEB (nil when skipped).
    public var nebBarrier_eV: Double?
    /// NEB end-point difference, eV.
    public var nebDeltaE_eV: Double?
    /// Whether the NEB met its force tolerance.
    public var nebConverged: Bool?
    /// NEB image energies relative to the first, eV.
    public var nebEnergies_eV: [Double]?
    /// Straight distance travelled by the Cu, Å.
    public var cuDisplacement_A: Double
    /// Paper's value (Table 1 / text), eV.
    public var paper_eV: Double

    /// JSON keys: snake_case with the unit in the name (one style for every command's JSON).
    enum CodingKeys: String, CodingKey {
        case step
        case crystal
        case diameter_A
        case length_A
        case atoms
        case images
        case paths
        case barrierMean_eV = "barrier_mean_eV"
        case barrierStd_eV = "barrier_std_eV"
        case deltaEMean_eV = "delta_E_mean_eV"
        case deltaEStd_eV = "delta_E_std_eV"
        case meanLandscape_eV = "mean_landscape_eV"
        case spreadLandscape_eV = "spread_landscape_eV"
        case relaxedDeltaE_eV = "relaxed_delta_E_eV"
        case finalStateUnstable = "final_state_unstable"
        case activeAtoms = "active_atoms"
        case nebBarrier_eV = "neb_barrier_eV"
        case nebDeltaE_eV = "neb_delta_E_eV"
        case nebConverged = "neb_converged"
        case nebEnergies_eV = "neb_energies_eV"
        case cuDisplacement_A = "cu_displacement_A"
        case paper_eV
    }
}

/// Sizes of a path calculation.
public struct PathSizes: Sendable {
    /// Wire diameter, Å.
    public var diameter_A: Double
    /// Wire length (periodic), Å.
    public var length_A: Double
    /// Images per straight path.
    public var images: Int
    /// Number of straight paths.
    public var paths: Int
    /// Atoms within this distance of a moving atom's segment relax, Å.
    public var activeRadius_A: Double
    /// Intermediate NEB images.
    public var nebImages: Int
    /// NEB force tolerance, eV/Å.
    public var nebTolerance: Double
    /// NEB iteration budget.
    public var nebMaxIterations: Int
    /// Minimum depth of the final hole below the wire radius (step b), Å.
    public var depth_A: Double = 2.5
    /// Quick: 2.4 nm wire, 9 images, 6 paths; full: the paper's 4.5 nm × 3 nm wire, 15 images, 30 paths.
    public static func preset(_ p: ProtocolProfile) -> PathSizes {
        p == .quick
            ? PathSizes(diameter_A: 24, length_A: 24, images: 9, paths: 6, activeRadius_A: 7, nebImages: 5, nebTolerance: 0.05, nebMaxIterations: 400)
            : PathSizes(diameter_A: 45, length_A: 30, images: 15, paths: 30, activeRadius_A: 10, nebImages: 9, nebTolerance: 0.01, nebMaxIterations: 3000)
    }
}

/// The path protocols.
public enum PathProtocols {
    /// Distance from p to the segment a–b.
    static func segmentDistance(_ p: SIMD3<Double>, _ a: SIMD3<Double>, _ b: SIMD3<Double>) -> Double {
        let ab = b - a, l2 = (ab * ab).sum()
        let t = l2 > 0 ? min(max(((p - a) * ab).sum() / l2, 0), 1) : 0
        let d = p - (a + t * ab)
        return (d * d).sum().squareRoot()
    }

    /// Per-atom fixed mask: atoms farther than `radius` from every moving segment are fixed.
    static func frozenMask(_ c: Configuration, segments: [(SIMD3<Double>, SIMD3<Double>)], radius: Double, moving: [Int]) -> [Bool] {
        let mv = Set(moving)
        return c.positions.indices.map { i in
            if mv.contains(i) { return false }
            return segments.allSatisfy { segmentDistance(c.positions[i], $0.0, $0.1) > radius }
        }
    }

    /// Runs step `step` ("b", "d", or "cu2se") for `crystal` (spec of the host or Cu₂Se).
    public static func run(step: String, spec: CrystalSpec, crystalName: String, sizes: PathSizes, neb: Bool,
                           settings: ProtocolSettings) throws -> PathResult {
        var ff = try settings.wireForceField()
        let rng = try RandomGenerator(name: "mt19937", seed: settings.seed)
        settings.progress("path \(step) \(crystalName): carving and relaxing the wire")
        var wire = try Structures.nanowire(spec, diameter_A: sizes.diameter_A,
                                           length_A: Structures.periodicLength(spec, atLeast: max(sizes.length_A, settings.minimumWidth(ff))),
                                           margin_A: 15)
        let relaxedWire = try Relaxation.relax(wire.configuration, surface: &ff, options: settings.relaxation)
        wire.configuration = relaxedWire.configuration
        let axis = wire.axis!, r0 = wire.radius_A!, lz = wire.configuration.cell.c.z
        var initial = wire
        var moving: [Int], perturbed: [Int], targets: [SIMD3<Double>]
        let paper: Double
        switch step {
        case "b", "cu2se":
            let target = SIMD3(axis.x + r0 + 1.5, axis.y, lz / 2)
            let shell = wire.emptySites(.shell).min { simd_distance(wire.sites.positions[$0], target) < simd_distance(wire.sites.positions[$1], target) }!
            let cu = initial.addAtom(.Cu, at: wire.sites.positions[shell], site: Int32(shell))
            settings.progress("path \(step) \(crystalName): relaxing adsorbed Cu")
            initial.configuration = try Relaxation.relax(initial.configuration, surface: &ff, options: settings.relaxation).configuration
            let ads = initial.configuration.positions[cu]
            let kind: SiteKind = spec.framework == .cdse ? .tetraEmpty : .octa
            let inner = wire.emptySites(kind).filter { wire.radialDistance(wire.sites.positions[$0]) < r0 - sizes.depth_A }
            guard let hole = inner.min(by: { simd_distance(wire.sites.positions[$0], ads) < simd_distance(wire.sites.positions[$1], ads) }) else {
                throw MDProtocolError("path \(step): no empty \(kind) hole deeper than \(sizes.depth_A) Å in the wire")
            }
            targets = [wire.sites.positions[hole]]
            moving = [cu]; perturbed = [cu]
            paper = step == "b" ? (spec.phase == .wz ? 0.4 : 0.06) : 0.6
        case "d":
            let w = PeriodicWrap(wire.configuration.cell)
            let centre = SIMD3(axis.x, axis.y, lz / 2)
            let cu = try initial.insertInterstitial(.tetraEmpty, near: centre)
            settings.progress("path d \(crystalName): relaxing Cu interstitial")
            initial.configuration = try Relaxation.relax(initial.configuration, surface: &ff, options: settings.relaxation).configuration
            let pcu = initial.configuration.positions[cu]
            let cd = initial.atoms(of: .Cd).min { w.distance(initial.configuration.positions[$0], pcu) < w.distance(initial.configuration.positions[$1], pcu) }!
            let pcd = initial.configuration.positions[cd]
            let push = w.minimumImage(pcd - pcu)
            let cuHole = Int(initial.atomSite[cu])
            let candidates = (wire.emptySites(.tetraEmpty) + wire.emptySites(.octa)).filter {
                $0 != cuHole && w.distance(wire.sites.positions[$0], pcd) < 3.6
            }
            guard let hole = candidates.max(by: {
                let a = w.minimumImage(wire.sites.positions[$0] - pcd), b = w.minimumImage(wire.sites.positions[$1] - pcd)
                return (a * push).sum() / simd_length(a) < (b * push).sum() / simd_length(b)
            }) else { throw MDProtocolError("path d: no empty hole next to the Cd site") }
            targets = [pcd, pcd + w.minimumImage(wire.sites.positions[hole] - pcd)]
            moving = [cu, cd]; perturbed = [cu]
            paper = spec.phase == .wz ? 0.7 : 0.3
        default:
            throw MDProtocolError("path: step = \(step), allowed b, d, cu2se")
        }
        settings.progress("path \(step) \(crystalName): relaxing the final state")
        var f: [SIMD3<Double>] = []
        let eInitial = ff.energyAndForces(initial.configuration, forces: &f)
        let targetSegments = moving.indices.map { (initial.configuration.positions[moving[$0]], targets[$0]) }
        let fixed = frozenMask(initial.configuration, segments: targetSegments, radius: sizes.activeRadius_A, moving: moving)
        // Final state: the initial state with the moving atoms on their targets, active region relaxed
        // (moving atoms free). If a moving atom leaves its target by > 1 Å the state is not a local
        // minimum of the force field: it is relaxed again with the moving atoms held on the targets.
        var finalStart = initial.configuration
        for (k, m) in moving.enumerated() { finalStart.positions[m] = targets[k] }
        var far = try Relaxation.relax(finalStart, surface: &ff, fixed: fixed, options: settings.relaxation)
        let unstable = moving.indices.contains { simd_distance(far.configuration.positions[moving[$0]], targets[$0]) > 1 }
        if unstable {
            var hold = fixed
            for m in moving { hold[m] = true }
            far = try Relaxation.relax(finalStart, surface: &ff, fixed: hold, options: settings.relaxation)
        }
        let ends = moving.map { far.configuration.positions[$0] }
        let segments = moving.indices.map { (initial.configuration.positions[moving[$0]], ends[$0]) }
        settings.progress("path \(step) \(crystalName): \(sizes.paths) straight paths × \(sizes.images) images, \(fixed.filter { !$0 }.count) active atoms")
        let ens = StraightPath.ensemble(initial: initial.configuration, moving: moving, endPositions: ends, images: sizes.images,
                                        paths: sizes.paths, perturbation_A: 1.0, perturbed: perturbed, relaxStart: true, rng: rng, relaxOthers: true,
                                        fixed: fixed, options: settings.relaxation, surface: &ff,
                                        progress: { settings.progress("path \(step) \(crystalName): path \($0)/\(sizes.paths)") })
        var result = PathResult(step: step, crystal: crystalName, diameter_A: sizes.diameter_A, length_A: lz,
                                atoms: initial.configuration.count, images: sizes.images, paths: sizes.paths,
                                barrierMean_eV: ens.barrierMean_eV, barrierStd_eV: ens.barrierStd_eV,
                                deltaEMean_eV: ens.deltaEMean_eV, deltaEStd_eV: ens.deltaEStd_eV,
                                meanLandscape_eV: ens.meanLandscape_eV, spreadLandscape_eV: ens.spreadLandscape_eV,
                                relaxedDeltaE_eV: far.energy - eInitial, finalStateUnstable: unstable,
                                activeAtoms: fixed.filter { !$0 }.count,
                                cuDisplacement_A: simd_distance(segments[0].0, segments[0].1), paper_eV: paper)
        if neb {
            settings.progress("path \(step) \(crystalName): climbing-image NEB")
            var o = NEBOptions()
            o.intermediateImages = sizes.nebImages
            o.springConstant = 1.0
            o.forceTolerance = sizes.nebTolerance
            o.maxIterations = sizes.nebMaxIterations
            o.climbAfter = sizes.nebMaxIterations / 3
            o.climbFactor = 5
            let r = NEB.run(start: initial.configuration, end: far.configuration, fixed: fixed, options: o, surface: &ff)
            result.nebBarrier_eV = r.barrier
            result.nebDeltaE_eV = r.deltaE
            result.nebConverged = r.converged
            result.nebEnergies_eV = r.energies.map { $0 - r.energies[0] }
        }
        return result
    }
}

@inlinable func simd_distance(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> Double { let d = a - b; return (d * d).sum().squareRoot() }
@inlinable func simd_length(_ a: SIMD3<Double>) -> Double { (a * a).sum().squareRoot() }
