"""Build or update the index from the corpus store.

Unchanged chunks keep their tokens and vectors (matched by chunk id, which hashes doc, offsets and
text); only added or changed documents are tokenised and embedded. BM25 statistics and the FAISS
structure are derived from the stored tokens and vectors when the index loads.
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass, field

import numpy as np
from tqdm import tqdm

from corpus.access import PUBLIC
from corpus.models import Chunk
from corpus.store import CorpusStore
from corpus.terms import coined_terms
from index.embeddings import Embedder, VectorCache, embed_with_cache
from index.errors import IndexIncompatible, IndexNotReady
from index.records import DocRecord, embedding_text, sparse_text
from index.sentences import SentenceVectors, clause_flags, sentence_index, sentence_layout
from index.store import IndexData, IndexStore, Prepare, make_manifest
from index.tokenizer import ChineseTokenizer

log = logging.getLogger(__name__)


@dataclass
class BuildReport:
    documents: int = 0
    chunks: int = 0
    added_docs: list[str] = field(default_factory=list)
    changed_docs: list[str] = field(default_factory=list)
    removed_docs: list[str] = field(default_factory=list)
    embedded_chunks: int = 0
    embedded_sentences: int = 0  # index.sentences
    reused_chunks: int = 0
    seconds: float = 0.0
    unchanged: bool = False


def corpus_fingerprint(docs: dict[str, DocRecord]) -> str:
    h = hashlib.sha1()
    for doc_id in sorted(docs):
        h.update(f"{doc_id}:{docs[doc_id].fingerprint}:{docs[doc_id].access};".encode())
    return h.hexdigest()


def library_terms(corpus: CorpusStore) -> list[str]:
    """The coined terms of the public documents, plus the place names of their catalogue (kept whole
    too). The terms shape how every reader's query and every passage split, and the manifest holds
    them, so they come only from what every reader may read: an internal document's shorthand must
    not show through anyone's tokens."""
    public = [d for d in corpus.documents.values() if d.access == PUBLIC]
    places = {d.meta.region for d in public if d.meta.region}
    return sorted(set(coined_terms(d.text for d in public)) | places)


def build_index(
    corpus: CorpusStore,
    store: IndexStore,
    embedder: Embedder,
    tokenizer: ChineseTokenizer,
    *,
    rebuild: bool = False,
    cache: VectorCache | None = None,
    progress: bool = False,
    sentences: bool = True,
    clauses: bool = True,
    prepare: Prepare | None = None,
) -> BuildReport:
    """Bring the stored index up to date with the corpus (``sentences``: also keep sentence vectors,
    index.sentences, and ``clauses``: of their clauses too; ``prepare``: what to build into a new generation before it goes live,
    index.approximate)."""
    started = time.perf_counter()
    report = BuildReport()
    previous: IndexData | None = None
    if not rebuild:
        try:
            previous = store.load()
            store.check_compatible(previous.manifest, embedder.name, tokenizer.version)
        except IndexNotReady:
            previous = None
        except IndexIncompatible as exc:
            log.warning("%s; building from scratch", exc)
            previous = None

    docs = {
        d.doc_id: DocRecord(d.doc_id, d.source, d.fingerprint, d.meta, d.access)
        for d in corpus.documents.values()
    }
    chunks: list[Chunk] = corpus.all_chunks()
    old_docs = previous.documents if previous else {}
    report.added_docs = sorted(docs[i].source for i in docs.keys() - old_docs.keys())
    report.removed_docs = sorted(old_docs[i].source for i in old_docs.keys() - docs.keys())
    report.changed_docs = sorted(
        docs[i].source for i in docs.keys() & old_docs.keys() if docs[i] != old_docs[i]
    )
    fingerprint = corpus_fingerprint(docs)
    if (
        previous
        and previous.manifest.get("corpus_fingerprint") == fingerprint
        and not report.changed_docs
        and "terms" in previous.manifest
        # a generation stored before sentence cuts were kept gains them (and today's cut) now
        and (not sentences or (previous.sentences is not None and previous.sentences.spans is not None))
        # a generation stored before clauses were, or with them switched the other way, is cut again
        and (not sentences or previous.manifest.get("clauses", False) == clauses)
    ):
        report.unchanged = True
        report.documents, report.chunks = len(docs), len(previous.chunks)
        report.reused_chunks = len(previous.chunks)
        report.seconds = time.perf_counter() - started
        return report

    terms = library_terms(corpus)
    tokenizer.add_terms(terms)
    same_terms = previous is not None and previous.manifest.get("terms", []) == terms
    reuse: dict[str, int] = {}
    if previous:
        current = {c.chunk_id: c for c in chunks}
        reuse = {c.chunk_id: i for i, c in enumerate(previous.chunks) if current.get(c.chunk_id) == c}
    tokens: list[list[str]] = []
    vectors = np.zeros((len(chunks), embedder.dim), dtype=np.float32)
    todo: list[int] = []
    for i, c in enumerate(tqdm(chunks, desc="tokenise", unit="chunk", disable=not progress)):
        j = reuse.get(c.chunk_id)
        if j is not None and previous is not None:
            # new coined terms change how every text splits: tokens are redone, vectors kept
            tokens.append(previous.tokens[j] if same_terms else tokenizer(sparse_text(c)))
            vectors[i] = previous.vectors[j]
        else:
            tokens.append(tokenizer(sparse_text(c)))
            todo.append(i)
    if todo:
        vectors[todo] = embed_with_cache(
            embedder, [embedding_text(chunks[i]) for i in todo], cache, progress=progress
        )
    sentence_vectors, report.embedded_sentences = (
        _sentence_vectors(
            chunks,
            reuse,
            previous,
            embedder,
            cache,
            progress,
            clause_flags(chunks, {i: d.meta.doc_type for i, d in docs.items()}, clauses),
        )
        if sentences
        else (None, 0)
    )
    report.embedded_chunks = len(todo)
    report.reused_chunks = len(chunks) - len(todo)
    manifest = make_manifest(
        embedder.name,
        embedder.dim,
        tokenizer.version,
        fingerprint,
        len(docs),
        len(chunks),
        terms,
        clauses=sentences and clauses,
    )
    store.save(IndexData(manifest, docs, chunks, tokens, vectors, sentences=sentence_vectors), prepare)
    report.documents, report.chunks = len(docs), len(chunks)
    report.seconds = time.perf_counter() - started
    return report


def _sentence_vectors(
    chunks: list[Chunk],
    reuse: dict[str, int],
    previous: IndexData | None,
    embedder: Embedder,
    cache: VectorCache | None,
    progress: bool,
    clauses: list[bool],
) -> tuple[SentenceVectors, int]:
    """Sentence (and clause) vectors of every chunk (an unchanged chunk's carried over, the rest
    embedded), and how many were embedded."""
    units = sentence_layout(chunks, clauses)
    texts, starts = units.texts, units.starts
    vectors = np.zeros((len(texts), embedder.dim), dtype=np.float32)
    old = previous.sentences if previous is not None else None
    layout = SentenceVectors(vectors, starts, units.spans, units.whole)  # its vectors are filled in below
    pairs = [(i, reuse.get(c.chunk_id)) for i, c in enumerate(chunks)]
    # an unchanged chunk keeps its sentence vectors while today's segmentation cuts it as it was cut
    kept = (
        [(i, j) for i, j in pairs if j is not None and _same_cut(layout, i, old, j)]
        if old is not None
        else []
    )
    if kept:  # one gather carries them all
        new_rows, old_rows = zip(*kept, strict=True)
        target, _ = sentence_index(starts, len(texts), new_rows)
        source, _ = sentence_index(old.starts, len(old.vectors), old_rows)
        vectors[target] = old.vectors[source]
    carried = {i for i, _ in kept}
    todo = sentence_index(starts, len(texts), [i for i in range(len(chunks)) if i not in carried])[0].tolist()
    if todo:
        log.info("embedding %d sentences and clauses", len(todo))
        vectors[todo] = embed_with_cache(embedder, [texts[k] for k in todo], cache, progress=progress)
    return layout, len(todo)


def _same_cut(new: SentenceVectors, i: int, old: SentenceVectors, j: int) -> bool:
    """Whether row ``i`` of ``new`` is cut into the sentences and clauses row ``j`` of ``old`` was (by
    their count, for a generation stored before the cuts were)."""
    cut = old.units_of(j)
    return new.units_of(i) == cut if cut is not None else int(new.counts[i]) == int(old.counts[j])
