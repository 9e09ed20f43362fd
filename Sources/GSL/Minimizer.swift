// Minimizer.swift — gradient-based minimisation of f: ℝⁿ → ℝ with GSL's gsl_multimin_fdfminimizer
// (steepest descent, Fletcher–Reeves and Polak–Ribière conjugate gradients, BFGS with Fletcher's line search).
//
// Conventions and accuracy:
// - The caller gives one closure fdf(x, &g) returning f(x) and filling g = ∇f(x) (g arrives sized n; leave its
//   count unchanged). GSL's separate f and df callbacks are served by the same closure.
// - stepSize is the size of the first trial step (units of x); lineTolerance is GSL's line-minimisation accuracy
//   (0.1 is recommended for BFGS2 and CG; steepest descent ignores it). Iteration stops when
//   |∇f|₂ < gradientTolerance (gsl_multimin_test_gradient).
// - Outcome: converged = true when the gradient test passes. Reaching maxIterations returns converged = false (no
//   throw). When GSL reports GSL_ENOPROG/GSL_ENOPROGJ ("iteration is not making progress": the line search found
//   no lower point — typical at a minimum resolved to machine precision, or for an inconsistent gradient),
//   iteration stops and the result is returned with converged = the gradient test at the current point. Any other
//   GSL status, and a non-finite f or gradient, throws `GSLError.status`.
// - Swift closures reach GSL's C callbacks through `params` (an unretained `Unmanaged` pointer to a context kept
//   alive for the whole run); the function struct GSL keeps a pointer to lives on the heap.
@preconcurrency import CGSL

/// Gradient-based minimisation with GSL's multimin fdf minimisers.
public enum Minimizer {
    /// The GSL algorithm (raw value = GSL's name, as used in input files).
    public enum Method: String, Sendable, CaseIterable {
        /// gsl_multimin_fdfminimizer_steepest_descent: robust but slow (linear convergence); needs many iterations.
        case steepestDescent = "steepest_descent"
        /// gsl_multimin_fdfminimizer_conjugate_fr: Fletcher–Reeves conjugate gradient.
        case conjugateFR = "conjugate_fr"
        /// gsl_multimin_fdfminimizer_conjugate_pr: Polak–Ribière conjugate gradient.
        case conjugatePR = "conjugate_pr"
        /// gsl_multimin_fdfminimizer_vector_bfgs2: BFGS quasi-Newton with Fletcher's line search (usually best).
        case bfgs2 = "bfgs2"
    }

    /// Result of a minimisation.
    public struct Result: Sendable {
        /// The final point (units of x0).
        public var x: [Double]
        /// f(x).
        public var value: Double
        /// |∇f(x)|₂.
        public var gradientNorm: Double
        /// Iterations performed (calls to gsl_multimin_fdfminimizer_iterate).
        public var iterations: Int
        /// Whether |∇f|₂ < gradientTolerance at `x`.
        public var converged: Bool

        /// Creates a result (normally returned by `Minimizer.minimize`).
        public init(x: [Double], value: Double, gradientNorm: Double, iterations: Int, converged: Bool) {
            self.x = x
            self.value = value
            self.gradientNorm = gradientNorm
            self.iterations = iterations
            self.converged = converged
        }
    }

    /// Minimises f from `x0` with the given method until |∇f|₂ < gradientTolerance or maxIterations.
    ///
    /// - Parameters:
    ///   - x0: starting point (n ≥ 1 finite values).
    ///   - method: the GSL algorithm.
    ///   - stepSize: first trial step length (> 0, units of x).
    ///   - lineTolerance: line-search accuracy (GSL's `tol`, ≥ 0).
    ///   - gradientTolerance: stop when |∇f|₂ is below this (> 0, units of f per unit of x).
    ///   - maxIterations: iteration cap (≥ 0); hitting it returns converged = false.
    ///   - fdf: (x, &g) ↦ f(x), writing ∇f(x) into g.
    /// - Throws: `GSLError.status` for invalid arguments, non-finite f or ∇f, a gradient of the wrong size, or a GSL
    ///   error other than "no progress"; `GSLError.allocationFailed` if GSL cannot allocate.
    /// - Complexity: per iteration a few fdf evaluations plus O(n) (CG, steepest descent) or O(n²) (BFGS2).
    public static func minimize(x0: [Double], method: Method, stepSize: Double = 0.01, lineTolerance: Double = 0.1,
                                gradientTolerance: Double = 1e-6, maxIterations: Int = 10_000,
                                fdf: @escaping ([Double], inout [Double]) -> Double) throws -> Result {
        GSLRuntime.ensureInitialized()
        let n = x0.count
        let caller = "Minimizer.minimize(\(method.rawValue))"
        guard n >= 1 else { throw GSLError.invalid("\(caller): x0 is empty") }
        if let i = x0.firstIndex(where: { !$0.isFinite }) {
            throw GSLError.invalid("\(caller): x0[\(i)] = \(x0[i]) is not finite")
        }
        guard stepSize > 0, stepSize.isFinite else {
            throw GSLError.invalid("\(caller): stepSize = \(stepSize) must be finite and > 0")
        }
        guard lineTolerance >= 0, gradientTolerance > 0, maxIterations >= 0 else {
            throw GSLError.invalid("\(caller): need lineTolerance ≥ 0, gradientTolerance > 0, maxIterations ≥ 0 "
                                   + "(got \(lineTolerance), \(gradientTolerance), \(maxIterations))")
        }

        let context = MinimizerContext(n: n, caller: caller, fdf: fdf)
        return try withExtendedLifetime(context) {
            let function = UnsafeMutablePointer<gsl_multimin_function_fdf>.allocate(capacity: 1)
            defer { function.deallocate() }
            function.initialize(to: gsl_multimin_function_fdf(
                f: minimizerF, df: minimizerDF, fdf: minimizerFDF, n: n,
                params: Unmanaged.passUnretained(context).toOpaque()))

            GSLRuntime.clearLastError()
            guard let s = gsl_multimin_fdfminimizer_alloc(method.gslType, n) else {
                throw GSLError.allocationFailed(GSLRuntime.allocationReason("\(caller): gsl_multimin_fdfminimizer_alloc(n = \(n))"))
            }
            defer { gsl_multimin_fdfminimizer_free(s) }
            guard let start = gsl_vector_alloc(n) else {
                throw GSLError.allocationFailed("\(caller): gsl_vector_alloc(\(n))")
            }
            defer { gsl_vector_free(start) }
            write(x0, to: start)

            let setStatus = Int32(gsl_multimin_fdfminimizer_set(s, function, start, stepSize, lineTolerance))
            try context.checkFailure()
            try GSLRuntime.check(setStatus, "\(caller): gsl_multimin_fdfminimizer_set")
            try checkFinite(s, caller: caller)

            func gradientSmall() -> Bool {
                Int32(gsl_multimin_test_gradient(gsl_multimin_fdfminimizer_gradient(s), gradientTolerance))
                    == Int32(GSL_SUCCESS)
            }
            var iterations = 0
            var converged = gradientSmall()
            while !converged && iterations < maxIterations {
                GSLRuntime.clearLastError()
                let status = Int32(gsl_multimin_fdfminimizer_iterate(s))
                iterations += 1
                try context.checkFailure()
                if status == Int32(GSL_ENOPROG) || status == Int32(GSL_ENOPROGJ) {
                    // No lower point along the search direction: stop here and judge by the gradient.
                    converged = gradientSmall()
                    break
                }
                try GSLRuntime.check(status, "\(caller): gsl_multimin_fdfminimizer_iterate (iteration \(iterations))")
                try checkFinite(s, caller: caller)
                converged = gradientSmall()
            }
            let gradient = gsl_multimin_fdfminimizer_gradient(s)!
            return Result(x: read(gsl_multimin_fdfminimizer_x(s)!),
                          value: gsl_multimin_fdfminimizer_minimum(s),
                          gradientNorm: gsl_blas_dnrm2(gradient),
                          iterations: iterations, converged: converged)
        }
    }

    private static func checkFinite(_ s: UnsafeMutablePointer<gsl_multimin_fdfminimizer>, caller: String) throws {
        let value = gsl_multimin_fdfminimizer_minimum(s)
        let gradient = read(gsl_multimin_fdfminimizer_gradient(s)!)
        guard value.isFinite, gradient.allSatisfy(\.isFinite) else {
            let x = read(gsl_multimin_fdfminimizer_x(s)!)
            throw GSLError.invalid("\(caller): f = \(value), ∇f = \(gradient) at x = \(x) (not finite)",
                                   code: Int32(GSL_EBADFUNC))
        }
    }
}

extension Minimizer.Method {
    /// The GSL minimiser type object.
    var gslType: UnsafePointer<gsl_multimin_fdfminimizer_type> {
        switch self {
        case .steepestDescent: return gsl_multimin_fdfminimizer_steepest_descent
        case .conjugateFR: return gsl_multimin_fdfminimizer_conjugate_fr
        case .conjugatePR: return gsl_multimin_fdfminimizer_conjugate_pr
        case .bfgs2: return gsl_multimin_fdfminimizer_vector_bfgs2
        }
    }
}

/// What GSL's C callbacks need: the Swift closure, scratch arrays, and the first misuse seen.
private final class MinimizerContext {
    let n: Int
    let caller: String
    let fdf: ([Double], inout [Double]) -> Double
    var gradient: [Double]
    var failure: GSLError?

    init(n: Int, caller: String, fdf: @escaping ([Double], inout [Double]) -> Double) {
        self.n = n
        self.caller = caller
        self.fdf = fdf
        gradient = [Double](repeating: 0, count: n)
    }

    /// Evaluates the closure at x; returns f and leaves ∇f in `gradient` (NaN-filled on misuse).
    func evaluate(_ x: UnsafePointer<gsl_vector>) -> Double {
        for i in 0..<n { gradient[i] = 0 }
        let f = fdf(read(x), &gradient)
        if gradient.count != n {
            if failure == nil {
                failure = GSLError.invalid("\(caller): fdf changed the gradient's count to \(gradient.count), "
                                           + "expected \(n)", code: Int32(GSL_EBADLEN))
            }
            gradient = [Double](repeating: .nan, count: n)
            return .nan
        }
        return f
    }

    func checkFailure() throws {
        if let failure { throw failure }
    }
}

private func minimizerContext(_ params: UnsafeMutableRawPointer?) -> MinimizerContext {
    Unmanaged<MinimizerContext>.fromOpaque(params!).takeUnretainedValue()
}

// C callbacks (non-capturing; the context comes through `params`).
private func minimizerF(_ x: UnsafePointer<gsl_vector>?, _ params: UnsafeMutableRawPointer?) -> Double {
    minimizerContext(params).evaluate(x!)
}

private func minimizerDF(_ x: UnsafePointer<gsl_vector>?, _ params: UnsafeMutableRawPointer?,
                         _ g: UnsafeMutablePointer<gsl_vector>?) {
    let context = minimizerContext(params)
    _ = context.evaluate(x!)
    write(context.gradient, to: g!)
}

private func minimizerFDF(_ x: UnsafePointer<gsl_vector>?, _ params: UnsafeMutableRawPointer?,
                          _ f: UnsafeMutablePointer<Double>?, _ g: UnsafeMutablePointer<gsl_vector>?) {
    let context = minimizerContext(params)
    f!.pointee = context.evaluate(x!)
    write(context.gradient, to: g!)
}
