// TEMPORARY: stands in for GSL.RandomGenerator until the GSL module lands on main; same API.
// Delete this file after `git merge main` brings GSL (the module's own type then resolves).
#if !KMC_HAS_GSL
/// Temporary stand-in for `GSL.RandomGenerator` (xoshiro256**), same signatures.
public final class RandomGenerator {
    var s: (UInt64, UInt64, UInt64, UInt64)
    /// Seeded generator.
    public init(name: String = "mt19937", seed: UInt64) throws {
        var x = seed &+ 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            x = x &+ 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s = (next(), next(), next(), next())
        self.name = name
    }
    /// Generator name.
    public let name: String
    @inline(__always) func next() -> UInt64 {
        let r = ((s.1 &* 5) << 7 | (s.1 &* 5) >> 57) &* 9
        let t = s.1 << 17
        s.2 ^= s.0; s.3 ^= s.1; s.1 ^= s.2; s.0 ^= s.3; s.2 ^= t
        s.3 = (s.3 << 45) | (s.3 >> 19)
        return r
    }
    /// [0,1)
    public func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }
    /// (0,1)
    public func uniformPositive() -> Double { (Double(next() >> 11) + 0.5) * 0x1.0p-53 }
    /// 0..<n
    public func uniformInt(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    /// Exponential.
    public func exponential(mean: Double) -> Double { -mean * log(uniformPositive()) }
    /// Gaussian.
    public func gaussian(sigma: Double) -> Double {
        sigma * (-2 * log(uniformPositive())).squareRoot() * cos(2 * Double.pi * uniform())
    }
    /// State.
    public func saveState() -> GeneratorState {
        var b: [UInt8] = []
        for v in [s.0, s.1, s.2, s.3] { for k in 0..<8 { b.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(k)))) } }
        return GeneratorState(name: name, bytes: b)
    }
    /// Restore.
    public func restoreState(_ st: GeneratorState) throws {
        var v = [UInt64](repeating: 0, count: 4)
        for i in 0..<4 { for k in 0..<8 { v[i] |= UInt64(st.bytes[8 * i + k]) << (8 * UInt64(k)) } }
        s = (v[0], v[1], v[2], v[3])
    }
    /// Copy.
    public func copy() -> RandomGenerator { let c = try! RandomGenerator(name: name, seed: 0); c.s = s; return c }
}
/// Temporary stand-in for `GSL.GeneratorState`.
public struct GeneratorState: Codable, Equatable, Sendable { public var name: String; public var bytes: [UInt8] }
#if canImport(Glibc)
import Glibc
#endif
#endif
