import numpy as np
import pytest

from cekmc_io import read_csv, time_unit
from synthetic import make_run


def test_read_csv_types_and_empty_fields(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text('a,b,c,d\n1,2.5,birth,\n3,1e-05,"m,erge",7.0\n')
    d = read_csv(p)
    assert list(d) == ["a", "b", "c", "d"]
    assert d["a"].dtype.kind == "i" and list(d["a"]) == [1, 3]
    assert np.allclose(d["b"], [2.5, 1e-5])
    assert list(d["c"]) == ["birth", "m,erge"]
    assert np.isnan(d["d"][0]) and d["d"][1] == 7.0


def test_read_csv_header_only_and_bad_rows(tmp_path):
    p = tmp_path / "h.csv"
    p.write_text("time_s,x\n")
    d = read_csv(p)
    assert len(d["time_s"]) == 0
    p.write_text("time_s,x\n1.0\n")
    with pytest.raises(ValueError):
        read_csv(p)


@pytest.mark.parametrize("t,unit", [(0, "s"), (30, "s"), (300, "min"), (3 * 3600, "h"), (0.01, "ms"), (1e-5, "µs")])
def test_time_unit(t, unit):
    assert time_unit(t)[1] == unit


def test_synthetic_run_reads(tmp_path):
    make_run(str(tmp_path))
    ts = read_csv(tmp_path / "timeseries.csv")
    assert list(ts)[:9] == ["time_s", "temperature_C", "exchanged_fraction", "exchanged_volume_nm3",
                            "shell_cu_per_nm", "n_domains", "n_cu_interstitial", "n_cd_interstitial", "events"]
    assert list(ts["events"]) == [0, 18000, 36000]
