"""The write side of a running library: add, replace and remove documents, and what happened to each.

Each change holds the data folder's writer lock, updates the corpus store, brings the index up to
date incrementally (only the new document is embedded) and switches the engine to the new
generation before it returns, so a document is searchable (or gone) when the call ends. A failure
leaves the previous generation serving and the store unchanged or ahead of it (the next build
catches up): nothing already indexed is lost.
"""

from __future__ import annotations

import json
import logging
import re
import time
from dataclasses import asdict, dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from corpus.access import parse_access
from corpus.errors import CorpusError, DocumentConflict, TooLarge
from corpus.identity import admit
from corpus.pipeline import ingest_bytes, size_refusal
from corpus.store import CorpusStore
from corpus.validity import STATUSES
from index.errors import IndexLayerError
from service.engine import Engine

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Event:
    """One admin action and its outcome, for the ingest status view."""

    at: str
    action: str  # upload, remove
    source: str
    ok: bool
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


LOG_NAME = "admin-log.jsonl"  # in the data folder: every worker process writes and reads the same log
LOG_SHOWN = 200


def _record(engine: Engine, action: str, source: str, ok: bool, detail: str) -> None:
    event = Event(time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), action, source, ok, detail)
    path = engine.settings.data_dir / LOG_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as fh:  # one short line per append: lines never interleave
        fh.write(json.dumps(event.to_dict(), ensure_ascii=False) + "\n")


def recent_events(engine: Engine) -> list[dict[str, Any]]:
    """The latest admin actions, newest first."""
    path = engine.settings.data_dir / LOG_NAME
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()[-LOG_SHOWN:]
    return [json.loads(line) for line in reversed(lines) if line.strip()]


def add_document(
    engine: Engine, name: str, data: bytes, access: str = "public", replace: bool = False
) -> dict[str, Any]:
    """Ingest one uploaded file and index it; raises CorpusError (or a subclass) with the reason."""
    source = Path(name or "").name
    try:
        if not source:
            raise CorpusError("the upload has no file name")
        refusal = size_refusal(len(data), engine.settings.limits().max_file_bytes)
        if refusal:
            raise TooLarge(refusal)
        level = parse_access(access)
        doc, chunks = ingest_bytes(source, data, engine.settings.chunking())
        doc.access = level
        started = time.perf_counter()
        with engine.writing():
            store = CorpusStore(engine.settings.corpus_dir).load()
            accepted, refused = admit(store.documents, [doc], replace=replace)
            if refused:
                raise DocumentConflict(refused[0].reason.replace("--replace", "replace=true"))
            replaced = doc.doc_id in store.documents
            store.upsert(accepted[0], chunks)
            store.save()
            report = engine.build()
    except CorpusError as exc:
        _record(engine, "upload", source or "?", False, str(exc))
        raise
    detail = f"{len(chunks)} chunks, {report.embedded_chunks} embedded, {time.perf_counter() - started:.1f} s"
    _record(engine, "upload", source, True, detail)
    return {
        "doc_id": doc.doc_id,
        "source": doc.source,
        "title": doc.meta.title,
        "chunks": len(chunks),
        "access": doc.access,
        "replaced": replaced,
        "generation": engine.live.generation,
        "seconds": round(time.perf_counter() - started, 3),
    }


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _is_date(value: object) -> bool:
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def update_document(engine: Engine, doc_id: str, changes: dict[str, Any]) -> dict[str, Any] | None:
    """Set a document's access level or validity (status, valid_from, valid_to, superseded_by; null
    clears what was declared). None when there is no such document; CorpusError for bad values."""
    with engine.writing():
        store = CorpusStore(engine.settings.corpus_dir).load()
        doc = store.documents.get(doc_id)
        if doc is None:
            return None
        meta = doc.meta
        if "access" in changes:
            doc.access = parse_access(changes["access"] or "")
        if "status" in changes:
            status = changes["status"]
            if status is not None and status not in STATUSES:
                raise CorpusError(f"status must be one of {', '.join(STATUSES)} (or null), got {status!r}")
            meta = replace(meta, declared_status=status)
        for name in ("valid_from", "valid_to"):
            if name in changes:
                value = changes[name]
                if value is not None and not _is_date(value):
                    raise CorpusError(f"{name} must be a date like 2025-01-31 (or null), got {value!r}")
                meta = replace(meta, **{name: value})
        if "superseded_by" in changes:
            newer = changes["superseded_by"]
            if newer is not None and (newer not in store.documents or newer == doc_id):
                raise CorpusError(f"superseded_by must name another stored document, got {newer!r}")
            meta = replace(meta, declared_superseded_by=newer)
        doc.meta = meta
        store.upsert(doc, store.chunks.get(doc_id, []))
        store.save()
        engine.build()
    _record(engine, "update", doc.source, True, ", ".join(f"{k}={v}" for k, v in changes.items()))
    return {"doc_id": doc_id, "access": doc.access, **engine.validity(doc_id)}


def remove_document(engine: Engine, doc_id: str) -> bool:
    """Remove a document from the store and the index; False when there is no such document."""
    with engine.writing():
        store = CorpusStore(engine.settings.corpus_dir).load()
        doc = store.documents.get(doc_id)
        if doc is None:
            return False
        store.remove(doc_id)
        store.save()
        if store.documents:
            engine.build()
        else:
            engine.index_store.clear()
            engine.drop_live()
    _record(engine, "remove", doc.source, True, f"{doc_id} removed")
    return True


def catalogue(engine: Engine) -> dict[str, Any]:
    """Every stored document with its access level and whether the live index serves it."""
    store = CorpusStore(engine.settings.corpus_dir).load()
    try:
        live = engine.live if store.documents else None
    except IndexLayerError:  # stored but never indexed
        live = None
    served = live.retriever.docs if live else {}
    return {
        "documents": [
            {
                "doc_id": d.doc_id,
                "source": d.source,
                "title": d.meta.title,
                "format": d.format,
                "access": d.access,
                "chunks": len(store.chunks.get(d.doc_id, [])),
                "indexed": d.doc_id in served,
                "origin": d.origin,
            }
            for d in store.documents.values()
        ],
        "generation": live.generation if live else None,
        "events": recent_events(engine),
    }
