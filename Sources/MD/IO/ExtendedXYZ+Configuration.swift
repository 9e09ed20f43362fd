// MD's adapter to the package's one extended-XYZ reader/writer (Geometry's `ExtendedXYZ`): an MD
// `Configuration` (species Cd/Se/Cu, cell, velocities) plus optional forces ⇄ an extended-XYZ frame.
//
//     N
//     Lattice="ax ay az bx by bz cx cy cz" Properties=species:S:1:pos:R:3:velo:R:3[:forces:R:3] pbc="T T F" key=value …
//
// Units: positions Å, velocities Å/ps (`velo`), forces eV/Å (`forces`). Numbers are written in
// Swift's shortest round-trip form, so a `Configuration` written and read back is bit-identical;
// `pbc` follows Properties, then the info keys. Reading accepts velocities as velo, velocities or vel
// (R:3) and forces as forces or force (R:3); other columns are ignored. A frame without Lattice
// (necessarily non-periodic) gets an orthorhombic box spanning the atoms plus `openBoxPadding` on
// each side (positions unchanged).

import Foundation
import Geometry

extension ExtendedXYZ {
    /// One frame as MD data: the configuration, the comment-line key/values (other than Lattice,
    /// Properties, pbc), and forces (eV/Å) if the frame had a `forces` column.
    public struct ConfigurationFrame: Sendable, Equatable {
        public var configuration: Configuration
        public var info: [String: String]
        public var forces: [SIMD3<Double>]?
        public init(configuration: Configuration, info: [String: String] = [:], forces: [SIMD3<Double>]? = nil) {
            self.configuration = configuration; self.info = info; self.forces = forces
        }
    }

    /// Padding (Å) of the box built for frames without a Lattice.
    public static let openBoxPadding = 10.0

    // MARK: Writing

    /// Formats one frame of `c`. Writes velocities (`velo`, Å/ps) when `includeVelocities` is true and
    /// forces (eV/Å) when given. `info` pairs are appended to the comment line in order (values with
    /// spaces are quoted). O(N).
    public static func format(_ c: Configuration, info: [(String, String)] = [], forces: [SIMD3<Double>]? = nil,
                              includeVelocities: Bool = true) -> String {
        if let forces { precondition(forces.count == c.count, "ExtendedXYZ.format: \(forces.count) forces for \(c.count) atoms") }
        let l = c.cell
        let header = Header(lattice: Lattice(a: l.a, b: l.b, c: l.c), pbc: l.periodic,
                            info: info.map { (key: $0.0, value: $0.1) }, pbcPlacement: .afterProperties)
        var extra: [Property] = []
        if includeVelocities { extra.append(.velocities) }
        if forces != nil { extra.append(.forces) }
        var w = Writer(extra: extra, header: header, numbers: .shortest, expectedAtoms: c.count)
        for i in 0..<c.count {
            w.beginAtom(species: c.species[i].description, position: c.positions[i])
            if includeVelocities { let v = c.velocities[i]; w.appendValue(v.x); w.appendValue(v.y); w.appendValue(v.z) }
            if let forces { let f = forces[i]; w.appendValue(f.x); w.appendValue(f.y); w.appendValue(f.z) }
            w.endAtom()
        }
        return w.text
    }

    /// Writes configuration frames to `path` (overwriting; info keys sorted).
    public static func write(_ frames: [ConfigurationFrame], to path: String) throws {
        var text = ""
        for f in frames {
            text += format(f.configuration, info: f.info.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, forces: f.forces)
        }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    // MARK: Reading

    /// Reads all frames of the file at `path` as configurations.
    public static func readConfigurations(contentsOf path: String) throws -> [ConfigurationFrame] {
        try read(contentsOf: path).map(ConfigurationFrame.init)
    }

    /// Parses all frames of `text` as configurations. O(size of text).
    /// - Throws: `ExtendedXYZError` (with the line) for format errors and species other than Cd, Se, Cu.
    public static func parseConfigurations(_ text: String) throws -> [ConfigurationFrame] {
        try parse(text).map(ConfigurationFrame.init)
    }
}

extension ExtendedXYZ.ConfigurationFrame {
    /// Converts a parsed frame: species must be Cd, Se or Cu.
    public init(_ frame: ExtendedXYZ.Frame) throws {
        var species: [Species] = []
        species.reserveCapacity(frame.count)
        for (i, s) in frame.species.enumerated() {
            guard let sp = Species(symbol: s) else {
                throw ExtendedXYZError(line: frame.line(ofAtom: i), message: "unknown species \"\(s)\" (allowed: Cd, Se, Cu)")
            }
            species.append(sp)
        }
        func vectors(_ names: Set<String>) -> [SIMD3<Double>]? {
            frame.columns.lazy.filter { names.contains($0.property.name) }.compactMap(\.vectors).first
        }
        let cell: Cell
        if let l = frame.lattice {
            cell = Cell(a: l.a, b: l.b, c: l.c, periodic: frame.pbc)
        } else {
            // The reader guarantees a frame without Lattice is non-periodic.
            var lo = SIMD3<Double>(repeating: 0), hi = SIMD3<Double>(repeating: 0)
            if let p0 = frame.positions.first {
                lo = p0; hi = p0
                for p in frame.positions { lo = pointwiseMin(lo, p); hi = pointwiseMax(hi, p) }
            }
            cell = .orthorhombic(hi - lo + SIMD3(repeating: 2 * ExtendedXYZ.openBoxPadding), periodic: (false, false, false))
        }
        self.init(configuration: Configuration(species: species, positions: frame.positions,
                                               velocities: vectors(["velo", "velocities", "vel"]), cell: cell),
                  info: frame.info, forces: vectors(["forces", "force"]))
    }
}
