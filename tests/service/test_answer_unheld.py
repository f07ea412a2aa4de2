"""A question about a place of the home jurisdiction that no document of the library is of (九龙坡区 in a
library of other districts' plans) says so, and stands only on the rules that bind there."""

from __future__ import annotations

from corpus.models import Chunk, DocumentMeta
from index.query import QueryAnalysis, QueryAnalyzer
from index.records import DocRecord
from index.retriever import Hit
from service.answering.jurisdiction import answer_about_unheld
from service.answering.models import Answer, Citation

PLAN = DocRecord(
    "plan", "plan.txt", "f", DocumentMeta(title="渝中区工作要点", region="渝中区", jurisdiction="重庆市")
)
LAW = DocRecord(
    "law",
    "law.md",
    "f",
    DocumentMeta(title="重庆市条例", region="重庆市", jurisdiction="重庆市", doc_type="条例"),
)


def test_places_of_the_home_jurisdiction_without_a_document_are_read_as_named():
    analyzer = QueryAnalyzer([PLAN, LAW], [], home="重庆市")
    a = analyzer.analyze("九龙坡街道应急救援队伍要多少人")
    assert (a.regions, a.unheld, a.jurisdictions) == ((), ("九龙坡区",), ("重庆市",))
    assert "九龙坡" in a.place_names()  # a scope, not a word a passage must say
    assert analyzer.analyze("渝中区街道应急救援队伍要多少人").unheld == ()  # held: its own plan
    assert analyzer.analyze("老城区燃气管道改造").unheld == ()  # another province's district name
    assert QueryAnalyzer([PLAN], []).analyze("九龙坡区").unheld == ()  # no home jurisdiction: none read


def _hit(doc: DocRecord, text: str) -> Hit:
    chunk = Chunk(f"{doc.doc_id}-c", doc.doc_id, doc.source, doc.meta.title, (), text, 0, len(text), 0)
    return Hit(chunk, doc, 1.0, 1, 1, 1, ())


def _answer(doc: DocRecord, quote: str, answerable: bool = True) -> Answer:
    citation = Citation(
        1, f"{doc.doc_id}-c", doc.doc_id, doc.source, doc.meta.title or "", (), quote, 0, len(quote)
    )
    return Answer("q", answerable, f"{quote}[1]", [citation] if answerable else [])


META = {"plan": PLAN.meta, "law": LAW.meta}.__getitem__
ABOUT = QueryAnalysis("q", unheld=("九龙坡区",), jurisdictions=("重庆市",))


def test_another_places_plan_does_not_answer_for_the_place_asked_about():
    plan_says = "推动街道按规定落实不少于15人的专业应急救援队伍人员配备"
    asked_again = []

    def answer_from(hits):
        asked_again.append([h.chunk.doc_id for h in hits])
        return _answer(LAW, "", answerable=False)

    hits = [_hit(PLAN, plan_says), _hit(LAW, "乡镇可以建立基层应急救援队伍")]
    answer = answer_about_unheld(_answer(PLAN, plan_says), answer_from, hits, ABOUT, META)
    assert asked_again == [["law"]]  # asked again from the rules that bind there
    assert not answer.answerable and [c.doc_id for c in answer.citations] == ["plan"]
    assert answer.answer.startswith("现有文件中没有九龙坡区的文件。其他地方的文件《渝中区工作要点》写道：")
    assert answer.answer.endswith("这不是九龙坡区的规定，仅供参考。")


def test_a_rule_that_binds_there_answers_and_the_answer_says_whose_documents_are_missing():
    quote = "乡镇制定的应急预案至少三年修订一次"
    about = QueryAnalysis("q", unheld=("沙坪坝区",), jurisdictions=("重庆市",))
    answer = answer_about_unheld(_answer(LAW, quote), lambda h: None, [], about, META)
    lead = "现有文件中没有沙坪坝区的文件。以下引自适用于沙坪坝区的法律法规。"
    assert answer.answerable and answer.answer == f"{lead}\n{quote}[1]"
    declined = answer_about_unheld(_answer(LAW, "", False), lambda h: None, [], about, META)
    assert declined.answer.startswith("现有文件中没有沙坪坝区的文件。")
    untouched = _answer(PLAN, "x")
    assert answer_about_unheld(untouched, lambda h: None, [], QueryAnalysis("q"), META) is untouched


def test_an_answer_quoting_a_place_the_question_also_names_is_not_introduced_as_law():
    quote = "推动街道按规定落实不少于15人的专业应急救援队伍人员配备"
    both = QueryAnalysis("q", regions=("渝中区",), unheld=("九龙坡区",), jurisdictions=("重庆市",))
    answer = answer_about_unheld(
        _answer(PLAN, quote), lambda h: None, [], both, META
    )  # 渝中区's plan: in scope
    assert answer.answerable and answer.answer == f"现有文件中没有九龙坡区的文件。\n{quote}[1]"
