"""How much the sentence-vector signal weighs in answer spans, chosen on statute questions.

    .venv/bin/python -m evaluation.answer_weights [--weights 0,0.1,0.2,0.25,0.3,0.4]

For each weight w of the ``meaning`` signal (service.answering.extractive), the other four signals
keep their proportions and share 1 - w; the answerability threshold is refitted on the statute
question sets (evaluation.calibration_report.FIT_SETS, seeds + laws-safety, evaluation.calibrate) and
the statute answers measured. The chosen weight is the one with the most statute answers holding a gold quote,
then the most unanswerables declined, then the fewest answerable ones declined (a wrong confident
answer is worse than a refusal), the smallest weight among equals. Our seed questions are reported
beside it, held out: they take no part in the choice.
"""

from __future__ import annotations

import argparse
import logging
from dataclasses import replace

from evaluation.answers import answer_metrics
from evaluation.calibrate import choose_threshold, decisions
from evaluation.calibration_report import QUESTIONS, fit_questions
from evaluation.gold import load_gold
from evaluation.libraries import LIBRARIES, prepare_library
from service.answering.extractive import AnswerConfig
from service.settings import Settings

log = logging.getLogger(__name__)


def with_meaning(base: tuple[float, ...], w: float) -> tuple[float, float, float, float, float]:
    """The four word-level weights scaled to share 1 - w, and w for the sentence signal (pure)."""
    four = base[:4]
    total = sum(four) or 1.0
    a, b, c, d = (round(x / total * (1 - w), 4) for x in four)
    return a, b, c, d, w


def preference(figures: dict[str, float], w: float) -> tuple[float, float, float, float]:
    """Sort key of a weight's statute figures: larger is better (pure)."""
    return (
        figures["contains_gold"],
        figures["unanswerable_declined"],
        -figures["answerable_declined"],
        -w,
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--weights", default="0,0.1,0.15,0.2,0.25,0.3,0.4")
    args = ap.parse_args()
    logging.basicConfig(level=logging.WARNING)
    settings = Settings()
    statutes = [q for questions in fit_questions().values() for q in questions]
    seeds_own = load_gold(QUESTIONS / "seeds-own.jsonl")
    laws = prepare_library(settings, LIBRARIES["seeds+laws"])
    seeds = prepare_library(settings, LIBRARIES["seeds"])
    base = AnswerConfig().weights
    rows = []
    print(
        "| meaning weight | threshold (fitted) | statutes: gold / unans declined / ans declined | seeds own (held out) | seeds+laws own (held out) |"
    )
    print("| --- | --- | --- | --- | --- |")
    for w in (float(x) for x in args.weights.split(",")):
        weights = with_meaning(base, w)
        for engine in (laws, seeds):
            engine.answerer.config = replace(engine.answerer.config, weights=weights)
        fit = decisions(laws, statutes)
        threshold, _ = choose_threshold([(t, c) for t, ok, c in fit if ok or not t])
        for engine in (laws, seeds):
            engine.answerer.config = replace(engine.answerer.config, threshold=threshold)
        figures = [
            answer_metrics(laws, statutes)[0],
            answer_metrics(seeds, seeds_own)[0],
            answer_metrics(laws, seeds_own)[0],
        ]
        rows.append((preference(figures[0], w), w, threshold))
        cells = " | ".join(
            f"{m['contains_gold']:.3f} / {m['unanswerable_declined']:.3f} / {m['answerable_declined']:.3f}"
            for m in figures
        )
        print(f"| {w} | {threshold} | {cells} |", flush=True)
    _, w, threshold = max(rows)
    print(f"chosen: meaning weight {w}, weights {with_meaning(base, w)}, threshold {threshold}")


if __name__ == "__main__":
    main()
