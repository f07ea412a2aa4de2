"""How well k-means cells find the passages whose best sentence is nearest a question, against scoring
every sentence (index.sentence_search), on a built library's real sentence vectors.

    POLICYQA_DATA_DIR=var/libraries/seeds+laws .venv/bin/python bench/sentence_recall.py \
        [--queries 300] [--k 100] [--nprobe 8 16 32 64] [--codes pq4 sq8 flat] [--pq-dims 2 8]

The queries are STARD's training questions (everyday questions about the law). Recall@k is the share
of the exact top k rows (by best sentence) the cells return, ``exact_top10_found`` the share of the
exact top 10 among them; times are one question on one thread, query embedding not included. Prints
one JSON object.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import faiss
import numpy as np

from index.ranking import top_k
from index.sentence_search import CODES, SentenceSearch, SentenceSearchConfig
from index.store import IndexStore
from service.engine import Engine
from service.settings import SHARED_DIR, Settings

QUERIES = SHARED_DIR / "bench" / "stard" / "queries-train.jsonl"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--k", type=int, default=100, help="candidates asked, as the retriever asks")
    ap.add_argument("--nprobe", type=int, nargs="+", default=[8, 16, 32, 64])
    ap.add_argument(
        "--codes",
        nargs="+",
        default=["pq4"],
        choices=CODES,
        help="how the cells keep vectors",
    )
    ap.add_argument(
        "--pq-dims",
        type=int,
        nargs="+",
        default=[2],
        help="dimensions a 4-bit part codes (pq4), each measured",
    )
    args = ap.parse_args()
    settings = Settings()
    data = IndexStore(settings.index_dir).load()
    if data.sentences is None:
        raise SystemExit("this library's index has no sentence vectors")
    embedder = Engine(settings).embedder
    texts = [json.loads(line)["text"] for line in QUERIES.open(encoding="utf-8")][: args.queries]
    qv = embedder.encode_queries(texts)
    sentences = data.sentences
    faiss.omp_set_num_threads(1)
    times, truth = [], []
    for q in qv:
        t = time.perf_counter()
        truth.append(top_k(sentences.best(q), args.k).tolist())
        times.append((time.perf_counter() - t) * 1000)
    result = {
        "passages": sentences.rows,
        "sentences": len(sentences.vectors),
        "k": args.k,
        "queries": len(qv),
        "exact_p50_ms": round(statistics.median(times), 2),
    }
    for codes in args.codes:
        for dims in args.pq_dims if codes == "pq4" else [None]:
            config = SentenceSearchConfig(
                exact_up_to=0, codes=codes, pq_dims=dims or SentenceSearchConfig.pq_dims
            )
            result[f"pq4d{dims}" if dims else codes] = measure(sentences, qv, truth, config, args)
    print(json.dumps(result, ensure_ascii=False))


def measure(sentences, qv: np.ndarray, truth: list[list[int]], config: SentenceSearchConfig, args) -> dict:
    """Build the cells as ``config`` says and measure recall and time at each ``nprobe``."""
    t = time.perf_counter()
    faiss.omp_set_num_threads(0)  # building may use every core
    cells = SentenceSearch(sentences, config)
    build_s = time.perf_counter() - t
    faiss.omp_set_num_threads(1)
    result = {"cells": cells.index.nlist, "build_s": round(build_s, 1), "bytes": cells.index.code_size}
    for nprobe in args.nprobe:
        cells.index.nprobe = nprobe
        cells.config = replace(config, nprobe=nprobe)
        times, recalls, recalls10 = [], [], []
        for q, exact in zip(qv, truth, strict=True):
            t = time.perf_counter()
            rows = set(cells.nearest_rows(q, args.k).tolist())
            times.append((time.perf_counter() - t) * 1000)
            recalls.append(len(rows & set(exact)) / len(exact))
            recalls10.append(len(rows & set(exact[:10])) / len(exact[:10]))
        result[f"nprobe{nprobe}"] = {
            f"recall@{args.k}": round(float(np.mean(recalls)), 4),
            "exact_top10_found": round(float(np.mean(recalls10)), 4),
            "p50_ms": round(statistics.median(times), 2),
        }
    return result


if __name__ == "__main__":
    main()
