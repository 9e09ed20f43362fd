// Small bulk-crystal generators for force-field tests and the benchmark: rock salt, zincblende and
// wurtzite (hexagonal primitive or orthorhombic 8-atom cell), replicated into supercells.
// (The Geometry module offers the production structure builders; these exist so the force field
// can be tested and benchmarked on its own.)
//
// Wurtzite, hexagonal axes a₁ = a(1,0,0), a₂ = a(−1/2, √3/2, 0), a₃ = c(0,0,1); cations at
// (1/3, 2/3, 0), (2/3, 1/3, 1/2), anions at the same + (0, 0, u). The orthorhombic cell
// A = a₁, B = a₁ + 2a₂ = (0, √3 a, 0), C = a₃ holds 8 atoms.

/// Reference crystal builders (positions in Å, species Cd for cations and Se for anions).
public enum ReferenceCrystals {
    /// Rock salt (B1) conventional cubic cell of edge `a` (Å), replicated `repeats` times: 8 atoms per cell.
    /// Nearest-neighbour distance a/2.
    public static func rockSalt(a: Double, repeats: SIMD3<Int>) -> Configuration {
        let fcc: [SIMD3<Double>] = [[0, 0, 0], [0, 0.5, 0.5], [0.5, 0, 0.5], [0.5, 0.5, 0]]
        var basis: [(Species, SIMD3<Double>)] = fcc.map { (.Cd, $0) }
        basis += fcc.map { (.Se, $0 + SIMD3(0.5, 0, 0)) }
        return replicate(a: [a, 0, 0], b: [0, a, 0], c: [0, 0, a], basis: basis, repeats: repeats)
    }

    /// Zincblende (B3) conventional cubic cell of edge `a` (Å): 8 atoms per cell.
    /// Nearest-neighbour distance a√3/4.
    public static func zincblende(a: Double, repeats: SIMD3<Int>) -> Configuration {
        let fcc: [SIMD3<Double>] = [[0, 0, 0], [0, 0.5, 0.5], [0.5, 0, 0.5], [0.5, 0.5, 0]]
        var basis: [(Species, SIMD3<Double>)] = fcc.map { (.Cd, $0) }
        basis += fcc.map { (.Se, $0 + SIMD3(0.25, 0.25, 0.25)) }
        return replicate(a: [a, 0, 0], b: [0, a, 0], c: [0, 0, a], basis: basis, repeats: repeats)
    }

    /// Wurtzite hexagonal primitive cell (4 atoms), lattice `a`, `c` (Å), internal parameter `u`,
    /// replicated `repeats` times along a₁, a₂, a₃ (a triclinic cell with γ = 120°).
    public static func wurtziteHexagonal(a: Double, c: Double, u: Double, repeats: SIMD3<Int>) -> Configuration {
        let basis: [(Species, SIMD3<Double>)] = [
            (.Cd, [1.0 / 3, 2.0 / 3, 0]), (.Cd, [2.0 / 3, 1.0 / 3, 0.5]),
            (.Se, [1.0 / 3, 2.0 / 3, u]), (.Se, [2.0 / 3, 1.0 / 3, 0.5 + u]),
        ]
        return replicate(a: [a, 0, 0], b: [-0.5 * a, 0.5 * 3.0.squareRoot() * a, 0], c: [0, 0, c], basis: basis, repeats: repeats)
    }

    /// Wurtzite orthorhombic cell (8 atoms, edges a × √3a × c), replicated `repeats` times.
    /// The paper's force-field lattice is a = 4.39 Å, c = 7.02 Å, u = 0.40 (Table 4).
    public static func wurtziteOrthorhombic(a: Double, c: Double, u: Double, repeats: SIMD3<Int>) -> Configuration {
        // In the orthorhombic cell, fractional (x, y) of the hexagonal sites (1/3, 2/3) and (2/3, 1/3)
        // plus the centring translation (1/2, 1/2).
        let p1 = SIMD3(0.0, 1.0 / 3, 0), p2 = SIMD3(0.0, 2.0 / 3, 0.5)
        var basis: [(Species, SIMD3<Double>)] = []
        for t in [SIMD3(0.0, 0, 0), SIMD3(0.5, 0.5, 0)] {
            basis.append((.Cd, frac(p1 + t))); basis.append((.Cd, frac(p2 + t)))
            basis.append((.Se, frac(p1 + t + SIMD3(0, 0, u)))); basis.append((.Se, frac(p2 + t + SIMD3(0, 0, u))))
        }
        return replicate(a: [a, 0, 0], b: [0, 3.0.squareRoot() * a, 0], c: [0, 0, c], basis: basis, repeats: repeats)
    }

    /// Replicates a cell (`a`, `b`, `c` in Å) with a fractional `basis` `repeats` times; fully periodic.
    public static func replicate(a: SIMD3<Double>, b: SIMD3<Double>, c: SIMD3<Double>,
                                 basis: [(Species, SIMD3<Double>)], repeats: SIMD3<Int>) -> Configuration {
        var species: [Species] = [], positions: [SIMD3<Double>] = []
        for i in 0..<repeats.x { for j in 0..<repeats.y { for k in 0..<repeats.z {
            for (s, f) in basis {
                let x = f + SIMD3(Double(i), Double(j), Double(k))
                species.append(s)
                positions.append(a * x.x + b * x.y + c * x.z)
            }
        } } }
        let cell = Cell(a: a * Double(repeats.x), b: b * Double(repeats.y), c: c * Double(repeats.z))
        return Configuration(species: species, positions: positions, cell: cell)
    }

    private static func frac(_ v: SIMD3<Double>) -> SIMD3<Double> { v - v.rounded(.down) }
}
