"""An answer drawn only from other places' local rules does not answer for the staff served.

The retrieval principle of index.applicability (another province's regulation does not bind the home
jurisdiction) applied to the answer: when every passage an answer cites comes from a document of
another jurisdiction, and the question named none of them, the answer is declined; it says what the
other places' rules say, cited, so the reader still sees them.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import replace

from corpus.jurisdiction import NATIONAL
from service.answering.models import Answer

__all__ = ["only_elsewhere"]


def only_elsewhere(
    answer: Answer, jurisdictions: Mapping[str, str | None], home: str | None, named: Collection[str] = ()
) -> Answer:
    """The answer, declined when all its citations are from jurisdictions that do not apply (pure)."""
    if not answer.answerable or not answer.citations or not home:
        return answer
    applies = {home, NATIONAL, *named}
    places = [jurisdictions.get(c.doc_id) for c in answer.citations]
    if any(p is None or p in applies for p in places):
        return answer
    where = "、".join(dict.fromkeys(p for p in places if p))
    first = answer.citations[0]
    quote = first.quote.strip().rstrip("。；;，,")
    quote = quote[:80] + "…" if len(quote) > 80 else quote
    text = (
        f"适用于{home}的文件中没有找到答案。其他地区（{where}）的规定：《{first.title}》{quote}[{first.n}]。"
        "这些规定不适用于本地，仅供参考。"
    )
    return replace(answer, answerable=False, answer=text, citations=[first], direct=None)
