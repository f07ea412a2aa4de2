"""Relevance-model expansion terms on hand-made passages with exact expectations."""

import pytest

from index.feedback import expansion_terms

IDF = {"执法": 2.0, "人员": 1.0, "能力": 1.0, "培训": 3.0, "的": 0.0}.get


def test_terms_are_weighted_by_passage_weight_frequency_and_idf_and_sum_to_one():
    feedback = [(["执法", "人员", "执法", "能力"], 1.0), (["培训", "人员"], 0.5)]
    # 执法 1.0*2/4*2 = 1.0; 能力 1.0*1/4*1 = 0.25; 培训 0.5*1/2*3 = 0.75; 人员 excluded (the query's)
    assert expansion_terms(feedback, IDF, {"人员"}, 3) == pytest.approx(
        {"执法": 0.5, "培训": 0.375, "能力": 0.125}
    )


def test_only_the_best_n_terms_are_kept_ties_broken_by_the_term():
    terms = expansion_terms([(["执法", "培训", "能力", "人员"], 1.0)], lambda t: 1.0, set(), 2)
    assert terms == {"人员": 0.5, "培训": 0.5}


def test_single_characters_terms_without_idf_and_empty_feedback_give_nothing():
    assert expansion_terms([(["的", "了", "在"], 1.0)], lambda t: 1.0, set(), 5) == {}
    assert expansion_terms([(["工作"], 1.0)], {"工作": 0.0}.get, set(), 5) == {}
    assert expansion_terms([([], 1.0), (["执法"], 0.0)], IDF, set(), 5) == {}
    assert expansion_terms([], IDF, set(), 5) == {}
