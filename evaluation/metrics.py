"""Retrieval metrics computed by ranx, per question type and overall.

Relevance follows the gold hit rule: every indexed chunk that is a hit for one of a question's
answers is relevant. "Recall@k" in the gold README means a hit in the top k, which ranx calls
``hit_rate@k``; MRR@10 and nDCG@10 are ranx's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from ranx import Qrels, Run, evaluate

RETRIEVAL_METRICS = ("hit_rate@1", "hit_rate@3", "hit_rate@5", "hit_rate@10", "mrr@10", "ndcg@10")
LABELS = {
    "hit_rate@1": "R@1",
    "hit_rate@3": "R@3",
    "hit_rate@5": "R@5",
    "hit_rate@10": "R@10",
    "mrr@10": "MRR@10",
    "ndcg@10": "nDCG@10",
}


def ranx_scores(
    qrels: dict[str, dict[str, int]], run: dict[str, dict[str, float]], metrics: Iterable[str]
) -> dict[str, float]:
    """Mean of each metric over the questions that have relevant chunks."""
    metrics = list(metrics)
    qids = [q for q in qrels if qrels[q]]
    if not qids:
        return dict.fromkeys(metrics, 0.0)
    q = Qrels({k: qrels[k] for k in qids})
    r = Run({k: run.get(k) or {"__none__": 0.0} for k in qids})
    result = evaluate(q, r, metrics, make_comparable=True)
    if isinstance(result, float):
        result = {metrics[0]: result}
    return {m: float(result[m]) for m in metrics}


def by_group(
    groups: dict[str, str],
    qrels: dict[str, dict[str, int]],
    run: dict[str, dict[str, float]],
    metrics: Iterable[str],
) -> dict[str, dict[str, float]]:
    metrics = list(metrics)
    members: dict[str, list[str]] = defaultdict(list)
    for qid, group in groups.items():
        if qrels.get(qid):
            members[group].append(qid)
    return {
        g: {**ranx_scores({q: qrels[q] for q in qs}, {q: run.get(q, {}) for q in qs}, metrics), "n": len(qs)}
        for g, qs in sorted(members.items())
    }


def ranked_run(chunk_ids: list[str]) -> dict[str, float]:
    """A ranked list as a ranx run: strictly decreasing scores keep the order."""
    return {cid: float(len(chunk_ids) - i) for i, cid in enumerate(chunk_ids)}
