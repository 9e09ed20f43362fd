// Flat site storage shared by bulk cells and wires: kinds, positions (Å), layer indices, surface
// flags and the (possibly periodic) box, with sites grouped by kind in a fixed order.

/// Kind of a lattice site of the fixed Se frame.
public enum SiteKind: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    /// Se (anion) site; the frame never changes.
    case anion = 0
    /// Occupied tetrahedral hole of CdSe (Cd in the pristine crystal).
    case cation = 1
    /// The empty tetrahedral hole of CdSe (Cu in antifluorite Cu₂Se).
    case tetraEmpty = 2
    /// Octahedral hole.
    case octa = 3
    /// Adsorption site outside the wire: a hole of the Se frame (any of cation/tetraEmpty/octa type,
    /// see `SiteList.latticeKinds`) whose centre is outside the wire but that has ≥ 1 wire Se among
    /// its coordinating anions.
    case shell = 4

    public var description: String {
        switch self {
        case .anion: "anion"
        case .cation: "cation"
        case .tetraEmpty: "tetraEmpty"
        case .octa: "octa"
        case .shell: "shell"
        }
    }
    /// True for the interstitial kinds (`tetraEmpty`, `octa`).
    public var isInterstitial: Bool { self == .tetraEmpty || self == .octa }
    /// True for the holes of the Se frame (`cation`, `tetraEmpty`, `octa`).
    public var isHole: Bool { self == .cation || self == .tetraEmpty || self == .octa }
}

/// Three cell vectors (Å) and which of them are periodic. Non-periodic axes only give the
/// frame in which fractional coordinates are taken (their lengths are irrelevant).
public struct LatticeBox: Sendable, Equatable {
    /// Cell vectors in Å.
    public var a: SIMD3<Double>, b: SIMD3<Double>, c: SIMD3<Double>
    /// Periodicity along a, b, c.
    public var periodic: (Bool, Bool, Bool)

    public init(a: SIMD3<Double>, b: SIMD3<Double>, c: SIMD3<Double>, periodic: (Bool, Bool, Bool)) {
        self.a = a; self.b = b; self.c = c; self.periodic = periodic
    }
    /// An orthorhombic box with edge lengths `lengths` (Å).
    public static func orthorhombic(_ lengths: SIMD3<Double>, periodic: (Bool, Bool, Bool)) -> LatticeBox {
        LatticeBox(a: [lengths.x, 0, 0], b: [0, lengths.y, 0], c: [0, 0, lengths.z], periodic: periodic)
    }
    /// Volume a·(b×c) in Å³ (absolute value).
    public var volume: Double { abs(dot(a, cross(b, c))) }
    /// Distance between the two faces of the cell perpendicular to axis `i` (0, 1, 2), Å.
    public func width(_ i: Int) -> Double {
        let n: SIMD3<Double> = i == 0 ? cross(b, c) : (i == 1 ? cross(c, a) : cross(a, b))
        return volume / (n * n).sum().squareRoot()
    }
    /// Periodicity of axis `i` (0, 1, 2).
    public func isPeriodic(_ i: Int) -> Bool { i == 0 ? periodic.0 : (i == 1 ? periodic.1 : periodic.2) }
    /// Whether any axis is periodic.
    public var anyPeriodic: Bool { periodic.0 || periodic.1 || periodic.2 }

    /// Minimum-image displacement of `d` (Å) along the periodic axes, by rounding fractional
    /// coordinates (exact for orthorhombic boxes; for skewed boxes exact when |d| is below half the
    /// smallest width, which the neighbour tables require anyway).
    public func minimumImage(_ d: SIMD3<Double>) -> SIMD3<Double> {
        guard anyPeriodic else { return d }
        var f = fractional(d)
        if periodic.0 { f.x -= f.x.rounded() }
        if periodic.1 { f.y -= f.y.rounded() }
        if periodic.2 { f.z -= f.z.rounded() }
        return cartesian(f)
    }

    public static func == (l: LatticeBox, r: LatticeBox) -> Bool {
        l.a == r.a && l.b == r.b && l.c == r.c && l.periodic == r.periodic
    }

    /// Fractional coordinates of `r` (Cartesian, Å) in this box.
    func fractional(_ r: SIMD3<Double>) -> SIMD3<Double> {
        let bc = cross(b, c), ca = cross(c, a), ab = cross(a, b)
        let v = dot(a, bc)
        return SIMD3(dot(r, bc), dot(r, ca), dot(r, ab)) / v
    }
    /// Cartesian position of fractional coordinates `f`.
    func cartesian(_ f: SIMD3<Double>) -> SIMD3<Double> { f.x * a + f.y * b + f.z * c }
    /// `r` wrapped into the cell along the periodic axes (fractional coordinate in [0, 1)).
    func wrapped(_ r: SIMD3<Double>) -> SIMD3<Double> {
        guard anyPeriodic else { return r }
        var f = fractional(r)
        if periodic.0 { f.x = wrap01(f.x) }
        if periodic.1 { f.y = wrap01(f.y) }
        if periodic.2 { f.z = wrap01(f.z) }
        return cartesian(f)
    }
}

@inline(__always) func wrap01(_ x: Double) -> Double {
    var y = x - x.rounded(.down)
    // Values within rounding of 1 would sit on the far face: map them to 0 so an image is unique.
    if y >= 1 - 1e-12 { y = 0 }
    return y
}
@inline(__always) func dot(_ x: SIMD3<Double>, _ y: SIMD3<Double>) -> Double { (x * y).sum() }
@inline(__always) func cross(_ x: SIMD3<Double>, _ y: SIMD3<Double>) -> SIMD3<Double> {
    SIMD3(x.y * y.z - x.z * y.y, x.z * y.x - x.x * y.z, x.x * y.y - x.y * y.x)
}

/// All sites of a structure in flat storage, grouped by kind in the order
/// anion, cation, tetraEmpty, octa, shell (each group contiguous; within a group sites are ordered
/// by layer, then by in-plane lattice row and column). Indices are `Int32`-sized.
public struct SiteList: Sendable, Equatable {
    /// Kind of every site.
    public var kinds: [SiteKind]
    /// Hole type of every site in the frame: equal to `kinds[i]` except for shell sites, where it is
    /// the type (cation, tetraEmpty or octa) of the hole the adsorption site sits in.
    public var latticeKinds: [SiteKind]
    /// Positions in Å (wire: axis along z through x = y = 0, 0 ≤ z < L; bulk: inside the cell).
    public var positions: [SIMD3<Double>]
    /// Index k of the Se layer the site belongs to (holes belong to the gap above layer k).
    public var layers: [Int32]
    /// Surface flag (see `Wire` for the definition; always false in bulk).
    public var isSurface: [Bool]
    /// The box: periodic axes for bulk cells and axis-periodic wires; otherwise only a frame.
    public var box: LatticeBox
    /// `kindStart[k] ..< kindStart[k+1]` is the index range of kind raw value k (5 kinds).
    public var kindStart: [Int]

    /// Number of sites.
    public var count: Int { kinds.count }
    /// Index range of the sites of `kind`.
    public func range(of kind: SiteKind) -> Range<Int> {
        kindStart[Int(kind.rawValue)] ..< kindStart[Int(kind.rawValue) + 1]
    }
    /// Number of sites of `kind`.
    public func count(of kind: SiteKind) -> Int { range(of: kind).count }
    /// Indices (ascending) of sites whose kind is in `kinds` and that satisfy `filter`. O(N).
    public func indices(of kinds: [SiteKind], where filter: ((Int) -> Bool)? = nil) -> [Int32] {
        var out: [Int32] = []
        for k in SiteKind.allCases where kinds.contains(k) {
            for i in range(of: k) where filter?(i) ?? true { out.append(Int32(i)) }
        }
        out.sort()
        return out
    }

    /// Assembles a list from per-kind groups (given in SiteKind order).
    init(groups: [Group], box: LatticeBox) {
        var kinds: [SiteKind] = [], lk: [SiteKind] = [], pos: [SIMD3<Double>] = [], lay: [Int32] = [], surf: [Bool] = []
        let n = groups.reduce(0) { $0 + $1.positions.count }
        kinds.reserveCapacity(n); lk.reserveCapacity(n); pos.reserveCapacity(n); lay.reserveCapacity(n); surf.reserveCapacity(n)
        var starts = [0]
        for (gi, g) in groups.enumerated() {
            let kind = SiteKind(rawValue: UInt8(gi))!
            kinds.append(contentsOf: repeatElement(kind, count: g.positions.count))
            if kind == .shell { lk.append(contentsOf: g.latticeKinds) } else {
                lk.append(contentsOf: repeatElement(kind, count: g.positions.count))
            }
            pos.append(contentsOf: g.positions)
            lay.append(contentsOf: g.layers)
            surf.append(contentsOf: g.surface)
            starts.append(pos.count)
        }
        while starts.count < 6 { starts.append(pos.count) }
        self.kinds = kinds; self.latticeKinds = lk; self.positions = pos; self.layers = lay
        self.isSurface = surf; self.box = box; self.kindStart = starts
    }

    /// Per-kind accumulation buffer used by the builders.
    struct Group {
        var positions: [SIMD3<Double>] = []
        var layers: [Int32] = []
        var surface: [Bool] = []
        var latticeKinds: [SiteKind] = []
        mutating func reserve(_ n: Int) {
            positions.reserveCapacity(n); layers.reserveCapacity(n); surface.reserveCapacity(n)
        }
        @inline(__always) mutating func append(_ r: SIMD3<Double>, layer: Int, surface s: Bool) {
            positions.append(r); layers.append(Int32(layer)); surface.append(s)
        }
    }
}
