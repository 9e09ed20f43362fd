// Ewald summation of the Coulomb energy of a fully periodic, possibly triclinic, possibly charged cell
// (Ewald, Ann. Phys. 369, 253 (1921); notation of Frenkel & Smit, Understanding Molecular
// Simulation, 2nd ed., §12.1). With k_e = e²/4πε₀ and charges q_i (e):
//   E_real  = k_e Σ_{i<j, images, r<r_c} q_i q_j erfc(α r)/r                  (in the pair loop)
//   E_recip = k_e (2π/V) Σ_{k≠0, |k|≤K} exp(−k²/4α²)/k² |S(k)|²,  S(k) = Σ_j q_j exp(i k·r_j)
//   E_self  = −k_e (α/√π) Σ_i q_i²
//   E_bg    = −k_e π Q²/(2 V α²),  Q = Σ_i q_i   (uniform neutralising background for charged cells;
//             Hub, de Groot & van der Spoel, JCTC 10, 381 (2014), doi:10.1021/ct400626b)
// k runs over the reciprocal lattice k = 2π(m₁ b₁ + m₂ b₂ + m₃ b₃) (b_i rows of h⁻¹), so that
// k·r = 2π(m₁s₁ + m₂s₂ + m₃s₃) with s the fractional coordinates: exp(i k·r) is built from per-axis
// tables exp(i m 2π s_a), m = 0…M_a, filled by repeated complex multiplication (one sin/cos pair
// per atom and axis), and conjugated for m < 0. Only half of k-space is stored (k and −k give the
// same |S|²) and the sum is doubled.
// Forces: F_j = Σ_{half} 2 A_k q_j Im(S(k)* exp(i k·r_j)) k,  A_k = k_e (4π/V) exp(−k²/4α²)/k².
// Virial (W = −∂E/∂ε for a homogeneous strain ε, fractional coordinates fixed):
//   W_recip,ab = Σ_half A_k |S|² [δ_ab − 2 (1/k² + 1/4α²) k_a k_b],  W_bg = E_bg δ,  W_self = 0.
//
// Parameter choice from a requested relative accuracy ε (force error relative to
// F_ref = k_e e²/Å², the force between two unit charges 1 Å apart — LAMMPS's convention for
// kspace_modify accuracy), using the RMS force-error estimates of Kolafa & Perram,
// Mol. Simul. 9, 351 (1992), doi:10.1080/08927029208049126, for N atoms, Σq², volume V, L = V^{1/3}:
//   ΔF_real  ≈ k_e 2Σq² / √(N r_c V) · exp(−α² r_c²)
//   ΔF_recip ≈ k_e 2Σq² α / L · 1/√(π M N) · exp(−(π M/(α L))²),  M = K L/(2π)
// Each is set to ε F_ref/√2 (so the combined RMS error is ≤ ε F_ref): α from the first for the
// given r_c, then K from the second by bisection. The energy error is of the same relative order.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CekmcCore

/// Ewald splitting and cutoffs.
public struct EwaldParameters: Sendable, Equatable, Codable {
    /// Splitting parameter α in Å⁻¹.
    public var alpha: Double
    /// Real-space cutoff r_c in Å.
    public var realCutoff: Double
    /// Reciprocal-space cutoff K in Å⁻¹ (k includes the 2π): vectors with 0 < |k| ≤ K are summed.
    public var kCutoff: Double
    public init(alpha: Double, realCutoff: Double, kCutoff: Double) {
        self.alpha = alpha; self.realCutoff = realCutoff; self.kCutoff = kCutoff
    }

    /// Kolafa–Perram RMS real-space force error in eV/Å.
    public static func realSpaceForceError(alpha: Double, cutoff: Double, count: Int, sumQ2: Double, volume: Double) -> Double {
        Constants.coulomb_eV_A * 2 * sumQ2 / (Double(count) * cutoff * volume).squareRoot() * exp(-alpha * alpha * cutoff * cutoff)
    }

    /// Kolafa–Perram RMS reciprocal-space force error in eV/Å (isotropic estimate with L = V^{1/3}).
    public static func reciprocalForceError(alpha: Double, kCutoff: Double, count: Int, sumQ2: Double, volume: Double) -> Double {
        let l = cbrt(volume)
        let m = kCutoff * l / (2 * Double.pi)
        guard m > 0 else { return .infinity }
        return Constants.coulomb_eV_A * 2 * sumQ2 * alpha / l / (Double.pi * m * Double(count)).squareRoot()
            * exp(-kCutoff * kCutoff / (4 * alpha * alpha))
    }

    /// Chooses α and K for relative force accuracy `accuracy` (see the file header) at real-space
    /// cutoff `realCutoff` (Å), for `count` atoms with Σq² = `sumQ2` (e²) in volume `volume` (Å³).
    /// - Throws: `ForceFieldError.invalidParameter` for accuracy outside (0, 0.1) or a bad cutoff.
    public static func choose(accuracy: Double, realCutoff: Double, count: Int, sumQ2: Double, volume: Double) throws -> EwaldParameters {
        guard accuracy > 0, accuracy < 0.1 else {
            throw ForceFieldError.invalidParameter(component: "ewald", key: "accuracy", value: "\(accuracy)", allowed: "0 < accuracy < 0.1 (relative to k_e e²/Å²)")
        }
        guard realCutoff > 0, realCutoff.isFinite else {
            throw ForceFieldError.invalidParameter(component: "ewald", key: "cutoff", value: "\(realCutoff)", allowed: "finite > 0 Å")
        }
        let target = accuracy / 2.0.squareRoot()      // in units of k_e e²/Å²
        let n = max(count, 1)
        let q2 = max(sumQ2, 1e-300)
        let x = target * (Double(n) * realCutoff * volume).squareRoot() / (2 * q2)
        // α r_c at least 1 (x ≥ e⁻¹ only for nearly uncharged systems, where any α is accurate).
        let alpha = max(1, (-log(min(x, 1))).squareRoot()) / realCutoff
        // K: smallest with ΔF_recip ≤ target·k_e (ΔF_recip decreases monotonically in K).
        let goal = target * Constants.coulomb_eV_A
        var lo = 1e-6, hi = 2 * alpha
        while reciprocalForceError(alpha: alpha, kCutoff: hi, count: n, sumQ2: q2, volume: volume) > goal { hi *= 2 }
        for _ in 0..<100 {
            let mid = 0.5 * (lo + hi)
            if reciprocalForceError(alpha: alpha, kCutoff: mid, count: n, sumQ2: q2, volume: volume) > goal { lo = mid } else { hi = mid }
        }
        return EwaldParameters(alpha: alpha, realCutoff: realCutoff, kCutoff: hi)
    }

    /// JSON keys: snake_case with the unit in the name (one style for every command's JSON).
    enum CodingKeys: String, CodingKey {
        case alpha = "alpha_per_A"
        case realCutoff = "real_cutoff_A"
        case kCutoff = "k_cutoff_per_A"
    }
}

extension EwaldParameters {
    /// Cost of one reciprocal-space (k-vector × atom) term relative to one Verlet-list pair of the
    /// real-space loop, measured on the 2400-atom wz cell (1.35 ns vs 24 ns, 2026-11).
    public static let reciprocalToPairCost = 0.056

    /// Chooses the real-space cutoff in `minCutoff...maxCutoff` (Å, 0.1 Å steps) that minimises the
    /// estimated cost per atom ρ(2π/3)(r_c + skin)³ + c·N_k(r_c) at relative accuracy `accuracy`
    /// (α and K from `choose` at each r_c; N_k = K³V/(12π²) half-space vectors; c =
    /// `reciprocalToPairCost`). Falls back to `minCutoff` when the interval is empty.
    public static func chooseBalanced(accuracy: Double, minCutoff: Double, maxCutoff: Double, skin: Double,
                                      count: Int, sumQ2: Double, volume: Double) throws -> EwaldParameters {
        var best = try choose(accuracy: accuracy, realCutoff: minCutoff, count: count, sumQ2: sumQ2, volume: volume)
        guard maxCutoff > minCutoff else { return best }
        let rho = Double(count) / volume
        func cost(_ p: EwaldParameters) -> Double {
            let rl = p.realCutoff + skin
            return rho * (2 * Double.pi / 3) * rl * rl * rl
                + reciprocalToPairCost * pow(p.kCutoff, 3) * volume / (12 * Double.pi * Double.pi)
        }
        var bestCost = cost(best)
        var i = 1
        while minCutoff + 0.1 * Double(i) <= maxCutoff {
            let rc = ((minCutoff + 0.1 * Double(i)) * 10).rounded() / 10
            let p = try choose(accuracy: accuracy, realCutoff: rc, count: count, sumQ2: sumQ2, volume: volume)
            let c = cost(p)
            if c < bestCost { best = p; bestCost = c }
            i += 1
        }
        return best
    }
}

/// Reciprocal-space part of the Ewald sum for one cell: k-vector list and prefactors precomputed
/// at init, structure factors by per-axis incremental exp(i m 2π s) tables.
///
/// Cost per evaluation O(N · N_k), N_k ≈ (2π/3) K³ V/(2π)³ stored (half-space) vectors; memory
/// O(N · (M₁+M₂+M₃)) for the tables.
public struct EwaldReciprocal: Sendable {
    /// Splitting parameter α (Å⁻¹).
    public let alpha: Double
    /// Reciprocal cutoff K (Å⁻¹).
    public let kCutoff: Double
    /// Cell geometry the k-vectors were built for.
    public let geometry: CellGeometry
    /// Largest |m| along each axis.
    public let mMax: SIMD3<Int>
    /// Number of half-space k-vectors.
    public private(set) var kCount: Int = 0

    // Per k (half space): Cartesian k (Å⁻¹), A_k (eV·Å·e⁻²… i.e. multiplies q² products), virial factor.
    // Entries e pair k₊ = (m₁, m₂, +|m₃|) and k₋ = (m₁, m₂, −|m₃|): index 2e for k₊, 2e+1 for k₋, with
    // A = 0 when that vector is outside the sphere or the half space (its work is then wasted, not wrong).
    private var kx: [Double] = [], ky: [Double] = [], kz: [Double] = []
    private var prefactor: [Double] = []
    private var virialFactor: [Double] = []
    private var m3: [Int32] = []          // |m₃| per entry
    // Groups of consecutive entries sharing (m1, m2).
    private var groupM1: [Int32] = [], groupM2: [Int32] = [], groupStart: [Int32] = [0]
    // Scratch: per-axis tables (m-major, N per row), products.
    private var cosT: [[Double]] = [[], [], []], sinT: [[Double]] = [[], [], []]
    private var pr: [Double] = [], pi: [Double] = []
    private var acc: [Double] = []   // g₁, g₂, g₃, G, H (N each)

    /// Builds the k-vector list for `geometry` (must be fully periodic). O(M₁M₂M₃).
    public init(alpha: Double, kCutoff: Double, geometry: CellGeometry) {
        self.alpha = alpha; self.kCutoff = kCutoff; self.geometry = geometry
        let twoPi = 2 * Double.pi
        let b1 = twoPi * geometry.ra, b2 = twoPi * geometry.rb, b3 = twoPi * geometry.rc
        // |m_a| ≤ K/|k-spacing perpendicular| = K w_a / 2π bounds every vector inside the sphere.
        let mm = SIMD3<Int>(Int((kCutoff * geometry.widths.x / twoPi).rounded(.down)),
                            Int((kCutoff * geometry.widths.y / twoPi).rounded(.down)),
                            Int((kCutoff * geometry.widths.z / twoPi).rounded(.down)))
        mMax = mm
        let k2max = kCutoff * kCutoff
        let inv4a2 = 1 / (4 * alpha * alpha)
        let pre = Constants.coulomb_eV_A * 4 * Double.pi / geometry.volume
        for i1 in 0...mm.x {
            let lo2 = i1 == 0 ? 0 : -mm.y
            for i2 in lo2...mm.y {
                var any = false
                for i3 in 0...mm.z {
                    var a = [0.0, 0.0], bf = [0.0, 0.0]
                    var kv = [SIMD3<Double>.zero, .zero]
                    for (slot, sign) in [(0, 1), (1, -1)] {
                        let m = sign * i3
                        if slot == 1 && i3 == 0 { continue }                       // m₃ = 0 counted once
                        if i1 == 0 && i2 == 0 && m <= 0 { continue }               // half space
                        let k = Double(i1) * b1 + Double(i2) * b2 + Double(m) * b3
                        let k2 = (k * k).sum()
                        if k2 > k2max || k2 == 0 { continue }
                        a[slot] = pre * exp(-k2 * inv4a2) / k2
                        bf[slot] = 2 * (1 / k2 + inv4a2)
                        kv[slot] = k
                        kCount += 1
                    }
                    if a[0] == 0 && a[1] == 0 { continue }
                    for slot in 0..<2 {
                        kx.append(kv[slot].x); ky.append(kv[slot].y); kz.append(kv[slot].z)
                        prefactor.append(a[slot]); virialFactor.append(bf[slot])
                    }
                    m3.append(Int32(i3))
                    any = true
                }
                if any {
                    groupM1.append(Int32(i1)); groupM2.append(Int32(i2)); groupStart.append(Int32(m3.count))
                }
            }
        }
    }

    /// Reciprocal energy (eV); adds forces (eV/Å) into `forces` and the virial into `virial`.
    /// `charges` in e. O(N · N_k).
    public mutating func evaluate(positions: UnsafeBufferPointer<SIMD3<Double>>, charges: UnsafeBufferPointer<Double>,
                                  forces: UnsafeMutableBufferPointer<SIMD3<Double>>, virial: inout VirialTensor) -> Double {
        let n = positions.count
        if n == 0 || kx.isEmpty { return 0 }
        // Per-axis tables exp(i m θ), θ = 2π s_a, stored m-major.
        for axis in 0..<3 {
            let mA = mMax[axis]
            let size = (mA + 1) * n
            if cosT[axis].count != size {
                cosT[axis] = [Double](repeating: 0, count: size); sinT[axis] = [Double](repeating: 0, count: size)
            }
        }
        if pr.count != n {
            pr = [Double](repeating: 0, count: n); pi = pr
        }
        let g = geometry
        for axis in 0..<3 {
            let mA = mMax[axis]
            let rrow = axis == 0 ? g.ra : (axis == 1 ? g.rb : g.rc)
            cosT[axis].withUnsafeMutableBufferPointer { c in
                sinT[axis].withUnsafeMutableBufferPointer { s in
                    for j in 0..<n {
                        let theta = 2 * Double.pi * (rrow * positions[j]).sum()
                        c[j] = 1; s[j] = 0
                        if mA >= 1 {
                            let c1 = cos(theta), s1 = sin(theta)
                            c[n + j] = c1; s[n + j] = s1
                            var m = 2
                            while m <= mA {
                                let pc = c[(m - 1) * n + j], ps = s[(m - 1) * n + j]
                                c[m * n + j] = pc * c1 - ps * s1
                                s[m * n + j] = pc * s1 + ps * c1
                                m += 1
                            }
                        }
                    }
                }
            }
        }
        var energy = 0.0
        var wDiag = SIMD3<Double>.zero, wOff = SIMD3<Double>.zero   // (xy, xz, yz)
        let groups = groupM1.count
        if acc.count != 5 * n { acc = [Double](repeating: 0, count: 5 * n) } else { for j in 0..<(5 * n) { acc[j] = 0 } }
        // Force accumulation in reciprocal-lattice components: F_j = Σ_k c_kj k with
        // k = m₁B₁ + m₂B₂ + m₃B₃ (B_i = 2π b_i), so F_j = B₁ Σ c m₁ + B₂ Σ c m₂ + B₃ Σ c m₃. Within a
        // (m₁, m₂) group only G_j = Σ c and H_j = Σ c m₃ are accumulated (contiguous scalar arrays).
        cosT[0].withUnsafeBufferPointer { c1t in sinT[0].withUnsafeBufferPointer { s1t in
        cosT[1].withUnsafeBufferPointer { c2t in sinT[1].withUnsafeBufferPointer { s2t in
        cosT[2].withUnsafeBufferPointer { c3t in sinT[2].withUnsafeBufferPointer { s3t in
        pr.withUnsafeMutableBufferPointer { pR in pi.withUnsafeMutableBufferPointer { pI in
        acc.withUnsafeMutableBufferPointer { ac in
        kx.withUnsafeBufferPointer { kX in ky.withUnsafeBufferPointer { kY in kz.withUnsafeBufferPointer { kZ in
        prefactor.withUnsafeBufferPointer { aK in virialFactor.withUnsafeBufferPointer { bK in
        m3.withUnsafeBufferPointer { m3p in
            let g1 = ac.baseAddress!, g2 = g1 + n, g3 = g2 + n, gG = g3 + n, gH = gG + n
            let pr = pR.baseAddress!, pim = pI.baseAddress!
            for grp in 0..<groups {
                let i1 = Int(groupM1[grp]), i2 = Int(groupM2[grp])
                let c1 = c1t.baseAddress! + i1 * n, s1 = s1t.baseAddress! + i1 * n
                let c2 = c2t.baseAddress! + abs(i2) * n, s2 = s2t.baseAddress! + abs(i2) * n
                let sg2: Double = i2 < 0 ? -1 : 1
                // P_j = q_j exp(i(m₁θ₁ + m₂θ₂)).
                for j in 0..<n {
                    let bs = sg2 * s2[j]
                    pr[j] = charges[j] * (c1[j] * c2[j] - s1[j] * bs)
                    pim[j] = charges[j] * (c1[j] * bs + s1[j] * c2[j])
                }
                for e in Int(groupStart[grp])..<Int(groupStart[grp + 1]) {
                    let i3 = Int(m3p[e])
                    let c3 = c3t.baseAddress! + i3 * n, s3 = s3t.baseAddress! + i3 * n
                    // T±_j = P_j exp(±i m₃θ₃); S± = Σ T±_j. Products shared between the two signs.
                    var spr = 0.0, spi = 0.0, smr = 0.0, smi = 0.0
                    for j in 0..<n {
                        let a = pr[j] * c3[j], b = pim[j] * s3[j], c = pr[j] * s3[j], d = pim[j] * c3[j]
                        spr += a - b; spi += c + d
                        smr += a + b; smi += d - c
                    }
                    let ap = aK[2 * e], am = aK[2 * e + 1]
                    let ep = ap * (spr * spr + spi * spi), em = am * (smr * smr + smi * smi)
                    energy += ep + em
                    let kp = SIMD3(kX[2 * e], kY[2 * e], kZ[2 * e]), km = SIMD3(kX[2 * e + 1], kY[2 * e + 1], kZ[2 * e + 1])
                    let bp = bK[2 * e], bm = bK[2 * e + 1]
                    let offP = SIMD3<Double>(kp.x * kp.y, kp.x * kp.z, kp.y * kp.z)
                    let offM = SIMD3<Double>(km.x * km.y, km.x * km.z, km.y * km.z)
                    let diagP: SIMD3<Double> = ep * (1 - bp * kp * kp)
                    let diagM: SIMD3<Double> = em * (1 - bm * km * km)
                    wDiag += diagP + diagM
                    wOff -= (ep * bp) * offP + (em * bm) * offM
                    // c±_j = 2A± Im(S±* T±_j) (T carries q_j); G += c₊ + c₋, H += |m₃|(c₊ − c₋).
                    let prr = 2 * ap * spr, pii = 2 * ap * spi, mrr = 2 * am * smr, mii = 2 * am * smi
                    let m = Double(i3)
                    for j in 0..<n {
                        let a = pr[j] * c3[j], b = pim[j] * s3[j], c = pr[j] * s3[j], d = pim[j] * c3[j]
                        let cp = prr * (c + d) - pii * (a - b)
                        let cm = mrr * (d - c) - mii * (a + b)
                        gG[j] += cp + cm
                        gH[j] += m * (cp - cm)
                    }
                }
                let m1 = Double(i1), m2 = Double(i2)
                for j in 0..<n {
                    g1[j] += m1 * gG[j]; g2[j] += m2 * gG[j]; g3[j] += gH[j]
                    gG[j] = 0; gH[j] = 0
                }
            }
            let twoPi = 2 * Double.pi
            let b1 = twoPi * g.ra, b2 = twoPi * g.rb, b3 = twoPi * g.rc
            for j in 0..<n { forces[j] += g1[j] * b1 + g2[j] * b2 + g3[j] * b3 }
        } } } } } } } } } } } } } } }
        virial.diagonal += wDiag
        virial.offDiagonal += wOff
        return energy
    }
}
