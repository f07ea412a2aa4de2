"""PDFs. Lines that the page width broke inside a sentence are joined again. A page without a text
layer (a scan) is read by OCR (corpus.ocr) from its largest image, and the text read that way is
marked (``RawText.ocr_spans``), as are the characters the engine was unsure of
(``RawText.ocr_uncertain``); without an OCR engine such a PDF is refused with what to install."""

from __future__ import annotations

import io
import logging
import re
from typing import NamedTuple

from pypdf import PdfReader
from pypdf.errors import PdfReadError, PyPdfError

from corpus.errors import UnreadableDocument
from corpus.intervals import clip
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
        unsure: dict[int, tuple[tuple[int, int], ...]] = {}  # page -> low-confidence spans in its text
        scanned = [i for i, text in enumerate(pages) if not text.strip()]
        if scanned:
            engine = default_engine()  # OcrUnavailable says what to install
            for i in scanned:
                image = _largest_image(reader.pages[i])
                if image is not None:
                    read = engine(image)
                    pages[i], unsure[i] = read.text, read.uncertain
                    log.info("page %d read by OCR (%d characters)", i + 1, len(read.text))
    except (PdfReadError, PyPdfError, ValueError, KeyError, OSError) as exc:
        raise UnreadableDocument(f"broken or truncated PDF: {exc}") from exc
    if not "".join(pages).strip():
        raise UnreadableDocument("PDF has no text layer and no readable text in its images")
    lines, page_of, line_unsure = [], [], []
    for i, page in enumerate(pages):
        at = 0
        for ln in page.split("\n"):
            lines.append((ln.rstrip(), i in scanned))
            page_of.append(i)
            end = at + len(ln)
            line_unsure.append(clip(unsure.get(i, ()), at, end))
            at = end + 1
    flowed = reflow_pages(lines, page_of, line_unsure)
    # where each page starts, as the OFD reader states it (corpus.pages maps it to the cleaned text)
    fields = {"pages": ",".join(map(str, flowed.starts))}
    return RawText(
        text=flowed.text,
        format="pdf",
        encoding=None,
        fields=fields,
        ocr_spans=flowed.marked,
        ocr_uncertain=flowed.uncertain,
    )


class Reflowed(NamedTuple):
    text: str
    marked: list[tuple[int, int]]  # [start, end) of the marked lines' text (read by OCR)
    starts: list[int]  # where each page starts
    uncertain: list[tuple[int, int]]  # [start, end) of characters the OCR engine was unsure of


def _largest_image(page):
    """The page's biggest embedded picture (a scan is one picture per page), as a PIL image."""
    best, area = None, 0
    for item in page.images:
        image = item.image
        if image is not None and image.width * image.height > area:
            best, area = image, image.width * image.height
    return best


def reflow_pages(
    lines: list[tuple[str, bool]],
    pages: list[int],
    unsure: list[tuple[tuple[int, int], ...]] | None = None,
) -> Reflowed:
    """Join lines that the page width broke: a line as long as a full line of the page, not ending a
    sentence, continues on the next line unless that one starts a heading or a page number. Lines
    carry a mark (read by OCR), the index of their page and (``unsure``) the [start, end) of their
    characters read with low confidence; the text comes back with its marked stretches as [start, end)
    spans, where each page starts in it (a page whose lines are all blank starts where the next text
    does) and where the unsure characters went."""
    unsure = unsure or [() for _ in lines]
    lengths = sorted(len(ln.strip()) for ln, _ in lines if ln.strip())
    full = lengths[int(len(lengths) * 0.9)] if lengths else 0
    out: list[list] = []  # [text, marked, [(offset in text, page), ...], [unsure (start, end), ...]]
    seen_page = -1
    for (raw, marked), page, spans in zip(lines, pages, unsure, strict=True):
        line = raw.strip()
        lead = len(raw) - len(raw.lstrip())
        if not line:
            if out and out[-1][0] != "":
                out.append(["", False, [], []])
            continue
        prev = out[-1][0] if out else ""
        joinable = (
            prev
            and len(prev.split("\n")[-1]) >= 0.8 * full
            and prev[-1] not in _SENTENCE_END
            and not _STARTS_BLOCK.match(line)
        )
        if not joinable:
            out.append(["", False, [], []])
        block = out[-1]
        if page != seen_page:
            block[2].extend((len(block[0]), p) for p in range(seen_page + 1, page + 1))
            seen_page = page
        block[3].extend(
            (len(block[0]) + a, len(block[0]) + b) for a, b in clip(spans, lead, lead + len(line))
        )
        block[0], block[1] = block[0] + line, block[1] or marked
    while out and out[0][0] == "" and not out[0][2]:
        out.pop(0)
    while out and out[-1][0] == "" and not out[-1][2]:
        out.pop()
    spans, starts, uncertain, offset = [], [], [], 0
    for text, marked, page_marks, block_unsure in out:
        if marked:
            spans.append((offset, offset + len(text)))
        starts.extend(offset + at for at, _ in page_marks)
        uncertain.extend((offset + a, offset + b) for a, b in block_unsure)
        offset += len(text) + 1
    return Reflowed("\n".join(text for text, *_ in out), spans, starts, uncertain)
