"""The hybrid retriever: BM25 and dense candidates, fused, filtered, boosted by what the query names.

The sparse and dense searchers are passed in; fusion is a small pure function (see ``fuse``).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Literal, Protocol

import numpy as np

from corpus.access import Reader, can_read
from corpus.metadata import document_kind
from corpus.models import Chunk
from corpus.validity import in_force, resolve_versions
from index.applicability import applicability, combine, currency, named_by_title
from index.approximate import approximate_indexes, bm25_index
from index.bm25 import BM25Index
from index.dense import DenseConfig
from index.embeddings import Embedder
from index.errors import BadQuery
from index.feedback import expansion_terms
from index.filters import Filters, doc_matches, validate
from index.fusion import federated_merge, names_one_collection, rrf, standout, weighted_sum
from index.pairs import query_weights
from index.query import QueryAnalysis, QueryAnalyzer
from index.ranking import top_k, top_k_among
from index.records import DocRecord
from index.sentence_search import SentenceSearchConfig
from index.sentences import blend, sentence_spans
from index.store import IndexData
from index.tokenizer import ChineseTokenizer

log = logging.getLogger(__name__)

Mode = Literal["hybrid", "bm25", "dense"]
# control characters, zero-width characters and the replacement character carry nothing to search for
_INVISIBLE = re.compile(r"[\x00-\x1f\x7f\u200b-\u200f\u2060\ufeff\ufffd]")
MODES: tuple[str, ...] = ("hybrid", "bm25", "dense")
MAX_QUERY_CHARS = 500
MAX_K = 100


@dataclass(frozen=True)
class RetrievalConfig:
    fusion: Literal["rrf", "weighted"] = "weighted"
    rrf_k: int = 60
    sparse_weight: float = 0.4  # weighted fusion: the dense side gets 1 - sparse_weight
    candidates: int = 100
    understanding: Literal["boost", "filter", "off"] = "boost"
    boost: float = 0.25  # relative score increase per constraint a document meets
    # where the asker works: other provinces' local rules rank lower (index.applicability)
    home_jurisdiction: str | None = "重庆市"
    other_jurisdiction_weight: float = 0.5
    # laws and policy documents ranked as two collections and merged (index.fusion.federated_merge)
    balance_kinds: bool = True
    # documents no longer in force (repealed, expired, replaced by a newer edition) rank lower
    outdated_weight: float = 0.5
    # a passage's dense score also reads its best sentence (index.sentences), when the index has them
    sentences: bool = True
    # ... or its best clause, when the index holds clause vectors too (False: sentences alone)
    clauses: bool = True
    # pseudo-relevance feedback (index.feedback): the fused search's best passages lend BM25 their terms
    feedback_docs: int = 0
    feedback_terms: int = 10
    feedback_weight: float = 0.5
    # BM25 also indexes pairs of adjacent Han characters (index.pairs); a question's pair weighs this
    # against a word's 1 (0: words alone)
    pair_weight: float = 0.5

    @property
    def indexes_pairs(self) -> bool:
        """Whether BM25 holds the character pairs (a stored matrix is built with them or without)."""
        return self.pair_weight > 0


@dataclass(frozen=True)
class Hit:
    chunk: Chunk
    doc: DocRecord
    score: float
    rank: int
    sparse_rank: int | None
    dense_rank: int | None
    matched_terms: tuple[str, ...]
    # (start, end, similarity to the question) of the chunk's sentences, offsets within the chunk text;
    # empty when the index has no sentence vectors or the search was lexical only (index.sentences)
    sentences: tuple[tuple[int, int, float], ...] = ()


@dataclass
class SearchResult:
    query: str
    hits: list[Hit]
    analysis: QueryAnalysis | None = None
    filters: Filters = field(default_factory=Filters)
    # per collection (laws; policy documents), the similarity to the question of the nearest sentence
    # among all the rows the search could return, not only its hits (``HybridRetriever.nearest``); empty
    # when the search had no question vector or the index no sentence vectors
    nearest: dict[str, float] = field(default_factory=dict)


def nearest_by_kind(
    best: np.ndarray, kind_rows: Mapping[str, np.ndarray], allowed: np.ndarray | None = None
) -> dict[str, float]:
    """Per collection, the largest of the rows' scores ``best`` within ``allowed`` (a boolean row mask;
    None: all), leaving out a collection with no finite score there (pure).

    >>> best = np.array([0.7, 0.9, 0.8, -np.inf])
    >>> kinds = {"legal": np.array([1, 1, 0, 0], bool), "policy": np.array([0, 0, 1, 1], bool)}
    >>> nearest_by_kind(best, kinds), nearest_by_kind(best, kinds, np.array([1, 0, 0, 1], bool))
    ({'legal': 0.9, 'policy': 0.8}, {'legal': 0.7})
    """
    found = {}
    for kind, rows in kind_rows.items():
        mask = rows if allowed is None else rows & allowed
        if mask.any() and np.isfinite(top := float(best[mask].max())):
            found[kind] = top
    return found


def fuse(
    sparse: dict[int, float], dense: dict[int, float], config: RetrievalConfig, mode: Mode
) -> dict[int, float]:
    """Combine the two candidate runs ({row: score}) into one, per the configured method."""
    if mode == "bm25":
        return dict(sparse)
    if mode == "dense":
        return dict(dense)
    if config.fusion == "weighted":
        return weighted_sum([sparse, dense], [config.sparse_weight, 1 - config.sparse_weight])
    rank = lambda run: sorted(run, key=lambda r: -run[r])  # noqa: E731
    return rrf([rank(sparse), rank(dense)], k=config.rrf_k)


def apply_boost(
    run: dict[int, float], row_doc: list[str], doc_scores: dict[str, float], boost: float
) -> dict[int, float]:
    """Scores of chunks in documents the query names grow by ``boost`` per constraint met."""
    if not doc_scores or boost <= 0:
        return run
    return {r: s * (1 + boost * doc_scores.get(row_doc[r], 0.0)) if s > 0 else s for r, s in run.items()}


class CandidateBackend(Protocol):
    """Where a search's candidates come from when not from the in-process indexes (index.milvus)."""

    def sparse(self, text: str, k: int, docs: Sequence[str] | None = None) -> dict[int, float]: ...

    def dense(self, qvec: np.ndarray, k: int, docs: Sequence[str] | None = None) -> dict[int, float]: ...

    # a backend with ``server_fusion`` true also offers hybrid(text, qvec, k, docs, fusion, sparse_weight, rrf_k)


@dataclass(frozen=True)
class _Probe:
    """One query, prepared once and read by every run of a search (joint and per collection)."""

    qvec: np.ndarray | None
    bm25_all: np.ndarray | None  # every row's BM25 score
    bm25_postings: tuple[np.ndarray, int] | None  # the rows any query term is in, and how many terms
    dense_all: np.ndarray | None  # every row's inner product with qvec (exact index only)
    n_cand: int
    mode: Mode
    sparse_query: str  # the BM25 query tokens, space-separated (for a backend that analyses text itself)
    config: RetrievalConfig
    analysis: QueryAnalysis | None
    understanding: str
    doc_factors: dict[str, float]  # documents that do not apply where the asker works (per query)
    # the sentence search's nearest rows, by the rows a run allows (``HybridRetriever._sentences_near``)
    sentences_near: dict[bytes | None, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)


def scale_docs(run: dict[int, float], row_doc: list[str], factors: dict[str, float]) -> dict[int, float]:
    """Multiply the scores of rows whose document has a factor (others unchanged)."""
    if not factors:
        return run
    return {r: s * factors.get(row_doc[r], 1.0) for r, s in run.items()}


@dataclass(frozen=True)
class _View:
    """The part of the library one class of readers may see (``rows`` None: every row), with its own
    BM25 statistics: a document a reader may not read must not change the idf, and so the ranking or
    an answer's confidence, of what they search (``bm25_rows``: the library rows of ``bm25``'s rows)."""

    docs: dict[str, DocRecord]
    rows: np.ndarray | None
    analyzer: QueryAnalyzer
    bm25: BM25Index
    bm25_rows: np.ndarray | None = None

    def bm25_scores(self, weights: Mapping[str, float], n_rows: int) -> np.ndarray:
        """Every library row's BM25 score under this view's statistics (0 outside the view), for query
        terms with their weights (a query's own tokens: how often each occurs)."""
        scores = self.bm25.weighted_scores(weights)
        if self.bm25_rows is None:
            return scores
        out = np.zeros(n_rows, dtype=np.float32)
        out[self.bm25_rows] = scores
        return out

    def bm25_postings(self, tokens: Sequence[str]) -> tuple[np.ndarray, int]:
        """The library rows holding any query term (``BM25Index.postings``, mapped out of the view)."""
        rows, repeats = self.bm25.postings(tokens)
        return (rows if self.bm25_rows is None else self.bm25_rows[rows]), repeats


class HybridRetriever:
    def __init__(
        self,
        data: IndexData,
        embedder: Embedder,
        tokenizer: ChineseTokenizer,
        config: RetrievalConfig,
        dense: DenseConfig | None = None,
        backend: CandidateBackend | None = None,
        sentence_config: SentenceSearchConfig | None = None,
    ):
        """``backend``: where BM25 and dense candidates come from (None: the in-process BM25 matrix and
        FAISS index; see index.milvus for Milvus); ``sentence_config``: when the sentence side of an
        approximate search turns approximate too (index.sentence_search)."""
        self.data = data
        self.backend = backend
        self.embedder = embedder
        self.tokenizer = tokenizer
        self.config = config
        self.chunks = data.chunks
        validity = resolve_versions({i: d.meta for i, d in data.documents.items()}, date.today())
        self.docs = {i: replace(d, validity=validity[i]) for i, d in data.documents.items()}
        self.row_doc = [c.doc_id for c in self.chunks]
        # stored with a large generation (index.approximate.prepare), else counted here
        self.bm25, self.bm25_loaded = bm25_index(data.folder, data.tokens, config.indexes_pairs)
        # the answerer reads term weights from the BM25 statistics; the vectors need no local index then
        self.sentences = data.sentences if config.sentences else None
        if self.sentences is not None and not config.clauses:
            self.sentences = self.sentences.sentences_only()
        # whether a search has warned that the stored sentences were cut otherwise (_sentence_scores)
        self._stale_cut_logged = False
        # the passage index, and which passages hold the nearest sentences for the approximate paths
        # (_with_sentences); read from the generation's folder when its writer stored them
        self.dense, self.sentence_search = approximate_indexes(
            data.folder,
            data.vectors if backend is None else data.vectors[:0],
            self.sentences,
            dense or DenseConfig(),
            sentence_config or SentenceSearchConfig(),
            backend is not None,
        )
        self.analyzer = QueryAnalyzer(list(self.docs.values()), home=self.config.home_jurisdiction)
        self._views: dict[tuple, _View] = {}
        self._elsewhere: dict[tuple, dict[str, float]] = {}
        self._outdated = {d: doc.validity for d, doc in self.docs.items() if not in_force(doc.validity)}
        self.jurisdictions = {doc_id: d.meta.jurisdiction for doc_id, d in self.docs.items()}
        self.kinds = {doc_id: document_kind(d.meta.doc_type) for doc_id, d in self.docs.items()}
        self._kind_rows: dict[str, np.ndarray] = {}
        for kind in sorted(set(self.kinds.values())):
            self._kind_rows[kind] = np.array([self.kinds[d] == kind for d in self.row_doc], dtype=bool)
        rows_of: dict[str, list[int]] = {doc_id: [] for doc_id in self.docs}
        for i, d in enumerate(self.row_doc):  # one pass: libraries of 10^5 documents load in seconds
            rows_of.setdefault(d, []).append(i)
        self._doc_rows = {d: np.array(rows, dtype=np.int64) for d, rows in rows_of.items()}
        # each row's document as an index into a sorted list: a row mask becomes its documents at numpy speed
        self._doc_order = sorted(rows_of)
        position = {d: i for i, d in enumerate(self._doc_order)}
        self._row_doc_index = np.array([position[d] for d in self.row_doc], dtype=np.int32)

    def collection_sizes(self) -> dict[str, int]:
        """Passages in each collection the library is searched as (laws; policy documents)."""
        return {kind: int(rows.sum()) for kind, rows in self._kind_rows.items()}

    def named_jurisdictions(self, analysis: QueryAnalysis) -> frozenset[str]:
        """Jurisdictions a question names: of the places it names, or of the documents it names by title
        when those are of one jurisdiction (applicability.named_by_title; looked up in the analyzer's
        index, not by a pass over the catalogue)."""
        placed = set().union(*(self.analyzer.by_region.get(r, ()) for r in analysis.regions))
        by_place = {j for d in placed if (j := self.jurisdictions.get(d))}
        return frozenset(by_place) | named_by_title(self.jurisdictions.get(d) for d in analysis.title_docs)

    def _inapplicable(self, analysis: QueryAnalysis, config: RetrievalConfig) -> dict[str, float]:
        """Score factors for other provinces' local rules, unless the question names their place or title."""
        named = self.named_jurisdictions(analysis)
        key = (named, config.home_jurisdiction, config.other_jurisdiction_weight)
        elsewhere = self._elsewhere.get(key)
        if elsewhere is None:  # the same for every question naming no other place: computed once
            elsewhere = applicability(
                self.jurisdictions, config.home_jurisdiction, named, config.other_jurisdiction_weight
            )
            self._elsewhere[key] = elsewhere
        # a question about a year (2023年时的要求) or a named document asks about that edition
        asked = set(analysis.title_docs).union(*(self.analyzer.by_year.get(y, ()) for y in analysis.years))
        outdated = currency(self._outdated, config.outdated_weight, asked)
        return combine(elsewhere, outdated)

    def _scored(self, probe: _Probe, allowed: np.ndarray | None) -> tuple[dict[int, float], ...]:
        """(fused, sparse, dense) runs of the candidates within ``allowed``: each side's top candidates,
        fused (by the backend itself when it fuses), boosted for what the question names and weighed for
        applicability."""
        if self.backend is None:
            sparse, dense = self._local_candidates(probe, allowed)
            fused = fuse(sparse, dense, probe.config, probe.mode)
        else:
            fused, sparse, dense = self._backend_candidates(probe, allowed)
        if probe.analysis and probe.understanding == "boost":
            fused = apply_boost(fused, self.row_doc, probe.analysis.doc_scores, self.config.boost)
        return scale_docs(fused, self.row_doc, probe.doc_factors), sparse, dense

    def _local_candidates(self, probe: _Probe, allowed: np.ndarray | None) -> tuple[dict[int, float], ...]:
        """BM25 and dense candidates from the in-process indexes."""
        sparse: dict[int, float] = {}
        if probe.bm25_all is not None and probe.bm25_postings is not None:
            rows, repeats = probe.bm25_postings  # only rows holding a query term can score
            if allowed is not None:
                rows = rows[allowed[rows]]
            top = top_k_among(probe.bm25_all, rows, probe.n_cand, repeats)
            sparse = {int(r): float(probe.bm25_all[r]) for r in top}
        dense: dict[int, float] = {}
        if probe.dense_all is not None:
            sims = probe.dense_all if allowed is None else np.where(allowed, probe.dense_all, -np.inf)
            top = top_k(sims, probe.n_cand)
            dense = {int(r): float(sims[r]) for r in top if np.isfinite(sims[r])}
        elif probe.qvec is not None:  # an approximate index: ask it
            rows, sims = self.dense.search(probe.qvec, probe.n_cand, allowed)
            dense = self._with_sentences(
                {int(r): float(s) for r, s in zip(rows, sims, strict=True)},
                probe.qvec,
                probe.n_cand,
                allowed,
                self._sentences_near(probe, allowed),
            )
        return sparse, dense

    def _sentence_scores(self, row: int, qvec: np.ndarray | None) -> tuple[tuple[int, int, float], ...]:
        if self.sentences is None or qvec is None:
            return ()
        sims = self.sentences.of_row(qvec, row)
        # as cut when the vectors were made; a generation stored before the cuts were: as cut today,
        # which a later version of the segmentation may not match (then the row's sentences are not read)
        spans = self.sentences.spans_of(row) or sentence_spans(self.chunks[row].text)
        if len(spans) != len(sims):
            if not self._stale_cut_logged:
                log.warning("sentences cut otherwise than when indexed: run `policyqa index --rebuild`")
                self._stale_cut_logged = True
            return ()
        return tuple((a, b, float(x)) for (a, b), x in zip(spans, sims, strict=True))

    def _dense_all(self, qvec: np.ndarray, best: np.ndarray | None = None) -> np.ndarray:
        """Every row's dense score (an exact index): passage similarity, blended with its best sentence's
        (``best``: every row's, ``SentenceVectors.best``, when already at hand)."""
        sims = self.dense.vectors @ qvec
        if self.sentences is None:
            return sims
        return blend(sims, self.sentences.best(qvec) if best is None else best, self.sentences.single)

    def _sentences_near(
        self, probe: _Probe, allowed: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray] | None:
        """(rows, best-sentence similarities) of the ``n_cand`` rows within ``allowed`` whose best sentence
        is nearest the question, from the sentence search, asked once per search and set of allowed rows:
        the dense candidates and the nearest sentence read the same answer; None without a sentence
        search."""
        if self.sentence_search is None or probe.qvec is None:
            return None
        key = None if allowed is None else allowed.tobytes()
        if key not in probe.sentences_near:
            probe.sentences_near[key] = self.sentence_search.nearest(probe.qvec, probe.n_cand, allowed)
        return probe.sentences_near[key]

    def nearest(
        self,
        qvec: np.ndarray,
        allowed: np.ndarray | None,
        best: np.ndarray | None = None,
        k: int = 64,
        near: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> dict[str, float]:
        """Per collection, the similarity of the sentence nearest ``qvec`` among the rows ``allowed`` (None:
        all): read from every row's best sentence when the index is exact (``best``, as the dense scores
        use it), else from the ``k`` rows the sentence search finds nearest (``near`` when already asked;
        a collection none of them is in is left out); empty without sentence vectors."""
        if self.sentences is None:
            return {}
        if best is None:
            if near is None and self.sentence_search is None:
                return {}
            rows, sims = near if near is not None else self.sentence_search.nearest(qvec, k, allowed)
            best = np.full(len(self.chunks), -np.inf, dtype=np.float32)
            best[rows] = sims
        return nearest_by_kind(best, self._kind_rows, allowed)

    def _with_sentences(
        self,
        dense: dict[int, float],
        qvec: np.ndarray,
        k: int,
        allowed: np.ndarray | None,
        near: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> dict[int, float]:
        """Candidates of an approximate search (or a backend) rescored as ``_dense_all`` scores every row.

        The score blends a passage's vector with its best sentence's, so its candidates are the
        neighbours of both: the search's (passage vectors) and the ``k`` rows whose best sentence is
        nearest (from the sentence vectors held here). Without the second, a passage that only one
        sentence of makes relevant is never a candidate, though the exact index would rank it."""
        if self.sentences is None or self.sentence_search is None:
            return dense
        near, near_best = near if near is not None else self.sentence_search.nearest(qvec, k, allowed)
        known = dict(zip(near.tolist(), near_best.tolist(), strict=True))  # scored by the search already
        rows = np.fromiter(dict.fromkeys([*dense, *known]), dtype=np.int64)
        if not len(rows):
            return dense
        unknown = np.fromiter((r for r in rows.tolist() if r not in known), dtype=np.int64)
        known.update(zip(unknown.tolist(), self.sentences.best_of(qvec, unknown).tolist(), strict=True))
        best = np.fromiter((known[r] for r in rows.tolist()), dtype=np.float32, count=len(rows))
        scores = blend(self.data.vectors[rows] @ qvec, best, self.sentences.single[rows])
        return {int(r): float(x) for r, x in zip(rows, scores, strict=True)}

    def _backend_candidates(self, probe: _Probe, allowed: np.ndarray | None) -> tuple[dict[int, float], ...]:
        """(fused, sparse, dense) from the backend, restricted to the documents of ``allowed``
        (restrictions are always whole documents: filters, access, collections); a backend that fuses
        itself returns only the fused run."""
        docs = None
        if allowed is not None:
            docs = [self._doc_order[i] for i in np.unique(self._row_doc_index[allowed])]
        # a reader who may not read every document: BM25 from the view's own statistics, here, since the
        # backend's are the whole collection's (a hidden document must not change anyone's ranking)
        local_sparse = probe.bm25_all is not None
        if (
            getattr(self.backend, "server_fusion", False)
            and probe.mode == "hybrid"
            and probe.qvec is not None
            and not local_sparse
        ):
            fused = self.backend.hybrid(
                probe.sparse_query,
                probe.qvec,
                probe.n_cand,
                docs,
                probe.config.fusion,
                probe.config.sparse_weight,
                probe.config.rrf_k,
            )
            return fused, {}, {}
        if local_sparse:
            sparse, _ = self._local_candidates(replace(probe, qvec=None, dense_all=None), allowed)
        elif probe.mode in ("hybrid", "bm25"):
            sparse = self.backend.sparse(probe.sparse_query, probe.n_cand, docs)
        else:
            sparse = {}
        dense = (
            self._with_sentences(
                self.backend.dense(probe.qvec, probe.n_cand, docs),
                probe.qvec,
                probe.n_cand,
                allowed,
                self._sentences_near(probe, allowed),
            )
            if probe.qvec is not None
            else {}
        )
        return fuse(sparse, dense, probe.config, probe.mode), sparse, dense

    def _federated(
        self, order: list[int], probe: _Probe, allowed: np.ndarray | None
    ) -> tuple[list[int], dict[int, float]]:
        """Each collection (laws; policy documents) searched on its own, then merged: each one's best hit
        first, the rest by score. Within a collection, candidates and score normalisation are its own,
        so 200 statutes neither crowd out nor rescale a district's plans. The collection whose best hit
        stands out most from its next ones leads (``index.fusion.standout``); on a tie, the collection
        of the joint search's best hit (``order``)."""
        if len(self._kind_rows) < 2:
            return order, {}
        joint_lead = self.kinds[self.row_doc[order[0]]]
        runs, scores = [], {}
        for kind in sorted(self._kind_rows):
            mask = self._kind_rows[kind] if allowed is None else (self._kind_rows[kind] & allowed)
            if not mask.any():
                continue
            fused, _, _ = self._scored(probe, mask)
            run = sorted(fused, key=lambda r: (-fused[r], r))
            if run:
                runs.append((standout([fused[r] for r in run]), kind == joint_lead, run))
            scores.update(fused)
        runs.sort(key=lambda x: (-x[0], not x[1]))
        return federated_merge([run for _, _, run in runs], scores), scores

    def _with_feedback(
        self, probe: _Probe, fused: dict[int, float], view: _View, query_terms: set[str]
    ) -> _Probe:
        """The probe with BM25 scores of the query plus the terms of the first search's best passages
        (``index.feedback``), weighted by ``feedback_weight`` against the query's own."""
        config = probe.config
        top = sorted(fused, key=lambda r: (-fused[r], r))[: config.feedback_docs]
        terms = expansion_terms(
            [(self.data.tokens[r], fused[r]) for r in top],
            view.bm25.idf_of,
            query_terms,
            config.feedback_terms,
        )
        if not terms or probe.bm25_all is None or probe.bm25_postings is None:
            return probe
        weights = {t: config.feedback_weight * w * len(query_terms) for t, w in terms.items()}
        extra = view.bm25_scores(weights, len(self.chunks))
        rows, repeats = view.bm25_postings(list(terms))
        old_rows, old_repeats = probe.bm25_postings
        return replace(
            probe,
            bm25_all=probe.bm25_all + extra,
            bm25_postings=(np.concatenate([old_rows, rows]), old_repeats + repeats),
        )

    def _names_documents(self, analysis: QueryAnalysis) -> bool:
        """The question says which documents (a place, a type, a title, a 文号), all of one collection:
        no collection balancing then (``index.fusion.names_one_collection``)."""
        return names_one_collection(analysis.doc_scores, self.kinds)

    def check_query(self, query: str, k: int) -> str:
        if not isinstance(query, str):
            raise BadQuery("the query must be text")
        q = " ".join(_INVISIBLE.sub(" ", query).split())
        if not q:
            raise BadQuery("the query is empty")
        if not any(ch.isalnum() for ch in q):
            raise BadQuery("the query has no letters or digits to search for")
        if len(q) > MAX_QUERY_CHARS:
            raise BadQuery(f"the query is {len(q)} characters long; the limit is {MAX_QUERY_CHARS}")
        if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= MAX_K:
            raise BadQuery(f"k must be a whole number from 1 to {MAX_K}")
        return q

    def view(self, reader: Reader | None) -> _View:
        """What a reader may see: its documents, their rows and a query analyzer over their catalogue
        (so neither a hit, a filter message nor the query reading can reveal a document it may not read).
        ``None`` is the trusted local user (CLI, evaluation): everything."""
        key = ("all",) if reader is None else reader.key
        view = self._views.get(key)
        if view is None:
            if reader is None or all(can_read(d.access, reader) for d in self.docs.values()):
                view = _View(self.docs, None, self.analyzer, self.bm25)
            else:
                docs = {i: d for i, d in self.docs.items() if can_read(d.access, reader)}
                mask = np.zeros(len(self.chunks), dtype=bool)
                for doc_id in docs:
                    mask[self._doc_rows[doc_id]] = True
                rows = np.flatnonzero(mask)
                # this reader's own statistics, counted here (never stored: one per access class)
                bm25, _ = bm25_index(None, [self.data.tokens[r] for r in rows], self.config.indexes_pairs)
                view = _View(
                    docs,
                    mask,
                    QueryAnalyzer(list(docs.values()), home=self.config.home_jurisdiction),
                    bm25,
                    rows,
                )
            self._views[key] = view
        return view

    def allowed_rows(self, filters: Filters, view: _View | None = None) -> np.ndarray | None:
        view = view or self.view(None)
        if filters.is_empty():
            return view.rows
        validate(filters, view.docs.values())
        mask = np.zeros(len(self.chunks), dtype=bool)
        for doc_id, doc in view.docs.items():
            if doc_matches(doc, filters):
                mask[self._doc_rows[doc_id]] = True
        return mask

    def search(
        self,
        query: str,
        k: int = 10,
        filters: Filters | None = None,
        mode: Mode = "hybrid",
        understanding: str | None = None,
        fusion: str | None = None,
        sparse_weight: float | None = None,
        reader: Reader | None = None,
    ) -> SearchResult:
        q = self.check_query(query, k)
        view = self.view(reader)
        config = self.config if fusion is None else replace(self.config, fusion=fusion)
        if sparse_weight is not None:
            if not 0 <= sparse_weight <= 1:
                raise BadQuery("sparse_weight must be between 0 and 1")
            config = replace(config, sparse_weight=sparse_weight)
        if config.fusion not in ("rrf", "weighted"):
            raise BadQuery(f"unknown fusion {fusion!r}; use rrf or weighted")
        if mode not in MODES:
            raise BadQuery(f"unknown mode {mode!r}; modes: {', '.join(MODES)}")
        filters = filters or Filters()
        understanding = understanding or self.config.understanding
        analysis = view.analyzer.analyze(q) if understanding != "off" else None
        allowed = self.allowed_rows(filters, view)
        if analysis and understanding == "filter" and analysis.doc_scores:
            named = np.zeros(len(self.chunks), dtype=bool)
            top = max(analysis.doc_scores.values())
            for doc_id, met in analysis.doc_scores.items():
                if met == top:
                    named[self._doc_rows[doc_id]] = True
            combined = named if allowed is None else (named & allowed)
            if combined.any():
                allowed = combined
        n_cand = max(self.config.candidates, k)
        q_tokens = self.tokenizer(q)
        parts = [q_tokens] + ([self.tokenizer(e) for e in analysis.expansions] if analysis else [])
        if analysis and analysis.regions:
            # a region the question names acts through the boost or filter, not as a content word:
            # otherwise '渝中区' would pull in every row that merely names a 渝中区 document
            places = analysis.place_names()
            kept = [[t for t in part if t not in places] for part in parts]
            parts = kept if any(kept) else parts
        sparse_tokens = [t for part in parts for t in part]
        sparse_weights = query_weights(parts, config.pair_weight)
        qvec = self.embedder.encode_queries([q])[0] if mode in ("hybrid", "dense") else None
        exact = qvec is not None and self.dense.kind == "flat" and self.backend is None
        # every row's best sentence, once: the dense scores and the nearest sentence both read it
        best = self.sentences.best(qvec) if exact and self.sentences is not None else None
        # BM25 in process: always with the embedded backend; with another, for a restricted view
        lexical = mode in ("hybrid", "bm25") and (self.backend is None or view.rows is not None)
        # every row scored once (BM25; dense by one mat-vec while the index is exact), reused by each run
        probe = _Probe(
            qvec=qvec,
            bm25_all=view.bm25_scores(sparse_weights, len(self.chunks)) if lexical else None,
            bm25_postings=view.bm25_postings(list(sparse_weights)) if lexical else None,
            dense_all=self._dense_all(qvec, best) if exact else None,
            n_cand=n_cand,
            mode=mode,
            sparse_query=" ".join(sparse_tokens),
            config=config,
            analysis=analysis,
            understanding=understanding,
            doc_factors=self._inapplicable(analysis, config) if analysis else {},
        )
        fused, sparse, dense = self._scored(probe, allowed)
        if config.feedback_docs > 0 and mode == "hybrid" and lexical and fused:
            probe = self._with_feedback(probe, fused, view, set(sparse_tokens))
            fused, sparse, dense = self._scored(probe, allowed)
        order = sorted(fused, key=lambda r: (-fused[r], r))
        if analysis and config.balance_kinds and not self._names_documents(analysis) and order:
            federated, scores = self._federated(order, probe, allowed)
            if scores:
                order, fused = federated, scores
        order = order[:k]
        sparse_rank = {r: i + 1 for i, r in enumerate(sorted(sparse, key=lambda r: -sparse[r]))}
        dense_rank = {r: i + 1 for i, r in enumerate(sorted(dense, key=lambda r: -dense[r]))}
        query_terms = set(q_tokens)
        hits = []
        for rank, r in enumerate(order, start=1):
            chunk = self.chunks[r]
            terms = tuple(t for t in dict.fromkeys(self.data.tokens[r]) if t in query_terms)
            hits.append(
                Hit(
                    chunk,
                    self.docs[chunk.doc_id],
                    fused[r],
                    rank,
                    sparse_rank.get(r),
                    dense_rank.get(r),
                    terms,
                    self._sentence_scores(r, qvec),
                )
            )
        near = None if best is not None else self._sentences_near(probe, allowed)
        nearest = self.nearest(qvec, allowed, best, n_cand, near) if qvec is not None else {}
        return SearchResult(query=q, hits=hits, analysis=analysis, filters=filters, nearest=nearest)
