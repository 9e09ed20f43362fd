// The size estimate of the preflight against carved wires, and its refusals.
import CekmcCore
import KMC
import Testing
@testable import InputFiles

@Suite struct ScenarioPreflightTests {
    @Test(arguments: [Phase.zb, .wz])
    func siteEstimateIsWithinFivePercentOfTheCarvedWire(_ phase: Phase) throws {
        let carved = try LatticeTopology.wireSites(phase: phase, diameter_nm: 5, length_nm: 20).kinds.count
        let estimate = ScenarioPreflight.sites(phase: phase, diameter_nm: 5, length_nm: 20)
        #expect(abs(estimate / Double(carved) - 1) < 0.05, "estimate \(estimate), carved \(carved)")
    }

    @Test func aWireWithinTheLimitsPasses() throws {
        let text = "[[temperature.steps]]\ntype = \"hold\"\nduration_min = 1.0\n"
        let c = try ScenarioInput.parse(text, file: "p.toml")
        try ScenarioPreflight.check(c, text: text, file: "p.toml", limits: ScenarioLimits(maxMemory_bytes: 1e9, physicalMemory_bytes: nil))
        #expect(throws: InputError.self) {
            try ScenarioPreflight.check(c, text: text, file: "p.toml", limits: ScenarioLimits(maxMemory_bytes: 1e6, physicalMemory_bytes: nil))
        }
    }
}
