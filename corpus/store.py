"""The ingested corpus on disk: documents.jsonl and chunks.jsonl, switched together.

Each save writes both files into a new snapshot folder (``snap-*``) and then moves the ``CURRENT``
pointer to it with one atomic rename, as index generations are switched: a reader, or a process
killed at any point of the write, sees the store before or the store after, never a document's
record with another version's chunks (each chunk's offsets point into its document's text). Older
snapshots, half-written ones and the files of the first layout (both files in the folder itself,
still read when no pointer exists) are removed after the switch.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

from corpus.models import Chunk, Document


def atomic_write_lines(path: Path, lines: Iterable[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            for line in lines:
                fh.write(line)
                fh.write("\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def unique_name(prefix: str) -> str:
    """A folder name no other save of this machine takes: the time, the process and a clock tick."""
    return f"{prefix}{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**6}"


POINTER = "CURRENT"
SNAPSHOT_PREFIX = "snap-"
LEGACY_FILES = ("documents.jsonl", "chunks.jsonl")


class CorpusStore:
    """Documents and their chunks, keyed by doc_id. Upserting a document replaces its chunks."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.documents: dict[str, Document] = {}
        self.chunks: dict[str, list[Chunk]] = {}

    def _live(self) -> Path | None:
        """The folder holding the current documents.jsonl and chunks.jsonl, or None for an empty store."""
        pointer = self.folder / POINTER
        if pointer.exists():
            return self.folder / pointer.read_text(encoding="utf-8").strip()
        if (self.folder / "documents.jsonl").exists():
            return self.folder  # the first layout
        return None

    def exists(self) -> bool:
        return self._live() is not None

    def load(self, with_chunks: bool = True) -> CorpusStore:
        """Read the store; ``with_chunks=False`` reads documents only (the index has its own chunks)."""
        for _ in range(2):
            try:
                return self._read(with_chunks)
            except FileNotFoundError:
                # a writer switched the pointer and removed the snapshot between our two reads
                self.documents, self.chunks = {}, {}
        return self._read(with_chunks)  # a third try lets the error through

    def _read(self, with_chunks: bool) -> CorpusStore:
        live = self._live()
        if live is None:
            return self
        with (live / "documents.jsonl").open(encoding="utf-8") as fh:
            for line in fh:
                doc = Document.from_dict(json.loads(line))
                self.documents[doc.doc_id] = doc
                self.chunks[doc.doc_id] = []
        if not with_chunks:
            return self
        with (live / "chunks.jsonl").open(encoding="utf-8") as fh:
            for line in fh:
                chunk = Chunk.from_dict(json.loads(line))
                self.chunks.setdefault(chunk.doc_id, []).append(chunk)
        return self

    def upsert(self, doc: Document, chunks: list[Chunk]) -> None:
        self.documents[doc.doc_id] = doc
        self.chunks[doc.doc_id] = list(chunks)

    def upsert_all(self, documents: list[Document], chunks: list[Chunk]) -> None:
        """Add (or replace) every document of an ingest run with its chunks."""
        by_doc: dict[str, list[Chunk]] = {}
        for c in chunks:
            by_doc.setdefault(c.doc_id, []).append(c)
        for doc in documents:
            self.upsert(doc, by_doc.get(doc.doc_id, []))

    def remove(self, doc_id: str) -> bool:
        found = doc_id in self.documents
        self.documents.pop(doc_id, None)
        self.chunks.pop(doc_id, None)
        return found

    def clear(self) -> None:
        self.documents.clear()
        self.chunks.clear()

    def all_chunks(self) -> list[Chunk]:
        return [c for doc_id in self.documents for c in self.chunks.get(doc_id, [])]

    def save(self) -> None:
        """Write a new snapshot, switch the pointer to it, then remove every other snapshot and leftover.
        Call it under the writer lock (service.writing)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        name = unique_name(SNAPSHOT_PREFIX)
        tmp = self.folder / f".{name}.partial"
        tmp.mkdir()
        try:
            atomic_write_lines(
                tmp / "chunks.jsonl", (json.dumps(c.to_dict(), ensure_ascii=False) for c in self.all_chunks())
            )
            atomic_write_lines(
                tmp / "documents.jsonl",
                (json.dumps(d.to_dict(), ensure_ascii=False) for d in self.documents.values()),
            )
            tmp.rename(self.folder / name)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        atomic_write_lines(self.folder / POINTER, [name])
        for entry in self.folder.iterdir():
            if entry.name in (name, POINTER):
                continue
            if entry.is_dir() and (entry.name.startswith(SNAPSHOT_PREFIX) or entry.name.endswith(".partial")):
                shutil.rmtree(entry, ignore_errors=True)
            elif entry.is_file() and (entry.name in LEGACY_FILES or entry.name.startswith(".")):
                entry.unlink(missing_ok=True)
