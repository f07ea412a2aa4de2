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


def test_federated_merge_puts_each_collections_best_first_then_ranks_by_score():
    from index.fusion import federated_merge

    scores = {1: 1.0, 2: 0.95, 3: 0.2, 7: 0.8, 8: 0.3}
    assert federated_merge([[1, 2, 3], [7, 8]], scores) == [1, 7, 2, 8, 3]
    assert federated_merge([[7, 8], [1, 2, 3]], scores) == [7, 1, 2, 8, 3]  # the leading collection first
    assert federated_merge([[1, 2, 3], []], scores) == [1, 2, 3]  # one collection: its own order
    assert federated_merge([[1, 2], [7, 8]], {1: 1.0, 2: 0.5, 7: 1.0, 8: 0.5}) == [
        1,
        7,
        2,
        8,
    ]  # ties: run order
    assert federated_merge([], {}) == []


def test_documents_no_longer_in_force_weigh_less_unless_named():
    from corpus.validity import SUPERSEDED, Validity
    from index.applicability import combine, currency

    validity = {"old": Validity(SUPERSEDED), "new": Validity(), "unknown": None}
    assert currency(validity, 0.5) == {"old": 0.5}
    assert currency(validity, 0.5, named={"old"}) == {}
    assert currency(validity, 1.0) == {}
    assert combine({"a": 0.5, "b": 0.5}, {"a": 0.5}) == {"a": 0.25, "b": 0.5}


def test_standout_is_the_best_scores_lead_over_the_next_ones():
    from index.fusion import standout

    assert standout([1.0, 0.5, 0.3]) == 0.6
    assert standout([1.0, 0.98, 0.97, 0.1]) == 0.025  # a plateau: only the next two count
    assert standout([1.0, 0.6], n=3) == 0.4
    assert standout([0.9]) == 0.0 and standout([]) == 0.0
    # the collection that leads a federated merge: the one whose best stands out
    plans, laws = [1.0, 0.4, 0.35], [1.0, 0.97, 0.96]
    assert max((plans, laws), key=standout) is plans
