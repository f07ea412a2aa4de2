"""BM25 formulas on a 3-document corpus with hand-computed expectations."""

import math

import numpy as np
import pytest

from index.bm25 import BM25Index, BM25Params, idf_okapi, term_weight

DOCS = [["a", "b"], ["a", "c", "c"], ["d"]]


def test_idf_okapi_floors_negative_values():
    idf = idf_okapi(np.array([2.0, 1.0]), n_docs=3, epsilon=0.25)
    raw_a = math.log(1.5 / 2.5)  # negative
    raw_b = math.log(2.5 / 1.5)
    floor = 0.25 * (raw_a + raw_b) / 2
    assert idf.tolist() == pytest.approx([floor, raw_b])


def test_term_weight():
    assert term_weight(np.array([2.0]), np.array([3.0]), 2.0, 1.5, 0.75)[0] == pytest.approx(
        2 * 2.5 / (2 + 1.5 * (0.25 + 0.75 * 1.5))
    )


def test_scores_by_hand():
    index = BM25Index(DOCS, BM25Params(k1=1.5, b=0.75, epsilon=0.25))
    avg = 2.0
    idf_c = math.log((3 - 1 + 0.5) / (1 + 0.5))
    expected_doc1 = idf_c * 2 * 2.5 / (2 + 1.5 * (0.25 + 0.75 * 3 / avg))
    scores = index.scores(["c"])
    assert scores[0] == 0 and scores[2] == 0
    assert scores[1] == pytest.approx(expected_doc1, rel=1e-6)


def test_repeated_query_terms_count_again_and_unknown_terms_score_nothing():
    index = BM25Index(DOCS)
    assert index.scores(["c", "c"])[1] == pytest.approx(2 * index.scores(["c"])[1])
    assert not index.scores(["zzz"]).any()
    assert index.matched_terms(["c", "zzz", "c"]) == ["c"]


def test_empty_corpus():
    assert BM25Index([]).scores(["a"]).shape == (0,)


def test_top_k_among_the_postings_equals_top_k_over_every_score():
    from index.ranking import top_k, top_k_among

    docs = [["a", "b"], ["b", "c"], ["c"], ["d"], ["a", "c", "c"], []] * 7
    index = BM25Index(docs)
    for query in (["a"], ["c", "a"], ["b", "c", "c"], ["z"], ["d", "z"]):
        scores = index.scores(query)
        rows, repeats = index.postings(query)
        assert set(np.flatnonzero(scores)) <= set(rows.tolist())
        for k in (1, 3, 10, 100):
            positive = np.flatnonzero(scores > 0)
            expected = sorted(positive.tolist(), key=lambda r: (-scores[r], r))[:k]  # ties: lower row
            assert top_k_among(scores, rows, k, repeats).tolist() == expected
            assert sorted(scores[top_k(scores, k)], reverse=True)[: len(expected)] == pytest.approx(
                scores[expected].tolist()
            )
    assert index.postings(["z"])[0].size == 0 and index.postings(["c", "c"])[1] == 1


def test_weighted_scores_scale_each_terms_column_by_its_weight():
    index = BM25Index(DOCS)
    a, c = index.scores(["a"]), index.scores(["c"])
    assert index.weighted_scores({"a": 0.5, "c": 2.0, "zzz": 9.0}) == pytest.approx(0.5 * a + 2.0 * c)
    assert index.weighted_scores({"a": 1, "b": 1}) == pytest.approx(index.scores(["a", "b"]))
    assert not index.weighted_scores({"a": 0.0}).any()


def test_a_stored_index_reads_back_equal_and_only_for_its_own_corpus_and_parameters(tmp_path):
    index = BM25Index(DOCS)
    path = tmp_path / "bm25.npz"
    index.save(path)
    read = BM25Index.load(path, n_docs=3)
    assert read is not None and read.vocab == index.vocab
    for query in (["a"], ["c", "c", "d"], ["zzz"]):
        assert np.array_equal(read.scores(query), index.scores(query))
    assert read.idf_of("b") == index.idf_of("b")
    assert BM25Index.load(path, n_docs=4) is None  # another corpus
    assert BM25Index.load(path, n_docs=3, params=BM25Params(k1=1.2)) is None
    assert BM25Index.load(tmp_path / "absent.npz", n_docs=3) is None
    assert not list(tmp_path.glob("*.partial"))
