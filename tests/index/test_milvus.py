"""The Milvus backend against milvus-lite: same interface, filters as safe expressions, generations."""

from __future__ import annotations

import json

import pytest

from index.milvus import analyzer_params, collection_name, in_expression, quoted
from service.admin import add_document, remove_document
from tests.service.conftest import make_engine

QUERIES = ["专业应急救援队伍人员配备", "危险化学品", "燃气管道更新改造", "消防安全检查", "防汛抗旱"]
HOSTILE = 'x" or doc_id != "y\\'  # a quote and a backslash, shaped like an injection


def test_quoted_escapes_quotes_and_backslashes():
    assert quoted('a"b') == '"a\\"b"'
    assert quoted("a\\b") == '"a\\\\b"'
    assert json.loads(quoted(HOSTILE)) == HOSTILE  # the literal reads back as the very same value
    with pytest.raises(TypeError):
        quoted(3)


def test_in_expression_quotes_every_value_and_refuses_odd_field_names():
    assert in_expression("doc_id", ["a", 'b"']) == 'doc_id in ["a", "b\\""]'
    with pytest.raises(ValueError):
        in_expression("doc_id or 1", ["a"])


def test_collection_names_and_analyzer():
    assert collection_name("gen-20261124-1-2") == "policyqa_gen_20261124_1_2"
    params = analyzer_params(["应急救援", "应急救援", "消防"], ["的"])
    assert params["tokenizer"] == {"type": "jieba", "mode": "exact", "dict": ["应急救援", "消防"]}
    assert params["filter"] == [{"type": "stop", "stop_words": ["的"]}]


@pytest.fixture(scope="module")
def engines(tmp_path_factory, seeds_dir):
    embedded = make_engine(tmp_path_factory.mktemp("embedded"), seeds_dir)
    folder = tmp_path_factory.mktemp("milvus")
    milvus = make_engine(folder, seeds_dir, backend="milvus", milvus_uri=str(folder / "milvus.db"))
    return embedded, milvus


def test_milvus_finds_what_the_embedded_backend_finds(engines):
    embedded, milvus = engines
    assert milvus.retriever.backend is not None and embedded.retriever.backend is None
    for q in QUERIES:
        want = embedded.search(q, k=5).hits[0].chunk.chunk_id
        got = [h.chunk.chunk_id for h in milvus.search(q, k=5).hits]
        assert want in got[:3], q


def test_filters_reach_milvus_as_restrictions(engines):
    _, milvus = engines
    region = next(d.meta.region for d in milvus.catalogue() if d.meta.region)
    hits = milvus.search("安全", k=10, filters={"region": region}).hits
    assert hits and all(h.doc.meta.region == region for h in hits)


def test_a_hostile_document_name_stays_a_value(tmp_path, seeds_dir):
    odd = tmp_path / "odd"
    odd.mkdir()
    (odd / f"{HOSTILE}.txt").write_text("第一条 本文件只讲仓库防火巡查的频次。\n", encoding="utf-8")
    engine = make_engine(
        tmp_path / "data",
        seeds_dir,
        extra=[(odd, "public")],
        backend="milvus",
        milvus_uri=str(tmp_path / "milvus.db"),
    )
    doc = next(d for d in engine.catalogue() if d.source.startswith('x"'))
    hits = engine.search("仓库防火巡查", k=10, filters={"doc": doc.doc_id}).hits
    assert hits and {h.doc.doc_id for h in hits} == {doc.doc_id}
    others = [d.doc_id for d in engine.catalogue() if d.doc_id != doc.doc_id]
    hits = engine.search("仓库防火巡查", k=10, filters={"doc": others[0]}).hits
    assert doc.doc_id not in {h.doc.doc_id for h in hits}


def test_documents_added_and_removed_switch_collections(tmp_path, seeds_dir):
    engine = make_engine(tmp_path / "data", seeds_dir, backend="milvus", milvus_uri=str(tmp_path / "m.db"))
    first = engine.retriever.backend
    text = "第一条 为规范无人机巡检塔吊螺栓松动，制定本办法。\n".encode()
    report = add_document(engine, "塔吊巡检办法.txt", text)
    second = engine.retriever.backend
    assert second.name != first.name
    # the previous generation's collection stays until the next switch (a worker may still use it)
    assert sorted(second.client.list_collections()) == sorted([first.name, second.name])
    hit = engine.search("无人机巡检塔吊", k=3).hits[0]
    assert hit.doc.source == "塔吊巡检办法.txt"
    assert remove_document(engine, report["doc_id"])
    third = engine.retriever.backend
    assert sorted(third.client.list_collections()) == sorted([second.name, third.name])  # the first is gone
    assert all(h.doc.source != "塔吊巡检办法.txt" for h in engine.search("无人机巡检塔吊", k=10).hits)


def test_restricted_dense_searches_widen_the_graph_walk():
    from index.milvus import dense_ef

    assert dense_ef(100, None) == 128
    assert dense_ef(100, ["a"]) == 1600
    assert dense_ef(5000, ["a"]) == 16384


def test_milvus_own_hybrid_ranker_finds_what_the_embedded_backend_finds(tmp_path):
    from tests.service.conftest import make_engine as build

    # Milvus' own ranker fuses BM25 with the passage vectors alone (no sentence or clause side), so it
    # is compared with the embedded backend over the same two signals
    embedded = build(tmp_path / "embedded", _seeds(), sentence_vectors=False)
    server = build(
        tmp_path / "data",
        _seeds(),
        backend="milvus",
        milvus_uri=str(tmp_path / "m.db"),
        milvus_fusion="server",
    )
    assert server.retriever.backend.server_fusion
    # Milvus normalises each run its own way before weighing them, so with the test's hash vectors an
    # order may differ; the retrieval figures with the real model are in the README
    found = [
        embedded.search(q, k=5).hits[0].chunk.chunk_id
        in [h.chunk.chunk_id for h in server.search(q, k=5).hits]
        for q in QUERIES
    ]
    assert sum(found) >= len(QUERIES) - 1, found
    region = next(d.meta.region for d in server.catalogue() if d.meta.region)
    hits = server.search("安全", k=10, filters={"region": region}).hits
    assert hits and all(h.doc.meta.region == region for h in hits)


def _seeds():
    from tests.conftest import SEEDS

    return SEEDS


def test_a_document_a_reader_may_not_read_does_not_change_their_bm25_ranking(tmp_path, seeds_dir):
    """Milvus' BM25 statistics are the whole collection's; a restricted reader's BM25 runs on their own."""
    from corpus.access import ANONYMOUS

    hidden = tmp_path / "hidden"
    hidden.mkdir()
    (hidden / "内部通知.txt").write_text(
        "第一条 应急救援队伍应急救援队伍应急救援队伍人员配备。\n" * 20, encoding="utf-8"
    )
    mixed = make_engine(
        tmp_path / "m",
        seeds_dir,
        extra=[(hidden, "internal")],
        backend="milvus",
        milvus_uri=str(tmp_path / "m.db"),
    )
    public = make_engine(tmp_path / "p", seeds_dir)
    for query in ("应急救援队伍人员配备", "危险化学品"):
        seen = mixed.search(query, k=10, mode="bm25", reader=ANONYMOUS).hits
        expected = public.search(query, k=10, mode="bm25").hits
        assert [h.chunk.chunk_id for h in seen] == [h.chunk.chunk_id for h in expected]
        assert [h.score for h in seen] == pytest.approx([h.score for h in expected])
        assert all(h.doc.source != "内部通知.txt" for h in mixed.search(query, k=10, reader=ANONYMOUS).hits)
