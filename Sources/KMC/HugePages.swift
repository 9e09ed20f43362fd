// Large site arrays backed by transparent huge pages.
//
// The hop path touches a few random lines of site arrays of 10–100 MB on a full wire. With 4 KiB
// pages nearly every such access also misses the TLB (a page walk, which a software prefetch has
// to complete before it can start the load). Asking the kernel for 2 MiB pages on these arrays
// (madvise(MADV_HUGEPAGE); Linux "transparent huge pages" in `madvise` mode, the Debian default)
// removes the walks. Elsewhere, or if the kernel declines, the arrays are ordinary.

#if canImport(Glibc)
import Glibc
#endif

extension Array where Element: BitwiseCopyable {
    /// `count` copies of `value`, in storage the kernel is asked to back with huge pages (before
    /// the first touch, so the pages are allocated huge). O(count).
    static func hugePaged(repeating value: Element, count: Int) -> [Element] {
        [Element](unsafeUninitializedCapacity: count) { buffer, initialized in
            adviseHugePages(UnsafeMutableRawBufferPointer(buffer))
            buffer.initialize(repeating: value)
            initialized = count
        }
    }

    /// A copy of `source` in huge-page-backed storage with room for `capacity` elements (appends
    /// up to it stay in that storage). O(count).
    static func hugePaged(copying source: [Element], capacity: Int = 0) -> [Element] {
        [Element](unsafeUninitializedCapacity: Swift.max(source.count, capacity)) { buffer, initialized in
            adviseHugePages(UnsafeMutableRawBufferPointer(buffer))
            _ = buffer.initialize(from: source)
            initialized = source.count
        }
    }
}

/// Ask for huge pages on the whole 2 MiB pages inside `region` (no-op for small regions).
func adviseHugePages(_ region: UnsafeMutableRawBufferPointer) {
    #if os(Linux)
    let huge = 2 << 20
    guard let base = region.baseAddress, region.count >= 2 * huge else { return }
    let start = (Int(bitPattern: base) + huge - 1) & ~(huge - 1)
    let end = (Int(bitPattern: base) + region.count) & ~(huge - 1)
    guard end > start, let p = UnsafeMutableRawPointer(bitPattern: start) else { return }
    _ = madvise(p, end - start, MADV_HUGEPAGE)
    #endif
}
