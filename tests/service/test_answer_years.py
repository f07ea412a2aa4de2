"""A question's year scopes answers to the documents about that year, a plan's whole period included."""

from __future__ import annotations

from corpus.models import Chunk, DocumentMeta
from index.query import QueryAnalysis
from index.records import DocRecord
from index.retriever import Hit
from service.answering.cues import question_cues
from service.answering.extractive import AnswerConfig, ExtractiveAnswerer

TEXT = "再启动3个区县开展安全发展示范城市创建。"


def _hit(doc_id: str, title: str, year: int, rank: int) -> Hit:
    chunk = Chunk(f"{doc_id}-c", doc_id, f"{doc_id}.txt", title, (), TEXT, 0, len(TEXT), 0)
    doc = DocRecord(doc_id, f"{doc_id}.txt", "f", DocumentMeta(title=title, year=year))
    return Hit(chunk, doc, 1.0, rank, rank, rank, ())


def test_a_plan_for_2024_to_2026_answers_a_question_about_2025_at_full_weight():
    answerer = ExtractiveAnswerer(list, lambda t: 1.0, lambda d: None, lambda d, o: None, AnswerConfig())
    hits = [
        _hit("plan", "某市三年行动实施方案(2024—2026年)", 2024, 1),
        _hit("old", "2023年某区工作要点", 2023, 2),
    ]
    question = "2025年再启动几个区县创建"
    analysis = QueryAnalysis(question, years=(2025,))
    scored = answerer.score_spans(question, hits, analysis, question_cues(question))
    factors = {s.hit.doc.doc_id: s.factor for s in scored}
    assert factors == {"plan": 1.0, "old": AnswerConfig().off_scope}  # 2023's plan is not 2025's


def _placed(doc_id: str, region: str, sim: float, rank: int) -> Hit:
    chunk = Chunk(f"{doc_id}-c", doc_id, f"{doc_id}.txt", doc_id, (), TEXT, 0, len(TEXT), 0)
    doc = DocRecord(doc_id, f"{doc_id}.txt", "f", DocumentMeta(title=doc_id, region=region))
    return Hit(chunk, doc, 1.0, rank, rank, rank, (), ((0, len(TEXT), sim),))


def test_a_discounted_passage_does_not_set_the_sentence_scale_of_those_in_scope():
    answerer = ExtractiveAnswerer(list, lambda t: 1.0, lambda d: None, lambda d, o: None, AnswerConfig())
    question = "渝中区再启动几个区县"
    analysis = QueryAnalysis(question, regions=("渝中区",))
    plan, law, other = (
        _placed("plan", "渝中区", 0.80, 2),
        _placed("law", "江北区", 0.90, 1),
        _placed("x", "渝中区", 0.70, 3),
    )
    scored = answerer.score_spans(question, [law, plan, other], analysis, question_cues(question))
    meaning = {s.hit.doc.doc_id: s.signals[4] for s in scored}
    assert meaning == {
        "plan": 1.0,
        "x": 0.0,
        "law": 1.0,
    }  # another place's passage, off scope: clamped, discounted
    assert {s.hit.doc.doc_id: s.factor for s in scored}["law"] == AnswerConfig().off_scope
