"""Printed pages: where each starts through reflow and cleaning, and which page holds an offset."""

from __future__ import annotations

from corpus.models import Document, DocumentMeta
from corpus.pipeline import page_starts
from corpus.readers.pdf import reflow_pages


def test_reflow_keeps_where_each_page_starts_even_inside_a_joined_sentence():
    lines = [
        ("一、总则", False),
        ("第一行很长很长很长很长很长很长", False),
        ("续页很长很长很长很长很长很长很", False),
        ("完。", False),
    ]
    text, spans, starts, _ = reflow_pages(lines, [0, 0, 1, 1])
    assert text == "一、总则\n第一行很长很长很长很长很长很长续页很长很长很长很长很长很长很完。"
    assert spans == []
    assert text[starts[1] :].startswith("续页")  # page 2 begins mid-paragraph
    assert starts[0] == 0


def test_a_blank_page_starts_where_the_next_text_does():
    text, _, starts, _ = reflow_pages([("甲。", False), ("", False), ("乙。", False)], [0, 1, 2])
    assert text == "甲。\n\n乙。"
    assert starts == [0, text.index("乙"), text.index("乙")]


def test_stated_pages_map_to_the_cleaned_text_and_malformed_ones_are_dropped():
    assert page_starts("0,10,20", lambda x: x // 2) == [0, 5, 10]
    assert page_starts("0,10,5", lambda x: x) == [0, 10, 10]  # never decreasing
    assert page_starts("", lambda x: x) == []
    assert page_starts("0,x", lambda x: x) == []


def test_page_at_counts_from_one_and_is_none_without_pages():
    doc = Document("d", "d.pdf", "pdf", None, "x" * 30, DocumentMeta(), page_starts=[0, 10, 20])
    assert [doc.page_at(o) for o in (0, 9, 10, 25)] == [1, 1, 2, 3]
    assert Document("d", "d.txt", "text", None, "x", DocumentMeta()).page_at(0) is None
    assert Document.from_dict(doc.to_dict()).page_starts == [0, 10, 20]


def test_unsure_characters_move_with_their_line_through_stripping_and_joining():
    lines = [
        ("一、总则", True),
        ("  第一行很长很长很长很长很长很长", True),
        ("续页很长很长很长很长很长很长很", True),
        ("完。", True),
    ]
    unsure = [[], [(3, 4)], [(0, 2), (14, 15)], []]  # 第一行's 一 (after two spaces), 续页, the last 很
    flowed = reflow_pages(lines, [0, 0, 1, 1], unsure)
    assert [flowed.text[a:b] for a, b in flowed.uncertain] == ["一", "续页", "很"]
    assert flowed.uncertain[1][0] == flowed.text.index("续页")
