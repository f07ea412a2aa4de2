"""Scale benchmark: the first N passages of ../shared/corpora/scale as pre-cut passages (no outline;
their law or news source as the title), indexed and searched with the project's own code.

    .venv/bin/python bench/scale.py --passages 10000 --json
    .venv/bin/python bench/scale.py --passages 547428 --synthetic-vectors --json
    .venv/bin/python bench/scale.py --passages 547428 --synthetic-vectors --sentences --json
    POLICYQA_HNSW_ABOVE=100000000 .venv/bin/python bench/scale.py --passages 547428 \
        --synthetic-vectors --modes bm25 --json        # BM25 through the retriever, no graph to build

Prints one JSON object (docs/CONTRACT.md): passages, build_s, rss_mb, bm25_p50_ms, dense_p50_ms,
hybrid_p50_ms, and more (p95/p99, index size on disk, time per build step, dense index kind).
``--synthetic-vectors`` stores random unit vectors instead of embedding the passages (the CPU
cannot embed 547k passages in reasonable time); queries are still embedded by the real model,
so dense and hybrid latencies include query embedding either way.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import gzip
import hashlib
import json
import logging
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import faiss
import numpy as np
import torch

from corpus.metadata import doc_type_of
from corpus.models import Chunk, DocumentMeta
from index import approximate
from index.embeddings import VectorCache, embed_with_cache
from index.records import DocRecord, embedding_text, sparse_text
from index.retriever import HybridRetriever
from index.sentences import SentenceVectors, clause_flags, sentence_layout
from index.store import IndexData, IndexStore, make_manifest
from index.tokenizer import ChineseTokenizer
from service.engine import Engine
from service.settings import SHARED_DIR, Settings

SCALE = SHARED_DIR / "corpora" / "scale" / "paragraphs.jsonl.gz"
QUERIES = SHARED_DIR / "bench" / "stard" / "queries-train.jsonl"
log = logging.getLogger("bench.scale")


def read_passages(n: int) -> tuple[dict[str, DocRecord], list[Chunk]]:
    docs: dict[str, DocRecord] = {}
    chunks: list[Chunk] = []
    with gzip.open(SCALE, "rt", encoding="utf-8") as fh:
        for line in fh:
            if len(chunks) >= n:
                break
            p = json.loads(line)
            title = p["doc"] if p["source"] == "lawrefbook" else f"新闻 {p['doc']}"
            doc_id = hashlib.sha1(f"{p['source']}:{p['doc']}".encode()).hexdigest()[:16]
            if doc_id not in docs:
                # a law's type from its title (条例, 办法, 法 ...) puts it among the laws, news among the
                # policy documents: the two collections a library is searched as (index.retriever)
                meta = DocumentMeta(title=title, doc_type=doc_type_of(title))
                docs[doc_id] = DocRecord(doc_id, p["source"], doc_id, meta)
            chunks.append(
                Chunk(p["id"], doc_id, p["source"], title, (), p["text"], 0, len(p["text"]), p["para"])
            )
    return docs, chunks


def synthetic_vectors(n: int, dim: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    out = np.empty((n, dim), dtype=np.float32)
    for i in range(0, n, 65536):
        block = rng.standard_normal((min(65536, n - i), dim), dtype=np.float32)
        out[i : i + len(block)] = block / np.linalg.norm(block, axis=1, keepdims=True)
    return out


def percentiles(times: list[float]) -> dict[str, float]:
    return {
        "p50": round(statistics.median(times), 2),
        "p95": round(float(np.percentile(times, 95)), 2),
        "p99": round(float(np.percentile(times, 99)), 2),
    }


def rss_mb() -> float:
    """The current resident set size (VmRSS), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def build(args, settings: Settings, embedder, tokenizer, store: IndexStore, fingerprint: str) -> dict:
    """Read, tokenise and embed (or draw) the passages and save them as a generation of ``store``;
    the time of each step."""
    docs, chunks = read_passages(args.passages)
    log.info("read %d passages of %d documents", len(chunks), len(docs))
    steps: dict[str, float] = {}

    t = time.perf_counter()
    tokens = [tokenizer(sparse_text(c)) for c in chunks]
    steps["tokenize_s"] = time.perf_counter() - t
    log.info("tokenised in %.1f s", steps["tokenize_s"])

    t = time.perf_counter()
    if args.synthetic_vectors:
        vectors = synthetic_vectors(len(chunks), embedder.dim)
    else:
        cache = VectorCache(settings.cache_dir / "vectors.sqlite")
        try:
            vectors = embed_with_cache(embedder, [embedding_text(c) for c in chunks], cache, progress=True)
        finally:
            cache.close()
    steps["vectors_s"] = time.perf_counter() - t
    log.info("vectors in %.1f s", steps["vectors_s"])
    sentences = None
    if args.sentences:
        t = time.perf_counter()
        doc_types = {i: d.meta.doc_type for i, d in docs.items()}
        units = sentence_layout(chunks, clause_flags(chunks, doc_types, settings.clause_vectors))
        texts, starts = units.texts, units.starts
        if args.synthetic_vectors:
            sentence_vectors = synthetic_vectors(len(texts), embedder.dim, seed=1)
        else:
            cache = VectorCache(settings.cache_dir / "vectors.sqlite")
            try:
                sentence_vectors = embed_with_cache(embedder, texts, cache, progress=True)
            finally:
                cache.close()
        sentences = SentenceVectors(sentence_vectors, starts, units.spans, units.whole)
        del texts, sentence_vectors, units
        steps["sentence_vectors_s"] = time.perf_counter() - t
        log.info("%d sentence vectors in %.1f s", len(sentences.vectors), steps["sentence_vectors_s"])

    t = time.perf_counter()
    manifest = make_manifest(
        embedder.name,
        embedder.dim,
        tokenizer.version,
        fingerprint,
        len(docs),
        len(chunks),
        clauses=args.sentences and settings.clause_vectors,
    )
    build_before_switch = approximate.prepare(
        settings.dense(), settings.sentence_search(), args.sentences, pairs=settings.retrieval().indexes_pairs
    )

    def timed(folder: Path, data: IndexData) -> None:
        started = time.perf_counter()
        build_before_switch(folder, data)
        steps["prepare_s"] = time.perf_counter() - started

    store.save(IndexData(manifest, docs, chunks, tokens, vectors, sentences=sentences), timed)
    # writing the generation; prepare_s of it builds the BM25 matrix, the HNSW graph and sentence
    # cells before the switch, as `policyqa index` does (index.approximate)
    steps["save_s"] = time.perf_counter() - t
    return steps


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--passages", type=int, default=10_000)
    ap.add_argument("--synthetic-vectors", action="store_true", help="random unit vectors, not the model")
    ap.add_argument(
        "--sentences",
        action="store_true",
        help="also sentence vectors, as a library policyqa indexes has them (index.sentences); random "
        "unit vectors too with --synthetic-vectors",
    )
    ap.add_argument("--queries", type=int, default=200, help="STARD training questions used as queries")
    ap.add_argument("--json", action="store_true", help="print one JSON object (else a short table)")
    ap.add_argument(
        "--modes", nargs="+", default=["bm25", "dense", "hybrid"], choices=["bm25", "dense", "hybrid"]
    )
    ap.add_argument(
        "--data-dir", type=Path, default=None, help="where to write the index (default: a temp dir)"
    )
    ap.add_argument(
        "--keep",
        type=Path,
        default=None,
        help="build the index in this folder and keep it; a later run with the same folder and "
        "passages, vectors and sentences loads it instead of building (to time query changes)",
    )
    ap.add_argument(
        "--reload",
        action="store_true",
        help="after the first load, load the generation again as a restarted server would and time "
        "that (the stored HNSW graph and sentence cells are read either way)",
    )
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr)

    settings = Settings()
    engine = Engine(settings)
    embedder = engine.embedder  # the real query embedder (with the shipped adapter)
    tokenizer = ChineseTokenizer()
    started = time.perf_counter()
    fingerprint = f"bench:{args.passages}:{'synthetic' if args.synthetic_vectors else 'model'}" + (
        ":sentences" if args.sentences else ""
    )
    with (
        contextlib.nullcontext(str(args.keep))
        if args.keep
        else tempfile.TemporaryDirectory(dir=args.data_dir)
    ) as tmp:
        store = IndexStore(Path(tmp) / "index")
        kept = store.manifest()
        if kept is not None and kept["corpus_fingerprint"] == fingerprint:
            log.info("the kept index in %s is loaded, not built", tmp)
            steps: dict[str, float] = {}
        else:
            steps = build(args, settings, embedder, tokenizer, store, fingerprint)
        gen = store.current()
        index_mb = sum(f.stat().st_size for f in gen.iterdir()) / 2**20
        gc.collect()
        rss_before_load = rss_mb()

        def load() -> HybridRetriever:
            """The stored generation as a server loads it (graph and sentence cells built or read)."""
            return HybridRetriever(
                store.load(),
                embedder,
                tokenizer,
                settings.retrieval(),
                settings.dense(),
                None,
                settings.sentence_search(),
            )

        t = time.perf_counter()
        retriever = load()
        steps["load_s"] = time.perf_counter() - t  # BM25 matrix; graph and cells read, not built
        build_s = time.perf_counter() - started
        rss_loaded = rss_mb()
        log.info("loaded (%s dense index) in %.1f s", retriever.dense.kind, steps["load_s"])
        if args.reload:  # a restart, or another worker
            del retriever
            gc.collect()
            t = time.perf_counter()
            retriever = load()
            steps["reload_s"] = time.perf_counter() - t
            rss_loaded = rss_mb()
            log.info("loaded again in %.1f s", steps["reload_s"])

        # building may use every core; queries are timed on one, as a server worker runs them
        faiss.omp_set_num_threads(1)
        torch.set_num_threads(1)
        every = [json.loads(line)["text"] for line in QUERIES.open(encoding="utf-8")]
        warm, queries = every[-10:], every[: args.queries]
        latencies: dict[str, dict[str, float]] = {}
        for mode in args.modes:
            for q in warm:
                retriever.search(q, k=10, mode=mode)
            embedder.clear_query_cache()  # every mode embeds its queries afresh
            times = []
            for q in queries:
                t = time.perf_counter()
                retriever.search(q, k=10, mode=mode)
                times.append((time.perf_counter() - t) * 1000)
            latencies[mode] = percentiles(times)
            log.info("%s: %s", mode, latencies[mode])

    result = {
        "passages": len(retriever.chunks),
        "documents": len(retriever.docs),
        "synthetic_vectors": args.synthetic_vectors,
        "build_s": round(build_s, 1),
        **{k: round(v, 1) for k, v in steps.items()},
        "index_mb": round(index_mb, 1),
        "rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),  # peak
        "rss_before_load_mb": round(rss_before_load, 1),
        "rss_loaded_mb": round(rss_loaded, 1),  # after the second load with --reload
        "dense_index": retriever.dense.kind,
        "collections": retriever.collection_sizes(),
        "sentences": 0 if retriever.sentences is None else len(retriever.sentences.vectors),
        "sentence_search": None if retriever.sentence_search is None else retriever.sentence_search.kind,
        "queries": len(queries),
        **{f"{mode}_{p}_ms": v for mode, ps in latencies.items() for p, v in ps.items()},
        "query_threads": 1,
    }
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        for k, v in result.items():
            print(f"{k:>22}: {v}")


if __name__ == "__main__":
    main()
