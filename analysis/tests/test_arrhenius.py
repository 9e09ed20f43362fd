import csv
import math
import os

import pytest

import arrhenius

COLUMNS = ["time_s", "temperature_C", "exchanged_fraction", "exchanged_volume_nm3", "shell_cu_per_nm",
           "n_domains", "n_cu_interstitial", "n_cd_interstitial", "events", "donor_cu", "escaped_cd",
           "shell_cu", "cu_cation", "vacancies", "rejections"]


def write_run(folder, phase, T_C, rate_per_site, seed=1, n_cat=15000, length=30.0):
    """A seeded-front run whose Cu on cation sites grows at rate_per_site × 2 fronts × cations per layer."""
    os.makedirs(folder)
    with open(os.path.join(folder, "input.toml"), "w") as f:
        f.write(f'kind = "scenario"\nseed = {seed}\n[wire]\nphase = "{phase}"\ndiameter_nm = 6\nlength_nm = {length}\n'
                f'[temperature]\nstart_C = {T_C}\n[[temperature.steps]]\ntype = "hold"\nat_C = {T_C}\nduration_min = 1.0\n')
    sites = 2 * n_cat / length * arrhenius.SPACING_NM[phase]
    with open(os.path.join(folder, "timeseries.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(COLUMNS)
        for k in range(11):
            t = 0.1 * k
            cu = 3000 + rate_per_site * sites * t
            w.writerow([t, T_C, cu / n_cat, 0, 240, 1, 3000, 0, 1000 * k, 1e6, 0, 7000, cu, 0, 0])


def test_ols_recovers_an_exact_line():
    a, b, se_a, se_b = arrhenius.ols([0.0, 1.0, 2.0, 3.0], [1.0, 3.0, 5.0, 7.0])
    assert (a, b) == pytest.approx((2.0, 1.0))
    assert se_a == pytest.approx(0.0, abs=1e-12) and se_b == pytest.approx(0.0, abs=1e-12)
    assert arrhenius.ols([1.0], [2.0]) is None


def test_rate_per_front_site_and_arrhenius_fit(tmp_path, capsys):
    E, A = 0.7, 2.5e9
    for T in (150.0, 200.0, 250.0):
        rate = A * math.exp(-E / (arrhenius.KB * (T + 273.15)))
        write_run(str(tmp_path / f"zb_T{T:.0f}_s1"), "zb", T, rate)
    run = arrhenius.load_run(str(tmp_path / "zb_T200_s1"), "zb_T200_s1", str(tmp_path))
    assert run["rate_per_site"] == pytest.approx(A * math.exp(-E / (arrhenius.KB * 473.15)), rel=1e-9)
    assert run["cations_per_layer"] == pytest.approx(15000 / 30 * 0.351)
    arrhenius.main(str(tmp_path))
    out = capsys.readouterr().out
    line = next(l for l in out.splitlines() if "E_app =" in l)
    assert float(line.split("E_app =")[1].split()[0]) == pytest.approx(E, abs=1e-3)
    assert os.path.exists(tmp_path / "arrhenius.csv")
