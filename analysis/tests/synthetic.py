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
