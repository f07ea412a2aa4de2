"""What each retrieval component is worth today: the shipped build, then each component switched off
on its own (and one candidate setting switched on), on our question sets in both libraries.

    .venv/bin/python -m evaluation.ablation [--json]

Each row changes one setting (or the search mode) of the shipped build and keeps the rest; the index
is the shipped one (switches act at query time, nothing is rebuilt). Columns: R@5 / MRR@10 on our seed
questions (evaluation/questions/seeds-own.jsonl) and the dev set in the seeds library and in the seeds
+ laws-safety library, everyday-wording R@5 there, and our statute questions (statutes-own.jsonl, the
non-seed set) in seeds + laws. Writes results/ablation.json.
"""

from __future__ import annotations

import argparse
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evaluation.gold import GoldQuestion, load_gold
from evaluation.libraries import LIBRARIES, library_settings, prepare_library
from evaluation.modes import MODES
from evaluation.runner import relevant_chunks, run_mode
from service.engine import Engine
from service.settings import PROJECT_ROOT, SHARED_DIR, Settings

QUESTIONS = PROJECT_ROOT / "evaluation" / "questions"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Ablation:
    name: str
    settings: dict[str, Any] = field(default_factory=dict)  # Settings fields changed for this row
    mode: str = "hybrid-weighted"  # evaluation.modes


ABLATIONS: tuple[Ablation, ...] = (
    Ablation("shipped"),
    Ablation("no query tower (base e5 queries)", {"adapter": "off"}),
    Ablation("query tower alone (share 1, the default until 2026-12-05)", {"adapter_share": 1.0}),
    Ablation("no clause vectors (a passage's best sentence, not its best clause)", {"clause_vectors": False}),
    Ablation("no sentence vectors (passage vectors only)", {"sentence_vectors": False}),
    Ablation("no character pairs in BM25 (words alone)", {"bm25_pair_weight": 0.0}),
    Ablation("one ranking (laws and policy documents not searched apart)", {"balance_kinds": False}),
    Ablation(
        "no jurisdiction preference (other provinces' rules at full weight)",
        {"other_jurisdiction_weight": 1.0},
    ),
    Ablation(
        "no query understanding (no boosts for named places, years, types, titles)",
        mode="hybrid-weighted-noqu",
    ),
    Ablation("BM25 alone", mode="bm25"),
    Ablation("dense alone", mode="dense"),
)


@dataclass(frozen=True)
class QuestionSet:
    name: str
    library: str
    questions: list[GoldQuestion]


def question_sets() -> list[QuestionSet]:
    own = load_gold(QUESTIONS / "seeds-own.jsonl")
    dev = load_gold(SHARED_DIR / "gold" / "dev.jsonl")
    statutes = load_gold(QUESTIONS / "statutes-own.jsonl")
    return [
        QuestionSet("seeds own", "seeds", own),
        QuestionSet("seeds dev", "seeds", dev),
        QuestionSet("seeds+laws own", "seeds+laws", own),
        QuestionSet("seeds+laws dev", "seeds+laws", dev),
        QuestionSet("statutes own", "seeds+laws", statutes),
    ]


def measure(engine: Engine, qs: QuestionSet, mode: str) -> dict[str, float]:
    result = run_mode(engine, qs.questions, MODES[mode], relevant_chunks(engine, qs.questions))
    everyday = result.by_wording.get("everyday", {})
    return {
        "R@5": round(result.metrics["hit_rate@5"], 3),
        "MRR@10": round(result.metrics["mrr@10"], 3),
        **({"everyday R@5": round(everyday["hit_rate@5"], 3)} if everyday else {}),
    }


def table(rows: list[dict[str, Any]], sets: list[str]) -> list[str]:
    """Markdown: one row per ablation, R@5 / MRR@10 per question set (everyday R@5 in brackets)."""

    def cell(m: dict[str, float]) -> str:
        extra = f" ({m['everyday R@5']:.3f})" if "everyday R@5" in m else ""
        return f"{m['R@5']:.3f} / {m['MRR@10']:.3f}{extra}"

    lines = ["| build | " + " | ".join(sets) + " |", "| --- |" + " --- |" * len(sets)]
    lines += [f"| {r['name']} | " + " | ".join(cell(r["sets"][s]) for s in sets) + " |" for r in rows]
    return lines


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--out", type=Path, default=PROJECT_ROOT / "results" / "ablation.json")
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    settings = Settings()
    for name in ("seeds", "seeds+laws"):  # the shipped index of each library, built or brought up to date
        prepare_library(settings, LIBRARIES[name])
    sets = question_sets()
    rows = []
    for ablation in ABLATIONS:
        changed = settings.model_copy(update=ablation.settings)
        engines = {
            name: Engine(library_settings(changed, LIBRARIES[name])) for name in ("seeds", "seeds+laws")
        }
        figures = {qs.name: measure(engines[qs.library], qs, ablation.mode) for qs in sets}
        rows.append(
            {"name": ablation.name, "settings": ablation.settings, "mode": ablation.mode, "sets": figures}
        )
        log.info("%s: %s", ablation.name, figures)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(rows, ensure_ascii=False, indent=2), encoding="utf-8")
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
        return
    print("R@5 / MRR@10 (everyday-wording R@5), hybrid unless the row says otherwise:")
    print("\n".join(table(rows, [qs.name for qs in sets])))


if __name__ == "__main__":
    main()
