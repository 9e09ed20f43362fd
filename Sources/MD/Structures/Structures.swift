// Atomic structures for the MD protocols, as thin wrappers over the Geometry module's site lists:
// bulk supercells (wz/zb CdSe, antifluorite Cu₂Se), nanowires periodic along their axis, Cd
// vacancies, Cu interstitials at empty tetrahedral or octahedral holes, and a bath of Cu atoms
// around a wire. Occupation follows the fixed-frame picture of docs/model: Se on anion sites, Cd on
// cation sites (Cu on cation + tetraEmpty sites in antifluorite Cu₂Se).
//
// Charge neutrality of carved wires (optional, default on): a wire cut from the crystal can hold
// more Cd than Se (or the reverse). Casu et al. (DOI 10.1021/acsnano.3c03049) let minimisation
// expel the excess Cd; here the excess atoms of the majority species are removed up front, the
// outermost (largest distance from the axis) first, so the wire is neutral before any MD.

import CekmcCore
import Foundation
import Geometry
import GSL

/// Atoms plus the frame of sites they were built from.
public struct AtomicStructure: Sendable {
    /// The atoms.
    public var configuration: Configuration
    /// The Se frame's sites (anion, cation, tetraEmpty, octa, shell), positions in the
    /// configuration's frame.
    public var sites: SiteList
    /// Site index of each atom (−1 for off-lattice atoms such as bath Cu).
    public var atomSite: [Int32]
    /// Wire axis (x, y) in Å, for wires; nil for bulk.
    public var axis: SIMD2<Double>?
    /// Wire radius in Å, for wires.
    public var radius_A: Double?

    /// Indices of atoms of `species`.
    public func atoms(of species: Species) -> [Int] {
        configuration.species.indices.filter { configuration.species[$0] == species }
    }

    /// Distance (Å) of `r` from the wire axis (0 for bulk).
    public func radialDistance(_ r: SIMD3<Double>) -> Double {
        guard let a = axis else { return 0 }
        let dx = r.x - a.x, dy = r.y - a.y
        return (dx * dx + dy * dy).squareRoot()
    }

    /// Indices of sites of `kind` that no atom occupies.
    public func emptySites(_ kind: SiteKind) -> [Int] {
        let occupied = Set(atomSite.filter { $0 >= 0 }.map(Int.init))
        return sites.range(of: kind).filter { !occupied.contains($0) }
    }

    /// Makes the atom counts stoichiometric (cations = `cationsPerAnion` × Se, cations being Cd, or
    /// Cu for Cu₂Se) by removing the outermost (largest distance from the axis) atoms of the excess
    /// species: first Se if cations are short, then cations. Only Cd or only Cu must be present.
    public mutating func neutralise(cationsPerAnion ratio: Int) {
        let cation: Species = atoms(of: .Cd).isEmpty ? .Cu : .Cd
        func outermost(_ sp: Species, _ k: Int) -> [Int] {
            let pool = atoms(of: sp).sorted { radialDistance(configuration.positions[$0]) > radialDistance(configuration.positions[$1]) }
            return Array(pool.prefix(k))
        }
        var diff = atoms(of: cation).count - ratio * atoms(of: .Se).count
        if diff < 0 {
            removeAtoms(outermost(.Se, (-diff + ratio - 1) / ratio))
            diff = atoms(of: cation).count - ratio * atoms(of: .Se).count
        }
        if diff > 0 { removeAtoms(outermost(cation, diff)) }
    }

    /// Removes the atoms at `indices` (any order). O(N).
    public mutating func removeAtoms(_ indices: [Int]) {
        let drop = Set(indices)
        let keep = configuration.species.indices.filter { !drop.contains($0) }
        configuration = Configuration(species: keep.map { configuration.species[$0] },
                                      positions: keep.map { configuration.positions[$0] },
                                      velocities: keep.map { configuration.velocities[$0] }, cell: configuration.cell)
        atomSite = keep.map { atomSite[$0] }
    }

    /// Appends an atom; returns its index.
    @discardableResult
    public mutating func addAtom(_ species: Species, at r: SIMD3<Double>, site: Int32 = -1) -> Int {
        configuration.species.append(species)
        configuration.positions.append(r)
        configuration.velocities.append(.zero)
        atomSite.append(site)
        return configuration.count - 1
    }

    /// Removes a fraction `fraction` of the Cd atoms (rounded to the nearest integer), chosen
    /// uniformly at random with `rng`; with `surfaceShare` = s, a share s of them is drawn from
    /// surface Cd (`SiteList.isSurface`) and 1 − s from the bulk. Returns the vacant site indices.
    @discardableResult
    public mutating func removeCadmium(fraction: Double, surfaceShare: Double? = nil, rng: RandomGenerator) throws -> [Int] {
        guard (0...1).contains(fraction) else { throw MDProtocolError("vacancies: fraction = \(fraction), allowed 0…1") }
        let cd = atoms(of: .Cd)
        let n = Int((fraction * Double(cd.count)).rounded())
        func draw(_ pool: [Int], _ k: Int) -> [Int] {
            var p = pool, out = [Int]()
            for _ in 0..<min(k, p.count) { let j = rng.uniformInt(p.count); out.append(p.remove(at: j)) }
            return out
        }
        var chosen: [Int]
        if let s = surfaceShare {
            guard (0...1).contains(s) else { throw MDProtocolError("vacancies: surface_share = \(s), allowed 0…1") }
            let surf = cd.filter { atomSite[$0] >= 0 && sites.isSurface[Int(atomSite[$0])] }
            let bulk = cd.filter { !(atomSite[$0] >= 0 && sites.isSurface[Int(atomSite[$0])]) }
            let ns = Int((s * Double(n)).rounded())
            chosen = draw(surf, ns) + draw(bulk, n - ns)
        } else {
            chosen = draw(cd, n)
        }
        let vacated = chosen.map { Int(atomSite[$0]) }
        removeAtoms(chosen)
        return vacated
    }

    /// Puts `species` on the empty site of `kind` (tetraEmpty or octa) closest to `near` (minimum
    /// image); returns the new atom's index.
    @discardableResult
    public mutating func insertInterstitial(_ kind: SiteKind, near: SIMD3<Double>, species: Species = .Cu) throws -> Int {
        guard kind == .tetraEmpty || kind == .octa else { throw MDProtocolError("interstitial: kind = \(kind), allowed tetraEmpty, octa") }
        let w = PeriodicWrap(configuration.cell)
        guard let s = emptySites(kind).min(by: { w.distance(sites.positions[$0], near) < w.distance(sites.positions[$1], near) }) else {
            throw MDProtocolError("interstitial: no empty \(kind) site")
        }
        return addAtom(species, at: sites.positions[s], site: Int32(s))
    }

    /// Adds `count` atoms of `species` at uniform random positions in the annulus
    /// `innerRadius_A` ≤ ρ ≤ `outerRadius_A` around the wire axis (uniform in area and in z over the
    /// cell), each at least `minSeparation_A` from every other atom. Throws if 1000 tries per atom
    /// fail.
    public mutating func addBath(count: Int, species: Species = .Cu, innerRadius_A: Double, outerRadius_A: Double,
                                 minSeparation_A: Double, rng: RandomGenerator) throws {
        guard let a = axis else { throw MDProtocolError("bath: the structure is not a wire") }
        guard innerRadius_A < outerRadius_A else { throw MDProtocolError("bath: inner radius \(innerRadius_A) ≥ outer \(outerRadius_A)") }
        let w = PeriodicWrap(configuration.cell)
        let lz = configuration.cell.c.z
        for _ in 0..<count {
            var placed = false
            for _ in 0..<1000 {
                let r2 = innerRadius_A * innerRadius_A + rng.uniform() * (outerRadius_A * outerRadius_A - innerRadius_A * innerRadius_A)
                let phi = 2 * Double.pi * rng.uniform()
                let p = SIMD3(a.x + r2.squareRoot() * cos(phi), a.y + r2.squareRoot() * sin(phi), lz * rng.uniform())
                if configuration.positions.allSatisfy({ w.distance($0, p) >= minSeparation_A }) {
                    addAtom(species, at: p)
                    placed = true
                    break
                }
            }
            if !placed { throw MDProtocolError("bath: could not place \(count) atoms with min separation \(minSeparation_A) Å in the annulus") }
        }
    }
}

/// Builders.
public enum Structures {
    static func cell(_ box: LatticeBox) -> Cell { Cell(a: box.a, b: box.b, c: box.c, periodic: box.periodic) }

    /// Fills the occupied sites of `sites` for `framework`: Se on anions; Cd on cations (CdSe) or
    /// Cu on cations and tetraEmpty (antifluorite).
    static func populate(_ sites: SiteList, framework: CrystalSpec.Framework, cell: Cell, shift: SIMD3<Double> = .zero) -> AtomicStructure {
        var species = [Species](), pos = [SIMD3<Double>](), atomSite = [Int32]()
        for i in sites.occupiedIndices(framework) {
            let k = sites.kinds[Int(i)]
            species.append(k == .anion ? .Se : (framework == .cdse && k == .cation ? .Cd : .Cu))
            pos.append(sites.positions[Int(i)] + shift)
            atomSite.append(i)
        }
        var s = sites
        for j in s.positions.indices { s.positions[j] += shift }
        return AtomicStructure(configuration: Configuration(species: species, positions: pos, cell: cell), sites: s, atomSite: atomSite)
    }

    /// Smallest whole number (≥ 1) of stacking periods of `spec` whose length is ≥ `length_A`, Å.
    public static func periodicLength(_ spec: CrystalSpec, atLeast length_A: Double) -> Double {
        max(1, (length_A / spec.period_A - 1e-9).rounded(.up)) * spec.period_A
    }

    /// Bulk periodic supercell of `spec` (wz/zb CdSe or antifluorite Cu₂Se) with `repeats` of the
    /// `setting` cell. O(N).
    public static func bulk(_ spec: CrystalSpec, repeats: (Int, Int, Int), setting: BulkSetting = .orthorhombic) throws -> AtomicStructure {
        let b = try BulkCell.make(spec, repeats: repeats, setting: setting)
        return populate(b.sites, framework: spec.framework, cell: cell(b.box))
    }

    /// Smallest bulk supercell of `spec` in `setting` whose perpendicular widths are all ≥
    /// `minimumWidth_A` (e.g. 2 × (cutoff + skin) for the force field).
    public static func bulk(_ spec: CrystalSpec, minimumWidth_A: Double, setting: BulkSetting = .orthorhombic) throws -> AtomicStructure {
        let unit = try BulkCell.make(spec, repeats: (1, 1, 1), setting: setting).box
        let r = (0..<3).map { max(1, Int((minimumWidth_A / unit.width($0)).rounded(.up))) }
        return try bulk(spec, repeats: (r[0], r[1], r[2]), setting: setting)
    }

    /// Nanowire of `spec` along its stacking axis (wz [001], zb [111]) with diameter `diameter_A`
    /// and length `length_A` (rounded to whole stacking periods), periodic along the axis; lateral
    /// box of width `diameter_A + 2·margin_A`, periodic laterally if `lateralPeriodic`, with the axis
    /// at the box centre. `neutralise` removes the excess majority-species atoms, outermost first.
    public static func nanowire(_ spec: CrystalSpec, diameter_A: Double, length_A: Double, margin_A: Double = 15,
                                lateralPeriodic: Bool = false, neutralise: Bool = true) throws -> AtomicStructure {
        let l = spec.periodicLength(near: length_A)
        let w = try Wire.carve(spec, diameter_A: diameter_A, length_A: l, periodicZ: true)
        let side = diameter_A + 2 * margin_A
        let c = Cell(a: [side, 0, 0], b: [0, side, 0], c: [0, 0, l], periodic: (lateralPeriodic, lateralPeriodic, true))
        var s = populate(w.sites, framework: spec.framework, cell: c, shift: SIMD3(side / 2, side / 2, 0))
        s.axis = SIMD2(side / 2, side / 2)
        s.radius_A = diameter_A / 2
        if neutralise { s.neutralise(cationsPerAnion: spec.framework == .cdse ? 1 : 2) }
        return s
    }
}
