"""The reproduction report (validation_report.py): the temperature program's length and stages, every
fact of spec §7 on synthetic run folders made to hold, to fail and to stop short, the seed statistics
against numpy, and the report's bytes (the same inputs give the same file)."""
import json
import os
import re
import shutil
import subprocess

import numpy as np
import pytest

import validation_report as vr
from synthetic import make_validation_run

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# A short zb program: 25 → 125 °C at 20 °C/min (300 s), 10 min at 125 °C (→ 900 s), → 200 °C (→ 1125 s),
# 5 min (→ 1425 s), → 300 °C (→ 1725 s), 5 min (→ 2025 s).
ZB_STEPS = [{"type": "ramp", "to_C": 125.0, "rate_C_per_min": 20.0}, {"type": "hold", "duration_min": 10.0},
            {"type": "ramp", "to_C": 200.0, "rate_C_per_min": 20.0}, {"type": "hold", "duration_min": 5.0},
            {"type": "ramp", "to_C": 300.0, "rate_C_per_min": 20.0}, {"type": "hold", "duration_min": 5.0}]
ZB_LENGTH = 2025.0
# The wz square wave of inputs/wz-400C.toml: 125 °C hold ends at 360 s, first 400 °C hold 442.5–742.5 s,
# quench to 25 °C (→ 765 s), reheat (→ 877.5 s), last 400 °C hold 877.5–2677.5 s.
WZ_STEPS = [{"type": "ramp", "to_C": 125.0, "rate_C_per_min": 100.0}, {"type": "hold", "duration_min": 5.0},
            {"type": "ramp", "to_C": 400.0, "rate_C_per_min": 200.0}, {"type": "hold", "duration_min": 5.0},
            {"type": "quench", "to_C": 25.0, "rate_C_per_min": 1000.0},
            {"type": "ramp", "to_C": 400.0, "rate_C_per_min": 200.0}, {"type": "hold", "duration_min": 30.0}]
WZ_LENGTH = 2677.5


def program(steps, start_C=25.0):
    return vr.Program({"start_C": start_C, "steps": steps})


def outputs(steps, t_stop, dt):
    """Output times every dt up to t_stop (and the program's end if reached), with the program's T."""
    p = program(steps)
    t = list(np.arange(0.0, min(t_stop, p.length) + 1e-9, dt))
    if t_stop >= p.length and t[-1] < p.length:
        t.append(p.length)
    return t, [p.temperature_at(x) for x in t]


def zb_run(path, t_stop=ZB_LENGTH, **kw):
    t, T = outputs(ZB_STEPS, t_stop, 75.0)
    make_validation_run(str(path), ZB_STEPS, t, T, **kw)
    return vr.Run(str(path))


def wz_run(path, t_stop=WZ_LENGTH, x_of_t=None, **kw):
    t, T = outputs(WZ_STEPS, t_stop, 30.0)
    x = [x_of_t(v) for v in t] if x_of_t else None
    make_validation_run(str(path), WZ_STEPS, t, T, x=x, phase="wz", diameter_nm=18.0, **kw)
    return vr.Run(str(path))


# ---------------------------------------------------------------- program


def test_program_length_of_ramps_holds_quench_and_repeat(tmp_path):
    """docs/input-files.md worked example: 19.775 min, with its segment table."""
    steps = [{"type": "ramp", "to_C": 200.0, "rate_C_per_min": 50.0}, {"type": "hold", "duration_min": 10.0},
             {"type": "repeat", "times": 2, "steps": [{"type": "ramp", "to_C": 250.0, "duration_min": 1.0},
                                                       {"type": "hold", "duration_min": 2.0},
                                                       {"type": "quench", "to_C": 200.0}]},
             {"type": "quench", "to_C": 25.0}]
    p = program(steps)
    assert p.length == pytest.approx(19.775 * 60, rel=1e-12)
    ends = [(s.kind, round(s.t1 / 60, 6), s.T1) for s in p.segments]
    assert ends == [("ramp", 3.5, 200.0), ("hold", 13.5, 200.0), ("ramp", 14.5, 250.0), ("hold", 16.5, 250.0),
                    ("quench", 16.55, 200.0), ("ramp", 17.55, 250.0), ("hold", 19.55, 250.0),
                    ("quench", 19.6, 200.0), ("quench", 19.775, 25.0)]
    make_validation_run(str(tmp_path), steps, [0.0], [25.0])
    assert vr.program_length_s(os.path.join(str(tmp_path), "input.toml")) == pytest.approx(1186.5, rel=1e-12)


def test_program_length_of_the_shipped_scenarios():
    # zb-ramp: ramps 100/20 + 25/20 + 50/20 × 3 + 100/20 + 50/20 = 21.25 min, holds 6 × 20 + 30 = 150 min.
    assert vr.program_length_s(os.path.join(REPO, "inputs", "zb-ramp.toml")) == pytest.approx(171.25 * 60)
    # wz-400C: 1 + 5 + 1.375 + 5 + 0.375 (quench) + 1.875 + 30 min.
    assert vr.program_length_s(os.path.join(REPO, "inputs", "wz-400C.toml")) == pytest.approx(44.625 * 60)
    assert program(WZ_STEPS).length == pytest.approx(WZ_LENGTH)


def test_program_stages_and_jumps():
    p = program([{"type": "ramp", "to_C": 125.0, "rate_C_per_min": 20.0}, {"type": "hold", "duration_min": 10.0},
                 {"type": "hold", "at_C": 300.0, "duration_min": 5.0}])
    assert p.length == pytest.approx(1200.0)
    assert p.first_time_at_least(125.0) == pytest.approx(300.0)
    assert p.first_time_at_least(250.0) == pytest.approx(900.0)          # the jump to the 300 °C hold
    assert p.first_time_above(130.0) == pytest.approx(900.0)
    assert p.first_time_at_least(400.0) is None
    assert [s.T0 for s in p.holds_at(125.0)] == [125.0]
    assert p.time_at_or_above(75.0) == pytest.approx(150.0 + 600.0 + 300.0)
    assert p.time_at_or_above(300.0, until=1000.0) == pytest.approx(100.0)
    assert p.temperature_at(150.0) == pytest.approx(75.0)


# ---------------------------------------------------------------- zb facts


def test_shell_before_exchange(tmp_path):
    kw = dict(shell=[min(20.0, 0.1 * i) for i in range(28)])
    r = zb_run(tmp_path / "a", shell=[0, 2, 6] + [10] * 25, domains=[(600.0, 125.0, 1, 0, 5, 5, 150, 0)])
    res = vr.fact_shell_before_exchange(r)
    assert res.status == vr.YES and res.quantities["t_shell"][0] == 150.0 and res.quantities["t_CE"][0] == 600.0
    r = zb_run(tmp_path / "b", shell=[0] * 10 + [10] * 18, domains=[(300.0, 125.0, 1, 0, 5, 5, 150, 0)])
    assert vr.fact_shell_before_exchange(r).status == vr.NO
    r = zb_run(tmp_path / "c", shell=[0, 2, 6] + [10] * 25)
    res = vr.fact_shell_before_exchange(r)
    assert res.status == vr.YES and res.qualifier == "no CE yet"
    r = zb_run(tmp_path / "d", **kw)
    assert vr.fact_shell_before_exchange(r).status == vr.NOT_REACHED
    # A small cluster (< 100 sites) is not exchange.
    r = zb_run(tmp_path / "e", shell=[0, 2, 6] + [10] * 25, domains=[(75.0, 40.0, 1, 0, 1, 1, 99, 0)])
    assert vr.fact_shell_before_exchange(r).qualifier == "no CE yet"


def test_entry_points_at_125C(tmp_path):
    doms = [(600.0, 125.0, 1, 0, 5, 5, 150, 0), (675.0, 125.0, 2, 50, 52, 2, 120, 0), (675.0, 125.0, 3, 80, 80, 1, 5, 0)]
    ents = [(525.0, 125.0, 1, 40), (600.0, 125.0, 2, 10), (600.0, 125.0, 3, 1)]
    assert vr.fact_entry_points_125(zb_run(tmp_path / "a", domains=doms, entries=ents)).status == vr.YES
    res = vr.fact_entry_points_125(zb_run(tmp_path / "b", domains=doms[:1], entries=ents[:1]))
    assert res.status == vr.NO and res.quantities["entries"][0] == 1
    # Stopped in the middle of the 125 °C hold with one entry so far: not reached.
    assert vr.fact_entry_points_125(zb_run(tmp_path / "c", t_stop=600.0, domains=doms[:1],
                                           entries=ents[:1])).status == vr.NOT_REACHED
    # A birth at 200 °C does not count.
    late = [(1500.0, 200.0, 4, 0, 5, 5, 500, 0)]
    res = vr.fact_entry_points_125(zb_run(tmp_path / "d", domains=doms[:1] + late,
                                          entries=ents[:1] + [(1500.0, 200.0, 4, 500)]))
    assert res.status == vr.NO


def test_thorn_to_planar_front(tmp_path):
    doms = [(600.0, 125.0, 1, 0, 3, 3, 150, 0), (675.0, 125.0, 1, 0, 6, 6, 900, 1),
            (675.0, 125.0, 2, 40, 50, 10, 4000, 1)]              # 2 is born spanning: not a thorn
    fronts = [(675.0, 125.0, 1, "lower", 0.5, 0.3, 1.2, 200), (675.0, 125.0, 1, "upper", 6.0, 0.5, 2.0, 200),
              (675.0, 125.0, 2, "lower", 40.0, 0.2, 0.7, 200)]
    res = vr.fact_thorn_to_planar(zb_run(tmp_path / "a", domains=doms, fronts=fronts))
    assert res.status == vr.YES
    assert res.quantities["thorn → planar domains"][0] == 1 and res.quantities["front width (std)"][0] == pytest.approx(0.4)
    rough = [(675.0, 125.0, 1, "lower", 0.5, 2.5, 8.0, 200)]
    assert vr.fact_thorn_to_planar(zb_run(tmp_path / "b", domains=doms, fronts=rough)).status == vr.NO
    assert vr.fact_thorn_to_planar(zb_run(tmp_path / "c", t_stop=700.0, domains=doms[:1])).status == vr.NOT_REACHED


def test_small_domains_revert_below_250C(tmp_path):
    small = (1200.0, 200.0, "reversal", 3, "", 60, 20.0, 300, 6.0)
    big = (1275.0, 200.0, "reversal", 4, "", 400, 80.0, 5000, 20.0)
    middle = (1275.0, 200.0, "reversal", 5, "", 400, 80.0, 2000, 11.0)
    res = vr.fact_small_domains_revert(zb_run(tmp_path / "a", events=[small]))
    assert res.status == vr.YES and res.quantities["small reversals"][0] == 1
    res = vr.fact_small_domains_revert(zb_run(tmp_path / "b", events=[small, big]))
    assert res.status == vr.NO and "20 nm" in res.reason
    assert vr.fact_small_domains_revert(zb_run(tmp_path / "c", events=[middle])).status == vr.NO
    # Stopped at 125 °C with no reversal yet: not reached; with one: yes so far.
    assert vr.fact_small_domains_revert(zb_run(tmp_path / "d", t_stop=600.0)).status == vr.NOT_REACHED
    res = vr.fact_small_domains_revert(zb_run(tmp_path / "e", t_stop=600.0,
                                              events=[(525.0, 125.0, "reversal", 3, "", 60, 20.0, 300, 6.0)]))
    assert res.status == vr.YES and res.qualifier == "so far"
    # A program that starts at 300 °C has no stage below 250 °C: no run of it can show the fact.
    hot = [{"type": "hold", "duration_min": 1.0}]
    make_validation_run(str(tmp_path / "f"), hot, [0.0, 60.0], [300.0, 300.0], start_C=300.0)
    res = vr.fact_small_domains_revert(vr.Run(str(tmp_path / "f")))
    assert res.status == vr.NOT_REACHED and res.lacking


def test_no_reversal_at_300C(tmp_path):
    assert vr.fact_no_reversal_hot(zb_run(tmp_path / "a")).status == vr.YES
    hot = (1800.0, 300.0, "reversal", 3, "", 60, 20.0, 300, 6.0)
    assert vr.fact_no_reversal_hot(zb_run(tmp_path / "b", events=[hot])).status == vr.NO
    res = vr.fact_no_reversal_hot(zb_run(tmp_path / "c", t_stop=600.0))     # stopped at 125 °C
    assert res.status == vr.NOT_REACHED and "300 °C" in res.needs
    res = vr.fact_no_reversal_hot(zb_run(tmp_path / "d", t_stop=1800.0))
    assert res.status == vr.YES and res.qualifier == "so far"


def test_merged_and_exchanged_at_the_end(tmp_path):
    x = [0.0] * 27 + [0.97]
    end = [(ZB_LENGTH, 300.0, 1, 0, 150, 150, 60000, 1), (ZB_LENGTH, 300.0, 9, 3, 3, 0.3, 1, 0)]
    assert vr.fact_merged_exchanged(zb_run(tmp_path / "a", x=x, domains=end)).status == vr.YES
    two = end + [(ZB_LENGTH, 300.0, 2, 0, 150, 150, 900, 1)]
    assert vr.fact_merged_exchanged(zb_run(tmp_path / "b", x=x, domains=two)).status == vr.NO
    assert vr.fact_merged_exchanged(zb_run(tmp_path / "c", x=[0.0] * 27 + [0.9], domains=end)).status == vr.NO
    assert vr.fact_merged_exchanged(zb_run(tmp_path / "d", t_stop=1800.0)).status == vr.NOT_REACHED


# ---------------------------------------------------------------- wz facts


def test_wz_no_ce_at_125C(tmp_path):
    res = vr.fact_wz_no_ce_125(wz_run(tmp_path / "a", shell=[0.0] + [8.0] * 100))
    assert res.status == vr.YES and res.qualifier == ""
    res = vr.fact_wz_no_ce_125(wz_run(tmp_path / "b", domains=[(300.0, 125.0, 1, 0, 5, 5, 150, 0)]))
    assert res.status == vr.NO
    # CE at 400 °C is no CE at 125 °C.
    assert vr.fact_wz_no_ce_125(wz_run(tmp_path / "c", domains=[(600.0, 400.0, 1, 0, 5, 5, 150, 0)])).status == vr.YES
    assert vr.fact_wz_no_ce_125(wz_run(tmp_path / "d", t_stop=200.0)).status == vr.NOT_REACHED


def test_wz_one_entry_then_planar_front(tmp_path):
    doms = [(480.0, 400.0, 1, 0, 2, 2, 200, 0), (540.0, 400.0, 1, 0, 9, 9, 3000, 1)]
    ents = [(480.0, 400.0, 1, 200)]
    fronts = [(540.0, 400.0, 1, "upper", 9.0, 0.2, 0.7, 300)]
    res = vr.fact_wz_one_entry_planar(wz_run(tmp_path / "a", domains=doms, entries=ents, fronts=fronts))
    assert res.status == vr.YES and res.quantities["first planar front"][0] == 540.0
    doms2 = doms + [(510.0, 400.0, 2, 50, 52, 2, 150, 0)]
    ents2 = ents + [(510.0, 400.0, 2, 150)]
    res = vr.fact_wz_one_entry_planar(wz_run(tmp_path / "b", domains=doms2, entries=ents2, fronts=fronts))
    assert res.status == vr.NO and res.quantities["entries before the front"][0] == 2
    assert vr.fact_wz_one_entry_planar(wz_run(tmp_path / "c", t_stop=500.0, domains=doms[:1],
                                              entries=ents)).status == vr.NOT_REACHED


def test_wz_rate_recovers_a_linear_slope_exactly(tmp_path):
    """Exchanged volume rising at exactly 49 000 nm³/h over the last 400 °C hold; outputs with X ≤ 0.02
    (a plateau before the entry) and X ≥ 0.98 (the end) would bend the slope if they were used."""
    V = 47123.889803846895                          # 20 nm × 150 nm wire: X = V_ex / V
    rate = 49000.0 / 3600.0                         # nm³/s

    def x_of_t(t):
        if t < 1000.0:
            return 0.01
        return min(0.99, 0.01 + rate * (t - 1000.0) / V)

    t, T = outputs(WZ_STEPS, WZ_LENGTH, 30.0)
    x = [x_of_t(v) for v in t]
    make_validation_run(str(tmp_path), WZ_STEPS, t, T, x=x, volume=[v * V for v in x], phase="wz", diameter_nm=18.0)
    res = vr.fact_wz_rate(vr.Run(str(tmp_path)))
    assert res.status == vr.YES
    assert res.quantities["rate"][0] == pytest.approx(49000.0, rel=1e-9)
    assert vr.volume_rate_nm3_per_h([0.0, 3600.0, 7200.0], [1.0, 2.0, 3.0]) == pytest.approx(1.0)


def test_wz_rate_outside_the_band_and_not_reached(tmp_path):
    t, T = outputs(WZ_STEPS, WZ_LENGTH, 30.0)
    slow = [min(0.9, 0.03 + 1e-5 * v) for v in t]             # ≈ 1 700 nm³/h
    make_validation_run(str(tmp_path / "slow"), WZ_STEPS, t, T, x=slow, phase="wz")
    res = vr.fact_wz_rate(vr.Run(str(tmp_path / "slow")))
    assert res.status == vr.NO and res.quantities["rate"][0] < 49000.0 / 3
    assert vr.fact_wz_rate(wz_run(tmp_path / "short", t_stop=700.0)).status == vr.NOT_REACHED
    res = vr.fact_wz_rate(wz_run(tmp_path / "flat"))                # complete, X = 0 throughout
    assert res.status == vr.NO


def test_wz_ramp_onset(tmp_path):
    steps = [{"type": "ramp", "to_C": 450.0, "rate_C_per_min": 5.0}, {"type": "hold", "duration_min": 10.0}]
    p = program(steps)

    def run(name, onset_C, t_stop=None):
        t = list(np.arange(0.0, (t_stop or p.length) + 1e-9, 60.0))
        T = [p.temperature_at(v) for v in t]
        x = [0.0 if temp < onset_C else min(1.0, 0.02 + (temp - onset_C) / 40.0) for temp in T]
        make_validation_run(str(tmp_path / name), steps, t, T, x=x, phase="wz")
        return vr.Run(str(tmp_path / name))

    res = vr.fact_wz_ramp_onset(run("a", 350.0))
    assert res.status == vr.YES and res.quantities["onset"][0] == pytest.approx(350.0)
    assert vr.fact_wz_ramp_onset(run("b", 300.0)).status == vr.NO
    assert vr.fact_wz_ramp_onset(run("c", 500.0)).status == vr.NO              # never, past 400 °C
    assert vr.fact_wz_ramp_onset(run("d", 350.0, t_stop=3600.0)).status == vr.NOT_REACHED   # stopped at 325 °C


# ---------------------------------------------------------------- seeds, vacancy study, report


def test_seed_statistics_match_numpy():
    v = np.random.default_rng(5).normal(100.0, 30.0, size=7)
    st = vr.seed_stats(list(v) + [None])
    assert st["n"] == 7
    assert st["median"] == np.median(v)
    assert (st["p10"], st["p90"]) == tuple(np.percentile(v, [10, 90]))
    assert (st["min"], st["max"]) == (v.min(), v.max())
    assert vr.seed_stats([None]) is None


def test_summary_over_seeds(tmp_path):
    runs = [zb_run(tmp_path / f"s{k}", t_stop=t) for k, t in enumerate([ZB_LENGTH, ZB_LENGTH, ZB_LENGTH, 600.0])]
    res = [vr.SeedResult(vr.YES, {"n": (2, "")}), vr.SeedResult(vr.YES, {"n": (3, "")}),
           vr.SeedResult(vr.NO, {"n": (1, "")}, reason="one entry"),
           vr.SeedResult(vr.NOT_REACHED, {"n": (0, "")}, needs="the end of the 125 °C hold")]
    row = vr.summarise("f", "f", "p", runs, res)
    assert row.verdict == vr.YES and row.holds == "yes (2 of 3 seeds; 1 not reached)"
    assert row.simulated == "n 1.5 [0.3–2.7; 0–3] · 4 seeds"
    assert any("one entry" in n for n in row.notes) and any("needs the end of the 125 °C hold" in n for n in row.notes)
    row = vr.summarise("f", "f", "p", runs, [res[3]] * 3 + [res[0]])
    assert row.verdict == vr.NOT_REACHED


def test_shell_vs_vacancy(tmp_path):
    def study(name, high):
        for frac, shell in ((0.0, 10.0), (0.03, 30.0), (0.05, high)):
            for seed in (1, 2):
                zb_run(tmp_path / name / f"vac_{frac:.2f}" / f"seed_{seed}", shell=[shell * (1 + 0.1 * seed)] * 28,
                       vacancy=frac, seed=seed)
        return vr.load_vacancy_study(str(tmp_path / name))

    s = study("good", 60.0)
    assert sorted(s) == [0.0, 0.03, 0.05]
    row = vr.shell_vacancy_row(s)
    assert row.verdict == vr.YES and "ratio 6" in row.simulated
    assert vr.shell_vacancy_row(study("bad", 30.0)).verdict == vr.NO


def make_study(root):
    """Seed folders for every option of the report (3 zb seeds, 2 wz seeds, …)."""
    doms = [(600.0, 125.0, 1, 0, 3, 3, 150, 0), (675.0, 125.0, 1, 0, 6, 6, 900, 1), (675.0, 125.0, 2, 40, 42, 2, 120, 0)]
    ents = [(525.0, 125.0, 1, 40), (600.0, 125.0, 2, 10)]
    fronts = [(675.0, 125.0, 1, "lower", 0.5, 0.3, 1.2, 200)]
    ev = [(1200.0, 200.0, "reversal", 2, "", 60, 41.0, 120, 2.0)]
    for seed, t_stop in ((1, ZB_LENGTH), (2, ZB_LENGTH), (3, 1500.0)):
        for name in ("zb", "md_zb"):
            zb_run(root / name / f"seed_{seed}", t_stop=t_stop, seed=seed, shell=[0, 3, 7] + [12] * 25,
                   domains=doms, entries=ents, fronts=fronts, events=ev, program="cekmc 0.1.0" if t_stop == ZB_LENGTH else None,
                   barrier_file="barriers.toml" if name == "md_zb" else None)
    for seed in (1, 2):
        wz_run(root / "wz" / f"seed_{seed}", seed=seed, x_of_t=lambda t: 0.0 if t < 1000 else min(0.99, (t - 1000) / 2000),
               shell=[0.0] + [6.0] * 100)
        for frac in (0.0, 0.05):
            zb_run(root / "vac" / f"vac_{frac:.2f}" / f"seed_{seed}", seed=seed, vacancy=frac,
                   shell=[(1 + 6 * frac / 0.05) * k for k in range(28)])
    iso = [{"type": "hold", "duration_min": 2.0}]             # X = t / 100 s at 300 °C: t_fc = 95 s
    t = [10.0 * k for k in range(13)]
    for seed in (1, 2):
        make_validation_run(str(root / "iso300" / f"seed_{seed}"), iso, t, [300.0] * 13, start_C=300.0, seed=seed,
                            x=[min(1.0, v / 100.0) for v in t])
    with open(root / "est-wz.csv", "w") as f:
        f.write("phase,temperature_C,temperature_K,p_ce,t_fc_s,rate_nm3_per_h\n"
                "wz,27.00,300.15,4.578228e-24,8.737005e+16,1.941695e-09\n"
                "wz,427.00,700.15,9.876077e-11,4.050191e+03,4.188593e+04\n")
    with open(root / "est-zb.csv", "w") as f:
        f.write("phase,temperature_C,temperature_K,p_ce,t_fc_s,rate_nm3_per_h\n"
                "zb,277.00,550.15,1.0e-09,380.0,1.0\n"
                "zb,327.00,600.15,1.0e-08,38.0,10.0\n")
    with open(root / "fit.json", "w") as f:
        json.dump({"targets": [{"observable": "wz_volume_rate"}, {"fact": "no_such_fact"}]}, f)


def test_report_is_reproducible_and_complete(tmp_path):
    make_study(tmp_path)
    out = tmp_path / "docs" / "validation.md"
    argv = ["--zb", str(tmp_path / "zb"), "--wz", str(tmp_path / "wz"), "--shell-vacancy", str(tmp_path / "vac"),
            "--estimate-csv", str(tmp_path / "est-wz.csv"), "--estimate-csv", str(tmp_path / "est-zb.csv"),
            "--isothermal", str(tmp_path / "iso300"), "--fit", str(tmp_path / "fit.json"),
            "--md-zb", str(tmp_path / "md_zb"), "--barriers", os.path.join(REPO, "inputs", "barriers-paper.toml"),
            "--out", str(out), "--figures", str(tmp_path / "docs" / "figures")]
    vr.main(argv)
    first = out.read_bytes()
    pngs = sorted(os.listdir(tmp_path / "docs" / "figures"))
    assert pngs == ["validation_fig6.png", "validation_shell_vacancy.png", "validation_xt_md_zb.png",
                    "validation_xt_wz.png", "validation_xt_zb.png"]
    vr.main(argv)
    assert out.read_bytes() == first
    text = first.decode()
    assert "inputs/barriers-paper.toml" in text.splitlines()[5]          # repo-relative in the command
    assert not re.search(r"20\d\d-\d\d-\d\d", text)                       # no date
    assert "cekmc version: cekmc 0.1.0" in text
    assert "](figures/validation_fig6.png)" in text
    table = text.split("## Facts (spec §7)\n\n")[1].split("\n\n")[0]
    rows = {line.split(" | ")[0].lstrip("| "): line for line in table.splitlines()[2:]}
    assert len(rows) == 10
    assert "| fit |" in rows["wz: exchanged-volume rate at 400 °C"]
    assert "| prediction |" in rows["zb: shell before exchange"]
    assert "yes (3 of 3 seeds)" in rows["zb: shell before exchange"]
    assert "no (0 of 2 seeds; 1 not reached)" in rows["zb: merged, ≥ 95 % exchanged at the end"]
    assert "Targets that name no fact of this report: no_such_fact" in text
    assert "the run stopped at 74.1 % of the program (t = 1 500 s, 225 °C)" in text
    assert "| wz | b: penetration | 0.4 ± 0.1 | 0.4 ± 0.1 |" in text
    # Fig. 6: the isothermal 300 °C runs reach X = 0.95 at 95 s; the estimate there is log-linear in 1/T
    # between 277 °C (380 s) and 327 °C (38 s): 300 °C lies at w = 0.4817 of the way in 1/T, 380 · 10^−w.
    est = vr.estimate_at(vr.read_estimate(str(tmp_path / "est-zb.csv")), 300.0)
    w = (1 / 573.15 - 1 / 550.15) / (1 / 600.15 - 1 / 550.15)
    assert est == pytest.approx(380.0 * 10 ** -w, rel=1e-12)
    assert (f"| isothermal iso300 | zb | isothermal | 300 °C | 95 s | {vr.fmt(est, 's')} | {vr.fmt(95.0 / est)} |"
            in text)
    for name in vr.THRESHOLDS:
        assert f"`{name[0]}`" in text


def test_command_line_is_repo_relative():
    cmd = vr.command_line(["--zb", os.path.join(REPO, "out", "v", "zb"), "--out=" + os.path.join(REPO, "docs", "v.md"),
                           "--wz", "/elsewhere/wz"])
    assert cmd == "python3 analysis/validation_report.py --zb out/v/zb --out=docs/v.md --wz /elsewhere/wz"


def test_number_format():
    assert [vr.fmt(v) for v in (1512.3, 49000.0, 0.283, 12.34, 999.7, 0, 2.5e-5, 8.7e16, None, 7)] == \
        ["1 512", "49 000", "0.283", "12.3", "1 000", "0", "2.5e-05", "8.7e+16", "—", "7"]
    assert vr.fmt_seeds([1, 2, 3, 5, 7, 8]) == "1–3, 5, 7–8"


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_validation_script_dry_run():
    """scripts/validation.sh --dry-run prints every command (runs, vacancy inputs, estimates, report)."""
    out = subprocess.run(["bash", os.path.join(REPO, "scripts", "validation.sh"), "--dry-run", "--seeds", "1-2",
                          "--jobs", "1", "--wall-min", "3", "--out", "out/vtest"],
                         capture_output=True, text=True, check=True).stdout.splitlines()
    assert out[0] == "swift build -c release --product cekmc"
    assert (".build/release/cekmc run inputs/zb-ramp.toml --out out/vtest/zb --seeds 1-2 --jobs 1 --max-wall-min 3"
            in out)
    for name, folder in (("wz-400C", "wz"), ("wz-ramp", "wz-ramp"), ("reversibility", "reversibility")):
        assert any(f"run inputs/{name}.toml --out out/vtest/{folder} " in line for line in out)
    for v in ("0.00", "0.03", "0.05"):
        assert any(line.startswith("sed ") and line.endswith(f"out/vtest/inputs/default-zb-ramp-vac_{v}.toml")
                   for line in out)
        assert any(f"--out out/vtest/shell-vacancy/vac_{v} --seeds 1-2" in line for line in out)
    assert ".build/release/cekmc estimate --phase wz --from-C 27 --to-C 477 --step-C 10 > out/vtest/estimate-wz.csv" in out
    assert out[-1].startswith("python3 analysis/validation_report.py --zb out/vtest/zb --wz out/vtest/wz")
    assert out[-1].endswith("--out docs/validation.md --figures docs/figures")
    assert not os.path.exists(os.path.join(REPO, "out", "vtest"))
