"""STARD (Su et al., EMNLP 2024 Findings; MIT): layperson legal questions -> statute articles.

The 60,727-article corpus in shared/bench/stard is indexed as statutes: one article a chunk, its law
as the title and the article name as the section (the heading context). Passage vectors are cached
by model and text, so a second run only searches. Metrics are true recall (share of a question's
gold articles in the top k) and MRR@10, from ranx, on the training questions.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

from tqdm import tqdm

from evaluation.harness import pick_modes, results_folder
from evaluation.metrics import ranked_run
from evaluation.report import machine, markdown, write_results
from evaluation.runner import ModeResult, QuestionRun, clear_query_cache, percentiles
from index.adaptation.model import AdaptedEmbedder
from index.adaptation.stard import is_validation, load_articles, load_queries
from index.embeddings import Embedder, SentenceTransformerEmbedder, VectorCache, embed_with_cache
from index.records import embedding_text, sparse_text
from index.retriever import HybridRetriever
from index.sentences import SentenceVectors, sentence_layout
from index.store import IndexData, make_manifest
from index.tokenizer import ChineseTokenizer
from service.engine import Engine
from service.settings import PROJECT_ROOT, Settings

log = logging.getLogger(__name__)
STARD_DIR = PROJECT_ROOT.parent / "shared" / "bench" / "stard"
STARD_METRICS = ("recall@1", "recall@5", "recall@10", "recall@20", "recall@100", "mrr@10")
SPLITS = ("validation", "train", "all")
STARD_MODES = ("bm25", "dense", "hybrid-rrf", "hybrid-weighted", "hybrid-weighted-0.2-noqu")
REFERENCE = {
    "BM25 (NOTES.md, train)": {"R@10": 0.436, "R@100": 0.626, "MRR@10": 0.350},
    "BM25 (issue text, before the id fix)": {"R@10": 0.437, "R@100": 0.654},
    "paper's best method": {"R@100": 0.907},
}
LABELS = {
    "recall@1": "R@1",
    "recall@5": "R@5",
    "recall@10": "R@10",
    "recall@20": "R@20",
    "recall@100": "R@100",
    "mrr@10": "MRR@10",
}


def build_stard_index(settings: Settings, progress: bool) -> tuple[IndexData, Embedder, ChineseTokenizer]:
    chunks, docs = load_articles(STARD_DIR)
    tokenizer = ChineseTokenizer()
    embedder = SentenceTransformerEmbedder(settings.embedding())
    # the same query adapter as the service (POLICYQA_ADAPTER), passages unchanged
    adapter = Engine(settings).adapter_for(embedder)
    if adapter is not None:
        embedder = AdaptedEmbedder(embedder, adapter)
    started = time.perf_counter()
    tokens = [
        tokenizer(sparse_text(c)) for c in tqdm(chunks, desc="tokenise", unit="article", disable=not progress)
    ]
    log.info("tokenised %d articles in %.1f s", len(chunks), time.perf_counter() - started)
    cache = VectorCache(settings.cache_dir / "vectors.sqlite")
    sentences = None
    try:
        vectors = embed_with_cache(
            embedder, [embedding_text(c) for c in chunks], cache, progress=progress, chunk=2048
        )
        if settings.sentence_vectors:  # as the service scores passages (index.sentences)
            # every STARD text is a statute article, a legal norm: no clauses (index.sentences.cuts_clauses);
            # its rebuilt corpus records no document type to read that from (民法典 names none)
            units = sentence_layout(chunks, clauses=False)
            found = embed_with_cache(embedder, units.texts, cache, progress=progress, chunk=2048)
            sentences = SentenceVectors(found, units.starts, units.spans, units.whole)
    finally:
        cache.close()
    manifest = make_manifest(embedder.name, embedder.dim, tokenizer.version, "stard", len(docs), len(chunks))
    data = IndexData(manifest, docs, chunks, tokens, vectors, sentences=sentences)
    return data, embedder, tokenizer


def evaluate_modes(
    retriever: HybridRetriever,
    queries: list[dict[str, Any]],
    qrels: dict[str, dict[str, int]],
    specs: list,
    progress: bool = False,
) -> list[ModeResult]:
    """Recall@k and MRR@10 (ranx) of each mode over the questions, with search latency."""
    from ranx import Qrels, Run, evaluate

    results: list[ModeResult] = []
    for spec in specs:
        runs, latencies = [], []
        run: dict[str, dict[str, float]] = {}
        clear_query_cache(retriever.embedder)
        for q in tqdm(queries, desc=spec.name, unit="q", disable=not progress):
            started = time.perf_counter()
            res = retriever.search(
                q["text"][:500],
                k=100,
                mode=spec.mode,
                understanding=spec.understanding,
                fusion=spec.fusion,
                sparse_weight=spec.sparse_weight,
            )  # type: ignore[arg-type]
            latencies.append((time.perf_counter() - started) * 1000)
            ids = [h.chunk.chunk_id for h in res.hits]
            run[str(q["query_id"])] = ranked_run(ids)
            gold = qrels[str(q["query_id"])]
            first = next((i + 1 for i, d in enumerate(ids) if d in gold), None)
            runs.append(
                QuestionRun(
                    str(q["query_id"]),
                    "stard",
                    q["text"],
                    [{"chunk_id": d} for d in ids[:10]],
                    first,
                    latencies[-1],
                )
            )
        qids = [str(q["query_id"]) for q in queries]
        scores = evaluate(
            Qrels({k: qrels[k] for k in qids}),
            Run({k: run[k] or {"__none__": 0.0} for k in qids}),
            list(STARD_METRICS),
        )
        results.append(
            ModeResult(
                spec.name, {m: float(scores[m]) for m in STARD_METRICS}, {}, percentiles(latencies), runs
            )
        )
    return results


def run_stard(
    settings: Settings,
    modes: list[str] | None,
    out_dir: Path | None,
    limit: int | None = None,
    progress: bool = False,
    split: str = "validation",
) -> tuple[dict[str, Any], Path]:
    """STARD train questions: ``validation`` (about held-out laws, never trained on: the default), ``train`` (what
    the query adapter learns from: optimistic) or ``all``."""
    if not (STARD_DIR / "corpus.jsonl").exists():
        raise FileNotFoundError(f"{STARD_DIR} not found: STARD lives in shared/bench/stard")
    data, embedder, tokenizer = build_stard_index(settings, progress)
    retrieval = settings.retrieval()
    from dataclasses import replace

    retriever = HybridRetriever(
        data,
        embedder,
        tokenizer,
        replace(retrieval, candidates=max(retrieval.candidates, 300)),
        settings.dense(),
    )
    queries, qrels = load_queries(STARD_DIR)
    if split not in SPLITS:
        raise ValueError(f"unknown STARD split {split!r}; splits: {', '.join(SPLITS)}")
    if split != "all":
        law_of = {c.chunk_id: c.doc_id for c in data.chunks}
        queries = [
            q
            for q in queries
            if is_validation(q["query_id"], qrels[str(q["query_id"])], law_of, "query")
            == (split == "validation")
        ]
    queries = queries[:limit]
    results = evaluate_modes(retriever, queries, qrels, pick_modes(modes or list(STARD_MODES)), progress)
    summary = {
        "title": f"STARD {split} split ({len(queries)} questions, {len(data.chunks)} articles)",
        "split": split,
        "gold": str(STARD_DIR),
        "date": time.strftime("%Y-%m-%d", time.gmtime()),
        "machine": machine(),
        "model": embedder.name,
        "modes": {
            r.mode: {
                "metrics": {LABELS[k]: round(v, 4) for k, v in r.metrics.items()},
                "by_type": {},
                "latency_ms": r.latency_ms,
            }
            for r in results
        },
        "reference": REFERENCE,
    }
    folder = write_results(results_folder(out_dir, "stard"), summary, results, summary["title"])
    ref_lines = [
        "",
        "## Reference figures (shared/bench/stard/NOTES.md)",
        "",
        "| system | R@10 | R@100 | MRR@10 |",
        "|---|---|---|---|",
    ]
    for name, figs in REFERENCE.items():
        ref_lines.append(
            f"| {name} | {figs.get('R@10', '')} | {figs.get('R@100', '')} | {figs.get('MRR@10', '')} |"
        )
    (folder / "report.md").write_text(
        markdown(summary, summary["title"]) + "\n".join(ref_lines) + "\n", encoding="utf-8"
    )
    return summary, folder


__all__ = ["run_stard"]
