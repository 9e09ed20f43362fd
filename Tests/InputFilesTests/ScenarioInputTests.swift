import Foundation
import Testing
import CekmcCore
import Geometry
@testable import InputFiles
import KMC
import MD

/// The shipped fast scenario (`inputs/rate-scale-demo.toml`: a 6 nm × 30 nm zb wire, under a
/// millisecond of simulated time with static rate scales), the fixture of the tests that run or
/// rewrite a scenario.
func fastScenarioText() throws -> String {
    var p = #filePath
    for _ in 0..<3 { p = String(p[..<p.lastIndex(of: "/")!]) }
    return try String(contentsOfFile: p + "/inputs/rate-scale-demo.toml", encoding: .utf8)
}

@Suite struct ScenarioInputTests {
    /// The embedded default: the paper's ramp to 125 °C at 20 °C/min and a 10-min hold, physical
    /// time, every model parameter and the acceleration at their defaults.
    @Test func defaultScenarioDecodes() throws {
        let c = try ScenarioInput.parse(ScenarioInput.defaultText, file: "default.toml")
        let d = try ScenarioInput.parse("kind = \"scenario\"\n[[temperature.steps]]\ntype = \"hold\"\nat_C = 125.0\nduration_min = 1.0\n", file: "minimal.toml")
        #expect(c.phase == .zb)
        #expect(c.diameter_nm == 6 && c.length_nm == 30)
        #expect(c.program.segments.count == 2)
        #expect(abs(c.program.duration_s - 60 * 15) < 1e-9)
        #expect(c.parameters == d.parameters && c.acceleration == d.acceleration)
        #expect(c.parameters.kickOff_eV == BarrierTable.paper.zb.kickOff.value_eV)
        #expect(c.effectiveInput.contains("interface_J_eV"))
        // 16 outputs (0…15 min); maps, XYZ snapshots and checkpoints at outputs 0, 5, 10, 15.
        #expect(abs(c.outputInterval_s - 60) < 1e-12)
        #expect(c.mapsEvery == 5 && c.snapshotsEvery == 5 && c.checkpointEvery == 5)
    }

    @Test func fastScenarioDecodes() throws {
        let c = try ScenarioInput.parse(try fastScenarioText(), file: "rate-scale-demo.toml")
        #expect(c.program.segments.count == 4)
        #expect(c.parameters.rateScale[.kickOff] == 1e-4)
        #expect(abs(c.program.duration_s - 60 * 12e-6) < 1e-12)
        // A run writes every output kind: 13 outputs (0…12 µmin), maps, XYZ snapshots and
        // checkpoints at outputs 0, 4, 8, 12.
        #expect(abs(c.outputInterval_s - 60e-6) < 1e-15)
        #expect(c.mapsEvery == 4 && c.snapshotsEvery == 4 && c.checkpointEvery == 4)
    }

    @Test func badValuesNameTheKey() {
        let text = ScenarioInput.defaultText.replacingOccurrences(of: "diameter_nm = 6.0", with: "diameter_nm = -6.0")
        var got = ""
        do { _ = try ScenarioInput.parse(text, file: "bad.toml") } catch { got = "\(error)" }
        #expect(got.contains("wire.diameter_nm") && got.contains("-6"))
        let t2 = ScenarioInput.defaultText + "\n[model.events]\nkick_of = false\n"
        got = ""
        do { _ = try ScenarioInput.parse(t2, file: "bad.toml") } catch { got = "\(error)" }
        #expect(got.contains("kick_of"))
    }

    @Test func missingProgramIsReported() {
        var got = ""
        do { _ = try InputKind.validate(text: "temperature_C = 400\n", file: "s.toml") } catch { got = "\(error)" }
        print(got)
        #expect(got.contains("temperature.steps"))
    }
}

@Suite struct ScenarioExampleFilesTests {
    static let inputs: String = {
        var p = #filePath
        for _ in 0..<3 { p = String(p[..<p.lastIndex(of: "/")!]) }
        return p + "/inputs"
    }()

    @Test(arguments: ["default-zb-ramp.toml", "rate-scale-demo.toml", "wz-400C.toml", "wz-ramp.toml", "zb-ramp.toml", "reversibility.toml"])
    func exampleInputValidates(_ name: String) throws {
        let c = try ScenarioInput.load(path: Self.inputs + "/" + name)
        #expect(c.program.duration_s > 0)
    }

    @Test func embeddedDefaultEqualsTheShippedFile() throws {
        let a = try ScenarioInput.load(path: Self.inputs + "/default-zb-ramp.toml")
        let b = try ScenarioInput.parse(ScenarioInput.defaultText, file: "embedded")
        #expect(a.program == b.program && a.parameters == b.parameters && a.initial == b.initial)
        #expect(a.outputInterval_s == b.outputInterval_s && a.mapsEvery == b.mapsEvery && a.seed == b.seed)
    }

    /// The fast scenario shrunk to a 2 nm × 3 nm wire: a run writes every listed output, and its
    /// XYZ snapshots parse with the extended-XYZ reader, generic and as MD configurations (atom counts, species,
    /// lattice, time).
    @Test func shrunkDefaultRunWritesEveryOutputAndSnapshotsParse() throws {
        let text = try fastScenarioText()
            .replacingOccurrences(of: "diameter_nm = 6.0", with: "diameter_nm = 2.0")
            .replacingOccurrences(of: "length_nm = 30.0", with: "length_nm = 3.0")
            .replacingOccurrences(of: "donor_cu = 6000", with: "donor_cu = 200")
        let c = try ScenarioInput.parse(text, file: "small.toml")
        let (topo, d, l) = try LatticeTopology.wire(phase: c.phase, diameter_nm: c.diameter_nm, length_nm: c.length_nm)
        var sim = try Simulation(config: c, topology: topo, diameter_A: d, length_A: l)
        let dir = NSTemporaryDirectory() + "cekmc-scenario-outputs-\(getpid())"
        try? FileManager.default.removeItem(atPath: dir)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try sim.run(outputDirectory: dir) == .completed)
        for f in ["input.toml", "timeseries.csv", "domains.csv", "domain_events.csv", "entry_points.csv", "fronts.csv",
                  "maps/index.csv", "maps/cu_000003.npy", "maps/cd_000003.npy", "snapshots/index.csv",
                  "snapshots/snapshot_000003.xyz", "summary.json", "timing.json", "checkpoint.json"] {
            #expect(FileManager.default.fileExists(atPath: dir + "/" + f), "missing \(f)")
        }
        let summary = try String(contentsOfFile: dir + "/summary.json", encoding: .utf8)
        for key in ["effective_input", "seed", "generator", "event_counts", "final", "wall_time_s", "events_per_second"] {
            #expect(summary.contains("\"\(key)\""), "summary.json lacks \(key)")
        }
        let cu = sim.engine.model.counts()
        let text3 = try String(contentsOfFile: dir + "/snapshots/snapshot_000003.xyz", encoding: .utf8)
        let k = try ExtendedXYZ.parse(text3)
        let m = try ExtendedXYZ.parseConfigurations(text3)
        #expect(k.count == 1 && m.count == 1)
        // Snapshot 3 is the last output (t = end): Cu and Cd atoms in the wire (pools excluded).
        let nCu = cu.cuShell + cu.cuInterstitial + cu.cuCation, nCd = cu.cdCation + cu.cdInterstitial
        #expect(m[0].configuration.count == nCu + nCd)
        #expect(k[0].species.filter { $0 == "Cu" }.count == nCu)
        #expect(k[0].species.filter { $0 == "Cd" }.count == nCd)
        #expect(abs((Double(m[0].info["Time"] ?? "") ?? -1) - c.program.duration_s) < 1e-15)
    }
}

@Suite struct ScenarioBarrierFileTests {
    /// A relative `barrier_file` is read next to the scenario file, and its barriers replace Table 1's.
    /// `[initial] cu2se_slabs_nm`: every cation and tetra site of a slab holds Cu, nothing outside
    /// it does, the totals count the slab's Cu, and malformed lists are refused naming the key.
    @Test func cu2seSlabsAreExchangedAtTheStart() throws {
        let text = try fastScenarioText()
            .replacingOccurrences(of: "diameter_nm = 6.0", with: "diameter_nm = 3.0")
            .replacingOccurrences(of: "length_nm = 30.0", with: "length_nm = 6.0")
            .replacingOccurrences(of: "surface_vacancy_fraction = 0.03", with: "surface_vacancy_fraction = 0.0")
            + "\n[initial]\ncu2se_slabs_nm = [1.0, 2.5]\n"
        let c = try ScenarioInput.parse(text, file: "slab.toml")
        #expect(c.initial.cu2seSlabs_nm == [1.0...2.5])
        let (topo, _, _) = try LatticeTopology.wire(phase: c.phase, diameter_nm: c.diameter_nm, length_nm: c.length_nm)
        let (m, _) = try ExchangeModel.make(topology: topo, parameters: c.parameters, initial: c.initial)
        let z0 = topo.positions.map(\.z).min()!
        var inSlab = 0
        for x in 0..<topo.siteCount {
            let z = (topo.positions[x].z - z0) / 10, inside = z >= 1.0 && z < 2.5
            switch topo.kinds[x] {
            case .cation:
                #expect(m.occupant[x] == (inside ? .cu : .cd), "cation at z = \(z) nm")
                if inside { inSlab += 1 }
            case .tetra: #expect(m.occupant[x] == (inside ? .cu : .empty), "tetra at z = \(z) nm")
            default: #expect(m.occupant[x] == .empty)
            }
        }
        #expect(inSlab > 0)
        let a = m.counts()
        #expect(a.cuCation == inSlab && m.initialCu == a.cu && m.initialCd == a.cd)
        try m.checkConservation()
        for (bad, problem) in [("[1.0]", "pairs"), ("[2.0, 1.0]", "from < to")] {
            var got = ""
            do { _ = try ScenarioInput.parse(text.replacingOccurrences(of: "[1.0, 2.5]", with: bad), file: "slab.toml") } catch { got = "\(error)" }
            #expect(got.contains("initial.cu2se_slabs_nm") && got.contains(problem), "\(bad): \(got)")
        }
    }

    @Test func relativeBarrierFileIsResolvedNextToTheScenario() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cekmc-bf-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var bf = BarrierFile.paperDefault
        bf.table.zb.kickOff.value_eV = 0.45
        bf.table.attemptFrequency_THz = 2.5
        try bf.encodeTOML().write(to: dir.appendingPathComponent("cal.toml"), atomically: true, encoding: .utf8)
        let text = try fastScenarioText().replacingOccurrences(of: "[model]\n", with: "[model]\nbarrier_file = \"cal.toml\"\n")
        #expect(text.contains("barrier_file"))
        let scenario = dir.appendingPathComponent("s.toml")
        try text.write(to: scenario, atomically: true, encoding: .utf8)
        let c = try ScenarioInput.load(path: scenario.path)
        #expect(c.parameters.kickOff_eV == 0.45)
        #expect(c.parameters.attemptFrequency_THz == 2.5)
        // The effective input (a run's input.toml) names the file by its absolute path, so it reads
        // the same from a run folder elsewhere (resume).
        let absolute = dir.appendingPathComponent("cal.toml").standardizedFileURL.path
        #expect(c.effectiveInput.contains("barrier_file = \"\(absolute)\""), "\(c.effectiveInput)")
        let again = try ScenarioInput.parse(c.effectiveInput, file: "/elsewhere/input.toml")
        #expect(again.parameters == c.parameters && again.effectiveInput.split(separator: "\n").dropFirst() == c.effectiveInput.split(separator: "\n").dropFirst())
        // A missing file is an input error naming the key.
        let bad = text.replacingOccurrences(of: "cal.toml", with: "nope.toml")
        try bad.write(to: scenario, atomically: true, encoding: .utf8)
        var got = ""
        do { _ = try ScenarioInput.load(path: scenario.path) } catch { got = "\(error)" }
        #expect(got.contains("model.barrier_file") && got.contains("no such file"))
    }

    /// A barrier file's `delta_E_eV` sets the site energies its steps fix (docs/barrier-file.md);
    /// explicit `[model]` keys still win, and the energies it derives from are the ones in force.
    @Test func endPointEnergiesOfABarrierFileSetTheSiteEnergies() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cekmc-de-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var bf = BarrierFile.paperDefault
        bf.table.zb.penetration.value_eV = 0.4; bf.table.zb.penetration.deltaE_eV = 0.3
        bf.table.zb.kickOff.deltaE_eV = 0.25
        bf.table.zb.cu2seInterstitialCreation.deltaE_eV = -0.2
        try bf.encodeTOML().write(to: dir.appendingPathComponent("cal.toml"), atomically: true, encoding: .utf8)
        let scenario = dir.appendingPathComponent("s.toml")
        func load(_ extra: String) throws -> ExchangeParameters {
            let text = try fastScenarioText().replacingOccurrences(of: "[model]\n", with: "[model]\nbarrier_file = \"cal.toml\"\n" + extra)
            try text.write(to: scenario, atomically: true, encoding: .utf8)
            return try ScenarioInput.load(path: scenario.path).parameters
        }
        let p = try load("")
        #expect(abs(p.cuTetra_eV - (p.adsorbedCu_eV + 0.3)) < 1e-12 && p.cuOcta_eV == p.cuTetra_eV)
        #expect(abs(p.cuCation_eV + p.cdTetra_eV - p.cuTetra_eV - 0.25) < 1e-12)
        #expect(abs(p.cuTetra_eV + 6 * p.cu2sePairU_eV - p.adsorbedCu_eV - -0.2) < 1e-12)
        // An explicit adsorbed Cu energy moves the derived Cu_i with it; an explicit Cu_i wins.
        let q = try load("adsorbed_cu_eV = -0.5\ncu_octa_eV = 1.5\n")
        #expect(abs(q.cuTetra_eV - -0.2) < 1e-12 && q.cuOcta_eV == 1.5)
        // Without delta_E_eV the defaults stand.
        bf.table.zb.penetration.deltaE_eV = nil
        try bf.encodeTOML().write(to: dir.appendingPathComponent("cal.toml"), atomically: true, encoding: .utf8)
        #expect(try load("").cuTetra_eV == ExchangeParameters.defaults(.zb).cuTetra_eV)
    }
}
