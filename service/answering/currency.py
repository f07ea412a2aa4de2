"""An answer that quotes a document no longer in force says so, and names what replaced it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from corpus.validity import NOT_IN_FORCE
from service.answering.models import Answer

__all__ = ["note_outdated"]


def note_outdated(answer: Answer, title_of: Callable[[str], str | None]) -> Answer:
    """Append one line per cited document that is repealed, expired or superseded (pure; ``title_of``
    maps a doc id to its title). Quotes and citations stay as they are."""
    notes = []
    seen = set()
    for c in answer.citations:
        v = c.validity
        if v is None or v.status not in NOT_IN_FORCE or c.doc_id in seen:
            continue
        seen.add(c.doc_id)
        newer = title_of(v.superseded_by) if v.superseded_by else None
        line = f"注意：[{c.n}]所引《{c.title}》{v.status}"
        line += f"，现行文件为《{newer}》。" if newer else "，请以现行文件为准。"
        notes.append(line)
    if not notes:
        return answer
    return replace(answer, answer=answer.answer + "\n" + "\n".join(notes))
