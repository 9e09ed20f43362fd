// NonlinearFit.swift — nonlinear least squares min_p ½ Σ r_i(p)² with GSL's trust-region solver
// (gsl_multifit_nlinear, Levenberg–Marquardt subproblem `gsl_multifit_nlinear_trs_lm`, Moré scaling, QR solver).
//
// Conventions and accuracy:
// - The caller supplies residuals r_i(p); for a weighted fit they must already be divided by σ_i, so that
//   χ² = Σ r_i² is the usual chi-squared. The Jacobian J_ij = ∂r_i/∂p_j is optional: without it GSL uses forward
//   finite differences (step h_df = √ε relative), which is fine for smooth models but costs p extra residual
//   evaluations per iteration and ~√ε relative accuracy in J.
// - Stopping: GSL's tests with xtol (relative step, |δp_j| ≤ xtol(|p_j| + xtol)) and gtol (scaled gradient) — ftol is
//   0 as in GSL's own examples. `converged` is true iff gsl_multifit_nlinear_driver returned GSL_SUCCESS; if it
//   returned GSL_EMAXITER (iteration limit, or no step could reduce χ² on the first iteration) the result is still
//   returned with converged = false. Any other status throws `GSLError.status`.
// - Covariance: C = (JᵀJ)⁻¹ at the solution (gsl_multifit_nlinear_covar, epsrel = 0). This is the parameter
//   covariance when the residuals are divided by known σ_i. For an *unweighted* fit (σ unknown) C must be scaled by
//   the residual variance χ²/dof: use `scaledErrors` = errors·sqrt(χ²/dof) (dof = n − p) rather than `errors`.
// - Swift closures reach GSL's C callbacks through `params` (an unretained `Unmanaged` pointer to a context kept
//   alive for the whole solve); the fdf struct GSL keeps a pointer to lives on the heap until the workspace is freed.
@preconcurrency import CGSL

/// Nonlinear least-squares fitting with GSL's trust-region (Levenberg–Marquardt) solver.
public enum NonlinearFit {
    /// Result of a nonlinear least-squares fit.
    public struct Result: Sendable {
        /// Best-fit parameters p (same order and units as `initial`).
        public var parameters: [Double]
        /// (JᵀJ)⁻¹ at the solution, p × p (unscaled: see `scaledErrors` for unweighted fits).
        public var covariance: [[Double]]
        /// Σ r_i² at the solution.
        public var chiSquared: Double
        /// n − p (residual count minus parameter count).
        public var degreesOfFreedom: Int
        /// Iterations performed by the solver.
        public var iterations: Int
        /// Whether GSL's convergence tests (xtol/gtol) were met.
        public var converged: Bool

        /// Standard errors sqrt(C_jj), valid when the residuals were divided by known σ_i.
        public var errors: [Double] { (0..<parameters.count).map { covariance[$0][$0].squareRoot() } }

        /// χ²/dof (NaN when dof = 0).
        public var reducedChiSquared: Double {
            degreesOfFreedom > 0 ? chiSquared / Double(degreesOfFreedom) : .nan
        }

        /// Standard errors scaled by sqrt(χ²/dof): the ones to quote for an unweighted fit (σ estimated from the
        /// scatter). NaN when dof = 0.
        public var scaledErrors: [Double] {
            let s = reducedChiSquared.squareRoot()
            return errors.map { $0 * s }
        }

        /// Creates a result (normally returned by `NonlinearFit.leastSquares`).
        public init(parameters: [Double], covariance: [[Double]], chiSquared: Double, degreesOfFreedom: Int,
                    iterations: Int, converged: Bool) {
            self.parameters = parameters
            self.covariance = covariance
            self.chiSquared = chiSquared
            self.degreesOfFreedom = degreesOfFreedom
            self.iterations = iterations
            self.converged = converged
        }
    }

    /// Minimises Σ r_i(p)² over p starting from `initial`.
    ///
    /// - Parameters:
    ///   - initial: starting parameters (p ≥ 1 values, finite).
    ///   - residualCount: n, the number of residuals `residuals` returns (n ≥ p).
    ///   - residuals: p ↦ [r_0 … r_{n−1}] (already divided by σ_i when weighted).
    ///   - jacobian: p ↦ J as n rows of p values, J[i][j] = ∂r_i/∂p_j; `nil` for finite differences.
    ///   - xtol: relative step tolerance. - gtol: scaled-gradient tolerance. - maxIterations: iteration cap.
    /// - Returns: the fit; `converged` is false if the iteration cap was hit (see file header).
    /// - Throws: `GSLError.status` on invalid arguments, on a closure returning the wrong number of values, or on a
    ///   GSL failure; `GSLError.allocationFailed` if GSL cannot allocate its workspace.
    /// - Complexity: per iteration O(n·p²) plus one residual (and Jacobian, or p residual) evaluation.
    public static func leastSquares(initial: [Double], residualCount: Int,
                                    residuals: @escaping ([Double]) -> [Double],
                                    jacobian: (([Double]) -> [[Double]])? = nil,
                                    xtol: Double = 1e-10, gtol: Double = 1e-10,
                                    maxIterations: Int = 200) throws -> Result {
        GSLRuntime.ensureInitialized()
        let p = initial.count, n = residualCount
        guard p >= 1 else { throw GSLError.invalid("NonlinearFit.leastSquares: no parameters (initial is empty)") }
        guard n >= p else {
            throw GSLError.invalid("NonlinearFit.leastSquares: residualCount = \(n) < parameter count \(p)",
                                   code: Int32(GSL_EBADLEN))
        }
        if let i = initial.firstIndex(where: { !$0.isFinite }) {
            throw GSLError.invalid("NonlinearFit.leastSquares: initial[\(i)] = \(initial[i]) is not finite")
        }
        guard maxIterations >= 1 else {
            throw GSLError.invalid("NonlinearFit.leastSquares: maxIterations = \(maxIterations) must be ≥ 1")
        }
        guard xtol >= 0, gtol >= 0 else {
            throw GSLError.invalid("NonlinearFit.leastSquares: tolerances must be ≥ 0 (xtol = \(xtol), gtol = \(gtol))")
        }

        let context = FitContext(n: n, p: p, residuals: residuals, jacobian: jacobian)
        return try withExtendedLifetime(context) {
            let fdf = UnsafeMutablePointer<gsl_multifit_nlinear_fdf>.allocate(capacity: 1)
            defer { fdf.deallocate() }
            fdf.initialize(to: gsl_multifit_nlinear_fdf(
                f: nlinearResiduals, df: jacobian == nil ? nil : nlinearJacobian, fvv: nil,
                n: n, p: p, params: Unmanaged.passUnretained(context).toOpaque(),
                nevalf: 0, nevaldf: 0, nevalfvv: 0))

            var params = gsl_multifit_nlinear_default_parameters()
            params.trs = gsl_multifit_nlinear_trs_lm
            GSLRuntime.clearLastError()
            guard let w = gsl_multifit_nlinear_alloc(gsl_multifit_nlinear_trust, &params, n, p) else {
                throw GSLError.allocationFailed(GSLRuntime.allocationReason(
                    "NonlinearFit: gsl_multifit_nlinear_alloc(n = \(n), p = \(p))"))
            }
            defer { gsl_multifit_nlinear_free(w) }
            guard let x0 = gsl_vector_alloc(p) else {
                throw GSLError.allocationFailed("NonlinearFit: gsl_vector_alloc(\(p))")
            }
            defer { gsl_vector_free(x0) }
            write(initial, to: x0)

            var status = Int32(gsl_multifit_nlinear_init(x0, fdf, w))
            if let failure = context.failure { throw failure }
            try GSLRuntime.check(status, "NonlinearFit: gsl_multifit_nlinear_init")

            var info: Int32 = 0
            status = Int32(gsl_multifit_nlinear_driver(maxIterations, xtol, gtol, 0.0, nil, nil, &info, w))
            if let failure = context.failure { throw failure }
            let converged = status == Int32(GSL_SUCCESS)
            if !converged && status != Int32(GSL_EMAXITER) {
                throw GSLRuntime.statusError(status, "NonlinearFit: gsl_multifit_nlinear_driver")
            }

            guard let covar = gsl_matrix_alloc(p, p) else {
                throw GSLError.allocationFailed("NonlinearFit: gsl_matrix_alloc(\(p), \(p))")
            }
            defer { gsl_matrix_free(covar) }
            status = Int32(gsl_multifit_nlinear_covar(gsl_multifit_nlinear_jac(w), 0.0, covar))
            try GSLRuntime.check(status, "NonlinearFit: gsl_multifit_nlinear_covar")

            let f = gsl_multifit_nlinear_residual(w)!
            var chiSquared = 0.0
            _ = gsl_blas_ddot(f, f, &chiSquared)
            let covariance = (0..<p).map { i in
                (0..<p).map { j in covar.pointee.data[i * covar.pointee.tda + j] }
            }
            return Result(parameters: read(gsl_multifit_nlinear_position(w)!), covariance: covariance,
                          chiSquared: chiSquared, degreesOfFreedom: n - p,
                          iterations: Int(gsl_multifit_nlinear_niter(w)), converged: converged)
        }
    }
}

/// What GSL's C callbacks need: the Swift closures, the problem size, and the first closure misuse seen.
private final class FitContext {
    let n: Int
    let p: Int
    let residuals: ([Double]) -> [Double]
    let jacobian: (([Double]) -> [[Double]])?
    var failure: GSLError?

    init(n: Int, p: Int, residuals: @escaping ([Double]) -> [Double], jacobian: (([Double]) -> [[Double]])?) {
        self.n = n
        self.p = p
        self.residuals = residuals
        self.jacobian = jacobian
    }
}

/// The values of a gsl_vector (any stride).
func read(_ v: UnsafePointer<gsl_vector>) -> [Double] {
    let size = v.pointee.size, stride = v.pointee.stride, data = v.pointee.data!
    return (0..<size).map { data[$0 * stride] }
}

/// Writes `a` into a gsl_vector of the same size (any stride).
func write(_ a: [Double], to v: UnsafeMutablePointer<gsl_vector>) {
    let stride = v.pointee.stride, data = v.pointee.data!
    assert(a.count == v.pointee.size)
    for (i, value) in a.enumerated() { data[i * stride] = value }
}

// C callback: f = residuals(x). Non-capturing; the context comes through `params`.
private func nlinearResiduals(_ x: UnsafePointer<gsl_vector>?, _ params: UnsafeMutableRawPointer?,
                              _ f: UnsafeMutablePointer<gsl_vector>?) -> Int32 {
    let context = Unmanaged<FitContext>.fromOpaque(params!).takeUnretainedValue()
    let r = context.residuals(read(x!))
    guard r.count == context.n else {
        if context.failure == nil {
            context.failure = GSLError.invalid(
                "NonlinearFit: residuals closure returned \(r.count) values, residualCount is \(context.n)",
                code: Int32(GSL_EBADLEN))
        }
        return Int32(GSL_EBADLEN)
    }
    write(r, to: f!)
    return Int32(GSL_SUCCESS)
}

// C callback: J = jacobian(x), n × p row-major into the gsl_matrix (row stride tda).
private func nlinearJacobian(_ x: UnsafePointer<gsl_vector>?, _ params: UnsafeMutableRawPointer?,
                             _ J: UnsafeMutablePointer<gsl_matrix>?) -> Int32 {
    let context = Unmanaged<FitContext>.fromOpaque(params!).takeUnretainedValue()
    let rows = context.jacobian!(read(x!))
    guard rows.count == context.n, rows.allSatisfy({ $0.count == context.p }) else {
        if context.failure == nil {
            let shape = rows.first.map { "\(rows.count) × \($0.count)" } ?? "\(rows.count) rows"
            context.failure = GSLError.invalid(
                "NonlinearFit: jacobian closure returned \(shape), expected \(context.n) × \(context.p)",
                code: Int32(GSL_EBADLEN))
        }
        return Int32(GSL_EBADLEN)
    }
    let tda = J!.pointee.tda, data = J!.pointee.data!
    for (i, row) in rows.enumerated() {
        for (j, value) in row.enumerated() { data[i * tda + j] = value }
    }
    return Int32(GSL_SUCCESS)
}
