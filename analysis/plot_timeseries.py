#!/usr/bin/env python3
"""X(t), T(t) and shell coverage of a cekmc run.

Usage: plot_timeseries.py OUTDIR [-o FILE]      (default FILE: OUTDIR/timeseries.png)
"""
from __future__ import annotations

import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cekmc_io import read_outdir_csv, time_unit, use_agg  # noqa: E402

REQUIRED = ["time_s", "temperature_C", "exchanged_fraction", "exchanged_volume_nm3", "shell_cu_per_nm"]


def load_timeseries(outdir):
    """timeseries.csv as a dict of arrays, rows sorted by time; checks the required columns."""
    ts = read_outdir_csv(outdir, "timeseries.csv")
    missing = [c for c in REQUIRED if c not in ts]
    if missing:
        raise ValueError(f"{outdir}/timeseries.csv lacks columns {missing}")
    order = np.argsort(ts["time_s"], kind="stable")
    return {k: v[order] for k, v in ts.items()}


def exchange_rate_nm3_per_h(time_s, volume_nm3):
    """Mean exchanged-volume rate (nm³/h) between the first and last row with growing volume, or nan."""
    t = np.asarray(time_s, float)
    v = np.asarray(volume_nm3, float)
    if len(t) < 2 or t[-1] <= t[0]:
        return float("nan")
    return float((v[-1] - v[0]) / (t[-1] - t[0]) * 3600.0)


def plot(ts, out_path):
    plt = use_agg()
    t = ts["time_s"]
    scale, unit = time_unit(float(t.max()) if len(t) else 0.0)
    fig, axes = plt.subplots(3, 1, figsize=(7, 7.5), sharex=True)
    axes[0].plot(t / scale, ts["exchanged_fraction"], color="tab:orange")
    axes[0].set_ylabel("exchanged fraction X")
    axes[0].set_ylim(-0.02, 1.02)
    axes[1].plot(t / scale, ts["temperature_C"], color="tab:red")
    axes[1].set_ylabel("T (°C)")
    axes[2].plot(t / scale, ts["shell_cu_per_nm"], color="tab:blue")
    axes[2].set_ylabel("shell Cu per nm")
    axes[2].set_xlabel(f"time ({unit})")
    rate = exchange_rate_nm3_per_h(t, ts["exchanged_volume_nm3"])
    axes[0].set_title(f"mean exchange rate {rate:.3g} nm³/h" if np.isfinite(rate) else "")
    fig.tight_layout()
    fig.savefig(out_path, dpi=120)
    plt.close(fig)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("outdir")
    ap.add_argument("-o", "--output")
    a = ap.parse_args(argv)
    ts = load_timeseries(a.outdir)
    out = a.output or os.path.join(a.outdir, "timeseries.png")
    plot(ts, out)
    print(out)


if __name__ == "__main__":
    main()
