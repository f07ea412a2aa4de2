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
    most = np.arange(100) % 5 != 0  # 80 rows: scored in one pass over all, the rest passed over
    rows, scores = DenseIndex(v).search(v[0], k=100, allowed=most)
    assert len(rows) == 80 and most[rows].all() and np.isfinite(scores).all()
    assert rows.tolist()[:5] == [r for r in np.argsort(-(v @ v[0]), kind="stable") if most[r]][:5]


def test_empty_index():
    assert DenseIndex(np.zeros((0, 8), np.float32)).search(np.ones(8), 5)[0].size == 0


def test_hnsw_graph_is_stored_once_and_read_back(tmp_path):
    from index.dense import DenseConfig, DenseIndex, graph_file

    rng = np.random.default_rng(3)
    vecs = rng.normal(size=(300, 16)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    config = DenseConfig(hnsw_above=100)
    path = graph_file(tmp_path, config)
    built = DenseIndex(vecs, config, path)
    assert built.kind == "hnsw" and not built.graph_loaded and path.exists()
    loaded = DenseIndex(vecs, config, path)
    assert loaded.graph_loaded
    for q in vecs[:10]:
        rows_a, scores_a = built.search(q, 5)
        rows_b, scores_b = loaded.search(q, 5)
        assert rows_a.tolist() == rows_b.tolist()
        np.testing.assert_allclose(scores_a, scores_b, rtol=1e-6)
    # a graph of other vectors (another size) is not used: rebuilt and stored again
    other = DenseIndex(vecs[:200], config, path)
    assert not other.graph_loaded and other.index.ntotal == 200
    path.write_bytes(b"not a faiss file")
    assert not DenseIndex(vecs, config, path).graph_loaded  # unreadable: rebuilt
    assert list(tmp_path.glob("*.partial")) == []


def test_a_large_restriction_walks_the_graph_and_a_small_one_is_scored_exactly():
    v = _vectors(3000)
    index = DenseIndex(v, DenseConfig(hnsw_above=200))
    rng = np.random.default_rng(4)
    queries = _vectors(40, seed=2)

    def exact(q, mask, k=10):
        rows = np.flatnonzero(mask)
        return rows[np.argsort(-(v[rows] @ q), kind="stable")[:k]].tolist()

    large = rng.random(3000) < 0.3  # ~900 rows: above hnsw_above, searched in the graph
    recalls = []
    for q in queries:
        rows, scores = index.search(q, 10, large)
        assert len(rows) == 10 and large[rows].all()
        assert list(scores) == sorted(scores, reverse=True)
        recalls.append(len(set(rows.tolist()) & set(exact(q, large))) / 10)
    assert np.mean(recalls) >= 0.95
    small = np.zeros(3000, dtype=bool)
    small[rng.choice(3000, 150, replace=False)] = True  # under hnsw_above: exact
    for q in queries[:5]:
        assert index.search(q, 10, small)[0].tolist() == exact(q, small)
