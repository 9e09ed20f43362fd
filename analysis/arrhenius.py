#!/usr/bin/env python3
"""arrhenius.py STUDYDIR — net exchange rate of a seeded Cu2Se front vs temperature.

Reads every run folder of STUDYDIR (a folder holding input.toml and timeseries.csv; written by
scripts/arrhenius-study.sh) and, per run:

* rate per front site (s^-1): least-squares slope of cu_cation vs time_s over the second half of the
  run (rows with time_s >= t_end / 2, t_end = last row; the first half holds the transient: shell
  filling, refilling of the slab's tetrahedral Cu, first layer nucleation), divided by
  2 fronts x cations per layer; cations per layer = (total cation sites / length_nm) x layer spacing
  (zb {111}: 0.351 nm, wz c/2: 0.35 nm); total cation sites = cu_cation / exchanged_fraction of the
  last row. The same slope over the first half (rate_first_half) and over the last quarter
  (rate_last_quarter) shows how steady the front is: a last quarter well above the second half means
  the front was still accelerating (the run did not reach its steady state; the rate is a lower bound).
* main_domain_rate: the same slope for the site count of the largest domain (domains.csv), per
  front site - leaves out Cu on cation sites elsewhere (single-site surface domains).
* front speed cross-check (layers/s): slopes of the upper and lower front z of the largest domain
  in fronts.csv over the same window, (v_upper - v_lower) / 2 / spacing.
* mean shell Cu per nm over the window, and Cu_i, Cd_i, escaped Cd, donor Cu at the end;
  kick-off minus kick-in and Cd escapes minus returns from summary.json (if the run completed);
  wall time (timing.json, or STUDYDIR/<run>.wall).

Then, per phase, an ordinary least-squares fit of ln(rate) vs 1/(k_B T) over all runs with rate > 0:
rate = A exp(-E_app / k_B T); prints E_app +- standard error and A (with its error factor).
Runs with rate <= 0 (front still or receding) are listed and left out of the fit.

Writes STUDYDIR/arrhenius.csv and, if matplotlib imports, STUDYDIR/arrhenius.png.
Reads the CSVs with cekmc_io (numpy); matplotlib optional.
"""
import csv
import json
import math
import os
import sys
import tomllib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cekmc_io import read_outdir_csv  # noqa: E402

KB = 8.617333262e-5  # eV/K
SPACING_NM = {"zb": 0.351, "wz": 0.35}


def ols(xs, ys):
    """slope, intercept, SE(slope), SE(intercept) of y = a x + b; None if fewer than 2 points."""
    n = len(xs)
    if n < 2:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    if sxx == 0:
        return None
    a = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx
    b = my - a * mx
    if n > 2:
        s2 = sum((y - a * x - b) ** 2 for x, y in zip(xs, ys)) / (n - 2)
        se_a = math.sqrt(s2 / sxx)
        se_b = math.sqrt(s2 * (1 / n + mx * mx / sxx))
    else:
        se_a = se_b = float("nan")
    return a, b, se_a, se_b


def csv_rows(outdir, name):
    """OUTDIR/name as a list of row dicts, numbers as floats (cekmc_io.read_csv)."""
    cols = read_outdir_csv(outdir, name)
    n = len(next(iter(cols.values()))) if cols else 0
    return [{k: v[i] if v.dtype == object else float(v[i]) for k, v in cols.items()} for i in range(n)]


def load_run(path, name, study):
    inp = tomllib.load(open(os.path.join(path, "input.toml"), "rb"))
    phase = inp["wire"]["phase"]
    length = float(inp["wire"]["length_nm"])
    steps = inp["temperature"]["steps"]
    T_C = float(steps[0].get("at_C", inp["temperature"].get("start_C")))
    seed = int(inp.get("seed", 0))
    rows = csv_rows(path, "timeseries.csv")
    if len(rows) < 4:
        return None
    last = rows[-1]
    t_end = last["time_s"]
    xrow = next((r for r in reversed(rows) if r["exchanged_fraction"] > 0), None)
    n_cat = xrow["cu_cation"] / xrow["exchanged_fraction"]
    per_layer = n_cat / length * SPACING_NM[phase]
    sites = 2 * per_layer

    late = [r for r in rows if r["time_s"] >= t_end / 2]
    early = [r for r in rows if 0 < r["time_s"] <= t_end / 2]
    fit = ols([r["time_s"] for r in late], [r["cu_cation"] for r in late])
    fit_e = ols([r["time_s"] for r in early], [r["cu_cation"] for r in early])
    last_q = [r for r in rows if r["time_s"] >= 0.75 * t_end]
    fit_q = ols([r["time_s"] for r in last_q], [r["cu_cation"] for r in last_q])
    slope = fit[0] if fit else float("nan")
    se = fit[2] if fit else float("nan")

    # front speed from fronts.csv, largest domain (most rows), same window
    v_layers = float("nan")
    fp = os.path.join(path, "fronts.csv")
    if os.path.exists(fp):
        fr = csv_rows(path, "fronts.csv")
        if fr:
            counts = {}
            for r in fr:
                counts[r["domain_id"]] = counts.get(r["domain_id"], 0) + 1
            dom = max(counts, key=counts.get)
            v = {}
            for end in ("lower", "upper"):
                pts = [(float(r["time_s"]), float(r["z_nm"])) for r in fr
                       if r["domain_id"] == dom and r["end"] == end and float(r["time_s"]) >= t_end / 2]
                f = ols([p[0] for p in pts], [p[1] for p in pts])
                v[end] = f[0] if f else float("nan")
            v_layers = (v["upper"] - v["lower"]) / 2 / SPACING_NM[phase]

    # growth of the largest domain (the seeded slab) from domains.csv, same window: excludes Cu on
    # cation sites elsewhere (single-site surface domains, filled vacancies away from the slab)
    dom_rate = float("nan")
    dp = os.path.join(path, "domains.csv")
    if os.path.exists(dp):
        best = {}
        for r in csv_rows(path, "domains.csv"):
            t, n = float(r["time_s"]), float(r["n_sites"])
            if t >= t_end / 2 and n > best.get(t, 0):
                best[t] = n
        f = ols(sorted(best), [best[t] for t in sorted(best)])
        dom_rate = f[0] / sites if f else float("nan")

    summ = {}
    sp = os.path.join(path, "summary.json")
    if os.path.exists(sp):
        summ = json.load(open(sp))
    ev = summ.get("event_counts", {})
    wall = summ.get("timing", {}).get("wall_time_s")
    if wall is None and os.path.exists(os.path.join(path, "timing.json")):
        wall = json.load(open(os.path.join(path, "timing.json"))).get("wall_time_s")
    wf = os.path.join(study, name + ".wall")
    if wall is None and os.path.exists(wf):
        wall = float(open(wf).read().strip())
    return {
        "run": name, "phase": phase, "T_C": T_C, "seed": seed,
        "t_end_s": t_end, "completed": bool(summ),
        "cation_sites": round(n_cat), "cations_per_layer": per_layer,
        "dcu_cation": last["cu_cation"] - rows[0]["cu_cation"],
        "slope_units_per_s": slope, "slope_se": se,
        "rate_per_site": slope / sites, "rate_se": se / sites,
        "rate_first_half": (fit_e[0] / sites) if fit_e else float("nan"),
        "rate_last_quarter": (fit_q[0] / sites) if fit_q else float("nan"),
        "front_layers_per_s": v_layers,
        "main_domain_rate": dom_rate,
        "shell_cu_per_nm": sum(r["shell_cu_per_nm"] for r in late) / len(late),
        "cu_i_end": last["n_cu_interstitial"], "cd_i_end": last["n_cd_interstitial"],
        "escaped_cd_end": last["escaped_cd"], "donor_cu_end": last["donor_cu"],
        "vacancies_end": last["vacancies"],
        "net_kickoff": (ev["kickOff"] - ev["kickIn"]) if ev else "",
        "kickoff_flicker": (ev["kickIn"] / max(ev["kickOff"] - ev["kickIn"], 1)) if ev else "",
        "cd_escape": ev.get("cdEscape", ""), "cd_return": ev.get("cdReturn", ""),
        "events": summ.get("total_events", last["events"]),
        "wall_s": wall if wall is not None else float("nan"),
    }


def main(study):
    runs = []
    for name in sorted(os.listdir(study)):
        p = os.path.join(study, name)
        if os.path.isdir(p) and os.path.exists(os.path.join(p, "timeseries.csv")) \
                and os.path.exists(os.path.join(p, "input.toml")):
            r = load_run(p, name, study)
            if r:
                runs.append(r)
    if not runs:
        sys.exit(f"no runs in {study}")
    runs.sort(key=lambda r: (r["phase"], r["T_C"], r["seed"]))

    print("rate = slope of cu_cation vs time over the second half of each run / (2 fronts x cations per layer)")
    hdr = (f"{'phase':5} {'T_C':>5} {'seed':>4} {'t_end_s':>9} {'dCu_cat':>7} {'rate/site':>10} {'+-':>8} "
           f"{'1st half':>9} {'last 1/4':>9} {'front l/s':>9} {'domain':>9} {'shellCu/nm':>10} {'Cu_i':>5} {'Cd_i':>4} {'escCd':>6} "
           f"{'netKO':>6} {'KI/netKO':>8} {'esc/ret':>11} {'events':>9} {'wall_s':>6}")
    print(hdr)
    for r in runs:
        er = f"{r['cd_escape']}/{r['cd_return']}" if r["cd_escape"] != "" else "-"
        fl = f"{r['kickoff_flicker']:.3g}" if r["kickoff_flicker"] != "" else "-"
        print(f"{r['phase']:5} {r['T_C']:5.0f} {r['seed']:4d} {r['t_end_s']:9.3g} {r['dcu_cation']:7.0f} "
              f"{r['rate_per_site']:10.4g} {r['rate_se']:8.2g} {r['rate_first_half']:9.3g} {r['rate_last_quarter']:9.3g} "
              f"{r['front_layers_per_s']:9.3g} {r['main_domain_rate']:9.3g} {r['shell_cu_per_nm']:10.2f} {r['cu_i_end']:5.0f} "
              f"{r['cd_i_end']:4.0f} {r['escaped_cd_end']:6.0f} {str(r['net_kickoff']):>6} {fl:>8} "
              f"{er:>11} {r['events']:9.0f} {r['wall_s']:6.0f}" + ("" if r["completed"] else "  (stopped)"))

    fits = {}
    for phase in sorted({r["phase"] for r in runs}):
        pr = [r for r in runs if r["phase"] == phase]
        good = [r for r in pr if r["rate_per_site"] > 0 and math.isfinite(r["rate_per_site"])]
        bad = [r for r in pr if r not in good]
        for r in bad:
            print(f"{phase} {r['T_C']:.0f} C seed {r['seed']}: rate {r['rate_per_site']:.3g} s^-1 <= 0 "
                  f"(front still or receding; dCu_cat = {r['dcu_cation']:.0f}) - left out of the fit")
        temps = sorted({r["T_C"] for r in good})
        print(f"\n{phase}: mean rate per front site per T (over seeds):")
        for T in temps:
            v = [r["rate_per_site"] for r in good if r["T_C"] == T]
            m = sum(v) / len(v)
            sd = math.sqrt(sum((x - m) ** 2 for x in v) / (len(v) - 1)) if len(v) > 1 else float("nan")
            print(f"  {T:5.0f} C  1/kT = {1 / (KB * (T + 273.15)):7.3f} eV^-1  rate = {m:.4g} +- {sd:.2g} s^-1 (n = {len(v)})")
        if len(temps) < 2:
            print(f"{phase}: fewer than 2 temperatures with a positive rate - no fit")
            continue
        xs = [1 / (KB * (r["T_C"] + 273.15)) for r in good]
        ys = [math.log(r["rate_per_site"]) for r in good]
        a, b, se_a, se_b = ols(xs, ys)
        fits[phase] = (-a, se_a, b, se_b, xs, ys)
        print(f"{phase}: fit ln(rate) = ln A - E_app/(k_B T) over {len(good)} runs ({len(temps)} temperatures):")
        print(f"  E_app = {-a:.3f} +- {se_a:.3f} eV   A = {math.exp(b):.3g} s^-1 "
              f"(ln A = {b:.2f} +- {se_b:.2f}, i.e. x/ {math.exp(se_b):.2g})")

    out_csv = os.path.join(study, "arrhenius.csv")
    keys = list(runs[0].keys())
    with open(out_csv, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=keys + ["inv_kT_per_eV"])
        w.writeheader()
        for r in runs:
            w.writerow({**r, "inv_kT_per_eV": 1 / (KB * (r["T_C"] + 273.15))})
    print(f"\nwrote {out_csv}")

    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except Exception:
        print("matplotlib not importable: no plot")
        return
    fig, ax = plt.subplots(figsize=(5.5, 4))
    for phase, mk in (("zb", "o"), ("wz", "s")):
        pr = [r for r in runs if r["phase"] == phase and r["rate_per_site"] > 0]
        if not pr:
            continue
        xs = [1 / (KB * (r["T_C"] + 273.15)) for r in pr]
        ax.plot(xs, [r["rate_per_site"] for r in pr], mk, label=phase, alpha=0.7)
        if phase in fits:
            E, se, b, _, fx, _ = fits[phase]
            lo, hi = min(fx), max(fx)
            ax.plot([lo, hi], [math.exp(b - E * lo), math.exp(b - E * hi)], "-",
                    label=f"{phase}: E_app = {E:.2f} ± {se:.2f} eV")
    ax.set_yscale("log")
    ax.set_xlabel("1 / k_B T (eV$^{-1}$)")
    ax.set_ylabel("net exchange rate per front site (s$^{-1}$)")
    ax.set_title("seeded Cu$_2$Se front, 6 × 30 nm wire")
    ax.legend(fontsize=8)
    fig.tight_layout()
    png = os.path.join(study, "arrhenius.png")
    fig.savefig(png, dpi=120)
    print(f"wrote {png}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
