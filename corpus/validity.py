"""Whether a document is in force: what its text states, and what the library says about versions.

Two pure steps:
* ``stated_validity(text, title, dates)``: the dates and repeals a document states about itself:
  施行日期 ("自2021年9月1日起施行", "自印发之日起施行"), 有效期 ("有效期至2027年12月31日", "有效期5年"),
  a period in its title ("（2024—2026年）") and the documents it repeals ("《…》同时废止").
* ``resolve_versions(metas, today)``: the status of every document of a library, from those
  statements and from series: a document repealed by another one in the library is 已废止; an earlier
  edition of the same series (same issuer or place, same type, same title but for its year) is 被替代
  by the latest, and so is an earlier edition of a statute (same type and whole title: an amended act
  is published again under its title); a document past its stated end is 已失效; a document with a stated start in the
  past and none of the above is 现行有效. Nothing stated and nothing known: None (unknown), never a guess.
  What an admin declared (``declared_status``, ``declared_superseded_by``) wins over all of that.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date

from corpus.doctypes import LEGAL_TYPES
from corpus.models import DocumentMeta

__all__ = [
    "CURRENT",
    "EXPIRED",
    "REPEALED",
    "SUPERSEDED",
    "Stated",
    "Validity",
    "effective_statement",
    "in_force",
    "resolve_versions",
    "series_key",
    "stated_validity",
]

CURRENT, REPEALED, EXPIRED, SUPERSEDED = "现行有效", "已废止", "已失效", "被替代"
NOT_IN_FORCE = frozenset({REPEALED, EXPIRED, SUPERSEDED})
STATUSES = (CURRENT, REPEALED, EXPIRED, SUPERSEDED)

_DATE = r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"
# a document speaks of itself as 本条例 / 本办法 / 本方案 ...: dates in other sentences (a licence's
# 有效期, another law's 施行) are not its own
_SELF = r"本(?:[\u4e00-\u9fa5]{1,6}?)(?:[^。；\n]{0,30}?)"
_EFFECTIVE = re.compile(_SELF + r"自\s*" + _DATE + r"\s*起(?:施行|实施|执行|生效)")
_EFFECTIVE_ON_ISSUE = re.compile(_SELF + r"自(?:印发|发布|公布)之日起(?:施行|实施|执行|生效)")
_UNTIL = re.compile(_SELF + r"有效期(?:至|到)\s*" + _DATE)
_FOR_YEARS = re.compile(_SELF + r"有效期(?:为)?\s*([1-9一二三四五六七八九十])\s*年")
_TITLE_PERIOD = re.compile(r"[(（]\s*((?:19|20)\d{2})\s*[-—–~至]+\s*((?:19|20)\d{2})\s*年?\s*[)）]")
_REPEALS = re.compile(
    r"《([^《》]{4,60}(?:〈[^〉]{2,40}〉[^《》]{0,20})?)》[^。；《]{0,12}?同时(?:废止|失效)"
)
_YEARS_IN_TITLE = re.compile(r"(?:19|20)\d{2}\s*(?:年度|年)?|[(（][^()（）]*[)）]")
_CN_DIGITS = {c: i for i, c in enumerate("一二三四五六七八九十", start=1)}
SERIES_TYPES = frozenset({"工作要点", "工作计划", "要点", "计划", "实施方案", "方案"})


@dataclass(frozen=True)
class Stated:
    valid_from: str | None = None
    valid_to: str | None = None
    repeals: tuple[str, ...] = ()


@dataclass(frozen=True)
class Validity:
    status: str | None = None
    valid_from: str | None = None
    valid_to: str | None = None
    supersedes: tuple[str, ...] = ()  # doc ids
    superseded_by: str | None = None  # doc id

    def to_dict(self) -> dict:
        d = asdict(self)
        d["supersedes"] = list(self.supersedes)
        return d


def _iso(y: str, m: str, d: str) -> str | None:
    try:
        return date(int(y), int(m), int(d)).isoformat()
    except ValueError:
        return None


def _plus_years(day: str, years: int) -> str:
    y, m, d = (int(x) for x in day.split("-"))
    try:
        return date(y + years, m, d).isoformat()
    except ValueError:  # 29 February
        return date(y + years, m, 28).isoformat()


def effective_statement(text: str) -> tuple[int, int] | None:
    """Where the document states its own 施行日期 (本条例自2020年8月1日起施行, 本方案自印发之日起施行):
    the offsets of the statement ``stated_validity`` reads ``valid_from`` from, for a citation.

    >>> text = "第五十五条 本条例自2020年8月1日起施行。"
    >>> start, end = effective_statement(text)
    >>> text[start:end]
    '本条例自2020年8月1日起施行'
    """
    m = _EFFECTIVE.search(text) or _EFFECTIVE_ON_ISSUE.search(text)
    return (m.start(), m.end()) if m else None


def stated_validity(text: str, title: str | None, issued: str | None) -> Stated:
    """What the document says about when it applies and what it repeals (pure; None when not said)."""
    valid_from = None
    m = _EFFECTIVE.search(text)
    if m:
        valid_from = _iso(*m.groups())
    elif _EFFECTIVE_ON_ISSUE.search(text):
        valid_from = issued
    valid_to = None
    m = _UNTIL.search(text)
    if m:
        valid_to = _iso(*m.groups())
    else:
        m = _FOR_YEARS.search(text)
        start = valid_from or issued
        if m and start:
            n = int(m.group(1)) if m.group(1).isdigit() else _CN_DIGITS[m.group(1)]
            valid_to = _plus_years(start, n)
    if title:
        m = _TITLE_PERIOD.search(title)
        if m and int(m.group(1)) <= int(m.group(2)):
            valid_from = valid_from or f"{m.group(1)}-01-01"
            valid_to = valid_to or f"{m.group(2)}-12-31"
    repeals = tuple(dict.fromkeys(t.strip() for t in _REPEALS.findall(text) if t.strip() != (title or "")))
    return Stated(valid_from, valid_to, repeals)


def series_key(meta: DocumentMeta) -> tuple[str, str, str] | None:
    """Editions of one series share issuer (or place), type and title once years are taken out. A
    statute amended or revised is published again under its own title (中华人民共和国生物安全法 of 2020
    and of 2024): editions of a legal norm share type and whole title, which names its issuer when no
    issuer is read (最高人民法院、最高人民检察院关于…的解释)."""
    if not meta.title or not meta.year:
        return None
    if meta.doc_type in LEGAL_TYPES:
        return (meta.issuer or meta.region or "", meta.doc_type, _norm_title(meta.title))
    if meta.doc_type not in SERIES_TYPES:
        return None
    who = meta.issuer or meta.region
    if not who:
        return None
    stem = re.sub(r"\s+", "", _YEARS_IN_TITLE.sub("", meta.title))
    return (who, meta.doc_type, stem)


def _norm_title(title: str) -> str:
    return re.sub(r"[\s〈〉《》<>]", "", title)


def resolve_versions(metas: Mapping[str, DocumentMeta], today: date) -> dict[str, Validity]:
    """doc_id -> Validity for every document of the library (see the module docstring)."""
    by_title: dict[str, list[str]] = {}
    for doc_id, m in metas.items():
        if m.title:
            by_title.setdefault(_norm_title(m.title), []).append(doc_id)
    supersedes: dict[str, list[str]] = {d: [] for d in metas}
    superseded_by: dict[str, str] = {}
    repealed: set[str] = set()
    for doc_id, m in metas.items():
        for title in m.repeals:
            for old in by_title.get(_norm_title(title), []):
                if old != doc_id:
                    supersedes[doc_id].append(old)
                    superseded_by.setdefault(old, doc_id)
                    repealed.add(old)
    series: dict[tuple, list[str]] = {}
    for doc_id, m in metas.items():
        key = series_key(m)
        if key:
            series.setdefault(key, []).append(doc_id)
    for members in series.values():
        members.sort(key=lambda d: (metas[d].year or 0, metas[d].issued_date or "", d))
        latest = members[-1]
        for old in members[:-1]:
            if metas[old].year != metas[latest].year:
                supersedes[latest].append(old)
                superseded_by.setdefault(old, latest)
    for doc_id, m in metas.items():  # what an admin declared wins over what was read or inferred
        newer = m.declared_superseded_by
        if newer and newer in metas and newer != doc_id:
            superseded_by[doc_id] = newer
            supersedes[newer].append(doc_id)
    now = today.isoformat()
    out = {}
    for doc_id, m in metas.items():
        if m.declared_status in STATUSES:
            status: str | None = m.declared_status
        elif doc_id in repealed:
            status: str | None = REPEALED
        elif doc_id in superseded_by:
            status = SUPERSEDED
        elif m.valid_to and m.valid_to < now:
            status = EXPIRED
        elif m.valid_from and m.valid_from <= now:
            status = CURRENT
        else:
            status = None
        out[doc_id] = Validity(
            status,
            m.valid_from,
            m.valid_to,
            tuple(dict.fromkeys(supersedes[doc_id])),
            superseded_by.get(doc_id),
        )
    return out


def in_force(validity: Validity | None) -> bool:
    """Unknown counts as in force: only a stated or established end takes a document out."""
    return validity is None or validity.status not in NOT_IN_FORCE
