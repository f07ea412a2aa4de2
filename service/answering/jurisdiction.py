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
from corpus.metadata import document_kind
from corpus.models import DocumentMeta
from index.query import QueryAnalysis
from index.retriever import Hit
from service.answering.models import Answer

__all__ = [
    "answer_about_unheld",
    "answer_where_it_applies",
    "applies",
    "binding_rules",
    "binds_then",
    "binds_there",
    "note_elsewhere",
    "only_elsewhere",
    "with_binding_rule",
]


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


def binds_there(
    region: str | None, jurisdiction: str | None, doc_type: str | None, named: Collection[str]
) -> bool:
    """Whether a document is a rule in force over the whole of a jurisdiction that holds the places a
    question names (``named``: their province-level jurisdictions): national law, or a statute of that
    province-level jurisdiction itself. A district makes no statutes; what binds it is its province's
    and the State's, so 重庆市消防条例 answers a question about 渝中区 as 渝中区's own plan does. A plan
    or notice stays its issuer's, and a city's statute inside a province is not read as the province's.

    >>> binds_there("重庆市", "重庆市", "条例", ["重庆市"]), binds_there("全国", "全国", "法", [])
    (True, True)
    >>> binds_there("重庆市", "重庆市", "实施方案", ["重庆市"]), binds_there("杭州市", "浙江省", "条例", ["浙江省"])
    (False, False)
    """
    if document_kind(doc_type) != "legal":
        return False
    return jurisdiction == NATIONAL or (region == jurisdiction and jurisdiction in named)


def binds_then(year: int | None, doc_type: str | None, named: Collection[int]) -> bool:
    """Whether a statute binds in the years a question names: from its own year on, as a plan is of
    the years its title covers (a statute no longer in force ranks lower in retrieval already:
    ``index.applicability.currency``).

    >>> binds_then(2015, "条例", [2025]), binds_then(2015, "条例", [2014, 2025]), binds_then(2024, "工作要点", [2025])
    (True, False, False)
    """
    return document_kind(doc_type) == "legal" and year is not None and all(y >= year for y in named)


def answer_about_unheld(
    answer: Answer,
    answer_from: Callable[[list[Hit]], Answer],
    hits: Sequence[Hit],
    analysis: QueryAnalysis,
    meta_of: Callable[[str], DocumentMeta],
) -> Answer:
    """The answer to a question about places the library holds no document of (``analysis.unheld``:
    九龙坡区 in a library of other districts' plans), saying so first. Another place's plan is not
    theirs: an answer quoting a document that is neither of a place the question names nor a rule that
    binds there (``binds_there``) is asked again from the hits that are, and declined when they do not
    answer, with the other place's quote shown as such. Only an answer quoting binding rules alone is
    introduced as theirs (one quoting a place the question also names is not)."""
    places = analysis.unheld
    if not places:
        return answer

    def is_law(doc_id: str) -> bool:
        meta = meta_of(doc_id)
        return binds_there(meta.region, meta.jurisdiction, meta.doc_type, analysis.jurisdictions)

    def binds(doc_id: str) -> bool:
        return meta_of(doc_id).region in analysis.regions or is_law(doc_id)

    where = "、".join(places)
    lead = f"现有文件中没有{where}的文件。"
    if answer.answerable and not all(binds(c.doc_id) for c in answer.citations):
        binding = [h for h in hits if binds(h.chunk.doc_id)]
        retry = answer_from(binding) if binding else None
        if retry is None or not retry.answerable:
            first = next(c for c in answer.citations if not binds(c.doc_id))
            quote = first.quote.strip().rstrip("。；;，,")
            quote = quote[:80] + "…" if len(quote) > 80 else quote
            text = f"{lead}其他地方的文件《{first.title}》写道：{quote}[{first.n}]。这不是{where}的规定，仅供参考。"
            return replace(answer, answerable=False, answer=text, citations=[first], direct=None)
        answer = retry
    if answer.answerable and all(is_law(c.doc_id) for c in answer.citations):
        return replace(answer, answer=f"{lead}以下引自适用于{where}的法律法规。\n{answer.answer}")
    if answer.answerable:
        return replace(answer, answer=f"{lead}\n{answer.answer}")
    return replace(answer, answer=lead + answer.answer)


def binding_rules(metas: Mapping[str, DocumentMeta], analysis: QueryAnalysis) -> tuple[str, ...]:
    """The documents that are rules in force where the one place a question names lies (``binds_there``);
    none when it names no place of the library or several (a comparison reads each place on its own).

    >>> metas = {"law": DocumentMeta(region="重庆市", jurisdiction="重庆市", doc_type="条例"),
    ...          "plan": DocumentMeta(region="渝中区", jurisdiction="重庆市", doc_type="工作要点")}
    >>> binding_rules(metas, QueryAnalysis("q", regions=("渝中区",), jurisdictions=("重庆市",)))
    ('law',)
    >>> binding_rules(metas, QueryAnalysis("q"))
    ()
    """
    if len(analysis.regions) != 1:
        return ()
    return tuple(
        d
        for d, m in metas.items()
        if binds_there(m.region, m.jurisdiction, m.doc_type, analysis.jurisdictions)
    )


def with_binding_rule(
    hits: Sequence[Hit], rule: Sequence[Hit], read: int, rules: Collection[str]
) -> list[Hit]:
    """The hits with ``rule`` (the best passage of the rules that bind the place asked about, from a
    search among them) at the last of the ``read`` places an answer reads, when none of those places
    holds such a rule already (``rules``: their doc ids): a question about 渝中区 is answered from 渝中区's
    documents and from the statutes that bind there, so both are read. The passage's score is no higher
    than that of the hit whose place it takes (it was ranked among fewer documents).

    >>> from corpus.models import Chunk
    >>> from index.records import DocRecord
    >>> def hit(doc, score):
    ...     chunk = Chunk(doc, doc, doc, doc, (), "x", 0, 1, 0)
    ...     return Hit(chunk, DocRecord(doc, doc, "f", DocumentMeta()), score, 1, None, None, ())
    >>> plans = [hit("p1", 1.0), hit("p2", 0.8), hit("p3", 0.5)]
    >>> [(h.chunk.doc_id, h.score, h.rank) for h in with_binding_rule(plans, [hit("law", 0.9)], 2, {"law"})]
    [('p1', 1.0, 1), ('law', 0.8, 2), ('p2', 0.8, 3), ('p3', 0.5, 4)]
    >>> with_binding_rule(plans[:1] + [hit("law", 0.7)], [hit("law", 0.9)], 2, {"law"})[1].score
    0.7
    """
    if not rule or any(h.chunk.doc_id in rules for h in hits[:read]):
        return list(hits)
    at = min(read - 1, len(hits))  # after every hit when there are fewer than are read
    held = {h.chunk.chunk_id for h in hits}
    extra = [h for h in rule if h.chunk.chunk_id not in held][:1]
    if not extra:
        return list(hits)
    score = min(extra[0].score, hits[min(at, len(hits) - 1)].score) if hits else extra[0].score
    placed = [*hits[:at], replace(extra[0], score=score), *hits[at:]]
    return [replace(h, rank=i) for i, h in enumerate(placed, start=1)]
