// Protocol helpers that need no force field.
import CekmcCore
import Foundation
import Geometry
import Testing
@testable import MD

@Suite struct ProtocolTests {
    @Test("wz u measured on an ideal built cell equals the spec's u; zb lattice spec from lattice results")
    func wurtziteU() throws {
        for u in [0.376, 0.40] {
            let spec = try CrystalSpec.wurtzite(a_A: 4.39, c_A: 7.02, u: u)
            let s = try Structures.bulk(spec, repeats: (3, 2, 2))
            #expect(abs(BulkProtocols.wurtziteU(s.configuration, cLength: 7.02) - u) < 1e-9)
        }
        let lat = [LatticeResult(crystal: "zb", a_A: 6.2, c_A: nil, u: nil, energyPerFormulaUnit_eV: -11, atoms: 8,
                                 paper_a_A: nil, paper_c_A: nil, paper_u: nil)]
        #expect(try BulkProtocols.relaxedSpec(.zb, lattice: lat).a_A == 6.2)
        #expect(try BulkProtocols.relaxedSpec(.wz, lattice: lat).a_A == 4.30)   // falls back to the experimental start
    }

    @Test("Active region: atoms within the radius of a moving segment relax, the rest are frozen")
    func frozenMask() {
        let c = Configuration(species: [.Cu, .Cd, .Se, .Se], positions: [.zero, SIMD3(2, 1, 0), SIMD3(5, 3.1, 0), SIMD3(-3.5, 0, 0)],
                              cell: .orthorhombic([30, 30, 30]))
        let m = PathProtocols.frozenMask(c, segments: [(SIMD3(0, 0, 0), SIMD3(5, 0, 0))], radius: 3, moving: [0])
        #expect(m == [false, false, true, true])
        #expect(abs(PathProtocols.segmentDistance(SIMD3(-3, 4, 0), .zero, SIMD3(5, 0, 0)) - 5) < 1e-12)
    }
}
