// Tests of NonlinearFit: Arrhenius parameters k = A·exp(−E/k_BT) recovered from noisy synthetic rates within 3
// reported standard errors (weighted fit of k, analytic and finite-difference Jacobians), agreement of the
// unweighted fit's scaled errors with LinearFit's closed form, and error/limit handling.
import Foundation
import GSL
import Testing

/// Boltzmann constant in eV/K (CODATA 2018, exact) — a local copy: GSLTests depends on GSL only.
private let kB = 8.617_333_262e-5

/// Synthetic Arrhenius data: 1/k_BT (1/eV), true rates k (1/s) and rates with 5 % Gaussian relative noise.
private func arrheniusData(seed: UInt64) throws -> (beta: [Double], kTrue: [Double], kObs: [Double]) {
    let rng = try RandomGenerator(name: "mt19937", seed: seed)
    let lnA = log(2.0e12), energy = 0.62
    let beta = (0..<25).map { 1 / (kB * (300 + 400 * Double($0) / 24)) }
    let kTrue = beta.map { exp(lnA - energy * $0) }
    let kObs = kTrue.map { $0 * (1 + 0.05 * rng.gaussian(sigma: 1)) }
    return (beta, kTrue, kObs)
}

@Suite struct NonlinearFitTests {
    static let lnA = log(2.0e12), energy = 0.62

    @Test(arguments: [true, false])
    func weightedArrheniusFitRecoversPrefactorAndBarrier(analyticJacobian: Bool) throws {
        // Parameters p = (ln A, E); residual r_i = (k(p; T_i) − k_i)/σ_i with known σ_i = 0.05·k_true,i.
        let (beta, kTrue, kObs) = try arrheniusData(seed: 8)
        let sigma = kTrue.map { 0.05 * $0 }
        let residuals: ([Double]) -> [Double] = { p in
            (0..<beta.count).map { (exp(p[0] - p[1] * beta[$0]) - kObs[$0]) / sigma[$0] }
        }
        let jacobian: ([Double]) -> [[Double]] = { p in
            (0..<beta.count).map { i in
                let k = exp(p[0] - p[1] * beta[i]) / sigma[i]
                return [k, -beta[i] * k]
            }
        }
        let fit = try NonlinearFit.leastSquares(initial: [log(1e11), 0.5], residualCount: beta.count,
                                                residuals: residuals,
                                                jacobian: analyticJacobian ? jacobian : nil)
        #expect(fit.converged)
        #expect(fit.degreesOfFreedom == beta.count - 2)
        let err = fit.errors
        #expect(abs(fit.parameters[0] - Self.lnA) < 3 * err[0])
        #expect(abs(fit.parameters[1] - Self.energy) < 3 * err[1])
        #expect(err[1] > 0 && err[1] < 0.05)  // 5 % noise on 25 points pins E to ~0.01 eV
        // The prefactor itself: A lies in Â·exp(±3σ_lnA) (the lnA check above, stated for A; σ_A ≈ Â·σ_lnA).
        let aHat = exp(fit.parameters[0])
        #expect(2.0e12 > aHat * exp(-3 * err[0]) && 2.0e12 < aHat * exp(3 * err[0]))
        // χ² ~ χ²(dof): mean dof, sd √(2 dof).
        let dof = Double(fit.degreesOfFreedom)
        #expect(abs(fit.chiSquared - dof) < 5 * (2 * dof).squareRoot())
        let direct = residuals(fit.parameters).reduce(0) { $0 + $1 * $1 }
        #expect(abs(fit.chiSquared - direct) <= 1e-9 * direct)
    }

    @Test func finiteDifferenceJacobianAgreesWithAnalytic() throws {
        let (beta, kTrue, kObs) = try arrheniusData(seed: 8)
        let residuals: ([Double]) -> [Double] = { p in
            (0..<beta.count).map { (exp(p[0] - p[1] * beta[$0]) - kObs[$0]) / (0.05 * kTrue[$0]) }
        }
        let jacobian: ([Double]) -> [[Double]] = { p in
            (0..<beta.count).map { i in
                let k = exp(p[0] - p[1] * beta[i]) / (0.05 * kTrue[i])
                return [k, -beta[i] * k]
            }
        }
        let an = try NonlinearFit.leastSquares(initial: [log(1e11), 0.5], residualCount: beta.count,
                                               residuals: residuals, jacobian: jacobian)
        let fd = try NonlinearFit.leastSquares(initial: [log(1e11), 0.5], residualCount: beta.count,
                                               residuals: residuals)
        for j in 0..<2 {
            #expect(abs(an.parameters[j] - fd.parameters[j]) < 1e-3 * an.errors[j])
            #expect(abs(an.errors[j] / fd.errors[j] - 1) < 1e-4)
        }
    }

    @Test func unweightedLogFitScaledErrorsEqualLinearFit() throws {
        // ln k = ln A − E·β is linear in (ln A, E): the nonlinear solver must reproduce LinearFit exactly, and its
        // scaledErrors (errors·√(χ²/dof)) must equal LinearFit's scatter-based errors.
        let (beta, _, kObs) = try arrheniusData(seed: 21)
        let lnk = kObs.map { log($0) }
        let fit = try NonlinearFit.leastSquares(
            initial: [20, 1], residualCount: beta.count,
            residuals: { p in (0..<beta.count).map { p[0] - p[1] * beta[$0] - lnk[$0] } })
        let line = try LinearFit.unweighted(x: beta, y: lnk)
        #expect(fit.converged)
        #expect(abs(fit.parameters[0] - line.intercept) < 1e-6 * line.interceptError)
        #expect(abs(fit.parameters[1] + line.slope) < 1e-6 * line.slopeError)
        #expect(abs(fit.chiSquared / line.chiSquared - 1) < 1e-9)
        #expect(abs(fit.scaledErrors[0] / line.interceptError - 1) < 1e-6)
        #expect(abs(fit.scaledErrors[1] / line.slopeError - 1) < 1e-6)
        #expect(abs(fit.parameters[0] - Self.lnA) < 3 * fit.scaledErrors[0])
        #expect(abs(fit.parameters[1] - Self.energy) < 3 * fit.scaledErrors[1])
        // Unscaled errors assume σ = 1 on ln k, far above the real 5 %: they must be much larger here.
        #expect(fit.errors[1] > 5 * fit.scaledErrors[1])
    }

    @Test func iterationLimitReturnsUnconvergedResult() throws {
        // Rosenbrock as least squares: r = (10(y − x²), 1 − x); one iteration from (−1.2, 1) cannot converge.
        let r: ([Double]) -> [Double] = { p in [10 * (p[1] - p[0] * p[0]), 1 - p[0]] }
        let capped = try NonlinearFit.leastSquares(initial: [-1.2, 1], residualCount: 2, residuals: r,
                                                   maxIterations: 1)
        #expect(!capped.converged)
        #expect(capped.iterations == 1)
        let full = try NonlinearFit.leastSquares(initial: [-1.2, 1], residualCount: 2, residuals: r)
        #expect(full.converged)
        #expect(abs(full.parameters[0] - 1) < 1e-8 && abs(full.parameters[1] - 1) < 1e-8)
    }

    @Test func invalidUseThrows() throws {
        #expect(throws: GSLError.self) {
            _ = try NonlinearFit.leastSquares(initial: [1, 2], residualCount: 3, residuals: { _ in [0, 0] })
        }
        #expect(throws: GSLError.self) {
            _ = try NonlinearFit.leastSquares(initial: [1, 2, 3], residualCount: 2, residuals: { _ in [0, 0] })
        }
        #expect(throws: GSLError.self) {
            _ = try NonlinearFit.leastSquares(initial: [1], residualCount: 2, residuals: { p in [p[0], 1] },
                                              jacobian: { _ in [[1]] })
        }
        do {
            _ = try NonlinearFit.leastSquares(initial: [1, 2], residualCount: 3, residuals: { _ in [0, 0] })
        } catch let GSLError.status(code, reason, _, _) {
            #expect(code == 19)  // GSL_EBADLEN
            #expect(reason.contains("returned 2 values, residualCount is 3"))
        }
    }
}
