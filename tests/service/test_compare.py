"""A comparison reads side by side: one row per place it names, cited, or saying the documents are silent."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from service.api.app import create_app
from tests.service.conftest import make_engine


@pytest.fixture(scope="module")
def client(tmp_path_factory, seeds_dir):
    folder = tmp_path_factory.mktemp("compare")
    other = folder / "docs"
    other.mkdir()
    (other / "rongchang_food.txt").write_text(
        "2025年荣昌区食品安全工作要点\n重庆市荣昌区人民政府\n一、餐饮监管\n推进餐饮单位明厨亮灶建设，抽检合格率保持在98%以上。\n",
        encoding="utf-8",
    )
    engine = make_engine(folder / "data", seeds_dir, extra=[(other, "public")])
    with TestClient(create_app(engine)) as c:
        yield c


def test_each_named_place_gets_a_row_and_a_silent_one_says_so(client):
    body = client.post(
        "/api/ask", json={"question": "渝中区和荣昌区对街道应急救援队伍人员配备的要求有什么不同"}
    ).json()
    assert body["answerable"]
    rows = {r["label"]: r for r in body["comparison"]}
    assert rows["渝中区"]["text"] and rows["渝中区"]["citation"] in {c["n"] for c in body["citations"]}
    assert rows["荣昌区"] == {"label": "荣昌区", "text": None, "citation": None}
    assert "荣昌区：现有文件中未找到相关内容。" in body["answer"]


def test_a_plain_question_has_no_comparison(client):
    body = client.post("/api/ask", json={"question": "街道应急救援队伍人数要求"}).json()
    assert "comparison" not in body


def _region_hit(doc_id: str, region: str, text: str, rank: int):
    from corpus.models import Chunk, DocumentMeta
    from index.records import DocRecord
    from index.retriever import Hit

    chunk = Chunk(f"{doc_id}-c", doc_id, f"{doc_id}.txt", doc_id, (), text, 0, len(text), 0)
    meta = DocumentMeta(title=doc_id, doc_type="工作要点", region=region)
    return Hit(chunk, DocRecord(doc_id, f"{doc_id}.txt", "f", meta), 1.0, rank, rank, rank, ())


def test_a_row_speaks_of_the_point_compared_or_says_the_place_is_silent():
    """Neither the words asking for a comparison (有什么不同) nor a title line sharing no word with the point
    compared make a place's row: 不同层级 is not about 消防."""
    from index.query import QueryAnalysis
    from service.answering.cues import question_cues
    from service.answering.extractive import content_of
    from tests.fakes import bare_answerer

    question = "渝中区和江北区在消防方面有什么不同"
    analysis = QueryAnalysis(question, regions=("渝中区", "江北区"))
    assert content_of(question, analysis, question_cues(question)).split() == ["和", "在消防方面"]
    hits = [
        _region_hit("yuzhong", "渝中区", "推进消防站建设。", 1),
        _region_hit("jiangbei", "江北区", "关于印发2024年江北区工作要点的通知\n针对不同层级开展演练。", 1),
    ]
    answerer = bare_answerer()
    answer = answerer.answer(question, hits, analysis)
    rows = {r.label: r for r in answer.comparison}
    assert rows["渝中区"].text == "推进消防站建设。"
    assert rows["江北区"].text is None and rows["江北区"].n is None
    # a place whose passage speaks of the point keeps its row
    hits[1] = _region_hit("jiangbei", "江北区", "关于印发工作要点的通知\n全面推进数字消防建设。", 1)
    rows = {r.label: r for r in answerer.answer(question, hits, analysis).comparison}
    assert rows["江北区"].text == "全面推进数字消防建设。"


def test_a_place_speaking_of_the_point_is_quoted_where_it_does(client):
    body = client.post("/api/ask", json={"question": "渝中区和荣昌区在餐饮方面有什么不同"}).json()
    rows = {r["label"]: r for r in body["comparison"]}
    assert "餐饮" in rows["荣昌区"]["text"]


def test_each_compared_place_is_read_from_its_own_search_then_the_rest():
    """A place's passages come from its own search for the point (a preamble that the question's own search
    ranked first for naming the town is not among them), the places not compared from the question's."""
    from service.answering.compare import side_by_side

    preamble = _region_hit("nanping", "南川区南平镇", "南平镇人民政府关于印发南平镇工作要点的通知", 1)
    drill = _region_hit("nanping2", "南川区南平镇", "村(居)每年至少组织1次应急演练。", 1)
    yuzhong = _region_hit("yuzhong", "渝中区", "街道和社区每年至少组织1次演练。", 1)
    statute = _region_hit("law", "全国", "生产经营单位应当定期组织应急预案演练。", 2)
    own = [preamble, statute, yuzhong]
    got = side_by_side([[drill], [yuzhong]], own, ("南川区南平镇", "渝中区"))
    assert [h.doc.doc_id for h in got] == ["nanping2", "yuzhong", "law"]
    assert side_by_side([[], []], own, ("南川区南平镇", "渝中区")) == [statute]


def test_the_whole_city_is_a_side_of_a_comparison(client):
    """渝中和全市…对比: 全市 names the city's own plan, which gets its row beside the district's."""
    body = client.post("/api/ask", json={"question": "渝中和全市对电梯抽查数量的要求对比"}).json()
    rows = {r["label"]: r for r in body["comparison"]}
    assert set(rows) == {"渝中区", "重庆市"}
    assert "1000台" in rows["重庆市"]["text"] and "50台" in rows["渝中区"]["text"]
    # outside a comparison 全市 is a scope, not a side
    assert "comparison" not in client.post("/api/ask", json={"question": "全市电梯抽查多少台"}).json()


def test_a_place_whose_best_sentence_shares_only_a_generic_word_with_the_point_is_silent():
    """江北's 灾害监测 shares 灾害 alone with 灾害信息员培训, a fifth of what 渝中's row names: no row of it."""
    from index.query import QueryAnalysis
    from tests.fakes import bare_answerer

    question = "渝中区和江北区对灾害信息员培训的要求有什么不同"
    analysis = QueryAnalysis(question, regions=("渝中区", "江北区"))
    hits = [
        _region_hit("yuzhong", "渝中区", "加强灾害信息员业务培训。", 1),
        _region_hit("jiangbei", "江北区", "加强灾害监测预警。", 1),
    ]
    rows = {r.label: r for r in bare_answerer().answer(question, hits, analysis).comparison}
    assert rows["渝中区"].text == "加强灾害信息员业务培训。"
    assert rows["江北区"].text is None
