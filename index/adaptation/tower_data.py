"""The query-tower pack's training data: STARD's questions and, optionally, statute heading -> body pairs.

- STARD (layperson question -> statute articles): every question, its gold articles, its validation flag
  under both splits (``query``: every 5th question; ``law``: questions about every 5th law) and BM25's top
  articles over the whole 60,727-article corpus, mined here with jieba.
- Statute headings (``../shared/corpora/laws-safety``, never a seed): a chapter or section heading is a
  short description of the passages under it, written by the drafters; each heading that names passages
  in one document only becomes a question whose positives are those passages. Headings shared by many
  laws (总则, 法律责任, 附则) say nothing about which passage is meant and are left out.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

from corpus.chunking import ChunkingConfig
from corpus.models import Chunk
from corpus.pipeline import ingest_paths
from index.adaptation.mining import top_rows
from index.adaptation.pack import write_pack
from index.adaptation.stard import is_validation, is_validation_law, load_articles, load_queries
from index.bm25 import BM25Index
from index.records import embedding_text, sparse_text
from index.tokenizer import ChineseTokenizer

log = logging.getLogger(__name__)
MAX_TOKENS = 256
BM25_DEPTH = 30
QUERY_PREFIX, PASSAGE_PREFIX = "query: ", "passage: "
NUMBERING = re.compile(r"^第[一二三四五六七八九十百零〇\d]+[编章节]\s*")
ARTICLE = re.compile(r"^第[一二三四五六七八九十百零〇\d]+条")  # an article number names no topic


def heading_pairs(chunks: list[Chunk], min_chars: int = 4) -> list[tuple[str, list[int]]]:
    """(heading, rows of the chunks under it) for each heading that belongs to exactly one document.

    >>> from corpus.models import Chunk
    >>> cs = [Chunk("a1", "A", "a", "A法", ("第二章 生产经营单位的安全保障",), "x", 0, 1, 0),
    ...       Chunk("a2", "A", "a", "A法", ("第二章 生产经营单位的安全保障",), "y", 1, 2, 1),
    ...       Chunk("a3", "A", "a", "A法", ("第五章 法律责任",), "z", 2, 3, 2),
    ...       Chunk("b1", "B", "b", "B法", ("第六章 法律责任",), "w", 0, 1, 0)]
    >>> heading_pairs(cs)
    [('生产经营单位的安全保障', [0, 1])]
    """
    rows: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for row, chunk in enumerate(chunks):
        named = [s for s in chunk.section if not ARTICLE.match(s)]
        if not named:
            continue
        heading = NUMBERING.sub("", named[-1]).strip()
        if len(heading) >= min_chars:
            rows[heading][chunk.doc_id].append(row)
    return [(h, next(iter(by_doc.values()))) for h, by_doc in rows.items() if len(by_doc) == 1]


def build_tower_pack(
    stard_dir: Path,
    statutes_dir: Path | None,
    model_dir: Path,
    model_file: Path,
    out: Path,
    progress: bool = False,
    subset: int | None = None,
) -> Path:
    """Write the pack; ``subset`` keeps the first N questions and only the articles BM25 or the gold
    tie to them (a pack small enough for a smoke run on CPU)."""
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(str(model_dir))

    def ids(texts: list[str]) -> list[list[int]]:
        return tok(texts, truncation=True, max_length=MAX_TOKENS)["input_ids"]

    articles, _ = load_articles(stard_dir)
    queries, qrels = load_queries(stard_dir)
    law_of = {c.chunk_id: c.doc_id for c in articles}
    jieba = ChineseTokenizer()
    if subset:
        queries = queries[:subset]
    bm25 = BM25Index([jieba(sparse_text(c)) for c in tqdm(articles, desc="tokenise", disable=not progress)])
    bm25_top = np.asarray(
        [
            top_rows(bm25.scores(jieba(q["text"][:500])), BM25_DEPTH)
            for q in tqdm(queries, disable=not progress)
        ],
        dtype=np.int32,
    )
    if subset:
        gold = {c for q in queries for c in qrels[str(q["query_id"])]}
        keep = sorted(
            set(bm25_top.ravel().tolist()) | {i for i, c in enumerate(articles) if c.chunk_id in gold}
        )
        new_row = {old: new for new, old in enumerate(keep)}
        articles = [articles[r] for r in keep]
        bm25_top = np.vectorize(new_row.__getitem__)(bm25_top).astype(np.int32)
    row_of = {c.chunk_id: i for i, c in enumerate(articles)}
    positives = [[row_of[a] for a in qrels[str(q["query_id"])] if a in row_of] for q in queries]
    arrays: dict[str, np.ndarray] = {
        "bm25_top": bm25_top,
        "val_query": np.asarray(
            [is_validation(q["query_id"], qrels[str(q["query_id"])], law_of, "query") for q in queries]
        ),
        "val_law": np.asarray(
            [is_validation(q["query_id"], qrels[str(q["query_id"])], law_of, "law") for q in queries]
        ),
        "article_heldout_law": np.asarray([is_validation_law(c.doc_id) for c in articles]),
    }
    tokenised: dict[str, list[list[int]]] = {
        "passages": ids([PASSAGE_PREFIX + embedding_text(c) for c in articles]),
        "queries": ids([QUERY_PREFIX + q["text"][:500] for q in queries]),
    }
    meta: dict[str, Any] = {
        "stard_articles": len(articles),
        "stard_questions": len(queries),
        "max_tokens": MAX_TOKENS,
        "bm25_depth": BM25_DEPTH,
        "never": "the bundled seeds and any gold question",
    }
    statute_positives: list[list[int]] = []
    if statutes_dir is not None:
        ingested = ingest_paths([statutes_dir], ChunkingConfig())
        chunks = ingested.chunks[: 300 if subset else None]
        pairs = heading_pairs(chunks)
        tokenised["passages"] += ids([PASSAGE_PREFIX + embedding_text(c) for c in chunks])
        tokenised["heading_queries"] = ids([QUERY_PREFIX + h for h, _ in pairs])
        statute_positives = [[len(articles) + r for r in rows] for _, rows in pairs]
        meta |= {
            "statute_documents": len(ingested.documents),
            "statute_chunks": len(chunks),
            "heading_pairs": len(pairs),
        }
    arrays["positives_flat"] = np.asarray([r for p in positives for r in p], dtype=np.int32)
    arrays["positives_off"] = np.cumsum([0, *map(len, positives)])
    arrays["heading_pos_flat"] = np.asarray([r for p in statute_positives for r in p], dtype=np.int32)
    arrays["heading_pos_off"] = np.cumsum([0, *map(len, statute_positives)])
    return write_pack(out, model_file.read_bytes(), tokenised, arrays, meta)
