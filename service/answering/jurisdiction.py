"""An answer drawn only from other places' local rules does not answer for the staff served.

The retrieval principle of index.applicability (another province's regulation does not bind the home
jurisdiction) applied to the answer: when every passage an answer cites comes from a document of
another jurisdiction, and the question named none of them, the answer is declined; it says what the
other places' rules say, cited, so the reader still sees them. Before that, and whenever an answer
quotes another place's rule at all, the engine asks again from the passages that do apply
(``applies``): a weaker passage of a rule that binds the reader answers before a stronger one of a
rule that does not.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import replace

from corpus.jurisdiction import NATIONAL
from index.retriever import Hit
from service.answering.models import Answer

__all__ = ["answer_where_it_applies", "applies", "note_elsewhere", "only_elsewhere"]


def applies(place: str | None, home: str | None, named: Collection[str] = ()) -> bool:
    """Whether a document of jurisdiction ``place`` binds staff of ``home`` (national rules, the home
    jurisdiction's, the places the question names, and documents of unknown place do).

    >>> applies("浙江省", "重庆市"), applies("全国", "重庆市"), applies(None, "重庆市"), applies("浙江省", None)
    (False, True, True, True)
    """
    return not home or place is None or place in {home, NATIONAL, *named}


def only_elsewhere(
    answer: Answer, jurisdictions: Mapping[str, str | None], home: str | None, named: Collection[str] = ()
) -> Answer:
    """The answer, declined when all its citations are from jurisdictions that do not apply (pure)."""
    if not answer.answerable or not answer.citations or not home:
        return answer
    places = [jurisdictions.get(c.doc_id) for c in answer.citations]
    if any(applies(p, home, named) for p in places):
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


def answer_where_it_applies(
    answer_from: Callable[[list[Hit]], Answer],
    hits: Sequence[Hit],
    jurisdictions: Mapping[str, str | None],
    home: str | None,
    named: Collection[str] = (),
) -> Answer:
    """The answer from ``hits``; if it quotes another place's rule (alone or beside rules that apply,
    每年十一月为本市的森林防火宣传月 beside 每年三月为全市森林防火宣传月), the answer from the hits that apply
    instead, when they answer. When they do not: an answer that also quotes a rule that applies stands
    as it is; one only from elsewhere becomes the declined answer of ``only_elsewhere``."""
    answer = answer_from(list(hits))
    if not answer.answerable or not home:
        return answer
    binds = [applies(jurisdictions.get(c.doc_id), home, named) for c in answer.citations]
    if all(binds):
        return answer
    binding = [h for h in hits if applies(jurisdictions.get(h.chunk.doc_id), home, named)]
    retry = answer_from(binding) if binding else None
    if retry is not None and retry.answerable:
        return retry
    # the rules that apply do not answer alone: a mixed answer stands, saying which quotes are another
    # place's; one only from elsewhere is declined
    if any(binds):
        return note_elsewhere(answer, jurisdictions, home, named)
    return only_elsewhere(answer, jurisdictions, home, named)


def note_elsewhere(
    answer: Answer, jurisdictions: Mapping[str, str | None], home: str, named: Collection[str] = ()
) -> Answer:
    """The answer with a line per cited document of a jurisdiction that does not apply, saying whose
    rule it is (pure; quotes and citations stay as they are)."""
    notes, seen = [], set()
    for c in answer.citations:
        place = jurisdictions.get(c.doc_id)
        if applies(place, home, named) or c.doc_id in seen:
            continue
        seen.add(c.doc_id)
        notes.append(f"注意：[{c.n}]所引《{c.title}》是{place}的规定，不适用于{home}，仅供参考。")
    if not notes:
        return answer
    return replace(answer, answer=answer.answer + "\n" + "\n".join(notes))
