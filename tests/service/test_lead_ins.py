"""An enumerated item is quoted after the lead-in its list opens with (``spans.lead_in_of``,
``extractive.with_lead_ins``): exact expectations on a hand-made article."""

from __future__ import annotations

from corpus.models import Chunk, DocumentMeta
from index.records import DocRecord
from index.retriever import Hit
from service.answering.cues import question_cues
from service.answering.extractive import ScoredSpan, overlap, with_lead_ins, with_lists
from service.answering.spans import lead_in_of, spans_of, with_items
from tests.fakes import bare_answerer

ARTICLE = (
    "第六十条 单位违反本法规定，有下列行为之一的，责令改正，处五千元以上五万元以下罚款：\n"
    "（一）损坏、挪用或者擅自拆除、停用消防设施、器材的；\n"
    "（二）埋压、圈占、遮挡消火栓或者占用防火间距的；\n"
    "（三）占用、堵塞、封闭消防车通道，妨碍消防车通行的。"
)
PLAN = "加强消防车通道管理。开展打通生命通道专项行动。"


def _hit(text: str, doc_type: str, doc_id: str, start: int = 40) -> Hit:
    chunk = Chunk(f"{doc_id}-c", doc_id, f"{doc_id}.txt", doc_id, (), text, start, start + len(text), 0)
    doc = DocRecord(doc_id, f"{doc_id}.txt", "f", DocumentMeta(title=doc_id, doc_type=doc_type))
    return Hit(chunk, doc, 1.0, 1, 1, 1, ())


def _spans(hit: Hit) -> dict[str, ScoredSpan]:
    return {s.text[:4]: ScoredSpan(s, 1.0, hit) for s in spans_of(hit.chunk)}


def test_an_items_lead_in_is_the_sentence_that_points_at_its_list():
    hit = _hit(ARTICLE, "法律", "law")
    spans = spans_of(hit.chunk)
    lead = lead_in_of(spans[3])
    assert lead is not None and lead.text == ARTICLE.split("\n")[0]
    assert (lead.start, lead.end) == (40, 40 + len(ARTICLE.split("\n")[0]))  # document offsets
    assert lead_in_of(spans[0]) is None  # the lead-in itself is no item
    assert lead_in_of(spans_of(_hit(PLAN, "工作要点", "plan").chunk)[0]) is None  # prose
    # an item whose list has no lead-in in its passage (the passage starts at the item): none
    assert lead_in_of(spans_of(_hit("（三）占用消防车通道的。", "法律", "law").chunk)[0]) is None


def test_the_lead_in_of_two_sentences_is_quoted_from_the_one_naming_the_list():
    text = "有下列行为之一的，给予处分；构成犯罪的，依法追究刑事责任：\n（一）伪造举报材料的。"
    lead = lead_in_of(spans_of(_hit(text, "法律", "law").chunk)[-1])
    assert lead is not None and lead.text == "有下列行为之一的，给予处分；构成犯罪的，依法追究刑事责任："
    one_line = "第九条 应当遵守规定。违反的，按照下列规定处理：\n（一）警告。"
    lead = lead_in_of(spans_of(_hit(one_line, "法律", "law").chunk)[-1])
    assert lead is not None and lead.text == "违反的，按照下列规定处理："


def test_each_list_gets_its_lead_in_once_and_prose_is_left_alone():
    law, plan = _hit(ARTICLE, "法律", "law"), _hit(PLAN, "工作要点", "plan")
    items, prose = _spans(law), _spans(plan)
    lead_text = ARTICLE.split("\n")[0]
    got = with_lead_ins([items["（一）损"], items["（三）占"], prose["加强消防"]])
    assert [s.span.text[:4] for s in got] == ["第六十条", "（一）损", "（三）占", "加强消防"]
    assert got[0].span.text == lead_text and got[0].hit is law and got[0].score == 1.0
    # the lead-in already quoted: not again
    got = with_lead_ins([items["第六十条"], items["（三）占"]])
    assert [s.span.text[:4] for s in got] == ["第六十条", "（三）占"]
    assert with_lead_ins([prose["加强消防"]]) == [prose["加强消防"]]


def test_an_answer_quoting_an_item_cites_its_lead_in_verbatim():
    law = _hit(ARTICLE, "法律", "law", start=0)
    answerer = bare_answerer()
    answer = answerer.answer("堵塞消防车通道怎么处罚", [law], None)
    assert answer.answerable
    quotes = [c.quote for c in answer.citations]
    lead_text = ARTICLE.split("\n")[0]
    assert lead_text in quotes[0]  # the penalty, before the act it is for
    assert any("封闭消防车通道" in q for q in quotes)
    for c in answer.citations:
        assert ARTICLE[c.start : c.end] == c.quote  # verbatim at its offsets


def test_a_lead_in_is_extended_through_its_items_and_no_further():
    text = (
        "第二十一条 主要负责人负有下列职责：\n（一）建立责任制；\n\n（二）组织培训。\n第二十二条 其他规定。"
    )
    hit = _hit(text, "法律", "law", start=0)
    lead, *rest = spans_of(hit.chunk)
    full = with_items(lead)
    assert full is not None and full.text == text[: text.index("\n第二十二条")]
    assert (full.start, full.end) == (0, text.index("\n第二十二条"))
    assert with_items(rest[0]) is None  # an item opens no list
    assert with_items(spans_of(_hit("应当遵守下列规定：", "法律", "law").chunk)[0]) is None  # no items here


def test_a_list_question_quotes_the_whole_list_once():
    text = "第二十一条 主要负责人负有下列职责：\n（一）建立责任制；\n（二）组织培训。"
    hit = _hit(text, "法律", "law", start=0)
    lead, first, second = (ScoredSpan(s, 1.0, hit) for s in spans_of(hit.chunk))
    got = with_lists([lead, second])
    assert [s.span.text for s in got] == [text]  # the item is inside the list: not again
    # an item chosen alone is one of the list asked for: the whole list, once however many items
    assert [s.span.text for s in with_lists([first])] == [text]
    assert [s.span.text for s in with_lists([second, first])] == [text]


def test_the_answer_to_a_list_question_is_the_lead_in_with_its_items():
    text = "第二十一条 主要负责人负有下列职责：\n（一）建立健全责任制；\n（二）组织制定规章制度。"
    law = _hit(text, "法律", "law", start=0)
    answerer = bare_answerer()
    answer = answerer.answer("主要负责人有哪些职责", [law], None)
    assert answer.answerable and [c.quote for c in answer.citations] == [text]
    # not a list question: the lead-in states nothing by itself and is not quoted alone
    answer = answerer.answer("主要负责人的职责是什么时候定的", [law], None)
    assert all(not c.quote.startswith("第二十一条") or "（一）" in c.quote for c in answer.citations)


def test_a_lead_in_stating_the_fine_answers_an_act_asked_in_the_readers_words():
    # 乱拆消防的东西 names the act in the reader's words: no passage holds its last word (东西), so
    # the fine's sentence is judged by the share of the act it names, when a lead-in is admitted too
    answer = bare_answerer().answer("单位乱拆消防的东西罚多少钱", [_hit(ARTICLE, "法律", "law")], None)
    assert answer.answerable
    assert answer.direct == "五千元以上五万元以下"
    assert answer.citations[0].quote == ARTICLE.split("\n")[0]


def test_an_items_words_include_its_lead_ins():
    # (一) states the figure, its lead-in what the figure makes: the item shares the question's words
    # through it, as a reader reads the two as one sentence
    article = "第九条 有下列情形之一的，为特别重大事故：\n（一）造成30人以上死亡的；\n（二）中断铁路行车48小时以上的。"
    hit = _hit(article, "条例", "law")
    item = spans_of(hit.chunk)[1]
    answerer = bare_answerer()
    cues = question_cues("死亡多少人算特别重大事故")
    scored = answerer.score_spans("死亡多少人算特别重大事故", [hit], None, cues)
    signals = next(s.signals for s in scored if s.span == item)
    q_terms, q_bigrams = answerer._question_terms("死亡多少人算特别重大事故", None, cues)
    alone = overlap(item.text, q_terms, q_bigrams, answerer.idf, answerer.span_words)
    assert signals[:2] > alone  # lexical and chars read over the lead-in and the item
    assert signals[:2] == overlap(
        article.split("\n")[0] + item.text, q_terms, q_bigrams, answerer.idf, answerer.span_words
    )
