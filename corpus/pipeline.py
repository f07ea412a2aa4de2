"""Ingest files: read -> clean -> metadata -> outline -> chunks, one document at a time.

A file that cannot be ingested is skipped with its reason; the rest of the batch goes on.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from tqdm import tqdm

from corpus.chunking import ChunkingConfig, chunk_document
from corpus.cleaning import clean
from corpus.errors import CorpusError
from corpus.intervals import overlaps
from corpus.metadata import extract_metadata
from corpus.models import Chunk, Document
from corpus.outline import detect_outline
from corpus.readers import SUPPORTED_SUFFIXES, HeadingHint, RawText, read_bytes, read_file

log = logging.getLogger(__name__)

# Folder documentation that travels with a corpus but is not itself a policy document.
FOLDER_DOCS = ("readme", "notes", "license", "changelog")


@dataclass(frozen=True)
class Skipped:
    path: str
    reason: str


@dataclass
class IngestResult:
    documents: list[Document] = field(default_factory=list)
    chunks: list[Chunk] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def doc_id_for(source: str) -> str:
    """Stable id of a document: derived from its file name, so re-ingesting keeps every id."""
    return hashlib.sha1(source.encode("utf-8")).hexdigest()[:16]


def build_document(source: str, raw: RawText, config: ChunkingConfig) -> tuple[Document, list[Chunk]]:
    cleaned = clean(raw.text)
    if not cleaned.text.strip():
        raise CorpusError("nothing left after removing page furniture")
    hints = [HeadingHint(start=cleaned.to_clean_offset(h.start), level=h.level) for h in raw.hints]
    meta = extract_metadata(cleaned.text, raw.title, raw.fields)
    outline = detect_outline(cleaned.text, hints, title=raw.title)
    doc_id = doc_id_for(source)
    title = meta.title or Path(source).stem
    chunks = chunk_document(cleaned.text, outline, doc_id=doc_id, source=source, title=title, config=config)
    if raw.ocr_spans:
        spans = [(cleaned.to_clean_offset(a), cleaned.to_clean_offset(b)) for a, b in raw.ocr_spans]
        chunks = [replace(c, ocr=True) if overlaps(c.start, c.end, spans) else c for c in chunks]
    doc = Document(
        doc_id=doc_id,
        source=source,
        format=raw.format,
        encoding=raw.encoding,
        text=cleaned.text,
        meta=meta,
        outline=outline,
        removed=cleaned.removed,
        fingerprint=hashlib.sha1(cleaned.text.encode("utf-8")).hexdigest(),
        page_starts=page_starts(raw.fields.get("pages", ""), cleaned.to_clean_offset),
        ocr_uncertain=[
            (a, b)
            for a, b in (
                (cleaned.to_clean_offset(x), cleaned.to_clean_offset(y)) for x, y in raw.ocr_uncertain
            )
            if a < b
        ],
    )
    if doc.page_starts:  # a hit in a result list says its page, as a citation does
        chunks = [replace(c, page=doc.page_at(c.start)) for c in chunks]
    return doc, chunks


def page_starts(stated: str, to_clean: Callable[[int], int]) -> list[int]:
    """The pages a reader stated ("0,812,1650": raw-text offsets) as offsets in the cleaned text,
    non-decreasing; [] when none are stated or the field is malformed."""
    try:
        raw = [int(x) for x in stated.split(",") if x.strip()]
    except ValueError:
        return []
    out: list[int] = []
    for offset in raw:
        out.append(max(to_clean(offset), out[-1] if out else 0))
    return out


def ingest_bytes(name: str, data: bytes, config: ChunkingConfig) -> tuple[Document, list[Chunk]]:
    """One uploaded document; raises CorpusError with a clear reason when it cannot be used."""
    return build_document(Path(name).name, read_bytes(name, data), config)


def expand_paths(paths: Iterable[Path]) -> Iterator[Path]:
    """Files as given, and every file below a folder (sorted, hidden files left out)."""
    for p in paths:
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and not any(part.startswith(".") for part in f.relative_to(p).parts):
                    yield f
        else:
            yield p


@dataclass(frozen=True)
class Limits:
    """Size limits of one ingest run (from settings): a 50 MB text file is not one document."""

    max_file_bytes: int = 50 * 2**20
    max_batch_bytes: int = 2 * 2**30


def size_refusal(size: int, limit: int, what: str = "file") -> str | None:
    if size <= limit:
        return None
    return f"the {what} is {size / 2**20:.1f} MB; the limit is {limit / 2**20:.1f} MB"


def ingest_paths(
    paths: Iterable[Path], config: ChunkingConfig, progress: bool = False, limits: Limits | None = None
) -> IngestResult:
    limits = limits or Limits()
    result = IngestResult()
    files = list(expand_paths(paths))
    total = 0
    for path in tqdm(files, desc="ingest", unit="doc", disable=not progress):
        if not path.exists():
            result.skipped.append(Skipped(str(path), "no such file"))
            continue
        size = path.stat().st_size
        refusal = size_refusal(size, limits.max_file_bytes) or size_refusal(
            total + size, limits.max_batch_bytes, "batch with this file"
        )
        if refusal:
            result.skipped.append(Skipped(str(path), refusal))
            continue
        total += size
        if path.stem.lower().split(".")[0] in FOLDER_DOCS:
            result.skipped.append(
                Skipped(str(path), "folder documentation (README/NOTES), not a policy document")
            )
            continue
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            result.skipped.append(Skipped(str(path), f"unsupported file type '{path.suffix or path.name}'"))
            continue
        try:
            doc, chunks = build_document(path.name, read_file(path), config)
            doc.origin = str(path.resolve())
        except CorpusError as exc:
            log.warning("skipped %s: %s", path, exc)
            result.skipped.append(Skipped(str(path), str(exc)))
            continue
        result.documents.append(doc)
        result.chunks.extend(chunks)
    return result
