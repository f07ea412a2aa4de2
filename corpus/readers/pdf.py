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
    page_of = [i for i, page in enumerate(pages) for _ in page.split("\n")]
    text, spans, starts = reflow_pages(lines, page_of)
    # where each page starts, as the OFD reader states it (corpus.pages maps it to the cleaned text)
    fields = {"pages": ",".join(map(str, starts))}
    return RawText(text=text, format="pdf", encoding=None, fields=fields, ocr_spans=spans)


def _largest_image(page):
    """The page's biggest embedded picture (a scan is one picture per page), as a PIL image."""
    best, area = None, 0
    for item in page.images:
        image = item.image
        if image is not None and image.width * image.height > area:
            best, area = image, image.width * image.height
    return best


def reflow_pages(
    lines: list[tuple[str, bool]], pages: list[int]
) -> tuple[str, list[tuple[int, int]], list[int]]:
    """Join lines that the page width broke: a line as long as a full line of the page, not ending a
    sentence, continues on the next line unless that one starts a heading or a page number. Lines
    carry a mark (read by OCR) and the index of their page; the text comes back with its marked
    stretches as [start, end) spans and where each page starts in it (a page whose lines are all
    blank starts where the next text does)."""
    lengths = sorted(len(ln.strip()) for ln, _ in lines if ln.strip())
    full = lengths[int(len(lengths) * 0.9)] if lengths else 0
    out: list[list] = []  # [text, marked, [(offset in text, page), ...]]
    seen_page = -1
    for (line, marked), page in zip(lines, pages, strict=True):
        line = line.strip()
        if not line:
            if out and out[-1][0] != "":
                out.append(["", False, []])
            continue
        prev = out[-1][0] if out else ""
        joinable = (
            prev
            and len(prev.split("\n")[-1]) >= 0.8 * full
            and prev[-1] not in _SENTENCE_END
            and not _STARTS_BLOCK.match(line)
        )
        if not joinable:
            out.append(["", False, []])
        block = out[-1]
        if page != seen_page:
            block[2].extend((len(block[0]), p) for p in range(seen_page + 1, page + 1))
            seen_page = page
        block[0], block[1] = block[0] + line, block[1] or marked
    while out and out[0][0] == "" and not out[0][2]:
        out.pop(0)
    while out and out[-1][0] == "" and not out[-1][2]:
        out.pop()
    spans, starts, offset = [], [], 0
    for text, marked, page_marks in out:
        if marked:
            spans.append((offset, offset + len(text)))
        starts.extend(offset + at for at, _ in page_marks)
        offset += len(text) + 1
    return "\n".join(text for text, _, _ in out), spans, starts
