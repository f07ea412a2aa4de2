"""Top-k selection over a score vector (shared by the dense and sparse sides)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


def top_k(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k highest scores, best first (ties keep index order)."""
    k = min(k, scores.size)
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    part = np.argpartition(-scores, k - 1)[:k]
    return part[np.argsort(-scores[part], kind="stable")]


def top_k_among(scores: np.ndarray, rows: np.ndarray, k: int, repeats: int = 1) -> np.ndarray:
    """The k highest-scoring of ``rows`` with a positive score, best first (ties: the lower row first).

    ``rows`` may name a row up to ``repeats`` times (a row is in several query terms' posting lists):
    the best ``k * repeats`` entries are sure to hold the best k distinct rows. A sparse query touches a
    few percent of a large collection, so this reads those rows only instead of every score.

    >>> top_k_among(np.array([0.0, 3.0, 1.0, 2.0, 0.0]), np.array([1, 3, 1, 2, 4, 3]), 2, repeats=2)
    array([1, 3])
    """
    rows = np.asarray(rows, dtype=np.int64)
    values = scores[rows]
    keep = values > 0
    rows, values = rows[keep], values[keep]
    take = k * max(1, repeats)
    if rows.size > take:  # everything at or above the take-th best value: ties all stay in
        keep = values >= np.partition(values, rows.size - take)[rows.size - take]
        rows, values = rows[keep], values[keep]
    rows, first = np.unique(rows, return_index=True)  # sorted by row: ties keep row order below
    values = values[first]
    order = np.argsort(-values, kind="stable")[:k]
    return rows[order]


def top_k_within(
    allowed: np.ndarray,
    k: int,
    score_rows: Callable[[np.ndarray], np.ndarray],
    score_all: Callable[[], np.ndarray],
) -> tuple[np.ndarray, np.ndarray]:
    """(rows, scores) of the k best rows of the boolean mask ``allowed``, best first, scored exactly.

    Where the cost lies: below a quarter of the rows, gathering the allowed rows' vectors and scoring
    them (``score_rows``) is cheaper; above it, one pass over every row (``score_all``), masked, beats
    copying most of them.

    >>> scores = np.array([0.1, 0.9, 0.5, 0.7])
    >>> top_k_within(np.array([True, False, True, True]), 2, lambda r: scores[r], lambda: scores)
    (array([3, 2]), array([0.7, 0.5]))
    >>> top_k_within(np.array([False, False, True, False, False]), 2, lambda r: scores[r], lambda: scores)
    (array([2]), array([0.5]))
    """
    rows = np.flatnonzero(allowed)
    if 4 * rows.size < allowed.size:
        scores = score_rows(rows)
        top = top_k(scores, k)
        return rows[top], scores[top]
    every = np.where(allowed, score_all(), -np.inf)
    top = top_k(every, min(k, rows.size))
    return top.astype(np.int64), every[top]
