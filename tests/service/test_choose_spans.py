"""Which spans an answer quotes (``extractive.choose_spans``): exact expectations on hand-made spans of
a statute and a plan."""

from __future__ import annotations

from corpus.models import Chunk, DocumentMeta
from index.records import DocRecord
from index.retriever import Hit
from service.answering.extractive import ScoredSpan, choose_spans
from service.answering.spans import Span

TEXTS = {
    "law-1": "生产经营单位应当建立安全生产责任制。",
    "law-2": "从业人员应当接受安全生产教育和培训。",
    "law-3": "县级以上人民政府应当组织有关部门开展检查。",
    "law-4": "发生事故后单位负责人应当立即组织抢救。",
    "plan-1": "推动企业全员安全生产责任制落实落地。",
    "plan-2": "开展危险化学品全链条安全风险排查整治。",
}


def _scored(name: str, score: float) -> ScoredSpan:
    text = TEXTS[name]
    doc_type = "条例" if name.startswith("law") else "工作要点"
    chunk = Chunk(f"{name}-c", name, f"{name}.txt", name, (), text, 0, len(text), 0)
    doc = DocRecord(name, f"{name}.txt", "f", DocumentMeta(title=name, doc_type=doc_type))
    return ScoredSpan(Span(chunk, 0, len(text), text, False), score, Hit(chunk, doc, score, 1, 1, 1, ()))


def _names(chosen: list[ScoredSpan]) -> list[str]:
    return [s.span.chunk.doc_id for s in chosen]


def test_the_best_then_those_close_to_it_up_to_the_limit():
    scored = [_scored("law-1", 1.0), _scored("law-2", 0.9), _scored("law-3", 0.7)]
    assert _names(choose_spans(scored, 3, 0.8)) == ["law-1", "law-2"]  # 0.7 < 0.8 of the best
    assert _names(choose_spans(scored, 3, 0.6)) == ["law-1", "law-2", "law-3"]
    assert _names(choose_spans(scored, 2, 0.6)) == ["law-1", "law-2"]
    assert choose_spans([], 3, 0.8) == []


def test_the_other_collection_takes_the_last_place_when_it_qualifies():
    scored = [
        _scored("law-1", 1.0),
        _scored("law-2", 0.95),
        _scored("law-3", 0.9),
        _scored("law-4", 0.88),
        _scored("plan-1", 0.85),
    ]
    assert _names(choose_spans(scored, 3, 0.8)) == ["law-1", "law-2", "plan-1"]
    # below the share every further span must reach: the first collection keeps every place
    assert _names(choose_spans(scored, 3, 0.9)) == ["law-1", "law-2", "law-3"]


def test_the_best_span_always_leads_and_a_mixed_answer_is_left_as_it_is():
    scored = [_scored("plan-1", 1.0), _scored("law-1", 0.95), _scored("plan-2", 0.9), _scored("law-2", 0.9)]
    assert _names(choose_spans(scored, 3, 0.8)) == ["plan-1", "law-1", "plan-2"]  # both already there
    lone = [_scored("law-1", 1.0), _scored("plan-1", 0.95)]
    assert _names(choose_spans(lone, 1, 0.8)) == ["law-1"]  # one place: the best's


def test_a_repeat_of_a_chosen_span_does_not_take_a_place():
    scored = [_scored("law-1", 1.0), _scored("law-1", 0.97), _scored("law-2", 0.9)]  # the same span again
    assert _names(choose_spans(scored, 3, 0.8)) == ["law-1", "law-2"]


def test_the_precise_answer_is_read_from_the_best_span_not_the_first_quote_of_its_passage():
    from corpus.models import Chunk, DocumentMeta
    from index.records import DocRecord
    from index.retriever import Hit
    from tests.fakes import bare_answerer

    text = "每年抽查电梯的故障率控制在0.5%以下。每年抽查电梯数量不少于50台。"
    chunk = Chunk("p-c", "p", "p.txt", "p", (), text, 0, len(text), 0)
    hit = Hit(
        chunk, DocRecord("p", "p.txt", "f", DocumentMeta(title="p", doc_type="工作要点")), 1.0, 1, 1, 1, ()
    )
    answer = bare_answerer().answer("每年抽查电梯数量是多少", [hit], None)
    (quote,) = [c.quote for c in answer.citations]  # both quoted as one, the other sentence first
    assert quote.startswith("每年抽查电梯的故障率") and quote.endswith("不少于50台。")
    assert answer.direct == "不少于50台"
