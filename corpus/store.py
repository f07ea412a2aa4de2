"""The ingested corpus on disk: documents.jsonl and chunks.jsonl in one folder, written atomically."""

from __future__ import annotations

import json
import os
import tempfile
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


class CorpusStore:
    """Documents and their chunks, keyed by doc_id. Upserting a document replaces its chunks."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.documents: dict[str, Document] = {}
        self.chunks: dict[str, list[Chunk]] = {}

    @property
    def _docs_path(self) -> Path:
        return self.folder / "documents.jsonl"

    @property
    def _chunks_path(self) -> Path:
        return self.folder / "chunks.jsonl"

    def exists(self) -> bool:
        return self._docs_path.exists()

    def load(self, with_chunks: bool = True) -> CorpusStore:
        """Read the store; ``with_chunks=False`` reads documents only (the index has its own chunks)."""
        if not self.exists():
            return self
        with self._docs_path.open(encoding="utf-8") as fh:
            for line in fh:
                doc = Document.from_dict(json.loads(line))
                self.documents[doc.doc_id] = doc
                self.chunks[doc.doc_id] = []
        if not with_chunks:
            return self
        with self._chunks_path.open(encoding="utf-8") as fh:
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
        atomic_write_lines(
            self._chunks_path, (json.dumps(c.to_dict(), ensure_ascii=False) for c in self.all_chunks())
        )
        atomic_write_lines(
            self._docs_path, (json.dumps(d.to_dict(), ensure_ascii=False) for d in self.documents.values())
        )
