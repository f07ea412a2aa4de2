"""A plan's long sentence is quoted as the clauses that answer, at their own offsets; a statute's sentence
and a table row are quoted whole (``spans.clause_window``, ``ExtractiveAnswerer._narrowed``)."""

from __future__ import annotations

from corpus.models import Chunk, DocumentMeta
from index.records import DocRecord
from index.retriever import Hit
from service.answering.spans import clause_window, spans_of
from tests.fakes import bare_answerer

GOALS = (
    "坚持人民至上、生命至上,牢固树立安全发展理念,统筹发展和安全,以控事故防灾害为核心目标,"
    "以大排查大整治大执法为主线,持续深入推进安全生产专项整治三年行动,有效防控一般事故,"
    "坚决杜绝较大及以上生产安全事故,全年生产安全事故死亡人数控制在指标范围内,严控因灾死亡失踪人数,"
    "严防已监测地质灾害点发生亡人事件,为全区高质量发展提供坚实安全保障。"
)


def _hit(text: str, doc_type: str, start: int = 30) -> Hit:
    chunk = Chunk("d-c", "d", "d.txt", "d", (), text, start, start + len(text), 0)
    return Hit(
        chunk, DocRecord("d", "d.txt", "f", DocumentMeta(title="d", doc_type=doc_type)), 1.0, 1, 1, 1, ()
    )


def test_a_plans_long_sentence_is_quoted_as_the_three_clauses_that_answer():
    answer = bare_answerer().answer("全年事故死亡人数控制目标", [_hit(GOALS, "工作要点")], None)
    (cite,) = answer.citations
    assert (
        cite.quote
        == "坚决杜绝较大及以上生产安全事故,全年生产安全事故死亡人数控制在指标范围内,严控因灾死亡失踪人数"
    )
    assert (cite.start, cite.end) == (
        30 + GOALS.index(cite.quote),
        30 + GOALS.index(cite.quote) + len(cite.quote),
    )


def test_a_statutes_sentence_is_one_rule_and_quoted_whole():
    answer = bare_answerer().answer("全年事故死亡人数控制目标", [_hit(GOALS, "条例")], None)
    assert answer.citations[0].quote == GOALS


def test_a_table_row_and_a_short_sentence_are_kept_whole():
    row = "7 |\n特种设备领域 |\n" + GOALS + " |\n区市场监管局 |"
    (span,) = spans_of(_hit(row, "工作要点").chunk)
    assert clause_window(span, lambda c: float("死亡" in c)) is span
    short = spans_of(_hit("开展地质灾害点工程治理和排危除险,完成避险搬迁。", "工作要点").chunk)[0]
    assert clause_window(short, lambda c: float("搬迁" in c)) is short
