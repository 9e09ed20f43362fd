import numpy as np
import pytest

import plot_domains
import plot_estimate
import plot_maps
import plot_timeseries
from synthetic import make_run


def test_timeseries_load_and_rate(tmp_path):
    make_run(str(tmp_path))
    ts = plot_timeseries.load_timeseries(str(tmp_path))
    assert list(ts["exchanged_fraction"]) == [0.0, 0.5, 1.0]
    # Whole 20 nm × 150 nm wire (47 124 nm³) in one hour.
    assert plot_timeseries.exchange_rate_nm3_per_h(ts["time_s"], ts["exchanged_volume_nm3"]) == pytest.approx(47123.89, rel=1e-6)
    assert np.isnan(plot_timeseries.exchange_rate_nm3_per_h([1.0], [2.0]))


def test_kymograph_fills_domain_extents():
    t = [1.0, 1.0, 2.0]
    ids = [1, 2, 1]
    lo = [0.0, 2.0, 0.0]
    hi = [1.0, 2.4, 3.0]
    edges = np.arange(0.0, 3.5, 0.5)          # 6 bins: [0,.5) … [2.5,3)
    times, img = plot_domains.kymograph(t, ids, lo, hi, edges)
    assert list(times) == [1.0, 2.0]
    # t=1: domain 1 covers [0,1] → bins 0,1,2 (bin 2 starts at 1.0 ≤ z_max); domain 2 covers bin 4.
    assert list(img[0]) == [1, 1, 1, -1, 2, -1]
    assert list(img[1]) == [1, 1, 1, 1, 1, 1]


def test_kymograph_longer_domain_wins_overlap():
    times, img = plot_domains.kymograph([0.0, 0.0], [5, 6], [0.0, 0.2], [0.4, 3.0], [0.0, 0.5, 1.0])
    assert list(img[0]) == [6, 6]


def test_maps_load_profile_and_m_shape(tmp_path):
    cu, cd = make_run(str(tmp_path))
    m = plot_maps.load_maps(str(tmp_path))
    assert m["extent"] == (-2.0, 2.0, -1.0, 1.0)
    assert (m["cu"] == cu).all() and (m["cd"] == cd).all()
    prof = plot_maps.across_profile(m["cu"])
    assert list(prof) == [0, 40, 16, 8, 8, 16, 40, 0]
    assert plot_maps.is_m_shaped(prof)
    assert not plot_maps.is_m_shaped(plot_maps.across_profile(m["cd"]))


def test_full_conversion_time_interpolates():
    assert plot_estimate.full_conversion_time([0, 10, 20], [0.0, 0.5, 1.0], 0.95) == pytest.approx(19.0)
    assert plot_estimate.full_conversion_time([0, 10], [0.96, 1.0], 0.95) == 0.0
    assert np.isnan(plot_estimate.full_conversion_time([0, 10], [0.1, 0.2], 0.95))


def test_estimate_reader_and_runs(tmp_path):
    est = tmp_path / "estimate.csv"
    est.write_text("phase,temperature_C,temperature_K,p_ce,t_fc_s,rate_nm3_per_h\n"
                   "wz,390.00,663.15,1.0e-10,4.0e+03,4.2e+04\nwz,400.00,673.15,2.0e-10,2.0e+03,8.4e+04\n")
    temp, tfc, phase = plot_estimate.read_estimate(str(est))
    assert phase == "wz" and list(temp) == [390.0, 400.0] and list(tfc) == [4000.0, 2000.0]
    run = tmp_path / "run"
    make_run(str(run))
    pt, pf = plot_estimate.kmc_points_from_runs([str(run)], 0.95)
    assert list(pt) == [400.0] and pf[0] == pytest.approx(1800 + 0.9 * 1800)


def test_scripts_write_pngs(tmp_path):
    pytest.importorskip("matplotlib")
    run = tmp_path / "run"
    make_run(str(run))
    plot_timeseries.main([str(run)])
    plot_domains.main([str(run)])
    plot_maps.main([str(run)])
    est = tmp_path / "estimate.csv"
    est.write_text("phase,temperature_C,temperature_K,p_ce,t_fc_s,rate_nm3_per_h\nzb,27.00,300.15,1e-20,1e+15,1e-07\n"
                   "zb,477.00,750.15,1e-6,1e+1,1e+07\n")
    kmc = tmp_path / "kmc.csv"
    kmc.write_text("temperature_C,t_fc_s,t_fc_err_s\n400,3000,500\n")
    plot_estimate.main([str(est), "--kmc", str(kmc), "--runs", str(run)])
    for name in ["run/timeseries.png", "run/domains.png", "run/maps_000000.png", "estimate.png"]:
        data = (tmp_path / name).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n", name
