// Uniform deviates drawn from a GSL generator in blocks, so the engine can look ahead.
//
// The engine consumes uniforms in a fixed order (time, selection, ramp acceptance), so the value a
// future event will use is known a few events early; `peek` exposes it and the engine prefetches
// that event's data (see `Engine`). The block only changes when numbers are drawn from the
// generator, never which numbers are used: the sequence consumed is the generator's own sequence.
// The unconsumed part of the block is part of the state and goes into checkpoints (`backlog`).

import GSL

/// Buffered uniform deviates on [0, 1) from one `RandomGenerator`. Value type around the shared
/// generator; `next` is O(1) amortised (the generator is called in blocks of `block`).
public struct UniformStream {
    /// The generator that supplies every number.
    public let rng: RandomGenerator
    /// Drawn numbers; `buffer[pos ..< end]` are not yet consumed.
    var buffer: [Double]
    var pos = 0
    var end = 0
    /// Numbers consumed by this value since it was made (a position for caches; not state).
    public internal(set) var consumed: UInt64 = 0
    /// Numbers guaranteed available to `peek` (0 ..< lookAhead).
    public static let lookAhead = 64
    /// Numbers drawn per refill.
    static let block = 256

    /// A stream with nothing drawn yet.
    public init(rng: RandomGenerator) {
        self.rng = rng
        buffer = [Double](repeating: 0, count: UniformStream.block + UniformStream.lookAhead)
    }

    /// Move the unconsumed numbers to the front and draw until the buffer is full.
    @inline(never)
    mutating func refill() {
        let r = rng
        var p = pos, e = end
        buffer.withUnsafeMutableBufferPointer { b in UniformStream.refill(b, pos: &p, end: &e, rng: r) }
        pos = p
        end = e
    }

    /// `refill` on the buffer's storage (for code that holds the buffer's pointer already).
    @inline(never)
    static func refill(_ b: UnsafeMutableBufferPointer<Double>, pos: inout Int, end: inout Int, rng r: RandomGenerator) {
        let left = end - pos
        for k in 0..<left { b[k] = b[pos + k] }
        r.fillUniform(UnsafeMutableBufferPointer(rebasing: b[left...]))
        pos = 0
        end = b.count
    }

    /// The next uniform on [0, 1).
    @inline(__always)
    public mutating func next() -> Double {
        if end - pos < UniformStream.lookAhead { refill() }
        let u = buffer[pos]
        pos += 1
        consumed &+= 1
        return u
    }

    /// The next uniform on (0, 1) (zeros are skipped, as `gsl_rng_uniform_pos` does).
    @inline(__always)
    public mutating func nextPositive() -> Double {
        while true {
            let u = next()
            if u > 0 { return u }
        }
    }

    /// The uniform `k` draws ahead of the next one (`k` < `lookAhead`), without consuming it
    /// (drawing more from the generator first if needed, which does not change the sequence).
    @inline(__always)
    public mutating func peek(_ k: Int) -> Double {
        precondition(k < UniformStream.lookAhead)
        if pos + k >= end { refill() }
        return buffer[pos + k]
    }

    /// Drawn but unconsumed numbers (bit patterns), oldest first: with the generator state they
    /// determine the rest of the sequence.
    public var backlog: [UInt64] { buffer[pos..<end].map(\.bitPattern) }

    /// Replace the unconsumed numbers (restart; the generator state is restored separately).
    public mutating func restore(backlog: [UInt64]) throws {
        guard backlog.count <= buffer.count else { throw CheckpointError("checkpoint holds \(backlog.count) buffered uniforms, at most \(buffer.count) are possible") }
        for (k, b) in backlog.enumerated() {
            let u = Double(bitPattern: b)
            guard u >= 0 && u < 1 else { throw CheckpointError("checkpoint buffered uniform \(k) is \(u), not in [0, 1)") }
            buffer[k] = u
        }
        pos = 0
        end = backlog.count
    }
}
