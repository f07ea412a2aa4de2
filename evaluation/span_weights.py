"""Learn the weights of the answer-span signals from statute questions, instead of setting them by hand.

    .venv/bin/python -m evaluation.span_weights [--json]

An answer quotes the best-scoring spans of the top passages; a span's score is a weighted sum of five
signals (service.answering.extractive: lexical, chars, prior, cue, meaning). 0.1.0 set the first four
by hand; this fits all five as a conditional logit (McFadden): for each answerable question of the
statute sets (``calibration_report.FIT_SETS``, seeds + laws-safety library, never a seed or a gold
question), the spans that hold its gold quote should outscore the question's other candidate spans,

    maximise  sum_q log( sum_{s in gold(q)} exp(f_s * w.x_s) / sum_{s in spans(q)} exp(f_s * w.x_s) )

with w >= 0 (each signal says "more is better") and a small L2 penalty; f_s is the span's off-scope
discount, as in the answerer. Only the ratios of w matter to the ranking, so they are reported
scaled to sum 1 (the score stays in [0, 1] and the answerability threshold is refitted on the same
questions afterwards).

It prints: each statute set fitted on the other (how well the learned ratios carry to questions they
were not fitted on, against the shipped weights: share of questions whose best span holds the gold
quote, and the mean log-likelihood), then the weights fitted on both sets, then the answer figures
of shipped and learned weights, each with its own refitted threshold, on the fit sets and on the sets
held out from every fit (our seed questions in both libraries; heldout-, fresh- and blind-statutes). Writes
results/span_weights.json.
"""

from __future__ import annotations

import argparse
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

from evaluation.answers import answer_metrics
from evaluation.calibrate import choose_threshold, decisions
from evaluation.calibration_report import QUESTIONS, fit_questions
from evaluation.gold import GoldQuestion, load_gold
from evaluation.judge import normalise, quote_found
from evaluation.libraries import LIBRARIES, prepare_library
from service.answering.extractive import AnswerConfig, ScoredSpan
from service.settings import PROJECT_ROOT, Settings

log = logging.getLogger(__name__)
# never fitted on (heldout-, fresh- and blind-statutes were read for general readings on 2026-12-06;
# sealed-statutes never read)
HELD_OUT = ("heldout-statutes", "fresh-statutes", "blind-statutes", "sealed-statutes")
MIN_PART = 8
L2_GRID = (
    0.01,
    0.03,
    0.1,
    0.3,
    1.0,
    3.0,
    10.0,
    30.0,
    100.0,
)  # a span inside a gold quote counts as holding it when it has at least this many characters


@dataclass(frozen=True)
class Candidates:
    """One question's candidate spans: signals (n x 5), off-scope factors (n), which hold a gold quote."""

    signals: np.ndarray
    factors: np.ndarray
    gold: np.ndarray


def holds_gold(span_text: str, span_doc: str, question: GoldQuestion) -> bool:
    """A span holds a gold answer when it is from the answer's document and contains the quote (the
    judge's rule) or is a part of it (a quote of several sentences is held by each of them)."""
    part = normalise(span_text)
    return any(
        span_doc == a.doc
        and (quote_found(a.quote, span_text) or (len(part) >= MIN_PART and part in normalise(a.quote)))
        for a in question.answers
    )


def candidates(engine, questions: Sequence[GoldQuestion]) -> list[Candidates]:
    """The spans the answerer scores for each answerable question (as ``engine.ask`` would), labelled;
    questions none of whose spans holds the gold quote teach nothing about weights and are left out."""
    answerer = engine.answerer
    seen: list[list[ScoredSpan]] = []
    original = answerer.score_spans

    def recording(*args, **kwargs):
        out = original(*args, **kwargs)
        seen.append(out)
        return out

    answerer.score_spans = recording
    try:
        out = []
        for q in questions:
            if not q.answerable:
                continue
            seen.clear()
            engine.ask(q.question)
            spans = seen[0] if seen else []
            if not spans or any(s.signals is None or s.signals[4] is None for s in spans):
                continue
            gold = np.array([holds_gold(s.span.text, s.span.chunk.source, q) for s in spans])
            if gold.any() and not gold.all():
                out.append(
                    Candidates(
                        np.array([s.signals for s in spans], dtype=np.float64),
                        np.array([s.factor for s in spans], dtype=np.float64),
                        gold,
                    )
                )
        return out
    finally:
        del answerer.score_spans  # the instance attribute goes; the method is the class's again


def log_likelihood(w: np.ndarray, data: Sequence[Candidates]) -> tuple[float, np.ndarray]:
    """Sum over questions of log P(a gold span | the question's spans) and its gradient in w (pure)."""
    total, grad = 0.0, np.zeros_like(w)
    for c in data:
        x = c.signals * c.factors[:, None]
        z = x @ w
        z = z - z.max()
        p = np.exp(z)
        p_all = p / p.sum()
        p_gold = p * c.gold
        p_gold = p_gold / p_gold.sum()
        total += float(np.log((np.exp(z) * c.gold).sum()) - np.log(np.exp(z).sum()))
        grad += p_gold @ x - p_all @ x
    return total, grad


def fit_weights(data: Sequence[Candidates], l2: float = 0.01) -> np.ndarray:
    """The non-negative w maximising the penalised log-likelihood (L-BFGS-B)."""

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        ll, g = log_likelihood(w, data)
        return -ll + l2 * float(w @ w), -g + 2 * l2 * w

    start = np.full(5, 1.0)
    result = minimize(loss, start, jac=True, method="L-BFGS-B", bounds=[(0.0, None)] * 5)
    return result.x


def as_weights(w: np.ndarray) -> tuple[float, float, float, float, float]:
    """Raw weights scaled to sum 1, rounded (pure)."""
    total = float(w.sum()) or 1.0
    return tuple(round(float(x) / total, 4) for x in w)  # type: ignore[return-value]


def top_holds_gold(w: np.ndarray, data: Sequence[Candidates]) -> float:
    """Share of questions whose best-scoring span under ``w`` holds the gold quote (ties: first)."""
    if not data:
        return 0.0
    return sum(bool(c.gold[int(np.argmax((c.signals * c.factors[:, None]) @ w))]) for c in data) / len(data)


def cross_fit(data: dict[str, Sequence[Candidates]], l2: float) -> dict[str, tuple[int, float]]:
    """Each set judged by weights fitted on the others: (questions whose best span holds the gold
    quote, mean log-likelihood) per judged set."""
    out = {}
    for test, judged in data.items():
        w = fit_weights([c for n, d in data.items() if n != test for c in d], l2)
        hits = round(top_holds_gold(w, judged) * len(judged))
        out[test] = (hits, round(log_likelihood(w, judged)[0] / max(1, len(judged)), 4))
    return out


def choose_l2(data: dict[str, Sequence[Candidates]], grid: Sequence[float]) -> tuple[float, dict]:
    """The penalty whose weights, fitted on one set, best pick the gold span on the other: most
    questions right in all, then the highest summed log-likelihood, then the larger penalty (the
    weights nearer equal)."""
    table = {l2: cross_fit(data, l2) for l2 in grid}
    key = lambda l2: (  # noqa: E731
        sum(h for h, _ in table[l2].values()),
        sum(ll for _, ll in table[l2].values()),
        l2,
    )
    return max(grid, key=key), table


def answer_figures(engines: dict, weights, fit: list[GoldQuestion], sets: dict) -> dict:
    """Answer metrics with ``weights``, the threshold refitted on ``fit`` in seeds + laws."""
    for engine in engines.values():
        engine.answerer.config = replace(engine.answerer.config, weights=tuple(weights))
    rows = decisions(engines["seeds+laws"], fit)
    threshold, _ = choose_threshold([(t, c) for t, ok, c in rows if ok or not t])
    for engine in engines.values():
        engine.answerer.config = replace(engine.answerer.config, threshold=threshold)
    out = {"threshold": threshold}
    for name, (library, questions) in sets.items():
        m, _ = answer_metrics(engines[library], questions)
        out[name] = {k: m[k] for k in ("contains_gold", "unanswerable_declined", "answerable_declined")}
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--out", type=Path, default=PROJECT_ROOT / "results" / "span_weights.json")
    args = ap.parse_args()
    logging.basicConfig(level=logging.WARNING)
    settings = Settings()
    engines = {name: prepare_library(settings, LIBRARIES[name]) for name in ("seeds+laws", "seeds")}
    fit_sets = fit_questions()
    shipped_weights = AnswerConfig().weights
    for engine in engines.values():  # candidates scored with the shipped weights (the prior ranking)
        engine.answerer.config = replace(engine.answerer.config, weights=shipped_weights)
    data = {name: candidates(engines["seeds+laws"], qs) for name, qs in fit_sets.items()}
    shipped = np.array(shipped_weights)
    l2, table = choose_l2(data, L2_GRID)
    shipped_right = {n: round(top_holds_gold(shipped, d) * len(d)) for n, d in data.items()}
    learned = as_weights(fit_weights([c for d in data.values() for c in d], l2))
    report = {
        "questions_with_a_gold_span": {n: len(d) for n, d in data.items()},
        "shipped_top_span_holds_gold": shipped_right,
        "cross_fit": {str(k): v for k, v in table.items()},
        "l2": l2,
        "learned": learned,
        "shipped": shipped_weights,
    }
    fit = [q for qs in fit_sets.values() for q in qs]
    seeds_own = load_gold(QUESTIONS / "seeds-own.jsonl")
    sets = {
        **{n: ("seeds+laws", qs) for n, qs in fit_sets.items()},
        **{n: ("seeds+laws", load_gold(QUESTIONS / f"{n}.jsonl")) for n in HELD_OUT},
        "seeds-own (seeds)": ("seeds", seeds_own),
        "seeds-own (seeds+laws)": ("seeds+laws", seeds_own),
    }
    report["answers"] = {
        "shipped": answer_figures(engines, shipped_weights, fit, sets),
        "learned": answer_figures(engines, learned, fit, sets),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=1))
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
        return
    print(f"questions with a gold span among the candidates: {report['questions_with_a_gold_span']}")
    print(f"shipped weights: the best span holds the gold quote in {shipped_right}")
    for k, row in table.items():
        print(f"penalty {k}: fitted on the other set, best span holds gold / mean log-likelihood {row}")
    print(f"chosen penalty {l2}; fitted on both sets: {learned} (shipped {shipped_weights})")
    print("| weights | threshold | " + " | ".join(sets) + " |")
    print("| --- | --- |" + " --- |" * len(sets))
    for label, fig in report["answers"].items():
        cells = " | ".join(
            f"{fig[n]['contains_gold']:.3f} / {fig[n]['unanswerable_declined']:.3f} / {fig[n]['answerable_declined']:.3f}"
            for n in sets
        )
        print(f"| {label} | {fig['threshold']} | {cells} |")


if __name__ == "__main__":
    main()
