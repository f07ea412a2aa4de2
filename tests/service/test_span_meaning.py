"""The sentence-vector signal in answer spans: exact arithmetic on hand-made spans and hits."""

from __future__ import annotations

from dataclasses import replace

import pytest

from corpus.models import Chunk, DocumentMeta
from evaluation.answer_weights import preference, with_meaning
from index.records import DocRecord
from index.retriever import Hit
from service.answering.cues import cue_score, question_cues
from service.answering.extractive import combine, sentence_meaning, span_signals
from service.answering.spans import spans_of

TEXT = "推动街道落实应急救援队伍。重大隐患按期整改率100%。"


def _hit(sentences=()) -> Hit:
    chunk = Chunk("c1", "d", "d.txt", "t", (), TEXT, 100, 100 + len(TEXT), 0)
    doc = DocRecord("d", "d.txt", "f", DocumentMeta(title="t"))
    return Hit(chunk, doc, 1.0, 1, 1, 1, (), sentences)


def test_meaning_places_a_spans_sentence_between_the_worst_and_the_best():
    hit = _hit(((0, 13, 0.5), (13, 27, 0.25)))
    other = replace(_hit(((0, 13, 0.0),)), chunk=replace(_hit().chunk, chunk_id="c2"))
    meaning = sentence_meaning([hit, other])
    first, second = spans_of(hit.chunk)
    assert meaning(hit, first) == pytest.approx(1.0)
    assert meaning(hit, second) == pytest.approx(0.5)
    assert meaning(other, spans_of(other.chunk)[0]) == pytest.approx(0.0)
    assert sentence_meaning([_hit()]) is None  # no sentence vectors: no signal


def test_meaning_is_defined_when_every_similarity_is_below_zero():
    # the query tower's cosines are uncalibrated: everyday questions can score every sentence < 0
    hit = _hit(((0, 13, -0.02), (13, 27, -0.06)))
    other = replace(_hit(((0, 13, -0.10),)), chunk=replace(_hit().chunk, chunk_id="c2"))
    meaning = sentence_meaning([hit, other])
    first, second = spans_of(hit.chunk)
    assert meaning(hit, first) == pytest.approx(1.0)
    assert meaning(hit, second) == pytest.approx(0.5)
    one = _hit(((0, 13, -0.3),))
    assert sentence_meaning([one])(one, spans_of(one.chunk)[0]) == pytest.approx(1.0)  # alone: the best
    assert sentence_meaning([one])(one, spans_of(one.chunk)[1]) == 0.0  # no vector of its own


def test_without_the_signal_the_other_four_carry_the_whole_weight():
    span = spans_of(_hit().chunk)[0]
    cues = question_cues("街道救援队伍")
    args = (span, ["街道"], set(), lambda t: 1.0, lambda s: ["街道", "救援"], 1.0, cues)
    signals = span_signals(*args)
    assert signals == (1.0, 0.0, 1.0, cue_score(cues, span.text), None)
    four = combine(signals, (0.35, 0.25, 0.3, 0.1, 0.0))
    assert four == pytest.approx(0.35 * 1 + 0.25 * 0 + 0.3 * 1 + 0.1 * cue_score(cues, span.text))
    halved = (0.175, 0.125, 0.15, 0.05, 0.5)
    assert combine(signals, halved) == pytest.approx(four)  # meaning None: rescaled to the whole
    assert combine(span_signals(*args, meaning=1.0), halved) == pytest.approx(four / 2 + 0.5)
    assert combine(span_signals(*args, meaning=0.0), halved) == pytest.approx(four / 2)


def test_weights_are_rescaled_and_the_choice_prefers_gold_then_refusals_then_fewer_wrong():
    assert with_meaning((0.35, 0.25, 0.3, 0.1), 0.25) == (0.2625, 0.1875, 0.225, 0.075, 0.25)
    assert with_meaning((0.35, 0.25, 0.3, 0.1, 0.4), 0.0) == (0.35, 0.25, 0.3, 0.1, 0.0)
    a = {"contains_gold": 0.6, "unanswerable_declined": 0.4, "answerable_declined": 0.1}
    b = {"contains_gold": 0.6, "unanswerable_declined": 0.4, "answerable_declined": 0.13}
    assert preference(a, 0.3) > preference(b, 0.2)
    assert preference(a, 0.2) > preference(a, 0.3)  # equal figures: the smaller weight
    assert preference({**b, "contains_gold": 0.61}, 0.4) > preference(a, 0.1)


def test_a_citation_names_the_printed_page_of_its_quote():
    from corpus.models import Document
    from service.answering.extractive import citation

    hit = _hit()
    text = " " * 100 + TEXT
    doc = Document("d", "d.pdf", "pdf", None, text, DocumentMeta(), page_starts=[0, 113])
    first, second = spans_of(hit.chunk)
    assert citation(1, first, hit, doc).page == 1
    assert citation(2, second, hit, doc).page == 2
    assert citation(2, second, hit, doc).quote == second.text
    assert citation(1, first, hit, None).page is None


def test_the_places_and_years_a_question_names_are_scope_not_content():
    from index.query import QueryAnalysis
    from service.answering.extractive import scope_free

    analysis = QueryAnalysis("南平镇2025年安全生产总体目标", regions=("南川区南平镇",), years=(2025,))
    assert scope_free("南平镇2025年安全生产总体目标", analysis).split() == ["安全生产总体目标"]
    assert scope_free("南平镇2025年", analysis) == "南平镇2025年"  # nothing else left: kept whole
    assert scope_free("南平镇的目标", None) == "南平镇的目标"


def test_the_range_can_be_set_by_the_passages_in_scope_alone():
    hit = _hit(((0, 13, 0.5), (13, 27, 0.25)))
    other = replace(_hit(((0, 13, 0.9),)), chunk=replace(_hit().chunk, chunk_id="c2"))
    meaning = sentence_meaning([hit, other], range_of=[hit])
    first, second = spans_of(hit.chunk)
    assert meaning(hit, first) == pytest.approx(1.0)  # the best in scope, not 0.5 / 0.9 of the way
    assert meaning(hit, second) == pytest.approx(0.0)
    assert meaning(other, spans_of(other.chunk)[0]) == pytest.approx(1.0)  # beyond the range: clamped
    assert sentence_meaning([hit], range_of=[_hit()]) is not None  # no sentences in range: all of hits
