"""Cut a cleaned document into chunks along its outline.

Rules:
* a chunk never spans two sections; a heading with no body of its own (``三、主要任务`` followed
  directly by ``（一）...``) is kept with its first child instead of standing alone;
* a long section is cut at sentence ends (。；！？) into pieces of balanced size under ``max_chars``;
* tables stay readable: a row is never cut (unless it alone exceeds the cap), and chunks that do
  not contain the table header carry it in ``table_header``;
* every chunk records ``start``/``end`` with ``text == document_text[start:end]``; whitespace between
  chunks is the only text that belongs to none.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import re
from dataclasses import dataclass

from corpus.models import Chunk, Heading, SectionPath


@dataclass(frozen=True)
class ChunkingConfig:
    max_chars: int = 400
    min_chars: int = 40  # a trailing piece shorter than this joins its neighbour when the cap allows


@dataclass(frozen=True)
class Section:
    start: int
    end: int
    path: SectionPath
    body_start: int  # where the heading title ends (== start for the preamble)


@dataclass(frozen=True)
class Unit:
    """An uncuttable piece of a section: a sentence, a table row or a table header."""

    start: int
    end: int
    table_header: str | None = None
    is_header: bool = False


_SENTENCE = re.compile(r"[^。；;！？!?\n]*(?:[。；;！？!?]+[”’」』）)]*|\n|$)")
_CLAUSE = re.compile(r"[^，,、：:]*(?:[，,、：:]|$)")
_ROW_START = re.compile(r"^\s*\d{1,3}\s*\|?\s*$")
_HEADER_START = re.compile(r"^(?:序号|编号)\s*\|?$")  # the first header cell of a 公文 table


def sections_of(text: str, outline: list[Heading]) -> list[Section]:
    """Sections in document order, each from its heading to the next heading."""
    out: list[Section] = []
    first = outline[0].start if outline else len(text)
    if text[:first].strip():
        out.append(Section(start=0, end=first, path=(), body_start=0))
    stack: list[Heading] = []
    for i, h in enumerate(outline):
        while stack and stack[-1].level >= h.level:
            stack.pop()
        stack.append(h)
        end = outline[i + 1].start if i + 1 < len(outline) else len(text)
        out.append(
            Section(start=h.start, end=end, path=tuple(x.title for x in stack), body_start=h.title_end)
        )
    return out


def merge_bare_headings(text: str, sections: list[Section]) -> list[Section]:
    """A section whose body is empty joins the section that follows when that one is its child."""
    merged: list[Section] = []
    pending: int | None = None
    for i, sec in enumerate(sections):
        start = sec.start if pending is None else pending
        body = text[sec.body_start : sec.end]
        nxt = sections[i + 1] if i + 1 < len(sections) else None
        is_parent_of_next = (
            nxt is not None and nxt.path[: len(sec.path)] == sec.path and len(nxt.path) > len(sec.path)
        )
        if not _has_content(body) and is_parent_of_next and sec.path:
            pending = start
            continue
        pending = None
        merged.append(Section(start=start, end=sec.end, path=sec.path, body_start=sec.body_start))
    return merged


def _has_content(s: str) -> bool:
    return bool(re.sub(r"[\s。；;：:，,、.．|]", "", s))


def units_of(text: str, start: int, end: int) -> list[Unit]:
    """Sentences, with table regions turned into header and row units."""
    units: list[Unit] = []
    lines = _lines(text, start, end)
    i = 0
    while i < len(lines):
        if _is_table_line(lines[i][2]):
            j = i
            while j < len(lines) and (_is_table_line(lines[j][2]) or _table_continues(lines, j)):
                j += 1
            for table in _split_repeated_headers(lines[i:j]):
                units.extend(_table_units(table))
            i = j
            continue
        ls, le, _ = lines[i]
        units.extend(_sentence_units(text, ls, le))
        i += 1
    return [u for u in units if text[u.start : u.end].strip()]


_UNIT_TRIM = " \t\n|"  # blank space and the cell bars of table lines


def sentences_of(text: str, min_chars: int = 4) -> list[Unit]:
    """The sentences and table rows of a piece of text (a chunk), trimmed of blank space and cell bars,
    without table header lines and pieces shorter than ``min_chars``: what a passage says, one claim at
    a time (answer spans, sentence vectors)."""
    out: list[Unit] = []
    for u in units_of(text, 0, len(text)):
        a, b = u.start, u.end
        while a < b and text[a] in _UNIT_TRIM:
            a += 1
        while b > a and text[b - 1] in _UNIT_TRIM:
            b -= 1
        if b - a >= min_chars and not u.is_header:
            out.append(Unit(a, b, u.table_header))
    return out


def _lines(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    out = []
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl + 1
        out.append((pos, stop, text[pos:stop]))
        pos = stop
    return out


def _is_table_line(line: str) -> bool:
    s = line.strip()
    return bool(s) and (s.endswith("|") or s.count(" | ") >= 2)


def _table_continues(lines: list[tuple[int, int, str]], j: int) -> bool:
    """A cell without its trailing '|' (or a blank line) inside a table, when the table goes on."""
    return j + 1 < len(lines) and _is_table_line(lines[j + 1][2]) and len(lines[j][2].strip()) < 300


def _split_repeated_headers(lines: list[tuple[int, int, str]]) -> list[list[tuple[int, int, str]]]:
    """Two tables printed back to back: the first header cell ('序号 |') coming again starts a new one."""
    first = lines[0][2].strip()
    tables: list[list[tuple[int, int, str]]] = [[]]
    for ln in lines:
        cell = ln[2].strip()
        if tables[-1] and ((cell == first and not _ROW_START.match(first)) or _HEADER_START.match(cell)):
            tables.append([])
        tables[-1].append(ln)
    return tables


def _table_units(lines: list[tuple[int, int, str]]) -> list[Unit]:
    row_per_line = sum(ln[2].count("|") >= 2 for ln in lines) > len(lines) / 2
    if row_per_line:
        header = lines[0][2].strip()
        units = [Unit(lines[0][0], lines[0][1], table_header=header, is_header=True)]
        units.extend(Unit(s, e, table_header=header) for s, e, _ in lines[1:])
        return units
    candidates = [k for k, ln in enumerate(lines) if _ROW_START.match(ln[2])]
    if not candidates:
        return [Unit(s, e) for s, e, _ in lines]
    first = candidates[0]
    row_starts = row_numbers(lines, candidates, width=first or None)
    header = " | ".join(ln[2].strip().rstrip("|").strip() for ln in lines[:first]) or None
    units: list[Unit] = []
    if first > 0:
        units.append(Unit(lines[0][0], lines[first - 1][1], table_header=header, is_header=True))
    bounds = [*row_starts, len(lines)]
    for a, b in itertools.pairwise(bounds):
        units.append(Unit(lines[a][0], lines[b - 1][1], table_header=header))
    return units


def row_numbers(lines: list[tuple[int, int, str]], candidates: list[int], width: int | None) -> list[int]:
    """Which of the lines holding a bare number (``candidates``) start a row of a table written a cell
    per line: its 序号, which counts up by one. A bare number that breaks the count (目标 0) is a cell of
    the row, unless that row already has a cell for every column of the header (``width``): then a
    skipped number still starts the next row. Without a header every candidate starts a row.

    >>> cells = ["1 |", "重特大火灾起数 |", "0 |", "各街道 |", "2 |", "火灾起数 |", "下降11% |", "各街道 |", "4 |"]
    >>> lines = [(0, 0, c) for c in cells]
    >>> row_numbers(lines, [0, 2, 4, 8], width=4)
    [0, 4, 8]
    >>> row_numbers(lines, [0, 2, 4, 8], width=None)
    [0, 2, 4, 8]
    """
    if width is None:
        return candidates
    starts: list[int] = []
    expected = -1
    for k in candidates:
        number = int(lines[k][2].strip().rstrip("|"))
        if not starts or number == expected or k - starts[-1] >= width:
            starts.append(k)
            expected = number + 1
    return starts


def _sentence_units(text: str, start: int, end: int) -> list[Unit]:
    units = []
    for m in _SENTENCE.finditer(text, start, end):
        if m.end() > m.start():
            units.append(Unit(m.start(), m.end()))
        if m.end() >= end:
            break
    return units


def split_long_unit(text: str, unit: Unit, max_chars: int) -> list[Unit]:
    """A unit over the cap becomes its clauses (cut after ，、：), each over-long clause cut every
    ``max_chars``; the packer then joins neighbouring clauses back up to the cap."""
    if unit.end - unit.start <= max_chars:
        return [unit]
    pieces: list[Unit] = []
    for m in _CLAUSE.finditer(text, unit.start, unit.end):
        a, b = m.start(), m.end()
        while b - a > max_chars:
            pieces.append(Unit(a, a + max_chars, unit.table_header))
            a += max_chars
        if b > a:
            pieces.append(Unit(a, b, unit.table_header))
        if m.end() >= unit.end:
            break
    return pieces


def pack_units(units: list[Unit], max_chars: int, min_chars: int) -> list[list[Unit]]:
    """Group consecutive units into pieces, none over ``max_chars`` (a single longer unit excepted).

    Among all cuts at unit boundaries, the one whose piece lengths deviate least (sum of squares)
    from the even share ``total / ceil(total / max_chars)`` wins: no tiny tails, no giant pieces.
    ``min_chars`` is kept for configuration symmetry: the balancing makes pieces shorter than it rare.
    """
    n = len(units)
    if n == 0:
        return []
    total = units[-1].end - units[0].start
    target = total / max(1, math.ceil(total / max_chars))
    inf = float("inf")
    best = [0.0] + [inf] * n
    back = [0] * (n + 1)
    for j in range(1, n + 1):
        for i in range(j - 1, -1, -1):
            length = units[j - 1].end - units[i].start
            if length > max_chars and j - i > 1:
                break
            short = max(0.0, min_chars - length)
            cost = best[i] + (length - target) ** 2 + (10 * short) ** 2
            if cost < best[j]:
                best[j], back[j] = cost, i
    groups: list[list[Unit]] = []
    j = n
    while j > 0:
        i = back[j]
        groups.append(units[i:j])
        j = i
    return groups[::-1]


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def chunk_id(doc_id: str, start: int, end: int, text: str) -> str:
    return hashlib.sha1(f"{doc_id}|{start}|{end}|{text}".encode()).hexdigest()[:16]


def chunk_document(
    text: str, outline: list[Heading], *, doc_id: str, source: str, title: str, config: ChunkingConfig
) -> list[Chunk]:
    chunks: list[Chunk] = []
    for sec in merge_bare_headings(text, sections_of(text, outline)):
        units: list[Unit] = []
        for u in units_of(text, sec.start, sec.end):
            units.extend(split_long_unit(text, u, config.max_chars))
        for group in pack_units(units, config.max_chars, config.min_chars):
            s, e = _trimmed(text, group[0].start, group[-1].end)
            if s >= e:
                continue
            has_header = any(u.is_header for u in group)
            header = None if has_header else next((u.table_header for u in group if u.table_header), None)
            piece = text[s:e]
            chunks.append(
                Chunk(
                    chunk_id=chunk_id(doc_id, s, e, piece),
                    doc_id=doc_id,
                    source=source,
                    title=title,
                    section=sec.path,
                    text=piece,
                    start=s,
                    end=e,
                    ordinal=len(chunks),
                    table_header=header,
                )
            )
    return chunks
