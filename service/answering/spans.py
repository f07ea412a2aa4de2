"""Candidate answer spans inside a chunk: sentences (to 。；！？ or a line end) and whole table rows,
each with its offsets in the document."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise

from corpus.chunking import sentences_of
from corpus.models import Chunk
from index.sentences import clause_spans
from service.answering.wording import BRANCH

_MIN_CHARS = 4
_HEADING_ONLY = re.compile(
    r"^(?:[一二三四五六七八九十百]+、|[（(][一二三四五六七八九十百]+[)）]|\d{1,2}[.．、])?[^。；;，,]{0,24}$"
)


@dataclass(frozen=True)
class Span:
    chunk: Chunk
    start: int  # document offsets
    end: int
    text: str
    in_table: bool
    table_header: str | None = None  # the header row a table row is read under


def spans_of(chunk: Chunk) -> list[Span]:
    """Sentences and table rows of a chunk, trimmed, as document-offset spans."""
    return [
        Span(
            chunk,
            chunk.start + u.start,
            chunk.start + u.end,
            chunk.text[u.start : u.end],
            u.table_header is not None,
            u.table_header,
        )
        for u in sentences_of(chunk.text, _MIN_CHARS)
    ]


# a prose sentence longer than this (about three lines of the page) strings several tasks together with
# commas; quoted whole it fills the answer with what was not asked (a plan's 总体目标, five lines, for a
# question about its death toll target)
LONG_SPAN = 150

_END_PUNCT = "。；;，,.！!？? \n"


# the words of a 公文's transmittal line around the title it sends (现将《…》印发给你们，请认真贯彻执行;
# 关于印发…的通知), and punctuation
_TRANSMITTAL = re.compile(
    r"现将|关于|印发|转发|下达|给你们|的通知|请结合实际|请认真|认真|贯彻执行|贯彻落实|抓好落实|"
    r"已经[^，,。；;]{0,12}同意|[，,。；;、\s]"
)
_QUOTED = re.compile(r"《([^》]{4,})》")
_PUNCT_OR_SPACE = re.compile(r"[，,。；;、\s]")


def names_the_document(text: str, title: str) -> bool:
    """Whether a line only names the document it is in: its title, or the line that transmits it, which
    state nothing of what the document requires, as a heading does not (pure).

    >>> title = "2024年江北区安全生产与防灾减灾救灾工作要点"
    >>> names_the_document("关于印发2024年江北区安全生产与防灾减灾", title)
    True
    >>> names_the_document("现将《2024年江北区安全生产与防灾减灾救灾工作要点》印发给你们，请认真贯彻执行。", title)
    True
    >>> names_the_document("现将《2025年全镇安全生产、防灾减灾工作要点》印发给你们", "2025年全镇安全生产、防灾减灾工作要点")
    True
    >>> names_the_document("2025年全镇安全生产、防灾减灾救灾工作要点", "2025年全镇安全生产、防灾减灾救灾工作要点")
    True
    >>> names_the_document("修订《南平镇应急预案》，规范编制村(居)应急预案。", title)
    False
    >>> names_the_document("安全生产", title)  # too short to be the title rather than a word of it
    False
    """
    title = _PUNCT_OR_SPACE.sub("", title)
    if len(title) < 6:
        return False

    def title_quoted(m: re.Match) -> str:
        quoted = _PUNCT_OR_SPACE.sub("", m.group(1))
        return "" if quoted in title or title in quoted else m.group(0)

    rest = _QUOTED.sub(title_quoted, text)
    rest = _TRANSMITTAL.sub("", rest)
    return not rest or (len(rest) >= 6 and rest in title)


def is_heading_only(span: Span) -> bool:
    """A heading names a topic and states nothing: a bare heading line ('（一）强化组织领导'), or a
    sentence the document's outline has as a heading of the span's own passage ('14.加强基层建设。'),
    whose content is in the body below it; so does the document's own title, or the line that transmits
    it (``names_the_document``)."""
    text = span.text.strip().rstrip(_END_PUNCT)
    if text and (text in span.chunk.section or names_the_document(text, span.chunk.title or "")):
        return True
    return "\n" not in span.text and bool(_HEADING_ONLY.match(span.text)) and not re.search(r"\d", span.text)


def is_lead_in(span: Span) -> bool:
    """A line ending in a colon ('各街道办事处,有关单位:', '主要任务如下：') introduces what follows
    and states nothing by itself."""
    return _opens_list(span.text)


# an item of an enumeration: (一) / （二） / (3) / ④ / 1. / 2、 at the start of its line
_ITEM = re.compile(r"\s*(?:[（(](?:[一二三四五六七八九十百]+|\d{1,2})[)）]|[①-⑳]|\d{1,2}[.．、])")


# the words a lead-in points at its list with (有下列情形之一的, 规定如下); not 以下, also "below" (五万元以下)
_POINTS_AT_LIST = re.compile(r"下列|如下")


def _opens_list(line: str) -> bool:
    return line.rstrip().endswith(("：", ":"))


def _lead_line(text: str, start: int) -> tuple[int, int] | None:
    """The offsets in ``text`` of the lead-in line (ending in a colon) that opens the list whose item line
    holds ``text[start]``, blank lines and earlier items skipped; None when that line is no item or its
    list has no lead-in in ``text``."""
    line_start = text.rfind("\n", 0, start) + 1
    if not _ITEM.match(text, line_start):
        return None
    end = line_start - 1  # the newline before the item's line
    while end > 0:
        begin = text.rfind("\n", 0, end) + 1
        line = text[begin:end]
        if line.strip() and not _ITEM.match(line):
            return (begin, end) if _opens_list(line) else None
        end = begin - 1
    return None


def lead_in_of(span: Span) -> Span | None:
    """For an item of an enumeration, the lead-in line its list opens with, from its sentence naming the
    list (下列 / 如下; else its last sentence) to the line's end, as a span of the same chunk (None for a
    span that is no item, or whose lead-in is not in its chunk). An item
    completes its lead-in's sentence, which says what the items are for: (五)占用、堵塞、封闭消防车通道… is
    one of the acts of 单位违反本法规定，有下列行为之一的，责令改正，处五千元以上五万元以下罚款：

    >>> from corpus.models import Chunk
    >>> t = "第六十条 单位有下列行为之一的，处五千元以上罚款：\\n(一)甲项行为；\\n(二)乙项行为。"
    >>> lead_in_of(spans_of(Chunk("c", "d", "s", "t", (), t, 100, 100 + len(t), 0))[2]).text
    '第六十条 单位有下列行为之一的，处五千元以上罚款：'
    >>> t = "有下列行为之一的，给予处分；构成犯罪的，依法追究刑事责任：\\n(一)甲项行为。"
    >>> lead_in_of(spans_of(Chunk("c", "d", "s", "t", (), t, 0, len(t), 0))[-1]).text
    '有下列行为之一的，给予处分；构成犯罪的，依法追究刑事责任：'
    """
    chunk = span.chunk
    lead = _lead_line(chunk.text, span.start - chunk.start)
    if lead is None:
        return None
    within = [s for s in spans_of(chunk) if lead[0] <= s.start - chunk.start < lead[1]]
    if not within:
        return None
    # from the sentence that points at the list (有下列行为之一的，…；构成犯罪的，依法追究刑事责任：): the
    # last sentence alone would drop what the items are for
    first = next((s for s in within if _POINTS_AT_LIST.search(s.text)), within[-1])
    a, b = first.start - chunk.start, within[-1].end - chunk.start
    return Span(chunk, first.start, within[-1].end, chunk.text[a:b], False)


def lead_text(span: Span) -> str:
    """For an item of an enumeration, the text of the lead-in line its list opens with ('' for a span that
    is no item, or whose lead-in is not in its chunk): the words the item completes.

    >>> from corpus.models import Chunk
    >>> t = "第八条 有下列情形之一的，为特别重大事故：\\n(一)造成30人以上死亡的；"
    >>> [lead_text(s) for s in spans_of(Chunk("c", "d", "s", "t", (), t, 0, len(t), 0))]
    ['', '第八条 有下列情形之一的，为特别重大事故：']
    """
    return _lead_text(span.chunk.text, span.start - span.chunk.start)


def _lead_text(text: str, start: int) -> str:
    """The lead-in line of the list whose item line holds ``text[start]`` ('' when none)."""
    lead = _lead_line(text, start)
    return text[lead[0] : lead[1]] if lead else ""


def with_items(span: Span) -> Span | None:
    """A lead-in span (ending in a colon) extended through the item lines that follow it in its chunk: the
    list it opens, which is what a question asking 有哪些职责 wants (None for a span that opens no list, or
    whose items are not in its chunk).

    >>> from corpus.models import Chunk
    >>> t = "第五条 主要负责人负有下列职责：\\n（一）建立责任制；\\n（二）组织培训。\\n第六条 其他。"
    >>> with_items(spans_of(Chunk("c", "d", "s", "t", (), t, 0, len(t), 0))[0]).text
    '第五条 主要负责人负有下列职责：\\n（一）建立责任制；\\n（二）组织培训。'
    """
    chunk, text = span.chunk, span.chunk.text
    at = span.end - chunk.start
    line_end = text.find("\n", at)
    if not _opens_list(span.text) or line_end == -1 or text[at:line_end].strip():
        return None  # no lead-in, or one that does not end its line
    items = _item_lines(text, line_end + 1)
    if not items:
        return None
    a, end = span.start - chunk.start, items[-1][1]
    return Span(chunk, span.start, chunk.start + end, text[a:end], False)


def _item_lines(text: str, pos: int) -> list[tuple[int, int]]:
    """The offsets in ``text`` of the item lines from ``pos`` on (trailing blanks off), blank lines
    skipped, up to the first line that is no item."""
    items = []
    while pos < len(text):
        nl = text.find("\n", pos)
        stop = len(text) if nl == -1 else nl
        line = text[pos:stop]
        if line.strip():
            if not _ITEM.match(line):
                break
            items.append((pos, pos + len(line.rstrip())))
        pos = stop + 1
    return items


def enumeration_of(text: str, start: int) -> str:
    """What completes the sentence of the span starting at ``text[start]`` in an enumeration: for an item
    line, the lead-in line that opens its list (it ends in a colon); for a span of a lead-in line, the
    item lines that follow it; '' otherwise. A statute writes a fine and the acts it is for this way
    (…有下列行为之一的，处…罚款：(一)…；(二)…), so either part may name what a figure is for.

    >>> t = "第三十七条 事故单位负有责任的，依照下列规定处以罚款：\\n(一)发生一般事故的，处10万元罚款；\\n(二)发生较大事故的，处20万元罚款。\\n第三十八条 其他。"
    >>> enumeration_of(t, t.index("(二)"))
    '第三十七条 事故单位负有责任的，依照下列规定处以罚款：'
    >>> enumeration_of(t, 0)
    '(一)发生一般事故的，处10万元罚款；(二)发生较大事故的，处20万元罚款。'
    >>> enumeration_of(t, t.index("第三十八条"))
    ''
    >>> enumeration_of("下列单位：\\n\\n(一)甲；\\n\\n(二)乙。", 14)  # blank lines between the lines
    '下列单位：'
    >>> enumeration_of("遇难时应当显示下列信号：\\n(1)连续发放响声；\\n(2)燃放火光。", 22)  # (1) / (2) items too
    '遇难时应当显示下列信号：'
    """
    lines = text.split("\n")
    here = text.count("\n", 0, start)  # the line the span starts on
    if _ITEM.match(lines[here]):
        return _lead_text(text, start)
    if not _opens_list(lines[here]):
        return ""
    next_line = text.find("\n", start)
    items = _item_lines(text, next_line + 1) if next_line != -1 else []
    return "".join(text[a:b].strip() for a, b in items)


def branches_of(spans: list[Span]) -> list[Span]:
    """Each sentence part ending in a semicolon joined to the part after it on the same line when that
    part opens with a condition of its own (``wording.BRANCH``): the branches of one norm, 责令改正；拒不改正的，处
    二万元以上罚款 or 5年以内每年检验1次；超过5年的，每6个月检验1次. The second branch names its fact (the fine,
    the interval) and the first what it is for, so neither answers alone; joined, they are one candidate
    beside the two parts (pure; table rows never join).

    >>> from corpus.models import Chunk
    >>> t = "拒绝监督检查的，责令改正；拒不改正的，处二万元以上罚款；情节严重的，停产整顿。\\n其他。"
    >>> [b.text for b in branches_of(spans_of(Chunk("c", "d", "s", "t", (), t, 5, 5 + len(t), 0)))]
    ['拒绝监督检查的，责令改正；拒不改正的，处二万元以上罚款；', '拒不改正的，处二万元以上罚款；情节严重的，停产整顿。']
    >>> branches_of(spans_of(Chunk("c", "d", "s", "t", (), "开展培训；推进整治，强化监管。", 0, 15, 0)))
    []
    """
    out = []
    for first, second in pairwise(spans):
        chunk = first.chunk
        gap = chunk.text[first.end - chunk.start : second.start - chunk.start]
        if (
            first.in_table
            or second.in_table
            or not first.text.endswith(("；", ";"))
            or gap.strip()
            or "\n" in gap
            or not BRANCH.match(second.text)
        ):
            continue
        a, b = first.start - chunk.start, second.end - chunk.start
        out.append(Span(chunk, first.start, second.end, chunk.text[a:b], False))
    return out


def clause_window(span: Span, relevance: Callable[[str], float], longest: int = LONG_SPAN) -> Span:
    """A long sentence narrowed to the three clauses in a row that share most with the question
    (``relevance``: a clause's share of it): the clause that answers with what comes before and after it,
    its subject and what follows from it, and a claim spread over two clauses is kept whole; a table row, or a
    sentence of ``longest`` characters or fewer, is kept whole. The clauses are the sentence vectors'
    (``index.sentences.clause_spans``); ties go to the earlier clause.

    >>> from corpus.models import Chunk
    >>> t = "坚持人民至上,统筹发展和安全,有效防控一般事故,全年事故死亡人数控制在指标范围内,严控因灾死亡人数,为全区建设提供保障。"
    >>> s = spans_of(Chunk("c", "d", "s", "t", (), t, 10, 10 + len(t), 0))[0]
    >>> w = clause_window(s, lambda c: float("死亡人数" in c) + float("全年" in c), longest=40)
    >>> w.text, w.start - 10 == t.index("有效防控")
    ('有效防控一般事故,全年事故死亡人数控制在指标范围内,严控因灾死亡人数', True)
    >>> clause_window(s, lambda c: 0.0) is s  # short enough under the default bound
    True
    """
    # a table row (read under its header or, in a passage after the header's, by its cell bars) is
    # quoted whole: its cells are its units, not its commas
    if span.in_table or "|" in span.text or len(span.text) <= longest:
        return span
    clauses = clause_spans(span.text, 0, len(span.text))
    if not clauses:
        return span
    scores = [relevance(span.text[a:b]) for a, b in clauses]
    # the three clauses that together share most with the question (ties: the earliest)
    first = max(range(max(1, len(clauses) - 2)), key=lambda i: (sum(scores[i : i + 3]), -i))
    a, b = clauses[first][0], clauses[min(len(clauses), first + 3) - 1][1]
    return Span(span.chunk, span.start + a, span.start + b, span.text[a:b], False)
