"""FAISS indexes stored beside an index generation's vectors (the HNSW graph, the sentence cells):
built once, by the process that writes the generation (index.approximate) or else by the first that
loads it, and read by every later one."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import faiss

log = logging.getLogger(__name__)


def read_stored(path: Path | None, what: str, rows: int, dim: int, kind: str):
    """The index stored at ``path`` if it holds ``rows`` vectors of ``dim`` and is of the kind that has
    the attribute ``kind`` (``hnsw``, ``nprobe``); otherwise None, and it will be rebuilt."""
    if path is None or not path.exists():
        return None
    try:
        index = faiss.read_index(str(path))
    except RuntimeError as exc:
        log.warning("stored %s %s unreadable (%s): rebuilt", what, path, exc)
        return None
    if index.ntotal != rows or index.d != dim or not hasattr(index, kind):
        log.warning("stored %s %s does not fit the vectors: rebuilt", what, path)
        return None
    return index


def store(index, path: Path | None, what: str) -> None:
    """Write ``index`` to ``path`` whole or not at all (a temporary file renamed into place)."""
    if path is None:
        return
    tmp = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        faiss.write_index(index, str(tmp))
        os.replace(tmp, path)  # two workers building at once each write whole files
    except (OSError, RuntimeError) as exc:
        log.warning("%s not stored in %s: %s", what, path, exc)
        tmp.unlink(missing_ok=True)
