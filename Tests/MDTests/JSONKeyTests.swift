// Every JSON document the MD commands print uses one key style: snake_case words, with the unit (or
// a physics symbol such as E, D, D0) as its own token — `energy_per_formula_unit_eV`,
// `D_error_A2_per_ps`, `peak_rss_bytes`. The check encodes each result type with every optional set
// and walks all keys of the document, nested objects and arrays included.
import Foundation
import Testing
@testable import MD

enum JSONKeyStyle {
    /// Tokens allowed to carry capitals: units and physics symbols.
    static let unitTokens: Set<String> = ["eV", "A", "A2", "THz", "K", "E", "D", "D0", "GPa", "MB"]

    /// True when `key` is snake_case: lowercase/digit words separated by single underscores, except
    /// for whole tokens from `unitTokens`.
    static func isSnakeCase(_ key: String) -> Bool {
        let tokens = key.split(separator: "_", omittingEmptySubsequences: false).map(String.init)
        return !tokens.isEmpty && tokens.allSatisfy { t in
            !t.isEmpty && (unitTokens.contains(t) || t.allSatisfy { $0.isLowercase || $0.isNumber })
        }
    }

    /// All object keys in the JSON encoding of `value`.
    static func keys<T: Encodable>(of value: T) throws -> [String] {
        let data = try JSONEncoder().encode(value)
        var out: [String] = []
        func walk(_ x: Any) {
            if let d = x as? [String: Any] { for (k, v) in d { out.append(k); walk(v) } }
            else if let a = x as? [Any] { a.forEach(walk) }
        }
        walk(try JSONSerialization.jsonObject(with: data))
        return out
    }

    static func badKeys<T: Encodable>(of value: T) throws -> [String] {
        try keys(of: value).filter { !isSnakeCase($0) }
    }
}

@Suite struct JSONKeyTests {
    @Test func styleRuleRejectsCamelCase() {
        // The rule itself must be able to fail.
        #expect(!JSONKeyStyle.isSnakeCase("stepsPerCPUSecond"))
        #expect(!JSONKeyStyle.isSnakeCase("peakRSS_MB"))
        #expect(!JSONKeyStyle.isSnakeCase("energyPerFormulaUnit_eV"))
        #expect(!JSONKeyStyle.isSnakeCase("a__b"))
        #expect(JSONKeyStyle.isSnakeCase("peak_rss_bytes"))
        #expect(JSONKeyStyle.isSnakeCase("D_error_A2_per_ps"))
        #expect(JSONKeyStyle.isSnakeCase("delta_E_mean_eV"))
    }

    @Test func bulkResultsAreSnakeCase() throws {
        let lattice = LatticeResult(crystal: "wz", a_A: 4.3, c_A: 7, u: 0.38, energyPerFormulaUnit_eV: -11, atoms: 96,
                                    paper_a_A: 4.3, paper_c_A: 7, paper_u: 0.38)
        let defect = DefectResult(defect: "V_Cd", phase: "wz", formationEnergy_eV: 2, unrelaxedFormationEnergy_eV: 3, atoms: 96, paper_eV: 2)
        let freq = FrequencyResult(phase: "zb", nu_THz: 2, nuError_THz: 0.1, nuPerAxis_THz: [2, 2, 2], k_eV_per_A2: 1, paper_THz: 1.9)
        #expect(try JSONKeyStyle.badKeys(of: lattice) == [])
        #expect(try JSONKeyStyle.badKeys(of: defect) == [])
        #expect(try JSONKeyStyle.badKeys(of: freq) == [])
        #expect(try JSONKeyStyle.keys(of: lattice).contains("energy_per_formula_unit_eV"))
    }

    @Test func dynamicsAndPathResultsAreSnakeCase() throws {
        let point = DiffusionPoint(kelvin: 1000, D_A2_per_ps: 0.1, DError_A2_per_ps: 0.01, production_ps: 10,
                                   meanKineticKelvin: 1001, hostMSD_A2: 0.3, hostMolten: false)
        let diffusion = DiffusionResult(phase: "wz", atoms: 96, points: [point], Ec_eV: 0.3, EcError_eV: 0.02,
                                        D0_A2_per_ps: 1, D0Error_A2_per_ps: 0.1, paper_eV: 0.29)
        let series = AdsorptionSeries(vacancyFraction: 0.1, vacancies: 3, times_ps: [0, 1], adsorbedPerNm: [0, 1], finalMeanPerNm: 1)
        let adsorption = AdsorptionResult(phase: "zb", diameter_A: 20, length_A: 40, bathCu: 10, kelvin: 600, series: [series])
        let path = PathResult(step: "b", crystal: "wz", diameter_A: 20, length_A: 40, atoms: 500, images: 9, paths: 4,
                              barrierMean_eV: 0.9, barrierStd_eV: 0.1, deltaEMean_eV: 0.2, deltaEStd_eV: 0.05,
                              meanLandscape_eV: [0, 1], spreadLandscape_eV: [0, 0.1], relaxedDeltaE_eV: 0.2,
                              finalStateUnstable: false, activeAtoms: 50, nebBarrier_eV: 0.8, nebDeltaE_eV: 0.2,
                              nebConverged: true, nebEnergies_eV: [0, 0.8], cuDisplacement_A: 2.5, paper_eV: 0.85)
        let ensemble = PathEnsemble(profiles: [EnergyProfile(lambda: [0, 1], energies_eV: [0, 0.5], startEnergy_eV: -100)])
        let fit = ArrheniusFit(energy_eV: Measured(0.3, 0.01), prefactor_A2_per_ps: Measured(1, 0.1), chiSquared: 1)
        for bad in [try JSONKeyStyle.badKeys(of: diffusion), try JSONKeyStyle.badKeys(of: adsorption),
                    try JSONKeyStyle.badKeys(of: path), try JSONKeyStyle.badKeys(of: ensemble), try JSONKeyStyle.badKeys(of: fit)] {
            #expect(bad == [])
        }
        #expect(try JSONKeyStyle.keys(of: diffusion).contains("temperature_K"))
    }

    @Test func benchmarkResultIsSnakeCaseAndRoundTrips() throws {
        let r = ForceFieldBenchmarkResult(coulomb: "dsf", atoms: 2400, steps: 10, timestep_fs: 1, cpuSeconds: 1, wallSeconds: 1,
                                          stepsPerCPUSecond: 10, peakRSS_bytes: 24_000_000, neighborListBuilds: 0, listPairs: 5,
                                          initialTotalEnergy_eV: -1, finalTotalEnergy_eV: -1, virial: false,
                                          ewald: EwaldParameters(alpha: 0.3, realCutoff: 10, kCutoff: 2), kVectors: 100)
        #expect(try JSONKeyStyle.badKeys(of: r) == [])
        let keys = Set(try JSONKeyStyle.keys(of: r))
        #expect(keys.isSuperset(of: ["steps_per_cpu_second", "peak_rss_bytes", "cpu_s", "wall_s", "alpha_per_A", "real_cutoff_A", "k_cutoff_per_A"]))
        let back = try JSONDecoder().decode(ForceFieldBenchmarkResult.self, from: JSONEncoder().encode(r))
        #expect(back == r)
    }
}
