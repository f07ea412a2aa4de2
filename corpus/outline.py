"""Find the heading outline of a cleaned document.

Two systems are recognised:

* 公文 outline: 附件 (0) > 一、 (1) > （一）/(一) (2) > 1./1．/1、 (3) > （1）/(1) (4) > ① (5);
* statutes: 第X编 (0) > 第X章 (1) > 第X节 (2) > 第X条 (3), used when a document has articles.

Headings are found at line starts and, inside long run-on paragraphs, after a sentence end or right
behind a bare heading title (``二、重点任务(一)抓...``). Inline markers must continue their numbering
(1, or the last number of that kind + 1), which keeps cross-references (按（二）项) and stray
numbers out. Decimals (1.5亿), dates (5.12) and table cells (lines ending in '|') are never headings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from corpus.models import Heading
from corpus.numerals import cn_to_int
from corpus.readers.base import HeadingHint

CN_NUM = "一二三四五六七八九十百零〇"
_SENTENCE_END = "。；;！？!?"

# kind -> (level, pattern). Patterns match at the candidate position.
GONGWEN_MARKERS: dict[str, tuple[int, re.Pattern[str]]] = {
    "cn": (1, re.compile(rf"([{CN_NUM}]{{1,4}})、")),
    "paren_cn": (2, re.compile(rf"[（(]([{CN_NUM}]{{1,4}})[）)]")),
    "arabic": (3, re.compile(r"(\d{1,2})(?:[.．](?![\d.．])|、)")),
    "paren_arabic": (4, re.compile(r"[（(](\d{1,2})[）)]")),
    "circled": (5, re.compile(r"([①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])")),
}
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
STATUTE_LEVELS = {"编": 0, "章": 1, "节": 2, "条": 3}
STATUTE_MARKER = re.compile(
    rf"第([{CN_NUM}千\d]{{1,6}})([编章节条])(?:之[{CN_NUM}]+)?(?=[\s　]|$|[^\s，,。、的款项])"
)
ANNEX_LINE = re.compile(r"^附\s*件\s*(\d{0,2})\s*[:：]?\s*$")

# Standard 公文 section names: a bare heading that runs straight into its body text ends after them.
SECTION_NAMES = (
    "总体要求",
    "总体目标",
    "工作目标",
    "主要目标",
    "目标任务",
    "指导思想",
    "基本原则",
    "重点任务",
    "主要任务",
    "工作任务",
    "工作措施",
    "主要措施",
    "保障措施",
    "工作要求",
    "组织领导",
    "任务分工",
    "实施步骤",
    "工作安排",
    "职责分工",
    "工作重点",
    "重点工作",
    "总则",
    "附则",
)
MAX_TITLE = 40
RUN_ON_LINE = 600  # a line this long is a run-on paragraph: look for headings inside it


@dataclass(frozen=True)
class _Candidate:
    kind: str
    level: int
    number: int
    start: int
    marker_end: int


def is_statute(text: str) -> bool:
    """A document with at least two articles (第X条 at a line start) follows the statute system."""
    return len(re.findall(rf"(?m)^[ \t　]*第[{CN_NUM}\d]{{1,6}}条", text)) >= 2


def detect_outline(
    text: str, hints: list[HeadingHint] | None = None, title: str | None = None
) -> list[Heading]:
    statute = is_statute(text)
    hint_starts = {h.start: h.level for h in hints or []}
    headings: list[Heading] = []
    last_number: dict[str, int] = {}
    pos = 0
    lines = text.split("\n")
    for idx, line in enumerate(lines):
        line_start = pos
        pos += len(line) + 1
        stripped = line.strip()
        if not stripped or stripped.endswith("|") or stripped.count(" | ") >= 2:
            continue
        indent = len(line) - len(line.lstrip())
        at = line_start + indent
        if at in hint_starts or line_start in hint_starts:
            level = hint_starts.get(at, hint_starts.get(line_start, 1))
            heading = _hinted_heading(text, at, line_start + len(line), level, statute, title)
            if heading:
                headings.append(heading)
            continue
        m = ANNEX_LINE.match(stripped)
        if m:
            headings.append(_annex_heading(text, at, line_start + len(line), lines, idx))
            last_number.clear()
            continue
        if statute:
            cand = _statute_candidate(text, at)
            if cand:
                headings.append(_make_heading(text, cand, line_start + len(line), statute=True))
            continue
        found = _gongwen_candidates(
            text, at, line_start + len(line), last_number, run_on=len(line) >= RUN_ON_LINE
        )
        headings.extend(found)
    return headings


def _statute_candidate(text: str, at: int) -> _Candidate | None:
    m = STATUTE_MARKER.match(text, at)
    if not m:
        return None
    number = cn_to_int(m.group(1))
    if number is None:
        return None
    kind = m.group(2)
    return _Candidate(
        kind=f"statute_{kind}", level=STATUTE_LEVELS[kind], number=number, start=at, marker_end=m.end()
    )


def _match_gongwen(text: str, at: int) -> _Candidate | None:
    for kind, (level, pattern) in GONGWEN_MARKERS.items():
        m = pattern.match(text, at)
        if not m:
            continue
        raw = m.group(1)
        number = _CIRCLED.index(raw) + 1 if kind == "circled" else cn_to_int(raw)
        if number is None or number == 0:
            continue
        rest = text[m.end() : m.end() + 1]
        if not rest or rest in "\n|":  # a marker with no title after it is a table cell or a stray number
            continue
        return _Candidate(kind=kind, level=level, number=number, start=at, marker_end=m.end())
    return None


def _gongwen_candidates(
    text: str, at: int, line_end: int, last_number: dict[str, int], run_on: bool
) -> list[Heading]:
    found: list[_Candidate] = []
    first = _match_gongwen(text, at)
    if first:
        found.append(first)
        last_number[first.kind] = first.number
    if run_on:
        found.extend(
            _inline_candidates(text, first.marker_end if first else at, line_end, last_number, found)
        )
    headings = []
    for i, cand in enumerate(found):
        limit = found[i + 1].start if i + 1 < len(found) else line_end
        headings.append(_make_heading(text, cand, limit, statute=False))
    return headings


def _inline_candidates(
    text: str, begin: int, line_end: int, last_number: dict[str, int], found: list[_Candidate]
) -> list[_Candidate]:
    out: list[_Candidate] = []
    i = begin
    while i < line_end:
        ch = text[i]
        if ch in "一二三四五六七八九十（(0123456789①②③④⑤⑥⑦⑧⑨⑩":
            cand = _match_gongwen(text, i) if _inline_position_ok(text, i, found + out) else None
            if cand and cand.number in (1, last_number.get(cand.kind, 0) + 1):
                out.append(cand)
                last_number[cand.kind] = cand.number
                i = cand.marker_end
                continue
        i += 1
    return out


def _inline_position_ok(text: str, i: int, previous: list[_Candidate]) -> bool:
    """After a sentence end, or right behind a short bare heading title with no punctuation."""
    j = i - 1
    while j >= 0 and text[j] in " \t　”’」":
        j -= 1
    if j < 0 or text[j] in _SENTENCE_END or text[j] == "\n":
        return True
    if previous:
        prev = previous[-1]
        between = text[prev.marker_end : i]
        if 1 <= len(between) <= 24 and not re.search(r"[，,。；;：:！？!?“”]", between):
            return True
    return False


def _title_end(text: str, start: int, limit: int) -> int:
    """Where a heading title ends: the first sentence end, or the limit; long titles are cut."""
    end = start
    while end < limit and text[end] not in "。；;！？!?\n":
        end += 1
    body = text[start:end]
    if len(body) > 20:
        for name in SECTION_NAMES:  # '一、总体目标以习近平...' -> '一、总体目标'
            if body.startswith(name):
                return start + len(name)
    if end - start > MAX_TITLE:
        comma = re.search(r"[，,：:]", body)
        end = start + (comma.start() if comma and comma.start() <= MAX_TITLE else MAX_TITLE)
    return end


def _make_heading(text: str, cand: _Candidate, limit: int, statute: bool) -> Heading:
    if statute and cand.kind == "statute_条":
        end = cand.marker_end
    else:
        end = _title_end(text, cand.marker_end, limit)
    title = " ".join(text[cand.start : end].split())
    return Heading(level=cand.level, kind=cand.kind, title=title, start=cand.start, title_end=end)


def _annex_heading(text: str, at: int, line_end: int, lines: list[str], idx: int) -> Heading:
    """'附件' alone on a line; the next short line, when there is one, is the annex title."""
    title_end = line_end
    title = text[at:line_end].strip().rstrip(":：")
    nxt = idx + 1
    offset = line_end + 1
    while nxt < len(lines) and not lines[nxt].strip():
        offset += len(lines[nxt]) + 1
        nxt += 1
    if nxt < len(lines):
        candidate = lines[nxt].strip()
        if (
            0 < len(candidate) <= MAX_TITLE
            and not _match_gongwen(candidate, 0)
            and not candidate.endswith("|")
        ):
            title = f"{title} {candidate}"
            title_end = offset + len(lines[nxt])
    return Heading(level=0, kind="annex", title=title, start=at, title_end=title_end)


def _hinted_heading(
    text: str, at: int, line_end: int, level: int, statute: bool, title: str | None
) -> Heading | None:
    line = text[at:line_end].strip()
    if title and line == title and level == 1:
        return None  # the document title, not a section
    cand = _statute_candidate(text, at) if statute else _match_gongwen(text, at)
    if cand:
        return _make_heading(text, cand, line_end, statute=statute)
    end = _title_end(text, at, line_end)
    return Heading(level=level, kind="styled", title=" ".join(text[at:end].split()), start=at, title_end=end)
