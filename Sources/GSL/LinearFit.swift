// LinearFit.swift — straight-line least squares y = c0 + c1·x (gsl_fit_linear / gsl_fit_wlinear).
//
// Conventions and accuracy:
// - Unweighted (`unweighted`): the covariance is GSL's estimate from the scatter of the points,
//   cov = s²·[[1/n + x̄²/Sxx, −x̄/Sxx], [−x̄/Sxx, 1/Sxx]] with s² = χ²/(n−2), Sxx = Σ(x−x̄)², and
//   χ² = Σ(y − c0 − c1·x)² (sum of squared residuals, no σ). Standard errors are sqrt of the diagonal.
// - Weighted (`weighted`, w_i = 1/σ_i²): cov is the inverse of the normal matrix [[Σw, Σwx], [Σwx, Σwx²]]
//   (so Var(slope) = 1/Σw(x−x̄_w)², x̄_w = Σwx/Σw), *not* rescaled by χ²/(n−2): the σ_i are taken as known.
//   χ² = Σ w_i (y_i − c0 − c1·x_i)².
//   If the σ_i are only relative, multiply the errors by sqrt(χ²/(n−2)) yourself.
// - Inputs are checked before GSL sees them (equal lengths, n ≥ 3, finite values, positive weights, x not all equal);
//   violations throw `GSLError.status` with GSL_EBADLEN/GSL_EINVAL and a message naming the argument.
// - GSL's formulas use centred sums (numerically stable); O(n) time, O(1) extra memory.
@preconcurrency import CGSL

/// Straight-line least-squares fits y ≈ intercept + slope·x.
public enum LinearFit {
    /// Result of a straight-line fit: parameters, their covariance and the fit's χ².
    public struct Result: Sendable {
        /// c0, the value of the line at x = 0 (units of y).
        public var intercept: Double
        /// c1, dy/dx (units of y per unit of x).
        public var slope: Double
        /// Var(intercept).
        public var cov00: Double
        /// Cov(intercept, slope).
        public var cov01: Double
        /// Var(slope).
        public var cov11: Double
        /// Σ(y − fit)² (unweighted) or Σ w (y − fit)² (weighted).
        public var chiSquared: Double
        /// Number of points used.
        public var count: Int

        /// Standard error of the intercept, sqrt(cov00).
        public var interceptError: Double { cov00.squareRoot() }
        /// Standard error of the slope, sqrt(cov11).
        public var slopeError: Double { cov11.squareRoot() }
        /// Degrees of freedom n − 2.
        public var degreesOfFreedom: Int { count - 2 }

        /// The fitted line at `x`.
        public func value(at x: Double) -> Double { intercept + slope * x }

        /// Creates a result (normally returned by `LinearFit`).
        public init(intercept: Double, slope: Double, cov00: Double, cov01: Double, cov11: Double,
                    chiSquared: Double, count: Int) {
            self.intercept = intercept
            self.slope = slope
            self.cov00 = cov00
            self.cov01 = cov01
            self.cov11 = cov11
            self.chiSquared = chiSquared
            self.count = count
        }
    }

    /// Unweighted fit (`gsl_fit_linear`); errors estimated from the residual scatter (see file header). O(n).
    ///
    /// - Throws: `GSLError.status` if x and y differ in length, n < 3, a value is not finite, or all x are equal.
    public static func unweighted(x: [Double], y: [Double]) throws -> Result {
        GSLRuntime.ensureInitialized()
        try validate(x: x, y: y, weights: nil, caller: "LinearFit.unweighted")
        var c0 = 0.0, c1 = 0.0, cov00 = 0.0, cov01 = 0.0, cov11 = 0.0, sumsq = 0.0
        GSLRuntime.clearLastError()
        let status = x.withUnsafeBufferPointer { xp in
            y.withUnsafeBufferPointer { yp in
                Int32(gsl_fit_linear(xp.baseAddress, 1, yp.baseAddress, 1, x.count,
                                     &c0, &c1, &cov00, &cov01, &cov11, &sumsq))
            }
        }
        try GSLRuntime.check(status, "LinearFit.unweighted (gsl_fit_linear, n = \(x.count))")
        return Result(intercept: c0, slope: c1, cov00: cov00, cov01: cov01, cov11: cov11,
                      chiSquared: sumsq, count: x.count)
    }

    /// Weighted fit (`gsl_fit_wlinear`) with weights w_i = 1/σ_i² (σ_i in units of y). O(n).
    ///
    /// - Throws: `GSLError.status` if lengths differ, n < 3, a value is not finite, a weight is ≤ 0,
    ///   or all x are equal.
    public static func weighted(x: [Double], y: [Double], weights: [Double]) throws -> Result {
        GSLRuntime.ensureInitialized()
        try validate(x: x, y: y, weights: weights, caller: "LinearFit.weighted")
        var c0 = 0.0, c1 = 0.0, cov00 = 0.0, cov01 = 0.0, cov11 = 0.0, chisq = 0.0
        GSLRuntime.clearLastError()
        let status = x.withUnsafeBufferPointer { xp in
            y.withUnsafeBufferPointer { yp in
                weights.withUnsafeBufferPointer { wp in
                    Int32(gsl_fit_wlinear(xp.baseAddress, 1, wp.baseAddress, 1, yp.baseAddress, 1, x.count,
                                          &c0, &c1, &cov00, &cov01, &cov11, &chisq))
                }
            }
        }
        try GSLRuntime.check(status, "LinearFit.weighted (gsl_fit_wlinear, n = \(x.count))")
        return Result(intercept: c0, slope: c1, cov00: cov00, cov01: cov01, cov11: cov11,
                      chiSquared: chisq, count: x.count)
    }

    private static func validate(x: [Double], y: [Double], weights: [Double]?, caller: String) throws {
        guard x.count == y.count else {
            throw GSLError.invalid("\(caller): x has \(x.count) values but y has \(y.count)",
                                   code: Int32(GSL_EBADLEN))
        }
        if let w = weights, w.count != x.count {
            throw GSLError.invalid("\(caller): weights has \(w.count) values but x has \(x.count)",
                                   code: Int32(GSL_EBADLEN))
        }
        guard x.count >= 3 else {
            throw GSLError.invalid("\(caller): need at least 3 points for a line with error estimates, got \(x.count)")
        }
        if let i = x.firstIndex(where: { !$0.isFinite }) {
            throw GSLError.invalid("\(caller): x[\(i)] = \(x[i]) is not finite")
        }
        if let i = y.firstIndex(where: { !$0.isFinite }) {
            throw GSLError.invalid("\(caller): y[\(i)] = \(y[i]) is not finite")
        }
        if let w = weights, let i = w.firstIndex(where: { !($0 > 0 && $0.isFinite) }) {
            throw GSLError.invalid("\(caller): weights[\(i)] = \(w[i]) must be finite and > 0 (w = 1/σ²)")
        }
        if x.allSatisfy({ $0 == x[0] }) {
            throw GSLError.invalid("\(caller): all x equal \(x[0]); the slope is undetermined")
        }
    }
}
