"""Sentence vectors: a passage is scored by its own vector *and* by its best sentence.

One vector per 400-character passage says what the passage is about, but a question usually asks
about one clause of it ("街道应急救援队伍不少于15人" inside a paragraph of six tasks), and the
clause's signal is diluted by the rest. Multi-vector retrieval (ColBERT's MaxSim, at sentence rather
than token grain) keeps one vector per sentence and scores a passage by its best-matching sentence.
The two views are averaged with equal weight, ``blend``: the passage vector keeps the context a bare
sentence lacks, the sentence the specific claim. Measured on our seed questions and on statute
questions (README, "Sentence vectors"); no weight was tuned.

Layout: every passage (row) has at least one sentence (the whole passage when no sentence is long
enough; such a row, or a row of one sentence, is scored by its passage alone, ``blend``), and a
row's sentences are contiguous, so ``starts[r]`` indexes the first sentence of row r
and ``np.maximum.reduceat`` takes the best of each row in one pass.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from corpus.chunking import sentences_of
from corpus.models import Chunk

MIN_CHARS = 6  # shorter pieces (一、总则, 2024) carry no claim of their own


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of a passage that gets a vector; the whole passage when none does."""
    return [(u.start, u.end) for u in sentences_of(text, MIN_CHARS)] or [(0, len(text))]


def sentence_texts(chunks: Sequence[Chunk]) -> tuple[list[str], np.ndarray]:
    """The sentences (and table rows) to embed, in row order, and where each row's first one is."""
    texts, starts, _ = sentence_layout(chunks)
    return texts, starts


def sentence_layout(chunks: Sequence[Chunk]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """``sentence_texts`` plus each sentence's (start, end) in its passage's text: stored beside the
    vectors, so an index keeps reading its sentences as they were cut when it was built, whatever a
    later version of the segmentation (corpus.chunking.sentences_of) would cut."""
    texts: list[str] = []
    spans: list[tuple[int, int]] = []
    starts = np.zeros(len(chunks), dtype=np.int64)
    for i, chunk in enumerate(chunks):
        starts[i] = len(texts)
        found = sentence_spans(chunk.text)
        texts.extend(chunk.text[a:b] for a, b in found)
        spans.extend(found)
    return texts, starts, np.asarray(spans, dtype=np.int64).reshape(-1, 2)


def sentence_index(
    starts: np.ndarray, total: int, rows: Sequence[int] | np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The sentence indexes of ``rows`` (concatenated, in the order given) in a layout whose rows
    start at ``starts`` and hold ``total`` sentences, and where each row's run begins among them."""
    rows = np.asarray(rows, dtype=np.int64)
    following = rows + 1  # each row ends where the next begins, the last at ``total``
    ends = np.where(following < len(starts), starts[np.minimum(following, len(starts) - 1)], total)
    counts = ends - starts[rows]
    offsets = np.zeros(len(rows), dtype=np.int64)
    offsets[1:] = np.cumsum(counts)[:-1]
    index = np.repeat(starts[rows] - offsets, counts) + np.arange(int(counts.sum()))
    return index, offsets


def row_counts(starts: np.ndarray, total: int) -> np.ndarray:
    """How many sentences each row holds, in a layout of ``total`` sentences whose rows begin at ``starts``.

    >>> row_counts(np.array([0, 2, 3]), 5).tolist()
    [2, 1, 2]
    """
    return np.diff(np.append(np.asarray(starts, dtype=np.int64), total))


def blend(passage: np.ndarray, sentence: np.ndarray, single: np.ndarray | None = None) -> np.ndarray:
    """A passage's dense score: the mean of its own similarity and its best sentence's; a passage of
    one sentence (``single`` True) keeps its own.

    A passage of one sentence has no better sentence than itself, and its bare sentence lacks the
    heading context (title > section path) the passage was embedded with (records.embedding_text):
    averaging the two would only dilute what the passage vector says. Measured (README, "One-sentence
    passages keep their own score"); nothing was tuned.

    >>> blend(np.array([0.25, 0.5]), np.array([0.75, 1.0]), np.array([False, True])).tolist()
    [0.5, 0.5]
    """
    mixed = (passage + sentence) / 2
    return mixed if single is None else np.where(single, passage, mixed)


@dataclass(frozen=True)
class SentenceVectors:
    vectors: np.ndarray  # (sentences, dim), normalised like the passage vectors
    starts: np.ndarray  # (rows,) index of each row's first sentence, non-decreasing, starts[0] == 0
    # (sentences, 2): where each sentence lies in its passage's text, as cut when the vectors were made;
    # None in generations stored before these were (``spans_of`` then leaves them to the caller)
    spans: np.ndarray | None = None

    def __post_init__(self) -> None:
        n = len(self.vectors)
        if len(self.starts) and (
            self.starts[0] != 0 or np.any(np.diff(self.starts) <= 0) or self.starts[-1] >= n
        ):
            raise ValueError("every row needs at least one sentence, in row order")
        if self.spans is not None and self.spans.shape != (n, 2):
            raise ValueError("one (start, end) per sentence")

    def spans_of(self, row: int) -> list[tuple[int, int]] | None:
        """Where each sentence of one row lies in its passage, in ``of_row`` order (None: not stored)."""
        if self.spans is None:
            return None
        return [(int(a), int(b)) for a, b in self.spans[self._of(row)]]

    @property
    def rows(self) -> int:
        return len(self.starts)

    def _of(self, row: int) -> slice:
        """The sentences of one row, as a slice of ``vectors`` (and ``spans``)."""
        end = self.starts[row + 1] if row + 1 < self.rows else len(self.vectors)
        return slice(int(self.starts[row]), int(end))

    @cached_property
    def counts(self) -> np.ndarray:
        """How many sentences each row holds."""
        return row_counts(self.starts, len(self.vectors))

    @cached_property
    def single(self) -> np.ndarray:
        """Per row: whether it holds one sentence (``blend`` then keeps the passage's own score)."""
        return self.counts == 1

    def best(self, qvec: np.ndarray) -> np.ndarray:
        """Every row's best sentence similarity to ``qvec``."""
        if not self.rows:
            return np.zeros(0, dtype=np.float32)
        return np.maximum.reduceat(self.vectors @ qvec, self.starts)

    def of_row(self, qvec: np.ndarray, row: int) -> np.ndarray:
        """The similarity of each sentence of one row, in ``sentence_spans`` order."""
        return self.vectors[self._of(row)] @ qvec

    def _gather(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return sentence_index(self.starts, len(self.vectors), rows)

    def best_of(self, qvec: np.ndarray, rows: Sequence[int] | np.ndarray) -> np.ndarray:
        """The best sentence similarity of the given rows only (candidates of an approximate search)."""
        rows = np.asarray(rows, dtype=np.int64)
        if rows.size == 0:
            return np.zeros(0, dtype=np.float32)
        index, offsets = self._gather(rows)
        return np.maximum.reduceat(self.vectors[index] @ qvec, offsets)

    def of_rows(self, rows: Sequence[int] | np.ndarray) -> SentenceVectors:
        """The part of these vectors that belongs to the given rows (carried into a new generation)."""
        rows = np.asarray(rows, dtype=np.int64)
        index, offsets = self._gather(rows)
        return SentenceVectors(
            self.vectors[index], offsets, None if self.spans is None else self.spans[index]
        )
