"""Tiny synthetic cekmc output directories, written the way the Swift writers write them."""
import os

import numpy as np

TIMESERIES_HEADER = ("time_s,temperature_C,exchanged_fraction,exchanged_volume_nm3,shell_cu_per_nm,n_domains,"
                     "n_cu_interstitial,n_cd_interstitial,events")
DOMAINS_HEADER = "time_s,temperature_C,domain_id,z_min_nm,z_max_nm,length_nm,n_sites,spans"
EVENTS_HEADER = "time_s,temperature_C,event,domain_id,other_ids,n_sites,z_nm,max_n_sites,max_length_nm"
MAPS_HEADER = "snapshot,time_s,temperature_C,cu_file,cd_file,bin_nm,u_min_nm,z_min_nm,n_u,n_z"


def write(path, header, rows):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(header + "\n")
        for r in rows:
            f.write(",".join(str(v) for v in r) + "\n")


def make_run(outdir, volume_per_fraction=47123.889803846895):
    """A 3-output run: X = 0, 0.5, 1 at 0, 1800, 3600 s; domains 1 and 2 merge at t = 3600 s."""
    rows = []
    for t, x in [(0.0, 0.0), (1800.0, 0.5), (3600.0, 1.0)]:
        rows.append([t, 400.0, x, x * volume_per_fraction, 2.5, 1, 3, 4, int(t * 10)])
    write(os.path.join(outdir, "timeseries.csv"), TIMESERIES_HEADER, rows)
    write(os.path.join(outdir, "domains.csv"), DOMAINS_HEADER, [
        [1800.0, 400.0, 1, 0.0, 10.0, 10.3, 500, 1],
        [1800.0, 400.0, 2, 20.0, 22.0, 2.3, 50, 0],
        [3600.0, 400.0, 1, 0.0, 30.0, 30.3, 2000, 1],
    ])
    write(os.path.join(outdir, "domain_events.csv"), EVENTS_HEADER, [
        [1800.0, 400.0, "birth", 1, "", 500, 5.0, 500, 10.3],
        [1800.0, 400.0, "birth", 2, "", 50, 21.0, 50, 2.3],
        [3600.0, 400.0, "merge", 1, "2", 2000, 15.0, 2000, 30.3],
    ])
    # Maps: a hollow-shell Cu map (M profile) and a filled Cd map, 4 z rows × 8 u columns.
    cu = np.zeros((4, 8), dtype="<i4")
    cu[:, [1, 6]] = 10
    cu[:, [2, 5]] = 4
    cu[:, [3, 4]] = 2
    cd = np.zeros((4, 8), dtype="<i4")
    cd[:, 2:6] = 7
    os.makedirs(os.path.join(outdir, "maps"), exist_ok=True)
    np.save(os.path.join(outdir, "maps", "cu_000000.npy"), cu)
    np.save(os.path.join(outdir, "maps", "cd_000000.npy"), cd)
    write(os.path.join(outdir, "maps", "index.csv"), MAPS_HEADER,
          [[0, 3600.0, 400.0, "cu_000000.npy", "cd_000000.npy", 0.5, -2.0, -1.0, 8, 4]])
    return cu, cd


PROFILE_HEADER = "time_s,temperature_C,z_nm,cation_sites,cu_cation,cu_interstitial,shell_cu"
FULL_TIMESERIES_HEADER = TIMESERIES_HEADER + ",donor_cu,escaped_cd,shell_cu,cu_cation,vacancies,rejections"


def project_counts(u_nm, z_nm, bin_nm, u_min_nm, z_min_nm, n_u, n_z):
    """Atom counts per (z, u) bin, shape (n_z, n_u), int32 — the Swift ProjectedMap binning."""
    iu = np.floor((np.asarray(u_nm, float) - u_min_nm) / bin_nm).astype(int)
    iz = np.floor((np.asarray(z_nm, float) - z_min_nm) / bin_nm).astype(int)
    ok = (iu >= 0) & (iu < n_u) & (iz >= 0) & (iz < n_z)
    counts = np.zeros((n_z, n_u), dtype="<i4")
    np.add.at(counts, (iz[ok], iu[ok]), 1)
    return counts


def wire_atoms(radius_nm=1.5, length_nm=6.0, plane_nm=0.35, site_nm=0.4):
    """Cation sites of a toy wire: square grid of site_nm in each plane ⟂ z within radius_nm,
    planes plane_nm apart from z = 0. Returns x, y, z (nm) of every site."""
    g = np.arange(-radius_nm, radius_nm + 1e-9, site_nm)
    gx, gy = np.meshgrid(g, g)
    inside = gx ** 2 + gy ** 2 <= radius_nm ** 2
    px, py = gx[inside], gy[inside]
    zs = np.arange(0.0, length_nm, plane_nm)
    return np.tile(px, len(zs)), np.tile(py, len(zs)), np.repeat(zs, len(px))


def make_figure_run(outdir, bin_nm=0.1, times=(0.0, 300.0, 600.0), temps=(100.0, 125.0, 125.0), x_scale=1.0):
    """A run for the figure scripts: a 3 nm × 6 nm wire whose cation planes below z = 2 k nm are Cu at
    output k, a Cu shell (ring of radius 1.8 nm), fine-binned maps (bin_nm), axial_profile.csv with
    1 nm bins (the two cap bins hold no cation site), the full timeseries and a domain history:
      1: born at output 1, 2.1 nm → 4.2 nm, absorbs 4 at output 2 (merge), splits off 5 at output 2;
      2: 1 nm long, vanishes (filtered at the 2 nm default);  3: 2.5 nm, reverses at output 2;
      4: 2.8 nm, merged into 1.
    Returns the list of (cu, cd) count maps."""
    x, y, z = wire_atoms()
    ang = np.linspace(0, 2 * np.pi, 24, endpoint=False)
    shell_z = np.arange(0.0, 6.0, 0.35)
    sx = np.tile(1.8 * np.cos(ang), len(shell_z))
    sz = np.repeat(shell_z, len(ang))
    u_min, z_min = -2.8, -1.0
    n_u, n_z = int(round(5.6 / bin_nm)), int(round(8.0 / bin_nm))
    maps, idx_rows, prof_rows, ts_rows = [], [], [], []
    n_sites = len(z)
    os.makedirs(os.path.join(outdir, "maps"), exist_ok=True)
    for k, (t, temp) in enumerate(zip(times, temps)):
        is_cu = z < 2.0 * k
        cu = project_counts(np.concatenate([x[is_cu], sx]), np.concatenate([z[is_cu], sz]),
                            bin_nm, u_min, z_min, n_u, n_z)
        cd = project_counts(x[~is_cu], z[~is_cu], bin_nm, u_min, z_min, n_u, n_z)
        np.save(os.path.join(outdir, "maps", f"cu_{k:06d}.npy"), cu)
        np.save(os.path.join(outdir, "maps", f"cd_{k:06d}.npy"), cd)
        idx_rows.append([k, t, temp, f"cu_{k:06d}.npy", f"cd_{k:06d}.npy", bin_nm, u_min, z_min, n_u, n_z])
        maps.append((cu, cd))
        for zc in np.arange(-0.5, 7.0, 1.0):
            in_bin = (z >= zc - 0.5) & (z < zc + 0.5)
            shell = int(np.sum((sz >= zc - 0.5) & (sz < zc + 0.5)))
            prof_rows.append([t, temp, zc, int(in_bin.sum()), int((in_bin & is_cu).sum()), k, shell])
        xf = float(is_cu.sum()) / n_sites * x_scale
        ts_rows.append([t, temp, xf, xf * 42.4, len(sx) / 6.0 * x_scale, k, 3, 1, 1000 * k,
                        500, 10 * k, len(sx), int(is_cu.sum()), 2, 7 * k])
    write(os.path.join(outdir, "maps", "index.csv"), MAPS_HEADER, idx_rows)
    write(os.path.join(outdir, "axial_profile.csv"), PROFILE_HEADER, prof_rows)
    write(os.path.join(outdir, "timeseries.csv"), FULL_TIMESERIES_HEADER, ts_rows)
    t0, t1, t2 = times
    T0, T1, T2 = temps
    write(os.path.join(outdir, "domains.csv"), DOMAINS_HEADER, [
        [t1, T1, 1, 0.0, 1.75, 2.1, 120, 1],
        [t1, T1, 2, 5.0, 5.7, 1.0, 20, 0],
        [t1, T1, 3, 3.0, 5.15, 2.5, 110, 1],
        [t1, T1, 4, 2.5, 4.95, 2.8, 130, 1],
        [t2, T2, 1, 0.0, 3.85, 4.2, 300, 1],
        [t2, T2, 5, 4.5, 5.3, 1.1, 25, 0],
    ])
    write(os.path.join(outdir, "domain_events.csv"), EVENTS_HEADER, [
        [t1, T1, "birth", 1, "", 120, 0.9, 120, 2.1],
        [t1, T1, "birth", 2, "", 20, 5.3, 20, 1.0],
        [t1, T1, "birth", 3, "", 110, 4.0, 110, 2.5],
        [t1, T1, "birth", 4, "", 130, 3.7, 130, 2.8],
        [t2, T2, "vanish", 2, "", 20, 5.3, 20, 1.0],
        [t2, T2, "reversal", 3, "", 110, 4.0, 110, 2.5],
        [t2, T2, "merge", 1, "4", 300, 1.9, 300, 4.2],
        [t2, T2, "split", 1, "5", 300, 1.9, 300, 4.2],
    ])
    return maps


def make_aggregate(outdir, n_seeds=3):
    """seed_1/ … seed_N/ (make_figure_run with X scaled by 0.8, 1.0, 1.2, …) and aggregate/timeseries.csv
    with the median, 10th and 90th percentile over seeds of X and the shell coverage."""
    tables = []
    for s in range(1, n_seeds + 1):
        d = os.path.join(outdir, f"seed_{s}")
        make_figure_run(d, x_scale=0.8 + 0.2 * (s - 1))
        tables.append(np.loadtxt(os.path.join(d, "timeseries.csv"), delimiter=",", skiprows=1))
    arr = np.array(tables)                     # (seeds, outputs, columns)
    rows = []
    for i in range(arr.shape[1]):
        row = [arr[0, i, 0], arr[0, i, 1]]
        for col in (2, 4):                     # exchanged_fraction, shell_cu_per_nm
            v = arr[:, i, col]
            row += [np.median(v), np.percentile(v, 10), np.percentile(v, 90)]
        rows.append(row)
    write(os.path.join(outdir, "aggregate", "timeseries.csv"),
          "time_s,temperature_C,exchanged_fraction_median,exchanged_fraction_p10,exchanged_fraction_p90,"
          "shell_cu_per_nm_median,shell_cu_per_nm_p10,shell_cu_per_nm_p90", rows)


# ---------------------------------------------------------------- run folders for the validation report

ENTRY_HEADER = "time_s,temperature_C,domain_id,n_sites,site,z_nm,theta_deg,r_nm,nearest_vacancy_nm,label"
FRONTS_HEADER = "time_s,temperature_C,domain_id,end,z_nm,width_std_nm,width_range_nm,n_columns"


def scenario_toml(steps, start_C=25.0, phase="zb", diameter_nm=20.0, length_nm=150.0, seed=1, vacancy=0.03,
                  barrier_file=None):
    """An input.toml text (the keys validation_report.py reads) with one [[temperature.steps]] block per
    dict of steps (repeat steps carry a list `steps` of dicts, written as [[temperature.steps.steps]])."""
    def value(v):
        if isinstance(v, str):
            return f'"{v}"'
        return repr(float(v)) if isinstance(v, float) else str(v)

    lines = ["# Effective input of synthetic.toml (defaults filled in).", 'kind = "scenario"', f"seed = {seed}", "",
             "[wire]", f'phase = "{phase}"', f"diameter_nm = {float(diameter_nm)}", f"length_nm = {float(length_nm)}",
             "", "[temperature]", f"start_C = {float(start_C)}"]
    for st in steps:
        lines += ["", "[[temperature.steps]]"] + [f"{k} = {value(v)}" for k, v in st.items() if k != "steps"]
        for sub in st.get("steps", []):
            lines += ["", "[[temperature.steps.steps]]"] + [f"{k} = {value(v)}" for k, v in sub.items()]
    lines += ["", "[defects]", f"surface_vacancy_fraction = {float(vacancy)}", "", "[model]"]
    if barrier_file:
        lines.append(f'barrier_file = "{barrier_file}"')
    lines += ["", "[output]", "min_reversal_sites = 100", ""]
    return "\n".join(lines)


def make_validation_run(outdir, steps, times, temps, x=None, shell=None, volume=None, n_domains=None, domains=(),
                        events=(), entries=(), fronts=(), start_C=25.0, phase="zb", diameter_nm=20.0,
                        length_nm=150.0, seed=1, vacancy=0.03, program="cekmc 0.1.0", barrier_file=None):
    """A run folder for the validation report: input.toml (scenario_toml), timeseries.csv with the given
    per-output columns (defaults: X = 0, shell = 0, volume = X · 47 124 nm³, n_domains = 0),
    domains.csv rows (time, T, id, z_min, z_max, length, n_sites, spans), domain_events.csv rows
    (time, T, event, id, other_ids, n_sites, z, max_n_sites, max_length_nm), entry_points.csv rows
    (time, T, id, n_sites), fronts.csv rows (time, T, id, end, z, width_std, width_range, n_columns),
    and summary.json with `program` (None: no summary.json, as a run that has not completed)."""
    os.makedirs(outdir, exist_ok=True)
    n = len(times)
    x = list(x) if x is not None else [0.0] * n
    shell = list(shell) if shell is not None else [0.0] * n
    volume = list(volume) if volume is not None else [v * 47123.889803846895 for v in x]
    n_domains = list(n_domains) if n_domains is not None else [0] * n
    with open(os.path.join(outdir, "input.toml"), "w") as f:
        f.write(scenario_toml(steps, start_C, phase, diameter_nm, length_nm, seed, vacancy, barrier_file))
    write(os.path.join(outdir, "timeseries.csv"), FULL_TIMESERIES_HEADER,
          [[times[i], temps[i], x[i], volume[i], shell[i], n_domains[i], 0, 0, 1000 * i, 100, 0, 0, 0, 0, 0]
           for i in range(n)])
    write(os.path.join(outdir, "domains.csv"), DOMAINS_HEADER, [list(r) for r in domains])
    write(os.path.join(outdir, "domain_events.csv"), EVENTS_HEADER, [list(r) for r in events])
    write(os.path.join(outdir, "entry_points.csv"), ENTRY_HEADER,
          [[t, T, i, k, 0, 1.0, 0.0, 9.5, 1.0, ""] for t, T, i, k in entries])
    write(os.path.join(outdir, "fronts.csv"), FRONTS_HEADER, [list(r) for r in fronts])
    if program is not None:
        with open(os.path.join(outdir, "summary.json"), "w") as f:
            f.write('{"program": "%s", "seed": %d}\n' % (program, seed))
