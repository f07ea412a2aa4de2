"""Which ingested documents may enter the store: nothing already stored is replaced by accident.

A document's id comes from its file name, so another folder's file of the same name would take its
place. Rules (pure, over plain data):
* the same content again is a no-op re-ingest (accepted);
* the same file (same origin path) with new content is an update (accepted);
* a different file whose name collides with a stored document is refused with a reason, unless the
  caller asks to replace on purpose (``replace``);
* two different files of the same name in one run: the first is kept, the others refused.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from corpus.models import Document


@dataclass(frozen=True)
class Refusal:
    path: str
    reason: str


def admit(
    stored: Mapping[str, Document], incoming: Sequence[Document], replace: bool = False
) -> tuple[list[Document], list[Refusal]]:
    accepted: list[Document] = []
    refused: list[Refusal] = []
    seen: dict[str, Document] = {}
    for doc in incoming:
        where = doc.origin or doc.source
        first = seen.get(doc.doc_id)
        if first is not None:
            if first.fingerprint != doc.fingerprint:
                refused.append(
                    Refusal(
                        where,
                        f"another file named {doc.source} is in this run ({first.origin or first.source}); "
                        "rename one of them",
                    )
                )
            continue
        seen[doc.doc_id] = doc
        old = stored.get(doc.doc_id)
        stranger = (
            old is not None
            and old.fingerprint != doc.fingerprint
            and (old.origin is None or doc.origin is None or old.origin != doc.origin)
        )
        if stranger and not replace:
            refused.append(
                Refusal(
                    where,
                    f"a different document named {doc.source} is already stored"
                    + (f" (from {old.origin})" if old and old.origin else "")
                    + "; use --replace to replace it, or rename the file",
                )
            )
            continue
        accepted.append(doc)
    return accepted, refused
