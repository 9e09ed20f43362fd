// Minimisers on analytic surfaces.
import Foundation
import Testing
@testable import MD

@Suite struct MinimizationTests {
    @Test("SD+CG relaxation ends below its max-force tolerance; LJ dimer at 2^(1/6)σ")
    func relaxationMeetsTolerance() throws {
        var s = LJCluster()
        let c0 = ljCluster()
        var f0: [SIMD3<Double>] = []
        let e0 = s.energyAndForces(c0, forces: &f0)
        let r = try Relaxation.relax(c0, surface: &s, options: RelaxationOptions(forceTolerance_eV_per_A: 1e-5))
        #expect(r.converged)
        #expect(r.maxForce < 1e-5)
        var f: [SIMD3<Double>] = []
        let e = s.energyAndForces(r.configuration, forces: &f)
        #expect(abs(e - r.energy) < 1e-12)
        #expect(f.allSatisfy { simd_length($0) < 1e-5 })
        #expect(e < e0)

        let dimer = Configuration(species: [.Cu, .Cu], positions: [.zero, SIMD3(3.3, 0.2, -0.1)],
                                  cell: .orthorhombic([30, 30, 30], periodic: (false, false, false)))
        let rd = try Relaxation.relax(dimer, surface: &s, options: RelaxationOptions(forceTolerance_eV_per_A: 1e-7))
        let d = simd_length(rd.configuration.positions[1] - rd.configuration.positions[0])
        #expect(abs(d - pow(2, 1.0 / 6) * 2.5) < 1e-6)
        #expect(abs(rd.energy + 0.1) < 1e-10)
    }

    @Test("Fixed atoms stay put; free atoms relax against them")
    func fixedAtomsStay() throws {
        var s = LJCluster()
        let dimer = Configuration(species: [.Cu, .Cu], positions: [SIMD3(1, 2, 3), SIMD3(4.3, 2, 3)],
                                  cell: .orthorhombic([30, 30, 30], periodic: (false, false, false)))
        let r = try Relaxation.relax(dimer, surface: &s, fixed: [true, false], options: RelaxationOptions(forceTolerance_eV_per_A: 1e-7))
        #expect(r.configuration.positions[0] == SIMD3(1, 2, 3))
        #expect(abs(r.configuration.positions[1].x - (1 + pow(2, 1.0 / 6) * 2.5)) < 1e-6)
    }

    @Test("FIRE alone reaches tolerance on the Müller–Brown minimum")
    func fireFindsMinimum() {
        let r = FIRE.minimize(x0: [-0.4, 1.3], groupSize: 2, tolerance: 1e-6, maxIterations: 100_000, dtMax: 0.01, fdf: MullerBrown.fdf)
        let (x, y) = MullerBrown.stationaryPoint(near: (-0.558, 1.442))
        #expect(r.converged)
        #expect(abs(r.x[0] - x) < 1e-6 && abs(r.x[1] - y) < 1e-6)
    }

    @Test("Cell relaxation recovers the rest lengths of an anisotropic spring lattice")
    func cellRelaxationAxial() throws {
        var (c, s) = SpringLattice.build(n: 3, spacing: SIMD3(2.2, 2.2, 3.4), rest: SIMD3(2.0, 2.0, 3.1))
        let r = try CellRelaxation.relax(c, surface: &s, dof: .axial, gradientTolerance_eV: 1e-7)
        #expect(abs(r.configuration.cell.a.x / 3 - 2.0) < 1e-4, "a = \(r.configuration.cell.a.x / 3)")
        #expect(abs(r.configuration.cell.c.z / 3 - 3.1) < 1e-4, "c = \(r.configuration.cell.c.z / 3)")
        #expect(abs(r.energy) < 1e-7)
        var (ci, si) = SpringLattice.build(n: 3, spacing: SIMD3(2.3, 2.3, 2.3), rest: SIMD3(2.1, 2.1, 2.1))
        let ri = try CellRelaxation.relax(ci, surface: &si, dof: .isotropic, gradientTolerance_eV: 1e-7)
        #expect(abs(ri.configuration.cell.b.y / 3 - 2.1) < 1e-4)
        _ = c
    }
}
