"""Candidate answer spans inside a chunk: sentences (to 。；！？ or a line end) and whole table rows,
each with its offsets in the document."""

from __future__ import annotations

import re
from dataclasses import dataclass

from corpus.chunking import sentences_of
from corpus.models import Chunk

_MIN_CHARS = 4
_HEADING_ONLY = re.compile(
    r"^(?:[一二三四五六七八九十百]+、|[（(][一二三四五六七八九十百]+[)）]|\d{1,2}[.．、])?[^。；;，,]{0,24}$"
)


@dataclass(frozen=True)
class Span:
    chunk: Chunk
    start: int  # document offsets
    end: int
    text: str
    in_table: bool
    table_header: str | None = None  # the header row a table row is read under


def spans_of(chunk: Chunk) -> list[Span]:
    """Sentences and table rows of a chunk, trimmed, as document-offset spans."""
    return [
        Span(
            chunk,
            chunk.start + u.start,
            chunk.start + u.end,
            chunk.text[u.start : u.end],
            u.table_header is not None,
            u.table_header,
        )
        for u in sentences_of(chunk.text, _MIN_CHARS)
    ]


_END_PUNCT = "。；;，,.！!？? \n"


def is_heading_only(span: Span) -> bool:
    """A heading names a topic and states nothing: a bare heading line ('（一）强化组织领导'), or a
    sentence the document's outline has as a heading of the span's own passage ('14.加强基层建设。'),
    whose content is in the body below it."""
    text = span.text.strip().rstrip(_END_PUNCT)
    if text and text in span.chunk.section:
        return True
    return "\n" not in span.text and bool(_HEADING_ONLY.match(span.text)) and not re.search(r"\d", span.text)


def is_lead_in(span: Span) -> bool:
    """A line ending in a colon ('各街道办事处,有关单位:', '主要任务如下：') introduces what follows
    and states nothing by itself."""
    return span.text.rstrip().endswith(("：", ":"))
