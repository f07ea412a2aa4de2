"""Which sentences of a passage can be answer spans: headings and lead-ins state nothing."""

from __future__ import annotations

from corpus.models import Chunk
from service.answering.spans import is_heading_only, is_lead_in, spans_of

TEXT = (
    "14.加强基层建设。按照有机构、有人员要求,完成50%以上的镇(街)机构规范化建设。\n"
    "各街道办事处,有关单位:\n主要任务如下：\n（一）强化组织领导\n2025年完成。"
)


def _spans(section=("二、重点任务", "14.加强基层建设")):
    chunk = Chunk("c1", "d", "d.txt", "t", section, TEXT, 0, len(TEXT), 0)
    return {s.text: s for s in spans_of(chunk)}


def test_a_sentence_the_outline_has_as_the_passages_heading_is_a_heading():
    spans = _spans()
    assert is_heading_only(spans["14.加强基层建设。"])
    assert not is_heading_only(spans["按照有机构、有人员要求,完成50%以上的镇(街)机构规范化建设。"])
    # without the outline's word, a numbered sentence with a figure is a statement
    assert not is_heading_only(_spans(section=())["14.加强基层建设。"])


def test_bare_heading_lines_are_headings_but_short_statements_with_figures_are_not():
    spans = _spans()
    assert is_heading_only(spans["（一）强化组织领导"])
    assert not is_heading_only(spans["2025年完成。"])


def test_a_line_ending_in_a_colon_is_a_lead_in():
    spans = _spans()
    assert is_lead_in(spans["各街道办事处,有关单位:"])
    assert is_lead_in(spans["主要任务如下："])
    assert not is_lead_in(spans["2025年完成。"])


def test_the_documents_own_title_and_its_transmittal_line_state_nothing():
    title = "2025年全镇安全生产工作要点"
    text = (
        "关于印发2025年全镇安全生产工作要点的通知\n"
        "现将《2025年全镇安全生产工作要点》印发给你们,请认真贯彻执行。\n"
        "修订《全镇应急预案》,规范编制村(居)应急预案。\n"
        "2025年全镇安全生产工作坚持统筹发展和安全。"
    )
    chunk = Chunk("c1", "d", "d.txt", title, (), text, 0, len(text), 0)
    spans = {s.text.strip(): s for s in spans_of(chunk)}
    assert is_heading_only(spans["关于印发2025年全镇安全生产工作要点的通知"])
    assert is_heading_only(spans["现将《2025年全镇安全生产工作要点》印发给你们,请认真贯彻执行。"])
    assert not is_heading_only(spans["修订《全镇应急预案》,规范编制村(居)应急预案。"])
    assert not is_heading_only(spans["2025年全镇安全生产工作坚持统筹发展和安全。"])
