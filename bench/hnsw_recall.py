"""FAISS HNSW recall@10 against exact search, on real vectors: the STARD articles (cached by a STARD
run) as the corpus and the STARD questions as queries.

    .venv/bin/python bench/hnsw_recall.py [--queries 300] [--ef 128]
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from evaluation.stard import STARD_DIR, load_articles, load_queries
from index.dense import DenseConfig, DenseIndex
from index.embeddings import SentenceTransformerEmbedder, VectorCache, text_key
from index.records import embedding_text
from service.settings import Settings


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--ef", type=int, nargs="+", default=[32, 64, 128, 256])
    args = ap.parse_args()
    settings = Settings()
    embedder = SentenceTransformerEmbedder(settings.embedding())
    chunks, _ = load_articles(STARD_DIR)
    cache = VectorCache(settings.cache_dir / "vectors.sqlite")
    keys = [text_key(embedder.name, embedder.passage_prompt, embedding_text(c)) for c in chunks]
    found = cache.get_many(keys)
    if len(found) < len(keys):
        raise SystemExit(
            f"only {len(found)} of {len(keys)} STARD vectors are cached: run `policyqa eval --benchmark stard` first"
        )
    vectors = np.stack([found[k] for k in keys])
    queries, _ = load_queries(STARD_DIR)
    qv = embedder.encode_queries([q["text"] for q in queries[: args.queries]])
    exact = DenseIndex(vectors, DenseConfig(hnsw_above=10**9))
    truth = [set(exact.exact_search(q, 10).tolist()) for q in qv]
    t0 = time.perf_counter()
    hnsw = DenseIndex(vectors, DenseConfig(hnsw_above=0))
    print(
        f"{len(vectors)} vectors, dim {vectors.shape[1]}; HNSW (M=32, efConstruction=200) built in {time.perf_counter() - t0:.1f} s"
    )
    for ef in args.ef:
        hnsw.index.hnsw.efSearch = ef
        times, recalls = [], []
        for q, t in zip(qv, truth, strict=True):
            t0 = time.perf_counter()
            rows, _ = hnsw.search(q, 10)
            times.append((time.perf_counter() - t0) * 1000)
            recalls.append(len(set(rows.tolist()) & t) / 10)
        print(
            f"efSearch {ef:4d}: recall@10 vs exact {np.mean(recalls):.4f}, median {statistics.median(times):.2f} ms"
        )
    times = []
    for q in qv:
        t0 = time.perf_counter()
        exact.search(q, 10)
        times.append((time.perf_counter() - t0) * 1000)
    print(f"exact (flat) search: median {statistics.median(times):.2f} ms")


if __name__ == "__main__":
    main()
