#!/usr/bin/env python3
"""Domain z-extent versus time (kymograph), coloured by persistent domain id, with domain events.

Usage: plot_domains.py OUTDIR [-o FILE] [--bin-nm 0.5]     (default FILE: OUTDIR/domains.png)
"""
from __future__ import annotations

import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cekmc_io import read_outdir_csv, time_unit, use_agg  # noqa: E402


def kymograph(time_s, domain_id, z_min_nm, z_max_nm, z_edges_nm):
    """Domain id occupying each (output time, z bin); -1 where no domain.

    Returns (times, image) with times the sorted unique output times and image of shape
    (len(times), len(z_edges_nm) - 1). A bin is covered by a domain when [z_min, z_max] overlaps it;
    where domains overlap in z (side by side in the cross-section) the larger length wins.
    """
    t = np.asarray(time_s, float)
    ids = np.asarray(domain_id, int)
    lo = np.asarray(z_min_nm, float)
    hi = np.asarray(z_max_nm, float)
    edges = np.asarray(z_edges_nm, float)
    times = np.unique(t)
    image = np.full((len(times), len(edges) - 1), -1, dtype=int)
    best = np.full(image.shape, -np.inf)
    row_of = {v: i for i, v in enumerate(times)}
    for k in range(len(t)):
        r = row_of[t[k]]
        cover = (edges[1:] > lo[k]) & (edges[:-1] <= hi[k])
        length = hi[k] - lo[k]
        take = cover & (length > best[r])
        image[r, take] = ids[k]
        best[r, take] = length
    return times, image


def plot(outdir, out_path, bin_nm=0.5):
    plt = use_agg()
    from matplotlib.colors import ListedColormap

    d = read_outdir_csv(outdir, "domains.csv")
    ev = read_outdir_csv(outdir, "domain_events.csv")
    fig, ax = plt.subplots(figsize=(8, 5))
    if len(d["time_s"]) == 0:
        ax.text(0.5, 0.5, "no domains", ha="center", va="center", transform=ax.transAxes)
    else:
        z_hi = float(np.max(d["z_max_nm"])) + bin_nm
        edges = np.arange(0.0, z_hi + bin_nm, bin_nm)
        times, image = kymograph(d["time_s"], d["domain_id"], d["z_min_nm"], d["z_max_nm"], edges)
        scale, unit = time_unit(float(times.max()))
        ids = np.unique(image[image >= 0])
        lut = {v: i for i, v in enumerate(ids)}
        indexed = np.vectorize(lambda v: lut.get(v, -1))(image).astype(float)
        indexed[indexed < 0] = np.nan
        cmap = ListedColormap(plt.get_cmap("tab20")(np.arange(max(len(ids), 1)) % 20))
        # One column per output time, stretched to the next output.
        t_edges = np.append(times, times[-1] + (times[-1] - times[-2] if len(times) > 1 else 1.0)) / scale
        ax.pcolormesh(t_edges, edges, indexed.T, cmap=cmap, shading="flat")
        for kind, marker, colour in [("birth", "^", "k"), ("merge", "D", "tab:green"),
                                     ("reversal", "x", "tab:red"), ("vanish", ".", "grey"), ("split", "v", "tab:purple")]:
            sel = ev["event"] == kind if len(ev["time_s"]) else np.array([], bool)
            if np.any(sel):
                ax.plot(ev["time_s"][sel] / scale, ev["z_nm"][sel], marker, color=colour, ls="", ms=5, label=kind)
        if len(ev["time_s"]):
            ax.legend(loc="upper left", fontsize=8)
        ax.set_xlabel(f"time ({unit})")
    ax.set_ylabel("z along the wire (nm)")
    ax.set_title("exchanged domains (colour = domain id)")
    fig.tight_layout()
    fig.savefig(out_path, dpi=120)
    plt.close(fig)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("outdir")
    ap.add_argument("-o", "--output")
    ap.add_argument("--bin-nm", type=float, default=0.5)
    a = ap.parse_args(argv)
    out = a.output or os.path.join(a.outdir, "domains.png")
    plot(a.outdir, out, a.bin_nm)
    print(out)


if __name__ == "__main__":
    main()
