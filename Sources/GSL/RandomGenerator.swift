// RandomGenerator.swift — seeded GSL random-number streams for the KMC and MD (all randomness in cekmc).
//
// Conventions and accuracy:
// - A generator is a GSL `gsl_rng` chosen by name ("mt19937" default, "ranlxd2", "taus2", or any name in
//   `RandomGenerator.availableNames`). Streams are exactly GSL's: for seeds < 2^32 the first `nextRaw()` values equal
//   those of a C program calling `gsl_rng_set(r, seed)` (mt19937, seed 5489 → 3499211612, 581869302, 3890346734).
// - Seeds: GSL seeds are `unsigned long` (64 bits on Linux) but mt19937, taus2 and ranlxd2 use only the low 32 bits.
//   So that seeds differing only above bit 31 still give different streams, the UInt64 seed s is passed to GSL as
//   s ^ (s >> 32): the identity for s < 2^32, a bijection on 64 bits, and its low 32 bits are lo(s) ^ hi(s).
//   (Two seeds with equal lo ^ hi collide for the 32-bit-seeded generators; pick seeds < 2^32 when that matters.)
//   A GSL seed of 0 selects the generator's default seed (for mt19937, 0 gives the same stream as 4357).
// - uniform() ∈ [0,1) and uniformPositive() ∈ (0,1) have the generator's resolution (2^-32 for the three named
//   ones; ranlxd2 returns 48-bit doubles). exponential() is GSL's −μ·log1p(−u) (exact inversion); gaussian() uses
//   GSL's ziggurat (gsl_ran_gaussian_ziggurat, Marsaglia & Tsang 2000, doi:10.18637/jss.v005.i08), faster than the
//   Box–Muller/ratio method of gsl_ran_gaussian and equally exact in distribution (different stream).
// - uniformInt(n) is unbiased for every n ≥ 1: GSL's rejection method when n ≤ max − min of the generator
//   (2^32 − 1 for the named ones), otherwise enough raw draws are concatenated into a (bit-masked) word and values
//   ≥ n rejected (< 2 words per result on average).
// - Hot path: uniform(), uniformPositive(), uniformInt(n ≤ 2^32−1), exponential(), gaussian() and nextRaw() are each a
//   single GSL call, @inlinable so clients' release builds call GSL directly (clients need not import CGSL:
//   SwiftPM makes the system-library module map visible to every target that depends on GSL).
// - State save/restore is bit-exact: the raw `gsl_rng_state` bytes plus `gsl_rng_name`.
@preconcurrency import CGSL

/// A seeded stream of random numbers from a GSL generator (wraps a `gsl_rng*`).
///
/// Not thread-safe: use one generator per stream/thread (`copy()` clones the state, a new seed gives a new stream).
public final class RandomGenerator {
    /// The GSL generator (owned; freed in deinit).
    @usableFromInline let rng: UnsafeMutablePointer<gsl_rng>
    /// `max − min` of the raw generator output: the largest n `gsl_rng_uniform_int` accepts.
    @usableFromInline let span: UInt
    /// Random bits delivered by one `drawBits()` call (used for `uniformInt` with n > span).
    private let bitsPerDraw: Int
    /// Whether `span + 1` is a power of two, so that `gsl_rng_get − min` is directly `bitsPerDraw` uniform bits.
    private let rawIsPowerOfTwo: Bool

    /// The seed this stream was started from (as given to `init`; a `copy()` keeps it).
    public let seed: UInt64

    /// Creates a generator of GSL type `name`, seeded with `seed` (see the file header for how seeds map to GSL).
    ///
    /// - Throws: `GSLError.unknownGenerator` (listing the allowed names) if GSL has no such generator;
    ///   `GSLError.allocationFailed` if GSL cannot allocate it.
    public init(name: String = "mt19937", seed: UInt64) throws {
        GSLRuntime.ensureInitialized()
        guard let type = RandomGenerator.type(named: name) else {
            throw GSLError.unknownGenerator(name, allowed: RandomGenerator.availableNames)
        }
        GSLRuntime.clearLastError()
        guard let r = gsl_rng_alloc(type) else {
            throw GSLError.allocationFailed(GSLRuntime.allocationReason("gsl_rng_alloc(\(name))"))
        }
        rng = r
        self.seed = seed
        gsl_rng_set(r, RandomGenerator.gslSeed(seed))
        (span, bitsPerDraw, rawIsPowerOfTwo) = RandomGenerator.rangeInfo(r)
    }

    private init(cloning other: RandomGenerator, seed newSeed: UInt64? = nil) {
        GSLRuntime.ensureInitialized()
        GSLRuntime.clearLastError()
        guard let r = gsl_rng_clone(other.rng) else {
            fatalError("GSL: gsl_rng_clone failed: \(GSLRuntime.allocationReason(other.name))")
        }
        rng = r
        seed = newSeed ?? other.seed
        span = other.span
        bitsPerDraw = other.bitsPerDraw
        rawIsPowerOfTwo = other.rawIsPowerOfTwo
    }

    deinit { gsl_rng_free(rng) }

    /// The GSL name of the generator type, e.g. "mt19937".
    public var name: String { String(cString: gsl_rng_name(rng)) }

    /// Every generator name GSL knows (valid values for `init(name:seed:)`).
    public static var availableNames: [String] {
        var names: [String] = []
        guard var p = gsl_rng_types_setup() else { return names }
        while let t = p.pointee {
            names.append(String(cString: t.pointee.name))
            p += 1
        }
        return names
    }

    /// Smallest raw value `nextRaw()` can return.
    public var rawMin: UInt { gsl_rng_min(rng) }
    /// Largest raw value `nextRaw()` can return.
    public var rawMax: UInt { gsl_rng_max(rng) }

    /// The next raw integer of the stream, uniform in `rawMin...rawMax` (`gsl_rng_get`). O(1), one GSL call.
    @inlinable @inline(__always)
    public func nextRaw() -> UInt { gsl_rng_get(rng) }

    /// A uniform double in [0, 1) (`gsl_rng_uniform`). O(1), one GSL call.
    @inlinable @inline(__always)
    public func uniform() -> Double { gsl_rng_uniform(rng) }

    /// Fill `buffer` with the next `buffer.count` uniforms on [0, 1): the numbers `uniform()` would
    /// return, in order. Calls the generator type's `get_double` directly (what `gsl_rng_uniform`
    /// does), without the library call around each draw. O(count).
    public func fillUniform(_ buffer: UnsafeMutableBufferPointer<Double>) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        let state = rng.pointee.state
        guard let get = rng.pointee.type.pointee.get_double else {
            for k in 0..<buffer.count { base[k] = gsl_rng_uniform(rng) }
            return
        }
        for k in 0..<buffer.count { base[k] = get(state) }
    }

    /// A uniform double in (0, 1), never 0 — safe for −log(u) (`gsl_rng_uniform_pos`). O(1), one GSL call.
    @inlinable @inline(__always)
    public func uniformPositive() -> Double { gsl_rng_uniform_pos(rng) }

    /// A uniform integer in 0..<n, unbiased, for any n ≥ 1 (n may exceed 2^32).
    ///
    /// One GSL call (`gsl_rng_uniform_int`) when n ≤ `rawMax − rawMin`; otherwise several raw draws (see file header).
    @inlinable @inline(__always)
    public func uniformInt(_ n: Int) -> Int {
        assert(n >= 1, "RandomGenerator.uniformInt: n must be ≥ 1, got \(n)")
        if UInt(bitPattern: n) <= span {
            return Int(bitPattern: gsl_rng_uniform_int(rng, UInt(bitPattern: n)))
        }
        return wideUniformInt(n)
    }

    /// An exponential deviate with the given mean (same units as `mean`; `gsl_ran_exponential`). O(1).
    @inlinable @inline(__always)
    public func exponential(mean: Double) -> Double { gsl_ran_exponential(rng, mean) }

    /// A Poisson deviate with the given mean (`gsl_ran_poisson`; mean < 2³¹). O(1) expected.
    @inlinable @inline(__always)
    public func poisson(mean: Double) -> UInt64 {
        assert(mean >= 0 && mean < 0x1p31, "RandomGenerator.poisson: mean must be in [0, 2^31), got \(mean)")
        return UInt64(gsl_ran_poisson(rng, mean))
    }

    /// A Beta(a, b) deviate on [0, 1] (`gsl_ran_beta`; a, b > 0). O(1) expected.
    @inlinable @inline(__always)
    public func beta(_ a: Double, _ b: Double) -> Double { gsl_ran_beta(rng, a, b) }

    /// A normal deviate with mean 0 and standard deviation `sigma` (`gsl_ran_gaussian_ziggurat`). O(1).
    @inlinable @inline(__always)
    public func gaussian(sigma: Double) -> Double { gsl_ran_gaussian_ziggurat(rng, sigma) }

    /// The exact generator state (raw `gsl_rng_state` bytes and `gsl_rng_name`). O(state size), 5000 B for mt19937.
    public func saveState() -> GeneratorState {
        let size = gsl_rng_size(rng)
        let raw = UnsafeRawBufferPointer(start: gsl_rng_state(rng), count: size)
        return GeneratorState(name: name, bytes: Array(raw))
    }

    /// Restores a state from `saveState()`; the stream then continues exactly as it did after that save.
    ///
    /// - Throws: `GSLError.status` (GSL_EINVAL) if the state is from another generator type, or (GSL_EBADLEN) if its
    ///   byte count differs from this generator's state size. The generator is unchanged when it throws.
    public func restoreState(_ s: GeneratorState) throws {
        let own = name
        guard s.name == own else {
            throw GSLError.invalid("RandomGenerator.restoreState: state is for generator '\(s.name)' but this "
                                   + "generator is '\(own)'")
        }
        let size = gsl_rng_size(rng)
        guard s.bytes.count == size else {
            throw GSLError.invalid("RandomGenerator.restoreState: state of '\(own)' has \(s.bytes.count) bytes, "
                                   + "expected \(size)", code: Int32(GSL_EBADLEN))
        }
        s.bytes.withUnsafeBytes { src in
            UnsafeMutableRawBufferPointer(start: gsl_rng_state(rng), count: size).copyMemory(from: src)
        }
    }

    /// An independent generator in the same state (`gsl_rng_clone`): both then produce the same stream.
    public func copy() -> RandomGenerator { RandomGenerator(cloning: self) }

    /// A generator of the same type started from `seed` (a second, independent stream, e.g. for a
    /// different purpose than this one's). O(state size).
    public func sibling(seed: UInt64) -> RandomGenerator {
        let g = RandomGenerator(cloning: self, seed: seed)
        gsl_rng_set(g.rng, RandomGenerator.gslSeed(seed))
        return g
    }

    // MARK: - Internals

    /// Uniform integer in 0..<n for n > span: concatenate draws into a word of bitWidth(n−1) bits, reject ≥ n.
    @usableFromInline
    func wideUniformInt(_ n: Int) -> Int {
        precondition(n >= 1, "RandomGenerator.uniformInt: n must be ≥ 1, got \(n)")
        let limit = UInt64(n)
        let bits = UInt64.bitWidth - (limit - 1).leadingZeroBitCount
        let mask: UInt64 = bits == 64 ? ~0 : (1 << UInt64(bits)) - 1
        while true {
            var word: UInt64 = 0
            var have = 0
            while have < bits {
                word = (word << UInt64(bitsPerDraw)) | UInt64(drawBits())
                have += bitsPerDraw
            }
            word &= mask
            if word < limit { return Int(word) }
        }
    }

    /// `bitsPerDraw` uniform random bits.
    private func drawBits() -> UInt {
        if rawIsPowerOfTwo { return gsl_rng_get(rng) &- gsl_rng_min(rng) }
        return gsl_rng_uniform_int(rng, 1 << UInt(bitsPerDraw))
    }

    /// GSL seed for a UInt64 seed: s ^ (s >> 32) (see file header).
    static func gslSeed(_ seed: UInt64) -> UInt {
        UInt(truncatingIfNeeded: seed ^ (seed >> 32))
    }

    private static func type(named name: String) -> UnsafePointer<gsl_rng_type>? {
        guard var p = gsl_rng_types_setup() else { return nil }
        while let t = p.pointee {
            if String(cString: t.pointee.name) == name { return t }
            p += 1
        }
        return nil
    }

    private static func rangeInfo(_ r: UnsafeMutablePointer<gsl_rng>) -> (UInt, Int, Bool) {
        let span = gsl_rng_max(r) &- gsl_rng_min(r)
        precondition(span >= 1, "GSL generator \(String(cString: gsl_rng_name(r))) has an empty range")
        if span == UInt.max || span & (span &+ 1) == 0 {
            // span + 1 = 2^b: every raw draw minus min is b uniform bits.
            return (span, UInt.bitWidth - span.leadingZeroBitCount, true)
        }
        // Otherwise draw b = floor(log2(span)) bits at a time through GSL's unbiased rejection (2^b ≤ span).
        return (span, UInt.bitWidth - 1 - span.leadingZeroBitCount, false)
    }
}

/// The exact state of a `RandomGenerator`: its GSL type name and raw state bytes (platform-specific layout; restore
/// only on the same GSL version and architecture).
public struct GeneratorState: Codable, Equatable, Sendable {
    /// GSL generator name, e.g. "mt19937".
    public var name: String
    /// The raw bytes of `gsl_rng_state` (`gsl_rng_size` of them).
    public var bytes: [UInt8]

    /// Creates a state value (normally obtained from `RandomGenerator.saveState()`).
    public init(name: String, bytes: [UInt8]) {
        self.name = name
        self.bytes = bytes
    }
}
