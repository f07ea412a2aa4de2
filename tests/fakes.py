"""A deterministic stand-in embedder for tests that are about plumbing, not model quality."""

from __future__ import annotations

import hashlib
import itertools

import numpy as np


class HashEmbedder:
    """Character-bigram hashing into a small normalised vector; counts what it embeds."""

    def __init__(self, dim: int = 64, name: str = "test/hash-bigrams"):
        self.dim = dim
        self.name = name
        self.passage_prompt = ""
        self.embedded = 0

    def _vec(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, dtype=np.float32)
        for a, b in itertools.pairwise(text):
            h = int(hashlib.md5((a + b).encode()).hexdigest()[:8], 16)
            v[h % self.dim] += 1.0
        n = np.linalg.norm(v)
        return v / n if n else v

    def encode_queries(self, texts):
        return np.stack([self._vec(t) for t in texts]) if texts else np.zeros((0, self.dim), np.float32)

    def encode_passages(self, texts, progress: bool = False):
        self.embedded += len(texts)
        return self.encode_queries(texts)
