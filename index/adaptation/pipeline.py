"""`policyqa adapt`: train the query adapter on STARD's training questions (layperson -> statute).

1. split the questions: one in five is validation, never trained on (``split="query"``, by id), or, with
   ``split="law"``, every question about one law in five, whose articles are never negatives either;
2. gather the passage pool: every question's gold articles and its BM25 top candidates over all 60,727
   articles (``pool="all"`` embeds the whole corpus instead: about an hour on 2 CPU cores);
3. embed the pool (cached by text: a second run embeds nothing) and mine hard negatives for each
   training question from its BM25 and dense rankings;
4. train W (index.adaptation.train), keeping the epoch with the best validation recall@10;
5. write the weights and a manifest with the data, seed, hyperparameters and before/after figures.

Nothing here reads the bundled seeds or any gold question: the adapter must help on documents it has
never seen, which is what users load.
"""

from __future__ import annotations

import logging
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

from index.adaptation.mining import interleave_negatives, top_rows
from index.adaptation.model import QueryAdapter, save_adapter
from index.adaptation.stard import is_validation, is_validation_law, load_articles, load_queries
from index.adaptation.train import TrainConfig, recall_at, train_linear_adapter
from index.bm25 import BM25Index
from index.embeddings import Embedder, VectorCache, embed_with_cache
from index.records import embedding_text, sparse_text
from index.tokenizer import ChineseTokenizer

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AdaptConfig:
    bm25_negatives: int = 30  # candidates taken from each retriever before interleaving
    dense_negatives: int = 30
    negatives: int = 40  # hard negatives kept per question
    pool: str = "bm25"  # passages embedded: "bm25" (gold + BM25 top pool_depth per question) or "all"
    pool_depth: int = 20
    split: str = "query"  # "query" (every 5th question) or "law" (every 5th law: unseen documents)
    train: TrainConfig = field(default_factory=TrainConfig)


def _dense_top(queries: np.ndarray, passages: np.ndarray, k: int, block: int = 256) -> list[list[int]]:
    out: list[list[int]] = []
    for start in range(0, len(queries), block):
        sims = queries[start : start + block] @ passages.T
        out.extend(top_rows(row, k) for row in sims)
    return out


def run_adaptation(
    embedder: Embedder,
    stard_dir: Path,
    out_dir: Path,
    cache: VectorCache | None,
    config: AdaptConfig = AdaptConfig(),
    progress: bool = False,
) -> dict[str, Any]:
    started = time.perf_counter()
    all_chunks, _ = load_articles(stard_dir)
    queries, qrels = load_queries(stard_dir)
    tokenizer = ChineseTokenizer()
    tokens = [tokenizer(sparse_text(c)) for c in tqdm(all_chunks, desc="tokenise", disable=not progress)]
    bm25 = BM25Index(tokens)
    depth = max(config.pool_depth, config.bm25_negatives)
    bm25_all = [
        top_rows(bm25.scores(tokenizer(q["text"][:500])), depth)
        for q in tqdm(queries, desc="bm25", disable=not progress)
    ]
    row_of_all = {c.chunk_id: i for i, c in enumerate(all_chunks)}
    if config.pool == "all":
        keep_rows = list(range(len(all_chunks)))
    else:
        wanted = {row_of_all[d] for q in queries for d in qrels[str(q["query_id"])] if d in row_of_all}
        wanted |= {r for run in bm25_all for r in run[: config.pool_depth]}
        keep_rows = sorted(wanted)
    chunks = [all_chunks[r] for r in keep_rows]
    pool_row = {r: i for i, r in enumerate(keep_rows)}
    row_of = {c.chunk_id: i for i, c in enumerate(chunks)}
    passages = embed_with_cache(
        embedder, [embedding_text(c) for c in chunks], cache, progress=progress, chunk=2048
    )
    relevant = [{row_of[d] for d in qrels[str(q["query_id"])] if d in row_of} for q in queries]
    q_vecs = embedder.encode_queries([q["text"][:500] for q in queries])
    law_of = {c.chunk_id: c.doc_id for c in all_chunks}
    held_out = [
        is_validation(q["query_id"], qrels[str(q["query_id"])], law_of, config.split) for q in queries
    ]
    train_ix = [i for i in range(len(queries)) if not held_out[i] and relevant[i]]
    val_ix = [i for i in range(len(queries)) if held_out[i] and relevant[i]]
    unseen = {row_of[c.chunk_id] for c in chunks if config.split == "law" and is_validation_law(c.doc_id)}
    log.info(
        "STARD: %d of %d articles embedded (%s pool), %d training and %d validation questions",
        len(chunks),
        len(all_chunks),
        config.pool,
        len(train_ix),
        len(val_ix),
    )
    sparse_runs = [
        [pool_row[r] for r in bm25_all[i][: config.bm25_negatives] if r in pool_row] for i in train_ix
    ]
    dense_runs = _dense_top(q_vecs[train_ix], passages, config.dense_negatives)
    negatives = [
        interleave_negatives([s, d], relevant[i] | unseen, config.negatives)
        for i, s, d in zip(train_ix, sparse_runs, dense_runs, strict=True)
    ]
    positives = [sorted(relevant[i]) for i in train_ix]

    val_q, val_rel = q_vecs[val_ix], [relevant[i] for i in val_ix]
    identity = np.eye(q_vecs.shape[1], dtype=np.float32)
    before = {f"R@{k}": round(recall_at(val_q, passages, val_rel, identity, k), 4) for k in (10, 100)}
    log.info("validation dense recall before: %s", before)
    result = train_linear_adapter(
        q_vecs[train_ix],
        passages,
        positives,
        negatives,
        config.train,
        validate=lambda w: recall_at(val_q, passages, val_rel, w, 10),
    )
    after = {f"R@{k}": round(recall_at(val_q, passages, val_rel, result.weight, k), 4) for k in (10, 100)}
    log.info("validation dense recall after (epoch %d): %s", result.best_epoch, after)
    manifest = {
        "kind": "linear query adapter (q' = normalise(W q))",
        "data": {
            "source": "STARD train (shared/bench/stard): layperson questions -> statute articles",
            "articles": len(all_chunks),
            "pool": f"{len(chunks)} articles: "
            + ("all" if config.pool == "all" else f"gold + BM25 top {config.pool_depth} of every question"),
            "validation_metric": "dense recall of held-out questions, ranked against the whole pool",
            "training_questions": len(train_ix),
            "validation_questions": len(val_ix),
            "validation_rule": (
                "questions about held-out laws (sha1(law) % 5 == 0), whose articles are never negatives"
                if config.split == "law"
                else "every 5th question (query_id % 5 == 0)"
            ),
            "negatives": "BM25 and dense top-30, interleaved, 40 per question",
            "never": "the bundled seeds and any gold question",
        },
        "config": {k: v for k, v in asdict(config).items() if k != "train"} | {"train": asdict(config.train)},
        "best_epoch": result.best_epoch,
        "validation_dense_before": before,
        "validation_dense_after": after,
        "history": result.history,
        "seconds": round(time.perf_counter() - started, 1),
        "trained": time.strftime("%Y-%m-%d", time.gmtime()),
    }
    adapter = QueryAdapter(result.weight, embedder.name, manifest)
    save_adapter(adapter, out_dir)
    return {**manifest, "digest": adapter.digest, "folder": str(out_dir)}
