"""The coined terms a library defines: 公文 put their own shorthand in quotation marks (“两单两卡”,
“一线责任制”, “1+7+N”) and introduce abbreviations with 简称 / 以下简称. Read from the documents
themselves, so a library of new documents brings its own vocabulary; nothing is listed by hand."""

from __future__ import annotations

import re
from collections.abc import Iterable

# a quoted span of 2-8 characters with no punctuation inside (“统、防、救” is a list, not a term)
_QUOTED = re.compile(r"[“\"]([^“”\"\s，,。、；;：:！!？?（）()《》]{2,8})[”\"]")
# (以下简称“安委会”) / (简称安委会): the abbreviation itself, quoted or not
_SHORT = re.compile(r"简称[“\"]?([\u4e00-\u9fa5A-Za-z0-9+]{2,8})[”\"]?")
_WORDISH = re.compile(r"[\u4e00-\u9fa5A-Za-z0-9+.%‰]+")


def coined_terms(texts: Iterable[str]) -> list[str]:
    """Sorted, distinct terms quoted or abbreviated in the texts (pure)."""
    found: set[str] = set()
    for text in texts:
        for pattern in (_QUOTED, _SHORT):
            for m in pattern.finditer(text):
                term = m.group(1)
                if _WORDISH.fullmatch(term) and not term.isdigit():
                    found.add(term)
    return sorted(found)
