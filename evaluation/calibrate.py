"""Calibrate the answerability threshold on gold questions.

For each question, the best span's score (the answer's confidence) is computed with no threshold;
the chosen threshold declines as many unanswerable questions as possible while wrongly declining at
most ``max_wrong`` of the answerable ones, and sits midway in the gap it finds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from evaluation.gold import GoldQuestion


def decisions(engine, questions: list[GoldQuestion]) -> list[tuple[bool, bool, float]]:
    """(answerable in truth, answered with no threshold, confidence) per question."""
    answerer = engine.answerer
    saved = answerer.config
    answerer.config = replace(saved, threshold=0.0)
    try:
        out = []
        for q in questions:
            a = engine.ask(q.question)
            out.append((q.answerable, a.answerable, a.confidence))
        return out
    finally:
        answerer.config = saved


def choose_threshold(
    scored: list[tuple[bool, float]], max_wrong: float = 0.05
) -> tuple[float, dict[str, float]]:
    """(threshold, figures) from (answerable, confidence) pairs; pure, tested on hand-made input."""
    answerable = sorted(c for a, c in scored if a)
    unanswerable = sorted(c for a, c in scored if not a)
    candidates = sorted({0.0, *(c + 1e-6 for c in unanswerable), *(c for c in answerable)})
    best: tuple[float, float, float] | None = None
    for t in candidates:
        wrong = sum(c < t for c in answerable) / max(1, len(answerable))
        declined = sum(c < t for c in unanswerable) / max(1, len(unanswerable))
        if wrong <= max_wrong and (
            best is None or declined > best[1] or (declined == best[1] and wrong < best[2])
        ):
            best = (t, declined, wrong)
    t, declined, wrong = best or (0.0, 0.0, 0.0)
    below = [c for c in answerable if c >= t]
    above_unans = [c for c in unanswerable if c < t]
    if below and above_unans:  # centre the threshold in the gap
        t = (min(below) + max(above_unans)) / 2
    return round(t, 4), {"unanswerable_declined": declined, "answerable_declined": wrong}


def choose_floor(similarities: list[float], share: float = 0.0) -> float | None:
    """The statute-sentence floor (``AnswerConfig.legal_floor``) from the raw similarities of the
    sentences that answer the fit questions: the most that leaves at most ``share`` of them below it
    (by default none: a sentence farther from its question than every one that answered a fit question
    does not answer), midway between the last one below and the first one kept; pure, tested on
    hand-made input (None: nothing to fit on)."""
    ranked = sorted(similarities)
    if not ranked:
        return None
    below = int(share * len(ranked))
    if below == 0:
        return round(ranked[0], 4)
    return round((ranked[below - 1] + ranked[below]) / 2, 4)


def answering_similarities(engine, questions: list[GoldQuestion]) -> list[float]:
    """For each answerable question whose gold sentence is among the answerer's passages: the raw
    similarity to the question of the best statute sentence that holds a gold quote or lies within one
    (what the floor must let through). Plans' sentences are left out: the floor is for statutes; so are
    questions for a document's metadata (什么时候施行), answered from the metadata with no span scored."""
    from corpus.metadata import document_kind
    from evaluation.judge import normalise, quote_found
    from service.answering.cues import question_cues
    from service.live import ANSWER_HITS

    top = engine.answerer.config.top_chunks
    found = []
    for q in questions:
        if not q.answerable or question_cues(q.question).metadata:
            continue
        best = None
        for hit in engine.live.retriever.search(q.question, k=ANSWER_HITS).hits[:top]:
            if document_kind(hit.doc.meta.doc_type) != "legal":
                continue
            golds = [a.quote for a in q.answers if a.doc == hit.chunk.source]
            for a, b, x in hit.sentences:
                sentence = hit.chunk.text[a:b]
                holds = any(
                    quote_found(g, sentence)
                    or (len(normalise(sentence)) >= 4 and normalise(sentence) in normalise(g))
                    for g in golds
                )
                if holds:
                    best = x if best is None else max(best, x)
        if best is not None:
            found.append(best)
    return found


QUANTILES = tuple(round(0.5 + i / 100, 2) for i in range(50))  # 0.50 .. 0.99


def choose_quantile(
    fit: Sequence[Mapping[str, float]],
    reference: Sequence[Mapping[str, float]],
    grid: Sequence[float] = QUANTILES,
) -> float | None:
    """The relevance quantile (``AnswerConfig.relevance_quantile``) from each answerable fit question's
    closeness per collection (``relevance.closest``) and the reference questions' (the
    unrelated ones): the largest of ``grid`` at which no fit question is declined as unrelated; pure,
    tested on hand-made input (None: even the smallest declines one)."""
    from service.answering.relevance import floors_from, unrelated

    kept = None
    for q in sorted(grid):
        floors = floors_from(reference, q)
        if any(unrelated(best, floors) for best in fit):
            break
        kept = q
    return kept


def relevance_samples(engine, questions: Sequence[str]) -> list[dict[str, float]]:
    """How close the library comes to each question, per collection, as an answer reads it
    (``service.live.answer_closeness``)."""
    from service.live import answer_closeness

    return [answer_closeness(engine.live.retriever, engine.answerer, q) for q in questions]
