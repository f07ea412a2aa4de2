"""The answerability decision, fitted on statute questions and judged on the seeds it never saw.

    .venv/bin/python -m evaluation.calibration_report [--json]

Fit: the confidence threshold that declines the most unanswerable questions of the statute sets
(``FIT_SETS``: evaluation/questions/statutes-own.jsonl, written over Chongqing statutes, and
national-own.jsonl, over national laws and regulations; no seed) while wrongly declining at most 5% of
their answerable ones, in the seeds + laws-safety library; before it, the statute-sentence floor
(``AnswerConfig.legal_floor``: the raw similarity of the least similar statute sentence that answers one
of those sets' questions, ``calibrate.choose_floor``) and the relevance quantile
(``AnswerConfig.relevance_quantile``: the largest at which none of their answerable questions is declined
as unrelated, ``calibrate.choose_quantile``). Report: the confusion matrix (answered /
declined x answerable / unanswerable) of the shipped threshold and of the fitted one, on our seed
questions (held out from the fit) in both libraries, and on each statute set (the fitted part, for
reference). Writes results/calibration.json.
"""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path

from evaluation.calibrate import (
    answering_similarities,
    choose_floor,
    choose_quantile,
    choose_threshold,
    decisions,
    relevance_samples,
)
from evaluation.gold import GoldQuestion, load_gold
from evaluation.libraries import LIBRARIES, prepare_library
from service.answering.cues import question_cues
from service.answering.relevance import load_reference_questions
from service.settings import PROJECT_ROOT, Settings

QUESTIONS = PROJECT_ROOT / "evaluation" / "questions"
# the non-seed question sets answer decisions are fitted on (the training-data rule: never the seeds)
FIT_SETS = ("statutes-own", "national-own")
log = logging.getLogger(__name__)


def fit_questions() -> dict[str, list[GoldQuestion]]:
    return {name: load_gold(QUESTIONS / f"{name}.jsonl") for name in FIT_SETS}


def confusion(rows: list[tuple[bool, bool, float]], threshold: float) -> dict[str, float]:
    """Answered at ``threshold`` = answered with no threshold and confident enough (pure)."""
    answered = [(truth, ok and conf >= threshold) for truth, ok, conf in rows]
    tp = sum(t and a for t, a in answered)
    fn = sum(t and not a for t, a in answered)
    tn = sum(not t and not a for t, a in answered)
    fp = sum(not t and a for t, a in answered)
    return {
        "answerable_answered": tp,
        "answerable_declined": fn,
        "unanswerable_declined": tn,
        "unanswerable_answered": fp,
        "unanswerable_declined_rate": round(tn / max(1, tn + fp), 4),
        "answerable_declined_rate": round(fn / max(1, tp + fn), 4),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--out", type=Path, default=PROJECT_ROOT / "results" / "calibration.json")
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    settings = Settings()
    shipped = settings.answer_threshold
    fit_sets = fit_questions()
    seeds_own = load_gold(QUESTIONS / "seeds-own.jsonl")
    laws = prepare_library(settings, LIBRARIES["seeds+laws"])
    # the statute-sentence floor first (retrieval alone decides which sentences answer), then the threshold
    # on the answers made with the shipped floor
    answering = [x for questions in fit_sets.values() for x in answering_similarities(laws, questions)]
    floor = choose_floor(answering)
    # the relevance quantile likewise: no answerable fit question may fall below every floor it sets
    asked = [
        q.question
        for questions in fit_sets.values()
        for q in questions
        if q.answerable and not question_cues(q.question).metadata
    ]
    quantile = choose_quantile(
        relevance_samples(laws, asked), relevance_samples(laws, load_reference_questions())
    )
    fit_rows = {name: decisions(laws, questions) for name, questions in fit_sets.items()}
    # the threshold acts on questions the rest of the pipeline would answer
    pooled = [(t, c) for rows in fit_rows.values() for t, ok, c in rows if ok or not t]
    fitted, figures = choose_threshold(pooled)
    report: dict = {
        "fit": {
            "on": " + ".join(FIT_SETS) + " (seeds+laws)",
            "questions": sum(len(q) for q in fit_sets.values()),
            "threshold": fitted,
            **figures,
            "legal_floor": floor,
            "answering_statute_sentences": len(answering),
            "relevance_quantile": quantile,
        },
        "shipped_legal_floor": laws.answerer.config.legal_floor,
        "shipped_relevance_quantile": laws.answerer.config.relevance_quantile,
        "shipped_threshold": shipped,
        "tables": [],
    }
    for name in ("seeds", "seeds+laws"):
        engine = laws if name == "seeds+laws" else prepare_library(settings, LIBRARIES[name])
        sets = [("seeds-own (held out)", decisions(engine, seeds_own))] + (
            [(f"{n} (fitted on)", rows) for n, rows in fit_rows.items()] if name == "seeds+laws" else []
        )
        for set_name, rows in sets:
            for label, t in (("shipped", shipped), ("fitted", fitted)):
                report["tables"].append(
                    {
                        "library": name,
                        "questions": set_name,
                        "threshold": label,
                        "value": t,
                        **confusion(rows, t),
                    }
                )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
        return
    print(f"fitted on {' + '.join(FIT_SETS)}: threshold {fitted} ({figures}); shipped {shipped}")
    print(
        f"statute-sentence floor {floor} (from {len(answering)} answering sentences); "
        f"shipped {report['shipped_legal_floor']}"
    )
    print(
        f"relevance quantile {quantile} (from {len(asked)} answerable questions); "
        f"shipped {report['shipped_relevance_quantile']}"
    )
    print(
        "| library | questions | threshold | answerable answered / declined | unanswerable declined / answered |"
    )
    print("| --- | --- | --- | --- | --- |")
    for r in report["tables"]:
        print(
            f"| {r['library']} | {r['questions']} | {r['threshold']} {r['value']} | "
            f"{r['answerable_answered']} / {r['answerable_declined']} ({r['answerable_declined_rate']:.3f} declined) | "
            f"{r['unanswerable_declined']} / {r['unanswerable_answered']} ({r['unanswerable_declined_rate']:.3f} declined) |"
        )


if __name__ == "__main__":
    main()
