// Shared MD value types: species, simulation cell, atomic configuration, and the protocol every
// energy model implements. Units: Å, eV, amu, e, ps.

/// Chemical species of the force field.
public enum Species: UInt8, CaseIterable, Sendable, Codable, CustomStringConvertible {
    case Cd = 0, Se = 1, Cu = 2
    public var description: String { ["Cd", "Se", "Cu"][Int(rawValue)] }
    /// Parses "Cd", "Se", "Cu" (case-sensitive, as in extended XYZ).
    public init?(symbol: String) {
        switch symbol { case "Cd": self = .Cd; case "Se": self = .Se; case "Cu": self = .Cu; default: return nil }
    }
}

/// A simulation cell: three lattice vectors (Å) and which of them are periodic.
/// Orthorhombic and triclinic (e.g. hexagonal) cells are both represented; a nanowire is
/// periodic along its axis only.
public struct Cell: Sendable, Equatable {
    /// Lattice vectors a, b, c in Å.
    public var a: SIMD3<Double>, b: SIMD3<Double>, c: SIMD3<Double>
    /// Periodicity along a, b, c.
    public var periodic: (Bool, Bool, Bool)

    public init(a: SIMD3<Double>, b: SIMD3<Double>, c: SIMD3<Double>, periodic: (Bool, Bool, Bool) = (true, true, true)) {
        self.a = a; self.b = b; self.c = c; self.periodic = periodic
    }
    /// Orthorhombic cell with edge lengths `lengths` (Å).
    public static func orthorhombic(_ lengths: SIMD3<Double>, periodic: (Bool, Bool, Bool) = (true, true, true)) -> Cell {
        Cell(a: [lengths.x, 0, 0], b: [0, lengths.y, 0], c: [0, 0, lengths.z], periodic: periodic)
    }
    /// Cell volume in Å³.
    public var volume: Double {
        let x = b.y * c.z - b.z * c.y, y = b.z * c.x - b.x * c.z, z = b.x * c.y - b.y * c.x
        return abs(a.x * x + a.y * y + a.z * z)
    }
    public static func == (l: Cell, r: Cell) -> Bool {
        l.a == r.a && l.b == r.b && l.c == r.c && l.periodic == r.periodic
    }
}

/// Atomic configuration: species, positions (Å), velocities (Å/ps), in a cell.
public struct Configuration: Sendable, Equatable {
    public var species: [Species]
    public var positions: [SIMD3<Double>]
    public var velocities: [SIMD3<Double>]
    public var cell: Cell
    public init(species: [Species], positions: [SIMD3<Double>], velocities: [SIMD3<Double>]? = nil, cell: Cell) {
        precondition(species.count == positions.count, "one species per position")
        self.species = species
        self.positions = positions
        self.velocities = velocities ?? Array(repeating: .zero, count: positions.count)
        self.cell = cell
    }
    public var count: Int { positions.count }
}

/// Anything that gives an energy (eV) and forces (eV/Å) for a configuration.
/// Implemented by the force field (`ForceField`), and by analytic test surfaces.
public protocol PotentialEnergySurface {
    /// Potential energy in eV; fills `forces` (resized to `configuration.count`) with −∇E in eV/Å.
    /// May cache neighbour lists between calls (hence `mutating`).
    mutating func energyAndForces(_ configuration: Configuration, forces: inout [SIMD3<Double>]) -> Double
}
