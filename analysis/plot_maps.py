#!/usr/bin/env python3
"""Projected Cu and Cd maps of one output (what an EDS/EELS map shows) and the cross-wire Cu profile.

Usage: plot_maps.py OUTDIR [--snapshot K] [-o FILE]     (default: last snapshot, OUTDIR/maps_K.png)
Maps are (n_z, n_u) count arrays: rows along the wire axis z, columns across (u); see maps/index.csv.
"""
from __future__ import annotations

import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cekmc_io import read_outdir_csv, use_agg  # noqa: E402


def load_maps(outdir, snapshot=None):
    """Load one pair of maps: dict with cu, cd (n_z × n_u arrays), extent (u0, u1, z0, z1) in nm,
    time_s, temperature_C and snapshot. snapshot=None takes the last one."""
    idx = read_outdir_csv(outdir, "maps/index.csv")
    if len(idx["snapshot"]) == 0:
        raise ValueError(f"{outdir}/maps/index.csv lists no maps")
    k = len(idx["snapshot"]) - 1 if snapshot is None else int(np.nonzero(idx["snapshot"] == snapshot)[0][0])
    cu = np.load(os.path.join(outdir, "maps", str(idx["cu_file"][k])))
    cd = np.load(os.path.join(outdir, "maps", str(idx["cd_file"][k])))
    nu, nz, b = int(idx["n_u"][k]), int(idx["n_z"][k]), float(idx["bin_nm"][k])
    if cu.shape != (nz, nu) or cd.shape != (nz, nu):
        raise ValueError(f"map shape {cu.shape}/{cd.shape} differs from index ({nz}, {nu})")
    u0, z0 = float(idx["u_min_nm"][k]), float(idx["z_min_nm"][k])
    return {"cu": cu, "cd": cd, "extent": (u0, u0 + nu * b, z0, z0 + nz * b), "bin_nm": b,
            "time_s": float(idx["time_s"][k]), "temperature_C": float(idx["temperature_C"][k]),
            "snapshot": int(idx["snapshot"][k])}


def across_profile(counts):
    """Cross-wire intensity profile: counts summed along z (axis 0)."""
    return np.asarray(counts).sum(axis=0)


def is_m_shaped(profile, centre_ratio=0.5):
    """True when the profile has its maxima on both sides of the centre and a central value below
    centre_ratio × the smaller of the two side maxima (the signature of a Cu shell)."""
    p = np.asarray(profile, float)
    n = len(p)
    if n < 3:
        return False
    half = n // 2
    left, right = p[:half].max(), p[n - half:].max()
    centre = p[(n - 1) // 2:n // 2 + 1].min()
    return bool(min(left, right) > 0 and centre < centre_ratio * min(left, right))


def plot(maps, out_path):
    plt = use_agg()
    u0, u1, z0, z1 = maps["extent"]
    fig, axes = plt.subplots(1, 3, figsize=(9, 6), gridspec_kw={"width_ratios": [1, 1, 1.2]})
    for ax, key, cmap in [(axes[0], "cu", "Oranges"), (axes[1], "cd", "Blues")]:
        im = ax.imshow(maps[key], origin="lower", extent=(u0, u1, z0, z1), aspect="auto", cmap=cmap,
                       interpolation="nearest")
        ax.set_title(f"{key.capitalize()} (counts per {maps['bin_nm']:g} nm bin)")
        ax.set_xlabel("across (nm)")
        fig.colorbar(im, ax=ax, shrink=0.7)
    axes[0].set_ylabel("z along the wire (nm)")
    prof = across_profile(maps["cu"])
    centres = u0 + (np.arange(len(prof)) + 0.5) * maps["bin_nm"]
    axes[2].plot(centres, prof, color="tab:orange", label="Cu")
    axes[2].plot(centres, across_profile(maps["cd"]), color="tab:blue", label="Cd")
    axes[2].set_xlabel("across (nm)")
    axes[2].set_ylabel("counts summed along z")
    axes[2].legend()
    fig.suptitle(f"t = {maps['time_s']:.4g} s, T = {maps['temperature_C']:.1f} °C")
    fig.tight_layout()
    fig.savefig(out_path, dpi=120)
    plt.close(fig)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("outdir")
    ap.add_argument("--snapshot", type=int)
    ap.add_argument("-o", "--output")
    a = ap.parse_args(argv)
    maps = load_maps(a.outdir, a.snapshot)
    out = a.output or os.path.join(a.outdir, f"maps_{maps['snapshot']:06d}.png")
    plot(maps, out)
    print(out)


if __name__ == "__main__":
    main()
