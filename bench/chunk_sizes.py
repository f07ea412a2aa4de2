"""Choose the chunk size cap by measurement: re-ingest the bundled corpus at several caps and
evaluate retrieval and answers on the dev set at each.

    .venv/bin/python bench/chunk_sizes.py [--caps 200 300 400 600 800]
"""

from __future__ import annotations

import argparse
import logging
import tempfile
from pathlib import Path

from corpus.pipeline import ingest_paths
from corpus.store import CorpusStore
from evaluation.answers import answer_metrics
from evaluation.gold import load_gold
from evaluation.modes import MODES
from evaluation.runner import relevant_chunks, run_mode
from service.engine import Engine
from service.settings import PROJECT_ROOT, Settings

GOLD = PROJECT_ROOT.parent / "shared" / "gold" / "dev.jsonl"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--caps", type=int, nargs="+", default=[200, 300, 400, 600, 800])
    args = ap.parse_args()
    logging.basicConfig(level=logging.WARNING)
    questions = load_gold(GOLD)
    print(
        "| cap | chunks | median chars | hybrid R@5 | hybrid MRR@10 | bm25 R@5 | dense R@5 | answer contains gold |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for cap in args.caps:
        with tempfile.TemporaryDirectory() as tmp:
            settings = Settings(data_dir=Path(tmp), chunk_max_chars=cap)
            store = CorpusStore(settings.corpus_dir)
            result = ingest_paths(settings.corpus_paths, settings.chunking())
            store.upsert_all(result.documents, result.chunks)
            store.save()
            engine = Engine(settings)
            engine.build()
            qrels = relevant_chunks(engine, questions)
            figs = {
                name: run_mode(engine, questions, MODES[name], qrels).metrics
                for name in ("hybrid-weighted", "bm25", "dense")
            }
            answers, _ = answer_metrics(engine, questions)
            sizes = sorted(len(c.text) for c in result.chunks)
            h = figs["hybrid-weighted"]
            print(
                f"| {cap} | {len(sizes)} | {sizes[len(sizes) // 2]} | {h['hit_rate@5']:.3f} | {h['mrr@10']:.3f} | "
                f"{figs['bm25']['hit_rate@5']:.3f} | {figs['dense']['hit_rate@5']:.3f} | {answers['contains_gold']:.3f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
