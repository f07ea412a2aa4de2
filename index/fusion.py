"""Rank fusion: reciprocal-rank fusion and weighted fusion of min-max normalised scores.

Pure functions over ``{doc: score}`` runs (or ranked lists), as in ranx's ``fusion/`` modules.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence

__all__ = ["federated_merge", "min_max", "names_one_collection", "rrf", "standout", "weighted_sum"]


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


def federated_merge(runs: Sequence[Sequence[Hashable]], scores: Mapping[Hashable, float]) -> list[Hashable]:
    """Merge collections searched on their own: each collection's best item first (in the order of
    ``runs``), then every other item by its score within its own collection, best first.

    The first places guarantee what federated search exists for: a large collection (hundreds of
    statutes) cannot bury a small one (a district's own plans). After them, scores that were each
    normalised within their collection (their best near 1) decide, so the collection that holds
    several strong passages shows several, where a strict round-robin would give every other place to
    the other collection's weak ones.

    >>> federated_merge([[1, 2, 3], [7, 8]], {1: 1.0, 2: 0.9, 3: 0.2, 7: 0.8, 8: 0.3})
    [1, 7, 2, 8, 3]
    """
    heads = [run[0] for run in runs if run]
    rest = [item for run in runs for item in run[1:]]
    rest.sort(key=lambda item: -scores[item])  # stable: equal scores keep collection order
    return [*heads, *rest]


def standout(scores: Sequence[float], n: int = 3) -> float:
    """How far a ranked run's best score stands above the next ``n - 1`` (their mean): a score-gap
    query-performance predictor. A collection whose best passage stands out matches something
    specific; one whose top is a plateau of near-equal passages matches only the topic. A run of one
    stands out by nothing.

    >>> standout([1.0, 0.5, 0.3])
    0.6
    >>> standout([1.0, 0.98, 0.97, 0.1])
    0.025
    >>> standout([0.7])
    0.0
    """
    top = list(scores[:n])
    if len(top) < 2:
        return 0.0
    return round(top[0] - sum(top[1:]) / (len(top) - 1), 12)


def names_one_collection(doc_scores: Mapping[str, float], kinds: Mapping[str, str]) -> bool:
    """Whether the documents a question names best (those meeting the most of what it names: a place,
    a year, a type, a title, a 文号) all lie in one collection. Only then does the naming say where to
    look instead of the collections' balance: a title piece that plans and statutes share (安全生产)
    names documents of both, which says nothing about which collection holds the answer.

    >>> kinds = {"plan": "policy", "law": "legal", "act": "legal"}
    >>> names_one_collection({"plan": 2.0, "law": 1.0}, kinds), names_one_collection({"plan": 1.0, "law": 1.0}, kinds)
    (True, False)
    >>> names_one_collection({"law": 1.0, "act": 1.0}, kinds), names_one_collection({}, kinds)
    (True, False)
    """
    if not doc_scores:
        return False
    top = max(doc_scores.values())
    return len({kinds[d] for d, s in doc_scores.items() if s == top}) == 1
