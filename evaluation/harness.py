"""`policyqa eval`: gold questions (default: shared/gold/dev.jsonl) or a public benchmark."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

from evaluation.gold import load_gold
from evaluation.modes import DEFAULT_MODES, MODES
from evaluation.report import summary_json, write_results
from evaluation.runner import relevant_chunks, run_mode
from service.engine import Engine
from service.settings import PROJECT_ROOT, Settings

log = logging.getLogger(__name__)
DEFAULT_GOLD = PROJECT_ROOT.parent / "shared" / "gold" / "dev.jsonl"


def pick_modes(names: list[str] | None) -> list:
    names = names or list(DEFAULT_MODES)
    unknown = [n for n in names if n not in MODES]
    if unknown:
        raise ValueError(f"unknown mode(s) {', '.join(unknown)}; modes: {', '.join(MODES)}")
    return [MODES[n] for n in names]


def results_folder(out_dir: Path | None, name: str) -> Path:
    return out_dir or PROJECT_ROOT / "results" / f"{name}-{time.strftime('%Y%m%d-%H%M%S')}"


def run_gold(
    settings: Settings,
    gold: Path | None,
    modes: list[str] | None,
    out_dir: Path | None,
    limit: int | None = None,
    progress: bool = False,
    engine: Engine | None = None,
    library: str | None = None,
    answers: bool = True,
) -> tuple[dict[str, Any], Path]:
    """Gold questions through the engine; with ``library``, in that named library (built on demand)."""
    path = gold or DEFAULT_GOLD
    if not path.exists():
        raise FileNotFoundError(f"gold file {path} not found")
    questions = load_gold(path)[:limit]
    if engine is None and library:
        from evaluation.libraries import get_library, prepare_library

        engine = prepare_library(settings, get_library(library), progress=progress)
    engine = engine or Engine(settings)
    specs = pick_modes(modes)
    qrels = relevant_chunks(engine, questions)
    results = [run_mode(engine, questions, spec, qrels, progress=progress) for spec in specs]
    if answers:
        from evaluation.answers import attach_answer_metrics

        attach_answer_metrics(engine, questions, results, progress=progress)
    where = f", library {library}" if library else ""
    docs = len(engine.retriever.docs)
    title = f"retrieval on {path.name} ({len(questions)} questions{where}, {docs} documents)"
    extra = {"title": title, "questions": len(questions), "library": library, "documents": docs}
    summary = summary_json(str(path), results, extra)
    folder = write_results(results_folder(out_dir, "eval"), summary, results, title)
    return summary, folder


def run_benchmark(
    name: str,
    settings: Settings,
    modes: list[str] | None,
    out_dir: Path | None,
    limit: int | None = None,
    progress: bool = False,
    split: str = "validation",
) -> tuple[dict[str, Any], Path]:
    if name != "stard":
        raise ValueError(f"unknown benchmark {name!r}; available: stard")
    from evaluation.stard import run_stard

    return run_stard(settings, modes, out_dir, limit=limit, progress=progress, split=split)
