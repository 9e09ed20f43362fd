import Testing
import CekmcCore
@testable import InputFiles
import KMC

@Suite struct ScenarioInputTests {
    @Test func defaultScenarioDecodes() throws {
        let c = try ScenarioInput.parse(ScenarioInput.defaultText, file: "default.toml")
        #expect(c.phase == .zb)
        #expect(c.diameter_nm == 6 && c.length_nm == 30)
        #expect(c.program.segments.count == 4)
        #expect(c.parameters.rateScale[.kickOff] == 1e-4)
        #expect(abs(c.program.duration_s - 60 * 12e-6) < 1e-12)
        #expect(c.parameters.kickOff_eV == BarrierTable.paper.zb.kickOff.value_eV)
        #expect(c.effectiveInput.contains("interface_J_eV"))
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

    @Test(arguments: ["default-zb-ramp.toml", "wz-400C.toml", "wz-400C-full.toml", "zb-ramp-full.toml"])
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
}
