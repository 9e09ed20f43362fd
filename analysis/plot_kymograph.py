#!/usr/bin/env python3
"""Kymograph of Cu along the wire: the exchanged fraction X(z, t) per axial bin as an image
(time horizontal, z along the wire vertical), with the temperature below on the same time axis.

Usage: plot_kymograph.py OUTDIR [--quantity fraction|shell|interstitial] [--vmax V] [--out FILE]

Input: axial_profile.csv (one row per axial bin per output: time_s, temperature_C, z_nm = bin
centre, cation_sites, cu_cation, cu_interstitial, shell_cu).
  fraction      X = cu_cation / cation_sites, colour scale fixed 0…1; bins without cation sites
                (beyond the wire ends) are NaN and drawn grey
  shell         shell Cu per nm of wire (shell_cu / bin width), scale 0…max or --vmax
  interstitial  Cu interstitials per nm of wire (cu_interstitial / bin width), scale 0…max or --vmax
Each output's column spans half-way to its neighbours. Writes OUTDIR/figures/kymograph.png
(kymograph_shell.png, kymograph_interstitial.png) or --out FILE; prints the path.
"""
from __future__ import annotations

import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cekmc_io import read_axial_profile, time_unit, use_agg  # noqa: E402
from figures_common import NoData, element_cmap, output_path  # noqa: E402

QUANTITIES = {
    "fraction": ("exchanged fraction X = Cu cation / cation sites", "kymograph.png"),
    "shell": ("shell Cu per nm", "kymograph_shell.png"),
    "interstitial": ("Cu interstitials per nm", "kymograph_interstitial.png"),
}


def exchanged_fraction(cu_cation, cation_sites):
    """X = cu_cation / cation_sites elementwise; NaN where cation_sites is 0 (or missing)."""
    cu = np.asarray(cu_cation, float)
    sites = np.asarray(cation_sites, float)
    x = np.full(np.broadcast(cu, sites).shape, np.nan)
    ok = sites > 0
    np.divide(cu, sites, out=x, where=ok)
    return x


def quantity_grid(profile, quantity):
    """The (n_t, n_z) image of quantity from read_axial_profile."""
    if quantity == "fraction":
        return exchanged_fraction(profile["cu_cation"], profile["cation_sites"])
    column = {"shell": "shell_cu", "interstitial": "cu_interstitial"}[quantity]
    return profile[column] / profile["bin_nm"]


def centre_edges(centres, default_width=1.0):
    """Cell edges for sorted centres: half-way between neighbours, the end cells as wide as their
    neighbour (default_width with a single centre)."""
    c = np.asarray(centres, float)
    if len(c) == 1:
        return np.array([c[0] - default_width / 2, c[0] + default_width / 2])
    mid = (c[1:] + c[:-1]) / 2
    return np.concatenate([[c[0] - (mid[0] - c[0])], mid, [c[-1] + (c[-1] - mid[-1])]])


def plot(profile, out_path, quantity="fraction", vmax=None):
    plt = use_agg()
    image = quantity_grid(profile, quantity)
    t = profile["time_s"]
    scale, unit = time_unit(float(t.max()) if len(t) else 0.0)
    t_edges = centre_edges(t / scale, default_width=1.0)
    z_edges = centre_edges(profile["z_nm"], default_width=profile["bin_nm"])
    if quantity == "fraction":
        lo, hi = 0.0, 1.0
    else:
        finite = image[np.isfinite(image)]
        lo, hi = 0.0, (vmax if vmax else (float(finite.max()) if finite.size and finite.max() > 0 else 1.0))
    cmap = element_cmap("cu").with_extremes(bad="0.8")
    fig, (ax, axt) = plt.subplots(2, 1, figsize=(8, 6.5), sharex=True, gridspec_kw={"height_ratios": [3, 1]},
                                  layout="constrained")
    mesh = ax.pcolormesh(t_edges, z_edges, np.ma.masked_invalid(image.T), cmap=cmap, vmin=lo, vmax=hi,
                         shading="flat")
    cb = fig.colorbar(mesh, ax=ax)
    cb.set_label(QUANTITIES[quantity][0])
    ax.set_ylabel("z along the wire (nm)")
    ax.set_title(f"Cu along the wire ({profile['bin_nm']:g} nm bins"
                 + ("; grey: no cation site)" if quantity == "fraction" else ")"), fontsize=10)
    axt.plot(t / scale, profile["temperature_C"], color="tab:red", marker="." if len(t) < 40 else None)
    axt.set_ylabel("T (°C)")
    axt.set_xlabel(f"time ({unit})")
    axt.grid(alpha=0.3)
    fig.savefig(out_path, dpi=130)
    plt.close(fig)


def make(outdir, out=None, quantity="fraction", vmax=None):
    """Write the kymograph; returns the path."""
    profile = read_axial_profile(outdir)
    if len(profile["time_s"]) == 0:
        raise NoData(f"{outdir}/axial_profile.csv has no rows")
    path = output_path(outdir, out, QUANTITIES[quantity][1])
    plot(profile, path, quantity, vmax)
    return path


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("outdir")
    ap.add_argument("--quantity", choices=sorted(QUANTITIES), default="fraction")
    ap.add_argument("--vmax", type=float, help="colour-scale maximum for shell / interstitial (per nm)")
    ap.add_argument("--out", "-o", help="output PNG (default OUTDIR/figures/kymograph[_QUANTITY].png)")
    a = ap.parse_args(argv)
    path = make(a.outdir, a.out, a.quantity, a.vmax)
    print(path)
    return path


if __name__ == "__main__":
    main()
