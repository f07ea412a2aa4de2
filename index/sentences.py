"""Sentence vectors: a passage is scored by its own vector *and* by its best sentence or clause.

One vector per 400-character passage says what the passage is about, but a question usually asks
about one clause of it ("街道应急救援队伍不少于15人" inside a paragraph of six tasks), and the
clause's signal is diluted by the rest. Multi-vector retrieval (ColBERT's MaxSim, at sentence rather
than token grain) keeps one vector per sentence and scores a passage by its best-matching sentence.
The two views are averaged with equal weight, ``blend``: the passage vector keeps the context a bare
sentence lacks, the sentence the specific claim. Measured on our seed questions and on statute
questions (docs/measurements.md, "What each component did when it was added"); no weight was tuned.

The same dilution happens one level down: a plan's sentence often strings several tasks together with
commas (开展地质灾害点工程治理和排危除险,完成避险搬迁), and a question asks about one of them. So a
policy document's sentence of more than one clause also gets a vector per clause (``clause_spans``,
``cuts_clauses``), and a passage's best *unit* is the best of its sentences and clauses (docs/measurements.md,
"Clause vectors"). Answers read whole sentences (``spans_of``, ``of_row``): a clause is a finer probe
for ranking; only a plan's sentence too long to quote whole is quoted as a window of the clauses cut
here (``service.answering.spans.clause_window``).

Layout: every passage (row) has at least one sentence (the whole passage when no sentence is long
enough; such a row, or a row of one sentence, is scored by its passage alone, ``blend``), and a
row's units (its sentences, then their clauses) are contiguous, so ``starts[r]`` indexes the first
unit of row r and ``np.maximum.reduceat`` takes the best of each row in one pass.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from corpus.chunking import sentences_of
from corpus.metadata import document_kind
from corpus.models import Chunk

MIN_CHARS = 6  # shorter pieces (一、总则, 2024) carry no claim of their own
# a clause ends at a comma or a colon; 、 joins the items of one list, which are no claims of their own
_CLAUSE_END = re.compile(r"[，,：:]")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of a passage that gets a vector; the whole passage when none does."""
    return [(u.start, u.end) for u in sentences_of(text, MIN_CHARS)] or [(0, len(text))]


def clause_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of the clauses of the sentence ``text[start:end]`` that get vectors of their own: cut
    at each comma or colon (the mark left out), a piece shorter than ``MIN_CHARS`` joined to the one
    after it (the last to the one before); none when the sentence holds only one.

    A piece ending in 的 also joins the one after it: a 的-phrase before a comma is the nominalised
    subject or condition of what follows (未按规定值班的，责令改正), no claim of its own; cut off, it
    would match any question about its condition, whatever the rule says of it.

    >>> s = "开展地质灾害点工程治理和排危除险,完成避险搬迁。"
    >>> [s[a:b] for a, b in clause_spans(s, 0, len(s))]
    ['开展地质灾害点工程治理和排危除险', '完成避险搬迁。']
    >>> s = "2024年,推动重点行业领域负责人培训全覆盖"
    >>> clause_spans(s, 0, len(s))
    []
    >>> s = "消防控制室无人值班的，责令改正，处五千元以上罚款。"
    >>> [s[a:b] for a, b in clause_spans(s, 0, len(s))]
    ['消防控制室无人值班的，责令改正', '处五千元以上罚款。']
    """
    pieces: list[tuple[int, int]] = []
    begin = start
    for mark in _CLAUSE_END.finditer(text, start, end):
        if mark.start() > begin:
            pieces.append((begin, mark.start()))
        begin = mark.end()
    if end > begin:
        pieces.append((begin, end))
    joined: list[tuple[int, int]] = []
    for a, b in pieces:
        if joined and (joined[-1][1] - joined[-1][0] < MIN_CHARS or text[joined[-1][1] - 1] == "的"):
            joined[-1] = (joined[-1][0], b)
        else:
            joined.append((a, b))
    if len(joined) > 1 and joined[-1][1] - joined[-1][0] < MIN_CHARS:
        last = joined.pop()
        joined[-1] = (joined[-1][0], last[1])
    return joined if len(joined) > 1 else []


def cuts_clauses(doc_type: str | None) -> bool:
    """Whether a document's sentences are cut into clauses too: a policy document's, not a legal norm's.

    The two genres use the comma differently. A plan strings its tasks together (开展…,完成…,推进…), each
    clause a claim a question may ask about alone; a legal norm is one rule per sentence whose commas join
    its parts (subject, condition, consequence: 生产经营单位未按规定…的，责令限期改正，处…罚款), which
    cut apart say nothing or match any question about the condition. Measured: statute questions and
    STARD do not gain from clauses, plan questions do (docs/measurements.md, "Clause vectors").

    >>> cuts_clauses("工作要点"), cuts_clauses(None), cuts_clauses("条例")
    (True, True, False)
    """
    return document_kind(doc_type) == "policy"


def clause_flags(chunks: Sequence[Chunk], doc_types: Mapping[str, str | None], on: bool = True) -> list[bool]:
    """Per chunk, whether its sentences are cut into clauses (``cuts_clauses`` of its document's type,
    looked up by doc_id); all False when clause vectors are switched off (``on``)."""
    return [on and cuts_clauses(doc_types.get(c.doc_id)) for c in chunks]


@dataclass(frozen=True)
class UnitLayout:
    """What to embed for the sentence side, in row order: each row's sentences, then their clauses."""

    texts: list[str]
    starts: np.ndarray  # (rows,) index of each row's first unit
    spans: np.ndarray  # (units, 2) where each unit lies in its passage's text
    whole: np.ndarray  # (units,) True for a sentence, False for a clause of one


def sentence_layout(chunks: Sequence[Chunk], clauses: bool | Sequence[bool] = True) -> UnitLayout:
    """The units to embed, and where each lies in its passage: stored beside the vectors, so an index
    keeps reading its sentences as they were cut when it was built, whatever a later version of the
    segmentation (corpus.chunking.sentences_of) would cut. ``clauses``: whether each chunk's sentences
    are cut into clauses too (one flag for all, or one per chunk: ``cuts_clauses`` of its document)."""
    texts: list[str] = []
    spans: list[tuple[int, int]] = []
    whole: list[bool] = []
    starts = np.zeros(len(chunks), dtype=np.int64)
    cut = [clauses] * len(chunks) if isinstance(clauses, bool) else list(clauses)
    if len(cut) != len(chunks):
        raise ValueError("one clause flag per chunk")
    for i, chunk in enumerate(chunks):
        starts[i] = len(texts)
        found = sentence_spans(chunk.text)
        parts = [c for a, b in found for c in clause_spans(chunk.text, a, b)] if cut[i] else []
        texts.extend(chunk.text[a:b] for a, b in [*found, *parts])
        spans.extend([*found, *parts])
        whole.extend([True] * len(found) + [False] * len(parts))
    return UnitLayout(
        texts,
        starts,
        np.asarray(spans, dtype=np.int64).reshape(-1, 2),
        np.asarray(whole, dtype=bool),
    )


def sentence_index(
    starts: np.ndarray, total: int, rows: Sequence[int] | np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The unit indexes of ``rows`` (concatenated, in the order given) in a layout whose rows
    start at ``starts`` and hold ``total`` units, and where each row's run begins among them."""
    rows = np.asarray(rows, dtype=np.int64)
    following = rows + 1  # each row ends where the next begins, the last at ``total``
    ends = np.where(following < len(starts), starts[np.minimum(following, len(starts) - 1)], total)
    counts = ends - starts[rows]
    offsets = np.zeros(len(rows), dtype=np.int64)
    offsets[1:] = np.cumsum(counts)[:-1]
    index = np.repeat(starts[rows] - offsets, counts) + np.arange(int(counts.sum()))
    return index, offsets


def row_counts(starts: np.ndarray, total: int) -> np.ndarray:
    """How many units each row holds, in a layout of ``total`` units whose rows begin at ``starts``.

    >>> row_counts(np.array([0, 2, 3]), 5).tolist()
    [2, 1, 2]
    """
    return np.diff(np.append(np.asarray(starts, dtype=np.int64), total))


def blend(passage: np.ndarray, sentence: np.ndarray, single: np.ndarray | None = None) -> np.ndarray:
    """A passage's dense score: the mean of its own similarity and its best sentence's; a passage of
    one sentence (``single`` True) keeps its own.

    A passage of one sentence has no better sentence than itself, and its bare sentence lacks the
    heading context (title > section path) the passage was embedded with (records.embedding_text):
    averaging the two would only dilute what the passage vector says. Measured (docs/measurements.md, "One-sentence
    passages keep their own score"); nothing was tuned.

    >>> blend(np.array([0.25, 0.5]), np.array([0.75, 1.0]), np.array([False, True])).tolist()
    [0.5, 0.5]
    """
    mixed = (passage + sentence) / 2
    return mixed if single is None else np.where(single, passage, mixed)


@dataclass(frozen=True)
class SentenceVectors:
    vectors: np.ndarray  # (units, dim), normalised like the passage vectors
    starts: np.ndarray  # (rows,) index of each row's first unit, non-decreasing, starts[0] == 0
    # (units, 2): where each unit lies in its passage's text, as cut when the vectors were made;
    # None in generations stored before these were (``spans_of`` then leaves them to the caller)
    spans: np.ndarray | None = None
    # (units,): True for a sentence, False for a clause of one; a row's sentences come before its
    # clauses. None in generations stored before clauses were (every unit a sentence)
    whole: np.ndarray | None = None

    def __post_init__(self) -> None:
        n = len(self.vectors)
        if len(self.starts) and (
            self.starts[0] != 0 or np.any(np.diff(self.starts) <= 0) or self.starts[-1] >= n
        ):
            raise ValueError("every row needs at least one sentence, in row order")
        if self.spans is not None and self.spans.shape != (n, 2):
            raise ValueError("one (start, end) per unit")
        if self.whole is not None:
            if self.whole.shape != (n,):
                raise ValueError("one sentence-or-clause flag per unit")
            rises = np.flatnonzero(np.diff(self.whole.astype(np.int8)) > 0) + 1
            if (len(self.starts) and not self.whole[self.starts].all()) or not np.isin(
                rises, self.starts
            ).all():
                raise ValueError("each row's sentences come first, then their clauses")

    @property
    def rows(self) -> int:
        return len(self.starts)

    @cached_property
    def counts(self) -> np.ndarray:
        """How many units (sentences and clauses) each row holds."""
        return row_counts(self.starts, len(self.vectors))

    @cached_property
    def sentence_counts(self) -> np.ndarray:
        """How many sentences each row holds (its first units)."""
        if self.whole is None or not self.rows:
            return self.counts
        return np.add.reduceat(self.whole.astype(np.int64), self.starts)

    @cached_property
    def single(self) -> np.ndarray:
        """Per row: whether it holds one sentence (``blend`` then keeps the passage's own score)."""
        return self.sentence_counts == 1

    def _of(self, row: int) -> slice:
        """The units of one row, as a slice of ``vectors`` (and ``spans``, ``whole``)."""
        end = self.starts[row + 1] if row + 1 < self.rows else len(self.vectors)
        return slice(int(self.starts[row]), int(end))

    def _sentences(self, row: int) -> slice:
        """The sentences of one row (its first units)."""
        first = int(self.starts[row])
        return slice(first, first + int(self.sentence_counts[row]))

    def spans_of(self, row: int) -> list[tuple[int, int]] | None:
        """Where each sentence of one row lies in its passage, in ``of_row`` order (None: not stored)."""
        if self.spans is None:
            return None
        return [(int(a), int(b)) for a, b in self.spans[self._sentences(row)]]

    def units_of(self, row: int) -> list[tuple[int, int, bool]] | None:
        """Every unit of one row: (start, end, whether a sentence); None when the spans are not stored."""
        if self.spans is None:
            return None
        cut = self._of(row)
        whole = self.whole[cut] if self.whole is not None else np.ones(cut.stop - cut.start, bool)
        return [(int(a), int(b), bool(w)) for (a, b), w in zip(self.spans[cut], whole, strict=True)]

    def best(self, qvec: np.ndarray) -> np.ndarray:
        """Every row's best unit (sentence or clause) similarity to ``qvec``."""
        if not self.rows:
            return np.zeros(0, dtype=np.float32)
        return np.maximum.reduceat(self.vectors @ qvec, self.starts)

    def of_row(self, qvec: np.ndarray, row: int) -> np.ndarray:
        """The similarity of each sentence of one row, in ``sentence_spans`` order (what answers read)."""
        return self.vectors[self._sentences(row)] @ qvec

    def _gather(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return sentence_index(self.starts, len(self.vectors), rows)

    def best_of(self, qvec: np.ndarray, rows: Sequence[int] | np.ndarray) -> np.ndarray:
        """The best unit similarity of the given rows only (candidates of an approximate search)."""
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
            self.vectors[index],
            offsets,
            None if self.spans is None else self.spans[index],
            None if self.whole is None else self.whole[index],
        )

    def sentences_only(self) -> SentenceVectors:
        """These vectors without the clauses' (what a search reads with clauses switched off)."""
        if self.whole is None or self.whole.all():
            return self
        keep = np.flatnonzero(self.whole)
        starts = np.zeros(self.rows, dtype=np.int64)
        starts[1:] = np.cumsum(self.sentence_counts)[:-1]
        return SentenceVectors(
            self.vectors[keep], starts, None if self.spans is None else self.spans[keep], self.whole[keep]
        )
