"""Run gold questions through the engine's public API, mode by mode, and measure them."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from tqdm import tqdm

from evaluation.gold import GoldQuestion
from evaluation.judge import first_hit_rank, quote_found
from evaluation.metrics import RETRIEVAL_METRICS, by_group, ranked_run, ranx_scores
from evaluation.modes import ModeSpec
from service.engine import Engine

log = logging.getLogger(__name__)


@dataclass
class QuestionRun:
    id: str
    type: str
    question: str
    retrieved: list[dict[str, Any]]
    first_hit: int | None
    latency_ms: float


@dataclass
class ModeResult:
    mode: str
    metrics: dict[str, float]
    by_type: dict[str, dict[str, float]]
    latency_ms: dict[str, float]
    runs: list[QuestionRun] = field(default_factory=list)
    by_wording: dict[str, dict[str, float]] = field(default_factory=dict)
    answers: dict[str, Any] | None = None  # answer metrics (evaluation.answers), on the default mode
    answer_rows: list[dict[str, Any]] = field(default_factory=list)  # one judged answer per question


def relevant_chunks(engine: Engine, questions: list[GoldQuestion]) -> dict[str, dict[str, int]]:
    """Every indexed chunk that is a hit for one of the question's answers (the gold hit rule)."""
    by_source: dict[str, list] = {}
    for c in engine.retriever.chunks:
        by_source.setdefault(c.source, []).append(c)
    qrels: dict[str, dict[str, int]] = {}
    for q in questions:
        rel = {}
        for a in q.answers:
            for c in by_source.get(a.doc, []):
                if quote_found(a.quote, c.text):
                    rel[c.chunk_id] = 1
        qrels[q.id] = rel
    return qrels


def clear_query_cache(embedder) -> None:
    """Each mode is timed from a cold query-vector cache, so no mode borrows another's embeddings."""
    clear = getattr(embedder, "clear_query_cache", None)
    if clear is not None:
        clear()


def percentiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {"p50": 0.0, "p95": 0.0}
    arr = np.asarray(values)
    return {"p50": round(float(np.percentile(arr, 50)), 2), "p95": round(float(np.percentile(arr, 95)), 2)}


def run_mode(
    engine: Engine,
    questions: list[GoldQuestion],
    spec: ModeSpec,
    qrels: dict[str, dict[str, int]],
    k: int = 10,
    progress: bool = False,
) -> ModeResult:
    runs: list[QuestionRun] = []
    clear_query_cache(engine.embedder)
    for q in tqdm(questions, desc=spec.name, unit="q", disable=not progress):
        started = time.perf_counter()
        result = engine.search(
            q.question,
            k=k,
            mode=spec.mode,
            understanding=spec.understanding,
            fusion=spec.fusion,
            sparse_weight=spec.sparse_weight,
        )  # type: ignore[arg-type]
        latency = (time.perf_counter() - started) * 1000
        retrieved = [
            {
                "rank": h.rank,
                "chunk_id": h.chunk.chunk_id,
                "source": h.chunk.source,
                "section": list(h.chunk.section),
                "text": h.chunk.text,
            }
            for h in result.hits
        ]
        first = (
            first_hit_rank([(r["source"], r["text"]) for r in retrieved], q.answers) if q.answers else None
        )
        runs.append(QuestionRun(q.id, q.type, q.question, retrieved, first, round(latency, 2)))
    run = {r.id: ranked_run([x["chunk_id"] for x in r.retrieved]) for r in runs}
    answerable = {q.id: qrels[q.id] for q in questions if q.answerable}
    # a question whose quote is in no chunk (should not happen) still counts as a miss
    for qid, rel in answerable.items():
        if not rel:
            answerable[qid] = {"__missing__": 1}
    groups = {q.id: q.type for q in questions if q.answerable}
    wordings = {q.id: q.wording for q in questions if q.answerable and q.wording}
    return ModeResult(
        mode=spec.name,
        metrics=ranx_scores(answerable, run, RETRIEVAL_METRICS),
        by_type=by_group(groups, answerable, run, RETRIEVAL_METRICS),
        latency_ms=percentiles([r.latency_ms for r in runs]),
        runs=runs,
        by_wording=by_group(wordings, answerable, run, RETRIEVAL_METRICS) if wordings else {},
    )
