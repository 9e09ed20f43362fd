"""The figure scripts: probe blur, one colour scale, counting noise, kymograph and lifeline data, and
every script writing a PNG on tiny synthetic output folders (tests/synthetic.py)."""
import os

import numpy as np
import pytest

import make_figures
import plot_eds
import plot_kymograph
import plot_lifelines
import plot_profile
import plot_xt
from cekmc_io import find_layout, read_axial_profile, read_outdir_csv
from figures_common import (FWHM_PER_SIGMA, blur_frame, coarse_bin_warning, counting_noise, gaussian_blur,
                            rebin_frame, select_indices)
from synthetic import make_aggregate, make_figure_run, make_run, project_counts

PNG = b"\x89PNG\r\n\x1a\n"


def assert_png(path):
    data = open(path, "rb").read()
    assert data[:8] == PNG and len(data) > 1000, path


# ---------------------------------------------------------------- probe blur

def test_blur_conserves_total_count():
    rng = np.random.default_rng(3)
    img = rng.poisson(2.0, size=(37, 23)).astype(float)
    img[0, 0] = img[-1, -1] = 50.0                       # mass on the corners must not be cropped
    for sigma in (0.3, 1.0, 4.25):
        out, h = gaussian_blur(img, sigma)
        assert out.shape == (37 + 2 * h, 23 + 2 * h)
        assert abs(out.sum() - img.sum()) <= 1e-9 * img.sum()


def half_max_width(x, y):
    """Width of y at half its maximum, crossings linearly interpolated."""
    half = y.max() / 2
    above = np.nonzero(y >= half)[0]
    i0, i1 = above[0], above[-1]
    left = x[i0 - 1] + (half - y[i0 - 1]) / (y[i0] - y[i0 - 1]) * (x[i0] - x[i0 - 1])
    right = x[i1] + (y[i1] - half) / (y[i1] - y[i1 + 1]) * (x[i1 + 1] - x[i1])
    return right - left


@pytest.mark.parametrize("fwhm_nm,bin_nm", [(1.0, 0.1), (2.0, 0.1), (1.0, 0.05)])
def test_isolated_count_spreads_with_requested_fwhm(fwhm_nm, bin_nm):
    img = np.zeros((41, 41))
    img[20, 20] = 1.0
    f = blur_frame({"image": img, "bin_nm": bin_nm, "u_min_nm": 0.0, "z_min_nm": 0.0}, fwhm_nm)
    out = f["image"]
    iz, iu = np.unravel_index(np.argmax(out), out.shape)
    x = np.arange(out.shape[1]) * bin_nm
    for profile in (out[iz, :], out[:, iu]):
        assert abs(half_max_width(x, profile) - fwhm_nm) < bin_nm
    # The peak stays over the atom's bin: the frame origin moved by the padding.
    assert f["z_min_nm"] + iz * bin_nm == pytest.approx(20 * bin_nm)
    assert f["u_min_nm"] + iu * bin_nm == pytest.approx(20 * bin_nm)


def plane_map(bin_nm, period_nm=0.35, length_nm=30.0):
    """Count map of atoms on planes period_nm apart along z (0.7 nm of u-positions per plane)."""
    z = np.arange(0.013, length_nm, period_nm)
    u = np.arange(-2.0, 2.0, 0.4)
    uu, zz = np.meshgrid(u, z)
    n_u, n_z = int(round(6.0 / bin_nm)), int(round((length_nm + 2.0) / bin_nm))
    counts = project_counts(uu.ravel(), zz.ravel(), bin_nm, -3.0, -1.0, n_u, n_z)
    return {"image": counts, "bin_nm": bin_nm, "u_min_nm": -3.0, "z_min_nm": -1.0}


def row_modulation(frame, z_lo=3.0, z_hi=27.0):
    """(max − min) / mean of the row sums over rows centred in [z_lo, z_hi] (away from the ends)."""
    img = np.asarray(frame["image"], float)
    zc = frame["z_min_nm"] + (np.arange(img.shape[0]) + 0.5) * frame["bin_nm"]
    rows = img[(zc >= z_lo) & (zc <= z_hi)].sum(axis=1)
    return (rows.max() - rows.min()) / rows.mean()


def test_fine_bins_and_probe_blur_show_no_plane_stripes():
    fine = plane_map(0.1)
    assert row_modulation(fine) > 0.5                    # raw 0.1 nm bins resolve the planes
    assert row_modulation(blur_frame(fine, 1.0)) < 0.01  # the probe washes them out
    coarse = plane_map(0.5)
    assert row_modulation(coarse) > 0.10                 # 0.35 nm planes in 0.5 nm bins: the beat
    assert coarse_bin_warning(0.5, 1.0) is not None
    assert coarse_bin_warning(0.1, 1.0) is None


def test_rebin_keeps_total_and_sets_pixel():
    img = np.arange(35, dtype=float).reshape(7, 5)
    f = rebin_frame({"image": img, "bin_nm": 0.1, "u_min_nm": 0.0, "z_min_nm": 0.0}, 3)
    assert f["image"].shape == (3, 2) and f["bin_nm"] == pytest.approx(0.3)
    assert f["image"].sum() == img.sum()
    assert f["image"][0, 0] == img[:3, :3].sum()


# ---------------------------------------------------------------- EDS maps

def test_one_colour_scale_over_the_series(tmp_path):
    pytest.importorskip("matplotlib")
    maps = make_figure_run(str(tmp_path))
    res = plot_eds.make(str(tmp_path), probe_nm=1.0)
    sigma_bins = 1.0 / FWHM_PER_SIGMA / 0.1
    for k, e in enumerate(plot_eds.ELEMENTS):
        per_frame = [gaussian_blur(m[k], sigma_bins)[0].max() / 0.1 ** 2 for m in maps]
        assert res["vmax"][e] == pytest.approx(max(per_frame), rel=1e-12)
        if e == "cu":                                    # shell only at output 0: a per-frame scale would differ
            assert per_frame[0] < 0.5 * res["vmax"][e]
    assert_png(res["paths"][0])


def test_counting_noise_reproducible_with_mean_at_dose():
    lam = np.zeros((40, 30))
    lam[10:30, 5:25] = 0.7
    dose = 12.0
    a = counting_noise(lam, dose, 5)
    assert np.array_equal(a, counting_noise(lam, dose, 5))
    assert not np.array_equal(a, counting_noise(lam, dose, 6))
    assert a[lam == 0].sum() == 0
    expected = dose * lam.sum()
    assert abs(a.sum() - expected) < 4 * np.sqrt(expected)
    assert abs(a[lam > 0].mean() - dose * 0.7) < 4 * np.sqrt(dose * 0.7 / (lam > 0).sum())


def test_noisy_maps_are_reproducible_per_snapshot(tmp_path):
    maps = make_figure_run(str(tmp_path))
    one = plot_eds.load_series(str(tmp_path), dose=5.0, noise_seed=2)
    two = plot_eds.load_series(str(tmp_path), dose=5.0, noise_seed=2)
    for f1, f2 in zip(one, two):
        assert np.array_equal(f1["cu"]["image"], f2["cu"]["image"])
    # Counts per map ≈ dose × atoms (the blur keeps the total).
    total = one[1]["cd"]["image"].sum() * 0.1 ** 2
    assert abs(total - 5.0 * maps[1][1].sum()) < 4 * np.sqrt(5.0 * maps[1][1].sum())


def test_snapshot_selection():
    assert select_indices(list(range(20))) == [0, 4, 8, 11, 15, 19]
    assert select_indices([0, 5, 10]) == [0, 1, 2]
    assert select_indices(list(range(20)), take_all=True) == list(range(20))
    assert select_indices([0, 5, 10, 15], wanted=[15, 5]) == [3, 1]
    with pytest.raises(ValueError):
        select_indices([0, 5], wanted=[3])


def test_profile_is_m_shaped_for_the_shell(tmp_path):
    make_figure_run(str(tmp_path))
    series = plot_eds.load_series(str(tmp_path))
    u, cu = plot_profile.across_profile(series[0]["cu"])
    # Only the shell is Cu at output 0: maxima near ±1.8 nm, a dip at the axis.
    centre = cu[np.argmin(abs(u))]
    left, right = cu[u < 0].max(), cu[u > 0].max()
    assert centre < 0.8 * min(left, right)
    assert abs(abs(u[np.argmax(cu)]) - 1.8) < 0.5
    # Summed over z the profile holds every atom: ∫ profile du = count.
    assert cu.sum() * series[0]["cu"]["bin_nm"] == pytest.approx(series[0]["cu"]["image"].sum() * 0.01)
    _, window = plot_profile.across_profile(series[2]["cd"], (4.5, 5.5))
    assert window.max() > 0
    with pytest.raises(ValueError):
        plot_profile.across_profile(series[0]["cu"], (100.0, 101.0))


# ---------------------------------------------------------------- kymograph

def test_kymograph_fraction_nan_without_sites(tmp_path):
    make_figure_run(str(tmp_path))
    prof = read_axial_profile(str(tmp_path))
    assert list(prof["z_nm"]) == [-0.5, 0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5]
    assert prof["bin_nm"] == 1.0
    x = plot_kymograph.quantity_grid(prof, "fraction")
    empty = prof["cation_sites"] == 0
    assert empty.any() and np.isnan(x[empty]).all()
    np.testing.assert_array_equal(x[~empty], prof["cu_cation"][~empty] / prof["cation_sites"][~empty])
    assert list(x[1, 1:7]) == [1, 1, 0, 0, 0, 0]        # output 1: Cu below z = 2 nm
    assert plot_kymograph.quantity_grid(prof, "shell")[0, 1] == 72.0


def test_exchanged_fraction_and_edges():
    x = plot_kymograph.exchanged_fraction([[0, 3], [2, 0]], [[0, 6], [4, 0]])
    assert np.isnan(x[0, 0]) and np.isnan(x[1, 1]) and x[0, 1] == 0.5 and x[1, 0] == 0.5
    assert list(plot_kymograph.centre_edges([0.0, 1.0, 3.0])) == [-0.5, 0.5, 2.0, 4.0]


# ---------------------------------------------------------------- lifelines

def test_lifelines_keep_domains_by_max_length(tmp_path):
    make_figure_run(str(tmp_path))
    d = read_outdir_csv(str(tmp_path), "domains.csv")
    ev = read_outdir_csv(str(tmp_path), "domain_events.csv")
    hist = plot_lifelines.domain_histories(d)
    assert list(hist[1]["length_nm"]) == [2.1, 4.2]
    assert plot_lifelines.kept_domains(hist, ev, 2.0) == [1, 3, 4]
    assert plot_lifelines.kept_domains(hist, ev, 2.6) == [1, 4]
    assert plot_lifelines.kept_domains(hist, ev, 5.0) == []
    assert plot_lifelines.kept_domains(hist, ev, 5.0, min_sites=120) == [1, 4]
    pts = plot_lifelines.event_points(ev, hist, {1, 3, 4})
    assert len(pts["birth"][0]) == 3 and "vanish" not in pts
    assert list(pts["reversal"][2]) == [2.5]             # at the last length of domain 3
    assert list(pts["merge"][2]) == [4.2]                # on the absorbing domain 1


# ---------------------------------------------------------------- the scripts and make_figures

def test_scripts_write_pngs(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    run = str(tmp_path)
    make_figure_run(run)
    paths = plot_eds.main([run, "--snapshots", "2", "--per-frame", "--dose", "8", "--pixel-nm", "0.2"])
    assert [os.path.basename(p) for p in paths] == ["eds_maps.png", "eds_maps_000002.png"]
    paths.append(plot_kymograph.main([run, "--quantity", "shell"]))
    paths.append(plot_xt.main([run, "--no-shell"]))
    paths.append(plot_lifelines.main([run, "--x", "temperature", "--out", os.path.join(run, "lt.png")]))
    paths.append(plot_profile.main([run, "--z-range", "0,3"]))
    printed = capsys.readouterr().out.split()
    for p in paths:
        assert_png(p)
        assert p in printed
    assert os.path.dirname(paths[0]) == os.path.join(run, "figures")


def test_make_figures_single_run(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    make_figure_run(str(tmp_path))
    assert make_figures.main([str(tmp_path)]) == 0
    out = capsys.readouterr().out
    for name in ["xt", "kymograph", "kymograph_shell", "lifelines", "eds_maps", "profile"]:
        assert_png(tmp_path / "figures" / f"{name}.png")
    assert len(out.strip().splitlines()) == 6


def test_make_figures_reports_skips_and_errors(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    make_figure_run(str(tmp_path))
    for name in ["domains.csv", "domain_events.csv", "maps/index.csv"]:
        os.remove(tmp_path / name)
    (tmp_path / "axial_profile.csv").write_text("time_s,temperature_C,z_nm,cation_sites,cu_cation,cu_interstitial,"
                                                "shell_cu\n0.0,25.0,0.5\n")
    assert make_figures.main([str(tmp_path)]) == 1
    cap = capsys.readouterr()
    assert "kymograph: error" in cap.err
    assert "lifelines: skipped — no domains.csv / domain_events.csv" in cap.out
    assert "EDS maps: skipped — no maps/" in cap.out
    assert_png(tmp_path / "figures" / "xt.png")          # the other figures are still made
    os.remove(tmp_path / "axial_profile.csv")
    assert make_figures.main([str(tmp_path)]) == 0
    assert "kymograph: skipped — no axial_profile.csv" in capsys.readouterr().out
    assert make_figures.main([str(tmp_path / "missing")]) == 2


def test_coarse_maps_warn(tmp_path, capsys):
    make_run(str(tmp_path))                              # 0.5 nm maps
    plot_eds.load_series(str(tmp_path), probe_nm=1.0)
    assert "too coarse" in capsys.readouterr().err


def test_make_figures_aggregate_layout_draws_the_band(tmp_path, capsys, monkeypatch):
    pytest.importorskip("matplotlib")
    make_aggregate(str(tmp_path), n_seeds=3)
    layout = find_layout(str(tmp_path))
    assert layout["kind"] == "aggregate" and [k for k, _ in layout["seeds"]] == [1, 2, 3]
    cur = plot_xt.load_curves(str(tmp_path))
    band = cur["exchanged_fraction"]
    assert set(band) == {"median", "p10", "p90"} and cur["n_seeds"] == 3
    assert (band["p10"] <= band["median"]).all() and (band["median"] <= band["p90"]).all()
    assert (band["p90"] - band["p10"]).max() > 0
    # The per-seed figures (run_figures, exercised on a single run above) go to seed_1 or --seed K.
    calls = []
    monkeypatch.setattr(make_figures, "run_figures", lambda run_dir, fig_dir, report, prefix="", xt=True, **kw:
                        calls.append((os.path.basename(run_dir), prefix, xt)))
    assert make_figures.main([str(tmp_path)]) == 0
    assert "3 seeds, median and 10–90 % band from aggregate/timeseries.csv" in capsys.readouterr().out
    assert_png(tmp_path / "figures" / "xt.png")
    assert make_figures.main([str(tmp_path), "--seed", "2"]) == 0
    assert calls == [("seed_1", "seed_1_", False), ("seed_2", "seed_2_", False)]
    assert make_figures.main([str(tmp_path), "--seed", "9"]) == 2


def test_seed_band_without_aggregate_file(tmp_path):
    make_aggregate(str(tmp_path), n_seeds=3)
    agg = plot_xt.load_curves(str(tmp_path))
    os.remove(tmp_path / "aggregate" / "timeseries.csv")
    own = plot_xt.load_curves(str(tmp_path))
    for s in ("median", "p10", "p90"):
        np.testing.assert_allclose(own["exchanged_fraction"][s], agg["exchanged_fraction"][s], rtol=1e-12)
