// Crystal parameters, bulk cells: textbook distances, coordination and stoichiometry.
import Testing
import CekmcCore
@testable import Geometry

@Suite struct CrystalSpecTests {
    @Test func defaultsMatchSpec() throws {
        let zb = try CrystalSpec.zincblende(), wz = try CrystalSpec.wurtzite(), cu = try CrystalSpec.cu2se()
        #expect(zb == CrystalSpec.defaultZincblende)
        #expect(wz == CrystalSpec.defaultWurtzite)
        #expect(zb.a_A == 6.05 && wz.a_A == 4.30 && wz.c_A == 7.01 && wz.u == 0.376)
        #expect(cu.a_A == 5.666 && cu.framework == .antifluorite && cu.phase == .zb)
    }

    @Test func derivedDistancesAreTextbook() throws {
        let a = 6.05, zb = try CrystalSpec.zincblende(a_A: a)
        #expect(abs(zb.inPlaneSpacing_A - a / 2.0.squareRoot()) < 1e-12)
        #expect(abs(zb.layerSpacing_A - a / 3.0.squareRoot()) < 1e-12)
        #expect(abs(zb.axialBond_A - a * 3.0.squareRoot() / 4) < 1e-12)
        #expect(abs(zb.basalBond_A - a * 3.0.squareRoot() / 4) < 1e-12)
        #expect(abs(zb.tetraOctaDistance_A - a * 3.0.squareRoot() / 4) < 1e-12)
        #expect(abs(zb.anionDensity_perA3 - 4 / (a * a * a)) < 1e-15)
        #expect(abs(zb.period_A - a * 3.0.squareRoot()) < 1e-12)
        let (aw, c, u) = (4.30, 7.01, 0.376), wz = try CrystalSpec.wurtzite(a_A: aw, c_A: c, u: u)
        #expect(abs(wz.axialBond_A - u * c) < 1e-12)
        #expect(abs(wz.basalBond_A - (aw * aw / 3 + (0.5 - u) * (0.5 - u) * c * c).squareRoot()) < 1e-12)
        #expect(abs(wz.anionDensity_perA3 - 4 / (3.0.squareRoot() * aw * aw * c)) < 1e-15)
        #expect(abs(wz.periodicLength(near: 30) - 4 * c) < 1e-12)
        #expect(abs(zb.periodicLength(near: 1) - zb.period_A) < 1e-12)
    }

    @Test func invalidParametersThrowNamingTheKey() {
        #expect(throws: GeometryError.self) { try CrystalSpec.zincblende(a_A: -1) }
        #expect(throws: GeometryError.self) { try CrystalSpec.wurtzite(u: 0.6) }
        #expect(throws: GeometryError.self) { try CrystalSpec.wurtzite(c_A: 12) }
        #expect(throws: GeometryError.self) { try CrystalSpec(phase: .zb, a_A: 6.05, c_A: 7) }
        do {
            _ = try CrystalSpec.wurtzite(u: 0.6)
            Issue.record("no error")
        } catch {
            #expect("\(error)".contains("u = 0.6"))
            #expect("\(error)".contains("CrystalSpec(wz)"))
        }
    }
}

@Suite struct BulkCellTests {
    /// Checks the coordination shells of every site of `kind` against `expected`.
    func check(_ cell: BulkCell, _ kind: SiteKind, _ to: [SiteKind], rmax: Double, _ expected: [(Double, Int)],
               sourceLocation: SourceLocation = #_sourceLocation) {
        for i in cell.sites.range(of: kind) {
            expectShell(distances(cell.sites, from: i, to: to, rmax: rmax), expected, "\(kind)→\(to) site \(i)",
                        sourceLocation: sourceLocation)
        }
    }

    func stoichiometry(_ cell: BulkCell, formulaUnits: Int) {
        let s = cell.sites
        #expect(s.count(of: .anion) == formulaUnits)
        #expect(s.count(of: .cation) == formulaUnits)
        #expect(s.count(of: .tetraEmpty) == formulaUnits)
        #expect(s.count(of: .octa) == formulaUnits)
        #expect(s.count(of: .shell) == 0)
        #expect(abs(Double(formulaUnits) / cell.box.volume - cell.spec.anionDensity_perA3) < 1e-12)
        // All positions inside the cell.
        for r in s.positions {
            let f = cell.box.fractional(r)
            #expect(f.min() >= -1e-12 && f.max() < 1)
        }
    }

    @Test(arguments: [BulkSetting.orthorhombic, .cubic, .hexagonal])
    func zincblendeDistancesAndCoordination(_ setting: BulkSetting) throws {
        let a = 6.05, spec = try CrystalSpec.zincblende(a_A: a)
        let reps = setting == .cubic ? (2, 2, 2) : (setting == .hexagonal ? (4, 4, 1) : (3, 2, 1))
        let cell = try BulkCell.make(spec, repeats: reps, setting: setting)
        let perCell = setting == .cubic ? 4 : (setting == .hexagonal ? 3 : 6)
        stoichiometry(cell, formulaUnits: perCell * reps.0 * reps.1 * reps.2)
        let bond = a * 3.0.squareRoot() / 4
        check(cell, .cation, [.anion], rmax: 3.2, [(bond, 4)])
        check(cell, .anion, [.cation], rmax: 3.2, [(bond, 4)])
        check(cell, .tetraEmpty, [.anion], rmax: 3.2, [(bond, 4)])
        check(cell, .octa, [.anion], rmax: 3.2, [(a / 2, 6)])
        check(cell, .cation, [.cation], rmax: 4.5, [(a / 2.0.squareRoot(), 12)])
        check(cell, .tetraEmpty, [.octa], rmax: 2.9, [(bond, 4)])
        check(cell, .octa, [.tetraEmpty], rmax: 2.9, [(bond, 4)])
        check(cell, .cation, [.tetraEmpty], rmax: 3.5, [(a / 2, 6)])   // T₊–T₋ = a/2
        check(cell, .anion, [.anion], rmax: 4.5, [(a / 2.0.squareRoot(), 12)])
    }

    @Test(arguments: [BulkSetting.orthorhombic, .hexagonal])
    func wurtziteDistancesAndCoordination(_ setting: BulkSetting) throws {
        let (a, c, u) = (4.30, 7.01, 0.376), spec = try CrystalSpec.wurtzite(a_A: a, c_A: c, u: u)
        let reps = setting == .hexagonal ? (4, 4, 2) : (3, 2, 2)
        let cell = try BulkCell.make(spec, repeats: reps, setting: setting)
        stoichiometry(cell, formulaUnits: (setting == .hexagonal ? 2 : 4) * reps.0 * reps.1 * reps.2)
        let axial = u * c, basal = (a * a / 3 + (0.5 - u) * (0.5 - u) * c * c).squareRoot()
        check(cell, .cation, [.anion], rmax: 3.3, [(axial, 1), (basal, 3)])
        check(cell, .anion, [.cation], rmax: 3.3, [(axial, 1), (basal, 3)])
        check(cell, .tetraEmpty, [.anion], rmax: 3.3, [(axial, 1), (basal, 3)])
        check(cell, .octa, [.anion], rmax: 3.3, [((a * a / 3 + c * c / 16).squareRoot(), 6)])
        check(cell, .cation, [.cation], rmax: 4.6, [(a, 6), ((a * a / 3 + c * c / 4).squareRoot(), 6)])
        check(cell, .anion, [.anion], rmax: 4.6, [(a, 6), ((a * a / 3 + c * c / 4).squareRoot(), 6)])
        // Face-sharing T pair along c: (1 − 2u)c.
        check(cell, .cation, [.tetraEmpty], rmax: 2.0, [((1 - 2 * u) * c, 1)])
        // T–O face sharing.
        let to = (a * a / 3 + (2 * u - 0.5) * (2 * u - 0.5) * c * c / 4).squareRoot()
        check(cell, .tetraEmpty, [.octa], rmax: 2.9, [(to, 3)])
        check(cell, .octa, [.cation, .tetraEmpty], rmax: 2.9, [(to, 6)])
        #expect(abs(spec.tetraOctaDistance_A - to) < 1e-12)
    }

    @Test func hexagonalCellIsPrimitiveWurtzite() throws {
        let cell = try BulkCell.make(.defaultWurtzite, repeats: (1, 1, 1), setting: .hexagonal)
        #expect(cell.sites.count(of: .anion) == 2 && cell.sites.count(of: .cation) == 2)
        #expect(abs(cell.box.volume - 3.0.squareRoot() / 2 * 4.30 * 4.30 * 7.01) < 1e-9)
        // γ = 120°.
        let cosg = (cell.box.a * cell.box.b).sum() / (4.30 * 4.30)
        #expect(abs(cosg + 0.5) < 1e-12)
    }

    @Test(arguments: [BulkSetting.cubic, .orthorhombic])
    func antifluoriteCoordination(_ setting: BulkSetting) throws {
        let a = 5.666, spec = try CrystalSpec.cu2se(a_A: a)
        let cell = try BulkCell.make(spec, repeats: setting == .cubic ? (2, 2, 2) : (3, 2, 1), setting: setting)
        let nSe = cell.sites.count(of: .anion)
        #expect(cell.occupiedIndices().count == 3 * nSe)     // Cu₂Se
        let bond = a * 3.0.squareRoot() / 4
        check(cell, .cation, [.anion], rmax: 3.0, [(bond, 4)])
        check(cell, .tetraEmpty, [.anion], rmax: 3.0, [(bond, 4)])
        check(cell, .anion, [.cation, .tetraEmpty], rmax: 3.0, [(bond, 8)])
        // Cu–Cu (simple cubic a/2).
        check(cell, .cation, [.cation, .tetraEmpty], rmax: 3.2, [(a / 2, 6)])
    }

    @Test func invalidBulkRequestsThrow() {
        #expect(throws: GeometryError.self) { try BulkCell.make(.defaultWurtzite, repeats: (1, 1, 1), setting: .cubic) }
        #expect(throws: GeometryError.self) { try BulkCell.make(.defaultZincblende, repeats: (0, 1, 1)) }
    }
}
