import ArgumentParser

/// `cekmc run` — placeholder until the KMC core (#3) lands.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run a KMC scenario (lands with issue #3).")
    @Argument(help: "Input TOML file (default: the embedded scenario).") var input: String?
    @Option(help: "Output directory.") var out: String?
    func run() throws { throw NotYetImplemented(command: "run", issue: 3) }
}
