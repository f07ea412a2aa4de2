"""Calibrate the answerability threshold on gold questions.

For each question, the best span's score (the answer's confidence) is computed with no threshold;
the chosen threshold declines as many unanswerable questions as possible while wrongly declining at
most ``max_wrong`` of the answerable ones, and sits midway in the gap it finds.
"""

from __future__ import annotations

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
