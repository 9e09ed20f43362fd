import ArgumentParser
import Foundation
import Testing
import CekmcCore
@testable import CekmcCLI

/// Relative difference |a − b| / |b|.
func relErr(_ a: Double, _ b: Double) -> Double { abs(a - b) / abs(b) }

/// Parse `args` as the `cekmc` command line and return the estimate subcommand.
func estimate(_ args: [String]) throws -> EstimateCommand {
    let cmd = try Cekmc.parseAsRoot(["estimate"] + args)
    return try #require(cmd as? EstimateCommand)
}

/// CSV rows (without the header) split into fields.
func rows(_ csv: String) -> [[String]] {
    csv.split(separator: "\n").dropFirst().map { $0.split(separator: ",").map(String.init) }
}

@Suite struct EstimateCommandTests {
    static let header = "phase,temperature_C,temperature_K,p_ce,t_fc_s,rate_nm3_per_h"
    // The CSV prints six digits after the point in %e: relative rounding error ≤ 5e-7.
    static let csvTolerance = 1e-6

    /// Closed form of the paper's estimate: t_fc = N / (ν exp(−ΣE / k_B T)), rate = V / t_fc · 3600.
    static func closedForm(sum: Double, nu_THz: Double, n: Double, volume: Double, kelvin: Double)
        -> (p: Double, t: Double, rate: Double) {
        let p = exp(-sum / (8.617_333_262e-5 * kelvin))
        let t = n / (nu_THz * 1e12 * p)
        return (p, t, volume / t * 3600)
    }

    @Test func rangeOfTemperaturesMatchesTheClosedForm() throws {
        let csv = try estimate(["--from-C", "300", "--to-C", "500", "--step-C", "50"]).csv()
        #expect(csv.hasPrefix(Self.header + "\n"))
        let r = rows(csv)
        #expect(r.count == 5)
        let volume = Double.pi * 10 * 10 * 150
        for (i, row) in r.enumerated() {
            let c = 300 + 50 * Double(i)
            #expect(row.count == 6)
            #expect(row[0] == "wz")
            #expect(row[1] == String(format: "%.2f", c))
            #expect(Double(row[2])! == (c + 273.15 + 0.0).rounded(toPlaces: 2))
            let f = Self.closedForm(sum: 0.4 + 0.29 + 0.7, nu_THz: 1.9, n: 76e4, volume: volume, kelvin: c + 273.15)
            #expect(relErr(Double(row[3])!, f.p) < Self.csvTolerance)
            #expect(relErr(Double(row[4])!, f.t) < Self.csvTolerance)
            #expect(relErr(Double(row[5])!, f.rate) < Self.csvTolerance)
        }
        // The paper's headline: wz at 400 °C, t_fc ≈ 1.02e4 s.
        #expect(relErr(Double(r[2][4])!, 1.02e4) < 0.01)
    }

    @Test(arguments: [125.0, 250.0, 450.0])
    func zincblendeWithOverridesMatchesTheClosedForm(_ c: Double) throws {
        let csv = try estimate(["--phase", "zb", "--temperature-C", "\(c)", "--Ed-eV", "0.5",
                                "--attempt-frequency-THz", "3", "--sites", "1e5"]).csv()
        let r = rows(csv)
        #expect(r.count == 1 && r[0][0] == "zb")
        let f = Self.closedForm(sum: 0.06 + 0.51 + 0.5, nu_THz: 3, n: 1e5, volume: Double.pi * 100 * 150, kelvin: c + 273.15)
        #expect(relErr(Double(r[0][4])!, f.t) < Self.csvTolerance)
        #expect(relErr(Double(r[0][5])!, f.rate) < Self.csvTolerance)
    }

    @Test func sitesFromTheWireVolumeWhenASizeIsGiven() throws {
        let csv = try estimate(["--diameter-nm", "10", "--length-nm", "40", "--temperature-C", "400"]).csv()
        let volume = Double.pi * 5 * 5 * 40
        let n = volume * PaperEstimate.cdSitesPerNm3(.wz)
        let f = Self.closedForm(sum: 1.39, nu_THz: 1.9, n: n, volume: volume, kelvin: 673.15)
        #expect(relErr(Double(rows(csv)[0][4])!, f.t) < Self.csvTolerance)
    }

    @Test func defaultIsOneRowAt400C() throws {
        let r = rows(try estimate([]).csv())
        #expect(r.count == 1 && r[0][1] == "400.00" && r[0][2] == "673.15")
    }

    @Test(arguments: [
        ["--temperature-C", "-300"],
        ["--from-C", "100", "--to-C", "50", "--step-C", "10"],
        ["--temperature-C", "100", "--from-C", "100"],
        ["--Eb-eV", "-1"],
        ["--phase", "hex"],
    ])
    func badOptionsAreRejectedBeforeAnyWork(_ args: [String]) {
        #expect(throws: (any Error).self) { _ = try estimate(args) }
    }
}

@Suite struct VersionTests {
    @Test func versionFlagPrintsTheVersion() {
        do {
            _ = try Cekmc.parseAsRoot(["--version"])
            Issue.record("--version did not exit")
        } catch {
            #expect(Cekmc.fullMessage(for: error) == cekmcVersion)
            #expect(Cekmc.exitCode(for: error) == .success)
        }
        #expect(cekmcVersion.split(separator: ".").count == 3)
    }
}

extension Double {
    func rounded(toPlaces p: Int) -> Double {
        let f = pow(10, Double(p))
        return (self * f).rounded() / f
    }
}
