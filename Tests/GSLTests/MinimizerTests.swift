// Tests of Minimizer: every method finds the Rosenbrock minimum (1, 1) from (−1.2, 1) and the exact minimum of a
// separable quadratic; the iteration cap returns converged = false; "no progress" is reported, not thrown; misuse
// (non-finite f, resized gradient) throws.
import GSL
import Testing

/// Rosenbrock f = (1 − x)² + 100(y − x²)², minimum 0 at (1, 1).
private func rosenbrock(_ x: [Double], _ g: inout [Double]) -> Double {
    let a = 1 - x[0], b = x[1] - x[0] * x[0]
    g[0] = -2 * a - 400 * x[0] * b
    g[1] = 200 * b
    return a * a + 100 * b * b
}

@Suite struct MinimizerTests {
    @Test(arguments: [Minimizer.Method.conjugateFR, .conjugatePR, .bfgs2])
    func findsRosenbrockMinimum(method: Minimizer.Method) throws {
        let r = try Minimizer.minimize(x0: [-1.2, 1], method: method, stepSize: 0.01, lineTolerance: 0.1,
                                       gradientTolerance: 1e-6, maxIterations: 10_000, fdf: rosenbrock)
        #expect(r.converged)
        #expect(r.gradientNorm < 1e-6)
        // Near (1,1) the Hessian's smallest eigenvalue is ≈ 0.4, so |x − x*| ≲ |g|/0.4.
        #expect(abs(r.x[0] - 1) < 1e-5 && abs(r.x[1] - 1) < 1e-5)
        #expect(r.value < 1e-10)
    }

    @Test func steepestDescentFindsRosenbrockMinimumWithLooserTolerance() throws {
        let r = try Minimizer.minimize(x0: [-1.2, 1], method: .steepestDescent, stepSize: 0.01,
                                       gradientTolerance: 1e-3, maxIterations: 200_000, fdf: rosenbrock)
        #expect(r.converged)
        #expect(abs(r.x[0] - 1) < 1e-2 && abs(r.x[1] - 1) < 2e-2)
    }

    @Test(arguments: Minimizer.Method.allCases)
    func findsQuadraticMinimumExactly(method: Minimizer.Method) throws {
        // f = Σ c_i (x_i − a_i)², minimum at a; |x − a| ≤ |g|/(2 min c).
        let a = [1.0, -2, 3, 0.5, -0.25], c = [1.0, 2, 3, 4, 5]
        let r = try Minimizer.minimize(x0: [0, 0, 0, 0, 0], method: method, stepSize: 0.1,
                                       gradientTolerance: 1e-8, maxIterations: 100_000) { x, g in
            var f = 0.0
            for i in 0..<5 {
                f += c[i] * (x[i] - a[i]) * (x[i] - a[i])
                g[i] = 2 * c[i] * (x[i] - a[i])
            }
            return f
        }
        #expect(r.converged)
        for i in 0..<5 { #expect(abs(r.x[i] - a[i]) < 1e-8) }
    }

    @Test func iterationCapReturnsUnconverged() throws {
        let r = try Minimizer.minimize(x0: [-1.2, 1], method: .bfgs2, maxIterations: 3, fdf: rosenbrock)
        #expect(!r.converged)
        #expect(r.iterations == 3)
        #expect(r.gradientNorm > 1e-6)
    }

    @Test func startingAtTheMinimumConvergesWithoutIterating() throws {
        let r = try Minimizer.minimize(x0: [1, 1], method: .conjugateFR, fdf: rosenbrock)
        #expect(r.converged && r.iterations == 0 && r.value == 0)
    }

    @Test func noProgressIsReportedNotThrown() throws {
        // A gradient of the wrong sign: no line search can go downhill, GSL reports GSL_ENOPROG.
        let r = try Minimizer.minimize(x0: [1, 1], method: .bfgs2, maxIterations: 1000) { x, g in
            g[0] = -2 * x[0]
            g[1] = -2 * x[1]
            return x[0] * x[0] + x[1] * x[1]
        }
        #expect(!r.converged)
        #expect(r.iterations < 1000)
    }

    @Test func misuseThrows() throws {
        #expect(throws: GSLError.self) {
            _ = try Minimizer.minimize(x0: [1, 2], method: .bfgs2) { _, _ in .nan }
        }
        #expect(throws: GSLError.self) {
            _ = try Minimizer.minimize(x0: [1, 2], method: .bfgs2) { _, g in g.append(0); return 0 }
        }
        #expect(throws: GSLError.self) {
            _ = try Minimizer.minimize(x0: [], method: .bfgs2) { _, _ in 0 }
        }
        #expect(throws: GSLError.self) {
            _ = try Minimizer.minimize(x0: [1], method: .bfgs2, stepSize: 0) { _, _ in 0 }
        }
    }
}
