"""The public API of policyqa: load once, then search (and answer). The CLI, the HTTP service and the
evaluation harness all go through this class."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from corpus.store import CorpusStore
from index.builder import BuildReport, build_index
from index.embeddings import Embedder, SentenceTransformerEmbedder, VectorCache
from index.errors import IndexNotReady
from index.filters import Filters, parse_filters
from index.retriever import HybridRetriever, Mode, SearchResult
from index.store import IndexStore
from index.tokenizer import ChineseTokenizer
from service.settings import Settings

log = logging.getLogger(__name__)


@dataclass
class Engine:
    settings: Settings
    embedder_override: Embedder | None = None

    @cached_property
    def embedder(self) -> Embedder:
        return self.embedder_override or SentenceTransformerEmbedder(self.settings.embedding())

    @cached_property
    def tokenizer(self) -> ChineseTokenizer:
        return ChineseTokenizer()

    @property
    def index_store(self) -> IndexStore:
        return IndexStore(self.settings.index_dir)

    def corpus(self) -> CorpusStore:
        return CorpusStore(self.settings.corpus_dir).load()

    def build(self, rebuild: bool = False, progress: bool = False) -> BuildReport:
        corpus = self.corpus()
        if not corpus.documents:
            raise IndexNotReady(
                f"the corpus store {self.settings.corpus_dir} is empty: run `policyqa ingest` first"
            )
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
            )
        finally:
            cache.close()
        self.__dict__.pop("retriever", None)
        return report

    @cached_property
    def retriever(self) -> HybridRetriever:
        data = self.index_store.load()
        self.index_store.check_compatible(data.manifest, self.embedder.name, self.tokenizer.version)
        return HybridRetriever(
            data, self.embedder, self.tokenizer, self.settings.retrieval(), self.settings.dense()
        )

    def ready(self) -> bool:
        return "retriever" in self.__dict__

    def search(
        self,
        query: str,
        k: int = 10,
        filters: Filters | dict[str, Any] | None = None,
        mode: Mode = "hybrid",
        understanding: str | None = None,
        fusion: str | None = None,
    ) -> SearchResult:
        f = filters if isinstance(filters, Filters) else parse_filters(filters)
        return self.retriever.search(
            query, k=k, filters=f, mode=mode, understanding=understanding, fusion=fusion
        )


def search_body(result: SearchResult) -> dict[str, Any]:
    """The search body of docs/CONTRACT.md."""
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
            }
            for h in result.hits
        ],
        "understood": result.analysis.to_dict() if result.analysis else None,
        "filters": result.filters.to_dict(),
    }
