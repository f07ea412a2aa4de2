"""Dense search over normalised vectors with FAISS: exact inner product for small corpora, HNSW above
a configurable size. A restricted search (a collection, what a reader may read) scores the allowed rows
exactly while they are few enough for the exact index, and walks the graph passing over the others
beyond that.

An HNSW graph takes long to build (27 minutes for 547k vectors on 2 cores), so it is stored beside the
vectors of its index generation the first time it is built (``graph_path``; by the writer, before the
generation goes live: index.approximate) and read from there by every load (another worker, a
restart); a stored graph that does not fit the vectors or the settings is rebuilt."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np

from index.faiss_files import read_stored, store
from index.ranking import top_k, top_k_within


@dataclass(frozen=True)
class DenseConfig:
    hnsw_above: int = 50_000  # exact search up to this many vectors
    hnsw_m: int = 32
    ef_construction: int = 200
    ef_search: int = 128


def graph_file(folder: Path, config: DenseConfig) -> Path:
    """Where a generation keeps its HNSW graph: named by the parameters it was built with."""
    return folder / f"hnsw-m{config.hnsw_m}-efc{config.ef_construction}.faiss"


def filtered_hnsw(allowed: np.ndarray, count: int, ef_search: int):
    """Search parameters that keep an HNSW search within the ``count`` rows of ``allowed``.

    The graph is walked as usual and rows outside are passed over, so the search breadth grows as
    the allowed share shrinks (``ef_search / share``, up to 16 times): the walk then meets about as
    many allowed rows as an unrestricted search meets rows. Restrictions small enough to score
    exactly never come here (``DenseIndex.search``)."""
    share = count / len(allowed)
    bits = np.packbits(allowed.astype(bool), bitorder="little")
    selector = faiss.IDSelectorBitmap(len(allowed), faiss.swig_ptr(bits))
    params = faiss.SearchParametersHNSW(
        sel=selector, efSearch=min(16 * ef_search, math.ceil(ef_search / share))
    )
    params.keep = (bits, selector)  # the search reads both: they must live as long as the parameters
    return params


class DenseIndex:
    def __init__(
        self, vectors: np.ndarray, config: DenseConfig | None = None, graph_path: Path | None = None
    ):
        self.config = config or DenseConfig()
        self.vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        n, dim = self.vectors.shape if self.vectors.ndim == 2 else (0, 0)
        self.dim = dim
        self.kind = "hnsw" if n > self.config.hnsw_above else "flat"
        self.graph_loaded = False  # True when the HNSW graph was read from graph_path, not built
        if self.kind == "hnsw":
            index = self._stored_graph(graph_path, n, dim)
            if index is None:
                index = faiss.IndexHNSWFlat(dim, self.config.hnsw_m, faiss.METRIC_INNER_PRODUCT)
                index.hnsw.efConstruction = self.config.ef_construction
                index.add(self.vectors)
                store(index, graph_path, "HNSW graph")
            index.hnsw.efSearch = self.config.ef_search
        else:
            index = faiss.IndexFlatIP(max(dim, 1))
            if n:
                index.add(self.vectors)
        self.index = index

    def _stored_graph(self, path: Path | None, n: int, dim: int):
        index = read_stored(path, "HNSW graph", n, dim, "hnsw")
        self.graph_loaded = index is not None
        return index

    def __len__(self) -> int:
        return self.vectors.shape[0]

    def search(
        self, query: np.ndarray, k: int, allowed: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """(row ids, scores), best first. ``allowed`` is a boolean mask of rows that may be returned."""
        n = len(self)
        if n == 0 or k <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        q = np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32)
        params = None
        if allowed is not None:
            count = int(np.count_nonzero(allowed))
            if count == 0:
                return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
            if self.kind == "flat" or count <= self.config.hnsw_above:
                return top_k_within(allowed, k, lambda r: self.vectors[r] @ q[0], lambda: self.vectors @ q[0])
            params = filtered_hnsw(allowed, count, self.config.ef_search)
        scores, ids = self.index.search(q, min(k, n), params=params)
        keep = ids[0] >= 0
        return ids[0][keep].astype(np.int64), scores[0][keep]

    def exact_search(self, query: np.ndarray, k: int) -> np.ndarray:
        scores = self.vectors @ np.asarray(query, dtype=np.float32).reshape(-1)
        return top_k(scores, k)
