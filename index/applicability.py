"""Whether a document applies where the asker works: a local rule binds only in its own province.

Staff of one jurisdiction (the ``home`` setting, e.g. 重庆市) are served by their own documents and by
national law; another province's regulations do not bind them, so those rank lower (their score is
multiplied by ``weight``) unless the question itself names that place or document. Nothing is
filtered out: a strong match from elsewhere still shows, below what applies.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from corpus.jurisdiction import NATIONAL


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
