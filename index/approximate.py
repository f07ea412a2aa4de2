"""A generation's approximate indexes (the HNSW graph over passage vectors, the sentence cells): which
a retriever uses, and building them before the generation goes live.

Above ``DenseConfig.hnsw_above`` passages, a retriever searches an HNSW graph, and then the sentence
vectors by k-means cells (``index.sentence_search``). Both are stored in the generation's folder and
read by every later load. Built by the first process that loads the generation, they would make the
request that sees a new generation wait while they are built (about 25 minutes at 547k passages on
2 cores), and every worker that sees it at once build them side by side. So the process that writes a
generation builds them into its folder before the pointer switches (``IndexStore.save``'s
``prepare``): a new generation goes live ready, and each worker reads the files. The BM25 matrix of
such a library is stored there too: counting its words and character pairs (index.pairs) took a
547k load 52 s; reading it takes one.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from index.bm25 import BM25Index
from index.dense import DenseConfig, DenseIndex, graph_file
from index.pairs import WithPairs
from index.sentence_search import SentenceSearch, SentenceSearchConfig, cells_file
from index.sentences import SentenceVectors
from index.store import IndexData

log = logging.getLogger(__name__)


def approximate_indexes(
    folder: Path | None,
    vectors: np.ndarray,
    sentences: SentenceVectors | None,
    dense: DenseConfig,
    cells: SentenceSearchConfig,
    backend: bool = False,
) -> tuple[DenseIndex, SentenceSearch | None]:
    """The passage index over ``vectors`` and, when the passage side is approximate (an HNSW graph,
    or a ``backend`` such as Milvus that holds the passage vectors), the sentence search; each read
    from ``folder`` when stored there, else built and stored (``folder`` None: built, not stored)."""
    index = DenseIndex(vectors, dense, graph_file(folder, dense) if folder is not None else None)
    search = None
    if sentences is not None and (backend or index.kind == "hnsw"):
        where = cells_file(folder, cells, len(sentences.vectors)) if folder is not None else None
        search = SentenceSearch(sentences, cells, where)
    return index, search


def bm25_file(folder: Path, pairs: bool) -> Path:
    """Where a generation stores its BM25 matrix: one of words alone, another of words and pairs."""
    return folder / ("bm25-pairs.npz" if pairs else "bm25-words.npz")


def bm25_index(folder: Path | None, tokens: Sequence[Sequence[str]], pairs: bool) -> tuple[BM25Index, bool]:
    """(BM25 over ``tokens``, read from ``folder``?): read when the generation stores it, else built
    here (the words and, with ``pairs``, their character pairs: index.pairs)."""
    if folder is not None and (stored := BM25Index.load(bm25_file(folder, pairs), len(tokens))) is not None:
        return stored, True
    return BM25Index(WithPairs(tokens) if pairs else tokens), False


def prepare(
    dense: DenseConfig,
    cells: SentenceSearchConfig,
    sentences: bool,
    backend: bool = False,
    pairs: bool = True,
):
    """What ``IndexStore.save`` calls on a new generation's folder before it goes live: builds what a
    retriever with these settings would otherwise build at every load, in a library large enough for
    it to matter (above ``hnsw_above`` passages): the BM25 matrix (with character pairs, ``pairs``; at
    547k passages 52 s to build, a second to read), the HNSW graph and the sentence cells; nothing below.
    With a backend holding the passage vectors (Milvus): the cells alone, above ``exact_up_to``
    sentences, and the BM25 matrix (the answerer's term weights and restricted readers read it)."""

    def build(folder: Path, data: IndexData) -> None:
        vectors = data.vectors
        sentence_vectors = data.sentences if sentences else None
        passages = len(vectors)
        if passages > dense.hnsw_above:
            log.info("storing the BM25 matrix of %d passages before the switch", passages)
            bm25_index(None, data.tokens, pairs)[0].save(bm25_file(folder, pairs))
        if backend:
            if sentence_vectors is None or len(sentence_vectors.vectors) <= cells.exact_up_to:
                return
            vectors = vectors[:0]  # the backend holds them: no local passage index
        elif passages <= dense.hnsw_above:
            return
        log.info("building the approximate indexes of %d passages before the switch", passages)
        approximate_indexes(folder, vectors, sentence_vectors, dense, cells, backend)

    return build
