"""STARD (Su et al., EMNLP 2024 Findings; MIT) read as chunks: one statute article a chunk, its law as
the title and the article name as the section. Used to train the query adapter and, in evaluation/, as
a benchmark. The questions split deterministically into training and validation, by question id, or
(stricter) by law: then a validation question's law is never seen in training at all."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from corpus.models import Chunk, DocumentMeta
from index.records import DocRecord

VALIDATION_SHARE = 5  # one question (or law) in 5 is held out
SPLITS = ("query", "law")


def load_articles(folder: Path) -> tuple[list[Chunk], dict[str, DocRecord]]:
    chunks: list[Chunk] = []
    docs: dict[str, DocRecord] = {}
    with (folder / "corpus.jsonl").open(encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            a = json.loads(line)
            law = a["law"]
            if law not in docs:
                docs[law] = DocRecord(law, law, "", DocumentMeta(title=law, doc_type=None))
            text = a["text"]
            chunks.append(Chunk(str(a["id"]), law, law, law, (a["name"],), text, 0, len(text), i))
    return chunks, docs


def load_queries(folder: Path) -> tuple[list[dict[str, Any]], dict[str, dict[str, int]]]:
    queries = [
        json.loads(line) for line in (folder / "queries-train.jsonl").open(encoding="utf-8") if line.strip()
    ]
    qrels: dict[str, dict[str, int]] = {}
    for line in (folder / "qrels-train.tsv").open(encoding="utf-8"):
        qid, doc, rel = line.rstrip("\n").split("\t")
        qrels.setdefault(qid, {})[doc] = int(rel)
    return [q for q in queries if str(q["query_id"]) in qrels], qrels


def is_validation_law(law: str) -> bool:
    """One law in five, chosen by a stable hash of its name: never trained on."""
    return int(hashlib.sha1(law.encode("utf-8")).hexdigest(), 16) % VALIDATION_SHARE == 0


def is_validation(
    query_id: int | str, gold_articles: dict[str, int], law_of: dict[str, str], split: str = "query"
) -> bool:
    """``query``: every 5th question by id is held out. ``law``: a question is held out when any of its gold
    articles belongs to a held-out law (stricter: its law's other questions are not trained on either)."""
    if split == "law":
        return any(is_validation_law(law_of[a]) for a in gold_articles if a in law_of)
    if split == "query":
        return int(query_id) % VALIDATION_SHARE == 0
    raise ValueError(f"unknown split {split!r}; splits: {', '.join(SPLITS)}")
