"""Word documents: paragraphs and tables in body order; Word heading styles become hints.

A table row becomes one line, its cells joined by ' | ', so rows stay whole and readable.
"""

from __future__ import annotations

import io
import re
import zipfile

from docx import Document as open_docx
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.paragraph import Paragraph

from corpus.errors import UnreadableDocument
from corpus.readers.base import HeadingHint, RawText

_HEADING_STYLE = re.compile(r"^(?:Heading|标题)\s*(\d)$", re.IGNORECASE)


def read_docx(data: bytes) -> RawText:
    try:
        doc = open_docx(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UnreadableDocument(f"broken or truncated DOCX: {exc}") from exc
    lines: list[str] = []
    hints: list[HeadingHint] = []
    title: str | None = None
    pos = 0
    for block in doc.iter_inner_content():
        if isinstance(block, Paragraph):
            text = block.text.strip()
            if not text:
                continue
            style = (block.style.name if block.style is not None else "") or ""
            m = _HEADING_STYLE.match(style)
            if style.lower() == "title" and title is None:
                title = text
            elif m:
                hints.append(HeadingHint(start=pos, level=int(m.group(1))))
            new = [text]
        elif isinstance(block, Table):
            new = _table_lines(block)
        else:  # pragma: no cover - python-docx yields only the two kinds
            continue
        for line in new:
            lines.append(line)
            pos += len(line) + 1
    return RawText(text="\n".join(lines), format="docx", encoding=None, hints=hints, title=title)


def _table_lines(table: Table) -> list[str]:
    out = []
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            text = " ".join(cell.text.split())
            if not cells or text != cells[-1]:  # merged cells repeat their text
                cells.append(text)
        if any(cells):
            out.append(" | ".join(cells))
    return out
