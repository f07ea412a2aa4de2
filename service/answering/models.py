"""The answer body of docs/CONTRACT.md, as records."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from corpus.validity import Validity
from index.retriever import Hit


@dataclass(frozen=True)
class Citation:
    n: int
    chunk_id: str
    doc_id: str
    source: str
    title: str
    section: tuple[str, ...]
    quote: str  # verbatim document text at [start, end)
    start: int
    end: int
    doc_number: str | None = None
    region: str | None = None
    date: str | None = None
    fields: tuple[tuple[str, str], ...] = ()  # a table row read against its header (display only)
    validity: Validity | None = None  # whether the cited document is in force
    ocr: bool = False  # the quote was read from a scanned page by OCR
    page: int | None = None  # the printed page (PDF, OFD) where the quote starts
    # [start, end) within ``quote`` of characters OCR read with low confidence (check them on paper)
    uncertain: tuple[tuple[int, int], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        d = {k: v for k, v in self.__dict__.items() if k != "validity"}
        return {
            **d,
            "section": list(self.section),
            "fields": [list(f) for f in self.fields],
            "uncertain": [list(u) for u in self.uncertain],
            **validity_fields(self.validity),
        }


def validity_fields(validity: Validity | None) -> dict[str, Any]:
    """status, valid_from, valid_to, supersedes, superseded_by (docs/CONTRACT.md; null when unknown)."""
    return (validity or Validity()).to_dict()


@dataclass(frozen=True)
class ComparisonRow:
    """One document's or place's line of a comparison: its cited text, or None where it says nothing."""

    label: str  # the place (渝中区) or the document title
    text: str | None
    n: int | None  # the citation mark, when cited

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "text": self.text, "citation": self.n}


@dataclass
class Answer:
    question: str
    answerable: bool
    answer: str
    citations: list[Citation]
    related: list[Hit] = field(default_factory=list)
    confidence: float = 0.0
    mode: str = "extractive"
    resolved_question: str | None = None  # what was actually asked, after reading a chat's context
    direct: str | None = None  # the precise answer taken from the first citation (不少于15人), if any
    comparison: list[ComparisonRow] = field(default_factory=list)  # side by side, for a comparison
