"""Analysis-script tests; real ones arrive with the plotting scripts."""
import math


def test_cylinder_volume_matches_paper_wire():
    # 20 nm x 150 nm wire volume used throughout (spec §8): pi * 10^2 * 150 nm^3.
    assert abs(math.pi * 10**2 * 150 - 47123.89) < 0.01
