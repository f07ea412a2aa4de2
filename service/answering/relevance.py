"""Whether the library holds anything closer to a question than unrelated questions find in it.

The span score is relative to the passages at hand, so the best sentence of the best passage looks
confident whatever it says (怎么办理护照 was answered with an immigration fine). An absolute cosine floor
would belong to one encoder and one library, and fitting one for plans needs plan questions that are
not the seeds, which do not exist. So the floor is measured on the library itself, as a null
distribution: a fixed set of questions about things no safety or disaster library speaks of
(``data/unrelated-questions.txt``: cooking, pets, travel, civil-registry errands ...) is searched, and
for each collection (laws; policy documents) the floor is the given quantile of the best sentence
similarity those questions reach in it. A question whose every collection stays below its floor is
declined: nothing in the library resembles it more than what unrelated questions find. The floors
follow whatever encoder and query side embed the questions, and whatever documents the library holds.

The passages an answer reads are not the only measure. They are chosen with BM25 too, so an
answerable question in its own words (一家公司挂好几块牌子怎么弄) can have its nearest sentence outside
them. So the library's nearest sentence per collection is a second measure (``SearchResult.nearest``:
the dense search scores every row's best sentence anyway), with floors of its own measured the same
way. A question is declined only when it stays below the floors of both measures in every collection
(``closest``). Measured (docs/measurements.md, "Answers, 2026-12-07 (sixteenth session)"): fewer answerable
questions declined in both libraries, none more on any statute set, at the cost of some out-of-scope
questions answered.

The quantile is fitted on statute questions (``python -m evaluation.calibration_report``), never on
the seeds or a gold question: the training-data rule.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np

from corpus.metadata import document_kind
from corpus.store import atomic_write_lines
from index.retriever import Hit

log = logging.getLogger(__name__)

REFERENCE_QUESTIONS = Path(__file__).with_name("data") / "unrelated-questions.txt"
NO_SIMILARITY = -1.0  # a collection with no passage among a question's hits: below any cosine
PROBE_QUESTIONS = 3  # searched to tell whether cached floors still hold (RelevanceFloors._key)
CACHED_ENTRIES = 64  # generations x settings whose floors the cache file keeps


def load_reference_questions(path: Path = REFERENCE_QUESTIONS) -> list[str]:
    """One question a line; blank lines and lines starting with # are skipped."""
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def best_by_kind(hits: Iterable[Hit]) -> dict[str, float]:
    """Per collection (``corpus.metadata.document_kind``), the best raw sentence similarity among the
    hits; a hit without sentence similarities (no sentence vectors, a lexical search) adds nothing."""
    best: dict[str, float] = {}
    for hit in hits:
        kind = document_kind(hit.doc.meta.doc_type)
        for _, _, x in hit.sentences:
            best[kind] = max(best.get(kind, NO_SIMILARITY), x)
    return best


def library_wide(kind: str) -> str:
    """The name the library-wide measure of a collection goes by, beside the hits' (``closest``)."""
    return f"{kind}:library"


def closest(hits: Iterable[Hit], nearest: Mapping[str, float] | None = None) -> dict[str, float]:
    """How close the library comes to a question, by two measures per collection: the best sentence of
    the hits an answer reads (``best_by_kind``, under the collection's name) and the nearest sentence of
    the whole collection (``SearchResult.nearest``, under ``library_wide``). Each measure has its own
    floor, so ``unrelated`` declines only a question below both (pure).

    >>> closest([], {"legal": 0.8}), closest([], None)
    ({'legal:library': 0.8}, {})
    """
    found = best_by_kind(hits)
    for kind, x in (nearest or {}).items():
        found[library_wide(kind)] = x
    return found


def floors_from(samples: Sequence[Mapping[str, float]], quantile: float) -> dict[str, float]:
    """Each collection's floor: the ``quantile`` of the reference questions' best similarities in it (a
    question that found nothing of that collection counts as found nothing close).

    >>> floors_from([{"legal": 0.7}, {"legal": 0.8, "policy": 0.6}, {"legal": 0.9}], 0.5)
    {'legal': 0.8, 'policy': -1.0}
    """
    kinds = sorted({k for s in samples for k in s})
    return {k: float(np.quantile([s.get(k, NO_SIMILARITY) for s in samples], quantile)) for k in kinds}


def unrelated(best: Mapping[str, float], floors: Mapping[str, float]) -> bool:
    """Whether every collection among a question's hits stays below its floor. Undecided (False) when
    nothing is known: no similarities, or a collection the reference questions never reached.

    >>> unrelated({"legal": 0.79, "policy": 0.70}, {"legal": 0.80, "policy": 0.76})
    True
    >>> unrelated({"legal": 0.79, "policy": 0.77}, {"legal": 0.80, "policy": 0.76})
    False
    """
    return bool(best) and all(k in floors and x < floors[k] for k, x in best.items())


class RelevanceFloors:
    """A library's floors, measured once on first use (about a hundred searches) and kept; with a
    ``cache`` file, kept across processes too (a CLI question would otherwise wait ~3 s for them)."""

    def __init__(
        self,
        closeness: Callable[[str], Mapping[str, float]],
        questions: Sequence[str],
        quantile: float,
        cache: Path | None = None,
        generation: str = "",
    ):
        """``closeness``: how close the library comes to a question, per collection, as an answer
        reads it (``closest`` of the same search)."""
        self._closeness = closeness
        self._questions = list(questions)
        self.quantile = quantile
        self._cache = cache
        self._generation = generation
        self._floors: dict[str, float] | None = None
        self._lock = threading.Lock()

    @property
    def measured(self) -> bool:
        return self._floors is not None

    def get(self) -> dict[str, float]:
        with self._lock:
            if self._floors is None:
                # the first few questions are measured once: they key the cache, and on a miss they are
                # the start of the samples
                probed = [dict(self._closeness(q)) for q in self._questions[:PROBE_QUESTIONS]]
                key = self._key(probed) if self._cache is not None else None
                cached = read_cached(self._cache, key) if self._cache is not None and key else None
                if cached is not None:
                    self._floors = cached
                    return cached
                rest = self._questions[len(probed) :]
                samples = probed + [dict(self._closeness(q)) for q in rest]
                self._floors = floors_from(samples, self.quantile)
                log.info(
                    "relevance floors at quantile %.2f of %d unrelated questions: %s",
                    self.quantile,
                    len(samples),
                    {k: round(v, 4) for k, v in self._floors.items()},
                )
                if self._cache is not None and key:
                    write_cached(self._cache, key, self._floors)
            return self._floors

    def _key(self, probed: Sequence[Mapping[str, float]]) -> str:
        """What the floors depend on: the generation, the quantile, the questions, and how close the
        library comes to the first few of them (``probed``), which changes with the model, the query
        side, the retrieval settings and the code behind them."""
        probe = [sorted((k, round(x, 5)) for k, x in found.items()) for found in probed]
        raw = json.dumps([self._generation, self.quantile, self._questions, probe], ensure_ascii=False)
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def read_cached(path: Path, key: str) -> dict[str, float] | None:
    """The floors stored under ``key``; None when absent or unreadable (the cache is only a shortcut)."""
    try:
        entry = json.loads(path.read_text(encoding="utf-8")).get(key)
        return {str(k): float(v) for k, v in entry.items()} if isinstance(entry, dict) else None
    except (OSError, ValueError, TypeError, AttributeError):
        return None


def write_cached(path: Path, key: str, floors: Mapping[str, float], keep: int = CACHED_ENTRIES) -> None:
    """Store ``floors`` under ``key`` (whole file or nothing), keeping the newest ``keep`` entries."""
    try:
        entries = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        if not isinstance(entries, dict):
            entries = {}
    except (OSError, ValueError):
        entries = {}
    entries.pop(key, None)
    entries[key] = dict(floors)
    kept = dict(list(entries.items())[-keep:])
    try:
        atomic_write_lines(path, [json.dumps(kept, ensure_ascii=False)])
    except OSError as exc:
        log.warning("relevance floors not cached in %s: %s", path, exc)
