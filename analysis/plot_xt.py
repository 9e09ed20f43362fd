#!/usr/bin/env python3
"""Exchanged fraction X and temperature T versus time on twin axes, with the shell coverage
(Cu per nm) as a second panel.

Usage: plot_xt.py OUTDIR [--no-shell] [--out FILE]

OUTDIR is either one run (timeseries.csv) or a folder of seeds (seed_1/, seed_2/, … and
aggregate/timeseries.csv with <quantity>_median, _p10, _p90 columns): then the median is drawn
with the 10–90 % band between seeds. A seed folder without aggregate/timeseries.csv gets its band
from the seeds' own timeseries.csv (interpolated onto seed_1's output times).
Writes OUTDIR/figures/xt.png (or --out FILE); prints the path.
"""
from __future__ import annotations

import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cekmc_io import find_layout, read_csv, read_outdir_csv, time_unit, use_agg  # noqa: E402
from figures_common import NoData, output_path, seed_band  # noqa: E402

X = "exchanged_fraction"
SHELL = "shell_cu_per_nm"


def load_curves(outdir):
    """The curves to draw: dict with time_s, temperature_C, and per quantity (X, SHELL) either
    {"value": array} (one run) or {"median", "p10", "p90"} (seeds); n_seeds (1 for one run) and
    source (the file or folders read). A quantity absent from the data is left out."""
    layout = find_layout(outdir)
    if layout["kind"] == "single":
        ts = read_outdir_csv(outdir, "timeseries.csv")
        if X not in ts or "time_s" not in ts or "temperature_C" not in ts:
            raise ValueError(f"{outdir}/timeseries.csv lacks time_s, temperature_C or {X}")
        order = np.argsort(ts["time_s"], kind="stable")
        cur = {"time_s": np.asarray(ts["time_s"], float)[order],
               "temperature_C": np.asarray(ts["temperature_C"], float)[order], "n_seeds": 1,
               "source": os.path.join(outdir, "timeseries.csv")}
        for q in (X, SHELL):
            if q in ts:
                cur[q] = {"value": np.asarray(ts[q], float)[order]}
        return cur
    if layout["aggregate"]:
        agg = read_csv(layout["aggregate"])
        if f"{X}_median" not in agg:
            raise ValueError(f"{layout['aggregate']} lacks {X}_median")
        order = np.argsort(agg["time_s"], kind="stable")
        cur = {"time_s": np.asarray(agg["time_s"], float)[order],
               "temperature_C": np.asarray(agg["temperature_C"], float)[order],
               "n_seeds": len(layout["seeds"]), "source": layout["aggregate"]}
        for q in (X, SHELL):
            if all(f"{q}_{s}" in agg for s in ("median", "p10", "p90")):
                cur[q] = {s: np.asarray(agg[f"{q}_{s}"], float)[order] for s in ("median", "p10", "p90")}
        return cur
    tables = []
    for _, d in layout["seeds"]:
        if os.path.isfile(os.path.join(d, "timeseries.csv")):
            tables.append(read_outdir_csv(d, "timeseries.csv"))
    if not tables:
        raise ValueError(f"{outdir}: no aggregate/timeseries.csv and no seed_K/timeseries.csv")
    first = tables[0]
    order = np.argsort(first["time_s"], kind="stable")
    cur = {"temperature_C": np.asarray(first["temperature_C"], float)[order], "n_seeds": len(tables),
           "source": f"{len(tables)} seed folders"}
    for q in (X, SHELL):
        if all(q in tab for tab in tables):
            t, med, p10, p90 = seed_band(tables, q)
            cur["time_s"] = t[order]
            cur[q] = {"median": med[order], "p10": p10[order], "p90": p90[order]}
    cur.setdefault("time_s", np.asarray(first["time_s"], float)[order])
    return cur


def _draw(ax, t, curve, colour, label):
    if "value" in curve:
        ax.plot(t, curve["value"], color=colour, label=label)
    else:
        ax.fill_between(t, curve["p10"], curve["p90"], color=colour, alpha=0.25, lw=0, label=f"{label}: 10–90 %")
        ax.plot(t, curve["median"], color=colour, label=f"{label}: median")


def plot(cur, out_path, shell=True):
    plt = use_agg()
    t = cur["time_s"]
    scale, unit = time_unit(float(t.max()) if len(t) else 0.0)
    show_shell = shell and SHELL in cur
    fig, axes = plt.subplots(2 if show_shell else 1, 1, figsize=(8, 6 if show_shell else 4), sharex=True,
                             squeeze=False, layout="constrained")
    ax = axes[0, 0]
    _draw(ax, t / scale, cur[X], "tab:green", "X")
    ax.set_ylabel("exchanged fraction X", color="tab:green")
    ax.set_ylim(-0.02, 1.02)
    axT = ax.twinx()
    axT.plot(t / scale, cur["temperature_C"], color="tab:red", lw=1.2, ls="--", label="T")
    axT.set_ylabel("T (°C)", color="tab:red")
    handles = ax.get_legend_handles_labels()
    handles_t = axT.get_legend_handles_labels()
    ax.legend(handles[0] + handles_t[0], handles[1] + handles_t[1], loc="upper left", fontsize=8)
    ax.grid(alpha=0.3)
    n = cur["n_seeds"]
    ax.set_title(f"exchanged fraction and temperature ({n} seeds: median, 10–90 % band)" if "value" not in cur[X]
                 else "exchanged fraction and temperature")
    if show_shell:
        axs = axes[1, 0]
        _draw(axs, t / scale, cur[SHELL], "tab:blue", "shell")
        axs.set_ylabel("shell Cu per nm")
        axs.set_ylim(bottom=0)
        axs.grid(alpha=0.3)
        if "value" not in cur[SHELL]:
            axs.legend(loc="best", fontsize=8)
    axes[-1, 0].set_xlabel(f"time ({unit})")
    fig.savefig(out_path, dpi=130)
    plt.close(fig)


def make(outdir, out=None, shell=True):
    """Write the X/T figure; returns (path, curves)."""
    cur = load_curves(outdir)
    if len(cur["time_s"]) == 0:
        raise NoData(f"{cur['source']} has no rows")
    path = output_path(outdir, out, "xt.png")
    plot(cur, path, shell)
    return path, cur


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("outdir")
    ap.add_argument("--no-shell", action="store_true", help="leave out the shell-coverage panel")
    ap.add_argument("--out", "-o", help="output PNG (default OUTDIR/figures/xt.png)")
    a = ap.parse_args(argv)
    path, _ = make(a.outdir, a.out, not a.no_shell)
    print(path)
    return path


if __name__ == "__main__":
    main()
