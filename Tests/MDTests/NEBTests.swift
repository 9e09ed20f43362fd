// Climbing-image NEB on the Müller–Brown surface.
import Foundation
import Testing
@testable import MD

@Suite struct NEBTests {
    func minimum(_ p: (Double, Double)) -> [Double] { let m = MullerBrown.stationaryPoint(near: p); return [m.0, m.1] }

    @Test("CI-NEB finds the Müller–Brown saddles (position and energy to 1e-3)",
          arguments: [((-0.558, 1.442), (-0.050, 0.467), (-0.822, 0.624)),
                      ((-0.050, 0.467), (0.623, 0.028), (0.212, 0.293))])
    func saddle(_ a: (Double, Double), _ b: (Double, Double), _ s: (Double, Double)) {
        let start = minimum(a), end = minimum(b)
        let (sx, sy) = MullerBrown.stationaryPoint(near: s)
        let es = MullerBrown.eval(sx, sy).0
        var o = NEBOptions()
        o.intermediateImages = 9
        o.springConstant = 50
        o.forceTolerance = 1e-3
        o.groupSize = 2
        o.dtMax = 0.005
        o.maxStep = 0.01
        o.climbAfter = 3000
        o.maxIterations = 100_000
        let r = NEB.run(start: start, end: end, options: o, fdf: MullerBrown.fdf)
        #expect(r.converged, "iterations \(r.iterations), max force \(r.maxForce)")
        let c = r.images[r.climbingImage]
        #expect(abs(c[0] - sx) < 1e-3 && abs(c[1] - sy) < 1e-3, "climbing image \(c) vs saddle (\(sx), \(sy))")
        #expect(abs(r.energies[r.climbingImage] - es) < 1e-3)
        #expect(abs(r.barrier - (es - r.energies[0])) < 1e-3)
    }
}
