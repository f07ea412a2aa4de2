"""Whether a document applies where the asker works: a local rule binds only in its own province.

Staff of one jurisdiction (the ``home`` setting, e.g. 重庆市) are served by their own documents and by
national law; another province's regulations do not bind them, so those rank lower (their score is
multiplied by ``weight``) unless the question itself names that place or document. Nothing is
filtered out: a strong match from elsewhere still shows, below what applies.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from corpus.jurisdiction import NATIONAL
from corpus.validity import Validity, in_force


def applicability(
    jurisdictions: Mapping[str, str | None],
    home: str | None,
    named: Iterable[str] = (),
    weight: float = 0.5,
) -> dict[str, float]:
    """doc_id -> score multiplier, only for the documents that do not apply (the rest keep 1.0).

    A document applies when it is national, of unknown jurisdiction, of the home jurisdiction, or of a
    jurisdiction the question names.
    """
    if not home or weight >= 1:
        return {}
    applies = {home, NATIONAL, *named}
    return {doc: weight for doc, j in jurisdictions.items() if j is not None and j not in applies}


def named_by_title(titled: Iterable[str | None]) -> frozenset[str]:
    """The jurisdiction a question names through the titles it quotes: only when every document whose
    title it quotes is of one jurisdiction (national acts and those of unknown place aside). Title words
    that several places' acts share (森林防火条例: the State's, 河南省's, 广东省's) name none of them.

    >>> sorted(named_by_title(["河南省", None, "全国"])), sorted(named_by_title(["河南省", "广东省", "重庆市"]))
    (['河南省'], [])
    """
    places = {j for j in titled if j and j != NATIONAL}
    return frozenset(places) if len(places) == 1 else frozenset()


def currency(
    validity: Mapping[str, Validity | None], weight: float = 0.5, named: Iterable[str] = ()
) -> dict[str, float]:
    """doc_id -> score multiplier for documents no longer in force (repealed, expired, replaced by a
    newer edition): a rule that no longer applies ranks below the one that does, but still shows.
    Documents the question names (``named``: by title, or by asking about their year) keep 1.0."""
    if weight >= 1:
        return {}
    keep = set(named)
    return {doc: weight for doc, v in validity.items() if not in_force(v) and doc not in keep}


def combine(*factors: Mapping[str, float]) -> dict[str, float]:
    """Multiply per-document factors from several rules."""
    out: dict[str, float] = {}
    for f in factors:
        for doc, w in f.items():
            out[doc] = out.get(doc, 1.0) * w
    return out
