"""How sure a figure is, and whether a change moved it: bootstrap intervals over questions and a paired
sign test between two runs of the same questions.

Most decisions in this project are made on a few hundred questions, where one question is 0.3 to 2.5
points. An interval says how far a figure could move with another draw of questions of the same kind;
a paired comparison counts the questions a change won and lost and asks whether that split could be
chance (the exact binomial sign test; for yes/no outcomes such as a hit in the top 5 it is McNemar's
exact test).

    python -m evaluation.significance RESULTS_DIR [OTHER_RESULTS_DIR] --gold FILE [--mode MODE]

RESULTS_DIR is the folder `policyqa eval --out` writes (runs.jsonl, answers.jsonl). With one folder it
prints each figure with its 95% interval; with two, the paired difference (second minus first) of the
questions both answered.
"""

from __future__ import annotations

import argparse
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import stats

from evaluation.gold import load_gold

log = logging.getLogger(__name__)
LEVEL = 0.95
RESAMPLES = 2000


def interval(
    values: Sequence[float], level: float = LEVEL, resamples: int = RESAMPLES
) -> tuple[float, float]:
    """The percentile bootstrap interval of the mean of ``values`` (resampled questions, a fixed seed so
    a report does not change between runs). Constant values give a zero-width interval.

    >>> interval([1.0, 1.0, 1.0])
    (1.0, 1.0)
    >>> low, high = interval([1, 0] * 50)
    >>> 0.39 < low < 0.45 and 0.55 < high < 0.61
    True
    """
    arr = np.asarray(values, dtype=float)
    if arr.size == 0:
        return (0.0, 0.0)
    if np.all(arr == arr[0]):
        return (float(arr[0]), float(arr[0]))
    result = stats.bootstrap(
        (arr,), np.mean, n_resamples=resamples, confidence_level=level, method="percentile", random_state=0
    )
    return (float(result.confidence_interval.low), float(result.confidence_interval.high))


@dataclass(frozen=True)
class Paired:
    """Second run minus first on the same questions."""

    n: int
    difference: float  # mean of the per-question differences
    low: float  # its bootstrap interval
    high: float
    wins: int  # questions where the second run scored higher
    losses: int
    p: float  # exact two-sided sign test of wins against losses (ties left out)


def paired(first: Sequence[float], second: Sequence[float], level: float = LEVEL) -> Paired:
    """The paired comparison of two runs' per-question scores (same questions, same order).

    >>> p = paired([1, 1, 0, 0, 1], [1, 1, 1, 1, 1])
    >>> (p.n, p.difference, p.wins, p.losses, round(p.p, 3))
    (5, 0.4, 2, 0, 0.5)
    """
    a, b = np.asarray(first, dtype=float), np.asarray(second, dtype=float)
    if a.shape != b.shape:
        raise ValueError("the two runs must score the same questions")
    diff = b - a
    wins, losses = int((diff > 0).sum()), int((diff < 0).sum())
    low, high = interval(diff, level)
    p = stats.binomtest(wins, wins + losses, 0.5).pvalue if wins + losses else 1.0
    return Paired(len(diff), float(diff.mean()) if len(diff) else 0.0, low, high, wins, losses, float(p))


def question_scores(
    run_rows: Sequence[Mapping], answer_rows: Sequence[Mapping], answerable: Mapping[str, bool]
):
    """Per-question scores of one mode's run: {figure: {question id: score}}.

    R@5 and MRR@10 over answerable questions (from the first relevant rank); gold quote and wrongly
    declined over answerable ones, declined over unanswerable ones (from the judged answers).

    >>> s = question_scores(
    ...     [{"id": "a", "first_hit": 2}, {"id": "b", "first_hit": None}, {"id": "u", "first_hit": None}],
    ...     [{"id": "a", "contains_gold": True, "answerable": True},
    ...      {"id": "u", "contains_gold": False, "answerable": False}],
    ...     {"a": True, "b": True, "u": False},
    ... )
    >>> s["R@5"], s["MRR@10"], s["gold quote"], s["unanswerable declined"]
    ({'a': 1.0, 'b': 0.0}, {'a': 0.5, 'b': 0.0}, {'a': 1.0}, {'u': 1.0})
    """
    scores: dict[str, dict[str, float]] = {
        k: {} for k in ("R@5", "MRR@10", "gold quote", "unanswerable declined", "answerable declined")
    }
    for row in run_rows:
        if not answerable.get(row["id"]):
            continue
        rank = row["first_hit"]
        scores["R@5"][row["id"]] = float(rank is not None and rank <= 5)
        scores["MRR@10"][row["id"]] = 1.0 / rank if rank is not None and rank <= 10 else 0.0
    for row in answer_rows:
        qid = row["id"]
        if answerable.get(qid):
            scores["gold quote"][qid] = float(row["contains_gold"])
            scores["answerable declined"][qid] = float(not row["answerable"])
        elif qid in answerable:
            scores["unanswerable declined"][qid] = float(not row["answerable"])
    return scores


def read_results(folder: Path, answerable: Mapping[str, bool], mode: str = "hybrid-weighted"):
    """Per-question scores from an eval output folder (runs.jsonl, and answers.jsonl when present)."""
    runs = [r for r in _jsonl(folder / "runs.jsonl") if r["mode"] == mode]
    answers = [r for r in _jsonl(folder / "answers.jsonl") if r.get("mode", mode) == mode]
    if not runs:
        raise ValueError(f"{folder}: no run of mode {mode!r}")
    return question_scores(runs, answers, answerable)


def _jsonl(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def report(first: Mapping[str, Mapping[str, float]], second: Mapping | None = None) -> list[str]:
    """Lines: each figure with its interval, or (with ``second``) the paired difference."""
    lines = []
    for figure, scores in first.items():
        if not scores:
            continue
        if second is None:
            values = list(scores.values())
            low, high = interval(values)
            lines.append(f"{figure}: {np.mean(values):.3f} [{low:.3f}, {high:.3f}] (n={len(values)})")
            continue
        common = sorted(set(scores) & set(second.get(figure, {})))
        if not common:
            continue
        p = paired([scores[q] for q in common], [second[figure][q] for q in common])
        lines.append(
            f"{figure}: {np.mean([scores[q] for q in common]):.3f} -> "
            f"{np.mean([second[figure][q] for q in common]):.3f}, difference {p.difference:+.3f} "
            f"[{p.low:+.3f}, {p.high:+.3f}], higher on {p.wins} questions, lower on {p.losses}, "
            f"sign test p = {p.p:.3f} (n={p.n})"
        )
    return lines


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("results", nargs="+", type=Path, help="one or two `policyqa eval --out` folders")
    parser.add_argument("--gold", type=Path, required=True, help="the question file both were run on")
    parser.add_argument("--mode", default="hybrid-weighted")
    args = parser.parse_args(argv)
    if len(args.results) > 2:
        parser.error("one or two results folders")
    answerable = {q.id: q.answerable for q in load_gold(args.gold)}
    scores = [read_results(folder, answerable, args.mode) for folder in args.results]
    for line in report(scores[0], scores[1] if len(scores) == 2 else None):
        print(line)


if __name__ == "__main__":
    main()
