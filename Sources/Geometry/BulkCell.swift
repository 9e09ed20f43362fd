// Periodic bulk supercells (for MD and for the reference distances of the neighbour shells).
//
// Settings:
//  • orthorhombic: the triangular layer in a rectangle a_hex × √3·a_hex (2 lattice points per layer),
//    z along the stacking axis (wz [001], zb [111]); one repeat along z = one stacking period
//    (wz 2 layers, c; zb 3 layers, a√3). Cell nx·a_hex × ny·√3·a_hex × nz·period.
//  • hexagonal: the primitive triangular cell a1 = a_hex(1,0,0), a2 = a_hex(−1/2, √3/2, 0) (γ = 120°,
//    triclinic in Cartesian terms) times one stacking period; for wz this is the primitive wurtzite
//    cell (2 formula units), for zb the triple hexagonal cell (3 formula units).
//  • cubic (zb only): conventional cubic cell a³ with axis [001], Se on fcc (0,0,0)+(0,½,½)+…,
//    cation at +a(¼,¼,¼) (the same polarity as the stacked setting: cation along +[111] from Se),
//    tetraEmpty at +a(¾,¾,¾), octa at +a(½,0,0); 4 formula units per cell.
// Every setting holds N_anion = N_cation = N_tetraEmpty = N_octa sites; positions are wrapped into
// the cell (fractional coordinates in [0, 1)).

/// Setting of a bulk periodic cell.
public enum BulkSetting: String, Sendable, CaseIterable {
    /// Rectangular in-plane cell a_hex × √3·a_hex, axis along z, one stacking period per repeat.
    case orthorhombic
    /// Primitive hexagonal in-plane cell (γ = 120°), one stacking period per repeat.
    case hexagonal
    /// Conventional cubic cell of zb (a³, axis [001]); zb/antifluorite only.
    case cubic
}

/// A bulk periodic supercell: all sites (anion, cation, tetraEmpty, octa; no shell) in a fully
/// periodic box. Build with `BulkCell.make`.
public struct BulkCell: Sendable {
    /// Crystal parameters used.
    public let spec: CrystalSpec
    /// Cell setting.
    public let setting: BulkSetting
    /// Repeats of the setting's unit cell along a, b, c.
    public let repeats: SIMD3<Int>
    /// The sites (grouped by kind; `sites.box` is the periodic cell).
    public let sites: SiteList

    /// The periodic cell (Å), all axes periodic.
    public var box: LatticeBox { sites.box }

    /// Builds an nx × ny × nz supercell. O(N).
    /// - Throws: `GeometryError.invalidParameter` for repeats < 1 or the cubic setting with wz.
    public static func make(_ spec: CrystalSpec, repeats: (Int, Int, Int), setting: BulkSetting = .orthorhombic) throws -> BulkCell {
        let (nx, ny, nz) = repeats
        for (key, n) in [("nx", nx), ("ny", ny), ("nz", nz)] where n < 1 || n > 10_000 {
            throw GeometryError.invalidParameter(component: "BulkCell", key: "repeats.\(key)", value: "\(n)", allowed: "1…10000")
        }
        let st = Stacking(spec)
        var groups = [SiteList.Group](repeating: .init(), count: 5)
        let box: LatticeBox
        switch setting {
        case .cubic:
            guard spec.phase == .zb else {
                throw GeometryError.invalidParameter(component: "BulkCell", key: "setting", value: "cubic", allowed: "orthorhombic, hexagonal for wz")
            }
            let a = spec.a_A
            box = .orthorhombic(SIMD3(Double(nx), Double(ny), Double(nz)) * a, periodic: (true, true, true))
            let fcc: [SIMD3<Double>] = [[0, 0, 0], [0, 0.5, 0.5], [0.5, 0, 0.5], [0.5, 0.5, 0]]
            let offsets: [(SiteKind, SIMD3<Double>)] = [
                (.anion, [0, 0, 0]), (.cation, [0.25, 0.25, 0.25]), (.tetraEmpty, [0.75, 0.75, 0.75]), (.octa, [0.5, 0, 0]),
            ]
            for (kind, off) in offsets {
                for iz in 0 ..< nz { for iy in 0 ..< ny { for ix in 0 ..< nx {
                    for f in fcc {
                        let r = (SIMD3(Double(ix), Double(iy), Double(iz)) + f + off) * a
                        // "layer" = index of the (001) Se plane (two per cubic cell) the site belongs to.
                        let layer = Int(((r.z / a) * 2 + 1e-9).rounded(.down))
                        groups[Int(kind.rawValue)].append(box.wrapped(r), layer: layer, surface: false)
                    }
                }}}
            }
        case .orthorhombic, .hexagonal:
            let nLayers = nz * st.period
            let columns: [(Int, Int)]
            if setting == .orthorhombic {
                box = .orthorhombic(SIMD3(Double(nx) * st.ah, Double(ny) * 3.0.squareRoot() * st.ah, Double(nLayers) * st.d),
                                    periodic: (true, true, true))
                // Rows r = 0 ..< 2ny of the rectangle: column (i − ⌊r/2⌋, r) puts x in [0, nx·a_hex) up to wrapping.
                var cols: [(Int, Int)] = []
                for r in 0 ..< 2 * ny { for i in 0 ..< nx { cols.append((i - r / 2, r)) } }
                columns = cols
            } else {
                let a1 = SIMD3(st.ah, 0, 0), a2 = SIMD3(-st.ah / 2, st.ah * 3.0.squareRoot() / 2, 0)
                box = LatticeBox(a: Double(nx) * a1, b: Double(ny) * a2, c: [0, 0, Double(nLayers) * st.d], periodic: (true, true, true))
                // i·a1_hex + j·a2_hex = (i − j)·a1 + j·a2 in the stacking basis (a2 = a1 + a2_hex).
                var cols: [(Int, Int)] = []
                for j in 0 ..< ny { for i in 0 ..< nx { cols.append((i - j, j)) } }
                columns = cols
            }
            for kind in [SiteKind.anion, .cation, .tetraEmpty, .octa] {
                groups[Int(kind.rawValue)].reserve(nLayers * columns.count)
                for k in 0 ..< nLayers {
                    for (i, j) in columns {
                        groups[Int(kind.rawValue)].append(box.wrapped(st.position(kind, k, i, j)), layer: k, surface: false)
                    }
                }
            }
        }
        return BulkCell(spec: spec, setting: setting, repeats: SIMD3(nx, ny, nz), sites: SiteList(groups: groups, box: box))
    }

    /// Indices of the sites occupied by atoms: anions and cations (CdSe), plus tetraEmpty for
    /// antifluorite Cu₂Se. Ascending.
    public func occupiedIndices() -> [Int32] { sites.occupiedIndices(spec.framework) }
}

extension SiteList {
    /// Indices of atom-occupied sites in the pristine crystal of `framework`: anion + cation (CdSe),
    /// anion + cation + tetraEmpty (antifluorite). Shell and octa sites are never occupied.
    public func occupiedIndices(_ framework: CrystalSpec.Framework) -> [Int32] {
        framework == .cdse ? indices(of: [.anion, .cation]) : indices(of: [.anion, .cation, .tetraEmpty])
    }
}
