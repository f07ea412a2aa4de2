"""The answer body of docs/CONTRACT.md, as records."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

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

    def to_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "section": list(self.section), "fields": [list(f) for f in self.fields]}


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
