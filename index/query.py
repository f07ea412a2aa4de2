"""Query understanding: what a question says about where to look.

* a region (渝中区, 江北, 南平镇), a year (2024年), a document number (渝安委〔2024〕6号), a document
  type (实施方案, 条例) or a distinctive piece of a document title (治本攻坚) named in the question
  selects documents, used as a boost or as a filter (configurable);
* abbreviations and full names (安委会 / 安全生产委员会) expand each other for the sparse side.

All rules are general: they read the catalogue of the indexed documents, never a gold question.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from corpus.metadata import DOC_NUMBER, DOC_TYPES, normalise_doc_number
from index.records import DocRecord

_SUFFIXES = ("自治区", "自治州", "街道", "省", "市", "区", "县", "镇", "乡")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年?")
TITLE_GRAMS = range(4, 9)


@dataclass(frozen=True)
class QueryAnalysis:
    query: str
    regions: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    doc_types: tuple[str, ...] = ()
    doc_numbers: tuple[str, ...] = ()
    title_docs: tuple[str, ...] = ()
    expansions: tuple[str, ...] = ()
    doc_scores: dict[str, float] = field(default_factory=dict)  # doc_id -> how many constraints it meets

    def place_names(self) -> set[str]:
        """Every way of writing the places the question names (渝中区, 渝中 ...)."""
        return {a for r in self.regions for a in region_aliases(r)}

    def scope_names(self) -> set[str]:
        """The places and years the question names: they say which documents are asked about, not what a
        passage must say (a preamble that repeats '2025年南平镇' does not answer a question about 南平镇)."""
        return self.place_names() | {f"{y}年" for y in self.years}

    def to_dict(self) -> dict:
        return {
            "regions": list(self.regions),
            "years": list(self.years),
            "doc_types": list(self.doc_types),
            "doc_numbers": list(self.doc_numbers),
            "title_docs": list(self.title_docs),
            "expansions": list(self.expansions),
        }


def load_synonyms() -> list[tuple[str, ...]]:
    text = (Path(__file__).parent / "data" / "synonyms.txt").read_text(encoding="utf-8")
    return [tuple(line.split()) for line in text.splitlines() if line.strip() and not line.startswith("#")]


def region_aliases(region: str) -> set[str]:
    """'南川区南平镇' -> {'南川区南平镇', '南川区', '南平镇', '南川', '南平'}."""
    parts = re.findall(r".+?(?:自治区|自治州|街道|省|市|区|县|镇|乡)", region) or [region]
    aliases = {region, *parts}
    for p in parts:
        for suffix in _SUFFIXES:
            if p.endswith(suffix) and len(p) - len(suffix) >= 2:
                aliases.add(p[: -len(suffix)])
    return aliases


class QueryAnalyzer:
    def __init__(self, docs: list[DocRecord], synonyms: list[tuple[str, ...]] | None = None):
        self.docs = docs
        self.synonyms = synonyms if synonyms is not None else load_synonyms()
        self.alias_to_regions: dict[str, set[str]] = defaultdict(set)
        for d in docs:
            if d.meta.region and d.meta.region != "全国":
                for alias in region_aliases(d.meta.region):
                    self.alias_to_regions[alias].add(d.meta.region)
        self.title_grams: dict[str, set[str]] = defaultdict(set)
        for d in docs:
            title = d.meta.title or ""
            for n in TITLE_GRAMS:
                for i in range(len(title) - n + 1):
                    self.title_grams[title[i : i + n]].add(d.doc_id)
        self.max_title_df = max(1, len(docs) // 5)
        # what the question can name, indexed once: a question touches only the documents it names
        self.by_region: dict[str, set[str]] = defaultdict(set)
        self.by_year: dict[int, set[str]] = defaultdict(set)
        self.by_type: dict[str, set[str]] = defaultdict(set)
        self.by_number: dict[str, set[str]] = defaultdict(set)
        for d in docs:
            if d.meta.region:
                self.by_region[d.meta.region].add(d.doc_id)
            if d.meta.year:
                self.by_year[d.meta.year].add(d.doc_id)
            if d.meta.doc_type:
                self.by_type[d.meta.doc_type].add(d.doc_id)
            if d.meta.doc_number:
                self.by_number[d.meta.doc_number].add(d.doc_id)

    def analyze(self, query: str) -> QueryAnalysis:
        regions = self._regions(query)
        without_number = DOC_NUMBER.sub(
            " ", query
        )  # the year inside 渝安委〔2024〕6号 is not a year asked for
        years = tuple(sorted({int(y) for y in _YEAR.findall(without_number) if 1949 <= int(y) <= 2100}))
        doc_types = tuple(
            t
            for t in DOC_TYPES
            if t in query and not any(t != o and t in o and o in query for o in DOC_TYPES)
        )
        number = normalise_doc_number(query)
        title_docs = self._title_docs(query, regions)
        expansions = tuple(
            other
            for group in self.synonyms
            if any(term in query for term in group)
            for other in group
            if other not in query
        )
        scores: dict[str, float] = {}
        met_sets = [
            set().union(*(self.by_region.get(r, ()) for r in regions)),
            set().union(*(self.by_year.get(y, ()) for y in years)),
            set().union(*(ids for t, ids in self.by_type.items() if any(t.endswith(x) for x in doc_types))),
            set(self.by_number.get(number, ())) if number else set(),
            set(title_docs),
        ]
        for met in met_sets:
            for doc_id in met:
                scores[doc_id] = scores.get(doc_id, 0.0) + 1.0
        return QueryAnalysis(
            query=query,
            regions=regions,
            years=years,
            doc_types=doc_types,
            doc_numbers=(number,) if number else (),
            title_docs=title_docs,
            expansions=expansions,
            doc_scores=scores,
        )

    def _regions(self, query: str) -> tuple[str, ...]:
        found: set[str] = set()
        for alias, regions in self.alias_to_regions.items():
            if alias in query:
                found |= regions
        # '重庆市江北区' names 江北区: drop a region that only matched as the parent of a more specific one
        specific = {r for r in found if not any(r != o and r in o for o in found)}
        return tuple(sorted(specific or found))

    def _title_docs(self, query: str, regions: tuple[str, ...]) -> tuple[str, ...]:
        hits: dict[str, int] = {}
        region_words = {a for r in regions for a in region_aliases(r)}
        for n in TITLE_GRAMS:
            for i in range(len(query) - n + 1):
                gram = query[i : i + n]
                if re.search(r"\d", gram) or any(w in gram for w in region_words):
                    continue  # years and places are handled by their own rules
                docs = self.title_grams.get(gram)
                if docs and len(docs) <= self.max_title_df:
                    for d in docs:
                        hits[d] = max(hits.get(d, 0), n)
        return tuple(sorted(hits))
