// Tests of RandomGenerator: reference values, reproducibility, exact state save/restore, and the distributions'
// moments against theory within 5 standard errors (fixed seeds, so each check is deterministic but can fail).
import Foundation
import GSL  // deliberately not @testable and no CGSL: this file is a plain client of the @inlinable hot path.
import Testing

/// Sample mean and (unbiased) variance.
private func moments(_ xs: [Double]) -> (mean: Double, variance: Double) {
    let n = Double(xs.count)
    let mean = xs.reduce(0, +) / n
    let variance = xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
    return (mean, variance)
}

private let namedGenerators = ["mt19937", "ranlxd2", "taus2"]

@Suite struct RandomGeneratorTests {
    @Test func mt19937ReferenceValuesForSeed5489() throws {
        // The reference output of MT19937 (Matsumoto & Nishimura, seed 5489) as produced by GSL's gsl_rng_get.
        let rng = try RandomGenerator(name: "mt19937", seed: 5489)
        #expect(rng.name == "mt19937")
        #expect([rng.nextRaw(), rng.nextRaw(), rng.nextRaw()] == [3_499_211_612, 581_869_302, 3_890_346_734])
    }

    @Test func defaultGeneratorIsMT19937() throws {
        #expect(try RandomGenerator(seed: 1).name == "mt19937")
    }

    @Test(arguments: namedGenerators)
    func sameSeedSameStream(name: String) throws {
        let a = try RandomGenerator(name: name, seed: 20_231_105)
        let b = try RandomGenerator(name: name, seed: 20_231_105)
        let c = try RandomGenerator(name: name, seed: 20_231_106)
        let sa = (0..<2000).map { _ in a.uniform() }
        let sb = (0..<2000).map { _ in b.uniform() }
        let sc = (0..<2000).map { _ in c.uniform() }
        #expect(sa == sb)
        #expect(sa != sc)
        #expect(sa.allSatisfy { $0 >= 0 && $0 < 1 })
    }

    @Test(arguments: namedGenerators)
    func fillUniformDrawsTheSameNumbersAsUniform(name: String) throws {
        // The block fill (used by the KMC engine) must continue the stream exactly as single draws do.
        let a = try RandomGenerator(name: name, seed: 4242)
        let b = try RandomGenerator(name: name, seed: 4242)
        let single = (0..<1000).map { _ in a.uniform() }
        var block = [Double](repeating: -1, count: 1000)
        block.withUnsafeMutableBufferPointer { p in
            b.fillUniform(UnsafeMutableBufferPointer(rebasing: p[0..<300]))
            b.fillUniform(UnsafeMutableBufferPointer(rebasing: p[300..<1000]))
        }
        #expect(block == single)
        #expect(a.uniform() == b.uniform())
    }

    @Test(arguments: namedGenerators)
    func seedsDifferingAbove32BitsGiveDifferentStreams(name: String) throws {
        // The generators use 32-bit seeds; the s ^ (s >> 32) folding keeps such seeds apart.
        let a = try RandomGenerator(name: name, seed: 7)
        let b = try RandomGenerator(name: name, seed: 7 + (1 << 32))
        #expect((0..<10).map { _ in a.nextRaw() } != (0..<10).map { _ in b.nextRaw() })
    }

    @Test(arguments: namedGenerators)
    func saveDrawRestoreDrawIsIdentical(name: String) throws {
        let rng = try RandomGenerator(name: name, seed: 99)
        for _ in 0..<1234 { _ = rng.uniform() }
        let state = rng.saveState()
        #expect(state.name == name)
        let first = (0..<500).map { _ in rng.nextRaw() }
        try rng.restoreState(state)
        let second = (0..<500).map { _ in rng.nextRaw() }
        #expect(first == second)

        // Through Codable (a checkpoint file) and into a fresh generator seeded differently.
        let decoded = try JSONDecoder().decode(GeneratorState.self, from: JSONEncoder().encode(state))
        #expect(decoded == state)
        let other = try RandomGenerator(name: name, seed: 1)
        try other.restoreState(decoded)
        #expect((0..<500).map { _ in other.nextRaw() } == first)
    }

    @Test func copyContinuesTheSameStreamIndependently() throws {
        let rng = try RandomGenerator(name: "taus2", seed: 42)
        for _ in 0..<10 { _ = rng.nextRaw() }
        let twin = rng.copy()
        #expect(twin.name == "taus2" && twin.seed == 42)
        let a = (0..<100).map { _ in rng.nextRaw() }
        let b = (0..<100).map { _ in twin.nextRaw() }
        #expect(a == b)
        _ = rng.nextRaw()  // advancing one must not advance the other: the streams are now offset by one
        let c = (0..<100).map { _ in rng.nextRaw() }
        let d = (0..<101).map { _ in twin.nextRaw() }
        #expect(c == Array(d.dropFirst()))
    }

    @Test func restoreIntoWrongGeneratorTypeThrows() throws {
        let mt = try RandomGenerator(name: "mt19937", seed: 3)
        let taus = try RandomGenerator(name: "taus2", seed: 3)
        let before = taus.saveState()
        #expect(throws: GSLError.self) { try taus.restoreState(mt.saveState()) }
        #expect(taus.saveState() == before)  // unchanged after the failed restore
        var truncated = mt.saveState()
        truncated.bytes.removeLast()
        #expect(throws: GSLError.self) { try mt.restoreState(truncated) }
        do {
            try taus.restoreState(mt.saveState())
        } catch let GSLError.status(code, reason, _, _) {
            #expect(code == 4)  // GSL_EINVAL
            #expect(reason.contains("mt19937") && reason.contains("taus2"))
        }
    }

    @Test func unknownGeneratorNameListsAllowedNames() throws {
        #expect(RandomGenerator.availableNames.contains("ranlxd2"))
        do {
            _ = try RandomGenerator(name: "mt19973", seed: 1)
            Issue.record("expected unknownGenerator")
        } catch let GSLError.unknownGenerator(name, allowed) {
            #expect(name == "mt19973")
            #expect(Set(namedGenerators).isSubset(of: allowed))
        }
    }

    @Test func exponentialMeanAndVarianceMatchTheory() throws {
        // Exp(mean μ): E = μ, Var = μ²; SE(mean) = μ/√n, SE(s²) = √((μ₄ − σ⁴)/n) = μ²√(8/n).
        let rng = try RandomGenerator(name: "mt19937", seed: 2024)
        let mu = 2.5, n = 200_000
        let xs = (0..<n).map { _ in rng.exponential(mean: mu) }
        let (mean, variance) = moments(xs)
        #expect(abs(mean - mu) < 5 * mu / Double(n).squareRoot())
        #expect(abs(variance - mu * mu) < 5 * mu * mu * (8 / Double(n)).squareRoot())
        #expect(xs.allSatisfy { $0 >= 0 })
    }

    @Test func gaussianMeanAndVarianceMatchTheory() throws {
        // N(0, σ²): SE(mean) = σ/√n, SE(s²) = σ²√(2/n); the fraction beyond 2σ is 4.550 %, SE √(p(1−p)/n).
        let rng = try RandomGenerator(name: "taus2", seed: 77)
        let sigma = 1.7, n = 200_000
        let xs = (0..<n).map { _ in rng.gaussian(sigma: sigma) }
        let (mean, variance) = moments(xs)
        #expect(abs(mean) < 5 * sigma / Double(n).squareRoot())
        #expect(abs(variance - sigma * sigma) < 5 * sigma * sigma * (2 / Double(n)).squareRoot())
        let p = 0.045_500_263_896_358_4
        let tail = Double(xs.filter { abs($0) > 2 * sigma }.count) / Double(n)
        #expect(abs(tail - p) < 5 * (p * (1 - p) / Double(n)).squareRoot())
    }

    @Test func uniformPositiveIsNeverZero() throws {
        // "uni" has 15-bit resolution, so uniform() hits 0 about once per 32767 draws: the check below can fail.
        let coarse = try RandomGenerator(name: "uni", seed: 5)
        let n = 1_000_000
        let zerosUniform = (0..<n).reduce(0) { c, _ in c + (coarse.uniform() == 0 ? 1 : 0) }
        #expect(zerosUniform > 0)
        let positives = (0..<n).map { _ in coarse.uniformPositive() }
        #expect(positives.allSatisfy { $0 > 0 && $0 < 1 })
        let mt = try RandomGenerator(name: "mt19937", seed: 5)
        #expect((0..<n).allSatisfy { _ in
            let u = mt.uniformPositive()
            return u > 0 && u < 1 && (-log(u)).isFinite
        })
    }

    @Test func uniformIntSmallNIsUniform() throws {
        // χ² of a 6-bin histogram (5 dof: mean 5, sd √10); 5 + 5·√10 ≈ 20.8.
        let rng = try RandomGenerator(name: "mt19937", seed: 11)
        let n = 6, draws = 60_000
        var counts = [Int](repeating: 0, count: n)
        for _ in 0..<draws { counts[rng.uniformInt(n)] += 1 }
        let expected = Double(draws) / Double(n)
        let chi2 = counts.reduce(0.0) { $0 + (Double($1) - expected) * (Double($1) - expected) / expected }
        #expect(chi2 < 5 + 5 * 10.0.squareRoot())
        #expect(try RandomGenerator(seed: 1).uniformInt(1) == 0)
    }

    @Test(arguments: [
        ("mt19937", 3 * (1 << 33) + 12_345),  // raw 32-bit words concatenated
        ("mt19937", 1 << 32),                 // first n beyond gsl_rng_uniform_int's limit 2^32 − 1
        ("ran0", (1 << 40) + 1),              // range 2^31 − 2 (not a power of two): GSL-rejected 30-bit chunks
    ])
    func uniformIntBeyond32BitsIsInRangeAndUnbiased(name: String, n: Int) throws {
        // Uniform on 0..<n: mean (n−1)/2, sd n/√12; fraction below n/3 is 1/3 (a modulo bias would shift it).
        let rng = try RandomGenerator(name: name, seed: 31_415)
        let draws = 200_000
        let xs = (0..<draws).map { _ in rng.uniformInt(n) }
        #expect(xs.allSatisfy { $0 >= 0 && $0 < n })
        let nd = Double(n)
        let mean = xs.reduce(0.0) { $0 + Double($1) } / Double(draws)
        #expect(abs(mean - (nd - 1) / 2) < 5 * nd / (12 * Double(draws)).squareRoot())
        let low = Double(xs.filter { $0 < n / 3 }.count) / Double(draws)
        #expect(abs(low - 1.0 / 3) < 5 * (2.0 / 9 / Double(draws)).squareRoot())
    }
}
