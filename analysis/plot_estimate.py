#!/usr/bin/env python3
"""The paper's estimate t_fc(T) (Casu et al. 2023, Fig. 6) beside KMC full-conversion times.

Usage:
  cekmc estimate --phase wz --from-C 27 --to-C 477 --step-C 10 > estimate.csv
  plot_estimate.py estimate.csv [--kmc POINTS.csv] [--runs OUTDIR ...] [--threshold 0.95] [-o FILE]

POINTS.csv: columns temperature_C, t_fc_s and optionally t_fc_err_s (e.g. seed spread).
--runs: each run's t_fc is the first time its exchanged fraction reaches --threshold (linear
interpolation between outputs), at the temperature of that output; runs that never reach it are
skipped. Default FILE: estimate.png beside the CSV.
"""
from __future__ import annotations

import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cekmc_io import read_csv, read_outdir_csv, use_agg  # noqa: E402


def read_estimate(path):
    """The estimate CSV: (temperature_C, t_fc_s, phase label)."""
    e = read_csv(path)
    for c in ("temperature_C", "t_fc_s"):
        if c not in e:
            raise ValueError(f"{path}: missing column {c}")
    phase = str(e["phase"][0]) if "phase" in e and len(e["phase"]) else ""
    return np.asarray(e["temperature_C"], float), np.asarray(e["t_fc_s"], float), phase


def full_conversion_time(time_s, fraction, threshold=0.95):
    """First time the exchanged fraction reaches threshold, linearly interpolated; nan if never."""
    t = np.asarray(time_s, float)
    x = np.asarray(fraction, float)
    hit = np.nonzero(x >= threshold)[0]
    if len(hit) == 0:
        return float("nan")
    i = int(hit[0])
    if i == 0:
        return float(t[0])
    x0, x1 = x[i - 1], x[i]
    return float(t[i - 1] + (threshold - x0) / (x1 - x0) * (t[i] - t[i - 1]))


def kmc_points_from_runs(outdirs, threshold=0.95):
    """(temperature_C, t_fc_s) arrays from run directories that reached the threshold."""
    temps, times = [], []
    for d in outdirs:
        ts = read_outdir_csv(d, "timeseries.csv")
        order = np.argsort(ts["time_s"], kind="stable")
        t, x, temp = ts["time_s"][order], ts["exchanged_fraction"][order], ts["temperature_C"][order]
        tfc = full_conversion_time(t, x, threshold)
        if np.isfinite(tfc):
            k = int(np.searchsorted(t, tfc))
            temps.append(float(temp[min(k, len(temp) - 1)]))
            times.append(tfc)
    return np.array(temps), np.array(times)


def plot(est, points, out_path):
    plt = use_agg()
    temp, tfc, phase = est
    fig, ax = plt.subplots(figsize=(6.5, 4.5))
    ax.semilogy(temp, tfc, "-", color="k", label=f"paper estimate {phase}".strip())
    for label, (pt, pf, perr) in points.items():
        if len(pt):
            ax.errorbar(pt, pf, yerr=perr, fmt="o", ms=5, capsize=3, label=label)
    for t_ref, name in [(60.0, "1 min"), (3600.0, "1 h"), (86400.0, "1 day")]:
        ax.axhline(t_ref, color="grey", lw=0.5, ls=":")
        ax.text(temp.min(), t_ref, name, fontsize=7, va="bottom", color="grey")
    ax.set_xlabel("T (°C)")
    ax.set_ylabel("full-conversion time t_fc (s)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out_path, dpi=120)
    plt.close(fig)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("estimate_csv")
    ap.add_argument("--kmc", help="CSV of KMC points (temperature_C, t_fc_s[, t_fc_err_s])")
    ap.add_argument("--runs", nargs="*", default=[], help="run output directories")
    ap.add_argument("--threshold", type=float, default=0.95)
    ap.add_argument("-o", "--output")
    a = ap.parse_args(argv)
    est = read_estimate(a.estimate_csv)
    points = {}
    if a.kmc:
        k = read_csv(a.kmc)
        err = np.asarray(k["t_fc_err_s"], float) if "t_fc_err_s" in k else None
        points["KMC"] = (np.asarray(k["temperature_C"], float), np.asarray(k["t_fc_s"], float), err)
    if a.runs:
        pt, pf = kmc_points_from_runs(a.runs, a.threshold)
        points[f"KMC runs (X ≥ {a.threshold:g})"] = (pt, pf, None)
    out = a.output or os.path.join(os.path.dirname(os.path.abspath(a.estimate_csv)), "estimate.png")
    plot(est, points, out)
    print(out)


if __name__ == "__main__":
    main()
