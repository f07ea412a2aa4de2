"""What changed between two documents of a series (or two versions), section by section.

Sections are aligned by their heading's words with the enumerator taken off ("(三)强化企业单位主体责任"
and "(五)强化企业单位主体责任" are the same section renumbered); a heading found in one document only
is added or removed; aligned sections whose text differs are changed, with a similarity ratio
(difflib). Every item cites its side(s) by offsets into the cleaned texts. Pure: plain data in and out.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import asdict, dataclass

from corpus.models import Document, Heading

__all__ = ["SectionChange", "diff_documents", "heading_key", "sections"]

_ENUMERATOR = re.compile(
    r"^\s*(?:附件\s*\d*|第[一二三四五六七八九十百零〇\d]+[编章节条]|[一二三四五六七八九十百]+、|[（(][一二三四五六七八九十百\d]+[）)]|\d+[.．、]|[①-⑳])\s*"
)


@dataclass(frozen=True)
class Side:
    title: str
    start: int  # offsets of the section (heading and body) in the document's cleaned text
    end: int
    body_start: int  # where the heading's title ends and its text begins


@dataclass(frozen=True)
class SectionChange:
    change: str  # added, removed, changed, unchanged
    key: str
    old: Side | None
    new: Side | None
    similarity: float  # 1.0 unchanged, 0.0 only on one side

    def to_dict(self) -> dict:
        return asdict(self)


def heading_key(title: str) -> str:
    """A heading's words without its enumerator and spacing (so renumbering does not count)."""
    return re.sub(r"[\s,，、。:：;；]", "", _ENUMERATOR.sub("", title, count=1))


def sections(text: str, outline: list[Heading]) -> list[tuple[str, Side]]:
    """(key, side) of each heading's section: from its marker to the next heading at its level or above."""
    heads = sorted(outline, key=lambda h: h.start)
    out = []
    seen: dict[str, int] = {}
    for i, h in enumerate(heads):
        end = next((o.start for o in heads[i + 1 :] if o.level <= h.level), len(text))
        key = heading_key(h.title)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            key = f"{key}#{seen[key]}"
        out.append((key, Side(h.title, h.start, end, h.title_end)))
    return out


def diff_documents(old: Document, new: Document) -> list[SectionChange]:
    a, b = dict(sections(old.text, old.outline)), dict(sections(new.text, new.outline))
    changes = []
    for key, side in sections(new.text, new.outline):
        before = a.get(key)
        if before is None:
            changes.append(SectionChange("added", key, None, side, 0.0))
            continue
        old_text = old.text[before.body_start : before.end].strip()
        new_text = new.text[side.body_start : side.end].strip()
        if old_text == new_text:
            changes.append(SectionChange("unchanged", key, before, side, 1.0))
        else:
            ratio = difflib.SequenceMatcher(None, old_text, new_text, autojunk=False).ratio()
            changes.append(SectionChange("changed", key, before, side, round(ratio, 3)))
    for key, side in sections(old.text, old.outline):
        if key not in b:
            changes.append(SectionChange("removed", key, side, None, 0.0))
    return changes
