"""Properties that must hold on every document we ship and on the 200 shared statutes."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus.chunking import ChunkingConfig
from corpus.models import Chunk, Document
from corpus.pipeline import ingest_paths

CONFIG = ChunkingConfig()


def _check_document(doc: Document, chunks: list[Chunk]) -> list[str]:
    problems: list[str] = []
    owner = [0] * len(doc.text)
    for c in chunks:
        if doc.text[c.start : c.end] != c.text:
            problems.append(f"offsets of {c.chunk_id} do not reproduce its text")
        if len(c.text) > CONFIG.max_chars:
            problems.append(f"{c.chunk_id} has {len(c.text)} chars, over the cap")
        for k in range(c.start, c.end):
            owner[k] += 1
        for h in doc.outline:  # a heading inside a chunk must be on that chunk's section path
            if c.start <= h.start < c.end and h.title not in c.section:
                problems.append(f"{c.chunk_id} {c.section} mixes in section {h.title!r}")
    lost = [k for k, n in enumerate(owner) if n == 0 and not doc.text[k].isspace()]
    doubled = [k for k, n in enumerate(owner) if n > 1]
    if lost:
        problems.append(
            f"{len(lost)} characters in no chunk, first at {lost[0]}: {doc.text[lost[0] : lost[0] + 20]!r}"
        )
    if doubled:
        problems.append(f"{len(doubled)} characters in two chunks")
    return problems


def _check_corpus(paths: list[Path], expected_docs: int) -> None:
    result = ingest_paths(paths, CONFIG)
    assert len(result.documents) == expected_docs, result.skipped
    by_doc: dict[str, list[Chunk]] = {}
    for c in result.chunks:
        by_doc.setdefault(c.doc_id, []).append(c)
    problems = {d.source: p for d in result.documents if (p := _check_document(d, by_doc.get(d.doc_id, [])))}
    assert problems == {}


def test_every_seed_is_covered_exactly_once(seeds_dir):
    _check_corpus([seeds_dir], expected_docs=5)


@pytest.mark.slow
def test_every_statute_is_covered_exactly_once(laws_dir):
    _check_corpus([laws_dir], expected_docs=200)


def test_statute_chunks_hold_one_article_each(laws_dir):
    result = ingest_paths([laws_dir / "行政法__突发事件应对法(2007-08-30).md"], CONFIG)
    import re

    for c in result.chunks:
        assert len(re.findall(r"(?m)^第[一二三四五六七八九十百零]+条", c.text)) <= 1
