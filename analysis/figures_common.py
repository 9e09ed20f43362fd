"""Helpers shared by the figure scripts: probe blur, pixel rebinning, counting noise, EDS colour
maps, snapshot selection and seed aggregation (numpy only; matplotlib is imported lazily).

Maps are (n_z, n_u) arrays: rows along the wire axis z, columns across the wire (u), square bins of
bin_nm. A "map frame" dict carries such an array together with its geometry:
  {"image": 2-D array, "bin_nm": float, "u_min_nm": float, "z_min_nm": float}
so that blurring (which widens the array) and rebinning (which changes the bin) keep the nm axes right.

The probe: an EDS map is the projected atom density seen through a beam of finite size. Each atom
is splatted with a normalised 2-D Gaussian of full width at half maximum FWHM (σ = FWHM / √(8 ln 2)),
sampled at the bin centres and truncated at 4 σ. With bins finer than FWHM / 3 the sampled kernel
is smooth, and the cation planes (0.33–0.35 nm apart) blur into a uniform density; coarser bins
alias the plane period into stripes that no blur removes.
"""
from __future__ import annotations

import os
import sys

import numpy as np

class NoData(ValueError):
    """The input file exists but holds nothing to plot (e.g. a header without rows)."""


FWHM_PER_SIGMA = float(np.sqrt(8.0 * np.log(2.0)))  # 2.3548…
TRUNCATE_SIGMA = 4.0


def gaussian_kernel_1d(sigma_bins, truncate=TRUNCATE_SIGMA):
    """Normalised 1-D Gaussian sampled at integer offsets −h…h, h = ceil(truncate · σ) (σ in bins).

    σ = 0 gives the identity kernel [1.0]. The weights sum to 1 (to rounding)."""
    if sigma_bins < 0 or not np.isfinite(sigma_bins):
        raise ValueError(f"Gaussian σ must be finite and ≥ 0, got {sigma_bins}")
    if sigma_bins == 0:
        return np.ones(1)
    h = int(np.ceil(truncate * sigma_bins))
    x = np.arange(-h, h + 1, dtype=float)
    w = np.exp(-0.5 * (x / sigma_bins) ** 2)
    return w / w.sum()


def _convolve_axis_full(image, kernel, axis):
    """Full (zero-padded, no wrap-around) convolution of image with a symmetric kernel along axis:
    the axis grows by len(kernel) − 1. Exact in float64: one shifted add per kernel tap."""
    a = np.moveaxis(np.asarray(image, float), axis, 0)
    n, k = a.shape[0], len(kernel)
    out = np.zeros((n + k - 1,) + a.shape[1:])
    for j, w in enumerate(kernel):
        out[j:j + n] += w * a
    return np.moveaxis(out, 0, axis)


def gaussian_blur(image, sigma_bins, truncate=TRUNCATE_SIGMA):
    """Separable 2-D Gaussian blur of image (σ in bins), zero-padded and not cropped.

    Returns (blurred, h): blurred has shape (n0 + 2h, n1 + 2h), entry [i + h, j + h] lies over the
    input bin [i, j]; the total is conserved exactly (up to rounding) because nothing is cropped."""
    kernel = gaussian_kernel_1d(sigma_bins, truncate)
    h = (len(kernel) - 1) // 2
    out = _convolve_axis_full(image, kernel, 0)
    out = _convolve_axis_full(out, kernel, 1)
    return out, h


def blur_frame(frame, fwhm_nm):
    """A map frame splatted with a probe of FWHM fwhm_nm (0: unchanged, as float); the frame's origin
    moves by the padding so that the nm axes stay right."""
    b = frame["bin_nm"]
    if fwhm_nm <= 0:
        return dict(frame, image=np.asarray(frame["image"], float))
    img, h = gaussian_blur(frame["image"], fwhm_nm / FWHM_PER_SIGMA / b)
    return dict(frame, image=img, u_min_nm=frame["u_min_nm"] - h * b, z_min_nm=frame["z_min_nm"] - h * b)


def rebin_frame(frame, factor):
    """Sum factor × factor blocks of bins into one pixel (zero-padding the high edges to a multiple of
    factor, so the total is kept). factor 1 returns the frame unchanged."""
    factor = int(factor)
    if factor < 1:
        raise ValueError(f"rebin factor must be ≥ 1, got {factor}")
    if factor == 1:
        return frame
    img = np.asarray(frame["image"], float)
    nz, nu = img.shape
    pz, pu = (-nz) % factor, (-nu) % factor
    img = np.pad(img, ((0, pz), (0, pu)))
    img = img.reshape(img.shape[0] // factor, factor, img.shape[1] // factor, factor).sum(axis=(1, 3))
    return dict(frame, image=img, bin_nm=frame["bin_nm"] * factor)


def counting_noise(expected_atoms, dose, seed):
    """Poisson X-ray counts: each bin draws Poisson(dose × expected_atoms) with numpy's default
    Generator seeded by seed (the same seed gives the same counts). dose = expected detected counts
    per atom; negative expectations (rounding) count as 0."""
    if not dose > 0:
        raise ValueError(f"dose must be > 0, got {dose}")
    rng = np.random.default_rng(seed)
    lam = np.clip(np.asarray(expected_atoms, float) * dose, 0.0, None)
    return rng.poisson(lam).astype(float)


def frame_extent_zu(frame):
    """imshow extent (z0, z1, u0, u1) in nm for frame["image"].T (wire axis z horizontal)."""
    nz, nu = frame["image"].shape
    b = frame["bin_nm"]
    return (frame["z_min_nm"], frame["z_min_nm"] + nz * b, frame["u_min_nm"], frame["u_min_nm"] + nu * b)


def coarse_bin_warning(bin_nm, fwhm_nm):
    """The warning text when the map bin is too coarse for the probe (bin > FWHM / 3), else None."""
    if fwhm_nm > 0 and bin_nm > fwhm_nm / 3.0:
        return (f"warning: map bin {bin_nm:g} nm is too coarse for a {fwhm_nm:g} nm probe (bin > FWHM/3): "
                f"the cation planes (0.33–0.35 nm apart) alias into stripes; write the maps with "
                f"output.map_bin_nm ≤ {fwhm_nm / 3.0:.2g} nm")
    return None


_WARNED = set()


def warn(msg):
    """Print msg on stderr, once per process (repeats of the same text are dropped)."""
    if msg and msg not in _WARNED:
        _WARNED.add(msg)
        print(msg, file=sys.stderr)


def select_indices(snapshots, wanted=None, take_all=False, max_n=6):
    """Positions in the list snapshots (snapshot numbers, in order) to plot.

    wanted: snapshot numbers (each must exist); take_all: every one; otherwise up to max_n evenly
    spread from the first to the last."""
    snapshots = list(snapshots)
    n = len(snapshots)
    if wanted:
        pos = []
        for s in wanted:
            if s not in snapshots:
                raise ValueError(f"snapshot {s} is not in maps/index.csv (have {snapshots})")
            pos.append(snapshots.index(s))
        return pos
    if take_all or n <= max_n:
        return list(range(n))
    return sorted(set(int(round(v)) for v in np.linspace(0, n - 1, max_n)))


def parse_int_list(text):
    """'0,5,10' -> [0, 5, 10]."""
    return [int(v) for v in text.split(",") if v.strip() != ""]


def parse_float_pair(text):
    """'a,b' -> (a, b) floats, a < b."""
    parts = [float(v) for v in text.split(",")]
    if len(parts) != 2 or not parts[0] < parts[1]:
        raise ValueError(f"expected 'a,b' with a < b, got {text!r}")
    return parts[0], parts[1]


def figures_dir(outdir):
    """OUTDIR/figures, created if needed."""
    d = os.path.join(outdir, "figures")
    os.makedirs(d, exist_ok=True)
    return d


def output_path(outdir, out, default_name):
    """out if given (its folder created), else OUTDIR/figures/default_name."""
    if out:
        d = os.path.dirname(os.path.abspath(out))
        os.makedirs(d, exist_ok=True)
        return out
    return os.path.join(figures_dir(outdir), default_name)


def element_cmap(element):
    """Black-to-colour map of an EDS element channel: Cu green, Cd red (the paper's Figs. 2–4)."""
    from matplotlib.colors import LinearSegmentedColormap

    colour = {"cu": (0.0, 1.0, 0.0), "cd": (1.0, 0.0, 0.0)}[element]
    return LinearSegmentedColormap.from_list(f"eds_{element}", [(0.0, 0.0, 0.0), colour])


def overlay_rgb(cu, cd, vmax_cu, vmax_cd):
    """RGB overlay (R = Cd, G = Cu, B = 0), each channel divided by its series maximum and clipped
    to [0, 1]: Cu-only areas green, Cd-only red, both yellow. Arrays (n, m) -> (n, m, 3)."""
    rgb = np.zeros(np.shape(cu) + (3,))
    rgb[..., 0] = np.clip(np.asarray(cd, float) / vmax_cd, 0, 1) if vmax_cd > 0 else 0
    rgb[..., 1] = np.clip(np.asarray(cu, float) / vmax_cu, 0, 1) if vmax_cu > 0 else 0
    return rgb


def format_time(t_s, scale, unit):
    """'12.5 min' for t_s seconds shown in (scale, unit) from cekmc_io.time_unit."""
    return f"{t_s / scale:.4g} {unit}"


def seed_band(seed_tables, quantity):
    """Median, 10th and 90th percentile of quantity over seeds, on the first seed's output times
    (other seeds linearly interpolated onto them). seed_tables: dicts with time_s and quantity.
    Returns (time_s, median, p10, p90)."""
    t = np.asarray(seed_tables[0]["time_s"], float)
    ys = []
    for tab in seed_tables:
        ts = np.asarray(tab["time_s"], float)
        order = np.argsort(ts, kind="stable")
        ys.append(np.interp(t, ts[order], np.asarray(tab[quantity], float)[order], right=np.nan))
    ys = np.array(ys)
    return t, np.nanmedian(ys, axis=0), np.nanpercentile(ys, 10, axis=0), np.nanpercentile(ys, 90, axis=0)
