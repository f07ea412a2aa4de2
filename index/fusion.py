"""Rank fusion: reciprocal-rank fusion and weighted fusion of min-max normalised scores.

Pure functions over ``{doc: score}`` runs (or ranked lists), as in ranx's ``fusion/`` modules.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence

__all__ = ["interleave_groups", "min_max", "rrf", "weighted_sum"]


def rrf(
    rankings: Sequence[Sequence[Hashable]], k: int = 60, weights: Sequence[float] | None = None
) -> dict[Hashable, float]:
    """Cormack et al. (2009): score(d) = sum_i w_i / (k + rank_i(d)), ranks counted from 1."""
    weights = weights or [1.0] * len(rankings)
    fused: dict[Hashable, float] = {}
    for ranking, w in zip(rankings, weights, strict=True):
        for rank, doc in enumerate(ranking, start=1):
            fused[doc] = fused.get(doc, 0.0) + w / (k + rank)
    return fused


def min_max(run: Mapping[Hashable, float]) -> dict[Hashable, float]:
    """Scores scaled to [0, 1]; a run whose scores are all equal maps to 1.0."""
    if not run:
        return {}
    lo, hi = min(run.values()), max(run.values())
    if hi == lo:
        return dict.fromkeys(run, 1.0)
    return {d: (s - lo) / (hi - lo) for d, s in run.items()}


def weighted_sum(runs: Sequence[Mapping[Hashable, float]], weights: Sequence[float]) -> dict[Hashable, float]:
    """sum_i w_i * minmax(run_i)(d); a document missing from a run gets 0 from it."""
    fused: dict[Hashable, float] = {}
    for run, w in zip(runs, weights, strict=True):
        for doc, s in min_max(run).items():
            fused[doc] = fused.get(doc, 0.0) + w * s
    return fused


def interleave_groups(order: Sequence[int], group_of: Callable[[int], str]) -> list[int]:
    """Round-robin over groups, each group keeping its own order, starting with the group of the best item.

    Federated search's equal-weight merge: a large collection (hundreds of statutes) cannot bury a
    small one (a district's own plans), and no score scale has to be compared across them.

    >>> interleave_groups([1, 2, 3, 4, 5], lambda r: "a" if r < 4 else "b")
    [1, 4, 2, 5, 3]
    """
    queues: dict[str, list[int]] = {}
    for item in order:
        queues.setdefault(group_of(item), []).append(item)
    if len(queues) < 2:
        return list(order)
    out: list[int] = []
    iters = [iter(q) for q in queues.values()]  # dict order: the group of the best item first
    while iters:
        alive = []
        for it in iters:
            item = next(it, None)
            if item is not None:
                out.append(item)
                alive.append(it)
        iters = alive
    return out
