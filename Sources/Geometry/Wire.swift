// Nanowire carving: a cylinder of diameter D and length L cut from the crystal along the stacking
// axis, with its surface classification and the first layer of adsorption (shell) sites.
//
// Definitions (all exact lattice tests, no tolerances except ε = 1e-9 Å on the z bounds):
//  • Frame: the wire axis is the z axis through x = y = 0, which is a Se column of letter A.
//    Se layer k is at z_k = (k + 1/2)·d, so layer k fills the slab [k·d, (k+1)·d).
//  • The wire holds the n Se layers whose centre lies in [0, L) (n = ⌈L/d − 1/2⌉), so its carved extent
//    is [0, L_c) with L_c = n·d (`carvedLength_A`, within d/2 of L; equal to L when L is a whole number
//    of layers, as it must be for a wire periodic along z).
//  • "Inside" a point (x, y, z): x² + y² < R² (R = D/2) and −ε ≤ z < L_c − ε. For a wire periodic along
//    z only the radial test applies (z is taken modulo L, L a whole number of stacking periods).
//  • Wire anions: Se sites inside.
//  • Wire holes (cation, tetraEmpty, octa): centre inside AND at least `minimumHoleCoordination`
//    (default 1) of their coordinating Se (4 for tetrahedral, 6 for octahedral holes) are wire anions.
//  • Shell sites: holes of any type that are not wire holes but have ≥ 1 wire anion among their
//    coordinating Se, i.e. every hole of the fixed frame within one hole–Se coordination distance
//    (≤ `CrystalSpec.maxHoleAnionDistance_A`) of the wire's Se, outside the wire: the first layer of
//    adsorption sites over the side surface and both end caps. Their hole type is in
//    `SiteList.latticeKinds`.
//  • Surface flags: a wire hole is surface iff fewer than all of its coordinating Se are wire anions;
//    a wire anion is surface iff any of its 14 coordinating holes (4 cation, 4 tetraEmpty, 6 octa) is
//    not a wire hole. Shell sites are flagged surface too.
// Every kind then has n layers of sites (N_cation ≈ N_anion): the bottom cap (z = 0) holds the cations
// and octahedral holes of the gap below layer 0 (bonded to layer 0 only, hence surface) with the
// tetraEmpty holes under them as shell; the top cap exposes Se of layer n − 1, with the cation and
// octa holes of the gap above it as shell — the two polar ends of a [111]/[001] wire.
//
// Cost: O(N) with closed-form coordination (no neighbour search); interior sites (further than
// 2·maxHoleAnionDistance from the surface) skip the coordination checks.

/// A nanowire of the fixed Se frame: wire sites (anion, cation, tetraEmpty, octa), shell sites,
/// and surface flags. Build with `Wire.carve`.
public struct Wire: Sendable {
    /// Crystal parameters used.
    public let spec: CrystalSpec
    /// Diameter D in Å.
    public let diameter_A: Double
    /// Requested length L in Å.
    public let length_A: Double
    /// Carved length L_c = layerCount · d in Å (wire sites have 0 ≤ z < L_c; |L_c − L| ≤ d/2).
    public let carvedLength_A: Double
    /// Whether the wire is periodic along z (MD nanowires); then there are no end caps.
    public let periodicZ: Bool
    /// Minimum number of wire Se a hole needs to belong to the wire.
    public let minimumHoleCoordination: Int
    /// Number of Se layers (layer indices 0 ..< layerCount).
    public let layerCount: Int
    /// All sites, grouped by kind (anion, cation, tetraEmpty, octa, shell).
    public let sites: SiteList

    /// Number of sites of `kind`.
    public func count(_ kind: SiteKind) -> Int { sites.count(of: kind) }

    /// Signed depth of site `i` below the geometric surface, Å: min(R − ρ, z, L_c − z) (the end caps
    /// are ignored for a wire periodic along z). Positive inside the cylinder, negative for sites
    /// outside (shell). An alternative, purely geometric surface criterion (depth < δ). O(1).
    public func depth_A(_ i: Int) -> Double {
        let p = sites.positions[i]
        let radial = diameter_A / 2 - (p.x * p.x + p.y * p.y).squareRoot()
        return periodicZ ? radial : min(radial, p.z, carvedLength_A - p.z)
    }

    /// Carves a wire of diameter `diameter_A` and length `length_A` (Å). O(N); ≈ 3.5 M sites for a
    /// 20 nm × 150 nm wire.
    /// - Parameters:
    ///   - periodicZ: periodic along the axis (MD); `length_A` must then be a whole number of stacking
    ///     periods (use `CrystalSpec.periodicLength(near:)`), within 1e-6 Å.
    ///   - minimumHoleCoordination: 1…4; holes with fewer wire Se are left out of the wire (they
    ///     become shell sites).
    /// - Throws: `GeometryError.invalidParameter`.
    public static func carve(_ spec: CrystalSpec, diameter_A: Double, length_A: Double,
                             periodicZ: Bool = false, minimumHoleCoordination: Int = 1) throws -> Wire {
        let comp = "Wire.carve"
        guard diameter_A.isFinite, diameter_A >= 5, diameter_A <= 2000 else {
            throw GeometryError.invalidParameter(component: comp, key: "diameter_A", value: "\(diameter_A)", allowed: "5…2000 Å")
        }
        guard length_A.isFinite, length_A >= spec.period_A, length_A <= 20_000 else {
            throw GeometryError.invalidParameter(component: comp, key: "length_A", value: "\(length_A)", allowed: "\(spec.period_A)…20000 Å")
        }
        guard (1 ... 4).contains(minimumHoleCoordination) else {
            throw GeometryError.invalidParameter(component: comp, key: "minimumHoleCoordination", value: "\(minimumHoleCoordination)", allowed: "1…4")
        }
        if periodicZ {
            let n = (length_A / spec.period_A).rounded()
            guard abs(n * spec.period_A - length_A) < 1e-6 else {
                throw GeometryError.invalidParameter(component: comp, key: "length_A", value: "\(length_A)",
                                                     allowed: "a multiple of the stacking period \(spec.period_A) Å when periodicZ (e.g. \(spec.periodicLength(near: length_A)))")
            }
        }
        var b = Builder(spec: spec, R: diameter_A / 2, L: length_A, periodic: periodicZ, minCoord: minimumHoleCoordination)
        let groups = b.build()
        let half = diameter_A / 2 + 2 * spec.maxHoleAnionDistance_A
        let box = LatticeBox(a: [2 * half, 0, 0], b: [0, 2 * half, 0], c: [0, 0, b.L], periodic: (false, false, periodicZ))
        return Wire(spec: spec, diameter_A: diameter_A, length_A: length_A,
                    carvedLength_A: Double(b.nLayers) * spec.layerSpacing_A, periodicZ: periodicZ,
                    minimumHoleCoordination: minimumHoleCoordination, layerCount: b.nLayers,
                    sites: SiteList(groups: groups, box: box))
    }

    /// Closed-form carving (see the file header).
    private struct Builder {
        let st: Stacking
        let R: Double, R2: Double, L: Double, periodic: Bool, minCoord: Int
        let nLayers: Int
        let eps = 1e-9
        let interiorHole: Double   // radial / z margin beyond which a hole is fully coordinated
        let interiorAnion: Double  // … an anion has all 14 holes in the wire

        init(spec: CrystalSpec, R: Double, L: Double, periodic: Bool, minCoord: Int) {
            st = Stacking(spec)
            self.R = R; R2 = R * R; self.periodic = periodic; self.minCoord = minCoord
            // Layers k ≥ 0 with (k + 1/2)·d < L − ε; holes are tested against L_c = n·d.
            var n = 0
            while st.layerZ(n) < L - 1e-9 { n += 1 }
            nLayers = max(n, 1)
            self.L = Double(nLayers) * st.d
            interiorHole = spec.maxHoleAnionDistance_A + 1e-6
            interiorAnion = 2 * spec.maxHoleAnionDistance_A + 1e-6
        }

        @inline(__always) func radialInside(_ p: SIMD2<Double>) -> Bool { (p * p).sum() < R2 }
        @inline(__always) func zInside(_ z: Double) -> Bool { z >= -eps && z < L - eps }

        /// Whether Se (layer m, column i, j) is a wire anion.
        @inline(__always) func anionIn(_ m: Int, _ i: Int, _ j: Int) -> Bool {
            var mm = m
            if periodic { mm = ((m % nLayers) + nLayers) % nLayers } else if m < 0 || m >= nLayers { return false }
            return radialInside(st.xy(i, j, st.letter(mm)))
        }
        /// Height of a site of gap/layer k, wrapped into [0, L) when periodic.
        @inline(__always) func z(_ kind: SiteKind, _ k: Int) -> Double {
            var z = st.layerZ(k) + st.zOffset(kind)
            if periodic { if z >= L - eps { z -= L } else if z < -eps { z += L } }
            return z
        }
        /// Number of wire anions among the coordinating Se of a hole.
        func wireAnionCount(_ kind: SiteKind, _ k: Int, _ i: Int, _ j: Int) -> Int {
            var c = 0
            st.forEachAnion(ofHole: kind, k, i, j) { m, ii, jj in
                if anionIn(m, ii, jj) { c += 1 }
                return true
            }
            return c
        }
        /// Whether the hole is a wire hole (full test).
        func holeIn(_ kind: SiteKind, _ k: Int, _ i: Int, _ j: Int) -> Bool {
            guard radialInside(st.xy(i, j, st.letter(kind, k))), zInside(z(kind, k)) else { return false }
            return wireAnionCount(kind, k, i, j) >= minCoord
        }
        /// Whether a site at (ρ², z) is deep inside by `margin` (all its neighbours are decided).
        @inline(__always) func deep(_ p: SIMD2<Double>, _ z: Double, _ margin: Double) -> Bool {
            guard R > margin else { return false }
            let rr = R - margin
            guard (p * p).sum() < rr * rr else { return false }
            return periodic || (z >= margin && z < L - margin)
        }

        mutating func build() -> [SiteList.Group] {
            var groups = [SiteList.Group](repeating: .init(), count: 5)
            let perLayer = Int(Double.pi * R2 / (st.ah * st.ah * 3.0.squareRoot() / 2) * 1.05) + 64
            for g in 0 ..< 4 { groups[g].reserve(perLayer * nLayers) }
            // Column range: all columns whose letter-shifted point can lie within R + margin.
            let rOut = R + interiorAnion + st.ah
            let rowH = st.ah * 3.0.squareRoot() / 2
            let jMax = Int((rOut / rowH).rounded(.up)) + 2
            let kRange = periodic ? 0 ..< nLayers : -2 ..< nLayers + 1
            let holeKinds: [SiteKind] = [.cation, .tetraEmpty, .octa]
            let fullCoord: [Int] = [0, 4, 4, 6]
            for k in kRange {
                for j in -jMax ... jMax {
                    // x = i·a + j·a/2 + shift; keep |x| ≤ rOut.
                    let x0 = Double(j) * st.ah / 2
                    let iLo = Int(((-rOut - x0) / st.ah).rounded(.down)) - 2
                    let iHi = Int(((rOut - x0) / st.ah).rounded(.up)) + 1
                    for i in iLo ... iHi {
                        // Anion.
                        if k >= 0 && k < nLayers {
                            let p = st.xy(i, j, st.letter(k))
                            if radialInside(p) {
                                let z = st.layerZ(k)
                                var surface = false
                                if !deep(p, z, interiorAnion) {
                                    st.forEachHole(ofAnion: k, i, j) { kind, g, ii, jj in
                                        if holeIn(kind, g, ii, jj) { return true }
                                        surface = true; return false
                                    }
                                }
                                groups[0].append(SIMD3(p.x, p.y, z), layer: k, surface: surface)
                            }
                        }
                        // Holes of gap k.
                        for kind in holeKinds {
                            let p = st.xy(i, j, st.letter(kind, k))
                            let z = self.z(kind, k)
                            let g = Int(kind.rawValue)
                            if radialInside(p) && zInside(z) && deep(p, z, interiorHole) {
                                groups[g].append(SIMD3(p.x, p.y, z), layer: k, surface: false)
                                continue
                            }
                            // Cheap reject: too far out to touch any wire Se.
                            let rr = R + interiorHole
                            if (p * p).sum() >= rr * rr { continue }
                            let c = wireAnionCount(kind, k, i, j)
                            if c == 0 { continue }
                            if radialInside(p) && zInside(z) && c >= minCoord {
                                groups[g].append(SIMD3(p.x, p.y, z), layer: k, surface: c < fullCoord[g])
                            } else {
                                groups[4].append(SIMD3(p.x, p.y, z), layer: k, surface: true)
                                groups[4].latticeKinds.append(kind)
                            }
                        }
                    }
                }
            }
            return groups
        }
    }
}
