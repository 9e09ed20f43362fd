#!/usr/bin/env python3
"""Cross-wire Cu and Cd profiles (a Cu shell gives the M shape of the paper's Fig. SI 1): the probe-
blurred maps summed over z (or over a z window), selected snapshots overlaid, x across the wire.

Usage: plot_profile.py OUTDIR [--snapshots 0,5,10 | --all] [--z-range a,b] [--probe-nm 1.0] [--out FILE]

Input: maps/index.csv and maps/cu_*.npy, maps/cd_*.npy, blurred exactly as plot_eds.py does
(Gaussian probe of FWHM --probe-nm). The profile at u is the number of atoms per nm across, summed
over the z rows whose centres lie in the window (default: the whole map).
Writes OUTDIR/figures/profile.png (or --out FILE); prints the path.
"""
from __future__ import annotations

import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cekmc_io import time_unit, use_agg  # noqa: E402
from figures_common import format_time, output_path, parse_float_pair, parse_int_list  # noqa: E402
from plot_eds import ELEMENTS, LABEL, load_series  # noqa: E402


def across_profile(frame, z_range=None):
    """(u centres in nm, atoms per nm across) of a density frame (image in per nm², rows along z):
    the density summed over rows times the row height.

    z_range (a, b) in nm keeps the rows whose centre lies in [a, b]; None keeps every row. Raises if
    the window holds no row."""
    img = np.asarray(frame["image"], float)
    b = frame["bin_nm"]
    zc = frame["z_min_nm"] + (np.arange(img.shape[0]) + 0.5) * b
    rows = np.ones(len(zc), bool) if z_range is None else (zc >= z_range[0]) & (zc <= z_range[1])
    if not rows.any():
        raise ValueError(f"z window {z_range} nm holds no map row (map z {zc[0] - b / 2:g}…{zc[-1] + b / 2:g} nm)")
    uc = frame["u_min_nm"] + (np.arange(img.shape[1]) + 0.5) * b
    return uc, img[rows].sum(axis=0) * b


def plot(series, out_path, z_range=None, probe_nm=1.0):
    plt = use_agg()
    tscale, tunit = time_unit(max(fr["row"]["time_s"] for fr in series))
    colours = plt.get_cmap("viridis")(np.linspace(0.0, 0.9, len(series)))
    fig, axes = plt.subplots(1, 2, figsize=(10, 4.2), sharex=True, layout="constrained")
    for c, fr in zip(colours, series):
        row = fr["row"]
        label = f"{format_time(row['time_s'], tscale, tunit)}, {row['temperature_C']:.0f} °C"
        for ax, e in zip(axes, ELEMENTS):
            u, p = across_profile(fr[e], z_range)
            ax.plot(u, p, color=c, label=label)
    for ax, e in zip(axes, ELEMENTS):
        ax.set_title(f"{LABEL[e]} across the wire")
        ax.set_xlabel("across (nm)")
        ax.set_ylabel("atoms per nm across (summed over z)")
        ax.set_ylim(bottom=0)
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=8)
    window = "whole map" if z_range is None else f"z {z_range[0]:g}…{z_range[1]:g} nm"
    fig.suptitle(f"cross-wire profiles, {window}, probe FWHM {probe_nm:g} nm", fontsize=10)
    fig.savefig(out_path, dpi=130)
    plt.close(fig)


def make(outdir, out=None, snapshots=None, take_all=False, z_range=None, probe_nm=1.0, max_n=6):
    """Write the profile figure; returns (path, series)."""
    series = load_series(outdir, snapshots, take_all, max_n, probe_nm)
    path = output_path(outdir, out, "profile.png")
    plot(series, path, z_range, probe_nm)
    return path, series


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("outdir")
    sel = ap.add_mutually_exclusive_group()
    sel.add_argument("--snapshots", type=parse_int_list, help="snapshot numbers, e.g. 0,5,10 (default: up to 6)")
    sel.add_argument("--all", action="store_true", help="every map of the run")
    ap.add_argument("--z-range", type=parse_float_pair, help="z window a,b in nm (default: the whole map)")
    ap.add_argument("--probe-nm", type=float, default=1.0, help="FWHM of the Gaussian probe, nm (default 1.0)")
    ap.add_argument("--out", "-o", help="output PNG (default OUTDIR/figures/profile.png)")
    a = ap.parse_args(argv)
    if a.probe_nm < 0:
        ap.error("--probe-nm must be ≥ 0")
    path, _ = make(a.outdir, a.out, a.snapshots, a.all, a.z_range, a.probe_nm)
    print(path)
    return path


if __name__ == "__main__":
    main()
