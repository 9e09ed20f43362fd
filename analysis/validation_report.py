#!/usr/bin/env python3
"""The reproduction report: every fact of spec §7 (Casu et al., ACS Nano 2023) computed from cekmc run
folders, per seed, then summarised over seeds, written as Markdown with figures.

Usage:
  validation_report.py --zb DIR --wz DIR [--wz-ramp DIR] [--reversibility DIR] [--shell-vacancy DIR]
                       [--estimate-csv FILE ...] [--isothermal DIR ...] [--fit FILE.json]
                       [--md-zb DIR] [--md-wz DIR] [--barriers FILE.toml]
                       [--out docs/validation.md] [--figures docs/figures]

Every DIR is one run folder (timeseries.csv, domains.csv, …; docs/outputs.md) or a folder of seeds
(seed_K/ subfolders, each a run folder; every seed with a timeseries.csv is used, finished or not).
--shell-vacancy DIR holds one such folder per surface-vacancy fraction (vac_0.00/, vac_0.03/, …; the
fraction is read from each run's input.toml, else from the folder name). --estimate-csv takes the CSV
of `cekmc estimate --phase zb|wz …` (once per phase); --isothermal takes run folders whose program is a
single hold (their full-conversion times go on the Fig. 6 plot). --fit names a JSON file with a list
`targets` of objects whose `observable` or `fact` is a fact id of this report (the facts a fit was made
to); those rows read "fit", every other row "prediction". --md-zb/--md-wz are runs made with a barrier
file from `cekmc calibrate`; their facts stand beside the default ones. --barriers prints a barrier
file beside the paper's Table 1.

How far a run got is read from its last output (timeseries.csv) against the length of its temperature
program, summed from the `[[temperature.steps]]` of its input.toml. A fact that needs a part of the
program a run has not reached reads "not reached" for that run, with the reason.

The report holds no wall-clock date: the same folders and options give the same bytes. It starts with
the command that regenerates it (paths relative to the repository when inside it).
"""
from __future__ import annotations

import argparse
import json
import math
import os
import re
import shlex
import sys
import tomllib

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cekmc_io import find_layout, read_outdir_csv, time_unit, use_agg  # noqa: E402
from plot_estimate import full_conversion_time, read_estimate  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# ---------------------------------------------------------------- thresholds (named, with rationale)

THRESHOLDS = []


def threshold(name, value, unit, why):
    """Register a named threshold (listed in the report's Definitions) and return its value."""
    THRESHOLDS.append((name, value, unit, why))
    return value


SHELL_MIN_CU_PER_NM = threshold(
    "SHELL_MIN_CU_PER_NM", 5.0, "Cu/nm",
    "a shell is present from the first output with this many adsorbed Cu per nm of wire (the unit of "
    "the paper's Fig. 5): several Cu on every nm, not a few isolated adatoms")
CE_MIN_SITES = threshold(
    "CE_MIN_SITES", 100, "sites",
    "a domain this large counts as exchange (CE): the outputs' own reversal size N_min "
    "(output.min_reversal_sites, ≈ a 2 nm cap); smaller clusters form and vanish all the time")
STAGE_TOL_C = threshold(
    "STAGE_TOL_C", 0.5, "°C",
    "an output or a program hold belongs to a stage temperature when within this much of it "
    "(\"at 125 °C\" = temperature_C ≤ 125.5)")
FIRST_HEATING_END_C = threshold(
    "FIRST_HEATING_END_C", 130.0, "°C",
    "the first heating to 125 °C ends when the program first exceeds this temperature")
PLANAR_FRONT_MAX_STD_NM = threshold(
    "PLANAR_FRONT_MAX_STD_NM", 1.0, "nm",
    "a front is planar when its width (std of the column positions, fronts.csv) is at most a few "
    "cation planes; a flat zb front reads ≈ 0.8 d ≈ 0.28 nm, a flat wz front ≈ d/2 (docs/outputs.md)")
SMALL_DOMAIN_MAX_NM = threshold(
    "SMALL_DOMAIN_MAX_NM", 8.0, "nm",
    "a small domain (largest length reached): the paper's reverting domains are ≈ 5 nm, spec §7 ≲ 8 nm")
BIG_DOMAIN_MIN_NM = threshold(
    "BIG_DOMAIN_MIN_NM", 15.0, "nm",
    "a big domain (largest length reached): the paper's surviving domains are 20 and 30 nm, spec §7 ≳ 15 nm")
REVERSIBLE_BELOW_C = threshold(
    "REVERSIBLE_BELOW_C", 250.0, "°C",
    "the paper's reversible regime: small domains revert below 250 °C")
NO_REVERSAL_FROM_C = threshold(
    "NO_REVERSAL_FROM_C", 300.0, "°C",
    "no domain reverts at or above this temperature (spec §7)")
EXCHANGED_MIN_X = threshold(
    "EXCHANGED_MIN_X", 0.95, "",
    "a wire is exchanged when X reaches this (spec §7: ≥ 95 % by the end of the 450 °C hold); also the "
    "full-conversion threshold of Fig. 6")
WZ_CE_HOLD_C = threshold(
    "WZ_CE_HOLD_C", 400.0, "°C",
    "the wz exchange temperature of the paper's blind experiment (Fig. 1)")
WZ_RATE_PAPER_NM3_PER_H = threshold(
    "WZ_RATE_PAPER_NM3_PER_H", 49000.0, "nm³/h",
    "the measured exchanged-volume rate of an 18 nm wz wire at 400 °C (Fig. 1A)")
WZ_RATE_FACTOR = threshold(
    "WZ_RATE_FACTOR", 3.0, "",
    "the rate holds within this factor either way (spec §7: order of magnitude, within ×3)")
PAPER_WIRE_DIAMETER_NM = threshold(
    "PAPER_WIRE_DIAMETER_NM", 18.0, "nm",
    "the diameter of the wire whose rate was measured; a run of another diameter is flagged")
RATE_X_MIN = threshold(
    "RATE_X_MIN", 0.02, "",
    "the rate fit leaves out outputs at or below this X (before the front is established)")
RATE_X_MAX = threshold(
    "RATE_X_MAX", 0.98, "",
    "the rate fit leaves out outputs at or above this X (the front has reached the wire's end)")
RATE_MIN_OUTPUTS = threshold(
    "RATE_MIN_OUTPUTS", 3, "outputs",
    "fewest outputs for a least-squares slope that is more than a two-point difference")
ONSET_X = threshold(
    "ONSET_X", 0.01, "",
    "the onset of CE on the wz ramp: the first output with this exchanged fraction")
ONSET_MIN_C = threshold(
    "ONSET_MIN_C", 330.0, "°C",
    "lowest onset that holds: the paper's 350 °C less 20 °C for the first detectable exchange and "
    "wire-to-wire scatter")
ONSET_MAX_C = threshold(
    "ONSET_MAX_C", 400.0, "°C",
    "highest onset that holds: the paper's CE is complete by 400 °C")
VACANCY_HIGH = threshold(
    "VACANCY_HIGH", 0.05, "",
    "the vacancy fraction compared with the lowest one (the paper's MD: 0, 3, 5 %)")
SHELL_RATIO_MIN = threshold(
    "SHELL_RATIO_MIN", 5.0, "",
    "shell coverage at 5 % vacancies over that at 0 %: the paper's Fig. 5 (MD) shows ≥ 5×")
SEED_MAJORITY = threshold(
    "SEED_MAJORITY", 0.5, "",
    "a fact holds when it holds in more than this fraction of the seeds that reached it")
MIN_SEEDS_REACHED = threshold(
    "MIN_SEEDS_REACHED", 0.5, "",
    "a fact is judged only when at least this fraction of the seeds reached the part of the program "
    "it needs; otherwise it is \"not reached\"")

YES, NO, NOT_REACHED = "yes", "no", "not reached"

# The paper's Table 1 (Casu et al. 2023, DOI 10.1021/acsnano.3c03049) and its Cu2Se interstitial
# creation barrier (text): (value, uncertainty) in eV; attempt frequency 1.9 THz.
PAPER_TABLE1 = {
    "wz": {"penetration": (0.4, 0.1), "interstitial_hop": (0.29, 0.02), "kick_off": (0.7, 0.3),
           "cu2se_interstitial_creation": (0.6, 0.2)},
    "zb": {"penetration": (0.06, 0.01), "interstitial_hop": (0.51, 0.02), "kick_off": (0.3, 0.1),
           "cu2se_interstitial_creation": (0.6, 0.2)},
}
PAPER_ATTEMPT_THZ = 1.9
BARRIER_STEPS = [("penetration", "b: penetration"), ("interstitial_hop", "c: interstitial hop"),
                 ("kick_off", "d: kick-off"), ("cu2se_interstitial_creation", "Cu₂Se interstitial creation")]

# ---------------------------------------------------------------- formatting


def _group(digits):
    """'49000' -> '49 000' (a space every three digits of the integer part)."""
    sign = "-" if digits.startswith("-") else ""
    digits = digits.lstrip("-")
    head, _, tail = digits.partition(".")
    parts = []
    while len(head) > 3:
        parts.insert(0, head[-3:])
        head = head[:-3]
    parts.insert(0, head)
    return sign + " ".join(parts) + ("." + tail if tail else "")


def fmt(x, unit=""):
    """A number for the report: integers and |x| ≥ 1000 as grouped integers ('1 512'), 3 significant
    digits in between ('0.283', '12.3'), scientific below 1e-3 and from 1e7; None -> '—'."""
    if x is None:
        s = "—"
    elif isinstance(x, (bool, np.bool_)):
        s = "yes" if x else "no"
    elif isinstance(x, (int, np.integer)):
        s = _group(str(int(x)))
    else:
        x = float(x)
        a = abs(x)
        if math.isnan(x):
            s = "nan"
        elif math.isinf(x):
            s = "∞" if x > 0 else "−∞"
        elif a == 0:
            s = "0"
        elif a >= 1e7 or a < 1e-3:
            s = f"{x:.3g}"
        elif a >= 999.5:
            s = _group(f"{x:.0f}")
        else:
            s = f"{x:.3g}"
    return f"{s} {unit}" if unit and s != "—" else s


def fmt_time(t):
    """'1 512 s (25.2 min)'; minutes or hours only from 2 min on."""
    if t is None:
        return "—"
    s = fmt(t, "s")
    if t >= 2 * 3600:
        s += f" ({fmt(t / 3600.0)} h)"
    elif t >= 120:
        s += f" ({fmt(t / 60.0)} min)"
    return s


def fmt_range(values, unit=""):
    """'23 %' for equal values, '21–25 %' for a spread (min–max)."""
    lo, hi = min(values), max(values)
    if fmt(lo) == fmt(hi):
        return fmt(lo, unit)
    return f"{fmt(lo)}–{fmt(hi, unit)}"


def fmt_seeds(seeds):
    """[1, 2, 3, 5] -> '1–3, 5'; None (a single run without a seed number) -> '—'."""
    seeds = sorted(s for s in seeds if s is not None)
    if not seeds:
        return "—"
    out, start, prev = [], seeds[0], seeds[0]
    for s in seeds[1:] + [None]:
        if s is not None and s == prev + 1:
            prev = s
            continue
        out.append(str(start) if start == prev else f"{start}–{prev}")
        if s is not None:
            start = prev = s
    return ", ".join(out)


def plural(n, one, many=None):
    """'1 domain', '3 domains'."""
    return f"{fmt(n)} {one if n == 1 else (many or one + 's')}"


def rel_path(path):
    """path relative to the repository if it lies inside it, else absolute."""
    ap = os.path.abspath(path)
    r = os.path.relpath(ap, REPO)
    return ap if r == ".." or r.startswith(".." + os.sep) else r


# ---------------------------------------------------------------- statistics over seeds


def seed_stats(values):
    """Median, 10th/90th percentiles (linear, numpy's default = Hyndman & Fan type 7, as in
    aggregate/), min and max of the non-None values; n = their number. None when there are none."""
    v = np.array([float(x) for x in values if x is not None], float)
    if len(v) == 0:
        return None
    p10, p90 = np.percentile(v, [10, 90])
    return {"n": len(v), "median": float(np.median(v)), "p10": float(p10), "p90": float(p90),
            "min": float(v.min()), "max": float(v.max())}


def fmt_stats(values, unit, n_total):
    """'12 s [10–14; 9–15]' = median [p10–p90; min–max] of the values, with '(k of n seeds)' when
    only k seeds have a value; one seed: the value alone."""
    st = seed_stats(values)
    if st is None:
        return "—"
    if st["n"] == 1 or st["min"] == st["max"]:
        s = fmt(st["median"], unit)
    else:
        s = (f"{fmt(st['median'], unit)} [{fmt(st['p10'])}–{fmt(st['p90'])}; "
             f"{fmt(st['min'])}–{fmt(st['max'])}]")
    if st["n"] < n_total:
        s += f" ({st['n']} of {n_total} seeds)"
    return s


# ---------------------------------------------------------------- temperature program


class Segment:
    """One piece of the program: kind (ramp, hold, quench), t0/t1 in s, T0/T1 in °C (linear)."""

    def __init__(self, kind, t0, t1, T0, T1):
        self.kind, self.t0, self.t1, self.T0, self.T1 = kind, t0, t1, T0, T1

    def describe(self):
        if self.kind == "hold":
            return f"the {fmt(self.T0)} °C hold"
        return f"the {self.kind} {fmt(self.T0)} → {fmt(self.T1)} °C"


class Program:
    """The temperature program T(t) of an input's [temperature] table (docs/input-files.md): steps
    ramp (rate_C_per_min or duration_min), hold (duration_min), quench (rate_C_per_min, default 1000)
    and repeat (times × steps), starting at start_C; from_C / at_C jump. Times in s."""

    QUENCH_DEFAULT_RATE = 1000.0

    def __init__(self, temperature):
        self.start_C = float(temperature.get("start_C", 25.0))
        self.segments = []
        self._t, self._T = 0.0, self.start_C
        self._add(temperature.get("steps", []))
        self.length = self._t

    def _add(self, steps):
        for st in steps:
            kind = st["type"]
            if kind == "repeat":
                for _ in range(int(st["times"])):
                    self._add(st["steps"])
                continue
            if kind == "hold":
                T0 = float(st.get("at_C", self._T))
                T1 = T0
                dur = 60.0 * float(st["duration_min"])
            elif kind in ("ramp", "quench"):
                T0 = float(st.get("from_C", self._T)) if kind == "ramp" else self._T
                T1 = float(st["to_C"])
                if kind == "ramp" and "duration_min" in st:
                    dur = 60.0 * float(st["duration_min"])
                else:
                    rate = float(st.get("rate_C_per_min", self.QUENCH_DEFAULT_RATE if kind == "quench" else 0))
                    if rate <= 0:
                        raise ValueError(f"temperature step {st}: a ramp needs rate_C_per_min or duration_min")
                    dur = 60.0 * abs(T1 - T0) / rate
            else:
                raise ValueError(f"temperature step type {kind!r} is not ramp, hold, quench or repeat")
            if dur > 0:
                self.segments.append(Segment(kind, self._t, self._t + dur, T0, T1))
            self._t += dur
            self._T = T1

    def segment_at(self, t):
        """The segment holding time t (the later one at a boundary; the last one after the end)."""
        for s in self.segments:
            if s.t0 <= t < s.t1:
                return s
        return self.segments[-1] if self.segments else None

    def temperature_at(self, t):
        """T (°C) of the program at time t (s); the end temperature after the end."""
        s = self.segment_at(t)
        if s is None:
            return self.start_C
        if t >= s.t1:
            return s.T1
        return s.T0 + (s.T1 - s.T0) * (t - s.t0) / (s.t1 - s.t0)

    def first_time_at_least(self, T):
        """First time the program reaches T (°C) or more; None if never."""
        for s in self.segments:
            if s.T0 >= T:
                return s.t0
            if s.T1 >= T:
                return s.t0 + (T - s.T0) / (s.T1 - s.T0) * (s.t1 - s.t0)
        return None

    def first_time_above(self, T):
        """First time the program exceeds T (°C); None if never."""
        for s in self.segments:
            if s.T0 > T:
                return s.t0
            if s.T1 > T:
                return s.t0 + (T - s.T0) / (s.T1 - s.T0) * (s.t1 - s.t0)
        return None

    def holds_at(self, T, tol=STAGE_TOL_C):
        """The hold segments within tol of T, in program order."""
        return [s for s in self.segments if s.kind == "hold" and abs(s.T0 - T) <= tol]

    def time_at_or_above(self, T, until=None):
        """Seconds of the program, up to `until` (default: the end), spent at T (°C) or above."""
        total = 0.0
        for s in self.segments:
            t1 = s.t1 if until is None else min(s.t1, until)
            if t1 <= s.t0:
                continue
            if s.T0 == s.T1:
                total += (t1 - s.t0) if s.T0 >= T else 0.0
                continue
            # Linear piece: the part with T(t) ≥ T is one interval [a, b].
            tc = s.t0 + (T - s.T0) / (s.T1 - s.T0) * (s.t1 - s.t0)
            a, b = (max(s.t0, tc), t1) if s.T1 > s.T0 else (s.t0, min(t1, tc))
            total += max(0.0, b - a)
        return total

    def is_single_hold(self):
        return len(self.segments) == 1 and self.segments[0].kind == "hold"


def program_length_s(input_toml):
    """Length (s) of the temperature program of an input file (path)."""
    with open(input_toml, "rb") as f:
        return Program(tomllib.load(f)["temperature"]).length


def reached(t_last, t_needed):
    """The run's last output is at or after t_needed (to rounding of the output clock)."""
    return t_last >= t_needed - 1e-9 * max(1.0, abs(t_needed))


# ---------------------------------------------------------------- one seed's run


def _col(table, name, kind=float):
    if name not in table:
        return np.array([], dtype=object if kind is str else float)
    if kind is str:
        return np.array([str(v) for v in table[name]], dtype=object)
    return np.asarray(table[name], float)


class Run:
    """One run folder (one seed): its tables, input and program, each read once."""

    def __init__(self, path, seed=None):
        self.path = path
        with open(os.path.join(path, "input.toml"), "rb") as f:
            self.config = tomllib.load(f)
        self.seed = seed if seed is not None else self.config.get("seed")
        self.program = Program(self.config["temperature"])
        ts = read_outdir_csv(path, "timeseries.csv")
        order = np.argsort(np.asarray(ts["time_s"], float), kind="stable")
        self.ts = {k: np.asarray(v)[order] for k, v in ts.items()}
        self.time = np.asarray(self.ts["time_s"], float)
        self.temp = np.asarray(self.ts["temperature_C"], float)
        self.x = np.asarray(self.ts["exchanged_fraction"], float)
        self._tables = {}
        self.summary = None
        sp = os.path.join(path, "summary.json")
        if os.path.isfile(sp):
            with open(sp) as f:
                self.summary = json.load(f)

    def table(self, name):
        if name not in self._tables:
            p = os.path.join(self.path, name)
            self._tables[name] = read_outdir_csv(self.path, name) if os.path.isfile(p) else {}
        return self._tables[name]

    def col(self, name, column, kind=float):
        return _col(self.table(name), column, kind)

    @property
    def last_time(self):
        return float(self.time[-1]) if len(self.time) else 0.0

    @property
    def last_temp(self):
        return float(self.temp[-1]) if len(self.temp) else self.program.start_C

    @property
    def fraction_done(self):
        return self.last_time / self.program.length if self.program.length > 0 else 1.0

    @property
    def complete(self):
        return len(self.time) > 0 and reached(self.last_time, self.program.length)

    @property
    def phase(self):
        return self.config.get("wire", {}).get("phase", "?")

    @property
    def diameter_nm(self):
        return float(self.config.get("wire", {}).get("diameter_nm", float("nan")))

    @property
    def length_nm(self):
        return float(self.config.get("wire", {}).get("length_nm", float("nan")))

    def max_sites_by_id(self):
        """Largest n_sites of every domain id over its domains.csv rows."""
        ids = self.col("domains.csv", "domain_id")
        n = self.col("domains.csv", "n_sites")
        out = {}
        for i, k in zip(ids.astype(int), n):
            out[i] = max(out.get(i, 0.0), k)
        return out

    def stage(self):
        """Where the run is: 'the 125 °C hold' etc. (the segment of its last output)."""
        s = self.program.segment_at(self.last_time)
        if self.complete or s is None:
            return "the end"
        return s.describe()


class Scenario:
    """A folder given on the command line: its runs (one per seed with a timeseries.csv)."""

    def __init__(self, key, label, path):
        self.key, self.label, self.path = key, label, path
        if not os.path.isdir(path):
            raise SystemExit(f"error: {label}: {path} is not a folder")
        layout = find_layout(path)
        self.runs, self.not_started = [], []
        if layout["seeds"]:
            for seed, d in layout["seeds"]:
                if os.path.isfile(os.path.join(d, "timeseries.csv")) and os.path.isfile(os.path.join(d, "input.toml")):
                    self.runs.append(Run(d, seed))
                else:
                    self.not_started.append(seed)
        elif os.path.isfile(os.path.join(path, "timeseries.csv")):
            self.runs.append(Run(path))
        if not self.runs:
            raise SystemExit(f"error: {label}: {path} holds no run (no timeseries.csv, no seed_K/timeseries.csv)")

    @property
    def program(self):
        return self.runs[0].program

    @property
    def seeds(self):
        return [r.seed for r in self.runs]


# ---------------------------------------------------------------- one fact on one seed


class SeedResult:
    """A fact on one seed: status (yes / no / not reached), quantities {label: (value, unit)},
    reason (why no), needs (what a 'not reached' run still needs), qualifier (of a yes), lacking (a
    'not reached' because the program itself lacks the stage the fact needs: no run can reach it)."""

    def __init__(self, status, quantities, reason="", needs="", qualifier="", lacking=""):
        self.status, self.quantities = status, quantities
        self.reason, self.needs, self.qualifier, self.lacking = reason, needs, qualifier, lacking


def fact_shell_before_exchange(run):
    """t_shell = first output with shell ≥ SHELL_MIN_CU_PER_NM; t_CE = first output with a domain of
    ≥ CE_MIN_SITES; holds if t_shell < t_CE, or a shell and no CE yet."""
    shell = np.asarray(run.ts["shell_cu_per_nm"], float)
    hit = np.nonzero(shell >= SHELL_MIN_CU_PER_NM)[0]
    t_shell = float(run.time[hit[0]]) if len(hit) else None
    dt, dn = run.col("domains.csv", "time_s"), run.col("domains.csv", "n_sites")
    big = dn >= CE_MIN_SITES
    t_ce = float(dt[big].min()) if big.any() else None
    q = {"t_shell": (t_shell, "s"), "t_CE": (t_ce, "s")}
    if t_shell is None:
        if t_ce is not None:
            return SeedResult(NO, q, reason=f"CE at t = {fmt(t_ce, 's')} with no shell of ≥ "
                                            f"{fmt(SHELL_MIN_CU_PER_NM)} Cu/nm (max {fmt(float(shell.max()))} Cu/nm)")
        return SeedResult(NOT_REACHED, q, needs=f"a shell of ≥ {fmt(SHELL_MIN_CU_PER_NM)} Cu/nm, not formed yet")
    if t_ce is None:
        return SeedResult(YES, q, qualifier="no CE yet")
    if t_shell < t_ce:
        return SeedResult(YES, q)
    return SeedResult(NO, q, reason=f"CE at t = {fmt(t_ce, 's')}, shell only at t = {fmt(t_shell, 's')}")


def fact_entry_points_125(run):
    """Domains born (entry_points.csv) at ≤ 125.5 °C by the end of the first 125 °C hold whose largest
    size reaches CE_MIN_SITES; holds if ≥ 2."""
    holds = run.program.holds_at(125.0)
    if not holds:
        return SeedResult(NOT_REACHED, {"entries": (None, "")}, lacking="a 125 °C hold")
    t_end = holds[0].t1
    et, eT = run.col("entry_points.csv", "time_s"), run.col("entry_points.csv", "temperature_C")
    eid = run.col("entry_points.csv", "domain_id").astype(int)
    sizes = run.max_sites_by_id()
    at125 = (eT <= 125.0 + STAGE_TOL_C) & (et <= t_end + 1e-9 * max(1.0, t_end))
    ids = sorted(set(eid[at125].tolist()))
    n = sum(1 for i in ids if sizes.get(i, 0) >= CE_MIN_SITES)
    q = {"entries": (n, "")}
    if n >= 2:
        return SeedResult(YES, q)
    if not reached(run.last_time, t_end):
        return SeedResult(NOT_REACHED, q, needs=f"the end of the first 125 °C hold (t = {fmt(t_end, 's')})")
    return SeedResult(NO, q, reason=f"{plural(n, 'entry', 'entries')} of ≥ {CE_MIN_SITES} sites by the end "
                                    f"of the 125 °C hold")


def thorn_domains(run):
    """Domains first seen not spanning that later span with a front of width_std ≤
    PLANAR_FRONT_MAX_STD_NM: {id: median width_std_nm of its front rows from when it first spans}."""
    dt, did = run.col("domains.csv", "time_s"), run.col("domains.csv", "domain_id").astype(int)
    dspan = run.col("domains.csv", "spans")
    ft, fid = run.col("fronts.csv", "time_s"), run.col("fronts.csv", "domain_id").astype(int)
    fw = run.col("fronts.csv", "width_std_nm")
    out = {}
    for i in sorted(set(did.tolist())):
        m = did == i
        t, sp = dt[m], dspan[m]
        order = np.argsort(t, kind="stable")
        t, sp = t[order], sp[order]
        if sp[0] != 0 or not (sp == 1).any():
            continue
        t_span = t[np.nonzero(sp == 1)[0][0]]
        w = fw[(fid == i) & (ft >= t_span)]
        if len(w) and (w <= PLANAR_FRONT_MAX_STD_NM).any():
            out[i] = float(np.median(w))
    return out


def fact_thorn_to_planar(run):
    """Count of thorn domains turned planar (thorn_domains) and their median front width; holds if ≥ 1."""
    th = thorn_domains(run)
    width = float(np.median(list(th.values()))) if th else None
    q = {"thorn → planar domains": (len(th), ""), "front width (std)": (width, "nm")}
    if th:
        return SeedResult(YES, q)
    if not run.complete:
        return SeedResult(NOT_REACHED, q, needs="a domain that starts as a thorn (not spanning) and spans with a "
                                                "planar front; none yet")
    did, dspan = run.col("domains.csv", "domain_id"), run.col("domains.csv", "spans")
    fw = run.col("fronts.csv", "width_std_nm")
    return SeedResult(NO, q, reason=f"no thorn turned into a planar front ({plural(len(set(did.tolist())), 'domain')}, "
                                    f"{len(set(did[dspan == 1].tolist()))} spanning, narrowest front "
                                    f"{fmt(float(fw.min()) if len(fw) else None, 'nm')})")


def _reversals(run):
    ev = run.col("domain_events.csv", "event", str)
    m = ev == "reversal"
    return (run.col("domain_events.csv", "time_s")[m], run.col("domain_events.csv", "temperature_C")[m],
            run.col("domain_events.csv", "max_length_nm")[m])


def fact_small_domains_revert(run):
    """Reversals below REVERSIBLE_BELOW_C of domains whose largest length ≤ SMALL_DOMAIN_MAX_NM (≥ 1
    needed) and of domains ≥ BIG_DOMAIN_MIN_NM (none allowed)."""
    t, T, L = _reversals(run)
    low = T < REVERSIBLE_BELOW_C
    n_small = int((low & (L <= SMALL_DOMAIN_MAX_NM)).sum())
    n_big = int((low & (L >= BIG_DOMAIN_MIN_NM)).sum())
    q = {"small reversals": (n_small, ""), "big reversals": (n_big, "")}
    t_hot = run.program.first_time_at_least(REVERSIBLE_BELOW_C)
    if t_hot == 0.0 and not n_small and not n_big:
        return SeedResult(NOT_REACHED, q, lacking=f"a stage below {fmt(REVERSIBLE_BELOW_C)} °C")
    t_need = t_hot if t_hot is not None else run.program.length
    covered = reached(run.last_time, t_need)
    if n_big:
        k = np.nonzero(low & (L >= BIG_DOMAIN_MIN_NM))[0][0]
        return SeedResult(NO, q, reason=f"{plural(n_big, 'domain')} of ≥ {fmt(BIG_DOMAIN_MIN_NM)} nm reverted below "
                                        f"{fmt(REVERSIBLE_BELOW_C)} °C (first: {fmt(float(L[k]), 'nm')} at "
                                        f"{fmt(float(T[k]))} °C)")
    if n_small:
        return SeedResult(YES, q, qualifier="" if covered else "so far")
    if covered:
        return SeedResult(NO, q, reason=f"no domain of ≤ {fmt(SMALL_DOMAIN_MAX_NM)} nm reverted below "
                                        f"{fmt(REVERSIBLE_BELOW_C)} °C ({int(low.sum())} reversals there in all)")
    what = (f"the program up to {fmt(REVERSIBLE_BELOW_C)} °C (t = {fmt(t_need, 's')})" if t_hot is not None
            else f"the end of the program (t = {fmt(t_need, 's')})")
    return SeedResult(NOT_REACHED, q, needs=what)


def fact_no_reversal_hot(run):
    """Reversals at ≥ NO_REVERSAL_FROM_C: holds if none; not reached if the run has no output there."""
    t, T, L = _reversals(run)
    n = int((T >= NO_REVERSAL_FROM_C).sum())
    covered_hot = run.program.time_at_or_above(NO_REVERSAL_FROM_C, until=run.last_time)
    total_hot = run.program.time_at_or_above(NO_REVERSAL_FROM_C)
    q = {"reversals ≥ 300 °C": (n, ""), "time covered at ≥ 300 °C": (covered_hot, "s")}
    if n:
        return SeedResult(NO, q, reason=f"{plural(n, 'reversal')} at ≥ {fmt(NO_REVERSAL_FROM_C)} °C")
    if not (run.temp >= NO_REVERSAL_FROM_C).any():
        t_hot = run.program.first_time_at_least(NO_REVERSAL_FROM_C)
        if t_hot is None:
            return SeedResult(NOT_REACHED, q, lacking=f"a temperature of {fmt(NO_REVERSAL_FROM_C)} °C")
        return SeedResult(NOT_REACHED, q, needs=f"{fmt(NO_REVERSAL_FROM_C)} °C (t = {fmt(t_hot, 's')})")
    return SeedResult(YES, q, qualifier="" if covered_hot >= total_hot - 1e-9 else "so far")


def fact_merged_exchanged(run):
    """At the program's end: X ≥ EXCHANGED_MIN_X and exactly one domain of ≥ CE_MIN_SITES sites."""
    x = float(run.x[-1]) if len(run.x) else 0.0
    dt, dn = run.col("domains.csv", "time_s"), run.col("domains.csv", "n_sites")
    n_big = int(((dt == run.last_time) & (dn >= CE_MIN_SITES)).sum())
    n_all = int(run.ts["n_domains"][-1]) if len(run.time) else 0
    q = {"X at the last output": (x, ""), f"domains ≥ {CE_MIN_SITES} sites": (n_big, ""),
         "n_domains (all)": (n_all, "")}
    if not run.complete:
        return SeedResult(NOT_REACHED, q, needs=f"the end of the program (t = {fmt(run.program.length, 's')})")
    if x >= EXCHANGED_MIN_X and n_big == 1:
        return SeedResult(YES, q)
    return SeedResult(NO, q, reason=f"X = {fmt(x)}, {plural(n_big, 'domain')} of ≥ {CE_MIN_SITES} sites at the end")


def fact_wz_no_ce_125(run):
    """No domain ≥ CE_MIN_SITES at any output ≤ 125.5 °C before the program first exceeds
    FIRST_HEATING_END_C; the largest shell coverage there is reported beside it."""
    t130 = run.program.first_time_above(FIRST_HEATING_END_C)
    t_end = t130 if t130 is not None else run.program.length
    win = (run.time < t_end) & (run.temp <= 125.0 + STAGE_TOL_C)
    times = run.time[win]
    shell = np.asarray(run.ts["shell_cu_per_nm"], float)[win]
    dt, dn, dT = (run.col("domains.csv", c) for c in ("time_s", "n_sites", "temperature_C"))
    ce = np.isin(dt, times) & (dn >= CE_MIN_SITES)
    q = {"largest domain": (float(dn[np.isin(dt, times)].max()) if np.isin(dt, times).any() else 0.0, "sites"),
         "shell": (float(shell.max()) if len(shell) else None, "Cu/nm")}
    if ce.any():
        k = np.nonzero(ce)[0][0]
        return SeedResult(NO, q, reason=f"a domain of {fmt(int(dn[k]))} sites at t = {fmt(float(dt[k]), 's')} "
                                        f"({fmt(float(dT[k]))} °C)")
    if (t130 is not None and not reached(run.last_time, t_end)) or (t130 is None and not run.complete):
        return SeedResult(NOT_REACHED, q, needs=f"the end of the first heating to 125 °C (t = {fmt(t_end, 's')})")
    if len(times) == 0:
        return SeedResult(NOT_REACHED, q, lacking="a first heating to 125 °C (no output at ≤ 125.5 °C before "
                                                  f"T passes {fmt(FIRST_HEATING_END_C)} °C)")
    shell_max = float(shell.max()) if len(shell) else 0.0
    return SeedResult(YES, q, qualifier="" if shell_max >= SHELL_MIN_CU_PER_NM else "no shell either")


def _first_ce_hold(program, T=WZ_CE_HOLD_C):
    """(stage start, hold) of the first hold at T: the stage runs from the end of the hold before it
    (or t = 0), so that it includes the heating into the hold."""
    holds = program.holds_at(T)
    if not holds:
        return None, None
    h = holds[0]
    before = [s for s in program.segments if s.kind == "hold" and s.t1 <= h.t0]
    return (before[-1].t1 if before else 0.0), h


def fact_wz_one_entry_planar(run):
    """In the first 400 °C stage (the heating into the first 400 °C hold and that hold): births of
    domains reaching CE_MIN_SITES before the first planar front (fronts.csv width_std ≤
    PLANAR_FRONT_MAX_STD_NM); holds if exactly 1."""
    t0, h = _first_ce_hold(run.program)
    if h is None:
        return SeedResult(NOT_REACHED, {"entries before the front": (None, "")},
                          lacking=f"a {fmt(WZ_CE_HOLD_C)} °C hold")
    sizes = run.max_sites_by_id()
    et, eid = run.col("entry_points.csv", "time_s"), run.col("entry_points.csv", "domain_id").astype(int)
    ft, fw = run.col("fronts.csv", "time_s"), run.col("fronts.csv", "width_std_nm")
    tol = 1e-9 * max(1.0, h.t1)
    in_stage = (et > t0) & (et <= h.t1 + tol)
    born = [(t, i) for t, i in zip(et[in_stage], eid[in_stage]) if sizes.get(int(i), 0) >= CE_MIN_SITES]
    planar = (ft > t0) & (ft <= h.t1 + tol) & (fw <= PLANAR_FRONT_MAX_STD_NM)
    t_planar = float(ft[planar].min()) if planar.any() else None
    n_before = sum(1 for t, _ in born if t_planar is not None and t <= t_planar)
    q = {"entries before the front": (n_before if t_planar is not None else None, ""),
         "entries in the stage": (len(born), ""), "first planar front": (t_planar, "s")}
    if t_planar is not None:
        if n_before == 1:
            return SeedResult(YES, q)
        return SeedResult(NO, q, reason=f"{plural(n_before, 'entry', 'entries')} before the first planar front "
                                        f"(t = {fmt(t_planar, 's')})")
    if reached(run.last_time, h.t1):
        return SeedResult(NO, q, reason=f"no planar front in the first {fmt(WZ_CE_HOLD_C)} °C stage "
                                        f"({plural(len(born), 'entry', 'entries')})")
    return SeedResult(NOT_REACHED, q, needs=f"a planar front in the first {fmt(WZ_CE_HOLD_C)} °C stage "
                                            f"(t = {fmt(t0, 's')}–{fmt(h.t1, 's')}); none yet")


def volume_rate_nm3_per_h(time_s, volume_nm3):
    """Least-squares slope of the exchanged volume against time, in nm³/h (nan with < 2 points)."""
    t = np.asarray(time_s, float)
    v = np.asarray(volume_nm3, float)
    if len(t) < 2 or np.ptp(t) == 0:
        return float("nan")
    tm, vm = t.mean(), v.mean()
    return float(np.sum((t - tm) * (v - vm)) / np.sum((t - tm) ** 2) * 3600.0)


def fact_wz_rate(run):
    """Slope of exchanged_volume_nm3 over the outputs of the last 400 °C hold with RATE_X_MIN < X <
    RATE_X_MAX; holds within WZ_RATE_FACTOR of WZ_RATE_PAPER_NM3_PER_H."""
    holds = run.program.holds_at(WZ_CE_HOLD_C)
    q = {"rate": (None, "nm³/h"), "wire diameter": (run.diameter_nm, "nm")}
    if not holds:
        return SeedResult(NOT_REACHED, q, lacking=f"a {fmt(WZ_CE_HOLD_C)} °C hold")
    h = holds[-1]
    tol = 1e-9 * max(1.0, h.t1)
    in_hold = (run.time >= h.t0 - tol) & (run.time <= h.t1 + tol)
    sel = in_hold & (run.x > RATE_X_MIN) & (run.x < RATE_X_MAX)
    vol = np.asarray(run.ts["exchanged_volume_nm3"], float)
    lo, hi = WZ_RATE_PAPER_NM3_PER_H / WZ_RATE_FACTOR, WZ_RATE_PAPER_NM3_PER_H * WZ_RATE_FACTOR
    covered = reached(run.last_time, h.t1)
    if sel.sum() >= RATE_MIN_OUTPUTS:
        rate = volume_rate_nm3_per_h(run.time[sel], vol[sel])
        q["rate"] = (rate, "nm³/h")
        q["outputs fitted"] = (int(sel.sum()), "")
        if lo <= rate <= hi:
            return SeedResult(YES, q, qualifier="" if covered else "so far")
        return SeedResult(NO, q, reason=f"{fmt(rate, 'nm³/h')} is outside {fmt(lo)}–{fmt(hi, 'nm³/h')}")
    if not covered:
        return SeedResult(NOT_REACHED, q, needs=f"{RATE_MIN_OUTPUTS} outputs with {fmt(RATE_X_MIN)} < X < "
                                                f"{fmt(RATE_X_MAX)} in the last {fmt(WZ_CE_HOLD_C)} °C hold "
                                                f"(t = {fmt(h.t0, 's')}–{fmt(h.t1, 's')})")
    rate = volume_rate_nm3_per_h(run.time[in_hold], vol[in_hold])
    q["rate"] = (None if math.isnan(rate) else rate, "nm³/h")
    xs = run.x[in_hold]
    return SeedResult(NO, q, reason=f"fewer than {RATE_MIN_OUTPUTS} outputs with {fmt(RATE_X_MIN)} < X < "
                                    f"{fmt(RATE_X_MAX)} in the last {fmt(WZ_CE_HOLD_C)} °C hold (X "
                                    f"{fmt(float(xs.min()) if len(xs) else None)}–"
                                    f"{fmt(float(xs.max()) if len(xs) else None)}); whole-hold slope "
                                    f"{fmt(None if math.isnan(rate) else rate, 'nm³/h')}")


def fact_wz_ramp_onset(run):
    """Onset = temperature of the first output with X ≥ ONSET_X; holds in [ONSET_MIN_C, ONSET_MAX_C].
    The temperature of the first output with X ≥ EXCHANGED_MIN_X is reported beside it."""
    hit = np.nonzero(run.x >= ONSET_X)[0]
    onset = float(run.temp[hit[0]]) if len(hit) else None
    done = np.nonzero(run.x >= EXCHANGED_MIN_X)[0]
    q = {"onset": (onset, "°C"), "X ≥ 0.95 at": (float(run.temp[done[0]]) if len(done) else None, "°C")}
    if onset is not None:
        if ONSET_MIN_C <= onset <= ONSET_MAX_C:
            return SeedResult(YES, q)
        return SeedResult(NO, q, reason=f"onset at {fmt(onset, '°C')}")
    t_max = float(run.temp.max()) if len(run.temp) else run.program.start_C
    if t_max > ONSET_MAX_C or run.complete:
        return SeedResult(NO, q, reason=f"no onset (X < {fmt(ONSET_X)}) up to {fmt(t_max, '°C')}")
    t_need = run.program.first_time_above(ONSET_MAX_C)
    return SeedResult(NOT_REACHED, q, needs=(f"{fmt(ONSET_MAX_C)} °C (t = {fmt(t_need, 's')})" if t_need is not None
                                             else "the end of the program"))


# ---------------------------------------------------------------- facts table


class Fact:
    """One row kind: id (the name a fit file uses), scenario key, title, the paper's observation,
    and the per-seed function."""

    def __init__(self, fid, scenario, title, paper, fn):
        self.id, self.scenario, self.title, self.paper, self.fn = fid, scenario, title, paper, fn


ZB_FACTS = [
    Fact("zb_shell_before_exchange", "zb", "zb: shell before exchange",
         "a Cu shell around the wire before Cu enters it (Fig. 2, ≤ 125 °C)", fact_shell_before_exchange),
    Fact("zb_entry_points_125C", "zb", "zb: ≥ 2 entry points at 125 °C",
         "several entry points at 125 °C: side entries and a central front (Fig. 2)", fact_entry_points_125),
    Fact("zb_thorn_to_planar", "zb", "zb: thorn → planar front",
         "thorn-like entries expand across the wire into planar fronts (Figs. 2, 3)", fact_thorn_to_planar),
    Fact("zb_small_domains_revert", "zb", "zb: small domains revert below 250 °C, big ones survive",
         "≈ 5 nm domains shrink and vanish below 250 °C; 20 and 30 nm domains survive and grow (Fig. 2)",
         fact_small_domains_revert),
    Fact("zb_no_reversal_300C", "zb", "zb: no reversal at ≥ 300 °C",
         "reversibility only up to 250 °C (spec §7: none at ≥ 300 °C)", fact_no_reversal_hot),
    Fact("zb_merged_exchanged", "zb", "zb: merged, ≥ 95 % exchanged at the end",
         "one merged, fully exchanged wire by the end of the 450 °C hold", fact_merged_exchanged),
]
WZ_FACTS = [
    Fact("wz_no_ce_125C", "wz", "wz: no CE at 125 °C",
         "a Cu shell but no exchange at 125 °C; wz exchanges at 400 °C", fact_wz_no_ce_125),
    Fact("wz_one_entry_planar_front", "wz", "wz: one entry, then a planar front at 400 °C",
         "a thorn-like entry, then a wire-wide planar front moving along the wire (Fig. 1B)",
         fact_wz_one_entry_planar),
    Fact("wz_volume_rate", "wz", "wz: exchanged-volume rate at 400 °C",
         f"{fmt(WZ_RATE_PAPER_NM3_PER_H)} nm³/h, 18 nm wire, 400 °C (Fig. 1A); holds within ×{fmt(WZ_RATE_FACTOR)}",
         fact_wz_rate),
]
RAMP_FACTS = [
    Fact("wz_ramp_onset", "wz_ramp", "wz ramp: onset temperature",
         "CE between 350 and 400 °C, from the earliest onset to completion", fact_wz_ramp_onset),
]
REVERSIBILITY_FACTS = [
    Fact("reversibility_small_domains_revert", "reversibility",
         "reversibility program: small domains revert below 250 °C, big ones survive",
         "as zb: ≈ 5 nm domains revert below 250 °C, 20–30 nm ones survive", fact_small_domains_revert),
    Fact("reversibility_no_reversal_300C", "reversibility", "reversibility program: no reversal at ≥ 300 °C",
         "as zb: no reversal at ≥ 300 °C", fact_no_reversal_hot),
]
SHELL_VACANCY_ID = "shell_vs_vacancy"
ALL_FACT_IDS = [f.id for f in ZB_FACTS + WZ_FACTS + RAMP_FACTS + REVERSIBILITY_FACTS] + [SHELL_VACANCY_ID]


class Row:
    """A fact summarised over the seeds of a scenario."""

    def __init__(self, fact_id, title, paper, simulated, holds, verdict, notes):
        self.fact_id, self.title, self.paper = fact_id, title, paper
        self.simulated, self.holds, self.verdict, self.notes = simulated, holds, verdict, notes


def coverage_phrase(runs):
    """'the run stopped at 23 % of the program (t = 1 512 s, 125 °C)' over the given runs ('completed
    the program' when every one did)."""
    pct = [100.0 * r.fraction_done for r in runs]
    ts = [r.last_time for r in runs]
    Ts = [r.last_temp for r in runs]
    who = "the run" if len(runs) == 1 else f"the {len(runs)} runs"
    if all(r.complete for r in runs):
        return f"{who} completed the program (t = {fmt_range(ts, 's')})"
    return (f"{who} stopped at {fmt_range(pct, '%')} of the program (t = {fmt_range(ts, 's')}, "
            f"{fmt_range(Ts, '°C')})")


def _group_by_text(items):
    """[(seed, text)] -> 'seeds 1, 3: text; seed 2: other' (texts in first-seen order)."""
    groups = {}
    for seed, text in items:
        groups.setdefault(text, []).append(seed)
    parts = []
    for text, seeds in groups.items():
        label = "seed" if len(seeds) == 1 else "seeds"
        parts.append(f"{label} {fmt_seeds(seeds)}: {text}" if any(s is not None for s in seeds) else text)
    return "; ".join(parts)


def summarise(fact_id, title, paper, runs, results):
    """Combine per-seed results into a Row: verdict by SEED_MAJORITY among the seeds that reached the
    fact (not reached when fewer than MIN_SEEDS_REACHED of them did), quantities as median [p10–p90;
    min–max], notes for seeds that fail or did not get far enough."""
    n = len(results)
    reached_ = [(r, s) for r, s in zip(runs, results) if s.status != NOT_REACHED]
    yes = [(r, s) for r, s in reached_ if s.status == YES]
    if not reached_ or len(reached_) < MIN_SEEDS_REACHED * n:
        verdict = NOT_REACHED
    else:
        verdict = YES if len(yes) > SEED_MAJORITY * len(reached_) else NO
    extra = []
    if n > 1:
        if verdict == NOT_REACHED:
            extra.append(f"{len(reached_)} of {n} seeds reached it")
        else:
            extra.append(f"{len(yes)} of {len(reached_)} seeds" + (f"; {n - len(reached_)} not reached"
                                                                  if len(reached_) < n else ""))
    if verdict == YES:
        quals = {}
        for r, s in yes:
            if s.qualifier:
                quals.setdefault(s.qualifier, []).append(r.seed)
        for qual, seeds in quals.items():
            if len(seeds) == len(yes):
                extra.insert(0, qual)
            else:
                extra.append(f"{qual}: seed{'s' if len(seeds) > 1 else ''} {fmt_seeds(seeds)}")
    holds = verdict + (f" ({'; '.join(extra)})" if extra else "")
    labels = []
    for s in results:
        for k in s.quantities:
            if k not in labels:
                labels.append(k)
    cells = []
    for k in labels:
        unit = next(s.quantities[k][1] for s in results if k in s.quantities)
        vals = [s.quantities.get(k, (None, ""))[0] for s in results]
        cells.append(f"{k} {fmt_stats(vals, unit, n)}")
    simulated = "; ".join(cells) + (f" · {n} seeds" if n > 1 else " · 1 run")
    notes = []
    failing = [(r.seed, s.reason) for r, s in zip(runs, results) if s.status == NO]
    if failing:
        notes.append(_group_by_text(failing))
    lacking = sorted({s.lacking for s in results if s.status == NOT_REACHED and s.lacking})
    for what in lacking:
        notes.append(f"the program (input.toml) has no {what[2:] if what.startswith('a ') else what}: no run of "
                     f"this input can show the fact")
    short = [(r, s) for r, s in zip(runs, results) if s.status == NOT_REACHED and not s.lacking]
    if short:
        by_need = {}
        for r, s in short:
            by_need.setdefault(s.needs, []).append(r)
        for need, rs in by_need.items():
            notes.append(f"{coverage_phrase(rs)}; this fact needs {need}")
    return Row(fact_id, title, paper, simulated, holds, verdict, notes)


def evaluate(facts, scenario, prefix=""):
    """Rows for the facts of one scenario (prefix: a label put before the title)."""
    rows = []
    for f in facts:
        results = [f.fn(r) for r in scenario.runs]
        rows.append(summarise(f.id, prefix + f.title, f.paper, scenario.runs, results))
    return rows


# ---------------------------------------------------------------- shell coverage vs vacancies

_VAC_DIR = re.compile(r"^vac_(\d+(?:\.\d+)?)$")


def load_vacancy_study(path):
    """{fraction: Scenario} of the subfolders of path (each a run or a folder of seeds); the fraction
    from input.toml defects.surface_vacancy_fraction, else from the name vac_X.XX."""
    if not os.path.isdir(path):
        raise SystemExit(f"error: --shell-vacancy: {path} is not a folder")
    out = {}
    for name in sorted(os.listdir(path)):
        d = os.path.join(path, name)
        if not os.path.isdir(d):
            continue
        lay = find_layout(d)
        if not lay["seeds"] and not os.path.isfile(os.path.join(d, "timeseries.csv")):
            continue
        sc = Scenario(f"vac:{name}", f"shell-vacancy {name}", d)
        frac = sc.runs[0].config.get("defects", {}).get("surface_vacancy_fraction")
        if frac is None:
            m = _VAC_DIR.match(name)
            if not m:
                continue
            frac = float(m.group(1))
        out[round(float(frac), 6)] = sc
    return out


def shell_at(run, t):
    """Shell coverage (Cu/nm) at time t, linear between outputs."""
    return float(np.interp(t, run.time, np.asarray(run.ts["shell_cu_per_nm"], float)))


def vacancy_study(study):
    """The shell-coverage comparison: common time (the earliest last output over every run), per
    fraction the coverage of each seed there, and per seed the ratio to the lowest fraction.
    Returns (t_common, {fraction: [(seed, coverage)]}, {fraction: [(seed, ratio)]})."""
    fracs = sorted(study)
    t_common = min(r.last_time for sc in study.values() for r in sc.runs)
    cov = {f: [(r.seed, shell_at(r, t_common)) for r in study[f].runs] for f in fracs}
    base = dict(cov[fracs[0]])
    base_med = float(np.median([c for _, c in cov[fracs[0]]]))
    ratios = {}
    for f in fracs:
        rs = []
        for seed, c in cov[f]:
            b = base.get(seed, base_med)
            rs.append((seed, c / b if b > 0 else (float("inf") if c > 0 else float("nan"))))
        ratios[f] = rs
    return t_common, cov, ratios


def shell_capacity_note(run, coverage):
    """", the shell holds N Cu/nm of its C sites/nm (P %)" when summary.json gives the shell sites
    (extra.shell_sites) — a full shell cannot take more Cu, whatever the vacancies; else ""."""
    sites = ((run.summary or {}).get("extra") or {}).get("shell_sites")
    length = (run.config.get("wire") or {}).get("length_nm")
    if not sites or not length:
        return ""
    capacity = sites / float(length)
    return (f"; the shell holds {fmt(coverage)} Cu/nm of its {fmt(capacity)} sites/nm"
            f" ({fmt(100 * coverage / capacity)} %)")


def shell_vacancy_row(study):
    """The facts-table row of the vacancy study: ratio at VACANCY_HIGH over the lowest fraction (0)."""
    title = "shell coverage at 5 % vs 0 % surface vacancies"
    paper = "adsorbed Cu per nm grows with the Cd-vacancy fraction: ≥ 5× at 5 % vs 0 % (Fig. 5, MD, wz)"
    fracs = sorted(study)
    if not fracs or fracs[0] != 0.0 or VACANCY_HIGH not in study:
        have = ", ".join(fmt(f) for f in fracs) or "none"
        return Row(SHELL_VACANCY_ID, title, paper, f"fractions given: {have}", NOT_REACHED, NOT_REACHED,
                   [f"the study needs the fractions 0 and {fmt(VACANCY_HIGH)} (vac_0.00/, vac_0.05/); it has {have}"])
    t_common, cov, ratios = vacancy_study(study)
    runs = study[VACANCY_HIGH].runs
    results = []
    base = dict(cov[0.0])
    for (seed, ratio), run in zip(ratios[VACANCY_HIGH], runs):
        q = {"shell 0 %": (base.get(seed), "Cu/nm"), "shell 5 %": (dict(cov[VACANCY_HIGH])[seed], "Cu/nm"),
             "ratio": (ratio, "")}
        if math.isnan(ratio):
            results.append(SeedResult(NOT_REACHED, q, needs=f"a shell at t = {fmt(t_common, 's')}; none yet"))
        elif ratio >= SHELL_RATIO_MIN:
            results.append(SeedResult(YES, q))
        else:
            results.append(SeedResult(NO, q, reason=f"ratio {fmt(ratio)} < {fmt(SHELL_RATIO_MIN)}"
                                      + shell_capacity_note(run, dict(cov[VACANCY_HIGH])[seed])))
    row = summarise(SHELL_VACANCY_ID, title, paper, runs, results)
    row.simulated += f" · at t = {fmt(t_common, 's')}"
    return row


# ---------------------------------------------------------------- Fig. 6


def estimate_at(est, T_C):
    """The paper's estimate t_fc (s) at T_C, log-linear in 1/T between the CSV's rows; None outside."""
    temp, tfc, _ = est
    if len(temp) == 0 or T_C < temp.min() - 1e-9 or T_C > temp.max() + 1e-9:
        return None
    inv = 1.0 / (np.asarray(temp, float) + 273.15)
    order = np.argsort(inv)
    return float(np.exp(np.interp(1.0 / (T_C + 273.15), inv[order], np.log(np.asarray(tfc, float)[order]))))


def full_conversion_points(scenario):
    """Per seed (seed, t_fc s, T at t_fc °C) of the runs whose X reaches EXCHANGED_MIN_X."""
    out = []
    for r in scenario.runs:
        tfc = full_conversion_time(r.time, r.x, EXCHANGED_MIN_X)
        if np.isfinite(tfc):
            out.append((r.seed, float(tfc), float(np.interp(tfc, r.time, r.temp))))
    return out


# ---------------------------------------------------------------- figures


def _band(runs, quantity):
    """Output times (union over seeds), median, p10, p90 of a timeseries column; a seed counts only
    up to its last output (the band narrows to the seeds still running)."""
    t = np.unique(np.concatenate([r.time for r in runs]))
    ys = np.array([np.interp(t, r.time, np.asarray(r.ts[quantity], float), right=np.nan) for r in runs])
    med = np.array([np.median(c[~np.isnan(c)]) for c in ys.T])
    p10 = np.array([np.percentile(c[~np.isnan(c)], 10) for c in ys.T])
    p90 = np.array([np.percentile(c[~np.isnan(c)], 90) for c in ys.T])
    return t, med, p10, p90


def plot_xt(scenario, path):
    """X (median and 10–90 % band over seeds) and the program's T(t) over the whole program (dotted
    beyond the last output), with the shell coverage below."""
    plt = use_agg()
    prog = scenario.program
    scale, unit = time_unit(max(prog.length, max(r.last_time for r in scenario.runs)))
    fig, (ax, axs) = plt.subplots(2, 1, figsize=(8, 6), sharex=True, layout="constrained")
    for q, a, colour, lab in (("exchanged_fraction", ax, "tab:green", "X"),
                              ("shell_cu_per_nm", axs, "tab:blue", "shell")):
        t, med, p10, p90 = _band(scenario.runs, q)
        if len(scenario.runs) > 1:
            a.fill_between(t / scale, p10, p90, color=colour, alpha=0.25, lw=0, label=f"{lab}: 10–90 %")
        a.plot(t / scale, med, color=colour, label=f"{lab}: median" if len(scenario.runs) > 1 else lab)
        a.grid(alpha=0.3)
    ax.set_ylim(-0.02, 1.02)
    ax.set_ylabel("exchanged fraction X", color="tab:green")
    axs.set_ylabel("shell Cu per nm")
    axs.set_ylim(bottom=0)
    axT = ax.twinx()
    tp = [prog.segments[0].t0] + [s.t1 for s in prog.segments] if prog.segments else [0.0]
    Tp = [prog.segments[0].T0] + [s.T1 for s in prog.segments] if prog.segments else [prog.start_C]
    axT.plot(np.array(tp) / scale, Tp, color="tab:red", lw=1.0, ls=":", label="T program")
    axT.set_ylabel("T (°C)", color="tab:red")
    t_last = max(r.last_time for r in scenario.runs)
    for a in (ax, axs):
        a.axvline(t_last / scale, color="grey", lw=0.8, ls="--")
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = axT.get_legend_handles_labels()
    ax.legend(h1 + h2, l1 + l2, loc="upper left", fontsize=8)
    axs.legend(loc="best", fontsize=8)
    n = len(scenario.runs)
    ax.set_title(f"{scenario.label}: X and T ({n} seed{'s' if n > 1 else ''}; dashed line: last output)")
    axs.set_xlabel(f"time ({unit})")
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_shell_vacancy(study, path):
    """Shell coverage vs time per vacancy fraction (median, 10–90 % band) and at the common time vs
    fraction (median, p10–p90 error bars)."""
    plt = use_agg()
    t_common, cov, _ = vacancy_study(study)
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(10, 4), layout="constrained")
    scale, unit = time_unit(max(r.last_time for sc in study.values() for r in sc.runs))
    colours = plt.get_cmap("viridis")
    fracs = sorted(study)
    for k, f in enumerate(fracs):
        c = colours(k / max(1, len(fracs) - 1))
        t, med, p10, p90 = _band(study[f].runs, "shell_cu_per_nm")
        ax.fill_between(t / scale, p10, p90, color=c, alpha=0.2, lw=0)
        ax.plot(t / scale, med, color=c, label=f"{100 * f:g} % vacancies")
    ax.axvline(t_common / scale, color="grey", lw=0.8, ls="--")
    ax.set_xlabel(f"time ({unit})")
    ax.set_ylabel("shell Cu per nm")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    med = [np.median([c for _, c in cov[f]]) for f in fracs]
    lo = [med[i] - np.percentile([c for _, c in cov[f]], 10) for i, f in enumerate(fracs)]
    hi = [np.percentile([c for _, c in cov[f]], 90) - med[i] for i, f in enumerate(fracs)]
    ax2.errorbar([100 * f for f in fracs], med, yerr=[lo, hi], fmt="o-", capsize=3, color="k")
    ax2.set_xlabel("surface vacancy fraction (%)")
    ax2.set_ylabel(f"shell Cu per nm at t = {fmt(t_common / scale)} {unit}")
    ax2.set_ylim(bottom=0)
    ax2.grid(alpha=0.3)
    fig.suptitle("shell coverage vs surface Cd vacancies (cf. Fig. 5)")
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_fig6(estimates, points, path):
    """The paper's t_fc(T) lines (wz red, zb black as in Fig. 6) and the KMC points
    ({label: (phase, [(seed, t_fc, T)], isothermal)})."""
    plt = use_agg()
    fig, ax = plt.subplots(figsize=(6.5, 4.5), layout="constrained")
    colour = {"wz": "tab:red", "zb": "k"}
    for phase, est in sorted(estimates.items()):
        temp, tfc, _ = est
        ax.semilogy(temp, tfc, "-", color=colour.get(phase, "tab:blue"), label=f"paper's estimate, {phase}")
    any_point = False
    for label, (phase, pts, iso) in points.items():
        if not pts:
            continue
        any_point = True
        tf = np.array([p[1] for p in pts])
        T = np.array([p[2] for p in pts])
        ax.plot(T, tf, "o" if iso else "^", mfc=colour.get(phase, "tab:blue") if iso else "none",
                mec=colour.get(phase, "tab:blue"), ms=6, ls="none", label=f"KMC {label}")
    if not any_point:
        ax.text(0.03, 0.04, f"no KMC run reached X = {fmt(EXCHANGED_MIN_X)}", transform=ax.transAxes, fontsize=9)
    for t_ref, name in [(60.0, "1 min"), (3600.0, "1 h"), (86400.0, "1 day")]:
        ax.axhline(t_ref, color="grey", lw=0.5, ls=":")
        ax.text(1.0, t_ref, name, transform=ax.get_yaxis_transform(), ha="right", va="bottom", fontsize=7,
                color="grey")
    ax.set_xlabel("T (°C)")
    ax.set_ylabel("full-conversion time t_fc (s)")
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=8)
    ax.set_title("full-conversion time (cf. Fig. 6)")
    fig.savefig(path, dpi=110)
    plt.close(fig)


# ---------------------------------------------------------------- report


PATH_OPTIONS = {"--zb", "--wz", "--wz-ramp", "--reversibility", "--shell-vacancy", "--estimate-csv", "--isothermal",
                "--fit", "--md-zb", "--md-wz", "--barriers", "--out", "--figures"}


def command_line(argv):
    """The command that regenerates the report: argv with path options relative to the repository."""
    out = ["python3", "analysis/validation_report.py"]
    i = 0
    while i < len(argv):
        a = argv[i]
        key, eq, val = a.partition("=")
        if eq and key in PATH_OPTIONS:
            out.append(f"{key}={rel_path(val)}")
        elif a in PATH_OPTIONS and i + 1 < len(argv):
            out += [a, rel_path(argv[i + 1])]
            i += 1
        else:
            out.append(a)
        i += 1
    return " ".join(shlex.quote(x) for x in out)


def load_fit(path):
    """The fact ids a fit file names (its `targets`: objects with `observable` or `fact`), as given."""
    if not path:
        return []
    with open(path) as f:
        data = json.load(f)
    names = []
    for t in data.get("targets", []):
        name = t.get("fact", t.get("observable")) if isinstance(t, dict) else t
        if name is not None:
            names.append(str(name))
    return names


def _norm_id(name):
    return name.strip().lower().replace("-", "_").replace(" ", "_")


def md_table(header, rows):
    """A Markdown table; '|' in cells is escaped."""
    def cell(x):
        return str(x).replace("|", "\\|").replace("\n", " ")
    lines = ["| " + " | ".join(cell(h) for h in header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(c) for c in r) + " |" for r in rows]
    return "\n".join(lines)


def fact_rows_markdown(rows, fitted, note_start=1):
    """The facts table and its numbered notes; returns (text, next note number)."""
    table, notes = [], []
    k = note_start
    for row in rows:
        marks = []
        for n in row.notes:
            notes.append(f"{k}. {row.title}: {n}.")
            marks.append(str(k))
            k += 1
        holds = row.holds + (f" [{', '.join(marks)}]" if marks else "")
        kind = "fit" if _norm_id(row.fact_id) in fitted else "prediction"
        table.append([row.title, row.paper, row.simulated, kind, holds])
    text = md_table(["fact", "the paper's observation", "simulated: median [p10–p90; min–max] over the seeds",
                     "fit or prediction", "holds?"], table)
    if notes:
        text += "\n\nNotes (the numbers in brackets under \"holds?\"):\n\n" + "\n".join(notes)
    return text, k


EXPECTED_PHASE = {"zb": "zb", "wz": "wz", "wz_ramp": "wz", "reversibility": "zb", "md_zb": "zb", "md_wz": "wz"}


def coverage_section(scenarios):
    """Per scenario: wire, program, seeds and how far they got; then one line per seed; a warning for
    a folder whose wire is not of the phase its facts are about."""
    rows, seed_rows, warnings = [], [], []
    for sc in scenarios:
        phases = sorted({r.phase for r in sc.runs})
        want = EXPECTED_PHASE.get(sc.key)
        if want and phases != [want]:
            warnings.append(f"Warning: {sc.label} (`{rel_path(sc.path)}`) is a {', '.join(phases)} wire; its facts are "
                            f"about {want}.")
        r0 = sc.runs[0]
        prog = sc.program
        pct = [100.0 * r.fraction_done for r in sc.runs]
        n_done = sum(r.complete for r in sc.runs)
        seeds = fmt_seeds(sc.seeds)
        if sc.not_started:
            seeds += f" (not started: {fmt_seeds(sc.not_started)})"
        rows.append([sc.label, f"`{rel_path(sc.path)}`", f"{r0.phase} {fmt(r0.diameter_nm)} × {fmt(r0.length_nm)} nm",
                     fmt_time(prog.length), seeds, fmt_range(pct, "%"), f"{n_done} of {len(sc.runs)}"])
        for r in sc.runs:
            seed_rows.append([sc.label, fmt(r.seed) if r.seed is not None else "—", fmt_time(r.last_time),
                              fmt(100.0 * r.fraction_done, "%"), fmt(r.last_temp, "°C"), r.stage(),
                              "yes" if r.complete else "no"])
    text = md_table(["scenario", "folder", "wire", "program", "seeds", "reached", "complete"], rows)
    text += ("\n\nProgram length = the sum of the input's `[[temperature.steps]]` (ramps |ΔT|/rate or their "
             "duration, holds, quenches at their rate; repeats unrolled). Per seed (last output of "
             "timeseries.csv):\n\n")
    text += md_table(["scenario", "seed", "last output", "of the program", "T", "in", "complete"], seed_rows)
    if warnings:
        text += "\n\n" + "\n\n".join(warnings)
    return text


def barrier_section(path):
    """The barrier file's values beside Table 1."""
    with open(path, "rb") as f:
        b = tomllib.load(f)
    rows = [["—", "attempt frequency ν", f"{fmt(PAPER_ATTEMPT_THZ)} THz",
             fmt(b.get("attempt_frequency_THz"), "THz"), b.get("attempt_frequency_source", "")]]
    for phase in ("wz", "zb"):
        for key, name in BARRIER_STEPS:
            v, u = PAPER_TABLE1[phase][key]
            e = b.get(phase, {}).get(key, {})
            val = e.get("value_eV")
            fv = "—" if val is None else f"{fmt(val)} ± {fmt(e.get('uncertainty_eV', 0.0))}"
            rows.append([phase, name, f"{fmt(v)} ± {fmt(u)}", fv, e.get("source", "")])
    prov = b.get("provenance", {})
    text = f"Barrier file `{rel_path(path)}`"
    if isinstance(prov, dict) and prov.get("method"):
        text += f" (provenance: {prov['method']})"
    text += ", eV:\n\n" + md_table(["phase", "step", "paper (Table 1)", "barrier file", "source (file)"], rows)
    return text


def build_report(args, argv):
    """Compute every fact, write the figures and return the Markdown text."""
    fig_dir = args.figures
    os.makedirs(fig_dir, exist_ok=True)
    out_dir = os.path.dirname(os.path.abspath(args.out))

    def fig_ref(name):
        return os.path.relpath(os.path.abspath(os.path.join(fig_dir, name)), out_dir)

    scen = {"zb": Scenario("zb", "zb ramp", args.zb), "wz": Scenario("wz", "wz 400 °C", args.wz)}
    if args.wz_ramp:
        scen["wz_ramp"] = Scenario("wz_ramp", "wz ramp", args.wz_ramp)
    if args.reversibility:
        scen["reversibility"] = Scenario("reversibility", "reversibility", args.reversibility)
    md_scen = {}
    if args.md_zb:
        md_scen["zb"] = Scenario("md_zb", "zb ramp, MD barriers", args.md_zb)
    if args.md_wz:
        md_scen["wz"] = Scenario("md_wz", "wz 400 °C, MD barriers", args.md_wz)
    iso = [Scenario(f"iso{k}", f"isothermal {os.path.basename(os.path.normpath(d))}", d)
           for k, d in enumerate(args.isothermal or [])]
    study = load_vacancy_study(args.shell_vacancy) if args.shell_vacancy else None

    fitted_names = load_fit(args.fit)
    fitted = {_norm_id(n) for n in fitted_names}
    unknown = sorted(n for n in fitted_names if _norm_id(n) not in {_norm_id(i) for i in ALL_FACT_IDS})

    rows = evaluate(ZB_FACTS, scen["zb"]) + evaluate(WZ_FACTS, scen["wz"])
    if "wz_ramp" in scen:
        rows += evaluate(RAMP_FACTS, scen["wz_ramp"])
    if "reversibility" in scen:
        rows += evaluate(REVERSIBILITY_FACTS, scen["reversibility"])
    if study:
        rows.append(shell_vacancy_row(study))
    diam = sorted({r.diameter_nm for r in scen["wz"].runs})
    for row in rows:
        if row.fact_id == "wz_volume_rate" and any(abs(d - PAPER_WIRE_DIAMETER_NM) > 1e-9 for d in diam):
            d = diam[0]
            row.notes.append(f"the wz wire is {fmt(d)} nm, not the {fmt(PAPER_WIRE_DIAMETER_NM)} nm of the measured "
                             f"rate; at a planar front the volume rate scales with the cross-section, "
                             f"×{fmt((d / PAPER_WIRE_DIAMETER_NM) ** 2)}")

    all_runs = [r for sc in list(scen.values()) + list(md_scen.values()) + iso for r in sc.runs]
    if study:
        all_runs += [r for sc in study.values() for r in sc.runs]
    versions = sorted({str(r.summary.get("program")) for r in all_runs if r.summary and r.summary.get("program")})
    n_sum = sum(1 for r in all_runs if r.summary and r.summary.get("program"))

    L = ["# Reproduction report: cekmc against Casu et al., ACS Nano 2023", ""]
    L += ["Generated by `analysis/validation_report.py` from the run folders below; regenerate with:", "",
          "```", command_line(argv), "```", ""]
    if versions:
        L.append(f"cekmc version: {', '.join(versions)} (the `program` of summary.json, written by the {n_sum} of "
                 f"{len(all_runs)} runs that completed).")
    else:
        L.append(f"cekmc version: not recorded in these folders (none of the {len(all_runs)} runs has completed, "
                 f"and only a completed run writes summary.json).")
    listed = list(scen.values()) + list(md_scen.values()) + iso
    seeds_line = "; ".join(f"{sc.label} {fmt_seeds(sc.seeds)}" for sc in listed)
    if study:
        seeds_line += "; " + "; ".join(f"{sc.label} {fmt_seeds(sc.seeds)}" for _, sc in sorted(study.items()))
    L += ["", f"Seeds: {seeds_line}.", ""]
    L += ["What is compared: spec §7 (the facts), §8 (the paper's own estimate, Fig. 6), Fig. 5 (shell vs "
          "vacancies). Each fact is computed on every seed, then summarised as median [10th–90th percentile; "
          "min–max] over the seeds; a fact holds when it holds in most of the seeds that got far enough "
          "(Definitions).", ""]

    L += ["## Coverage", "", coverage_section(list(scen.values()) + list(md_scen.values()) + iso
                                             + ([sc for _, sc in sorted(study.items())] if study else [])), ""]

    L += ["## Facts (spec §7)", ""]
    text, next_note = fact_rows_markdown(rows, fitted)
    L += [text, ""]
    if args.fit:
        L.append(f"Fit targets (`{rel_path(args.fit)}`): {', '.join(fitted_names) or 'none'}; every other row is a "
                 f"prediction.")
        if unknown:
            L.append(f"Targets that name no fact of this report: {', '.join(unknown)} (fact ids: "
                     f"{', '.join(ALL_FACT_IDS)}).")
    else:
        L.append("No fit file given (--fit): every row is a prediction of the model with its default parameters.")
    L.append("")

    # Figures of X and T.
    L += ["## X, T and the shell per scenario", ""]
    for key, sc in list(scen.items()) + [(f"md_{k}", v) for k, v in md_scen.items()]:
        name = f"validation_xt_{key}.png"
        plot_xt(sc, os.path.join(fig_dir, name))
        L += [f"![{sc.label}: X and T]({fig_ref(name)})", ""]

    # Shell vs vacancies.
    L += ["## Shell coverage vs surface vacancies (Fig. 5)", ""]
    if study:
        t_common, cov, ratios = vacancy_study(study)
        firsts = [float(r.time[1]) for sc in study.values() for r in sc.runs if len(r.time) > 1]
        t_early = min(firsts) if firsts else None
        vrows = []
        for f in sorted(study):
            early = ([shell_at(r, t_early) for r in study[f].runs] if t_early is not None else [])
            vrows.append([fmt(100 * f, "%"), fmt_seeds(study[f].seeds),
                          fmt_stats([c for _, c in cov[f]], "Cu/nm", len(cov[f])),
                          fmt_stats([x for _, x in ratios[f]], "", len(ratios[f])),
                          fmt_stats(early, "Cu/nm", len(early))])
        r0 = study[sorted(study)[0]].runs[0]
        L += [f"Shell coverage at t = {fmt_time(t_common)}, the last output every run of the study reached (the "
              f"final coverage when all completed), its ratio to the lowest fraction (per seed, paired by seed "
              f"number), and the coverage at the first output after t = 0 (t = {fmt_time(t_early)}), the early "
              f"adsorption the MD follows. The paper's Fig. 5 is an MD run (4.5 nm wz wire in a bath of 100 Cu, "
              f"1.4 ns); the KMC study is a {r0.phase} {fmt(r0.diameter_nm)} × {fmt(r0.length_nm)} nm wire over a "
              f"{fmt_time(r0.program.length)} program.", "",
              md_table(["vacancies", "seeds", "shell coverage", "ratio to the lowest fraction",
                        "early coverage"], vrows), ""]
        plot_shell_vacancy(study, os.path.join(fig_dir, "validation_shell_vacancy.png"))
        L += [f"![shell vs vacancies]({fig_ref('validation_shell_vacancy.png')})", ""]
    else:
        L += ["Not run (no --shell-vacancy folder).", ""]

    # Fig. 6.
    L += ["## Full-conversion time (Fig. 6, spec §8)", ""]
    estimates = {}
    for p in args.estimate_csv or []:
        est = read_estimate(p)
        estimates[est[2] or os.path.basename(p)] = est
    point_sources = [(sc, False) for sc in scen.values()] + [(sc, False) for sc in md_scen.values()]
    point_sources += [(sc, sc.program.is_single_hold()) for sc in iso]
    points, prow = {}, []
    for sc, isothermal in point_sources:
        pts = full_conversion_points(sc)
        phase = sc.runs[0].phase
        points[sc.label] = (phase, pts, isothermal)
        if pts:
            T_med = float(np.median([p[2] for p in pts]))
            est_val = estimate_at(estimates[phase], T_med) if phase in estimates else None
            tf = fmt_stats([p[1] for p in pts], "s", len(sc.runs))
            med_tf = float(np.median([p[1] for p in pts]))
            prow.append([sc.label, phase, "isothermal" if isothermal else "program (t from its start)",
                         fmt_stats([p[2] for p in pts], "°C", len(sc.runs)), tf,
                         fmt(est_val, "s"), fmt(med_tf / est_val) if est_val else "—"])
    if estimates:
        L.append("The paper's estimate t_fc = N/(ν·P_CE), P_CE = exp(−(E_b + E_c + E_d)/k_BT), N = 76×10⁴, "
                 "ν = 1.9 THz (`cekmc estimate`): " + "; ".join(
                     f"{ph} from {rel_path(p)}" for ph, p in
                     zip([read_estimate(p)[2] for p in args.estimate_csv], args.estimate_csv)) + ".")
        ref = []
        for ph, T in (("zb", 125.0), ("wz", 400.0)):
            if ph in estimates and estimate_at(estimates[ph], T) is not None:
                ref.append(f"{ph} at {fmt(T)} °C: t_fc = {fmt_time(estimate_at(estimates[ph], T))}")
        if ref:
            L.append("At the experiments' temperatures: " + "; ".join(ref) + ".")
        L.append("")
    else:
        L += ["No estimate CSV given (--estimate-csv): the plot has no reference line.", ""]
    if prow:
        L += [f"KMC full-conversion time = the first time X reaches {fmt(EXCHANGED_MIN_X)} (linear between "
              f"outputs), at the temperature of that moment; in a stepped or ramped program it counts from the "
              f"program's start and is not an isothermal t_fc (open triangles on the plot).", "",
              md_table(["runs", "phase", "program", "T at X = 0.95", "t_fc (KMC)", "paper's estimate at that T",
                        "KMC / estimate"], prow), ""]
    else:
        L += [f"No run reached X = {fmt(EXCHANGED_MIN_X)}: there is no KMC full-conversion time yet, and the plot "
              f"shows the paper's estimate alone.", ""]
    plot_fig6(estimates, points, os.path.join(fig_dir, "validation_fig6.png"))
    L += [f"![Fig. 6 comparison]({fig_ref('validation_fig6.png')})", ""]

    # Workflow.
    L += ["## Workflow: calibrate from MD, then run", ""]
    L += ["`cekmc calibrate --out barriers.toml` (MD, steps b–d) writes a barrier file; a scenario names it with "
          "`[model] barrier_file = \"barriers.toml\"` and `cekmc run` uses its barriers (docs/barrier-file.md). "
          "Runs made so are compared with the default ones below (--md-zb, --md-wz).", ""]
    if args.barriers:
        L += [barrier_section(args.barriers), ""]
    if md_scen:
        for k, sc in md_scen.items():
            bfs = sorted({str(r.config.get("model", {}).get("barrier_file", "")) for r in sc.runs})
            bfs = [b for b in bfs if b]
            L.append(f"{sc.label}: `{rel_path(sc.path)}`, barrier file "
                     f"{', '.join(f'`{b}`' for b in bfs) if bfs else 'not set in its input.toml (default barriers!)'}.")
        L.append("")
        wrows, wnotes = [], []
        for key, facts in (("zb", ZB_FACTS), ("wz", WZ_FACTS)):
            if key not in md_scen:
                continue
            base = {r.fact_id: r for r in rows}
            for row in evaluate(facts, md_scen[key]):
                b = base[row.fact_id]
                marks = []
                for n in row.notes:
                    wnotes.append(f"{next_note}. {row.title} (MD barriers): {n}.")
                    marks.append(str(next_note))
                    next_note += 1
                wrows.append([row.title, b.simulated, b.holds, row.simulated,
                              row.holds + (f" [{', '.join(marks)}]" if marks else "")])
        L += [md_table(["fact", "default barriers: simulated", "default: holds?", "MD barriers: simulated",
                        "MD barriers: holds?"], wrows), ""]
        if wnotes:
            L += ["Notes:", ""] + wnotes + [""]
    else:
        L += ["No runs with MD barriers given (--md-zb, --md-wz).", ""]

    # Definitions.
    L += ["## Definitions", ""]
    L += ["Domain, entry point, front and reversal are the outputs' own (docs/outputs.md): a domain is a "
          "connected cluster of Cu on cation sites (domains.csv), its entry point the row of entry_points.csv "
          "written at its birth, a front a row of fronts.csv (spanning domains only), a reversal a row of "
          "domain_events.csv with event = reversal (a domain that once had ≥ output.min_reversal_sites sites "
          "disappears without merging).", ""]
    defs = [
        ("zb: shell before exchange", "t_shell = first output with shell_cu_per_nm ≥ SHELL_MIN_CU_PER_NM; t_CE = "
         "first output with a domain of ≥ CE_MIN_SITES sites; yes if t_shell < t_CE, \"yes (no CE yet)\" with a "
         "shell and no CE; not reached with neither."),
        ("zb: ≥ 2 entry points at 125 °C", "domain ids of entry_points.csv born at ≤ 125 °C + STAGE_TOL_C by the end "
         "of the first 125 °C hold whose largest n_sites (over domains.csv) reaches CE_MIN_SITES; yes if ≥ 2; not "
         "reached before the end of that hold."),
        ("zb: thorn → planar front", "a domain whose first domains.csv row has spans = 0 and that later spans, with "
         "a fronts.csv row from then on of width_std_nm ≤ PLANAR_FRONT_MAX_STD_NM; the front width is the median "
         "width_std_nm of its front rows from when it first spans (median over such domains); yes if ≥ 1; not "
         "reached before the program's end."),
        ("small domains revert", "reversals at temperature_C < REVERSIBLE_BELOW_C with max_length_nm ≤ "
         "SMALL_DOMAIN_MAX_NM (≥ 1 needed) and with max_length_nm ≥ BIG_DOMAIN_MIN_NM (none allowed); not reached "
         "before the program first reaches REVERSIBLE_BELOW_C (\"so far\": a yes before then)."),
        ("no reversal at ≥ 300 °C", "reversals at temperature_C ≥ NO_REVERSAL_FROM_C; yes if none; not reached "
         "without an output at that temperature (\"so far\": not all of the program's time there covered)."),
        ("zb: merged, exchanged", "at the program's end X ≥ EXCHANGED_MIN_X and exactly one domain of ≥ "
         "CE_MIN_SITES sites (the timeseries' n_domains, shown beside it, also counts isolated Cu on cation "
         "sites); not reached before the end."),
        ("wz: no CE at 125 °C", "no domain of ≥ CE_MIN_SITES sites at any output at ≤ 125 °C + STAGE_TOL_C "
         "before the program first exceeds FIRST_HEATING_END_C; the largest shell coverage there is shown "
         "(\"no shell either\" below SHELL_MIN_CU_PER_NM)."),
        ("wz: one entry, then a planar front", "the first 400 °C stage runs from the end of the hold before the "
         "first 400 °C hold (the heating into it) to the end of that hold; entries = births there of domains "
         "reaching CE_MIN_SITES; the planar front = the first fronts.csv row there with width_std_nm ≤ "
         "PLANAR_FRONT_MAX_STD_NM; yes if exactly 1 entry before it."),
        ("wz: volume rate", "least-squares slope of exchanged_volume_nm3 against time_s over the outputs of the "
         "last 400 °C hold with RATE_X_MIN < X < RATE_X_MAX (≥ RATE_MIN_OUTPUTS of them), × 3600; yes within "
         "WZ_RATE_PAPER_NM3_PER_H / WZ_RATE_FACTOR … × WZ_RATE_FACTOR."),
        ("wz ramp: onset", "temperature_C of the first output with X ≥ ONSET_X; yes in ONSET_MIN_C … ONSET_MAX_C; "
         "not reached before the program exceeds ONSET_MAX_C."),
        ("shell vs vacancies", "shell_cu_per_nm of every run at the last output all runs of the study reached, "
         "per seed over the same seed at the lowest fraction; yes if the ratio at VACANCY_HIGH ≥ SHELL_RATIO_MIN."),
        ("over seeds", "yes when more than SEED_MAJORITY of the seeds that reached the fact hold it; not reached "
         "when fewer than MIN_SEEDS_REACHED of the seeds reached it. Quantiles as numpy's default (linear, "
         "Hyndman & Fan type 7), as aggregate/ uses."),
    ]
    L += md_table(["fact", "definition"], defs).split("\n") + [""]
    L += ["Thresholds (`analysis/validation_report.py`):", ""]
    L += md_table(["name", "value", "why"],
                  [[f"`{n}`", fmt(v, u), w] for n, v, u, w in THRESHOLDS]).split("\n")
    L.append("")
    return "\n".join(L)


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter,
                                 allow_abbrev=False)
    ap.add_argument("--zb", required=True, help="zb ramp runs (inputs/zb-ramp.toml): a run or a folder of seeds")
    ap.add_argument("--wz", required=True, help="wz 400 °C runs (inputs/wz-400C.toml)")
    ap.add_argument("--wz-ramp", help="wz ramp runs (inputs/wz-ramp.toml)")
    ap.add_argument("--reversibility", help="reversibility runs (inputs/reversibility.toml)")
    ap.add_argument("--shell-vacancy", help="folder of vac_X.XX/ runs (surface vacancy fraction X.XX)")
    ap.add_argument("--estimate-csv", action="append", help="CSV of `cekmc estimate --phase …` (once per phase)")
    ap.add_argument("--isothermal", action="append", help="runs whose program is one hold (Fig. 6 points)")
    ap.add_argument("--fit", help="JSON with a list `targets` of {observable|fact: fact id}")
    ap.add_argument("--md-zb", help="zb ramp runs with an MD barrier file")
    ap.add_argument("--md-wz", help="wz 400 °C runs with an MD barrier file")
    ap.add_argument("--barriers", help="barrier file (TOML) to print beside Table 1")
    ap.add_argument("--out", default="docs/validation.md", help="Markdown report (default docs/validation.md)")
    ap.add_argument("--figures", default="docs/figures", help="folder of the PNG figures (default docs/figures)")
    return ap.parse_args(argv)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    args = parse_args(argv)
    text = build_report(args, argv)
    d = os.path.dirname(os.path.abspath(args.out))
    os.makedirs(d, exist_ok=True)
    tmp = args.out + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, args.out)
    print(args.out)
    return text


if __name__ == "__main__":
    main()
