"""What a reader returns."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class HeadingHint:
    """A heading the file format marks explicitly (Markdown '#', a Word heading style).

    ``start`` is the offset of the heading line in the reader's text; ``level`` counts from 1.
    """

    start: int
    level: int


@dataclass
class RawText:
    text: str
    format: str
    encoding: str | None = None
    hints: list[HeadingHint] = field(default_factory=list)
    title: str | None = None  # a title the format states (Markdown '# ', Word Title style, <title>)
    fields: dict[str, str] = field(default_factory=dict)  # labelled metadata found by the reader
    ocr_spans: list[tuple[int, int]] = field(default_factory=list)  # [start, end) of text read by OCR
    # [start, end) of characters OCR read with low confidence (corpus.ocr.UNCERTAIN_BELOW)
    ocr_uncertain: list[tuple[int, int]] = field(default_factory=list)
