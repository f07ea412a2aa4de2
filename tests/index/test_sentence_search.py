from dataclasses import replace

import numpy as np
import pytest

from index.sentence_search import (
    SentenceSearch,
    SentenceSearchConfig,
    cell_count,
    cells_file,
    inverted_file,
    pq_parts,
)
from index.sentences import SentenceVectors


def _unit(n, dim=32, seed=0):
    rng = np.random.default_rng(seed)
    v = rng.normal(size=(n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def _clustered(rows=1500, dim=32, seed=0):
    """Sentence vectors around 40 topics, one to four sentences a row (real sentences cluster by
    topic; uniform random vectors are the worst case of an inverted file)."""
    rng = np.random.default_rng(seed)
    topics = _unit(40, dim, seed + 1)
    counts = rng.integers(1, 5, size=rows)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    v = topics[rng.integers(0, 40, size=int(counts.sum()))] + 0.35 * rng.normal(size=(int(counts.sum()), dim))
    v = (v / np.linalg.norm(v, axis=1, keepdims=True)).astype(np.float32)
    return SentenceVectors(v, starts), topics


def _exact_rows(sentences, q, k, allowed=None):
    best = sentences.best(q)
    if allowed is not None:
        best = np.where(allowed, best, -np.inf)
    return [int(r) for r in np.argsort(-best, kind="stable")[:k] if np.isfinite(best[r])]


def test_cell_count_follows_four_root_n_as_a_power_of_two_within_faiss_training_needs():
    assert cell_count(0) == 1
    assert cell_count(1) == 1
    assert cell_count(1_300_000) == 4096  # 4·√1.3M = 4561 -> 2^12
    assert cell_count(10_000) == 256  # 4·√10k = 400 -> 2^9 = 512, capped at 10000 // 39 = 256
    assert cell_count(100_000) == 1024  # 1265 -> 2^10


def test_product_codes_take_equal_parts_of_the_asked_width_or_the_nearest_that_divides():
    assert pq_parts(384, 2) == 192  # e5-small: a 96-byte code at 4 bits a part
    assert pq_parts(384, 8) == 48
    assert pq_parts(36, 8) == 4  # 36 // 8 = 4 divides 36
    assert pq_parts(30, 8) == 3  # 30 // 8 = 3 divides 30
    assert pq_parts(30, 4) == 6  # 30 // 4 = 7 does not: 6
    assert pq_parts(7, 8) == 1
    assert pq_parts(8, 0) == 8  # a width under one dimension is one dimension


def test_codes_name_the_inverted_file_and_an_unknown_one_is_refused():
    assert inverted_file(32, 4, "pq4").code_size == 8  # 16 parts x 4 bits
    assert inverted_file(32, 4, "pq4", pq_dims=8).code_size == 2
    assert inverted_file(32, 4, "sq8").code_size == 32
    assert inverted_file(32, 4, "flat").code_size == 128
    with pytest.raises(ValueError, match="unknown sentence codes"):
        inverted_file(32, 4, "pq8")


def test_the_cells_file_is_named_by_what_shapes_the_codes(tmp_path):
    config = SentenceSearchConfig()
    assert cells_file(tmp_path, config, 1_300_000).name == "sentence-ivf4096-pq4d2-s7.faiss"
    assert (
        cells_file(tmp_path, replace(config, pq_dims=8), 1_300_000).name == "sentence-ivf4096-pq4d8-s7.faiss"
    )
    assert cells_file(tmp_path, replace(config, codes="sq8"), 10_000).name == "sentence-ivf256-sq8-s7.faiss"


def test_small_libraries_are_searched_exactly():
    sentences, topics = _clustered()
    search = SentenceSearch(sentences)
    assert search.kind == "exact" and search.index is None
    q = topics[3]
    assert search.nearest_rows(q, 10).tolist() == _exact_rows(sentences, q, 10)
    half = np.arange(sentences.rows) % 2 == 0  # scored in one pass over every sentence, then masked
    tenth = np.arange(sentences.rows) % 10 == 0  # only these rows' sentences scored
    for allowed in (half, tenth):
        assert search.nearest_rows(q, 10, allowed).tolist() == _exact_rows(sentences, q, 10, allowed)


@pytest.mark.parametrize("codes", ["pq4", "sq8", "flat"])
def test_cells_find_nearly_the_exact_rows_and_respect_the_allowed_rows(codes):
    sentences, topics = _clustered()
    config = SentenceSearchConfig(exact_up_to=0, nprobe=8, sample=4000, codes=codes)
    search = SentenceSearch(sentences, config)
    assert search.kind == "ivf"
    queries = _unit(30, seed=5) * 0.3 + topics[np.arange(30) % 40]
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    recall = np.mean(
        [
            len(set(search.nearest_rows(q, 10).tolist()) & set(_exact_rows(sentences, q, 10))) / 10
            for q in queries
        ]
    )
    assert recall >= 0.9
    allowed = np.zeros(sentences.rows, dtype=bool)
    allowed[::3] = True
    search = SentenceSearch(sentences, config)
    for q in queries[:5]:
        rows = search.nearest_rows(q, 10, allowed)
        assert len(rows) == 10 and allowed[rows].all()


def test_few_allowed_sentences_are_scored_exactly_even_with_cells():
    sentences, topics = _clustered()
    search = SentenceSearch(sentences, SentenceSearchConfig(exact_up_to=20, nprobe=1, sample=4000))
    assert search.kind == "ivf"
    allowed = np.zeros(sentences.rows, dtype=bool)
    allowed[[4, 400, 800, 1200]] = True  # at most 16 sentences: under exact_up_to
    q = topics[7]
    assert search.nearest_rows(q, 3, allowed).tolist() == _exact_rows(sentences, q, 3, allowed)


def test_cells_are_stored_once_and_read_back(tmp_path):
    sentences, topics = _clustered()
    config = SentenceSearchConfig(exact_up_to=0, nprobe=8, sample=4000)
    path = cells_file(tmp_path, config, len(sentences.vectors))
    built = SentenceSearch(sentences, config, path)
    assert path.exists() and not built.cells_loaded
    loaded = SentenceSearch(sentences, config, path)
    assert loaded.cells_loaded
    for q in topics[:5]:
        assert loaded.nearest_rows(q, 10).tolist() == built.nearest_rows(q, 10).tolist()
    # cells of other vectors (another size) are not used: rebuilt
    other, _ = _clustered(rows=1400, seed=9)
    assert not SentenceSearch(other, config, path).cells_loaded


@pytest.mark.parametrize("k", [0, -1])
def test_no_rows_asked_none_returned(k):
    sentences, topics = _clustered(rows=50)
    assert SentenceSearch(sentences).nearest_rows(topics[0], k).size == 0


def test_one_pass_through_the_cells_serves_the_whole_search_and_each_collection(monkeypatch):
    sentences, topics = _clustered()
    search = SentenceSearch(sentences, SentenceSearchConfig(exact_up_to=0, nprobe=8, sample=4000))
    calls = []
    inner = search._search
    monkeypatch.setattr(
        search, "_search", lambda q, k, allowed: calls.append(allowed is None) or inner(q, k, allowed)
    )
    laws = np.arange(sentences.rows) % 2 == 0
    q = topics[11]
    everything = search.nearest_rows(q, 10)
    first, second = search.nearest_rows(q, 10, laws), search.nearest_rows(q, 10, ~laws)
    assert calls == [True]  # the unrestricted pass, once; each collection took its rows from it
    assert laws[first].all() and (~laws[second]).all()
    assert set(everything) <= set(first) | set(second)  # the best 10 of all are each collection's best
    assert len(set(first) & set(_exact_rows(sentences, q, 10, laws))) >= 9
    # a collection the nearest sentences hardly reach is searched within
    rare = np.zeros(sentences.rows, dtype=bool)
    rare[np.argsort(sentences.best(q))[:300]] = True  # the 300 rows farthest from the question
    rows = search.nearest_rows(q, 10, rare)
    assert calls == [True, False] and len(rows) == 10 and rare[rows].all()


@pytest.mark.parametrize("exact_up_to", [10**9, 0])  # exact, then through the cells
def test_the_rows_found_come_with_their_exact_best_sentence_scores(exact_up_to):
    sentences, topics = _clustered()
    config = SentenceSearchConfig(exact_up_to=exact_up_to, nprobe=8, sample=4000)
    search = SentenceSearch(sentences, config)
    q = topics[2]
    half = np.arange(sentences.rows) % 2 == 1
    for allowed in (None, half):
        rows, scores = search.nearest(q, 10, allowed)
        assert rows.tolist() == search.nearest_rows(q, 10, allowed).tolist()
        np.testing.assert_allclose(scores, sentences.best_of(q, rows), rtol=0, atol=1e-6)
        assert (np.diff(scores) <= 0).all()  # nearest first
