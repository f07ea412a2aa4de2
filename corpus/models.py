"""Plain records that flow out of the corpus layer (documents, headings, chunks)."""

from __future__ import annotations

import bisect
from dataclasses import asdict, dataclass, field
from typing import Any

from corpus.intervals import clip

SectionPath = tuple[str, ...]


@dataclass(frozen=True)
class DocumentMeta:
    """What a document states about itself; a field is None when the text does not state it."""

    title: str | None = None
    issuer: str | None = None  # 发文机关 / 发布机构
    doc_number: str | None = None  # 发文字号, normalised to 渝安委〔2024〕6号
    issued_date: str | None = None  # 成文日期 (ISO yyyy-mm-dd)
    published_date: str | None = None  # 发布日期 / 印发日期 (ISO)
    region: str | None = None  # 江北区, 南川区南平镇, 重庆市, 全国 ...
    doc_type: str | None = None  # 工作要点, 实施方案, 条例, 法 ...
    year: int | None = None
    jurisdiction: str | None = None  # province-level: 重庆市, 浙江省 ...; 全国 for national law
    valid_from: str | None = None  # 施行日期 (ISO), as stated
    valid_to: str | None = None  # end of the stated 有效期 (ISO)
    repeals: tuple[str, ...] = ()  # titles of the documents it states it repeals (同时废止)
    declared_status: str | None = None  # set by an admin: 现行有效 / 已废止 / 已失效 / 被替代
    declared_superseded_by: str | None = None  # set by an admin: the doc id that replaces it

    def __post_init__(self) -> None:
        object.__setattr__(self, "repeals", tuple(self.repeals))  # a JSON list reads back as the same value

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["repeals"] = list(self.repeals)
        return d


@dataclass(frozen=True)
class Heading:
    """One outline heading found in a cleaned document.

    ``level`` is the depth in the outline (0 = 附件/编, 1 = 一、/第X章, ...); ``start`` is where the
    heading marker begins in the cleaned text and ``title_end`` where its title text ends.
    """

    level: int
    kind: str
    title: str
    start: int
    title_end: int


@dataclass(frozen=True)
class RemovedSpan:
    """A piece of page furniture or scraping junk taken out of the raw text."""

    start: int  # offset in the raw (reader) text
    text: str
    reason: str


@dataclass(frozen=True)
class Chunk:
    chunk_id: str
    doc_id: str
    source: str
    title: str
    section: SectionPath
    text: str
    start: int
    end: int
    ordinal: int
    table_header: str | None = None
    ocr: bool = False  # the text was read from a scanned page by OCR (may hold misread characters)
    page: int | None = None  # the printed page (PDF, OFD) where the chunk starts; None without pages

    @property
    def heading_context(self) -> str:
        """Title and section path, kept apart from the text so the index can use it separately."""
        parts = [self.title, *self.section]
        if self.table_header:
            parts.append(f"表头：{self.table_header}")
        return " > ".join(p for p in parts if p)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["section"] = list(self.section)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Chunk:
        return cls(**{**d, "section": tuple(d["section"])})


@dataclass
class Document:
    doc_id: str
    source: str
    format: str
    encoding: str | None
    text: str  # the cleaned text: every chunk offset refers to it
    meta: DocumentMeta
    outline: list[Heading] = field(default_factory=list)
    removed: list[RemovedSpan] = field(default_factory=list)
    fingerprint: str = ""  # hash of the cleaned text
    origin: str | None = None  # where it was read from (absolute path), to tell a same-named stranger apart
    access: str = "public"  # corpus.access: public, internal or group:NAME[,group:NAME...]
    # where each printed page starts in ``text`` (PDF, OFD); empty when the format has no pages
    page_starts: list[int] = field(default_factory=list)
    # [start, end) in ``text`` of characters OCR read with low confidence: to check against the paper
    ocr_uncertain: list[tuple[int, int]] = field(default_factory=list)

    def page_at(self, offset: int) -> int | None:
        """The printed page (from 1) that holds ``offset``; None for a document without pages."""
        if not self.page_starts:
            return None
        return max(1, bisect.bisect_right(self.page_starts, offset))

    def uncertain_in(self, start: int, end: int) -> tuple[tuple[int, int], ...]:
        """The low-confidence OCR characters of ``text[start:end]``, as offsets within that stretch."""
        return clip(self.ocr_uncertain, start, end)

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "source": self.source,
            "format": self.format,
            "encoding": self.encoding,
            "text": self.text,
            "meta": self.meta.to_dict(),
            "outline": [asdict(h) for h in self.outline],
            "removed": [asdict(r) for r in self.removed],
            "fingerprint": self.fingerprint,
            "origin": self.origin,
            "access": self.access,
            "page_starts": self.page_starts,
            "ocr_uncertain": [list(s) for s in self.ocr_uncertain],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Document:
        return cls(
            doc_id=d["doc_id"],
            source=d["source"],
            format=d["format"],
            encoding=d.get("encoding"),
            text=d["text"],
            meta=DocumentMeta(**d["meta"]),
            outline=[Heading(**h) for h in d.get("outline", [])],
            removed=[RemovedSpan(**r) for r in d.get("removed", [])],
            fingerprint=d.get("fingerprint", ""),
            origin=d.get("origin"),
            access=d.get("access", "public"),
            page_starts=list(d.get("page_starts", [])),
            ocr_uncertain=[(a, b) for a, b in d.get("ocr_uncertain", [])],
        )
