"""BM25 at scale: query latency at N passages of shared/corpora/scale, and equality with rank_bm25.

.venv/bin/python bench/bm25_scale.py [--n 100000] [--sample 3000] [--pair-weight 0.75]

With ``--pair-weight W`` (above 0) the index also holds character pairs (index.pairs) and questions
weigh theirs W, as the retriever does; the equality checks stay on words alone.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import os
import statistics
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np
from rank_bm25 import BM25Okapi

from index.bm25 import BM25Index
from index.pairs import WithPairs, query_weights
from index.ranking import top_k_among
from index.tokenizer import ChineseTokenizer

ROOT = Path(__file__).resolve().parents[1]
SCALE = ROOT.parent / "shared" / "corpora" / "scale" / "paragraphs.jsonl.gz"
QUERIES = ROOT.parent / "shared" / "bench" / "stard" / "queries-train.jsonl"
log = logging.getLogger("bench")


def passages(n: int) -> list[str]:
    out = []
    with gzip.open(SCALE, "rt", encoding="utf-8") as fh:
        for line in fh:
            text = json.loads(line)["text"]
            if len(text) >= 8:
                out.append(text)
            if len(out) >= n:
                break
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--sample", type=int, default=3000, help="passages for the rank_bm25 comparison")
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--compare", type=int, default=10_000, help="passages for the side-by-side with bm25s")
    ap.add_argument("--pair-weight", type=float, default=0.0, help="index character pairs too (index.pairs)")
    ap.add_argument("--no-compare", action="store_true", help="latency and size only")
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    tok = ChineseTokenizer()
    texts = passages(args.n)
    t0 = time.perf_counter()
    tokens = [tok(t) for t in texts]
    t_tok = time.perf_counter() - t0
    pairs = args.pair_weight > 0
    t0 = time.perf_counter()
    index = BM25Index(WithPairs(tokens) if pairs else tokens)
    t_build = time.perf_counter() - t0
    queries = [json.loads(line)["text"] for line in QUERIES.open(encoding="utf-8")][: args.queries]
    q_weights = [query_weights([tok(q)], args.pair_weight) for q in queries]
    for w in q_weights[:20]:
        index.weighted_scores(w)  # warm
    times, among = [], []
    for w in q_weights:
        t0 = time.perf_counter()
        scores = index.weighted_scores(w)
        np.argpartition(-scores, 10)[:10]
        times.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()  # as the retriever does: top 100 among the rows holding a query term
        rows, repeats = index.postings(list(w))
        top_k_among(index.weighted_scores(w), rows, 100, repeats)
        among.append((time.perf_counter() - t0) * 1000)
    m = index.matrix
    size = (m.data.nbytes + m.indices.nbytes + m.indptr.nbytes) / 2**20
    print(
        f"passages: {len(texts)}, vocabulary: {len(index.vocab)}, character pairs: {'on' if pairs else 'off'}"
    )
    print(f"BM25 matrix: {m.nnz} entries, {size:.0f} MB")
    print(
        f"tokenise: {t_tok:.1f} s ({len(texts) / t_tok:.0f} passages/s); build BM25 matrix: {t_build:.2f} s"
    )
    print(
        f"BM25 query (score all + top 10 over every row), one core: median {statistics.median(times):.2f} ms, p95 {np.percentile(times, 95):.2f} ms over {len(times)} queries"
    )
    print(
        f"BM25 query (score all + top 100 among the postings, the retriever's path), one core: median {statistics.median(among):.2f} ms, p95 {np.percentile(among, 95):.2f} ms"
    )

    if args.no_compare:
        return
    q_tokens = [tok(q) for q in queries]
    sample = tokens[: args.sample]
    ours, ref = BM25Index(sample), BM25Okapi(sample, k1=1.5, b=0.75, epsilon=0.25)
    worst = 0.0
    ref_times = []
    for qt in q_tokens[:100]:
        t0 = time.perf_counter()
        expected = ref.get_scores(qt)
        ref_times.append((time.perf_counter() - t0) * 1000)
        worst = max(worst, float(np.max(np.abs(ours.scores(qt) - expected))) if len(expected) else 0.0)
    print(f"rank_bm25 equality on {len(sample)} passages x 100 queries: max |difference| = {worst:.2e}")
    print(f"rank_bm25 itself at {len(sample)} passages: median {statistics.median(ref_times):.1f} ms a query")
    compare_bm25s(tokens[: args.compare], q_tokens[:100])


def compare_bm25s(tokens: list[list[str]], q_tokens: list[list[str]]) -> None:
    """Side by side on one slice: ours, rank_bm25 and bm25s (Lucene and Okapi-like 'robertson' variants):
    per-query latency, and how far each is from rank_bm25's scores."""
    import bm25s

    ours, ref = BM25Index(tokens), BM25Okapi(tokens, k1=1.5, b=0.75, epsilon=0.25)
    engines = {"policyqa": ours.scores, "rank_bm25": ref.get_scores}
    for method in ("lucene", "robertson"):
        model = bm25s.BM25(k1=1.5, b=0.75, method=method)
        model.index(tokens, show_progress=False)
        engines[f"bm25s-{method}"] = model.get_scores
    expected = [ref.get_scores(q) for q in q_tokens]
    print(f"side by side on {len(tokens)} passages x {len(q_tokens)} queries (score every passage):")
    for name, score in engines.items():
        times, diff, agree = [], 0.0, []
        for q, want in zip(q_tokens, expected, strict=True):
            t0 = time.perf_counter()
            got = np.asarray(score(q), dtype=np.float64)
            times.append((time.perf_counter() - t0) * 1000)
            diff = max(diff, float(np.max(np.abs(got - want))) if len(want) else 0.0)
            top = set(np.argsort(-want)[:10]) if want.any() else set()
            agree.append(len(top & set(np.argsort(-got)[:10])) / max(1, len(top)))
        print(
            f"  {name:>16}: median {statistics.median(times):7.2f} ms; max |score - rank_bm25| {diff:.2e}; "
            f"top-10 overlap with rank_bm25 {statistics.mean(agree):.3f}"
        )


if __name__ == "__main__":
    main()
