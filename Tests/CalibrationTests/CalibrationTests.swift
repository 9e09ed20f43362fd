// Calibration → barrier file → KMC input round trip, and the barrier mapping rules.
import CekmcCore
import Foundation
import InputFiles
import Testing
@testable import Calibration
@testable import MD

@Suite struct CalibrationTests {
    func path(barrier: Double, std: Double, deltaE: Double) -> PathResult {
        PathResult(step: "b", crystal: "wz", diameter_A: 24, length_A: 28, atoms: 500, images: 9, paths: 6,
                   barrierMean_eV: barrier, barrierStd_eV: std, deltaEMean_eV: deltaE, deltaEStd_eV: 0.01,
                   meanLandscape_eV: [], spreadLandscape_eV: [], relaxedDeltaE_eV: deltaE, finalStateUnstable: false, activeAtoms: 40, cuDisplacement_A: 3, paper_eV: 0.4)
    }

    @Test("Path → barrier: mean ± std, ΔE from relaxed ends, raised to max(ΔE, 0) when below")
    func barrierMapping() {
        let b = Calibrator.barrier(path(barrier: 0.45, std: 0.1, deltaE: -0.2), label: "b", source: "test")
        #expect(b.value_eV == 0.45 && b.uncertainty_eV == 0.1 && b.deltaE_eV == -0.2)
        let r = Calibrator.barrier(path(barrier: 0.1, std: 0.05, deltaE: 0.3), label: "b", source: "test")
        #expect(r.value_eV == 0.3 && r.source.contains("raised"))
        #expect(r.value_eV - r.deltaE_eV! >= 0)
    }

    @Test("A calibrated table written as a barrier file decodes to the same table")
    func roundTrip() throws {
        var t = BarrierTable.paper
        t.attemptFrequency_THz = 2.7536123456789
        t.attemptFrequencySource = "cekmc calibrate --quick 2026-11-25T12:00:00Z (quadratic fit)"
        t.wz.penetration = Calibrator.barrier(path(barrier: 0.4321987654321, std: 0.0876, deltaE: -0.123456789), label: "b", source: "cekmc calibrate --quick")
        t.zb.kickOff = Calibrator.barrier(path(barrier: 0.05, std: 0.01, deltaE: 0.2), label: "d", source: "cekmc calibrate --quick")
        let file = BarrierFile(table: t, attemptFrequencyUncertainty_THz: 0.3,
                               provenance: ["method": "MD calibration", "date": "2026-11-25T12:00:00Z", "cekmc_version": "0.1.0",
                                            "force_field_hash": ForceFieldParameters.casu2023.hashHex, "force_field.coulomb_bulk": "ewald"],
                               forceField: ForceFieldParameters.casu2023.flatNumbers)
        let back = try BarrierFile.parse(file.encodeTOML(), file: "calibrated.toml")
        #expect(back == file)
        #expect(back.table == t)
    }
}
