import ArgumentParser
import Foundation
import Testing
@testable import CekmcCLI

/// Package root, found from this file's path (Tests/CLITests/…).
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

func validate(_ args: [String]) throws -> ValidateCommand {
    try #require(try Cekmc.parseAsRoot(["validate"] + args) as? ValidateCommand)
}

/// Write `text` to a fresh temporary file and return its path.
func temporaryFile(_ text: String, name: String) throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cekmc-cli-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let url = dir.appendingPathComponent(name)
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url.path
}

@Suite struct ValidateCommandTests {
    static let paperFile = packageRoot + "/inputs/barriers-paper.toml"

    @Test func validFileExitsZero() throws {
        let cmd = try validate([Self.paperFile])
        #expect(try cmd.check().get() == "\(Self.paperFile): valid\n")
        try cmd.run()   // does not throw: exit status 0
    }

    @Test func printEffectiveGivesTheEffectiveInput() throws {
        let text = try validate([Self.paperFile, "--print-effective"]).check().get()
        #expect(text.hasPrefix("# Effective input of \(Self.paperFile) (defaults filled in).\nkind = \"barriers\"  # kind of input file\n"))
        #expect(text.contains("\n[zb.penetration]\nvalue_eV = 0.06  # eV — step b: shell Cu → first interstitial\n"))
    }

    /// `--effective-rate` prints the limiting path of docs/model.md §6 (zb: the surface-edge unit's
    /// Cd_i escaping, 0.75 eV above the donor's μ) and refuses a file that is not a scenario.
    @Test func effectiveRatePrintsTheLimitingPath() throws {
        let zb = try validate([packageRoot + "/inputs/default-zb-ramp.toml", "--effective-rate"]).check().get()
        #expect(zb.contains("limiting path (zb, along the front, Cu from a shell in equilibrium with the donor (Cu-rich limit);"), "\(zb)")
        #expect(zb.contains("  cd_escape    0.150  0.600    0.750  <- limiting\n"), "\(zb)")
        #expect(zb.contains("  effective activation energy 0.750 eV; Δg = -0.650 eV per Cu₂Se unit; Gibbs–Thomson critical cap radius 0.3 nm\n"), "\(zb)")
        #expect(zb.contains("  effective activation energy 1.050 eV; Δg = -0.050 eV per Cu₂Se unit; Gibbs–Thomson critical cap radius 4.2 nm\n"), "\(zb)")
        #expect(zb.contains("  planar front: critical island 48.0 units, ΔG*₂D 2.400 eV, activation 3.450 eV\n"), "\(zb)")
        #expect(zb.contains("  entry (a domain's first unit at a surface cation with 8 Cd neighbours): "
                            + "penetration 0.250, kick_off 0.950, cd_escape 1.550; activation 1.550 eV\n"), "\(zb)")
        let wz = try validate([packageRoot + "/inputs/wz-400C.toml", "--effective-rate"]).check().get()
        #expect(wz.contains("  kick_off     -0.088  1.194    1.106  <- limiting\n"), "\(wz)")
        if case .success = try validate([Self.paperFile, "--effective-rate"]).check() { Issue.record("a barrier file has no limiting path") }
    }

    @Test func badFileExitsTwoWithTheMessage() throws {
        let good = try String(contentsOfFile: Self.paperFile, encoding: .utf8)
        let path = try temporaryFile(good.replacingOccurrences(of: "value_eV = 0.51", with: "value_eV = \"0.51\""),
                                     name: "bad.toml")
        let cmd = try validate([path])
        let expected = "\(path):37: key 'zb.interstitial_hop.value_eV' = \"0.51\": expected a number, got a string (allowed: a number in 0.0...10.0 eV)"
        guard case .failure(let e) = cmd.check() else { Issue.record("expected a failure"); return }
        #expect(e.description == expected)
        do {
            try cmd.run()
            Issue.record("a bad file must not validate")
        } catch {
            #expect(Cekmc.exitCode(for: error).rawValue == 2)
        }
    }

    @Test func missingFileExitsTwo() throws {
        let cmd = try validate(["/nonexistent/input.toml"])
        guard case .failure(let e) = cmd.check() else { Issue.record("expected a failure"); return }
        #expect(e.description == "/nonexistent/input.toml: cannot read the file: no such file")
        #expect(throws: ExitCode.self) { try cmd.run() }
    }

    @Test func scenarioKindUsesTheScenarioDecoder() throws {
        let path = try temporaryFile("temperature_C = 400\n", name: "s.toml")
        guard case .failure(let e) = try validate([path]).check() else { Issue.record("expected a failure"); return }
        #expect(e.description == """
            \(path): key 'temperature.steps': missing required key (allowed: an array of tables ([[steps]] blocks))
            \(path):1: key 'temperature_C' = 400: unknown key; did you mean 'temperature'? (allowed: kind, seed, generator, wire, temperature, reservoirs, defects, initial, model, acceleration, output)
            """)
    }
}
