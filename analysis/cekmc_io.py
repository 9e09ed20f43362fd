"""Readers for cekmc output directories (numpy only; no Swift binary needed).

Layout of OUTDIR (written by the KMC run, see docs/outputs.md):
  timeseries.csv, domains.csv, domain_events.csv, entry_points.csv, fronts.csv, axial_profile.csv,
  maps/index.csv + maps/cu_NNNNNN.npy, maps/cd_NNNNNN.npy, snapshots/..., summary.json, timing.json

A folder of several seeds holds seed_1/, seed_2/, … (each a folder as above) and
aggregate/timeseries.csv (time_s, temperature_C, then <quantity>_median, _p10, _p90 per quantity).
"""
from __future__ import annotations

import csv
import os
import re

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


AXIAL_PROFILE_COLUMNS = ["time_s", "temperature_C", "z_nm", "cation_sites", "cu_cation", "cu_interstitial",
                         "shell_cu"]
MAP_INDEX_COLUMNS = ["snapshot", "time_s", "temperature_C", "cu_file", "cd_file", "bin_nm", "u_min_nm",
                     "z_min_nm", "n_u", "n_z"]


def _require(table, columns, path):
    missing = [c for c in columns if c not in table]
    if missing:
        raise ValueError(f"{path} lacks columns {missing}")


def read_axial_profile(outdir):
    """axial_profile.csv (one row per axial bin per output) as a (time × z) grid.

    Returns a dict: time_s (n_t,) sorted unique output times, temperature_C (n_t,), z_nm (n_z,) sorted
    unique bin centres, bin_nm (the smallest spacing of the centres; 1.0 with a single bin), and for
    each of cation_sites, cu_cation, cu_interstitial, shell_cu an (n_t, n_z) float array; a (time, z)
    pair without a row is NaN.
    """
    path = os.path.join(outdir, "axial_profile.csv")
    p = read_csv(path)
    _require(p, AXIAL_PROFILE_COLUMNS, path)
    t = np.asarray(p["time_s"], float)
    z = np.asarray(p["z_nm"], float)
    times, it = np.unique(t, return_inverse=True)
    zs, iz = np.unique(z, return_inverse=True)
    out = {"time_s": times, "z_nm": zs,
           "bin_nm": float(np.min(np.diff(zs))) if len(zs) > 1 else 1.0}
    temp = np.full(len(times), np.nan)
    temp[it] = np.asarray(p["temperature_C"], float)
    out["temperature_C"] = temp
    for c in AXIAL_PROFILE_COLUMNS[3:]:
        grid = np.full((len(times), len(zs)), np.nan)
        grid[it, iz] = np.asarray(p[c], float)
        out[c] = grid
    return out


def read_map_index(outdir):
    """maps/index.csv as a list of dicts (one per map, in file order) with typed fields:
    snapshot (int), time_s, temperature_C, bin_nm, u_min_nm, z_min_nm (float), n_u, n_z (int),
    cu_file, cd_file (paths joined to OUTDIR/maps)."""
    path = os.path.join(outdir, "maps", "index.csv")
    idx = read_csv(path)
    _require(idx, MAP_INDEX_COLUMNS, path)
    rows = []
    for k in range(len(idx["snapshot"])):
        rows.append({"snapshot": int(idx["snapshot"][k]), "time_s": float(idx["time_s"][k]),
                     "temperature_C": float(idx["temperature_C"][k]), "bin_nm": float(idx["bin_nm"][k]),
                     "u_min_nm": float(idx["u_min_nm"][k]), "z_min_nm": float(idx["z_min_nm"][k]),
                     "n_u": int(idx["n_u"][k]), "n_z": int(idx["n_z"][k]),
                     "cu_file": os.path.join(outdir, "maps", str(idx["cu_file"][k])),
                     "cd_file": os.path.join(outdir, "maps", str(idx["cd_file"][k]))})
    return rows


def load_map_pair(row):
    """The Cu and Cd count maps (n_z × n_u int arrays, rows along z, columns across u) of one
    read_map_index row; checks their shape against the index."""
    cu = np.load(row["cu_file"])
    cd = np.load(row["cd_file"])
    want = (row["n_z"], row["n_u"])
    if cu.shape != want or cd.shape != want:
        raise ValueError(f"{row['cu_file']}: map shape {cu.shape}/{cd.shape} differs from index {want}")
    return cu, cd


_SEED_DIR = re.compile(r"^seed_(\d+)$")


def find_layout(outdir):
    """How OUTDIR is laid out: a dict with kind ("single" or "aggregate"), seeds (sorted list of
    (seed number, path) of the seed_K/ subfolders) and aggregate (path of aggregate/timeseries.csv or
    None). A folder is an aggregate when it holds seed_K/ subfolders or aggregate/timeseries.csv."""
    seeds = []
    for name in os.listdir(outdir):
        m = _SEED_DIR.match(name)
        if m and os.path.isdir(os.path.join(outdir, name)):
            seeds.append((int(m.group(1)), os.path.join(outdir, name)))
    seeds.sort()
    agg = os.path.join(outdir, "aggregate", "timeseries.csv")
    agg = agg if os.path.isfile(agg) else None
    kind = "aggregate" if seeds or agg else "single"
    return {"kind": kind, "seeds": seeds, "aggregate": agg}
