"""STARD (train) under several fusion settings, from cached vectors: how the two sides should be mixed
for layperson legal questions. Run `policyqa eval --benchmark stard` once first (it caches vectors).

    .venv/bin/python bench/stard_fusion.py [--weights 0.2 0.3 0.4 0.5] [--limit N]
"""

from __future__ import annotations

import argparse
import logging
from dataclasses import replace

from evaluation.modes import ModeSpec
from evaluation.stard import STARD_DIR, build_stard_index, evaluate_modes, load_queries
from index.retriever import HybridRetriever
from service.settings import Settings


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--weights", type=float, nargs="+", default=[0.2, 0.3, 0.4, 0.5])
    ap.add_argument("--limit", type=int, default=None)
    args = ap.parse_args()
    logging.basicConfig(level=logging.WARNING)
    settings = Settings()
    data, embedder, tokenizer = build_stard_index(settings, progress=False)
    queries, qrels = load_queries(STARD_DIR)
    queries = [q for q in queries if str(q["query_id"]) in qrels][: args.limit]
    base = replace(settings.retrieval(), candidates=300)
    print("| fusion | understanding | R@1 | R@5 | R@10 | R@20 | R@100 | MRR@10 |")
    print("|---|---|---|---|---|---|---|---|")
    configs = [("rrf", None, "boost"), ("rrf", None, "off")] + [
        ("weighted", w, u) for w in args.weights for u in ("boost", "off")
    ]
    for fusion, weight, understanding in configs:
        config = replace(
            base, fusion=fusion, sparse_weight=weight if weight is not None else base.sparse_weight
        )
        retriever = HybridRetriever(data, embedder, tokenizer, config, settings.dense())
        spec = ModeSpec("x", "hybrid", fusion, understanding)
        m = evaluate_modes(retriever, queries, qrels, [spec])[0].metrics
        label = f"weighted {weight}" if weight is not None else "rrf k=60"
        print(
            f"| {label} | {understanding} | "
            + " | ".join(
                f"{m[k]:.3f}"
                for k in ("recall@1", "recall@5", "recall@10", "recall@20", "recall@100", "mrr@10")
            )
            + " |",
            flush=True,
        )


if __name__ == "__main__":
    main()
