"""Answer metrics: the answer contains a gold quote; citations are verbatim at their offsets;
unanswerable questions are declined; answerable ones are not wrongly declined."""

from __future__ import annotations

import time
from typing import Any

from tqdm import tqdm

from evaluation.gold import GoldQuestion
from evaluation.judge import is_hit, quote_found
from evaluation.runner import percentiles


def judge_answer(q: GoldQuestion, body: dict[str, Any], document_text) -> dict[str, Any]:
    answer = body["answer"]
    judged = q.answerable and body["answerable"]
    # each gold quote: held in the answer, or cited verbatim (a table row shown as fields)
    held = [quote_found(a.quote, answer) for a in q.answers] if judged else []
    cited = (
        [any(is_hit(c["source"], c["quote"], a) for c in body["citations"]) for a in q.answers]
        if judged
        else []
    )
    contains = any(held)
    verbatim = all(document_text(c["doc_id"])[c["start"] : c["end"]] == c["quote"] for c in body["citations"])
    # the measure: any gold quote held or cited; a comparison is whole when every one is (each side)
    sides = [h or c for h, c in zip(held, cited, strict=True)]
    cites, every = any(sides), bool(sides) and all(sides)
    return {
        "answerable": body["answerable"],
        "contains_gold": contains,
        "holds_or_cites_gold": bool(cites),
        "holds_every_gold": bool(every),
        "citations_verbatim": verbatim,
        "n_citations": len(body["citations"]),
    }


def answer_metrics(
    engine, questions: list[GoldQuestion], progress: bool = False
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    from evaluation.runner import clear_query_cache
    from service.engine import answer_body

    clear_query_cache(engine.embedder)
    rows, latencies = [], []
    text_of = lambda doc_id: engine.documents[doc_id].text  # noqa: E731
    for q in tqdm(questions, desc="answers", unit="q", disable=not progress):
        started = time.perf_counter()
        body = answer_body(engine.ask(q.question))
        latencies.append((time.perf_counter() - started) * 1000)
        rows.append(
            {
                "id": q.id,
                "question": q.question,
                "type": q.type,
                **judge_answer(q, body, text_of),
                "answer": body["answer"],
            }
        )
    answerable = [r for r, q in zip(rows, questions, strict=True) if q.answerable]
    unanswerable = [r for r, q in zip(rows, questions, strict=True) if not q.answerable]
    metrics = {
        "contains_gold": round(sum(r["contains_gold"] for r in answerable) / max(1, len(answerable)), 4),
        "holds_or_cites_gold": round(
            sum(r["holds_or_cites_gold"] for r in answerable) / max(1, len(answerable)), 4
        ),
        "citations_verbatim": round(sum(r["citations_verbatim"] for r in rows) / max(1, len(rows)), 4),
        "unanswerable_declined": round(
            sum(not r["answerable"] for r in unanswerable) / max(1, len(unanswerable)), 4
        ),
        "answerable_declined": round(
            sum(not r["answerable"] for r in answerable) / max(1, len(answerable)), 4
        ),
        "latency_ms": percentiles(latencies),
        "answerable_questions": len(answerable),
        "unanswerable_questions": len(unanswerable),
    }
    by_type: dict[str, list[bool]] = {}
    for r in answerable:
        by_type.setdefault(r["type"], []).append(r["contains_gold"])
    metrics["contains_gold_by_type"] = {t: round(sum(v) / len(v), 4) for t, v in sorted(by_type.items())}
    compared = [r for r in answerable if r["type"] == "compare"]
    if compared:
        metrics["compare_every_side"] = round(sum(r["holds_every_gold"] for r in compared) / len(compared), 4)
    return metrics, rows


def attach_answer_metrics(engine, questions, results, progress: bool = False) -> None:
    """Answers are produced by the configured default mode; the metrics ride on that mode's result."""
    metrics, rows = answer_metrics(engine, questions, progress=progress)
    default = next((r for r in results if r.mode == "hybrid-weighted"), results[0] if results else None)
    if default is not None:
        default.answers = metrics
        default.answer_rows = rows
