"""The index on disk and the retriever, end to end on small corpora with a fake embedder."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from corpus.chunking import ChunkingConfig
from corpus.pipeline import ingest_paths
from corpus.store import CorpusStore
from index.builder import build_index
from index.errors import BadFilter, BadQuery, IndexIncompatible, IndexNotReady
from index.filters import Filters
from index.retriever import HybridRetriever, RetrievalConfig
from index.store import IndexStore
from index.tokenizer import ChineseTokenizer
from tests.fakes import HashEmbedder

DOC_A = "重庆市渝中区人民政府\n2025年2月18日\n2025年渝中区安全生产工作要点\n一、救援体系\n推动街道按规定落实不少于15人的专业应急救援队伍人员配备。\n二、风险防范\n重大事故隐患按期整改率100%。\n"
DOC_B = "重庆市江北区人民政府\n2024年4月3日\n2024年江北区安全生产工作要点\n一、总体要求\n全年生产安全事故死亡人数同比下降7%。\n二、城市安全\n每季度定期更新一张图一张表。\n"
DOC_C = "重庆市江津区人民政府\n2022年3月1日\n2022年江津区安全生产工作要点\n一、目标\n森林火灾受害率控制在0.3‰以内。\n"


@pytest.fixture(scope="module")
def tokenizer():
    return ChineseTokenizer()


def _corpus(tmp: Path, docs: dict[str, str]) -> CorpusStore:
    src = tmp / "src"
    src.mkdir(parents=True, exist_ok=True)
    for old in src.iterdir():
        old.unlink()
    for name, text in docs.items():
        (src / name).write_text(text, encoding="utf-8")
    store = CorpusStore(tmp / "corpus")
    result = ingest_paths([src], ChunkingConfig())
    store.upsert_all(result.documents, result.chunks)
    return store


def _retriever(store: IndexStore, tokenizer, embedder=None, **config) -> HybridRetriever:
    return HybridRetriever(store.load(), embedder or HashEmbedder(), tokenizer, RetrievalConfig(**config))


def test_search_returns_exact_offsets_and_sections(tmp_path, tokenizer):
    corpus = _corpus(tmp_path, {"a.txt": DOC_A, "b.txt": DOC_B})
    store = IndexStore(tmp_path / "index")
    build_index(corpus, store, HashEmbedder(), tokenizer)
    result = _retriever(store, tokenizer).search("街道应急救援队伍人数要求", k=3)
    top = result.hits[0]
    assert top.chunk.source == "a.txt"
    assert top.chunk.section == ("一、救援体系",)
    assert corpus.documents[top.chunk.doc_id].text[top.chunk.start : top.chunk.end] == top.chunk.text
    assert "应急救援" in top.matched_terms
    # each hit carries its sentences' similarity to the question, at offsets within the chunk
    assert top.sentences and all(0 <= a < b <= len(top.chunk.text) for a, b, _ in top.sentences)
    assert (
        "不少于15人" in top.chunk.text[slice(*max(top.sentences, key=lambda s: s[2])[:2])]
        or len(top.sentences) > 1
    )


def test_filters_and_query_understanding(tmp_path, tokenizer):
    corpus = _corpus(tmp_path, {"a.txt": DOC_A, "b.txt": DOC_B})
    store = IndexStore(tmp_path / "index")
    build_index(corpus, store, HashEmbedder(), tokenizer)
    r = _retriever(store, tokenizer)
    only_b = r.search("安全生产", k=10, filters=Filters(region=("江北区",)))
    assert {h.chunk.source for h in only_b.hits} == {"b.txt"}
    assert {h.chunk.source for h in r.search("安全生产", k=10, filters=Filters(year_from=2025)).hits} == {
        "a.txt"
    }
    with pytest.raises(BadFilter, match="no document has region"):
        r.search("安全生产", filters=Filters(region=("火星区",)))
    named = r.search("江北区的目标", k=10, understanding="filter")
    assert {h.chunk.source for h in named.hits} == {"b.txt"}
    assert named.analysis.regions == ("江北区",)


@pytest.mark.parametrize(
    ("query", "k", "message"),
    [
        ("", 5, "empty"),
        ("   \n ", 5, "empty"),
        ("长" * 501, 5, "limit is 500"),
        ("正常", 0, "k must be"),
        ("正常", 101, "k must be"),
        (123, 5, "must be text"),
    ],
)
def test_bad_queries(tmp_path, tokenizer, query, k, message):
    corpus = _corpus(tmp_path, {"a.txt": DOC_A})
    store = IndexStore(tmp_path / "index")
    build_index(corpus, store, HashEmbedder(), tokenizer)
    with pytest.raises(BadQuery, match=message):
        _retriever(store, tokenizer).search(query, k=k)


def test_add_replace_remove_embed_only_what_changed(tmp_path, tokenizer):
    store = IndexStore(tmp_path / "index")
    emb = HashEmbedder()
    first = build_index(_corpus(tmp_path, {"a.txt": DOC_A, "b.txt": DOC_B}), store, emb, tokenizer)
    assert first.embedded_chunks == first.chunks
    assert first.embedded_sentences >= first.chunks  # every passage has at least one sentence
    assert emb.embedded == first.chunks + first.embedded_sentences
    base = emb.embedded

    added = build_index(
        _corpus(tmp_path, {"a.txt": DOC_A, "b.txt": DOC_B, "c.txt": DOC_C}), store, emb, tokenizer
    )
    assert added.added_docs == ["c.txt"]
    c_chunks = sum(1 for c in store.load().chunks if c.source == "c.txt")
    c_sentences = added.embedded_sentences
    assert (
        added.embedded_chunks == c_chunks
        and c_sentences >= 1
        and emb.embedded == base + c_chunks + c_sentences
    )
    assert added.reused_chunks == first.chunks

    changed = build_index(
        _corpus(tmp_path, {"a.txt": DOC_A, "b.txt": DOC_B.replace("7%", "9%"), "c.txt": DOC_C}),
        store,
        emb,
        tokenizer,
    )
    assert changed.changed_docs == ["b.txt"]
    assert 1 <= changed.embedded_chunks < changed.chunks

    removed = build_index(_corpus(tmp_path, {"a.txt": DOC_A, "c.txt": DOC_C}), store, emb, tokenizer)
    assert removed.removed_docs == ["b.txt"] and removed.embedded_chunks == removed.embedded_sentences == 0
    assert {c.source for c in store.load().chunks} == {"a.txt", "c.txt"}

    same = build_index(_corpus(tmp_path, {"a.txt": DOC_A, "c.txt": DOC_C}), store, emb, tokenizer)
    assert same.unchanged


def test_incremental_index_equals_a_fresh_build(tmp_path, tokenizer):
    store = IndexStore(tmp_path / "inc")
    build_index(_corpus(tmp_path, {"a.txt": DOC_A}), store, HashEmbedder(), tokenizer)
    corpus = _corpus(tmp_path, {"a.txt": DOC_A, "b.txt": DOC_B})
    build_index(corpus, store, HashEmbedder(), tokenizer)
    fresh = IndexStore(tmp_path / "fresh")
    build_index(corpus, fresh, HashEmbedder(), tokenizer, rebuild=True)
    a, b = store.load(), fresh.load()
    assert [c.chunk_id for c in a.chunks] == [c.chunk_id for c in b.chunks]
    assert a.tokens == b.tokens
    np.testing.assert_allclose(a.vectors, b.vectors)
    np.testing.assert_array_equal(a.sentences.starts, b.sentences.starts)
    np.testing.assert_allclose(a.sentences.vectors, b.sentences.vectors)


def test_an_index_without_sentence_vectors_loads_and_gains_them_at_the_next_build(tmp_path, tokenizer):
    store = IndexStore(tmp_path / "index")
    corpus = _corpus(tmp_path, {"a.txt": DOC_A})
    build_index(corpus, store, HashEmbedder(), tokenizer, sentences=False)
    assert store.load().sentences is None
    hits = _retriever(store, tokenizer).search("应急救援队伍", k=1).hits  # scored by passage vectors alone
    assert hits[0].chunk.source == "a.txt"
    again = build_index(corpus, store, HashEmbedder(), tokenizer)
    assert not again.unchanged and again.embedded_chunks == 0 and again.embedded_sentences >= 1
    assert store.load().sentences.rows == len(store.load().chunks)


def test_sentences_are_read_as_cut_when_indexed_whatever_the_segmentation_does_later(
    tmp_path, tokenizer, monkeypatch
):
    import index.sentences as sentences_module

    store = IndexStore(tmp_path / "index")
    corpus = _corpus(tmp_path, {"a.txt": DOC_A, "b.txt": DOC_B})
    # an older version of the segmentation: every passage one sentence
    monkeypatch.setattr(sentences_module, "sentence_spans", lambda text: [(0, len(text))])
    build_index(corpus, store, HashEmbedder(), tokenizer)
    monkeypatch.undo()
    stored = store.load().sentences
    assert stored.spans is not None and stored.spans_of(0) == [(0, len(store.load().chunks[0].text))]
    hits = _retriever(store, tokenizer).search("应急救援队伍", k=3).hits  # today's cut differs: no matter
    assert all(len(h.sentences) == 1 and h.sentences[0][:2] == (0, len(h.chunk.text)) for h in hits)
    # a generation stored before the cuts were: today's cut disagrees, so its sentences are not read
    (store.folder / store.current_name() / "sentence_spans.npy").unlink()
    hits = _retriever(store, tokenizer).search("应急救援队伍", k=3).hits
    assert hits and all(h.sentences == () for h in hits)
    # the next build cuts with today's segmentation and embeds the rows whose sentences changed
    again = build_index(corpus, store, HashEmbedder(), tokenizer, rebuild=False)
    assert again.embedded_chunks == 0 and again.embedded_sentences >= 2
    fresh = store.load()
    assert fresh.sentences.spans_of(0) == sentences_module.sentence_spans(fresh.chunks[0].text)
    assert any(len(h.sentences) > 1 for h in _retriever(store, tokenizer).search("应急救援队伍", k=3).hits)


def test_failed_build_leaves_previous_index_loadable(tmp_path, tokenizer, monkeypatch):
    store = IndexStore(tmp_path / "index")
    build_index(_corpus(tmp_path, {"a.txt": DOC_A}), store, HashEmbedder(), tokenizer)
    before = store.load()

    def explode(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("index.store.np.save", explode)
    with pytest.raises(OSError, match="disk full"):
        build_index(_corpus(tmp_path, {"a.txt": DOC_A, "b.txt": DOC_B}), store, HashEmbedder(), tokenizer)
    after = store.load()
    assert [c.chunk_id for c in after.chunks] == [c.chunk_id for c in before.chunks]
    assert not [p for p in store.folder.iterdir() if p.name.endswith(".partial")]


def test_manifest_and_refusal_of_another_model(tmp_path, tokenizer):
    store = IndexStore(tmp_path / "index")
    with pytest.raises(IndexNotReady, match="policyqa index"):
        store.load()
    build_index(_corpus(tmp_path, {"a.txt": DOC_A}), store, HashEmbedder(), tokenizer)
    manifest = store.manifest()
    assert manifest["model"] == "test/hash-bigrams" and manifest["dim"] == 64
    assert manifest["chunks"] == len(store.load().chunks) and manifest["documents"] == 1
    assert {"tokenizer_version", "corpus_fingerprint", "created", "packages"} <= set(manifest)
    with pytest.raises(
        IndexIncompatible, match=r"built with model 'test/hash-bigrams'.*policyqa index --rebuild"
    ):
        store.check_compatible(manifest, "BAAI/bge-small-zh-v1.5", tokenizer.version)
    with pytest.raises(IndexIncompatible, match="tokenizer"):
        store.check_compatible(manifest, "test/hash-bigrams", "other")


def test_near_identical_passages_from_two_documents_are_both_kept(tmp_path, tokenizer):
    corpus = _corpus(tmp_path, {"a.txt": DOC_A, "copy.txt": DOC_A.replace("渝中区", "南川区南平镇")})
    store = IndexStore(tmp_path / "index")
    build_index(corpus, store, HashEmbedder(), tokenizer)
    hits = _retriever(store, tokenizer).search("不少于15人的专业应急救援队伍", k=4, understanding="off").hits
    assert {h.chunk.source for h in hits[:2]} == {"a.txt", "copy.txt"}


def test_a_named_region_is_not_a_content_word(tmp_path, tokenizer):
    doc_a = DOC_A + "三、文件\n重庆市渝中区应急管理专家管理办法，重庆市渝中区安全生产委员会工作规则。\n"
    corpus = _corpus(tmp_path, {"a.txt": doc_a, "b.txt": DOC_B})
    store = IndexStore(tmp_path / "index")
    build_index(corpus, store, HashEmbedder(), tokenizer)
    r = _retriever(store, tokenizer)
    named = [h.chunk.section for h in r.search("渝中区重大事故隐患整改率", k=3, mode="bm25").hits]
    assert named[0] == ("二、风险防范",)
    assert ("三、文件",) not in named  # the row that merely names 渝中区 documents is not a match
    plain = [
        h.chunk.section
        for h in r.search("渝中区重大事故隐患整改率", k=3, mode="bm25", understanding="off").hits
    ]
    assert ("三、文件",) in plain  # without understanding the place name is just another word


def test_character_pairs_find_a_word_the_segmenter_cut_otherwise(tmp_path, tokenizer):
    # 明察暗访 is one word to jieba, 暗访 another: only their shared characters can meet
    doc_e = DOC_B + "三、执法检查\n常态化开展明察暗访和督查督办。\n"
    corpus = _corpus(tmp_path, {"a.txt": DOC_A, "e.txt": doc_e})
    store = IndexStore(tmp_path / "index")
    build_index(corpus, store, HashEmbedder(), tokenizer)

    def sections(**config):
        hits = _retriever(store, tokenizer, **config).search("有没有暗访", k=3, mode="bm25").hits
        return [h.chunk.section for h in hits]

    assert sections(pair_weight=0) == []
    assert sections()[0] == ("三、执法检查",)


def test_mined_terms_are_kept_whole_by_the_tokenizer():
    from index.tokenizer import ChineseTokenizer

    tok = ChineseTokenizer()
    assert "卡卡西西措施" not in tok("推进卡卡西西措施落实")
    tok.add_terms(["卡卡西西措施"])
    assert "卡卡西西措施" in tok("推进卡卡西西措施落实")


def test_a_librarys_quoted_terms_are_mined_into_the_manifest_and_used(tmp_path):
    doc = (
        "重庆市渝中区人民政府\n2025年2月18日\n2025年渝中区安全生产工作要点\n一、企业责任\n"
        "全面落实岗位风险清单、岗位职责清单(以下简称“卡卡清单”)制度。\n二、其他\n做好宣传。\n"
    )
    store = IndexStore(tmp_path / "idx")
    build_index(_corpus(tmp_path, {"d.txt": doc}), store, HashEmbedder(), ChineseTokenizer())
    data = store.load()
    assert "卡卡清单" in data.manifest["terms"] and "渝中区" in data.manifest["terms"]
    assert any("卡卡清单" in t for t in data.tokens)
    fresh = ChineseTokenizer()  # what a restarted service has before it loads the index
    fresh.add_terms(data.manifest["terms"])
    hits = _retriever(store, fresh).search("卡卡清单指什么", k=1, mode="bm25").hits
    assert "卡卡清单" in hits[0].chunk.text


def test_an_internal_documents_coined_terms_are_not_mined(tmp_path):
    from dataclasses import replace

    from index.builder import library_terms

    secret = DOC_B.replace("一张图一张表", "“蓝鲸行动”")
    corpus = _corpus(tmp_path, {"a.txt": DOC_A.replace("专业应急救援队伍", "“双盲”演练"), "b.txt": secret})
    assert {"双盲", "蓝鲸行动", "江北区"} <= set(library_terms(corpus))
    for doc in list(corpus.documents.values()):
        if doc.source == "b.txt":
            corpus.documents[doc.doc_id] = replace(doc, access="internal")
    terms = set(library_terms(corpus))
    assert "双盲" in terms and "渝中区" in terms
    assert "蓝鲸行动" not in terms and "江北区" not in terms


def test_documents_a_reader_may_not_read_do_not_change_their_bm25_statistics(tmp_path, tokenizer):
    from dataclasses import replace

    from corpus.access import ANONYMOUS

    internal = DOC_B.replace("全年生产安全事故", "应急救援队伍应急救援队伍")
    both = _corpus(tmp_path / "both", {"a.txt": DOC_A, "b.txt": internal})
    for doc in both.documents.values():
        if doc.source == "b.txt":
            both.documents[doc.doc_id] = replace(doc, access="internal")
    store = IndexStore(tmp_path / "both-index")
    build_index(both, store, HashEmbedder(), tokenizer)
    alone = IndexStore(tmp_path / "alone-index")
    build_index(_corpus(tmp_path / "alone", {"a.txt": DOC_A}), alone, HashEmbedder(), tokenizer)

    mixed, public = _retriever(store, tokenizer), _retriever(alone, tokenizer)
    query = "应急救援队伍人员配备"
    seen = mixed.search(query, k=5, mode="bm25", reader=ANONYMOUS).hits
    expected = public.search(query, k=5, mode="bm25").hits
    assert [h.chunk.chunk_id for h in seen] == [h.chunk.chunk_id for h in expected]
    assert [h.score for h in seen] == pytest.approx([h.score for h in expected])
    view = mixed.view(ANONYMOUS)
    assert view.bm25.idf_of("应急救援") == pytest.approx(public.bm25.idf_of("应急救援"))
    assert mixed.bm25.idf_of("应急救援") != pytest.approx(public.bm25.idf_of("应急救援"))  # the library's own


def test_the_collection_whose_best_passage_stands_out_leads_the_merge(tmp_path, tokenizer):
    """Three statutes saying the same thing in the question's words (a plateau; the joint search's
    best hit is one of them) and a plan with one passage that stands out: the plan's passage comes
    first, the statutes' best second (index.fusion.standout)."""
    law = "重庆市{0}条例\n第一章 总则\n第一条 街道应急救援队伍人员配备应当满足{0}需要。\n"
    docs = {f"law{i}.txt": law.format(name) for i, name in enumerate(("消防", "防汛", "森林防火"))}
    docs["plan.txt"] = DOC_A
    corpus = _corpus(tmp_path, docs)
    store = IndexStore(tmp_path / "index")
    build_index(corpus, store, HashEmbedder(), tokenizer)
    retriever = _retriever(store, tokenizer, pair_weight=0)  # words alone: the plateau as written
    assert {retriever.kinds[d] for d in retriever.row_doc} == {"legal", "policy"}
    question = "街道应急救援队伍人员配备"
    joint = retriever.search(question, k=4, understanding="off").hits
    assert joint[0].chunk.source.startswith("law")  # on one scale, a statute's passage is best
    hits = retriever.search(question, k=4).hits
    assert hits[0].chunk.source == "plan.txt" and "不少于15人" in hits[0].chunk.text
    assert hits[1].chunk.source.startswith("law")


def test_feedback_lends_bm25_the_best_passages_words(tmp_path, tokenizer):
    doc_d = (
        "重庆市渝北区人民政府\n2023年5月6日\n2023年渝北区工作要点\n一、隐患治理\n开展重大事故隐患专项排查。\n"
    )
    corpus = _corpus(tmp_path, {"a.txt": DOC_A, "b.txt": DOC_B, "d.txt": doc_d})
    store = IndexStore(tmp_path / "index")
    build_index(corpus, store, HashEmbedder(), tokenizer)

    def sparse_ranked(**config):
        hits = _retriever(store, tokenizer, **config).search("整改率", k=10, understanding="off").hits
        assert hits[0].chunk.section == ("二、风险防范",)  # the only passage holding the word
        return {h.chunk.source for h in hits if h.sparse_rank is not None}

    assert sparse_ranked() == {"a.txt"}
    # the best passage's 重大事故隐患 reaches the passage that never says 整改率
    assert sparse_ranked(feedback_docs=1, feedback_terms=5) == {"a.txt", "d.txt"}


def test_an_approximate_dense_index_finds_what_the_exact_one_ranks_by_its_best_sentence(tmp_path, tokenizer):
    # the dense score blends a passage's vector with its best sentence's; an approximate index is asked
    # by passage vector, so the passages led by a sentence must join its candidates for the two to agree
    from index.dense import DenseConfig
    from index.sentence_search import SentenceSearchConfig

    corpus = _corpus(tmp_path, {"a.txt": DOC_A, "b.txt": DOC_B, "c.txt": DOC_C})
    store = IndexStore(tmp_path / "index")
    build_index(corpus, store, HashEmbedder(), tokenizer)
    data = store.load()
    assert data.sentences is not None and len(data.chunks) > 2
    config = RetrievalConfig(candidates=2, balance_kinds=False)
    exact = HybridRetriever(data, HashEmbedder(), tokenizer, config)
    graph = HybridRetriever(data, HashEmbedder(), tokenizer, config, DenseConfig(hnsw_above=0))
    # and with the sentences searched by k-means cells (one cell here, so it must agree exactly)
    cells = HybridRetriever(
        data,
        HashEmbedder(),
        tokenizer,
        config,
        DenseConfig(hnsw_above=0),
        None,
        SentenceSearchConfig(exact_up_to=0),
    )
    assert (exact.dense.kind, graph.dense.kind) == ("flat", "hnsw")
    assert (graph.sentence_search.kind, cells.sentence_search.kind) == ("exact", "ivf")
    for question in (
        "专业应急救援队伍人员配备",
        "每季度定期更新一张图",
        "森林火灾受害率",
        "死亡人数同比下降",
    ):
        ranked = [
            [h.chunk.chunk_id for h in r.search(question, k=2, mode="dense").hits]
            for r in (exact, graph, cells)
        ]
        assert ranked[0] == ranked[1] == ranked[2], question


def test_a_new_generation_goes_live_with_its_graph_and_sentence_cells_built(tmp_path, tokenizer):
    # built by the writer before the switch, so no request waits for them and no two workers build them
    from index.approximate import prepare
    from index.dense import DenseConfig
    from index.sentence_search import SentenceSearchConfig

    dense, cells = DenseConfig(hnsw_above=2), SentenceSearchConfig(exact_up_to=0)
    store = IndexStore(tmp_path / "index")
    build = prepare(dense, cells, sentences=True)
    seen = []

    def watching(folder, data):
        seen.append((folder.name, store.current_name(), len(data.vectors)))
        build(folder, data)

    corpus = _corpus(tmp_path, {"a.txt": DOC_A, "b.txt": DOC_B, "c.txt": DOC_C})
    build_index(corpus, store, HashEmbedder(), tokenizer, prepare=watching)
    ((folder, live, rows),) = seen
    assert folder.endswith(".partial") and live is None and rows > 2  # before the switch
    data = store.load()
    assert sorted(p.name for p in data.folder.glob("*.faiss")) == [
        "hnsw-m32-efc200.faiss",
        f"sentence-ivf1-pq4d2-s{cells.seed}.faiss",
    ]
    assert (data.folder / "bm25-pairs.npz").exists()
    loaded = HybridRetriever(data, HashEmbedder(), tokenizer, RetrievalConfig(), dense, None, cells)
    assert loaded.dense.kind == "hnsw" and loaded.dense.graph_loaded
    assert loaded.sentence_search.kind == "ivf" and loaded.sentence_search.cells_loaded
    assert loaded.bm25_loaded  # read, not counted again
    assert loaded.search("专业应急救援队伍人员配备", k=1).hits[0].chunk.source == "a.txt"
    # the stored matrix scores as the one a load would count, and words alone are not read from it
    counted = HybridRetriever(replace(data, folder=None), HashEmbedder(), tokenizer, RetrievalConfig())
    query = {"应急救援": 1.0, "§救援": 0.5}
    assert np.array_equal(loaded.bm25.weighted_scores(query), counted.bm25.weighted_scores(query))
    words = HybridRetriever(
        data, HashEmbedder(), tokenizer, RetrievalConfig(pair_weight=0), dense, None, cells
    )
    assert not words.bm25_loaded and "§救援" not in words.bm25.vocab


def test_below_the_graph_size_nothing_is_prepared_and_a_failed_preparation_switches_nothing(
    tmp_path, tokenizer
):
    from index.approximate import prepare
    from index.dense import DenseConfig
    from index.sentence_search import SentenceSearchConfig

    store = IndexStore(tmp_path / "index")
    small = prepare(DenseConfig(hnsw_above=1000), SentenceSearchConfig(exact_up_to=0), sentences=True)
    build_index(_corpus(tmp_path, {"a.txt": DOC_A}), store, HashEmbedder(), tokenizer, prepare=small)
    before = store.load()
    assert not list(before.folder.glob("*.faiss")) and not list(before.folder.glob("bm25-*"))

    def failing(folder, data):
        raise MemoryError("no room for the graph")

    with pytest.raises(MemoryError):
        build_index(
            _corpus(tmp_path, {"a.txt": DOC_A, "b.txt": DOC_B}),
            store,
            HashEmbedder(),
            tokenizer,
            prepare=failing,
        )
    assert store.current_name() == before.folder.name
    assert [c.chunk_id for c in store.load().chunks] == [c.chunk_id for c in before.chunks]
    assert not [p for p in store.folder.iterdir() if p.name.endswith(".partial")]


def test_with_a_backend_only_the_sentence_cells_are_prepared(tmp_path, tokenizer):
    # Milvus holds the passage vectors: no local graph, but the sentence cells a retriever reads
    from index.approximate import prepare
    from index.dense import DenseConfig
    from index.sentence_search import SentenceSearchConfig

    dense, cells = DenseConfig(hnsw_above=2), SentenceSearchConfig(exact_up_to=0)
    store = IndexStore(tmp_path / "index")
    corpus = _corpus(tmp_path, {"a.txt": DOC_A, "b.txt": DOC_B, "c.txt": DOC_C})
    build_index(corpus, store, HashEmbedder(), tokenizer, prepare=prepare(dense, cells, True, backend=True))
    assert [p.name for p in store.load().folder.glob("*.faiss")] == [
        f"sentence-ivf1-pq4d2-s{cells.seed}.faiss"
    ]
    # below the exact limit, nothing
    other = IndexStore(tmp_path / "other")
    build_index(
        corpus,
        other,
        HashEmbedder(),
        tokenizer,
        prepare=prepare(dense, SentenceSearchConfig(), True, backend=True),
    )
    assert not list(other.load().folder.glob("*.faiss"))


def test_a_one_sentence_passage_is_scored_by_its_own_vector_the_others_with_their_best_sentence(
    tmp_path, tokenizer
):
    from index.dense import DenseConfig

    two = "重庆市南川区人民政府\n2025年1月6日\n2025年南平镇安全生产工作要点\n一、森林防火\n森林防火期内禁止野外用火。森林火灾受害率控制在0.9‰以内。\n"
    corpus = _corpus(tmp_path, {"a.txt": DOC_A, "c.txt": DOC_C, "d.txt": two})
    store = IndexStore(tmp_path / "index")
    build_index(corpus, store, HashEmbedder(), tokenizer)
    data = store.load()
    single = data.sentences.single
    assert single.any() and not single.all()  # one-sentence sections, and d.txt's of two
    q = HashEmbedder().encode_queries(["森林火灾受害率"])[0]
    own = data.vectors @ q
    mixed = (own + data.sentences.best(q)) / 2
    expected = np.where(single, own, mixed)
    exact = HybridRetriever(data, HashEmbedder(), tokenizer, RetrievalConfig(balance_kinds=False))
    np.testing.assert_allclose(exact._dense_all(q), expected, rtol=1e-6)
    # the approximate path rescoring its candidates agrees with the exact one
    graph = HybridRetriever(
        data, HashEmbedder(), tokenizer, RetrievalConfig(balance_kinds=False), DenseConfig(hnsw_above=0)
    )
    rescored = graph._with_sentences({}, q, len(data.chunks), None)
    for row, score in rescored.items():
        assert score == pytest.approx(float(expected[row]), rel=1e-5)


DOC_CLAUSES = (
    "重庆市渝北区人民政府\n2025年3月1日\n2025年渝北区防灾减灾工作要点\n一、地质灾害\n"
    "开展地质灾害点工程治理和排危除险,完成避险搬迁,推进监测站点建设。\n"
)
STATUTE = "重庆市地质灾害防治条例\n第一条 在地质灾害危险区内，禁止爆破、削坡，禁止进行工程建设。\n"


def test_clause_vectors_join_the_sentence_side_and_switching_them_recuts_the_index(tmp_path, tokenizer):
    store = IndexStore(tmp_path / "index")
    corpus = _corpus(tmp_path, {"a.txt": DOC_A, "d.txt": DOC_CLAUSES, "s.txt": STATUTE})
    build_index(corpus, store, HashEmbedder(), tokenizer, clauses=False)
    plain = store.load()
    assert plain.manifest["clauses"] is False and plain.sentences.whole.all()

    again = build_index(corpus, store, HashEmbedder(), tokenizer)  # clauses on: re-cut, not unchanged
    assert not again.unchanged and again.embedded_chunks == 0 and again.embedded_sentences >= 3
    data = store.load()
    assert data.manifest["clauses"] is True
    row = next(i for i, c in enumerate(data.chunks) if c.source == "d.txt" and "避险搬迁" in c.text)
    units = data.sentences.units_of(row)
    text = data.chunks[row].text
    assert [text[a:b] for a, b, whole in units if not whole] == [
        "开展地质灾害点工程治理和排危除险",
        "完成避险搬迁",
        "推进监测站点建设。",
    ]
    # a legal norm's commas join the parts of one rule: its sentences are not cut (cuts_clauses)
    rows = [i for i, c in enumerate(data.chunks) if c.source == "s.txt"]
    assert rows and all(w for i in rows for _, _, w in data.sentences.units_of(i))
    # answers read whole sentences only; the ranking reads clauses too, unless switched off
    hit = next(
        h for h in _retriever(store, tokenizer).search("完成避险搬迁", k=5).hits if h.chunk.source == "d.txt"
    )
    assert hit.sentences and {(a, b) for a, b, _ in hit.sentences} == {(x, y) for x, y, w in units if w}
    assert _retriever(store, tokenizer, clauses=False).sentences.whole.all()
    assert build_index(corpus, store, HashEmbedder(), tokenizer).unchanged


def test_a_generation_stored_before_clause_vectors_loads_with_sentences_alone(tmp_path, tokenizer):
    store = IndexStore(tmp_path / "index")
    corpus = _corpus(tmp_path, {"d.txt": DOC_CLAUSES})
    build_index(corpus, store, HashEmbedder(), tokenizer, clauses=False)
    (store.folder / store.current_name() / "sentence_whole.npy").unlink()
    old = store.load()
    assert old.sentences.whole is None
    np.testing.assert_array_equal(old.sentences.single, old.sentences.counts == 1)
    assert _retriever(store, tokenizer).search("避险搬迁", k=1).hits


def test_the_search_reports_each_collections_nearest_sentence_among_all_it_may_read(tmp_path, tokenizer):
    """``SearchResult.nearest``: per collection, the similarity of the sentence nearest the question
    among every row the search may return, not only its hits; the same from an approximate index."""
    from index.dense import DenseConfig
    from index.sentence_search import SentenceSearchConfig

    law = "重庆市森林防火条例\n第一章 总则\n第一条 森林防火期内禁止野外用火。\n"
    corpus = _corpus(tmp_path, {"a.txt": DOC_A, "b.txt": DOC_B, "c.txt": DOC_C, "law.txt": law})
    store = IndexStore(tmp_path / "index")
    build_index(corpus, store, HashEmbedder(), tokenizer)
    data = store.load()
    exact = _retriever(store, tokenizer)
    question = "森林火灾受害率"
    best = exact.sentences.best(HashEmbedder().encode_queries([question])[0])

    def nearest_of(kind, sources=("a.txt", "b.txt", "c.txt", "law.txt")):
        rows = [r for r, c in enumerate(data.chunks) if exact.kinds[c.doc_id] == kind and c.source in sources]
        return float(best[rows].max())

    result = exact.search(question, k=1)
    assert len(result.hits) == 1  # one hit, of one collection; the nearest sentence of each is known
    assert result.nearest == pytest.approx({"legal": nearest_of("legal"), "policy": nearest_of("policy")})
    narrowed = exact.search(question, k=1, filters=Filters(doc=("a.txt",)))  # what a filter leaves
    assert narrowed.nearest == pytest.approx({"policy": nearest_of("policy", ("a.txt",))})
    assert exact.search(question, k=1, mode="bm25").nearest == {}  # no question vector: nothing known
    approximate = HybridRetriever(
        data, HashEmbedder(), tokenizer, RetrievalConfig(), DenseConfig(hnsw_above=0), None,
        SentenceSearchConfig(exact_up_to=0),
    )  # fmt: skip
    asked = []
    ask = approximate.sentence_search.nearest
    approximate.sentence_search.nearest = lambda q, k, allowed: asked.append(allowed) or ask(q, k, allowed)
    assert approximate.search(question, k=1).nearest == pytest.approx(result.nearest)
    # the candidates and the nearest sentence read one answer of the sentence search per set of rows
    # (the joint run, then each collection's own)
    keys = [None if a is None else a.tobytes() for a in asked]
    assert asked and len(keys) == len(set(keys))
