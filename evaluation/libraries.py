"""Named document libraries to evaluate in: the seeds alone, and the seeds beside the statutes.

A real district library holds its plans *and* the statutes behind them, so every figure is measured in
both. Each library lives in its own data folder (``<data_dir>/libraries/<name>``, or the folder that
``POLICYQA_DATA_DIR`` names when a library is asked for by path), built through the same ingest and
index code as ``policyqa ingest`` + ``policyqa index``: passages are embedded once (the vector cache is
shared) and a rebuild only re-embeds what changed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from corpus.pipeline import ingest_paths
from corpus.store import CorpusStore
from index.embeddings import Embedder
from service.engine import Engine
from service.settings import BUNDLED_CORPUS, PROJECT_ROOT, Settings

log = logging.getLogger(__name__)
SHARED = PROJECT_ROOT.parent / "shared"


@dataclass(frozen=True)
class Library:
    name: str
    paths: tuple[Path, ...]
    description: str


LIBRARIES: dict[str, Library] = {
    lib.name: lib
    for lib in (
        Library("seeds", (BUNDLED_CORPUS,), "the five bundled seeds"),
        Library(
            "seeds+laws",
            (BUNDLED_CORPUS, SHARED / "corpora" / "laws-safety"),
            "the five seeds + the 200 statutes of shared/corpora/laws-safety",
        ),
    )
}


class UnknownLibrary(ValueError):
    pass


def get_library(name: str) -> Library:
    try:
        return LIBRARIES[name]
    except KeyError:
        raise UnknownLibrary(f"unknown library {name!r}; libraries: {', '.join(LIBRARIES)}") from None


def library_settings(settings: Settings, library: Library) -> Settings:
    """The same settings, with the library's own data folder."""
    return settings.model_copy(update={"data_dir": settings.data_dir / "libraries" / library.name})


def prepare_library(
    settings: Settings, library: Library, progress: bool = False, embedder: Embedder | None = None
) -> Engine:
    """Ingest the library's paths afresh (seconds) and bring its index up to date (incremental)."""
    missing = [p for p in library.paths if not p.exists()]
    if missing:
        raise FileNotFoundError(f"library {library.name}: {', '.join(map(str, missing))} not found")
    lib_settings = library_settings(settings, library)
    result = ingest_paths(list(library.paths), lib_settings.chunking(), progress=False)
    engine = Engine(lib_settings, embedder_override=embedder)
    with engine.writing():
        store = CorpusStore(lib_settings.corpus_dir).load()
        store.clear()
        store.upsert_all(result.documents, result.chunks)
        store.save()
        report = engine.build(progress=progress)
    log.info(
        "library %s: %d documents, %d chunks (%d embedded now)",
        library.name,
        report.documents,
        report.chunks,
        report.embedded_chunks,
    )
    return engine
