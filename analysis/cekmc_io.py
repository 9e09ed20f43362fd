"""Readers for cekmc output directories (numpy only; no Swift binary needed).

Layout of OUTDIR (written by the KMC run, see docs/outputs.md):
  timeseries.csv, domains.csv, domain_events.csv, entry_points.csv, fronts.csv,
  maps/index.csv + maps/cu_NNNNNN.npy, maps/cd_NNNNNN.npy, snapshots/..., summary.json, timing.json
"""
from __future__ import annotations

import csv
import os

import numpy as np


def _convert(values):
    """Column of strings -> int array, float array, or string array (in that order of preference)."""
    try:
        return np.array([int(v) for v in values], dtype=np.int64)
    except ValueError:
        pass
    try:
        return np.array([float(v) if v != "" else np.nan for v in values], dtype=float)
    except ValueError:
        return np.array(values, dtype=object)


def read_csv(path):
    """Read a cekmc CSV file into a dict column name -> numpy array (ints, floats or strings).

    A file with only a header gives empty arrays. Column order is kept (dicts are ordered).
    """
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    if not rows:
        raise ValueError(f"{path}: empty file (no header)")
    header, data = rows[0], rows[1:]
    for k, r in enumerate(data):
        if len(r) != len(header):
            raise ValueError(f"{path}:{k + 2}: {len(r)} fields, header has {len(header)}")
    cols = {}
    for j, name in enumerate(header):
        values = [r[j] for r in data]
        cols[name] = _convert(values) if values else np.array([], dtype=float)
    return cols


def read_outdir_csv(outdir, name):
    """read_csv(OUTDIR/name)."""
    return read_csv(os.path.join(outdir, name))


def time_unit(t_max_s):
    """Pick a readable time unit for a span of t_max_s seconds: (divisor, label)."""
    if t_max_s >= 2 * 3600:
        return 3600.0, "h"
    if t_max_s >= 2 * 60:
        return 60.0, "min"
    if t_max_s >= 1 or t_max_s == 0:
        return 1.0, "s"
    if t_max_s >= 1e-3:
        return 1e-3, "ms"
    if t_max_s >= 1e-6:
        return 1e-6, "µs"
    return 1e-9, "ns"


def use_agg():
    """Import matplotlib with the non-interactive Agg backend and return pyplot."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt
