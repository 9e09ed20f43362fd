import ArgumentParser

/// `cekmc calibrate` — lands in the next commit.
struct CalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "calibrate", abstract: "Calibrate KMC barriers from MD and write a barrier file.")
    func run() throws { throw NotYetImplemented(command: "calibrate", issue: 4) }
}
