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
