"""PDFs. Lines that the page width broke inside a sentence are joined again. A page without a text
layer (a scan) is read by OCR (corpus.ocr) from its largest image, and the text read that way is
marked (``RawText.ocr_spans``); without an OCR engine such a PDF is refused with what to install."""

from __future__ import annotations

import io
import logging
import re

from pypdf import PdfReader
from pypdf.errors import PdfReadError, PyPdfError

from corpus.errors import UnreadableDocument
from corpus.ocr import default_engine
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
        scanned = [i for i, text in enumerate(pages) if not text.strip()]
        if scanned:
            engine = default_engine()  # OcrUnavailable says what to install
            for i in scanned:
                image = _largest_image(reader.pages[i])
                if image is not None:
                    pages[i] = engine(image)
                    log.info("page %d read by OCR (%d characters)", i + 1, len(pages[i]))
    except (PdfReadError, PyPdfError, ValueError, KeyError, OSError) as exc:
        raise UnreadableDocument(f"broken or truncated PDF: {exc}") from exc
    if not "".join(pages).strip():
        raise UnreadableDocument("PDF has no text layer and no readable text in its images")
    lines = [(ln.rstrip(), i in scanned) for i, page in enumerate(pages) for ln in page.split("\n")]
    text, spans = reflow_marked(lines)
    return RawText(text=text, format="pdf", encoding=None, ocr_spans=spans)


def _largest_image(page):
    """The page's biggest embedded picture (a scan is one picture per page), as a PIL image."""
    best, area = None, 0
    for item in page.images:
        image = item.image
        if image is not None and image.width * image.height > area:
            best, area = image, image.width * image.height
    return best


def reflow(lines: list[str]) -> str:
    return reflow_marked([(ln, False) for ln in lines])[0]


def reflow_marked(lines: list[tuple[str, bool]]) -> tuple[str, list[tuple[int, int]]]:
    """Join lines that the page width broke: a line as long as a full line of the page, not ending a
    sentence, continues on the next line unless that one starts a heading or a page number. Lines
    carry a mark (read by OCR); the text's marked stretches come back as [start, end) spans."""
    lengths = sorted(len(ln.strip()) for ln, _ in lines if ln.strip())
    full = lengths[int(len(lengths) * 0.9)] if lengths else 0
    out: list[list] = []  # [text, marked]
    for line, marked in lines:
        line = line.strip()
        if not line:
            if out and out[-1][0] != "":
                out.append(["", False])
            continue
        prev = out[-1][0] if out else ""
        joinable = (
            prev
            and len(prev.split("\n")[-1]) >= 0.8 * full
            and prev[-1] not in _SENTENCE_END
            and not _STARTS_BLOCK.match(line)
        )
        if joinable:
            out[-1] = [prev + line, out[-1][1] or marked]
        else:
            out.append([line, marked])
    while out and out[0][0] == "":
        out.pop(0)
    while out and out[-1][0] == "":
        out.pop()
    spans, offset = [], 0
    for text, marked in out:
        if marked:
            spans.append((offset, offset + len(text)))
        offset += len(text) + 1
    return "\n".join(text for text, _ in out), spans
