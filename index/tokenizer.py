"""Chinese tokens for BM25: jieba with a domain dictionary of policy terms, and stopwords.

The same tokenizer serves documents and queries. ``TOKENIZER_VERSION`` changes whenever the
dictionary, stopwords or rules change, so an index built with other tokens is refused.
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from pathlib import Path

import jieba

log = logging.getLogger(__name__)
jieba.setLogLevel(logging.WARNING)

_KEEP = re.compile(r"[\w%‰+.]+")  # word characters, plus the marks inside 100%, 0.3‰, 1+7+N, 1.8


def _data(name: str) -> str:
    return (Path(__file__).parent / "data" / name).read_text(encoding="utf-8")


def tokenizer_version() -> str:
    digest = hashlib.sha1((_data("policy_terms.txt") + _data("stopwords.txt") + "v1").encode()).hexdigest()
    return digest[:12]


def policy_terms() -> list[tuple[str, int | None]]:
    """The domain dictionary: (term, frequency or None) per line of policy_terms.txt."""
    out = []
    for line in _data("policy_terms.txt").splitlines():
        if line.strip():
            word, _, freq = line.strip().rpartition(" ")
            out.append(((word or freq).lower(), int(freq) if word else None))
    return out


class ChineseTokenizer:
    """jieba (search-engine mode off: one segmentation) + policy terms + stopwords, NFKC-lowered."""

    def __init__(self) -> None:
        self._jieba = jieba.Tokenizer()
        self._jieba.initialize()
        for word, freq in policy_terms():
            self._jieba.add_word(word, freq)
        self.stopwords = frozenset(w.strip() for w in _data("stopwords.txt").splitlines() if w.strip())
        self.version = tokenizer_version()
        self._added: set[str] = set()

    def add_terms(self, terms: list[str]) -> None:
        """Keep a library's own coined terms whole (mined at index time, see corpus.terms)."""
        for term in terms:
            term = unicodedata.normalize("NFKC", term).lower()
            if term not in self._added:
                self._added.add(term)
                self._jieba.add_word(term)
                self._jieba.suggest_freq(term, tune=True)

    def __call__(self, text: str) -> list[str]:
        return self.tokenize(text)

    def tokenize(self, text: str) -> list[str]:
        text = unicodedata.normalize("NFKC", text).lower()
        out = []
        for piece in self._jieba.cut(text, HMM=True):
            piece = piece.strip()
            if not piece or piece in self.stopwords or not _KEEP.fullmatch(piece):
                continue
            out.append(piece.strip("."))
        return [t for t in out if t]
