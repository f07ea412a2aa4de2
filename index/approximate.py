"""A generation's approximate indexes (the HNSW graph over passage vectors, the sentence cells): which
a retriever uses, and building them before the generation goes live.

Above ``DenseConfig.hnsw_above`` passages, a retriever searches an HNSW graph, and then the sentence
vectors by k-means cells (``index.sentence_search``). Both are stored in the generation's folder and
read by every later load. Built by the first process that loads the generation, they would make the
request that sees a new generation wait while they are built (about 25 minutes at 547k passages on
2 cores), and every worker that sees it at once build them side by side. So the process that writes a
generation builds them into its folder before the pointer switches (``IndexStore.save``'s
``prepare``): a new generation goes live ready, and each worker reads the files.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

from index.dense import DenseConfig, DenseIndex, graph_file
from index.sentence_search import SentenceSearch, SentenceSearchConfig, cells_file
from index.sentences import SentenceVectors

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


def prepare(dense: DenseConfig, cells: SentenceSearchConfig, sentences: bool, backend: bool = False):
    """What ``IndexStore.save`` calls on a new generation's folder before it goes live: builds the
    approximate indexes a retriever with these settings reads. Embedded (``backend`` False): the graph
    and the cells above ``hnsw_above`` passages, nothing below. With a backend holding the passage
    vectors (Milvus): the cells alone, above ``exact_up_to`` sentences."""

    def build(folder: Path, vectors: np.ndarray, sentence_vectors: SentenceVectors | None) -> None:
        sentence_vectors = sentence_vectors if sentences else None
        passages = len(vectors)
        if backend:
            if sentence_vectors is None or len(sentence_vectors.vectors) <= cells.exact_up_to:
                return
            vectors = vectors[:0]  # the backend holds them: no local passage index
        elif len(vectors) <= dense.hnsw_above:
            return
        log.info("building the approximate indexes of %d passages before the switch", passages)
        approximate_indexes(folder, vectors, sentence_vectors, dense, cells, backend)

    return build
