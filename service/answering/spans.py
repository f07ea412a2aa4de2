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
    return _opens_list(span.text)


# an item of an enumeration: (一) / （二） / 1. / 2、 at the start of its line
_ITEM = re.compile(r"\s*(?:[（(][一二三四五六七八九十百]+[)）]|\d{1,2}[.．、])")


def _opens_list(line: str) -> bool:
    return line.rstrip().endswith(("：", ":"))


def enumeration_of(text: str, start: int) -> str:
    """What completes the sentence of the span starting at ``text[start]`` in an enumeration: for an item
    line, the lead-in line that opens its list (it ends in a colon); for a span of a lead-in line, the
    item lines that follow it; '' otherwise. A statute writes a fine and the acts it is for this way
    (…有下列行为之一的，处…罚款：(一)…；(二)…), so either part may name what a figure is for.

    >>> t = "第三十七条 事故单位负有责任的，依照下列规定处以罚款：\\n(一)发生一般事故的，处10万元罚款；\\n(二)发生较大事故的，处20万元罚款。\\n第三十八条 其他。"
    >>> enumeration_of(t, t.index("(二)"))
    '第三十七条 事故单位负有责任的，依照下列规定处以罚款：'
    >>> enumeration_of(t, 0)
    '(一)发生一般事故的，处10万元罚款；(二)发生较大事故的，处20万元罚款。'
    >>> enumeration_of(t, t.index("第三十八条"))
    ''
    >>> enumeration_of("下列单位：\\n\\n(一)甲；\\n\\n(二)乙。", 14)  # blank lines between the lines
    '下列单位：'
    """
    lines = text.split("\n")
    here = text.count("\n", 0, start)  # the line the span starts on
    if _ITEM.match(lines[here]):
        before = [line for line in lines[:here] if line.strip()]
        while before and _ITEM.match(before[-1]):
            before.pop()
        lead = before[-1] if before else ""
        return lead if _opens_list(lead) else ""
    if not _opens_list(lines[here]):
        return ""
    items = []
    for line in lines[here + 1 :]:
        if not line.strip():
            continue
        if not _ITEM.match(line):
            break
        items.append(line.strip())
    return "".join(items)
