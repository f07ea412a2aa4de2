"""A statute's sentence that shares no word with the question answers only when close enough to it in
absolute terms (``AnswerConfig.legal_floor``): exact expectations on hand-made hits."""

from __future__ import annotations

from corpus.models import Chunk, DocumentMeta
from evaluation.calibrate import choose_floor
from index.records import DocRecord
from index.retriever import Hit
from service.answering.extractive import AnswerConfig, ExtractiveAnswerer, below_floor, span_similarity
from service.answering.spans import spans_of
from service.settings import Settings

TEXT = "第五条 公民可以实名举报。提倡和鼓励实名举报。"


def _hit(doc_type: str | None, sentences, doc_id: str = "d", rank: int = 1) -> Hit:
    chunk = Chunk(f"{doc_id}-c", doc_id, f"{doc_id}.txt", "t", (), TEXT, 0, len(TEXT), 0)
    doc = DocRecord(doc_id, f"{doc_id}.txt", "f", DocumentMeta(title=doc_id, doc_type=doc_type))
    return Hit(chunk, doc, 1.0, rank, rank, rank, (), sentences)


def test_a_spans_similarity_is_its_own_sentences_else_its_passages_best():
    first, second = spans_of(_hit("条例", ()).chunk)
    hit = _hit("条例", ((first.start, first.end, 0.75),))
    assert span_similarity(hit, first) == 0.75
    assert span_similarity(hit, second) == 0.75  # no vector of its own: the passage's best
    two = _hit("条例", ((first.start, first.end, 0.75), (second.start, second.end, 0.9)))
    assert span_similarity(two, first) == 0.75 and span_similarity(two, second) == 0.9
    assert span_similarity(_hit("条例", ()), first) is None  # no sentence vectors at all


def test_only_a_statutes_span_below_the_floor_is_held_back():
    span = spans_of(_hit("条例", ()).chunk)[0]
    sims = ((span.start, span.end, 0.78),)
    assert below_floor(_hit("条例", sims), span, 0.8)
    assert not below_floor(_hit("条例", sims), span, 0.75)
    assert not below_floor(_hit("工作要点", sims), span, 0.8)  # a plan: no floor fitted for plans
    assert not below_floor(_hit(None, sims), span, 0.8)
    assert not below_floor(_hit("条例", sims), span, None)
    assert not below_floor(_hit("条例", ()), span, 0.8)  # similarity unknown: nothing to judge


def test_the_answerer_declines_when_only_far_statute_sentences_are_at_hand():
    answerer = ExtractiveAnswerer(  # words: the question's character pairs
        lambda t: [t[i : i + 2] for i in range(len(t) - 1)],
        lambda t: 1.0,
        lambda d: None,
        lambda d, o: None,
        AnswerConfig(legal_floor=0.8),
    )
    spans = spans_of(_hit("条例", ()).chunk)
    far = tuple((s.start, s.end, 0.76) for s in spans)
    near = tuple((s.start, s.end, 0.85) for s in spans)
    question = "护照在哪里办"
    assert answerer.score_spans(question, [_hit("条例", far)], None, _cues(question)) == []
    assert not answerer.answer(question, [_hit("条例", far)], None).answerable
    kept = answerer.score_spans(
        question, [_hit("条例", far), _hit("通知", far, "plan", 2)], None, _cues(question)
    )
    assert {s.hit.doc.doc_id for s in kept} == {"plan"}
    assert {
        s.hit.doc.doc_id for s in answerer.score_spans(question, [_hit("条例", near)], None, _cues(question))
    } == {"d"}
    # a question sharing words with the far sentence keeps it: the shared words are evidence of their own
    sharing = "实名举报要去哪"
    assert answerer.score_spans(sharing, [_hit("条例", far)], None, _cues(sharing))


def _cues(question: str):
    from service.answering.cues import question_cues

    return question_cues(question)


def test_the_floor_is_the_midpoint_that_leaves_the_allowed_share_below():
    assert choose_floor([0.9, 0.7, 0.8, 0.85]) == 0.7  # by default none may fall below: the lowest
    assert choose_floor([0.9, 0.7, 0.8, 0.85], share=0.25) == 0.75  # one of four below
    assert choose_floor([0.9, 0.7, 0.8, 0.85], share=0.1) == 0.7
    assert choose_floor([0.9, 0.7, 0.8, 0.85, 0.6], share=0.4) == 0.75  # two of five below
    assert choose_floor([]) is None


def test_the_fitted_floor_applies_only_to_the_query_side_it_was_fitted_with():
    assert Settings().answering().legal_floor == AnswerConfig.legal_floor
    assert Settings(adapter="off").answering().legal_floor is None
    assert Settings(adapter_share=1.0).answering().legal_floor is None
    assert Settings(embedding_model="BAAI/bge-small-zh-v1.5").answering().legal_floor is None
    assert (
        Settings(embedding_model="BAAI/bge-small-zh-v1.5", answer_legal_floor=0.5).answering().legal_floor
        == 0.5
    )
    assert Settings(answer_legal_floor=0).answering().legal_floor is None  # 0: no floor


def test_the_fit_reads_the_best_statute_sentence_holding_a_gold_quote_and_skips_metadata_questions():
    from types import SimpleNamespace

    from evaluation.calibrate import answering_similarities
    from evaluation.gold import GoldAnswer, GoldQuestion

    first, second = spans_of(_hit("条例", ()).chunk)
    law = _hit("条例", ((first.start, first.end, 0.81), (second.start, second.end, 0.86)))
    plan = _hit("通知", ((first.start, first.end, 0.99),), "plan", 2)
    found = SimpleNamespace(hits=[plan, law])
    engine = SimpleNamespace(
        answerer=SimpleNamespace(config=AnswerConfig()),
        live=SimpleNamespace(retriever=SimpleNamespace(search=lambda q, k: found)),
    )

    def ask(text, quote, doc="d.txt"):
        return GoldQuestion("x", text, (GoldAnswer(doc, quote),), "fact")

    questions = [
        ask("能不能实名举报", "公民可以实名举报"),  # the first sentence: 0.81
        ask("鼓励什么", "提倡和鼓励实名举报。"),  # the second: 0.86
        ask("鼓励什么", "提倡和鼓励实名举报", doc="plan.txt"),  # a plan's sentence: not the floor's
        ask("本条例什么时候施行", "公民可以实名举报"),  # a metadata question: answered without spans
        GoldQuestion("u", "没有答案", (), "unanswerable"),
    ]
    assert answering_similarities(engine, questions) == [0.81, 0.86]


def test_a_shared_single_character_is_no_shared_word():
    """名字怎么改 shares only the character 名 with 实名举报: alone a character is a morpheme whose sense
    comes from its word, so the far statute sentence stays held back; 实名 is a shared word."""
    answerer = ExtractiveAnswerer(
        lambda t: list(t) + [t[i : i + 2] for i in range(len(t) - 1)],
        lambda t: 1.0,
        lambda d: None,
        lambda d, o: None,
        AnswerConfig(legal_floor=0.8),
    )
    far = tuple((s.start, s.end, 0.76) for s in spans_of(_hit("条例", ()).chunk))
    assert answerer.score_spans("名字怎么改", [_hit("条例", far)], None, _cues("名字怎么改")) == []
    assert answerer.score_spans("实名怎么用", [_hit("条例", far)], None, _cues("实名怎么用")) != []
