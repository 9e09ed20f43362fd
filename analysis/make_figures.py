#!/usr/bin/env python3
"""Every figure an output folder allows, into OUTDIR/figures/, with one line per figure.

Usage: make_figures.py OUTDIR [--seed K] [--probe-nm 1.0] [--min-length-nm 2] [--per-frame]

One run (timeseries.csv, axial_profile.csv, domains.csv + domain_events.csv, maps/):
  xt.png               X and T vs time, shell coverage            (plot_xt.py)
  kymograph.png        X(z, t) along the wire, T beside it        (plot_kymograph.py)
  kymograph_shell.png  shell Cu per nm along the wire             (plot_kymograph.py --quantity shell)
  lifelines.png        domain lengths and axial extents           (plot_lifelines.py)
  eds_maps.png         EDS-like Cu / Cd / overlay maps            (plot_eds.py)
  profile.png          cross-wire Cu and Cd profiles              (plot_profile.py)
A figure whose input is missing or holds no rows is skipped with a line saying so.
A folder of seeds (seed_1/, seed_2/, … and aggregate/timeseries.csv) gets xt.png with the median and
10–90 % band over seeds, and the other figures of seed_1 (or --seed K) as seed_K_<name>.png.
Exit status: 0 when every figure whose input exists was written (skips included), 1 when one
failed (the error is printed and the other figures are still made), 2 for a bad command line or a
missing OUTDIR.
"""
from __future__ import annotations

import argparse
import os
import sys
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cekmc_io import find_layout, read_map_index  # noqa: E402
from figures_common import NoData, figures_dir  # noqa: E402


class Report:
    """Collects one line per figure: written, skipped or failed."""

    def __init__(self):
        self.failed = 0

    def wrote(self, what, path, detail=""):
        print(f"{what}: {path}" + (f" ({detail})" if detail else ""))

    def skipped(self, what, reason):
        print(f"{what}: skipped — {reason}")

    def error(self, what, exc):
        self.failed += 1
        print(f"{what}: error — {type(exc).__name__}: {exc}", file=sys.stderr)
        if os.environ.get("CEKMC_FIGURES_TRACEBACK"):
            traceback.print_exc()


def _attempt(report, what, fn):
    try:
        fn()
    except NoData as exc:
        report.skipped(what, str(exc))
    except Exception as exc:  # one figure's failure must not stop the others
        report.error(what, exc)


def run_figures(run_dir, fig_dir, report, prefix="", xt=True, probe_nm=1.0, min_length_nm=2.0, per_frame=False):
    """Make the figures of one run folder into fig_dir, names prefixed by prefix."""
    import plot_eds
    import plot_kymograph
    import plot_lifelines
    import plot_profile
    import plot_xt

    label = (lambda s: f"{prefix.rstrip('_')} {s}") if prefix else (lambda s: s)
    has = lambda name: os.path.isfile(os.path.join(run_dir, name))  # noqa: E731

    if xt:
        if has("timeseries.csv"):
            def do_xt():
                path, _ = plot_xt.make(run_dir, os.path.join(fig_dir, prefix + "xt.png"))
                report.wrote(label("X/T"), path, "exchanged fraction and temperature vs time, shell coverage")
            _attempt(report, label("X/T"), do_xt)
        else:
            report.skipped(label("X/T"), "no timeseries.csv")

    if has("axial_profile.csv"):
        for quantity, name in (("fraction", "kymograph.png"), ("shell", "kymograph_shell.png")):
            what = label("kymograph" if quantity == "fraction" else "shell kymograph")

            def do_kymo(quantity=quantity, name=name, what=what):
                path = plot_kymograph.make(run_dir, os.path.join(fig_dir, prefix + name), quantity)
                report.wrote(what, path, plot_kymograph.QUANTITIES[quantity][0])
            _attempt(report, what, do_kymo)
    else:
        report.skipped(label("kymograph"), "no axial_profile.csv")

    if has("domains.csv") and has("domain_events.csv"):
        def do_life():
            path, info = plot_lifelines.make(run_dir, os.path.join(fig_dir, prefix + "lifelines.png"), min_length_nm)
            c = info["counts"]
            report.wrote(label("lifelines"), path, f"{plot_lifelines.plural(len(info['kept']), 'domain')} "
                         f"≥ {min_length_nm:g} nm: " + ", ".join(plot_lifelines.plural(c[k], k)
                                                               for k in ("birth", "reversal", "merge")))
        _attempt(report, label("lifelines"), do_life)
    else:
        report.skipped(label("lifelines"), "no domains.csv / domain_events.csv")

    if not has(os.path.join("maps", "index.csv")):
        report.skipped(label("EDS maps"), "no maps/")
        report.skipped(label("profile"), "no maps/")
        return

    def do_eds():
        n_maps = len(read_map_index(run_dir))
        res = plot_eds.make(run_dir, os.path.join(fig_dir, prefix + "eds_maps.png"), probe_nm=probe_nm,
                            per_frame=per_frame)
        paths = res["paths"]
        detail = f"{len(res['series'])} of {n_maps} snapshots, probe FWHM {probe_nm:g} nm"
        report.wrote(label("EDS maps"), paths[0], detail)
        for p in paths[1:]:
            report.wrote(label("EDS frame"), p)
    _attempt(report, label("EDS maps"), do_eds)

    def do_profile():
        path, series = plot_profile.make(run_dir, os.path.join(fig_dir, prefix + "profile.png"), probe_nm=probe_nm)
        report.wrote(label("profile"), path, f"cross-wire Cu and Cd, {len(series)} snapshots")
    _attempt(report, label("profile"), do_profile)


def make_all(outdir, seed=None, probe_nm=1.0, min_length_nm=2.0, per_frame=False):
    """Make every figure OUTDIR allows; returns the number of figures that failed."""
    report = Report()
    fig_dir = figures_dir(outdir)
    layout = find_layout(outdir)
    if layout["kind"] == "single":
        if seed is not None:
            raise ValueError(f"--seed {seed}: {outdir} holds no seed_K/ folders")
        run_figures(outdir, fig_dir, report, probe_nm=probe_nm, min_length_nm=min_length_nm, per_frame=per_frame)
        return report.failed

    seeds = dict(layout["seeds"])
    if seed is not None and seed not in seeds:
        raise ValueError(f"--seed {seed}: no {os.path.join(outdir, f'seed_{seed}')}/ (have {sorted(seeds)})")

    import plot_xt

    def do_band():
        path, cur = plot_xt.make(outdir, os.path.join(fig_dir, "xt.png"))
        src = "aggregate/timeseries.csv" if layout["aggregate"] else "the seed folders (no aggregate/timeseries.csv)"
        report.wrote("X/T", path, f"{cur['n_seeds']} seeds, median and 10–90 % band from {src}")
    _attempt(report, "X/T", do_band)

    if not seeds:
        report.skipped("per-seed figures", "no seed_K/ folders")
        return report.failed
    k = seed if seed is not None else (1 if 1 in seeds else min(seeds))
    run_figures(seeds[k], fig_dir, report, prefix=f"seed_{k}_", xt=False, probe_nm=probe_nm,
                min_length_nm=min_length_nm, per_frame=per_frame)
    return report.failed


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("outdir")
    ap.add_argument("--seed", type=int, help="seed folder for the per-seed figures of a seed folder (default 1)")
    ap.add_argument("--probe-nm", type=float, default=1.0, help="FWHM of the Gaussian probe of the maps, nm")
    ap.add_argument("--min-length-nm", type=float, default=2.0, help="lifelines: keep domains that reached this length")
    ap.add_argument("--per-frame", action="store_true", help="also one EDS PNG per snapshot")
    a = ap.parse_args(argv)
    if not os.path.isdir(a.outdir):
        print(f"error: {a.outdir} is not a folder", file=sys.stderr)
        return 2
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        print("error: matplotlib is not installed (python3 -m pip install -r analysis/requirements.txt)",
              file=sys.stderr)
        return 1
    try:
        failed = make_all(a.outdir, a.seed, a.probe_nm, a.min_length_nm, a.per_frame)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if failed:
        print(f"make_figures: {failed} figure(s) failed", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
