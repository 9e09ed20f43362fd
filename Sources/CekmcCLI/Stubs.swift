import ArgumentParser

/// `cekmc run` — placeholder until the KMC core (#3) lands.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run a KMC scenario (lands with issue #3).")
    @Argument(help: "Input TOML file (default: the embedded scenario).") var input: String?
    @Option(help: "Output directory.") var out: String?
    func run() throws { throw NotYetImplemented(command: "run", issue: 3) }
}

/// `cekmc md` — placeholder until the MD module (#4) lands.
struct MDCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "md", abstract: "Molecular dynamics calculations (lands with issue #4).")
    func run() throws { throw NotYetImplemented(command: "md", issue: 4) }
}

/// `cekmc calibrate` — placeholder until the MD module (#4) lands.
struct CalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "calibrate", abstract: "Calibrate KMC barriers from MD (lands with issue #4).")
    func run() throws { throw NotYetImplemented(command: "calibrate", issue: 4) }
}
