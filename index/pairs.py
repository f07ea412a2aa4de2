"""Character pairs beside words in BM25: what a word index misses of Chinese text.

A word segmenter cuts each text one way, so the same characters can end up in different words on the
two sides: 剧本杀 (one word) against 剧本娱乐场所, 暗访 against 暗地里, a coined compound against its
parts. Overlapping pairs of adjacent Han characters do not depend on where the cuts fall; Chinese IR
has indexed them beside (or instead of) words since the TREC and NTCIR evaluations of the 1990s. Here
they join the words as extra terms, marked so a pair never counts as the two-character word it may
spell, and a question's pairs weigh ``pair_weight`` each against a word's 1 (the weight is chosen in
docs/measurements.md, "Character pairs in BM25", on non-seed questions and STARD's training split).

Pairs run across word boundaries (a compound split into two words gives the pair that joins them) but
not across anything that is not a Han character: digits, Latin letters and removed stopwords end a run.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import overload

PAIR = "§"  # marks a pair term: never a word the tokenizer keeps (it keeps word characters only)
_HAN = re.compile(r"[\u4e00-\u9fff]+")


def character_pairs(tokens: Sequence[str]) -> list[str]:
    """The pairs of adjacent Han characters along ``tokens``, each marked with ``PAIR``; a token that
    is not all Han characters ends a run.

    >>> character_pairs(["剧本杀", "店", "2025", "消防"])
    ['§剧本', '§本杀', '§杀店', '§消防']
    >>> character_pairs(["a"]), character_pairs([])
    ([], [])
    """
    pairs: list[str] = []
    run = ""
    for token in [*tokens, ""]:
        if token and _HAN.fullmatch(token):
            run += token
            continue
        pairs.extend(PAIR + run[i : i + 2] for i in range(len(run) - 1))
        run = ""
    return pairs


def with_pairs(tokens: Sequence[str]) -> list[str]:
    """A text's index terms: its words, then its character pairs.

    >>> with_pairs(["暗访", "检查"])
    ['暗访', '检查', '§暗访', '§访检', '§检查']
    """
    return [*tokens, *character_pairs(tokens)]


class WithPairs(Sequence[list[str]]):
    """``with_pairs`` of each token list of ``tokens``, made as it is read: a library's pairs (three
    times its words) are never all held at once while BM25 counts them.

    >>> rows = WithPairs([["安全"], ["消防", "检查"]])
    >>> len(rows), rows[1], [len(r) for r in rows]
    (2, ['消防', '检查', '§消防', '§防检', '§检查'], [2, 5])
    """

    def __init__(self, tokens: Sequence[Sequence[str]]):
        self._tokens = tokens

    def __len__(self) -> int:
        return len(self._tokens)

    @overload
    def __getitem__(self, i: int) -> list[str]: ...
    @overload
    def __getitem__(self, i: slice) -> list[list[str]]: ...
    def __getitem__(self, i):
        if isinstance(i, slice):
            return [with_pairs(t) for t in self._tokens[i]]
        return with_pairs(self._tokens[i])


def query_weights(parts: Iterable[Sequence[str]], pair_weight: float) -> dict[str, float]:
    """A query's BM25 term weights: each word once per occurrence, each character pair ``pair_weight``
    per occurrence (0: words alone). ``parts`` are token lists whose pairs are taken apart (a question
    and each expansion of it: no pair joins the end of one to the start of the next).

    >>> query_weights([["暗访"], ["明察"]], 0.5)
    {'暗访': 1.0, '明察': 1.0, '§暗访': 0.5, '§明察': 0.5}
    >>> query_weights([["暗访", "暗访"]], 0.0)
    {'暗访': 2.0}
    """
    parts = [list(p) for p in parts]
    weights: dict[str, float] = {t: float(n) for t, n in Counter(t for p in parts for t in p).items()}
    if pair_weight > 0:
        for pair, n in Counter(x for p in parts for x in character_pairs(p)).items():
            weights[pair] = weights.get(pair, 0.0) + pair_weight * n
    return weights
