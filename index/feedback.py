"""Pseudo-relevance feedback on the sparse side: the first search's best passages lend their words.

A question in everyday words ("查企业的人不懂行") shares few terms with the passage that answers it
("执法人员专业性不足"), so BM25 misses it while the dense side may already rank it, or its
neighbours, near the top. Relevance-model feedback (Lavrenko & Croft 2001; RM3, Abdul-Jaleel et al.
2004) reads the terms that characterise the top passages of a first search and adds them, weighted,
to the lexical query. Here the first search is the fused one, so the dense side's reading of the
question reaches BM25 as the documents' own vocabulary.

Pure functions over token lists; the retriever runs the second BM25 pass.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

__all__ = ["expansion_terms"]


def expansion_terms(
    feedback: Sequence[tuple[Sequence[str], float]],
    idf: Callable[[str], float],
    exclude: set[str],
    n_terms: int,
) -> dict[str, float]:
    """The ``n_terms`` terms that best characterise the feedback passages, weighted to sum to 1.

    ``feedback``: (tokens, weight) of each passage, its weight being how much the first search trusts
    it. A term's score is the relevance model's sum over passages of weight x P(term | passage),
    times the term's idf so that words every passage holds (的, 工作) carry nothing. Terms of one
    character and terms in ``exclude`` (the query's own) are left out.

    >>> expansion_terms([(["执法", "人员", "执法", "能力"], 1.0)], {"执法": 2.0, "人员": 1.0, "能力": 1.0}.get,
    ...                 {"人员"}, 2)
    {'执法': 0.8, '能力': 0.2}
    """
    scores: Counter[str] = Counter()
    for tokens, weight in feedback:
        if not tokens or weight <= 0:
            continue
        counts = Counter(t for t in tokens if len(t) > 1 and t not in exclude)
        for term, tf in counts.items():
            scores[term] += weight * tf / len(tokens)
    weighted = {t: s * max(idf(t), 0.0) for t, s in scores.items()}
    best = sorted(weighted.items(), key=lambda kv: (-kv[1], kv[0]))[:n_terms]
    total = sum(w for _, w in best)
    if total <= 0:
        return {}
    return {t: round(w / total, 12) for t, w in best}
