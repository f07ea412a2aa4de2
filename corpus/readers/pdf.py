"""PDFs with a text layer. Lines that the page width broke inside a sentence are joined again;
a PDF without a text layer (a scan) is refused with a clear message."""

from __future__ import annotations

import io
import logging
import re

from pypdf import PdfReader
from pypdf.errors import PdfReadError, PyPdfError

from corpus.errors import UnreadableDocument
from corpus.readers.base import RawText

log = logging.getLogger(__name__)

_SENTENCE_END = "。；！？：:;!?”」）)|"
_STARTS_BLOCK = re.compile(
    r"^\s*(?:[一二三四五六七八九十百]+、|[（(][一二三四五六七八九十百]+[）)]|\d+[.．、]\D|[（(]\d+[）)]|第[一二三四五六七八九十百零〇]+[编章节条]|附件|[-—－]\s*\d+\s*[-—－]$|\d+$)"
)


def read_pdf(data: bytes) -> RawText:
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            reader.decrypt("")
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, PyPdfError, ValueError, KeyError, OSError) as exc:
        raise UnreadableDocument(f"broken or truncated PDF: {exc}") from exc
    if not "".join(pages).strip():
        raise UnreadableDocument("PDF has no text layer (a scan?): run OCR on it first")
    lines = [ln.rstrip() for page in pages for ln in page.split("\n")]
    return RawText(text=reflow(lines), format="pdf", encoding=None)


def reflow(lines: list[str]) -> str:
    """Join lines that the page width broke: a line as long as a full line of the page, not ending a
    sentence, continues on the next line unless that one starts a heading or a page number."""
    lengths = sorted(len(ln.strip()) for ln in lines if ln.strip())
    full = lengths[int(len(lengths) * 0.9)] if lengths else 0
    out: list[str] = []
    for line in lines:
        line = line.strip()
        if not line:
            if out and out[-1] != "":
                out.append("")
            continue
        prev = out[-1] if out else ""
        joinable = (
            prev
            and len(prev.split("\n")[-1]) >= 0.8 * full
            and prev[-1] not in _SENTENCE_END
            and not _STARTS_BLOCK.match(line)
        )
        if joinable:
            out[-1] = prev + line
        else:
            out.append(line)
    return "\n".join(out).strip("\n")
