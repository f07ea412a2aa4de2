"""The public API of policyqa: load once, then search (and answer). The CLI, the HTTP service and the
evaluation harness all go through this class."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

from corpus.access import Reader, can_read
from corpus.models import Document
from corpus.store import CorpusStore
from index import approximate
from index.adaptation.model import AdaptedEmbedder, AdapterError, QueryAdapter, TowerAdapter, load_adapter
from index.builder import BuildReport, build_index
from index.embeddings import Embedder, SentenceTransformerEmbedder, VectorCache
from index.errors import BadQuery, IndexLayerError, IndexNotReady
from index.filters import Filters, parse_filters
from index.records import DocRecord
from index.retriever import MAX_QUERY_CHARS, Hit, HybridRetriever, Mode, SearchResult
from index.store import IndexStore
from index.tokenizer import ChineseTokenizer
from service.answering.chat import Turn, resolve
from service.answering.compare import compared_regions, side_by_side
from service.answering.cues import question_cues
from service.answering.currency import note_outdated
from service.answering.extractive import ExtractiveAnswerer, content_of
from service.answering.generative import GenerativeAnswerer
from service.answering.jurisdiction import (
    answer_about_unheld,
    answer_where_it_applies,
    binding_rules,
    with_binding_rule,
)
from service.answering.models import Answer, validity_fields
from service.answering.verify import table_rows
from service.live import ANSWER_HITS, Live, load_live
from service.settings import Settings
from service.writing import writing

log = logging.getLogger(__name__)


@dataclass
class Engine:
    settings: Settings
    embedder_override: Embedder | None = None

    @cached_property
    def embedder(self) -> Embedder:
        if self.embedder_override is not None:
            return self.embedder_override
        base = SentenceTransformerEmbedder(self.settings.embedding())
        adapter = self.adapter_for(base)
        return AdaptedEmbedder(base, adapter) if adapter else base

    def adapter_for(self, base: Embedder) -> QueryAdapter | TowerAdapter | None:
        """The configured query adapter; with ``auto``, the shipped one only when it fits the model."""
        folder = self.settings.adapter_dir()
        if folder is None:
            return None
        if self.settings.adapter == "auto" and not (folder / "manifest.json").exists():
            log.info("no shipped query adapter in %s: queries are not adapted", folder)
            return None
        try:
            adapter = load_adapter(folder, base.name, base.dim)
        except AdapterError as exc:
            if self.settings.adapter != "auto":
                raise
            log.info("shipped query adapter not used: %s", exc)
            return None
        if isinstance(adapter, TowerAdapter) and self.settings.adapter_share < 1:
            adapter = replace(adapter, share=self.settings.adapter_share)
        log.info("query adapter %s (%s)", adapter.digest, folder)
        return adapter

    @cached_property
    def tokenizer(self) -> ChineseTokenizer:
        return ChineseTokenizer()

    @property
    def index_store(self) -> IndexStore:
        return IndexStore(self.settings.index_dir)

    def corpus(self) -> CorpusStore:
        return CorpusStore(self.settings.corpus_dir).load()

    def writing(self) -> AbstractContextManager[None]:
        """The data folder's writer lock (one ingest/index/admin change at a time, across processes)."""
        return writing(self.settings.data_dir, self.settings.write_lock_timeout_s)

    def build(self, rebuild: bool = False, progress: bool = False) -> BuildReport:
        """Build or update the index; a loaded engine switches to the new generation at once.
        Callers that also change the corpus hold ``writing()`` around both."""
        corpus = self.corpus()
        if not corpus.documents:
            raise IndexNotReady(
                f"the corpus store {self.settings.corpus_dir} is empty: run `policyqa ingest` first"
            )
        self.index_store.clean_leftovers()
        cache = VectorCache(self.settings.cache_dir / "vectors.sqlite")
        try:
            report = build_index(
                corpus,
                self.index_store,
                self.embedder,
                self.tokenizer,
                rebuild=rebuild,
                cache=cache,
                progress=progress,
                sentences=self.settings.sentence_vectors,
                clauses=self.settings.clause_vectors,
                # a large library's BM25 matrix, HNSW graph and sentence cells are built before the
                # switch (index.approximate)
                prepare=approximate.prepare(
                    self.settings.dense(),
                    self.settings.sentence_search(),
                    self.settings.sentence_vectors,
                    backend=self.settings.backend != "embedded",
                    pairs=self.settings.retrieval().indexes_pairs,
                ),
            )
        finally:
            cache.close()
        if self._live is not None:
            self._switch()
        return report

    # --- the live generation -------------------------------------------------------------------
    _live: Live | None = field(default=None, init=False, repr=False)
    _checked: float = field(default=0.0, init=False, repr=False)
    _loading: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    @property
    def live(self) -> Live:
        """The generation requests read. A newer one on disk (built by another worker or process) is
        seen at the next request (or within ``reload_interval_s``): the request that sees it loads it
        beside the old one and switches in one assignment; requests meanwhile keep the old one."""
        live = self._live
        if live is None:
            with self._loading:
                if self._live is None:
                    self._live = load_live(self.settings, self.embedder, self.tokenizer)
                return self._live
        now = time.monotonic()
        if now - self._checked >= self.settings.reload_interval_s:
            self._checked = now
            current = self.index_store.current_name()
            if current != live.generation and self._loading.acquire(blocking=False):
                try:
                    if current is None:  # the library was emptied elsewhere
                        self._live = None
                        raise IndexNotReady(f"no index in {self.settings.index_dir}: run `policyqa index`")
                    self._switch()
                finally:
                    self._loading.release()
        return self._live or live

    def _switch(self) -> None:
        try:
            fresh = load_live(self.settings, self.embedder, self.tokenizer)
            if fresh.answerer.floors is not None:
                fresh.answerer.floors()  # measured beside the served generation: no request waits for it
        except (IndexLayerError, OSError, ValueError) as exc:
            # a generation removed or half-visible while we read it: keep serving the one we have
            log.warning("kept index generation %s: %s", self._live.generation if self._live else None, exc)
            return
        old, self._live = self._live, fresh
        if old is None or old.generation != fresh.generation:
            log.info("serving index generation %s (%d chunks)", fresh.generation, len(fresh.retriever.chunks))

    def drop_live(self) -> None:
        """Forget the served generation (the library was emptied): requests get IndexNotReady."""
        self._live = None

    @property
    def retriever(self) -> HybridRetriever:
        return self.live.retriever

    @property
    def documents(self) -> dict[str, Document]:
        return self.live.documents

    @property
    def answerer(self) -> ExtractiveAnswerer:
        return self.live.answerer

    @cached_property
    def generator(self) -> GenerativeAnswerer | None:
        config = self.settings.generative()
        return GenerativeAnswerer(config) if config else None

    def ask(
        self,
        question: str,
        filters: Filters | dict[str, Any] | None = None,
        k: int = ANSWER_HITS,
        reader: Reader | None = None,
    ) -> Answer:
        """``reader`` None: the trusted local user (CLI, evaluation), who reads every document."""
        live = self.live
        f = filters if isinstance(filters, Filters) else parse_filters(filters)
        result = live.retriever.search(question, k=k, filters=f, reader=reader)
        if not f.region:
            result = self._with_sides(live, result, reader)
        hits = result.hits
        if result.analysis and len(result.analysis.regions) >= 2 and not f.region:
            hits = self._per_region_hits(live, result, f, reader)
        elif result.analysis and f.is_empty():
            hits = self._with_binding_rule(live, result, hits, reader)
        idf = live.retriever.view(reader).bm25.idf_of  # the statistics of what this reader may read

        def answer_from(passages: list[Hit]) -> Answer:
            found = live.answerer.answer(result.query, passages, result.analysis, idf, result.nearest)
            if self.generator is not None:
                found = self.generator.answer(result.query, passages, found)
            return found

        retriever = live.retriever
        docs = retriever.docs
        # an answer only from other provinces' rules is asked again from the rules that apply, else declined
        answer = answer_where_it_applies(
            answer_from,
            hits,
            retriever.jurisdictions,
            self.settings.home_jurisdiction or None,
            retriever.named_jurisdictions(result.analysis) if result.analysis else (),
        )
        if result.analysis is not None:  # a place named that no document is of: said, and held to its rules
            answer = answer_about_unheld(answer, answer_from, hits, result.analysis, lambda d: docs[d].meta)
        return note_outdated(answer, lambda d: docs[d].meta.title if d in docs else None)

    def _with_sides(self, live: Live, result: SearchResult, reader: Reader | None) -> SearchResult:
        """The search result with the places a comparison sets side by side as its regions
        (``compare.compared_regions``: 全市 names the city's own plan)."""
        if result.analysis is None:
            return result
        docs = live.retriever.view(reader).docs  # what this reader may read: no other place is named

        def held(region: str) -> bool:
            return any(d.meta.region == region for d in docs.values())

        home = self.settings.home_jurisdiction or None
        sides = compared_regions(result.query, result.analysis.regions, home, held)
        if sides == result.analysis.regions:
            return result
        return replace(result, analysis=replace(result.analysis, regions=sides))

    @staticmethod
    def _with_binding_rule(
        live: Live, result: SearchResult, hits: list[Hit], reader: Reader | None
    ) -> list[Hit]:
        """A question about one place reads the best passage of the statutes that bind there among the
        passages an answer reads (``jurisdiction.with_binding_rule``), searched among those statutes."""
        docs = live.retriever.view(reader).docs
        rules = binding_rules({d: r.meta for d, r in docs.items()}, result.analysis)
        read = live.answerer.config.top_chunks
        if not rules or any(h.chunk.doc_id in rules for h in hits[:read]):
            return hits
        rule = live.retriever.search(result.query, k=1, filters=Filters(doc=rules), reader=reader).hits
        return with_binding_rule(hits, rule, read, set(rules))

    @staticmethod
    def _per_region_hits(
        live: Live, result: SearchResult, filters: Filters, reader: Reader | None, per_region: int = 3
    ) -> list[Hit]:
        """A question comparing regions reads each region it names from a search within that region for
        the point compared, its name being the filter (``compare.side_by_side``): the other places' names
        would find a passage naming them, 有什么不同 one holding 不同层级."""
        regions = result.analysis.regions if result.analysis else ()
        topic = content_of(result.query, result.analysis, question_cues(result.query)).strip() or result.query
        found = [
            live.retriever.search(
                topic, k=per_region, filters=replace(filters, region=(r,)), reader=reader
            ).hits
            for r in regions
        ]
        return side_by_side(found, result.hits, regions)

    def chat(
        self, turns: list[Turn], filters: Filters | dict[str, Any] | None = None, reader: Reader | None = None
    ) -> Answer:
        """Answer the last user turn, read in the context of the earlier ones."""
        resolved = resolve(turns, self.retriever.view(reader).analyzer)
        if resolved.kind == "citation" and not resolved.question:
            text = "对话中还没有先前的回答，无法查看其中的引用。请先提出问题。"
            return Answer(turns[-1].content, False, text, [])
        # a follow-up read into a long earlier question may outgrow the query limit: keep its start
        answer = self.ask(resolved.question[:MAX_QUERY_CHARS], filters=filters, reader=reader)
        if resolved.kind == "citation":
            n = resolved.citation or 0
            cited = [c for c in answer.citations if c.n == n]
            if not cited:
                raise BadQuery(f"the previous answer has no citation [{n}]; it has {len(answer.citations)}")
            c = cited[0]
            text = f"[{n}] 出自《{c.title}》{' > '.join(c.section)}：{c.quote}[{n}]"
            answer = Answer(
                turns[-1].content,
                True,
                text,
                answer.citations,
                answer.related,
                answer.confidence,
                answer.mode,
            )
        answer.question = turns[-1].content
        answer.resolved_question = resolved.question
        return answer

    def document(self, doc_id: str, reader: Reader | None = None) -> Document | None:
        """The document, or None when it does not exist or the reader may not read it (not told apart)."""
        doc = self.live.documents.get(doc_id)
        return doc if doc is not None and (reader is None or can_read(doc.access, reader)) else None

    def validity(self, doc_id: str) -> dict[str, Any]:
        doc = self.live.retriever.docs.get(doc_id)
        return validity_fields(doc.validity if doc else None)

    def catalogue(self, reader: Reader | None = None) -> list[DocRecord]:
        return list(self.retriever.view(reader).docs.values())

    def facets(self, reader: Reader | None = None) -> dict[str, list]:
        docs = self.catalogue(reader)
        return {
            "regions": sorted({d.meta.region for d in docs if d.meta.region}),
            "years": sorted({d.meta.year for d in docs if d.meta.year}, reverse=True),
            "doc_types": sorted({d.meta.doc_type for d in docs if d.meta.doc_type}),
        }

    def warm_up(self) -> None:
        """Load the index, documents and model, run one query and measure the library's relevance floors
        (service.answering.relevance), so the first request is fast."""
        self.search("安全生产", k=1)
        if self.answerer.floors is not None:
            self.answerer.floors()

    def ready(self) -> bool:
        return self._live is not None

    def ocr_uncertain(self, hit: Hit) -> tuple[tuple[int, int], ...]:
        """The stretches of ``hit``'s text that OCR read with low confidence (offsets within it)."""
        doc = self.documents.get(hit.chunk.doc_id)
        return doc.uncertain_in(hit.chunk.start, hit.chunk.end) if doc is not None else ()

    def search(
        self,
        query: str,
        k: int = 10,
        filters: Filters | dict[str, Any] | None = None,
        mode: Mode = "hybrid",
        understanding: str | None = None,
        fusion: str | None = None,
        sparse_weight: float | None = None,
        reader: Reader | None = None,
    ) -> SearchResult:
        f = filters if isinstance(filters, Filters) else parse_filters(filters)
        return self.retriever.search(
            query,
            k=k,
            filters=f,
            mode=mode,
            understanding=understanding,
            fusion=fusion,
            sparse_weight=sparse_weight,
            reader=reader,
        )


def search_body(
    result: SearchResult, uncertain: Callable[[Hit], tuple[tuple[int, int], ...]] | None = None
) -> dict[str, Any]:
    """The search body of docs/CONTRACT.md; ``uncertain`` gives the stretches of a hit's text that OCR
    read with low confidence (offsets within the hit's text; Engine.ocr_uncertain)."""
    return {
        "query": result.query,
        "results": [
            {
                "rank": h.rank,
                "chunk_id": h.chunk.chunk_id,
                "doc_id": h.chunk.doc_id,
                "source": h.chunk.source,
                "title": h.chunk.title,
                "section": list(h.chunk.section),
                "text": h.chunk.text,
                "start": h.chunk.start,
                "end": h.chunk.end,
                "score": round(h.score, 6),
                "doc_number": h.doc.meta.doc_number,
                "date": h.doc.meta.issued_date or h.doc.meta.published_date,
                "region": h.doc.meta.region,
                "doc_type": h.doc.meta.doc_type,
                "matched_terms": list(h.matched_terms),
                "table_header": h.chunk.table_header,
                # a piece of an annex table, row by row under its header (the text stays verbatim)
                "rows": table_rows(h.chunk.text, h.chunk.table_header) if "|" in h.chunk.text else [],
                "ocr": h.chunk.ocr,
                "page": h.chunk.page,
                "uncertain": [list(span) for span in uncertain(h)] if uncertain else [],
                **validity_fields(h.doc.validity),
            }
            for h in result.hits
        ],
        "understood": result.analysis.to_dict() if result.analysis else None,
        "filters": result.filters.to_dict(),
    }


def answer_body(answer: Answer) -> dict[str, Any]:
    """The answer body of docs/CONTRACT.md (plus related reading when the corpus does not answer)."""
    body: dict[str, Any] = {
        "question": answer.question,
        "answerable": answer.answerable,
        "answer": answer.answer,
        "citations": [c.to_dict() for c in answer.citations],
        "confidence": answer.confidence,
        "mode": answer.mode,
        "direct": answer.direct,
    }
    if answer.comparison:
        body["comparison"] = [row.to_dict() for row in answer.comparison]
    if answer.resolved_question and answer.resolved_question != answer.question:
        body["resolved_question"] = answer.resolved_question
    body["related"] = search_body(SearchResult(answer.question, answer.related))["results"]
    return body
