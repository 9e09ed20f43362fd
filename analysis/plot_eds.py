#!/usr/bin/env python3
"""EDS-like element maps of a run (as in Casu et al. 2023, Figs. 2–4): Cu (green), Cd (red) and
their overlay (R = Cd, G = Cu) on black, one row per snapshot, wire axis z horizontal, nm on both axes.

Usage: plot_eds.py OUTDIR [--snapshots 0,5,10 | --all] [--probe-nm 1.0] [--pixel-nm P]
                          [--dose C --noise-seed 1] [--vmax V | --vmax VCU,VCD] [--per-frame] [--out FILE]

Input: maps/index.csv and the count maps maps/cu_NNNNNN.npy, maps/cd_NNNNNN.npy (atoms projected
along the beam, rows along z, columns across). Each map is splatted with the probe, a normalised
2-D Gaussian of FWHM --probe-nm (zero-padded, no wrap-around, total kept); with maps binned finer
than FWHM/3 this shows no binning stripes (a warning is printed otherwise). --pixel-nm then sums
bins into detector pixels, and --dose adds Poisson counting noise. Every element has ONE colour
scale over the whole series: the largest (noise-free) value over the plotted snapshots, or --vmax.
Writes OUTDIR/figures/eds_maps.png (or --out FILE) and, with --per-frame, one PNG per snapshot
beside it (<name>_NNNNNN.png); prints the paths written.
"""
from __future__ import annotations

import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cekmc_io import load_map_pair, read_map_index, time_unit, use_agg  # noqa: E402
from figures_common import (NoData, blur_frame, coarse_bin_warning, counting_noise, element_cmap,  # noqa: E402
                            format_time, frame_extent_zu, output_path, overlay_rgb, parse_int_list,
                            rebin_frame, select_indices, warn)

ELEMENTS = ("cu", "cd")
LABEL = {"cu": "Cu", "cd": "Cd"}


def _overlay_colorbar(fig, ax, location):
    """A key for the overlay panels: red (Cd only) – yellow (both) – green (Cu only)."""
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import LinearSegmentedColormap, Normalize

    cmap = LinearSegmentedColormap.from_list("overlay_key", [(1, 0, 0), (1, 1, 0), (0, 1, 0)])
    horizontal = location == "bottom"
    key = fig.colorbar(ScalarMappable(Normalize(0.0, 1.0), cmap), ax=ax, location=location,
                       shrink=0.8 if horizontal else 0.9, aspect=40 if horizontal else 20, ticks=[0.0, 0.5, 1.0])
    labels = ["Cd only", "Cu + Cd", "Cu only"]
    if horizontal:
        key.ax.set_xticklabels(labels, fontsize=7)
    else:
        key.ax.set_yticklabels(labels, fontsize=7)
    key.set_label("overlay: R = Cd, G = Cu (each on its scale)", fontsize=7 if not horizontal else 8)


def map_frames(row, cu, cd, probe_nm=1.0, pixel_nm=None, dose=None, noise_seed=1):
    """The displayed Cu and Cd frames of one map: probe blur, optional rebinning to pixel_nm (rounded
    to a whole number of bins), optional Poisson noise (dose = expected counts per atom; the stream
    is seeded by (noise_seed, snapshot, element)). Each frame's image is a density per nm²: atoms
    per nm² without dose, X-ray counts per nm² with it; "expected" holds the noise-free density in
    the same unit."""
    out = {}
    for e, counts in (("cu", cu), ("cd", cd)):
        f = {"image": counts, "bin_nm": row["bin_nm"], "u_min_nm": row["u_min_nm"], "z_min_nm": row["z_min_nm"]}
        f = blur_frame(f, probe_nm)
        if pixel_nm:
            factor = max(1, int(round(pixel_nm / row["bin_nm"])))
            if abs(factor * row["bin_nm"] - pixel_nm) > 1e-6 * pixel_nm:
                warn(f"note: pixel {pixel_nm:g} nm rounded to {factor} map bins = {factor * row['bin_nm']:g} nm")
            f = rebin_frame(f, factor)
        area = f["bin_nm"] ** 2
        if dose:
            noisy = counting_noise(f["image"], dose, (int(noise_seed), row["snapshot"], ELEMENTS.index(e)))
            out[e] = dict(f, image=noisy / area, expected=f["image"] * dose / area)
        else:
            out[e] = dict(f, image=f["image"] / area, expected=f["image"] / area)
    return out


def series_vmax(frames, element):
    """The one colour-scale maximum of an element over a series: the largest expected value of any
    frame (without noise the largest value shown; with noise, noisy pixels above it saturate)."""
    return max(float(np.max(fr[element]["expected"])) for fr in frames) if frames else 0.0


def load_series(outdir, snapshots=None, take_all=False, max_n=6, probe_nm=1.0, pixel_nm=None, dose=None,
                noise_seed=1):
    """Selected maps of OUTDIR as a list of {row, cu, cd} (row from read_map_index, cu/cd frames from
    map_frames). Prints the coarse-bin warning (once) when a map's bin exceeds FWHM/3."""
    rows = read_map_index(outdir)
    if not rows:
        raise NoData(f"{outdir}/maps/index.csv lists no maps")
    pos = select_indices([r["snapshot"] for r in rows], snapshots, take_all, max_n)
    series = []
    for k in pos:
        row = rows[k]
        warn(coarse_bin_warning(row["bin_nm"], probe_nm))
        cu, cd = load_map_pair(row)
        series.append(dict(row=row, **map_frames(row, cu, cd, probe_nm, pixel_nm, dose, noise_seed)))
    return series


def _panel_size(frame):
    z0, z1, u0, u1 = frame_extent_zu(frame)
    ratio = (u1 - u0) / max(z1 - z0, 1e-9)
    width = float(np.clip(0.9 / max(ratio, 1e-9), 3.5, 7.0))
    return width, max(width * ratio, 0.6)


def _draw_row(axes, fr, vmax, tscale, tunit):
    """Cu, Cd and overlay panels of one snapshot on three axes."""
    row = fr["row"]
    when = f"{format_time(row['time_s'], tscale, tunit)}, {row['temperature_C']:.0f} °C"
    images = {}
    for ax, e in zip(axes[:2], ELEMENTS):
        ext = frame_extent_zu(fr[e])
        images[e] = ax.imshow(fr[e]["image"].T, origin="lower", extent=ext, cmap=element_cmap(e),
                              vmin=0.0, vmax=vmax[e], aspect="equal", interpolation="antialiased")
        ax.set_title(f"{LABEL[e]} · {when}", fontsize=9)
    rgb = overlay_rgb(fr["cu"]["image"], fr["cd"]["image"], vmax["cu"], vmax["cd"])
    axes[2].imshow(np.transpose(rgb, (1, 0, 2)), origin="lower", extent=frame_extent_zu(fr["cu"]), aspect="equal",
                   interpolation="antialiased")
    axes[2].set_title(f"Cu + Cd · {when}", fontsize=9)
    for ax in axes:
        ax.set_facecolor("black")
        ax.tick_params(labelsize=7)
    return images


def _scale_note(probe_nm, pixel_nm, dose, unit):
    parts = [f"probe FWHM {probe_nm:g} nm" if probe_nm > 0 else "no probe blur"]
    if pixel_nm:
        parts.append(f"pixel {pixel_nm:g} nm")
    if dose:
        parts.append(f"Poisson noise at {dose:g} counts/atom")
    parts.append(f"one colour scale per element over the series ({unit})")
    return ", ".join(parts)


def plot_series(series, out_path, vmax, probe_nm=1.0, pixel_nm=None, dose=None):
    """Grid figure: rows = snapshots, columns = Cu, Cd, overlay; one colour bar per element."""
    plt = use_agg()
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import Normalize

    unit = "X-ray counts / nm²" if dose else "projected atoms / nm²"
    tscale, tunit = time_unit(max(fr["row"]["time_s"] for fr in series))
    w, h = _panel_size(series[0]["cu"])
    n = len(series)
    fig, axes = plt.subplots(n, 3, figsize=(3 * w + 0.8, n * (h + 0.45) + 1.4), squeeze=False, layout="constrained")
    for i, fr in enumerate(series):
        _draw_row(axes[i], fr, vmax, tscale, tunit)
    for ax in axes[-1]:
        ax.set_xlabel("z along the wire (nm)", fontsize=8)
    for ax in axes[:, 0]:
        ax.set_ylabel("across (nm)", fontsize=8)
    for j, e in enumerate(ELEMENTS):
        sm = ScalarMappable(Normalize(0.0, vmax[e]), element_cmap(e))
        cb = fig.colorbar(sm, ax=axes[:, j], location="bottom", shrink=0.8, aspect=40)
        cb.set_label(f"{LABEL[e]} {unit}", fontsize=8)
        cb.ax.tick_params(labelsize=7)
    _overlay_colorbar(fig, axes[:, 2], "bottom")
    fig.suptitle("EDS-like maps: " + _scale_note(probe_nm, pixel_nm, dose, unit), fontsize=10)
    fig.savefig(out_path, dpi=130, facecolor="white")
    plt.close(fig)


def plot_frame(fr, out_path, vmax, probe_nm=1.0, pixel_nm=None, dose=None, tmax_s=None):
    """One snapshot: Cu, Cd and overlay stacked, with the series colour scale."""
    plt = use_agg()
    unit = "X-ray counts / nm²" if dose else "projected atoms / nm²"
    tscale, tunit = time_unit(tmax_s if tmax_s is not None else fr["row"]["time_s"])
    w, h = _panel_size(fr["cu"])
    fig, axes = plt.subplots(3, 1, figsize=(w + 2.8, 3 * (h + 0.5) + 0.6), squeeze=False, layout="constrained")
    axes = axes[:, 0]
    images = _draw_row(axes, fr, vmax, tscale, tunit)
    for ax in axes:
        ax.set_ylabel("across (nm)", fontsize=8)
    axes[-1].set_xlabel("z along the wire (nm)", fontsize=8)
    for ax, e in zip(axes[:2], ELEMENTS):
        cb = fig.colorbar(images[e], ax=ax, shrink=0.9)
        cb.set_label(unit, fontsize=7)
        cb.ax.tick_params(labelsize=7)
    _overlay_colorbar(fig, axes[2], "right")
    fig.suptitle(_scale_note(probe_nm, pixel_nm, dose, unit), fontsize=8)
    fig.savefig(out_path, dpi=130, facecolor="white")
    plt.close(fig)


def parse_vmax(text):
    """'V' -> {cu: V, cd: V}; 'VCU,VCD' -> {cu: VCU, cd: VCD}."""
    v = [float(x) for x in text.split(",")]
    if len(v) == 1:
        v = v * 2
    if len(v) != 2 or min(v) <= 0:
        raise ValueError(f"--vmax takes V or VCU,VCD (> 0), got {text!r}")
    return {"cu": v[0], "cd": v[1]}


def make(outdir, out=None, snapshots=None, take_all=False, probe_nm=1.0, pixel_nm=None, dose=None, noise_seed=1,
         vmax=None, per_frame=False, max_n=6):
    """Write the series figure (and per-frame figures); returns {"paths": written, first the series
    figure; "series": load_series's list; "vmax": the colour-scale maximum per element}."""
    series = load_series(outdir, snapshots, take_all, max_n, probe_nm, pixel_nm, dose, noise_seed)
    scale = vmax or {e: series_vmax(series, e) for e in ELEMENTS}
    scale = {e: (v if v > 0 else 1.0) for e, v in scale.items()}
    path = output_path(outdir, out, "eds_maps.png")
    plot_series(series, path, scale, probe_nm, pixel_nm, dose)
    paths = [path]
    if per_frame:
        stem = os.path.splitext(path)[0]
        tmax = max(fr["row"]["time_s"] for fr in series)
        for fr in series:
            p = f"{stem}_{fr['row']['snapshot']:06d}.png"
            plot_frame(fr, p, scale, probe_nm, pixel_nm, dose, tmax)
            paths.append(p)
    return {"paths": paths, "series": series, "vmax": scale}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("outdir")
    sel = ap.add_mutually_exclusive_group()
    sel.add_argument("--snapshots", type=parse_int_list, help="snapshot numbers of maps/index.csv, e.g. 0,5,10 "
                     "(default: up to 6 evenly spread)")
    sel.add_argument("--all", action="store_true", help="every map of the run")
    ap.add_argument("--probe-nm", type=float, default=1.0,
                    help="FWHM of the Gaussian probe the atoms are splatted with, nm (default 1.0; 0 = none)")
    ap.add_argument("--pixel-nm", type=float, help="detector pixel, nm: bins summed into pixels after the blur "
                    "(rounded to a whole number of map bins; default: the map bin)")
    ap.add_argument("--dose", type=float, help="expected detected X-ray counts per atom in one map (same for Cu "
                    "and Cd): each pixel shows Poisson(dose × blurred atoms in the pixel) counts; the colour "
                    "scale is then X-ray counts per nm²")
    ap.add_argument("--noise-seed", type=int, default=1, help="seed of the counting noise (default 1)")
    ap.add_argument("--vmax", type=parse_vmax, help="colour-scale maximum, V for both elements or VCU,VCD, in the "
                    "map unit (atoms/nm², or counts/nm² with --dose); default: the series maximum")
    ap.add_argument("--per-frame", action="store_true", help="also one PNG per snapshot")
    ap.add_argument("--out", "-o", help="series figure (default OUTDIR/figures/eds_maps.png)")
    a = ap.parse_args(argv)
    if a.probe_nm < 0 or (a.dose is not None and a.dose <= 0) or (a.pixel_nm is not None and a.pixel_nm <= 0):
        ap.error("--probe-nm must be ≥ 0, --dose and --pixel-nm > 0")
    paths = make(a.outdir, a.out, a.snapshots, a.all, a.probe_nm, a.pixel_nm, a.dose, a.noise_seed, a.vmax,
                 a.per_frame)["paths"]
    for p in paths:
        print(p)
    return paths


if __name__ == "__main__":
    main()
