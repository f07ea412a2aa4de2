"""Search filters: region, year range, document, document type, issuing body.

``parse_filters`` turns loose input (query string or JSON) into a typed ``Filters`` and rejects
unknown names; ``validate`` rejects values that match nothing in the corpus, listing what exists.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from index.errors import BadFilter
from index.records import DocRecord

FILTER_NAMES = ("region", "year", "year_from", "year_to", "doc", "doc_type", "issuer")
_YEAR_RANGE = re.compile(r"^\s*((?:19|20)\d{2})?\s*[-~—至]\s*((?:19|20)\d{2})?\s*$")


@dataclass(frozen=True)
class Filters:
    region: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    doc: tuple[str, ...] = ()  # doc ids or source file names
    doc_type: tuple[str, ...] = ()
    issuer: str | None = None

    def is_empty(self) -> bool:
        return self == Filters()

    def to_dict(self) -> dict[str, Any]:
        return {
            f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) not in ((), None)
        }


def _as_tuple(name: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        items = [v.strip() for v in re.split(r"[,，]", value)]
    elif isinstance(value, list | tuple):
        items = [str(v).strip() if isinstance(v, str | int) else _bad(name, value) for v in value]
    else:
        _bad(name, value)
    items = [v for v in items if v]
    if not items:
        raise BadFilter(f"filter '{name}' is empty")
    return tuple(items)


def _bad(name: str, value: Any) -> Any:
    raise BadFilter(f"filter '{name}' has a value of the wrong type: {value!r}")


def _year(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).strip().isdigit():
        raise BadFilter(f"filter '{name}' must be a year like 2024, got {value!r}")
    year = int(str(value).strip())
    if not 1949 <= year <= 2100:
        raise BadFilter(f"filter '{name}' must be a year between 1949 and 2100, got {year}")
    return year


def parse_filters(raw: Mapping[str, Any] | None) -> Filters:
    if not raw:
        return Filters()
    if not isinstance(raw, Mapping):
        raise BadFilter("filters must be an object of name: value")
    unknown = sorted(set(raw) - set(FILTER_NAMES))
    if unknown:
        raise BadFilter(f"unknown filter(s) {', '.join(unknown)}; known filters: {', '.join(FILTER_NAMES)}")
    f = Filters()
    values = {k: v for k, v in raw.items() if v not in (None, "", [])}
    if "year" in values:
        year = values["year"]
        m = _YEAR_RANGE.match(str(year)) if isinstance(year, str) else None
        if m and (m.group(1) or m.group(2)):
            f = replace(
                f,
                year_from=int(m.group(1)) if m.group(1) else None,
                year_to=int(m.group(2)) if m.group(2) else None,
            )
        else:
            y = _year("year", year)
            f = replace(f, year_from=y, year_to=y)
    if "year_from" in values:
        f = replace(f, year_from=_year("year_from", values["year_from"]))
    if "year_to" in values:
        f = replace(f, year_to=_year("year_to", values["year_to"]))
    if f.year_from and f.year_to and f.year_from > f.year_to:
        raise BadFilter(f"year range is empty: {f.year_from} > {f.year_to}")
    for name in ("region", "doc", "doc_type"):
        if name in values:
            f = replace(f, **{name: _as_tuple(name, values[name])})
    if "issuer" in values:
        if not isinstance(values["issuer"], str):
            _bad("issuer", values["issuer"])
        f = replace(f, issuer=values["issuer"].strip())
    return f


def region_matches(wanted: str, region: str | None) -> bool:
    if not region:
        return False
    return wanted in region or (
        wanted.rstrip("区县镇乡市") in region and len(wanted.rstrip("区县镇乡市")) >= 2
    )


def doc_matches(doc: DocRecord, f: Filters) -> bool:
    m = doc.meta
    if f.region and not any(region_matches(r, m.region) for r in f.region):
        return False
    if f.year_from is not None and (m.year is None or m.year < f.year_from):
        return False
    if f.year_to is not None and (m.year is None or m.year > f.year_to):
        return False
    if f.doc and doc.doc_id not in f.doc and doc.source not in f.doc:
        return False
    if f.doc_type and not any(t == m.doc_type or (m.doc_type and m.doc_type.endswith(t)) for t in f.doc_type):
        return False
    return not (f.issuer and (not m.issuer or f.issuer not in m.issuer))


def validate(f: Filters, docs: Iterable[DocRecord]) -> None:
    """Each filter value must match at least one document; the message lists the values that exist."""
    docs = list(docs)
    checks = (
        ("region", f.region, lambda v, d: region_matches(v, d.meta.region), lambda d: d.meta.region),
        ("doc", f.doc, lambda v, d: v in (d.doc_id, d.source), lambda d: d.source),
        (
            "doc_type",
            f.doc_type,
            lambda v, d: bool(d.meta.doc_type and d.meta.doc_type.endswith(v)),
            lambda d: d.meta.doc_type,
        ),
    )
    for name, values, match, show in checks:
        for v in values:
            if not any(match(v, d) for d in docs):
                known = sorted({show(d) for d in docs if show(d)})
                listed = ", ".join(known[:30]) + (" ..." if len(known) > 30 else "")
                raise BadFilter(f"no document has {name} '{v}'; known values: {listed}")
    if f.issuer and not any(d.meta.issuer and f.issuer in d.meta.issuer for d in docs):
        raise BadFilter(f"no document has issuer '{f.issuer}'")
