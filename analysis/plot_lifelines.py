#!/usr/bin/env python3
"""Domain lifelines: (a) every kept domain's length versus time (temperature on a twin axis) or
versus temperature, with its events marked; (b) its axial extent z_min…z_max versus time as a thin
band, one colour per domain — readable with hundreds of domains on a full wire.

Usage: plot_lifelines.py OUTDIR [--min-length-nm 2] [--min-sites N] [--x time|temperature] [--out FILE]

Input: domains.csv and domain_events.csv (timeseries.csv, when present, gives the temperature
curve). A domain is kept when the largest length it reached is ≥ --min-length-nm, or (with
--min-sites) the largest site count is ≥ --min-sites. Markers: birth ○, reversal ✕ (at the time the
domain was gone, at its last length / position), vanish + (gone before reaching the tracker's N_min
sites), merge ◆ (on the absorbing domain), split ▽ (on the domain that keeps the id).
Writes OUTDIR/figures/lifelines.png (or --out FILE); prints the path.
"""
from __future__ import annotations

import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cekmc_io import read_outdir_csv, time_unit, use_agg  # noqa: E402
from figures_common import output_path  # noqa: E402

# event -> (matplotlib marker, colour, filled, legend text)
MARKERS = {
    "birth": ("o", "black", False, "birth ○"),
    "reversal": ("x", "tab:red", True, "reversal ✕"),
    "vanish": ("+", "grey", True, "vanish + (never reached N_min)"),
    "merge": ("D", "tab:green", True, "merge ◆ (absorbing domain)"),
    "split": ("v", "tab:purple", False, "split ▽"),
}


def domain_histories(domains):
    """domains.csv columns -> {domain_id: dict of arrays (time_s, temperature_C, z_min_nm, z_max_nm,
    length_nm, n_sites) sorted by time}."""
    ids = np.asarray(domains["domain_id"], int)
    t = np.asarray(domains["time_s"], float)
    out = {}
    order = np.lexsort((t, ids))
    cols = ["time_s", "temperature_C", "z_min_nm", "z_max_nm", "length_nm", "n_sites"]
    if len(order) == 0:
        return out
    bounds = np.nonzero(np.diff(ids[order]))[0] + 1
    for chunk in np.split(order, bounds):
        out[int(ids[chunk[0]])] = {c: np.asarray(domains[c], float)[chunk] for c in cols}
    return out


def kept_domains(histories, events=None, min_length_nm=2.0, min_sites=None):
    """Sorted ids of domains whose largest length (over domains.csv and the events' max_length_nm)
    is ≥ min_length_nm, or whose largest site count is ≥ min_sites (when given)."""
    best_len = {d: float(np.max(h["length_nm"])) for d, h in histories.items()}
    best_n = {d: float(np.max(h["n_sites"])) for d, h in histories.items()}
    if events is not None and len(events["domain_id"]):
        for d, ln, n in zip(events["domain_id"], events["max_length_nm"], events["max_n_sites"]):
            d = int(d)
            if np.isfinite(ln):
                best_len[d] = max(best_len.get(d, -np.inf), float(ln))
            if np.isfinite(n):
                best_n[d] = max(best_n.get(d, -np.inf), float(n))
    keep = {d for d, v in best_len.items() if v >= min_length_nm}
    if min_sites is not None:
        keep |= {d for d, v in best_n.items() if v >= min_sites}
    return sorted(keep)


def event_points(events, histories, kept):
    """Marker positions per event kind among kept domains: {kind: (time_s, temperature_C, length_nm,
    z_nm)}. Length: the domain's length at the event time, or its last length before it (reversal,
    vanish)."""
    pts = {}
    if len(events["event"]) == 0:
        return pts
    for kind in MARKERS:
        rows = [k for k in range(len(events["event"]))
                if events["event"][k] == kind and int(events["domain_id"][k]) in kept]
        if not rows:
            continue
        ts, temps, lens, zs = [], [], [], []
        for k in rows:
            t = float(events["time_s"][k])
            h = histories.get(int(events["domain_id"][k]))
            length = np.nan
            if h is not None:
                before = np.nonzero(h["time_s"] <= t)[0]
                length = float(h["length_nm"][before[-1]]) if len(before) else float(h["length_nm"][0])
            ts.append(t)
            temps.append(float(events["temperature_C"][k]))
            lens.append(length)
            zs.append(float(events["z_nm"][k]))
        pts[kind] = tuple(np.array(v) for v in (ts, temps, lens, zs))
    return pts


def _temperature_curve(outdir, domains, events):
    path = os.path.join(outdir, "timeseries.csv")
    if os.path.isfile(path):
        ts = read_outdir_csv(outdir, "timeseries.csv")
        if len(ts.get("time_s", [])):
            order = np.argsort(ts["time_s"], kind="stable")
            return np.asarray(ts["time_s"], float)[order], np.asarray(ts["temperature_C"], float)[order]
    t = np.concatenate([np.asarray(domains["time_s"], float), np.asarray(events["time_s"], float)])
    temp = np.concatenate([np.asarray(domains["temperature_C"], float), np.asarray(events["temperature_C"], float)])
    t, first = np.unique(t, return_index=True)
    return t, temp[first]


def plural(n, noun):
    """'1 merge', '3 merges'."""
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _marker_kwargs(kind, size=6):
    marker, colour, filled, _ = MARKERS[kind]
    kw = dict(marker=marker, ls="", ms=size, color=colour, zorder=5)
    if not filled:
        kw.update(mfc="none", mec=colour, mew=1.2)
    return kw


def plot(outdir, out_path, min_length_nm=2.0, min_sites=None, x="time"):
    plt = use_agg()
    from matplotlib.lines import Line2D

    domains = read_outdir_csv(outdir, "domains.csv")
    events = read_outdir_csv(outdir, "domain_events.csv")
    hist = domain_histories(domains)
    kept = kept_domains(hist, events, min_length_nm, min_sites)
    kept_set = set(kept)
    pts = event_points(events, hist, kept_set)
    t_curve, temp_curve = _temperature_curve(outdir, domains, events)
    t_all = np.concatenate([t_curve, np.asarray(domains["time_s"], float)])
    scale, unit = time_unit(float(t_all.max()) if len(t_all) else 0.0)
    many = len(kept) > 40
    lw, alpha = (0.6, 0.5) if many else (1.3, 0.8)
    colours = plt.get_cmap("tab20")(np.arange(max(len(kept), 1)) % 20)

    fig, (axa, axb) = plt.subplots(2, 1, figsize=(9, 8), sharex=(x == "time"), layout="constrained")
    for c, d in zip(colours, kept):
        h = hist.get(d)
        if h is None:
            continue
        xs = h["time_s"] / scale if x == "time" else h["temperature_C"]
        axa.plot(xs, h["length_nm"], color=c, lw=lw, alpha=alpha, marker="." if len(xs) == 1 else None)
        tb = h["time_s"] / scale
        if len(tb) > 1:
            axb.fill_between(tb, h["z_min_nm"], h["z_max_nm"], color=c, alpha=alpha * 0.7, lw=0)
        else:
            axb.vlines(tb, h["z_min_nm"], h["z_max_nm"], color=c, lw=2, alpha=alpha)
        if len(kept) <= 20:
            axa.annotate(str(d), (xs[-1], h["length_nm"][-1]), fontsize=7, color=c, xytext=(3, 2),
                         textcoords="offset points")
    size = 3.5 if many else 6
    for kind, (ts, temps, lens, zs) in pts.items():
        xs = ts / scale if x == "time" else temps
        axa.plot(xs, lens, **_marker_kwargs(kind, size))
        axb.plot(ts / scale, zs, **_marker_kwargs(kind, size))
    handles = [Line2D([], [], label=MARKERS[k][3], **_marker_kwargs(k)) for k in MARKERS]
    axa.legend(handles=handles, loc="upper left", fontsize=7, ncol=2)
    axa.set_ylabel("domain length (nm)")
    axa.set_ylim(bottom=0)
    axa.grid(alpha=0.3)
    if x == "time":
        axT = axa.twinx()
        axT.plot(t_curve / scale, temp_curve, color="tab:red", lw=1, ls="--", alpha=0.7)
        axT.set_ylabel("T (°C, dashed)", color="tab:red")
        axa.set_xlabel(f"time ({unit})")
        axa.tick_params(labelbottom=True)
    else:
        axa.set_xlabel("temperature (°C)")
    axb.set_xlabel(f"time ({unit})")
    axb.set_ylabel("z along the wire (nm)")
    axb.grid(alpha=0.3)
    axb.set_title("axial extent z_min … z_max of each kept domain", fontsize=9)
    if not kept:
        axa.text(0.5, 0.5, "no domain reached the length threshold", ha="center", va="center",
                 transform=axa.transAxes)
    n = {k: (len(pts[k][0]) if k in pts else 0) for k in MARKERS}
    rule = f"max length ≥ {min_length_nm:g} nm" + (f" or ≥ {min_sites:g} sites" if min_sites is not None else "")
    counts = [plural(n["birth"], "birth"), plural(n["reversal"], "reversal"), plural(n["merge"], "merge")]
    if n["split"]:
        counts.append(plural(n["split"], "split"))
    fig.suptitle(f"{plural(len(kept), 'domain')} with {rule}: " + ", ".join(counts), fontsize=10)
    fig.savefig(out_path, dpi=130)
    plt.close(fig)
    return {"kept": kept, "counts": n}


def make(outdir, out=None, min_length_nm=2.0, min_sites=None, x="time"):
    """Write the lifelines figure; returns (path, {kept, counts})."""
    path = output_path(outdir, out, "lifelines.png")
    info = plot(outdir, path, min_length_nm, min_sites, x)
    return path, info


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("outdir")
    ap.add_argument("--min-length-nm", type=float, default=2.0, help="keep domains that reached this length (nm)")
    ap.add_argument("--min-sites", type=float, help="also keep domains that reached this many sites")
    ap.add_argument("--x", choices=["time", "temperature"], default="time", help="x axis of the length panel")
    ap.add_argument("--out", "-o", help="output PNG (default OUTDIR/figures/lifelines.png)")
    a = ap.parse_args(argv)
    path, _ = make(a.outdir, a.out, a.min_length_nm, a.min_sites, a.x)
    print(path)
    return path


if __name__ == "__main__":
    main()
