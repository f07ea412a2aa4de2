import pytest

from index.fusion import min_max, rrf, weighted_sum


def test_rrf_hand_computed():
    run = rrf([["d1", "d2", "d3"], ["d3", "d1"]], k=60)
    assert run["d1"] == pytest.approx(1 / 61 + 1 / 62)
    assert run["d2"] == pytest.approx(1 / 62)
    assert run["d3"] == pytest.approx(1 / 63 + 1 / 61)


def test_rrf_weights():
    run = rrf([["a"], ["b"]], k=0, weights=[2.0, 1.0])
    assert run == {"a": 2.0, "b": 1.0}


def test_min_max():
    assert min_max({"a": 2.0, "b": 4.0, "c": 3.0}) == {"a": 0.0, "b": 1.0, "c": 0.5}
    assert min_max({"a": 5.0}) == {"a": 1.0}
    assert min_max({}) == {}


def test_weighted_sum():
    fused = weighted_sum([{"a": 1.0, "b": 3.0}, {"b": 0.2, "c": 0.4}], weights=[0.5, 0.5])
    assert fused == pytest.approx({"a": 0.0, "b": 0.5, "c": 0.5})
