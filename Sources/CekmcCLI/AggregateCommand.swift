import ArgumentParser
import Foundation
import KMC

/// `cekmc aggregate DIR` — (re)writes DIR/aggregate/ from the seed folders DIR/seed_K.
struct AggregateCommand: ReportingCommand {
    static let configuration = CommandConfiguration(
        commandName: "aggregate",
        abstract: "Aggregate the seed folders DIR/seed_K of one input into DIR/aggregate (median and 10–90 % of every time series and summary number).",
        discussion: """
        `cekmc run INPUT --out DIR --seeds A-B` writes the aggregate itself; this command rewrites it, e.g.
        after seeds were run separately (`cekmc run INPUT --seed K --out DIR/seed_K`). Every seed folder must
        hold a completed run of the same input (same output times). Exit status: 0 written, 2 bad input.
        """)

    @Argument(help: "Folder holding seed_K folders.") var dir: String
    @Option(help: "Only these seeds (e.g. 1-10); default: every seed_K folder.") var seeds: String?
    @Flag(help: "Accept runs stopped before the program's end: aggregate the outputs every seed reached (no summary quantities).")
    var partial = false

    func validate() throws { if let seeds { _ = try RunCommand.parseSeeds(seeds) } }

    func run(console: Console) throws -> Int32 {
        let list = try seeds.map(RunCommand.parseSeeds) ?? SeedAggregate.seedFolders(in: dir)
        guard !list.isEmpty else { throw CLIFailure.badInput("error: \(dir): no seed_K folders to aggregate") }
        let s: SeedAggregate.Summary
        do { s = try SeedAggregate.write(parent: dir, seeds: list, partial: partial) } catch let e as OutputError {
            if case .io = e { throw CLIFailure.runFailure("error: \(e)") }
            throw CLIFailure.badInput("error: \(e)")
        }
        var m = (s.complete ? "" : "partial: ") + "aggregated \(list.count) seeds (\(RunCommand.seedList(list))) into \(dir)/aggregate"
        if let x = s.quantities["final.exchanged_fraction"] { m += "; final X median \(x.median) (10–90 %: \(x.p10)–\(x.p90))" }
        console.out(m)
        return ExitStatus.success
    }
}
