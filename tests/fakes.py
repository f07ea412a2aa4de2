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


def bare_answerer(**config):
    """An extractive answerer over hand-made hits alone: words are character pairs, every word weighs the
    same, no document text behind the hits (a quote is its span's text); ``config`` overrides
    ``AnswerConfig`` (by default no threshold, statute floor or relevance floor: the rule under test
    decides)."""
    from service.answering.extractive import AnswerConfig, ExtractiveAnswerer

    settings = {"threshold": 0.0, "legal_floor": None, "relevance_quantile": None, **config}
    return ExtractiveAnswerer(
        lambda t: [t[i : i + 2] for i in range(len(t) - 1)],
        lambda t: 1.0,
        lambda d: None,
        lambda d, o: None,
        AnswerConfig(**settings),
    )
