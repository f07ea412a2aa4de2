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

from corpus.jurisdiction import places_within
from corpus.metadata import DOC_NUMBER, DOC_TYPES, normalise_doc_number, years_covered
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
    # the province-level jurisdictions the named places lie in (重庆市 for 渝中区), as the catalogue's
    # documents of those places record them: where a statute binds the places asked about
    jurisdictions: tuple[str, ...] = ()
    # places of the home jurisdiction the question names that no document of the library is of (九龙坡区
    # in a library of 渝中区's and 江北区's plans): they scope the question as a named place does, and no
    # document of another place answers for them unless it binds there
    unheld: tuple[str, ...] = ()

    def place_names(self) -> set[str]:
        """Every way of writing the places the question names (渝中区, 渝中 ...), those the library holds
        no document of included."""
        return {a for r in (*self.regions, *self.unheld) for a in region_aliases(r)}

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
    def __init__(
        self, docs: list[DocRecord], synonyms: list[tuple[str, ...]] | None = None, home: str | None = None
    ):
        """``home``: the province-level jurisdiction of the staff served (重庆市): its places that no
        document is of are read too (``QueryAnalysis.unheld``)."""
        self.docs = docs
        self.synonyms = synonyms if synonyms is not None else load_synonyms()
        self.alias_to_regions: dict[str, set[str]] = defaultdict(set)
        self.region_jurisdictions: dict[str, set[str]] = defaultdict(set)
        for d in docs:
            if d.meta.region and d.meta.region != "全国":
                for alias in region_aliases(d.meta.region):
                    self.alias_to_regions[alias].add(d.meta.region)
                if d.meta.jurisdiction:
                    self.region_jurisdictions[d.meta.region].add(d.meta.jurisdiction)
        self.home = home
        # how a place of the home jurisdiction without a document is written (九龙坡区, 九龙坡) -> its name
        self.unheld_forms: dict[str, str] = {}
        for place in sorted(places_within(home)) if home else ():
            forms = {a for a in region_aliases(place) if len(a) >= 3}
            if not forms & self.alias_to_regions.keys():
                self.unheld_forms.update(dict.fromkeys(forms, place))
        self.title_grams: dict[str, set[str]] = defaultdict(set)
        for d in docs:
            title = d.meta.title or ""
            for n in TITLE_GRAMS:
                for i in range(len(title) - n + 1):
                    self.title_grams[title[i : i + n]].add(d.doc_id)
        self.max_title_df = max(1, len(docs) // 5)
        self._titles = "\n".join(d.meta.title or "" for d in docs)
        # what the question can name, indexed once: a question touches only the documents it names
        self.by_region: dict[str, set[str]] = defaultdict(set)
        self.by_year: dict[int, set[str]] = defaultdict(set)
        self.by_type: dict[str, set[str]] = defaultdict(set)
        self.by_number: dict[str, set[str]] = defaultdict(set)
        for d in docs:
            if d.meta.region:
                self.by_region[d.meta.region].add(d.doc_id)
            for year in years_covered(d.meta.title, d.meta.year):  # a plan for 2024—2026 is about 2025
                self.by_year[year].add(d.doc_id)
            if d.meta.doc_type:
                self.by_type[d.meta.doc_type].add(d.doc_id)
            if d.meta.doc_number:
                self.by_number[d.meta.doc_number].add(d.doc_id)

    def analyze(self, query: str) -> QueryAnalysis:
        regions = self._regions(query)
        unheld = tuple(sorted({place for form, place in self.unheld_forms.items() if form in query}))
        without_number = DOC_NUMBER.sub(
            " ", query
        )  # the year inside 渝安委〔2024〕6号 is not a year asked for
        years = tuple(sorted({int(y) for y in _YEAR.findall(without_number) if 1949 <= int(y) <= 2100}))
        doc_types = self._doc_types(query)
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
            jurisdictions=tuple(
                sorted(
                    set().union(*(self.region_jurisdictions.get(r, ()) for r in regions))
                    | ({self.home} if unheld and self.home else set())
                )
            ),
            unheld=unheld,
        )

    def _regions(self, query: str) -> tuple[str, ...]:
        found: set[str] = set()
        for alias, regions in self.alias_to_regions.items():
            if alias in query:
                found |= regions
        # '重庆市江北区' names 江北区: drop a region that only matched as the parent of a more specific one
        specific = {r for r in found if not any(r != o and r in o for o in found)}
        return tuple(sorted(specific or found))

    def _doc_types(self, query: str) -> tuple[str, ...]:
        """The document types the question names (``names_type``), a type inside a longer one aside
        (实施方案 names 实施方案, not also 方案)."""
        named = [t for t in DOC_TYPES if names_type(query, t, self._titles)]
        return tuple(t for t in named if not any(t != o and t in o for o in named))

    def _title_docs(self, query: str, regions: tuple[str, ...]) -> tuple[str, ...]:
        """Documents whose title the question quotes a distinctive piece of (``quoted_spans``)."""
        region_words = {a for r in regions for a in region_aliases(r)}
        spans = []
        for n in TITLE_GRAMS:
            for i in range(len(query) - n + 1):
                gram = query[i : i + n]
                if re.search(r"\d", gram) or any(w in gram for w in region_words):
                    continue  # years and places are handled by their own rules
                if gram in self.title_grams:
                    spans.append((i, i + n))
        hits: set[str] = set()
        for start, end in quoted_spans(spans):
            docs = self.title_grams[query[start:end]]
            if len(docs) <= self.max_title_df:
                hits |= docs
        return tuple(sorted(hits))


def quoted_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The (start, end) spans not inside a longer one: what a question quotes of a title is its longest
    match there; the shorter pieces inside it (安全生产 in 安全生产许可证) are part of that quote, not
    names of the other documents whose titles share them.

    >>> quoted_spans([(0, 4), (0, 7), (2, 6), (8, 12)])
    [(0, 7), (8, 12)]
    """
    return [s for s in spans if not any(o != s and o[0] <= s[0] and s[1] <= o[1] for o in spans)]


def names_type(query: str, doc_type: str, titles: str) -> bool:
    """Whether the question uses a document type as the kind of a document, not as an ordinary word.

    The compound types (工作要点, 实施方案: four characters or more) are kinds wherever they stand. The
    short ones are also ordinary words (执法, 法定, 有什么规定, 提前通知, 作出决定), so one names a kind
    only where it closes a document's name, which is where titles put it: the type with the two
    characters before it occurs in a title of the catalogue (安全生产法, 消防条例, 检查计划).

    >>> titles = "中华人民共和国安全生产法|重庆市消防条例"
    >>> names_type("安全生产法第几条", "法", titles), names_type("谁执法谁普法", "法", titles)
    (True, False)
    >>> names_type("条例规定的值班人数", "规定", titles), names_type("2025年工作要点", "工作要点", titles)
    (False, True)
    """
    if doc_type not in query:
        return False
    if len(doc_type) >= 4:
        return True
    return any(
        start >= 2 and query[start - 2 : start + len(doc_type)] in titles
        for start in (m.start() for m in re.finditer(re.escape(doc_type), query))
    )
