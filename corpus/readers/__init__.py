"""Readers turn one file into plain text plus optional structure hints.

Each format lives in its own module; :func:`read_file` picks one by file suffix.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from corpus.errors import UnreadableDocument, UnsupportedFormat
from corpus.readers.base import HeadingHint, RawText
from corpus.readers.docx import read_docx
from corpus.readers.html import read_html
from corpus.readers.markdown import read_markdown
from corpus.readers.ofd import read_ofd
from corpus.readers.pdf import read_pdf
from corpus.readers.text import read_text

__all__ = ["SUPPORTED_SUFFIXES", "HeadingHint", "RawText", "read_bytes", "read_file"]

Reader = Callable[[bytes], RawText]

_READERS: dict[str, tuple[str, Reader]] = {
    ".txt": ("text", read_text),
    ".text": ("text", read_text),
    ".md": ("markdown", read_markdown),
    ".markdown": ("markdown", read_markdown),
    ".html": ("html", read_html),
    ".htm": ("html", read_html),
    ".docx": ("docx", read_docx),
    ".pdf": ("pdf", read_pdf),
    ".ofd": ("ofd", read_ofd),
}
SUPPORTED_SUFFIXES = frozenset(_READERS)


def read_bytes(name: str, data: bytes) -> RawText:
    suffix = Path(name).suffix.lower()
    if suffix not in _READERS:
        raise UnsupportedFormat(f"unsupported file type '{suffix or name}'")
    if not data:
        raise UnreadableDocument("empty file")
    _fmt, reader = _READERS[suffix]
    raw = reader(data)
    if not raw.text.strip():
        raise UnreadableDocument("no text in document")
    return raw


def read_file(path: Path) -> RawText:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableDocument(f"cannot read file: {exc.strerror or exc}") from exc
    return read_bytes(path.name, data)
