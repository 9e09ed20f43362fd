// Setup errors of the force field, neighbour list, Ewald sum and extended XYZ reader.
// Hot loops never throw; everything that can be wrong is checked here, at initialisation.

/// An invalid force-field setup. Each message names the component, the key and the offending value.
public enum ForceFieldError: Error, Equatable, CustomStringConvertible {
    /// A parameter is out of range, e.g. `invalidParameter(component: "dsf", key: "alpha", value: "-1", allowed: "> 0 Å⁻¹")`.
    case invalidParameter(component: String, key: String, value: String, allowed: String)
    /// The cell is degenerate.
    case invalidCell(String)
    /// Cutoff + skin spans more than `NeighborList.maxImagesPerAxis` perpendicular widths of a periodic
    /// axis (or is infinite on a periodic axis).
    case cellTooSmall(component: String, cutoffPlusSkin: Double, axis: String, width: Double)
    /// The Coulomb method does not support this periodicity (e.g. Ewald needs a fully periodic cell).
    case unsupportedPeriodicity(component: String, periodic: String, allowed: String)

    public var description: String {
        switch self {
        case let .invalidParameter(component, key, value, allowed):
            return "\(component): \(key) = \(value) is invalid (allowed: \(allowed))"
        case let .invalidCell(message):
            return "cell: \(message)"
        case let .cellTooSmall(component, rl, axis, width):
            return "\(component): cutoff + skin = \(rl) Å must be finite and ≤ \(NeighborList.maxImagesPerAxis) × the perpendicular cell width along periodic axis \(axis) (\(NeighborList.maxImagesPerAxis) × \(width) Å = \(Double(NeighborList.maxImagesPerAxis) * width) Å); use a larger supercell or a smaller cutoff/skin"
        case let .unsupportedPeriodicity(component, periodic, allowed):
            return "\(component): cell periodicity pbc=\"\(periodic)\" is not supported (allowed: \(allowed))"
        }
    }
}
