import ArgumentParser

/// Version string printed by `cekmc --version`.
public let cekmcVersion = "0.1.0"

/// The `cekmc` command: a thin layer over the library modules.
public struct Cekmc: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "cekmc",
        abstract: "Kinetic Monte Carlo of solid-state Cu→Cd cation exchange in CdSe nanowires, with MD calibration.",
        version: cekmcVersion,
        subcommands: [
            RunCommand.self, EstimateCommand.self, ValidateCommand.self,
            MDCommand.self, CalibrateCommand.self, BenchCommand.self, AggregateCommand.self, FitCommand.self,
        ]
    )
    public init() {}
}
