// Tests of LinearFit on synthetic data with known truth: recovered parameters within 3 reported standard errors,
// reported covariances equal to the closed-form least-squares expressions, and clear errors for invalid input.
import GSL
import Testing

/// Relative closeness with an absolute floor.
func close(_ a: Double, _ b: Double, rel: Double = 1e-9, abs absTol: Double = 0) -> Bool {
    abs(a - b) <= max(absTol, rel * max(abs(a), abs(b)))
}

@Suite struct LinearFitTests {
    @Test func unweightedRecoversLineAndReportsClosedFormErrors() throws {
        let rng = try RandomGenerator(name: "mt19937", seed: 123)
        let a = 1.5, b = -0.75, sigma = 0.2, n = 400
        let x = (0..<n).map { 0.05 * Double($0) }
        let y = x.map { a + b * $0 + rng.gaussian(sigma: sigma) }
        let fit = try LinearFit.unweighted(x: x, y: y)

        #expect(abs(fit.slope - b) < 3 * fit.slopeError)
        #expect(abs(fit.intercept - a) < 3 * fit.interceptError)

        // Closed forms: s² = Σr²/(n−2), Var(b) = s²/Sxx, Var(a) = s²(1/n + x̄²/Sxx), Cov(a,b) = −x̄ s²/Sxx.
        let nd = Double(n)
        let xbar = x.reduce(0, +) / nd
        let sxx = x.reduce(0) { $0 + ($1 - xbar) * ($1 - xbar) }
        let rss = zip(x, y).reduce(0) { $0 + pow2($1.1 - fit.intercept - fit.slope * $1.0) }
        let s2 = rss / (nd - 2)
        #expect(close(fit.chiSquared, rss))
        #expect(close(fit.cov11, s2 / sxx))
        #expect(close(fit.cov00, s2 * (1 / nd + xbar * xbar / sxx)))
        #expect(close(fit.cov01, -xbar * s2 / sxx))
        #expect(fit.degreesOfFreedom == n - 2)

        // And the estimated error agrees with the true σ/√Sxx to the precision of s (relative sd 1/√(2(n−2))).
        #expect(abs(fit.slopeError / (sigma / sxx.squareRoot()) - 1) < 5 / (2 * (nd - 2)).squareRoot())
    }

    @Test func weightedRecoversLineAndReportsClosedFormErrors() throws {
        let rng = try RandomGenerator(name: "taus2", seed: 321)
        let a = -3.0, b = 2.25, n = 300
        let x = (0..<n).map { 0.1 * Double($0) - 5 }
        let sigmas = x.map { 0.05 + 0.03 * abs($0) }
        let y = zip(x, sigmas).map { a + b * $0 + rng.gaussian(sigma: $1) }
        let w = sigmas.map { 1 / ($0 * $0) }
        let fit = try LinearFit.weighted(x: x, y: y, weights: w)

        #expect(abs(fit.slope - b) < 3 * fit.slopeError)
        #expect(abs(fit.intercept - a) < 3 * fit.interceptError)

        // Known σ: cov = inverse normal matrix; Var(b) = 1/Σw(x−x̄_w)², Var(a) = Σwx²/(Σw·Σw(x−x̄_w)²).
        let sw = w.reduce(0, +)
        let xw = zip(w, x).reduce(0) { $0 + $1.0 * $1.1 } / sw
        let swxx = zip(w, x).reduce(0) { $0 + $1.0 * pow2($1.1 - xw) }
        let swx2 = zip(w, x).reduce(0) { $0 + $1.0 * $1.1 * $1.1 }
        #expect(close(fit.cov11, 1 / swxx))
        #expect(close(fit.cov00, swx2 / (sw * swxx)))
        #expect(close(fit.cov01, -xw / swxx))
        let chi2 = (0..<n).reduce(0) { $0 + w[$1] * pow2(y[$1] - fit.intercept - fit.slope * x[$1]) }
        #expect(close(fit.chiSquared, chi2))
        // χ² ~ χ²(n−2): mean n−2, sd √(2(n−2)).
        let dof = Double(n - 2)
        #expect(abs(fit.chiSquared - dof) < 5 * (2 * dof).squareRoot())
    }

    @Test func exactLineIsReproducedWithZeroScatter() throws {
        let x = [1.0, 2, 3, 4, 5]
        let fit = try LinearFit.unweighted(x: x, y: x.map { 4 - 2 * $0 })
        #expect(close(fit.slope, -2, abs: 1e-14))
        #expect(close(fit.intercept, 4, abs: 1e-14))
        #expect(fit.chiSquared < 1e-25)
        #expect(close(fit.value(at: 10), -16, abs: 1e-12))
    }

    @Test func invalidInputThrowsClearErrors() throws {
        func statusCode(_ body: () throws -> Void) -> (Int32, String)? {
            do { try body() } catch let GSLError.status(code, reason, _, _) { return (code, reason) } catch {}
            return nil
        }
        let lengths = statusCode { _ = try LinearFit.unweighted(x: [1, 2, 3], y: [1, 2]) }
        #expect(lengths?.0 == 19)  // GSL_EBADLEN
        #expect(lengths?.1.contains("x has 3 values but y has 2") == true)
        let tooFew = statusCode { _ = try LinearFit.unweighted(x: [1, 2], y: [1, 2]) }
        #expect(tooFew?.0 == 4)  // GSL_EINVAL
        #expect(tooFew?.1.contains("at least 3 points") == true)
        #expect(statusCode { _ = try LinearFit.weighted(x: [1, 2, 3], y: [1, 2, 3], weights: [1, 1]) }?.0 == 19)
        #expect(statusCode { _ = try LinearFit.weighted(x: [1, 2, 3], y: [1, 2, 3], weights: [1, 0, 1]) }?.0 == 4)
        #expect(statusCode { _ = try LinearFit.unweighted(x: [2, 2, 2], y: [1, 2, 3]) }?.1.contains("all x") == true)
        #expect(statusCode { _ = try LinearFit.unweighted(x: [1, 2, 3], y: [1, .nan, 3]) }?.1.contains("y[1]") == true)
    }
}

func pow2(_ x: Double) -> Double { x * x }
