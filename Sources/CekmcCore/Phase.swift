/// Host crystal phase of CdSe.
public enum Phase: String, CaseIterable, Sendable, Codable, CustomStringConvertible {
    /// Wurtzite (hexagonal, hcp Se sublattice); wire axis [001].
    case wz
    /// Zincblende (cubic, fcc Se sublattice); wire axis [111].
    case zb
    public var description: String { rawValue }
}
