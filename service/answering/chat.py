"""Read the last user turn of a conversation in the context of the earlier ones.

* A follow-up that names another region, year or document ("那江北区呢?") re-asks the previous
  question with that entity swapped in (or added, when the previous question named none).
* A request for a citation of the previous answer ("第二条引用的原文是什么", "[2]的出处") is
  answered from that answer's citations.
* Anything else is a question of its own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from corpus.numerals import cn_to_int
from index.errors import BadQuery
from index.query import QueryAnalyzer, region_aliases

_FOLLOW_UP = re.compile(r"^(?:那|那么|还有|如果是|换成|改成|换作|要是)|[呢吗]\s*[?？]?$")
_CITATION = re.compile(
    r"第\s*([一二三四五六七八九十\d]+)\s*(?:条|个|处|项)?\s*(?:引用|引文|出处|来源|引证)|\[(\d+)\]|引用\s*(\d+)|第\s*([一二三四五六七八九十\d]+)\s*(?:条|个)\s*.{0,6}原文"
)


@dataclass(frozen=True)
class Turn:
    role: str
    content: str


@dataclass(frozen=True)
class ResolvedTurn:
    kind: str  # "question" or "citation"
    question: str  # the question to answer (for "citation": the previous question)
    citation: int | None = None


def _previous_questions(turns: Sequence[Turn]) -> list[str]:
    return [t.content.strip() for t in turns[:-1] if t.role == "user" and t.content.strip()]


def resolve(turns: Sequence[Turn], analyzer: QueryAnalyzer) -> ResolvedTurn:
    if not turns or turns[-1].role != "user":
        raise BadQuery("the last message must be the user's")
    current = turns[-1].content.strip()
    history = _previous_questions(turns)
    m = _CITATION.search(current)
    is_citation = bool(m and re.search(r"原文|出处|来源|引用|引文|哪里|全文", current))
    if not history:
        # a request for "the second citation" with no earlier answer has nothing to refer to
        return ResolvedTurn("citation", "", None) if is_citation else ResolvedTurn("question", current)
    previous = resolve(
        [*[Turn("user", h) for h in history[:-1]], Turn("user", history[-1])], analyzer
    ).question
    if m and is_citation:
        n = cn_to_int(next(g for g in m.groups() if g))
        return ResolvedTurn("citation", previous, n)
    if len(current) <= 20 and _FOLLOW_UP.search(current):
        return ResolvedTurn("question", swap_entities(previous, current, analyzer))
    return ResolvedTurn("question", current)


def swap_entities(previous: str, follow_up: str, analyzer: QueryAnalyzer) -> str:
    """Put the regions and years the follow-up names into the previous question."""
    now = analyzer.analyze(follow_up)
    before = analyzer.analyze(previous)
    question = previous
    # places the library holds no document of (QueryAnalysis.unheld) are places all the same
    places_now, places_before = (*now.regions, *now.unheld), (*before.regions, *before.unheld)
    if places_now:
        new = "和".join(places_now)
        if places_before:
            aliases = sorted({a for r in places_before for a in region_aliases(r)}, key=len, reverse=True)
            pattern = "|".join(re.escape(a) for a in aliases)
            question = re.sub(f"(?:{pattern})(?:(?:和|与|及|、)(?:{pattern}))*", new, question, count=1)
            question = re.sub(f"(?:{pattern})", "", question)
        else:
            question = new + question
    if now.years:
        year = str(now.years[0])
        question = (
            re.sub(r"(?:19|20)\d{2}(?=\s*年)", year, question) if before.years else f"{year}年{question}"
        )
    if not places_now and not now.years:
        rest = re.sub(r"^(?:那|那么|还有|如果是|换成|改成|换作|要是)|[呢吗]\s*[?？]?$", "", follow_up).strip()
        question = f"{previous} {rest}".strip()
    return question
