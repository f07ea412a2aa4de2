"""Dense search over normalised vectors with FAISS: exact inner product for small corpora, HNSW above
a configurable size. Filtered searches score the allowed rows exactly."""

from __future__ import annotations

from dataclasses import dataclass

import faiss
import numpy as np

from index.ranking import top_k


@dataclass(frozen=True)
class DenseConfig:
    hnsw_above: int = 50_000  # exact search up to this many vectors
    hnsw_m: int = 32
    ef_construction: int = 200
    ef_search: int = 128


class DenseIndex:
    def __init__(self, vectors: np.ndarray, config: DenseConfig | None = None):
        self.config = config or DenseConfig()
        self.vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        n, dim = self.vectors.shape if self.vectors.ndim == 2 else (0, 0)
        self.dim = dim
        self.kind = "hnsw" if n > self.config.hnsw_above else "flat"
        if self.kind == "hnsw":
            index = faiss.IndexHNSWFlat(dim, self.config.hnsw_m, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = self.config.ef_construction
            index.hnsw.efSearch = self.config.ef_search
        else:
            index = faiss.IndexFlatIP(max(dim, 1))
        if n:
            index.add(self.vectors)
        self.index = index

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
        if allowed is not None:
            rows = np.flatnonzero(allowed)
            if rows.size == 0:
                return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
            scores = self.vectors[rows] @ q[0]
            top = top_k(scores, k)
            return rows[top], scores[top]
        scores, ids = self.index.search(q, min(k, n))
        keep = ids[0] >= 0
        return ids[0][keep].astype(np.int64), scores[0][keep]

    def exact_search(self, query: np.ndarray, k: int) -> np.ndarray:
        scores = self.vectors @ np.asarray(query, dtype=np.float32).reshape(-1)
        return top_k(scores, k)
