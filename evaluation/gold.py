"""Gold questions in the format of shared/gold (one JSON object a line)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class GoldAnswer:
    doc: str  # source file name
    quote: str


@dataclass(frozen=True)
class GoldQuestion:
    id: str
    question: str
    answers: tuple[GoldAnswer, ...]
    type: str
    scope: str | None = None
    wording: str | None = None  # "everyday" (a citizen's or new staff member's words) or "official"

    @property
    def answerable(self) -> bool:
        return bool(self.answers)


class GoldFormatError(ValueError):
    pass


def load_gold(path: Path) -> list[GoldQuestion]:
    questions = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                d = json.loads(line)
                questions.append(
                    GoldQuestion(
                        id=str(d["id"]),
                        question=d["question"],
                        answers=tuple(GoldAnswer(a["doc"], a["quote"]) for a in d.get("answers", [])),
                        type=d.get("type", "unknown"),
                        scope=d.get("scope"),
                        wording=d.get("wording"),
                    )
                )
            except (KeyError, TypeError, json.JSONDecodeError) as exc:
                raise GoldFormatError(f"{path}:{n}: not a gold question ({exc})") from exc
    return questions
