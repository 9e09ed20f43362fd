// Shared helpers for the Geometry tests: minimum-image distances and brute-force coordination.
import Testing
@testable import Geometry

/// Minimum-image distance (Å) between positions i and j of `sites`, scanning images −1…1 along
/// the periodic axes (valid for cells wider than twice the distances asked about).
func minImageDistance(_ sites: SiteList, _ i: Int, _ j: Int) -> Double {
    let box = sites.box
    var best = Double.infinity
    for a in -1 ... 1 where a == 0 || box.periodic.0 {
        for b in -1 ... 1 where b == 0 || box.periodic.1 {
            for c in -1 ... 1 where c == 0 || box.periodic.2 {
                let dv = sites.positions[j] + Double(a) * box.a + Double(b) * box.b + Double(c) * box.c - sites.positions[i]
                best = min(best, (dv * dv).sum().squareRoot())
            }
        }
    }
    return best
}

/// Sorted distances from site `i` to all sites of `kinds` within `rmax` (brute force).
func distances(_ sites: SiteList, from i: Int, to kinds: [SiteKind], rmax: Double) -> [Double] {
    var out: [Double] = []
    for k in kinds {
        for j in sites.range(of: k) where j != i {
            let r = minImageDistance(sites, i, j)
            if r <= rmax { out.append(r) }
        }
    }
    return out.sorted()
}

/// Asserts that `got` equals the multiset `expected` (value, multiplicity) within `tol` Å.
func expectShell(_ got: [Double], _ expected: [(Double, Int)], tol: Double = 1e-9,
                 _ what: String = "", sourceLocation: SourceLocation = #_sourceLocation) {
    var want: [Double] = []
    for (v, n) in expected { want.append(contentsOf: repeatElement(v, count: n)) }
    want.sort()
    #expect(got.count == want.count, "\(what): \(got) vs \(want)", sourceLocation: sourceLocation)
    guard got.count == want.count else { return }
    for (g, w) in zip(got, want) {
        #expect(abs(g - w) <= tol, "\(what): \(g) vs \(w)", sourceLocation: sourceLocation)
    }
}
