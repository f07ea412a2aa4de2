"""Hard negatives for contrastive training: passages a retriever ranks high that are not relevant.

Pure: takes ranked rows per retriever and the relevant rows, returns the negatives, interleaving the
retrievers so that both BM25's and the dense model's confusions are represented.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np


def interleave_negatives(runs: Sequence[Sequence[int]], relevant: Iterable[int], n: int) -> list[int]:
    """Up to ``n`` distinct rows, taken in turn from each ranked run, skipping relevant rows.

    >>> interleave_negatives([[1, 2, 3], [2, 4, 5]], relevant={2}, n=4)
    [1, 4, 3, 5]
    """
    relevant = set(relevant)
    out: list[int] = []
    seen: set[int] = set()
    depth = max((len(r) for r in runs), default=0)
    for i in range(depth):
        for run in runs:
            if i < len(run):
                row = int(run[i])
                if row not in relevant and row not in seen:
                    seen.add(row)
                    out.append(row)
                    if len(out) == n:
                        return out
    return out


def top_rows(scores: np.ndarray, k: int) -> list[int]:
    """Rows of the k highest scores, best first (ties by row)."""
    k = min(k, scores.shape[0])
    part = np.argpartition(-scores, k - 1)[:k]
    return [int(r) for r in sorted(part, key=lambda r: (-scores[r], r))]
