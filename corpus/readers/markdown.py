"""Markdown statutes (``# 标题``, ``## 第一章``, one ``第X条`` per paragraph) and other Markdown.

Heading markers ('#') are taken out of the text and kept as hints; the first level-1 heading is the
document title. HTML comments such as ``<!-- INFO END -->`` are dropped.
"""

from __future__ import annotations

import re

from corpus.encoding import decode_text
from corpus.readers.base import HeadingHint, RawText
from corpus.readers.text import normalise_newlines

_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$")
_COMMENT = re.compile(r"^\s*<!--.*?-->\s*$")


def read_markdown(data: bytes) -> RawText:
    source, encoding = decode_text(data)
    out: list[str] = []
    hints: list[HeadingHint] = []
    title: str | None = None
    pos = 0
    for line in normalise_newlines(source).split("\n"):
        if _COMMENT.match(line):
            continue
        m = _HEADING.match(line)
        if m:
            level, text = len(m.group(1)), m.group(2).strip()
            if level == 1 and title is None:
                title = text
            hints.append(HeadingHint(start=pos, level=level))
            line = text
        out.append(line)
        pos += len(line) + 1
    return RawText(text="\n".join(out), format="markdown", encoding=encoding, hints=hints, title=title)
