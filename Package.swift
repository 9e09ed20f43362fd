// swift-tools-version:6.1
// cekmc — kinetic Monte Carlo of solid-state Cu→Cd cation exchange in CdSe nanowires,
// with the MD module that calibrates its barriers.
//
// Dependencies run one way (see README "Architecture"):
//   CGSL ← GSL ← Geometry ← {KMC, MD} ← Calibration ← InputFiles ← cekmc (CLI)
// CekmcCore (units, constants, Arrhenius law, barrier table) is a leaf that every layer may use.
import PackageDescription

let package = Package(
    name: "cekmc",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "cekmc", targets: ["cekmc"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", exact: "0.6.0"),
    ],
    targets: [
        // C-only bridge to the GNU Scientific Library; imported by the GSL module only.
        .systemLibrary(
            name: "CGSL",
            path: "Sources/CGSL",
            pkgConfig: "gsl",
            providers: [.apt(["libgsl-dev"]), .brew(["gsl"])]
        ),
        // Swift face of GSL: generators, fits, minimisers, errors.
        .target(name: "GSL", dependencies: ["CGSL"]),
        // Units, physical constants, the Arrhenius helper, phases and the barrier table.
        .target(name: "CekmcCore"),
        // Crystal structures (zb, wz, antifluorite), wire carving, site classification.
        .target(name: "Geometry", dependencies: ["CekmcCore"]),
        // Software prefetch for the KMC hop path (C, one inline function).
        .target(name: "CPrefetch"),
        // Lattice kinetic Monte Carlo: events, rate classes, engine, observables, outputs.
        .target(name: "KMC", dependencies: ["CekmcCore", "CPrefetch", "Geometry", "GSL"]),
        // Classical MD: force field, Ewald/DSF Coulomb, minimisers, integrators, protocols.
        .target(name: "MD", dependencies: ["CekmcCore", "Geometry", "GSL"]),
        // MD → KMC: runs MD calculations and writes barrier files.
        .target(name: "Calibration", dependencies: ["CekmcCore", "MD", "GSL"]),
        // Checked TOML input files: typed decoding, validation, effective-input printing.
        .target(
            name: "InputFiles",
            dependencies: [
                "CekmcCore", "KMC", "MD", "Calibration",
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]
        ),
        // Thin command-line layer: each subcommand decodes its options and calls library code.
        .target(
            name: "CekmcCLI",
            dependencies: [
                "CekmcCore", "GSL", "Geometry", "KMC", "MD", "Calibration", "InputFiles",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "cekmc", dependencies: ["CekmcCLI"]),
        .testTarget(name: "GSLTests", dependencies: ["GSL"]),
        .testTarget(name: "CekmcCoreTests", dependencies: ["CekmcCore"]),
        .testTarget(name: "GeometryTests", dependencies: ["Geometry"]),
        .testTarget(name: "KMCTests", dependencies: ["KMC", "GSL", "Geometry", "CekmcCore"]),
        .testTarget(name: "MDTests", dependencies: ["MD", "GSL", "Geometry", "CekmcCore"]),
        .testTarget(name: "CalibrationTests", dependencies: ["Calibration", "MD", "CekmcCore", "InputFiles"]),
        .testTarget(name: "InputFilesTests", dependencies: ["InputFiles", "CekmcCore"]),
        .testTarget(name: "CLITests", dependencies: ["CekmcCLI", "CekmcCore", "InputFiles"]),
    ]
)
