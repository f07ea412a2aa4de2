"""Learning the answer-span weights: exact figures on tiny hand-made candidate sets."""

from __future__ import annotations

import numpy as np
import pytest

from evaluation.gold import GoldAnswer, GoldQuestion
from evaluation.span_weights import (
    Candidates,
    as_weights,
    choose_l2,
    fit_weights,
    holds_gold,
    log_likelihood,
    top_holds_gold,
)
from service.answering.extractive import combine


def _cands(rows, gold, factors=None) -> Candidates:
    n = len(rows)
    return Candidates(
        np.array(rows, dtype=float),
        np.array(factors or [1.0] * n, dtype=float),
        np.array(gold, dtype=bool),
    )


# two questions where only the chars signal (column 1) tells the gold span; lexical (column 0) misleads
DATA = [
    _cands([[1, 0, 0, 0, 0], [0, 1, 0, 0, 0]], [False, True]),
    _cands([[0.9, 0.2, 0, 0, 0], [0.1, 0.9, 0, 0, 0], [0.5, 0.5, 0, 0, 0]], [False, True, False]),
]


def test_log_likelihood_of_equal_scores_is_the_log_of_the_gold_share():
    ll, grad = log_likelihood(np.zeros(5), DATA)
    assert ll == pytest.approx(np.log(1 / 2) + np.log(1 / 3))
    # gradient: gold features minus the mean features, summed over questions
    assert grad[0] == pytest.approx((0 - 0.5) + (0.1 - 0.5))
    assert grad[1] == pytest.approx((1 - 0.5) + (0.9 - 1.6 / 3))


def test_the_fit_weighs_the_signal_that_picks_the_gold_span():
    w = fit_weights(DATA, l2=0.01)
    assert w[1] > w[0] >= 0
    assert top_holds_gold(w, DATA) == 1.0
    assert top_holds_gold(np.array([1.0, 0, 0, 0, 0]), DATA) == 0.0


def test_weights_scale_to_one_and_the_off_scope_factor_scales_a_span():
    assert as_weights(np.array([1.0, 3.0, 0.0, 0.0, 0.0])) == (0.25, 0.75, 0.0, 0.0, 0.0)
    halved = [_cands([[0, 1, 0, 0, 0], [0, 0.6, 0, 0, 0]], [False, True], factors=[0.5, 1.0])]
    assert top_holds_gold(np.array([0, 1.0, 0, 0, 0]), halved) == 1.0


def test_the_penalty_is_chosen_by_the_other_sets_questions():
    l2, table = choose_l2({"a": DATA[:1], "b": DATA[1:]}, (0.01, 1000.0))
    # both penalties pick the gold span of the set they were not fitted on; the huge one leaves the
    # scores nearly equal, so its likelihood is lower and the smaller penalty is chosen
    assert [table[p][s][0] for p in (0.01, 1000.0) for s in "ab"] == [1, 1, 1, 1]
    assert table[1000.0]["b"][1] < table[0.01]["b"][1]
    assert l2 == 0.01


def test_a_span_holds_a_gold_quote_or_a_long_enough_part_of_it():
    q = GoldQuestion("x", "?", (GoldAnswer("d.txt", "第一句话很长很长。第二句话也很长很长。"),), "fact")
    assert holds_gold("第一句话很长很长。第二句话也很长很长。另外", "d.txt", q)
    assert holds_gold("第二句话也很长很长。", "d.txt", q)  # one sentence of a two-sentence quote
    assert not holds_gold("第二句话也很长很长。", "e.txt", q)  # another document
    assert not holds_gold("很长。", "d.txt", q)  # too short to say


def test_combine_is_the_weighted_sum_and_rescales_without_meaning():
    w = (0.2, 0.2, 0.2, 0.1, 0.3)
    assert combine((1.0, 0.5, 0.0, 1.0, 0.5), w) == pytest.approx(0.2 + 0.1 + 0.1 + 0.15)
    assert combine((1.0, 0.5, 0.0, 1.0, None), w) == pytest.approx((0.2 + 0.1 + 0.1) / 0.7)
