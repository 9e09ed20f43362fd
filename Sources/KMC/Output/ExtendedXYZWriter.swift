// Atomistic snapshots of a run as extended XYZ (readable by ASE `ase.io.read(…, format="extxyz")`
// and OVITO), written through the package's one extended-XYZ writer (Geometry's `ExtendedXYZ`):
//
//   <number of atoms>
//   Lattice="Lx 0.0 0.0 0.0 Ly 0.0 0.0 0.0 Lz" Properties=species:S:1:pos:R:3 Time=<s> Temperature_C=<°C> pbc="F F F"
//   <symbol> <x> <y> <z>            (Å, 5 decimals)
//
// A labelled frame (`labelled: true`, what a run writes) adds two per-atom columns,
// Properties=species:S:1:pos:R:3:site:S:1:domain:I:1 — the site label (`SiteLabel`) and a domain id
// (0: none) — so a viewer can select one exchanged domain.
//
// The wire is not periodic (pbc F F F); the orthorhombic Lattice is a box around it (wire plus
// padding) for viewers, and positions are written relative to the box origin (position − origin),
// so every atom lies inside the box. Time is in s, Temperature_C in °C (extxyz values carry no unit).
// Coordinates use the fixed-point integer formatter (`ExtendedXYZ.NumberFormat.fixed(decimals: 5)`):
// a 1.6 M-atom frame encodes in well under a second, and the text is byte-identical between runs.
// Read snapshots back with `ExtendedXYZ.parse` / `ExtendedXYZ.read(contentsOf:)`.

import Geometry

/// The site label of an atom in a labelled snapshot.
public enum SiteLabel: String, Sendable, CaseIterable {
    /// A cation site of the lattice (Cd, or Cu that replaced it).
    case cation
    /// A tetrahedral interstitial hole inside the wire.
    case tetrahedral
    /// An octahedral interstitial hole inside the wire.
    case octahedral
    /// An interstitial hole of the surface layer: one with an adsorption (shell) site next to it,
    /// where penetration lands.
    case surface
    /// An adsorption site outside the surface (the Cu shell).
    case shell
    /// An anion (Se) of the fixed frame (written only with `output.snapshot_anions`).
    case anion
}

/// Builds one extended-XYZ snapshot frame of a wire and writes it atomically.
public struct ExtendedXYZWriter: Sendable {
    /// Box edge lengths (orthorhombic Lattice), Å.
    public var cell_A: SIMD3<Double>
    /// Box origin, Å; subtracted from every position written.
    public var origin_A: SIMD3<Double>
    /// Simulated time, s (the `Time=` key).
    public var time_s: Double
    /// Temperature, °C (the `Temperature_C=` key; omitted when nil).
    public var temperature_C: Double?
    /// Number of atoms appended so far.
    public var atomCount: Int { writer.atomCount }

    /// Decimals of the coordinates.
    public static let decimals = 5

    /// Whether atoms carry the site:S:1 and domain:I:1 columns.
    public let labelled: Bool

    private var writer: ExtendedXYZ.Writer

    /// The per-atom columns of a labelled frame after species and pos.
    public static let labelProperties = [ExtendedXYZ.Property("site", .string, 1), ExtendedXYZ.Property("domain", .integer, 1)]

    /// Creates an empty frame.
    /// - Parameters:
    ///   - cell_A: box edge lengths, Å (> 0).
    ///   - origin_A: box origin, Å (default 0).
    ///   - time_s: simulated time, s.
    ///   - temperature_C: temperature, °C.
    ///   - labelled: whether atoms carry a site label and a domain id (append them with
    ///     `append(symbol:position:site:domain:)`).
    ///   - expectedAtoms: capacity hint.
    public init(cell_A: SIMD3<Double>, origin_A: SIMD3<Double> = .zero, time_s: Double,
                temperature_C: Double? = nil, labelled: Bool = false, expectedAtoms: Int = 0) {
        self.cell_A = cell_A
        self.origin_A = origin_A
        self.time_s = time_s
        self.temperature_C = temperature_C
        self.labelled = labelled
        writer = ExtendedXYZ.Writer(extra: labelled ? Self.labelProperties : [],
                                    header: ExtendedXYZ.Header(lattice: nil, pbc: (false, false, false)),
                                    numbers: .fixed(decimals: Self.decimals), expectedAtoms: expectedAtoms)
    }

    /// A frame whose box encloses `frame`'s wire (diameter × diameter × length) plus `padding_A` on each side.
    public init(wire frame: CationFrame, padding_A: Double = 10, time_s: Double, temperature_C: Double? = nil,
                labelled: Bool = false, expectedAtoms: Int = 0) {
        let half = frame.diameter_A / 2 + padding_A
        let z0 = (frame.layerZ.first ?? 0) - padding_A
        let z1 = max((frame.layerZ.last ?? 0), z0 + padding_A + frame.length_A) + padding_A
        self.init(cell_A: SIMD3(2 * half, 2 * half, z1 - z0),
                  origin_A: SIMD3(frame.axisCenter.x - half, frame.axisCenter.y - half, z0),
                  time_s: time_s, temperature_C: temperature_C, labelled: labelled, expectedAtoms: expectedAtoms)
    }

    /// Appends one labelled atom (`symbol`, position in Å, site label, domain id — 0 for none). O(1).
    public mutating func append(symbol: String, position p: SIMD3<Double>, site: SiteLabel, domain: Int) {
        writer.beginAtom(species: symbol, position: p - origin_A)
        writer.appendValue(site.rawValue)
        writer.appendValue(domain)
        writer.endAtom()
    }

    /// Appends one atom (`symbol`, position in Å). O(1).
    public mutating func append(symbol: String, position p: SIMD3<Double>) {
        writer.appendAtom(species: symbol, position: p - origin_A)
    }

    /// Appends every position whose code equals `code`, as `symbol`.
    public mutating func append(symbol: String, positions: UnsafeBufferPointer<SIMD3<Double>>,
                                codes: UnsafeBufferPointer<UInt8>, matching code: UInt8) {
        precondition(positions.count == codes.count, "ExtendedXYZWriter.append: \(positions.count) positions, \(codes.count) codes")
        for i in 0..<positions.count where codes[i] == code { append(symbol: symbol, position: positions[i]) }
    }

    /// Appends every position (all as `symbol`).
    public mutating func append(symbol: String, positions: [SIMD3<Double>]) {
        for p in positions { append(symbol: symbol, position: p) }
    }

    /// Appends the cation sites of `frame` whose code equals `code`, as `symbol`.
    public mutating func append(symbol: String, frame: CationFrame, codes: UnsafeBufferPointer<UInt8>, matching code: UInt8) {
        precondition(codes.count == frame.count, "ExtendedXYZWriter.append: \(codes.count) codes for \(frame.count) sites")
        for i in 0..<frame.count where codes[i] == code {
            append(symbol: symbol, position: SIMD3(frame.x[i], frame.y[i], frame.z[i]))
        }
    }

    /// The extended-XYZ header of the frame: box Lattice, pbc F F F (last, ASE's order), Time, Temperature_C.
    public var header: ExtendedXYZ.Header {
        var info: [(key: String, value: String)] = [("Time", "\(time_s)")]
        if let t = temperature_C { info.append(("Temperature_C", "\(t)")) }
        return ExtendedXYZ.Header(lattice: .orthorhombic(cell_A), pbc: (false, false, false), info: info, pbcPlacement: .last)
    }

    /// The comment (second) line, without its line break.
    public var commentLine: String { header.commentLine(properties: writer.properties) }

    /// The complete file content.
    public func encoded() -> [UInt8] {
        var w = writer
        w.header = header
        return w.encoded()
    }

    /// Writes the frame to `path` atomically.
    public func write(to path: String) throws { try AtomicFile.write(encoded(), to: path) }
}
