"""The hit rule of shared/gold/README.md, used by every outside check.

A retrieved chunk is a hit for an answer when the quote, after NFKC normalisation and removal of
whitespace and '|', is contained in the chunk's normalised text, or at least 80% of the quote's
characters form one common run with it, and the chunk comes from the named document.
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher

from evaluation.gold import GoldAnswer

_DROP = re.compile(r"[\s|]+")
MIN_RUN = 0.8


def normalise(text: str) -> str:
    return _DROP.sub("", unicodedata.normalize("NFKC", text))


def quote_found(quote: str, text: str) -> bool:
    q, t = normalise(quote), normalise(text)
    if not q:
        return False
    if q in t:
        return True
    match = SequenceMatcher(None, q, t, autojunk=False).find_longest_match(0, len(q), 0, len(t))
    return match.size >= MIN_RUN * len(q)


def is_hit(source: str, text: str, answer: GoldAnswer) -> bool:
    return source == answer.doc and quote_found(answer.quote, text)


def first_hit_rank(results: list[tuple[str, str]], answers: tuple[GoldAnswer, ...]) -> int | None:
    """1-based rank of the first (source, text) result that is a hit for any answer."""
    for rank, (source, text) in enumerate(results, start=1):
        if any(is_hit(source, text, a) for a in answers):
            return rank
    return None
