"""A question about a district is answered by that district's documents and by the statutes that bind
there (national law, its province-level jurisdiction's own); another place's plan or another province's
statute answers only at the off-scope discount."""

from __future__ import annotations

from corpus.models import Chunk, DocumentMeta
from index.query import QueryAnalysis
from index.records import DocRecord
from index.retriever import Hit
from service.answering.cues import question_cues
from service.answering.extractive import AnswerConfig, ExtractiveAnswerer, scope_misses

TEXT = "乡镇制定的应急预案至少三年修订一次。"
OFF = AnswerConfig().off_scope


def _hit(doc_id: str, rank: int, **meta) -> Hit:
    chunk = Chunk(f"{doc_id}-c", doc_id, f"{doc_id}.txt", doc_id, (), TEXT, 0, len(TEXT), 0)
    doc = DocRecord(doc_id, f"{doc_id}.txt", "f", DocumentMeta(title=doc_id, **meta))
    return Hit(chunk, doc, 1.0, rank, rank, rank, (), ((0, len(TEXT), 0.8),))


HITS = [
    _hit("district-plan", 1, region="南川区南平镇", jurisdiction="重庆市", doc_type="工作要点", year=2025),
    _hit("city-statute", 2, region="重庆市", jurisdiction="重庆市", doc_type="条例", year=2012),
    _hit("national-law", 3, region="全国", jurisdiction="全国", doc_type="法", year=2024),
    _hit("city-plan", 4, region="重庆市", jurisdiction="重庆市", doc_type="实施方案", year=2024),
    _hit("other-province", 5, region="浙江省", jurisdiction="浙江省", doc_type="条例", year=2010),
    _hit("other-district", 6, region="江北区", jurisdiction="重庆市", doc_type="工作要点", year=2025),
]


def _factors(question: str, analysis: QueryAnalysis) -> dict[str, float]:
    answerer = ExtractiveAnswerer(list, lambda t: 1.0, lambda d: None, lambda d, o: None, AnswerConfig())
    scored = answerer.score_spans(question, HITS, analysis, question_cues(question))
    return {s.hit.doc.doc_id: s.factor for s in scored}


def test_statutes_binding_the_district_named_answer_at_full_weight():
    question = "南平镇的应急预案多久修订一次"
    analysis = QueryAnalysis(question, regions=("南川区南平镇",), jurisdictions=("重庆市",))
    assert _factors(question, analysis) == {
        "district-plan": 1.0,
        "city-statute": 1.0,  # 重庆市's statute binds 南平镇
        "national-law": 1.0,
        "city-plan": OFF,  # the city's plan is its own work programme, not 南平镇's
        "other-province": OFF,
        "other-district": OFF,
    }


def test_a_statute_binds_in_the_years_from_its_own_on():
    question = "2025年南平镇的应急预案多久修订一次"
    analysis = QueryAnalysis(question, regions=("南川区南平镇",), years=(2025,), jurisdictions=("重庆市",))
    factors = _factors(question, analysis)
    assert (factors["city-statute"], factors["national-law"], factors["district-plan"]) == (1.0, 1.0, 1.0)
    assert factors["city-plan"] == OFF * OFF  # a plan of another place and of 2024: both discounts
    earlier = QueryAnalysis("2011年", regions=("南川区南平镇",), years=(2011,), jurisdictions=("重庆市",))
    assert scope_misses(HITS[1], earlier) == (False, True)  # a statute of 2012 did not bind in 2011


def test_without_the_named_places_jurisdiction_a_provincial_statute_stays_off_scope():
    analysis = QueryAnalysis("南平镇", regions=("南川区南平镇",))  # jurisdiction unknown
    assert scope_misses(HITS[1], analysis) == (True, False)
    assert scope_misses(HITS[2], analysis) == (False, False)  # national law binds everywhere


def test_the_binding_rule_is_read_once_and_only_when_missing():
    from service.answering.jurisdiction import binding_rules, with_binding_rule

    plan, law = HITS[0], HITS[1]
    assert with_binding_rule([plan, law], [law], 2, {"city-statute"}) == [plan, law]  # already read
    assert with_binding_rule([plan], [], 6, {"city-statute"}) == [plan]  # the rules found nothing
    placed = with_binding_rule([plan], [law], 6, {"city-statute"})  # fewer hits than are read
    assert [h.chunk.doc_id for h in placed] == ["district-plan", "city-statute"]
    metas = {h.doc.doc_id: h.doc.meta for h in HITS}
    one = QueryAnalysis("q", regions=("南川区南平镇",), jurisdictions=("重庆市",))
    assert binding_rules(metas, one) == ("city-statute", "national-law")
    two = QueryAnalysis("q", regions=("南川区南平镇", "江北区"), jurisdictions=("重庆市",))
    assert binding_rules(metas, two) == ()  # a comparison reads each place on its own
