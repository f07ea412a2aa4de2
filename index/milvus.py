"""The search side in Milvus (``POLICYQA_BACKEND=milvus``): BM25 and dense candidates from a Milvus
collection, for milvus-lite (a local file) or a Milvus server or cluster (``http(s)://host:19530``).

One collection per index generation (``policyqa_<generation>``), filled once from the generation's
rows: the chunk id, its row in the generation, document id, heading context, text, every metadata
field the filters use, the dense vector, and a sparse vector computed by Milvus' own BM25 function over
a ``jieba`` analyzer that carries the project's domain dictionary, the library's coined terms and the
stopwords, over the chunk's tokens as the project cuts them (heading context and text), so both
backends count the same terms. A generation never changes once written, so its collection never does either: adding,
replacing or removing a document makes a new generation, and the switch to it stays the one atomic
pointer swap of the embedded backend (a request reads the pointer, then the matching collection).
Collections of generations that no longer exist on disk are dropped.

The retriever keeps everything above candidate generation (query reading, fusion, boosts, collection
balancing, applicability), so search, answers, chat, evaluation and the page run unchanged. Where the
retriever restricts rows (filters, a reader's access, one collection), the restriction reaches Milvus
as a boolean expression over document ids, every value quoted by :func:`quoted` (no injection).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from index.bm25 import BM25Params
from index.store import IndexData

log = logging.getLogger(__name__)
PREFIX = "policyqa_"
BATCH = 1000
MAX_TEXT = 16_000  # characters; chunks are cut far shorter


class _UnimplementedRpc(logging.Filter):
    """milvus-lite's in-process gRPC server logs a traceback for each RPC it does not implement
    (AllocTimestamp, which pymilvus asks for and then does without): those records are dropped."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return not (isinstance(exc, NotImplementedError) and "Method not implemented" in str(exc))


logging.getLogger("grpc._server").addFilter(_UnimplementedRpc())


@dataclass(frozen=True)
class MilvusSettings:
    uri: str
    token: str = ""
    fusion: str = "client"  # client: the retriever fuses both runs; server: Milvus' hybrid_search ranker


def quoted(value: str) -> str:
    """A string literal for a Milvus boolean expression: double-quoted, with backslashes and quotes escaped.

    >>> quoted('a"b\\\\c')
    '"a\\\\"b\\\\\\\\c"'
    """
    if not isinstance(value, str):
        raise TypeError("only text values are quoted")
    return json.dumps(value, ensure_ascii=False)


def in_expression(field: str, values: Iterable[str]) -> str:
    """``field in ["a", "b"]`` with every value quoted; the field name must be a plain identifier.

    >>> in_expression("doc_id", ["x", 'y"'])
    'doc_id in ["x", "y\\\\""]'
    """
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", field):
        raise ValueError(f"not a field name: {field!r}")
    return f"{field} in [{', '.join(quoted(v) for v in values)}]"


def collection_name(generation: str) -> str:
    """A Milvus collection name for a generation (letters, digits and underscores only)."""
    return PREFIX + re.sub(r"[^A-Za-z0-9_]", "_", generation)


def analyzer_params(terms: Sequence[str], stopwords: Iterable[str]) -> dict:
    """jieba with the domain dictionary and the stopword filter (the same vocabulary as the embedded BM25)."""
    return {
        "tokenizer": {"type": "jieba", "mode": "exact", "dict": sorted(set(terms))},
        "filter": [{"type": "stop", "stop_words": sorted(set(stopwords))}],
    }


def dense_ef(k: int, docs: Sequence[str] | None, base: int = 128) -> int:
    """HNSW's search breadth. A restricted search walks the same graph and keeps only the allowed rows,
    so with a selective restriction (one district's plans among hundreds of statutes) the usual breadth
    finds fewer than k of them: it is widened (16 per wanted row, capped).

    >>> dense_ef(100, None), dense_ef(100, ["a"]), dense_ef(5000, ["a"])
    (128, 1600, 16384)
    """
    return base if docs is None else min(max(base, 16 * k), 16384)


class MilvusIndex:
    """BM25 and dense search over one generation's collection."""

    def __init__(self, settings: MilvusSettings, generation: str):
        from pymilvus import MilvusClient

        self.client = MilvusClient(settings.uri, token=settings.token or "")
        self.name = collection_name(generation)
        self.rows = 0
        self.server_fusion = settings.fusion == "server"

    def ensure(self, data: IndexData, terms: Sequence[str], stopwords: Iterable[str]) -> bool:
        """Create and fill the generation's collection unless it is already complete; True when created."""
        n = len(data.chunks)
        if self.client.has_collection(self.name):
            count = int(self.client.get_collection_stats(self.name).get("row_count", -1))
            if count == n:
                self.client.load_collection(self.name)
                self.rows = n
                return False
            log.warning("collection %s holds %d of %d rows: filled again", self.name, count, n)
            self.client.drop_collection(self.name)
        self._create(data.vectors.shape[1], analyzer_params(terms, stopwords))
        docs = data.documents
        for start in range(0, n, BATCH):
            batch = []
            for row in range(start, min(n, start + BATCH)):
                chunk = data.chunks[row]
                meta = docs[chunk.doc_id].meta
                batch.append(
                    {
                        "chunk_id": chunk.chunk_id,
                        "row": row,
                        "doc_id": chunk.doc_id,
                        "heading": chunk.heading_context[:MAX_TEXT],
                        "text": chunk.text[:MAX_TEXT],
                        # the project's tokens (jieba + domain dictionary + coined terms + stopwords),
                        # which the engine's jieba analyzer, given the same dictionary, splits alike
                        "terms": " ".join(data.tokens[row])[: MAX_TEXT * 2],
                        "region": meta.region or "",
                        "year": meta.year if meta.year is not None else -1,
                        "doc_type": meta.doc_type or "",
                        "issuer": meta.issuer or "",
                        "access": docs[chunk.doc_id].access,
                        "dense": data.vectors[row].astype(np.float32).tolist(),
                    }
                )
            self.client.insert(self.name, batch)
        self.client.load_collection(self.name)
        self.rows = n
        log.info("Milvus collection %s: %d rows", self.name, n)
        return True

    def _create(self, dim: int, analyzer: dict) -> None:
        from pymilvus import DataType, Function, FunctionType

        schema = self.client.create_schema(auto_id=False)
        schema.add_field("chunk_id", DataType.VARCHAR, is_primary=True, max_length=512)
        schema.add_field("row", DataType.INT64)
        for name in ("doc_id", "region", "doc_type", "issuer", "access"):
            schema.add_field(name, DataType.VARCHAR, max_length=1024)
        schema.add_field("year", DataType.INT64)
        schema.add_field("heading", DataType.VARCHAR, max_length=MAX_TEXT * 3)
        schema.add_field("text", DataType.VARCHAR, max_length=MAX_TEXT * 3)
        schema.add_field(
            "terms", DataType.VARCHAR, max_length=MAX_TEXT * 6, enable_analyzer=True, analyzer_params=analyzer
        )
        schema.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
        schema.add_field("dense", DataType.FLOAT_VECTOR, dim=dim)
        schema.add_function(
            Function(
                name="bm25",
                function_type=FunctionType.BM25,
                input_field_names=["terms"],
                output_field_names=["sparse"],
            )
        )
        index = self.client.prepare_index_params()
        index.add_index(
            field_name="dense", index_type="HNSW", metric_type="IP", params={"M": 32, "efConstruction": 200}
        )
        index.add_index(
            field_name="sparse",
            index_type="SPARSE_INVERTED_INDEX",
            metric_type="BM25",
            params={"bm25_k1": BM25Params.k1, "bm25_b": BM25Params.b},  # as the embedded BM25
        )
        self.client.create_collection(self.name, schema=schema, index_params=index)

    def drop_stale(self, live_generations: Iterable[str]) -> list[str]:
        """Drop the collections of generations that no longer exist on disk, except the newest of them:
        a worker that has not yet seen the switch may still be answering from it (in the embedded backend
        it keeps its loaded copy; here the copy lives in Milvus), so it goes at the next switch."""
        keep = {collection_name(g) for g in live_generations} | {self.name}
        gone = sorted(c for c in self.client.list_collections() if c.startswith(PREFIX) and c not in keep)
        older = [c for c in gone if c < self.name]  # generation names sort by creation time
        dropped = [c for c in gone if c not in older[-1:]]
        for name in dropped:
            self.client.drop_collection(name)
        return dropped

    def _search(self, data, field: str, k: int, docs: Sequence[str] | None, params: dict) -> dict[int, float]:
        if k <= 0 or self.rows == 0 or (docs is not None and not docs):
            return {}
        expr = in_expression("doc_id", docs) if docs is not None else ""
        result = self.client.search(
            self.name,
            data=[data],
            anns_field=field,
            limit=min(k, self.rows),
            filter=expr,
            search_params=params,
            output_fields=["row"],
        )
        out: dict[int, float] = {}
        for hit in result[0]:
            entity = hit.get("entity", hit)
            out[int(entity["row"])] = float(hit["distance"])
        return out

    def hybrid(
        self,
        text: str,
        qvec: np.ndarray,
        k: int,
        docs: Sequence[str] | None,
        fusion: str,
        sparse_weight: float,
        rrf_k: int,
    ) -> dict[int, float]:
        """Both runs fused by Milvus itself (hybrid_search): its RRF ranker, or its weighted ranker with
        the same BM25 share as the retriever (Milvus normalises each run's scores its own way)."""
        from pymilvus import AnnSearchRequest, RRFRanker, WeightedRanker

        if k <= 0 or self.rows == 0 or (docs is not None and not docs):
            return {}
        expr = in_expression("doc_id", docs) if docs is not None else None
        limit = min(k, self.rows)
        vec = np.asarray(qvec, dtype=np.float32).reshape(-1).tolist()
        dense_params = {"metric_type": "IP", "params": {"ef": dense_ef(limit, docs)}}
        requests = [AnnSearchRequest([vec], "dense", dense_params, limit, expr=expr)]
        if text.strip():
            requests.append(AnnSearchRequest([text], "sparse", {"metric_type": "BM25"}, limit, expr=expr))
        if fusion == "rrf" or len(requests) == 1:
            ranker = RRFRanker(rrf_k)
        else:
            ranker = WeightedRanker(1.0 - sparse_weight, sparse_weight)
        result = self.client.hybrid_search(self.name, requests, ranker, limit=limit, output_fields=["row"])
        return {int(h.get("entity", h)["row"]): float(h["distance"]) for h in result[0]}

    def sparse(self, text: str, k: int, docs: Sequence[str] | None = None) -> dict[int, float]:
        """BM25 candidates {row: score}; scores are made positive (higher is better)."""
        if not text.strip():
            return {}
        run = self._search(text, "sparse", k, docs, {"metric_type": "BM25"})
        return {r: abs(s) for r, s in run.items() if s != 0}

    def dense(self, qvec: np.ndarray, k: int, docs: Sequence[str] | None = None) -> dict[int, float]:
        """Dense candidates {row: inner product}."""
        vec = np.asarray(qvec, dtype=np.float32).reshape(-1).tolist()
        return self._search(vec, "dense", k, docs, {"metric_type": "IP", "params": {"ef": dense_ef(k, docs)}})
