"""One index generation and everything read from it, loaded together and swapped as one.

A request takes the live generation once and uses it to the end, so a switch to a new generation
never mixes two (a retriever of one with the documents of another); the old one stays readable in
memory until the last request holding it ends.
"""

from __future__ import annotations

from dataclasses import dataclass

from corpus.models import Chunk, Document
from corpus.store import CorpusStore
from index.embeddings import Embedder
from index.retriever import HybridRetriever
from index.store import IndexData, IndexStore
from index.tokenizer import ChineseTokenizer
from service.answering.extractive import ExtractiveAnswerer
from service.answering.relevance import RelevanceFloors, closest, load_reference_questions
from service.settings import Settings

ANSWER_HITS = 8  # the passages an answer is drawn from (Engine.ask's k)


@dataclass(frozen=True)
class Live:
    generation: str
    retriever: HybridRetriever
    answerer: ExtractiveAnswerer
    documents: dict[str, Document]  # cleaned texts, for verbatim quotes and the document view


def load_live(settings: Settings, embedder: Embedder, tokenizer: ChineseTokenizer) -> Live:
    store = IndexStore(settings.index_dir)
    data = store.load()
    store.check_compatible(data.manifest, embedder.name, tokenizer.version)
    tokenizer.add_terms(data.manifest.get("terms", []))
    backend = milvus_backend(settings, store, data, tokenizer) if settings.backend == "milvus" else None
    retriever = HybridRetriever(
        data, embedder, tokenizer, settings.retrieval(), settings.dense(), backend, settings.sentence_search()
    )
    # the chunks are not read again from the corpus store: the index already holds them
    stored = CorpusStore(settings.corpus_dir).load(with_chunks=False).documents
    documents = {doc_id: stored[doc_id] for doc_id in retriever.docs if doc_id in stored}
    return Live(
        data.manifest["generation"], retriever, answerer_for(retriever, documents, settings), documents
    )


def milvus_backend(settings: Settings, store: IndexStore, data: IndexData, tokenizer: ChineseTokenizer):
    """The generation's Milvus collection, created and filled on first use; stale generations' dropped."""
    from index.milvus import MilvusIndex
    from index.tokenizer import policy_terms

    generation = data.manifest["generation"]
    index = MilvusIndex(settings.milvus(), generation)
    terms = [t for t, _ in policy_terms()] + list(data.manifest.get("terms", []))
    index.ensure(data, terms, tokenizer.stopwords)
    index.drop_stale(store.generations())
    return index


def answerer_for(
    retriever: HybridRetriever, documents: dict[str, Document], settings: Settings
) -> ExtractiveAnswerer:
    starts: dict[str, list[Chunk]] = {}
    for c in retriever.chunks:
        starts.setdefault(c.doc_id, []).append(c)

    def chunk_at(doc_id: str, offset: int) -> Chunk | None:
        return next((c for c in starts.get(doc_id, []) if c.start <= offset < c.end), None)

    config = settings.answering()
    floors = None
    if config.relevance_quantile:

        def closeness(question: str) -> dict[str, float]:
            return answer_closeness(retriever, answerer, question)

        floors = RelevanceFloors(
            closeness,
            load_reference_questions(),
            config.relevance_quantile,
            cache=settings.cache_dir / "relevance-floors.json",
            generation=retriever.data.manifest["generation"],
        ).get
    answerer = ExtractiveAnswerer(
        retriever.tokenizer, retriever.bm25.idf_of, documents.get, chunk_at, config, floors
    )
    return answerer


def answer_closeness(
    retriever: HybridRetriever, answerer: ExtractiveAnswerer, question: str
) -> dict[str, float]:
    """How close the library comes to ``question``, per collection, as an answer to it reads it
    (``relevance.closest``), found as Engine.ask finds it (the whole library)."""
    result = retriever.search(question, k=ANSWER_HITS)
    return closest(answerer.reading(result.hits, result.analysis), result.nearest)
