import numpy as np

from index.dense import DenseConfig, DenseIndex


def _vectors(n=2000, dim=32, seed=0):
    rng = np.random.default_rng(seed)
    v = rng.normal(size=(n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def test_flat_search_is_exact_and_best_first():
    v = _vectors(50)
    index = DenseIndex(v)
    rows, scores = index.search(v[7], k=3)
    assert index.kind == "flat"
    assert (rows[0] == 7 and scores[0] == np.float32(1.0)) or abs(scores[0] - 1.0) < 1e-5
    assert list(scores) == sorted(scores, reverse=True)


def test_hnsw_above_threshold_has_high_recall():
    v = _vectors(3000)
    hnsw = DenseIndex(v, DenseConfig(hnsw_above=1000))
    assert hnsw.kind == "hnsw"
    queries = _vectors(50, seed=1)
    recall = np.mean([len(set(hnsw.search(q, 10)[0]) & set(hnsw.exact_search(q, 10))) / 10 for q in queries])
    assert recall >= 0.95


def test_allowed_mask_restricts_rows():
    v = _vectors(100)
    mask = np.zeros(100, dtype=bool)
    mask[[3, 5, 9]] = True
    rows, _ = DenseIndex(v).search(v[0], k=10, allowed=mask)
    assert sorted(rows) == [3, 5, 9]
    assert DenseIndex(v).search(v[0], k=10, allowed=np.zeros(100, dtype=bool))[0].size == 0


def test_empty_index():
    assert DenseIndex(np.zeros((0, 8), np.float32)).search(np.ones(8), 5)[0].size == 0
