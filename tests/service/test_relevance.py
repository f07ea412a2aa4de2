"""A question no collection of the library comes closer to than unrelated questions do is declined
(``service.answering.relevance``): exact expectations on hand-made hits and similarities."""

from __future__ import annotations

import json

from corpus.models import Chunk, DocumentMeta
from evaluation.calibrate import choose_quantile
from index.records import DocRecord
from index.retriever import Hit
from service.answering.extractive import UNRELATED_TEXT, AnswerConfig, ExtractiveAnswerer
from service.answering.relevance import (
    REFERENCE_QUESTIONS,
    RelevanceFloors,
    best_by_kind,
    closest,
    floors_from,
    library_wide,
    load_reference_questions,
    unrelated,
)
from service.answering.spans import spans_of
from service.settings import PROJECT_ROOT, Settings

TEXT = "第五条 公民可以实名举报。提倡和鼓励实名举报。"


def _hit(doc_type: str | None, sims: tuple[float, ...], doc_id: str = "d", rank: int = 1) -> Hit:
    chunk = Chunk(f"{doc_id}-c", doc_id, f"{doc_id}.txt", "t", (), TEXT, 0, len(TEXT), 0)
    doc = DocRecord(doc_id, f"{doc_id}.txt", "f", DocumentMeta(title=doc_id, doc_type=doc_type))
    spans = spans_of(chunk)
    sentences = tuple((s.start, s.end, x) for s, x in zip(spans, sims, strict=False))
    return Hit(chunk, doc, 1.0, rank, rank, rank, (), sentences)


def test_each_collections_best_sentence_similarity_among_the_hits():
    hits = [_hit("条例", (0.70, 0.81)), _hit("工作要点", (0.66,), "p", 2), _hit("办法", (0.79,), "l", 3)]
    assert best_by_kind(hits) == {"legal": 0.81, "policy": 0.66}
    assert best_by_kind([_hit("条例", ())]) == {}  # no sentence similarities: nothing known
    assert best_by_kind([]) == {}


def test_floors_are_a_quantile_of_the_reference_questions_best_similarities():
    samples = [{"legal": 0.70, "policy": 0.60}, {"legal": 0.80, "policy": 0.62}, {"legal": 0.90}]
    assert floors_from(samples, 0.5) == {"legal": 0.80, "policy": 0.60}
    assert floors_from(samples, 1.0) == {"legal": 0.90, "policy": 0.62}
    # a question that found nothing of a collection counts as having found nothing close
    assert floors_from(samples, 0.0) == {"legal": 0.70, "policy": -1.0}
    assert floors_from([], 0.5) == {}


def test_unrelated_only_when_every_collection_at_hand_stays_below_its_floor():
    floors = {"legal": 0.80, "policy": 0.76}
    assert unrelated({"legal": 0.79, "policy": 0.75}, floors)
    assert unrelated({"policy": 0.75}, floors)  # only plans at hand
    assert not unrelated({"legal": 0.79, "policy": 0.76}, floors)  # a plan's sentence reaches its floor
    assert not unrelated({"legal": 0.81, "policy": 0.50}, floors)
    assert not unrelated({}, floors)  # nothing known: undecided
    assert not unrelated({"legal": 0.10, "other": 0.10}, floors)  # a collection with no floor: undecided
    assert not unrelated({"legal": 0.10}, {})


def test_how_close_the_library_comes_is_measured_on_the_hits_and_on_the_whole_collection():
    hits = [_hit("条例", (0.70, 0.81)), _hit("工作要点", (0.66,), "p", 2)]
    assert closest(hits) == {"legal": 0.81, "policy": 0.66}
    # the search's nearest sentence of each whole collection is a second measure, with a floor of its own
    assert closest(hits, {"legal": 0.83, "policy": 0.72}) == {
        "legal": 0.81,
        "policy": 0.66,
        "legal:library": 0.83,
        "policy:library": 0.72,
    }
    assert closest([], {"legal": 0.80}) == {library_wide("legal"): 0.80}  # a collection no hit is of
    assert closest([], {}) == {}


def test_the_floors_are_measured_once_on_first_use():
    calls = []

    def search(question):
        calls.append(question)
        return {"legal": {"a": 0.70, "b": 0.80, "c": 0.90}[question]}

    floors = RelevanceFloors(search, ["a", "b", "c"], 0.5)
    assert calls == [] and not floors.measured  # nothing measured before it is needed
    assert floors.get() == {"legal": 0.80}
    assert floors.get() == {"legal": 0.80}
    assert calls == ["a", "b", "c"]


def test_cached_floors_are_reused_while_what_the_search_finds_is_the_same(tmp_path):
    cache = tmp_path / "floors.json"
    sims = {"a": 0.70, "b": 0.80, "c": 0.90, "d": 0.60}
    calls = []

    def search(question):
        calls.append(question)
        return {"legal": sims[question]}

    first = RelevanceFloors(search, ["a", "b", "c", "d"], 0.5, cache=cache, generation="g1")
    assert first.get() == {"legal": 0.75}
    assert calls == ["a", "b", "c", "d"]  # the probe (first three) keys the cache and starts the samples
    calls.clear()
    again = RelevanceFloors(search, ["a", "b", "c", "d"], 0.5, cache=cache, generation="g1")
    assert again.get() == {"legal": 0.75} and calls == ["a", "b", "c"]  # the probe alone
    calls.clear()
    # another generation, quantile or probe result is another entry
    assert RelevanceFloors(search, ["a", "b", "c", "d"], 0.5, cache=cache, generation="g2").get()
    assert len(calls) == 4
    sims["a"] = 0.71  # what the search finds has changed (another model, another retrieval setting)
    calls.clear()
    assert RelevanceFloors(search, ["a", "b", "c", "d"], 0.5, cache=cache, generation="g1").get() == {
        "legal": 0.755
    }
    assert len(calls) == 4
    cache.write_text("not json", encoding="utf-8")  # a damaged cache is measured again, not an error
    assert RelevanceFloors(search, ["a", "b", "c", "d"], 0.5, cache=cache, generation="g1").get() == {
        "legal": 0.755
    }


def test_the_cache_keeps_the_newest_entries(tmp_path):
    from service.answering.relevance import read_cached, write_cached

    cache = tmp_path / "floors.json"
    for n in range(5):
        write_cached(cache, f"k{n}", {"legal": n / 10}, keep=3)
    assert read_cached(cache, "k1") is None
    assert read_cached(cache, "k4") == {"legal": 0.4} and read_cached(cache, "k2") == {"legal": 0.2}
    write_cached(cache, "k2", {"legal": 0.25}, keep=3)  # rewritten: now the newest
    write_cached(cache, "k5", {"legal": 0.5}, keep=3)
    assert read_cached(cache, "k3") is None and read_cached(cache, "k2") == {"legal": 0.25}
    assert read_cached(tmp_path / "absent.json", "k2") is None


def _answerer(floors):
    return ExtractiveAnswerer(list, lambda t: 1.0, lambda d: None, lambda d, o: None, AnswerConfig(), floors)


def test_the_answerer_declines_a_question_the_library_is_not_about():
    floors = {"legal": 0.80, "policy": 0.76}
    question = "实名举报要去哪"
    far = [_hit("条例", (0.78, 0.79)), _hit("工作要点", (0.70,), "p", 2)]
    declined = _answerer(lambda: floors).answer(question, far, None)
    assert not declined.answerable and declined.confidence == 0.0 and declined.citations == []
    assert declined.answer == UNRELATED_TEXT  # says that nothing close was found, not merely no answer
    assert [h.chunk.chunk_id for h in declined.related] == ["d-c", "p-c"]  # still shown for reference
    near = [_hit("条例", (0.78, 0.85)), _hit("工作要点", (0.70,), "p", 2)]
    assert _answerer(lambda: floors).answer(question, near, None).answerable
    # declined only when the library's nearest sentences stay below their own floors too
    both = {**floors, "legal:library": 0.82, "policy:library": 0.78}
    assert not _answerer(lambda: both).answer(question, far, None, nearest={"legal": 0.81}).answerable
    # one closer than its floor, though no hit an answer reads holds it: the library is about the
    # question, and the answer is judged on the spans at hand
    assert _answerer(lambda: both).answer(question, far, None, nearest={"policy": 0.79}).answerable
    assert _answerer(None).answer(question, far, None).answerable  # no floors: no such check


def test_the_floors_are_not_measured_for_a_metadata_question():
    def never():
        raise AssertionError("a metadata question needs no floors")

    # 发文字号 is read from the metadata; with no document to read it from, the spans decide
    answer = _answerer(never).answer("本条例的发文字号是什么", [], None)
    assert not answer.answerable


def test_the_reference_questions_ship_and_are_not_our_measured_questions():
    questions = load_reference_questions()
    assert len(questions) == 100 and len(set(questions)) == 100
    assert all(not q.startswith("#") for q in questions)
    measured = set()
    for path in (PROJECT_ROOT / "evaluation" / "questions").glob("*.jsonl"):
        measured |= {json.loads(line)["question"] for line in path.open(encoding="utf-8") if line.strip()}
    assert not measured & set(questions)
    assert REFERENCE_QUESTIONS.name == "unrelated-questions.txt"


def test_the_quantile_is_the_largest_that_declines_no_answerable_fit_question():
    reference = [{"legal": x / 100} for x in range(60, 100)]  # 0.60 .. 0.99
    fit = [{"legal": 0.95}, {"legal": 0.90}]
    # floors_from at q: 0.60 + q * 0.39; the fit question at 0.90 stays above it up to q = 0.76
    assert choose_quantile(fit, reference, grid=(0.5, 0.7, 0.76, 0.77, 0.9)) == 0.76
    assert choose_quantile([{"legal": 0.5}], reference, grid=(0.5, 0.9)) is None
    assert choose_quantile([], reference, grid=(0.5, 0.9)) == 0.9


def test_settings_turn_the_check_off_with_zero():
    assert Settings().answering().relevance_quantile == AnswerConfig.relevance_quantile
    assert Settings(answer_relevance_quantile=0).answering().relevance_quantile is None
    assert Settings(answer_relevance_quantile=0.7).answering().relevance_quantile == 0.7


def test_the_fit_reads_how_close_the_library_comes_to_each_question_as_an_answer_reads_it():
    from types import SimpleNamespace

    from evaluation.calibrate import relevance_samples

    # eight hits, as Engine.ask finds them; an answer reads the first six (AnswerConfig.top_chunks)
    hits = [_hit("条例", (0.70 + i / 100,), f"d{i}", i + 1) for i in range(8)]
    searched = []

    def search(question, k):
        searched.append((question, k))
        nearest = {"legal": 0.74, "policy": 0.70} if question == "乙" else {}
        return SimpleNamespace(hits=hits, analysis=None, nearest=nearest)

    engine = SimpleNamespace(
        answerer=_answerer(None), live=SimpleNamespace(retriever=SimpleNamespace(search=search))
    )
    # the hits past the sixth (0.76, 0.77) are not read; the nearest sentence of each collection is
    assert relevance_samples(engine, ["甲", "乙"]) == [
        {"legal": 0.75},
        {"legal": 0.75, "legal:library": 0.74, "policy:library": 0.70},
    ]
    assert searched == [("甲", 8), ("乙", 8)]


def test_a_new_generation_has_its_floors_measured_before_it_is_served(tmp_path, seeds_dir):
    from tests.service.conftest import make_engine

    engine = make_engine(tmp_path, seeds_dir, answer_relevance_quantile=0.5)
    served = engine.live
    floors = served.answerer.floors.__self__  # the RelevanceFloors whose get() the answerer asks
    assert not floors.measured  # measured on first use, not at load
    engine.ask("街道应急救援队伍人数要求")
    assert floors.measured and set(floors.get()) == {"policy", "policy:library"}  # the seeds: plans only
    engine.build(rebuild=True)  # a new generation, switched in at once
    assert engine.live is not served
    assert engine.live.answerer.floors.__self__.measured  # before the switch
