"""Sentence vectors: layout (sentences, then their clauses), the best unit per passage, carrying vectors over."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from corpus.models import Chunk
from index.sentences import (
    SentenceVectors,
    blend,
    clause_flags,
    clause_spans,
    sentence_index,
    sentence_layout,
)


def _chunk(text: str) -> Chunk:
    return Chunk(
        chunk_id="c",
        doc_id="d",
        source="d.txt",
        title="t",
        section=(),
        text=text,
        start=0,
        end=len(text),
        ordinal=0,
    )


def test_sentences_of_passages_in_row_order_with_short_pieces_left_out():
    units = sentence_layout(
        [
            _chunk("一、总则\n推动街道落实应急救援队伍。重大隐患按期整改率100%；"),
            _chunk("短句"),  # nothing long enough: the passage itself stands for its sentence
            _chunk("序号 | 名称 |\n1 | 安全生产智慧监管平台 |\n2 | 森林防火监测预警系统 |"),
        ],
        clauses=False,
    )
    texts, starts = units.texts, units.starts
    assert texts == [
        "推动街道落实应急救援队伍。",
        "重大隐患按期整改率100%；",
        "短句",
        "1 | 安全生产智慧监管平台",
        "2 | 森林防火监测预警系统",
    ]
    assert starts.tolist() == [0, 2, 3]


def _unit(*xs: float) -> np.ndarray:
    v = np.array(xs, dtype=np.float32)
    return v / np.linalg.norm(v)


def test_best_sentence_per_row_and_for_chosen_rows():
    vectors = np.stack([_unit(1, 0), _unit(0, 1), _unit(1, 1), _unit(-1, 0), _unit(0, -1)])
    sv = SentenceVectors(vectors, np.array([0, 2, 3]))  # rows: {0, 1}, {2}, {3, 4}
    q = _unit(1, 0)
    np.testing.assert_allclose(sv.best(q), [1.0, np.sqrt(0.5), 0.0], atol=1e-6)
    np.testing.assert_allclose(sv.best_of(q, [2, 0]), [0.0, 1.0], atol=1e-6)
    assert sv.best_of(q, []).size == 0
    part = sv.of_rows([2, 1])
    assert part.starts.tolist() == [0, 2]
    np.testing.assert_allclose(part.vectors, vectors[[3, 4, 2]])


def test_blend_is_the_mean_of_passage_and_best_sentence():
    np.testing.assert_allclose(blend(np.array([0.2, 0.6]), np.array([0.4, 0.6])), [0.3, 0.6])


def test_a_passage_of_one_sentence_keeps_its_own_score():
    passage, sentence = np.array([0.2, 0.6, 0.1]), np.array([0.4, 0.9, 0.5])
    single = np.array([False, True, False])
    np.testing.assert_allclose(blend(passage, sentence, single), [0.3, 0.6, 0.3])


def _single(starts: list[int], total: int) -> list[int]:
    return np.flatnonzero(
        SentenceVectors(np.eye(total, dtype=np.float32), np.array(starts, dtype=np.int64)).single
    ).tolist()


def test_single_rows_are_those_of_one_sentence():
    assert _single([0, 2, 3, 6], 7) == [1, 3]  # rows of 2, 1, 3 and 1
    assert _single([0, 1], 2) == [0, 1]
    assert _single([], 0) == []
    sv = SentenceVectors(np.eye(4, dtype=np.float32), np.array([0, 1, 3]))  # rows of 1, 2 and 1
    assert sv.single.tolist() == [True, False, True]


def test_a_row_without_a_sentence_is_refused():
    with pytest.raises(ValueError):
        SentenceVectors(np.zeros((2, 2), dtype=np.float32), np.array([0, 2]))
    with pytest.raises(ValueError):
        SentenceVectors(np.zeros((2, 2), dtype=np.float32), np.array([0, 1, 1]))


def test_sentence_index_lists_the_chosen_rows_sentences_in_the_order_asked():
    starts = np.array([0, 2, 3, 6])  # rows of 2, 1, 3 and (the last, to total 8) 2 sentences
    index, offsets = sentence_index(starts, 8, [3, 0, 2])
    assert index.tolist() == [6, 7, 0, 1, 3, 4, 5]
    assert offsets.tolist() == [0, 2, 4]
    index, offsets = sentence_index(starts, 8, [])
    assert index.tolist() == [] and offsets.tolist() == []


def test_each_sentence_keeps_where_it_lies_in_its_passage_and_rows_carry_them():
    chunks = [_chunk("推动街道落实应急救援队伍。重大隐患按期整改率100%；"), _chunk("短句")]
    units = sentence_layout(chunks)  # no sentence here holds two clauses
    texts, starts, spans = units.texts, units.starts, units.spans
    assert units.whole.all()
    assert spans.tolist() == [[0, 13], [13, 27], [0, 2]]
    assert [chunks[0].text[a:b] for a, b in spans[:2].tolist()] == texts[:2]
    sv = SentenceVectors(np.eye(3, dtype=np.float32), starts, spans)
    assert sv.spans_of(0) == [(0, 13), (13, 27)] and sv.spans_of(1) == [(0, 2)]
    assert sv.of_rows([1]).spans_of(0) == [(0, 2)]
    assert SentenceVectors(np.eye(3, dtype=np.float32), starts).spans_of(0) is None
    with pytest.raises(ValueError):
        SentenceVectors(np.eye(3, dtype=np.float32), starts, spans[:2])


def test_a_sentence_of_several_clauses_is_cut_at_its_commas_and_colons():
    s = "开展地质灾害点工程治理和排危除险,完成避险搬迁，落实监测预警：每月巡查一次。"
    assert [s[a:b] for a, b in clause_spans(s, 0, len(s))] == [
        "开展地质灾害点工程治理和排危除险",
        "完成避险搬迁",
        "落实监测预警",
        "每月巡查一次。",
    ]
    # a 的-phrase is the condition of what follows, not a claim: it stays with it
    s = "消防控制室无人值班的，责令改正，处五千元以上罚款。"
    assert [s[a:b] for a, b in clause_spans(s, 0, len(s))] == [
        "消防控制室无人值班的，责令改正",
        "处五千元以上罚款。",
    ]
    # 、 joins the items of one list: no cut
    s = "推动地下管网、地下环道、高空坠物摸底排查"
    assert clause_spans(s, 0, len(s)) == []


def test_a_piece_too_short_to_claim_anything_joins_its_neighbour():
    s = "2024年,推动培训全覆盖,全年"  # 2024年 joins the clause after it, 全年 the one before
    assert [s[a:b] for a, b in clause_spans(s, 0, len(s))] == []
    s = "2024年,推动主要负责人培训全覆盖,清退一批培训机构,全年"
    assert [s[a:b] for a, b in clause_spans(s, 0, len(s))] == [
        "2024年,推动主要负责人培训全覆盖",
        "清退一批培训机构,全年",
    ]
    s = "前言，总则。开展治理工作,完成搬迁任务。"  # within the sentence asked for only
    assert [s[a:b] for a, b in clause_spans(s, 6, len(s))] == ["开展治理工作", "完成搬迁任务。"]


def test_the_layout_puts_each_rows_clauses_after_its_sentences():
    chunks = [
        _chunk("开展地质灾害点工程治理,完成避险搬迁。重大隐患按期整改率100%；"),
        _chunk("落实应急救援队伍人员配备"),
    ]
    units = sentence_layout(chunks)
    assert units.texts == [
        "开展地质灾害点工程治理,完成避险搬迁。",
        "重大隐患按期整改率100%；",
        "开展地质灾害点工程治理",
        "完成避险搬迁。",
        "落实应急救援队伍人员配备",
    ]
    assert units.whole.tolist() == [True, True, False, False, True]
    assert units.starts.tolist() == [0, 4]
    text = chunks[0].text
    assert [text[a:b] for a, b in units.spans[:4].tolist()] == units.texts[:4]
    assert sentence_layout(chunks, clauses=False).texts == [units.texts[i] for i in (0, 1, 4)]
    assert sentence_layout(chunks, clauses=[False, True]).texts == [units.texts[i] for i in (0, 1, 4)]
    with pytest.raises(ValueError):
        sentence_layout(chunks, clauses=[True])


def test_clause_flags_follow_each_chunks_document_type():
    plan, law = _chunk("开展治理工作,完成搬迁任务。"), replace(_chunk("禁止爆破，禁止削坡。"), doc_id="law")
    types = {"d": "工作要点", "law": "条例"}
    assert clause_flags([plan, law], types) == [True, False]
    assert clause_flags([plan, law], types, on=False) == [False, False]
    assert clause_flags([replace(plan, doc_id="unknown")], types) == [True]  # no type: a policy document


def _clause_vectors() -> SentenceVectors:
    # row 0: sentences 0, 1 and clauses 2, 3 of sentence 0; row 1: one sentence (4) and its clause (5)
    vectors = np.stack([_unit(1, 0), _unit(0, 1), _unit(1, 1), _unit(-1, 1), _unit(0, 1), _unit(1, 0)])
    spans = np.array([[0, 10], [10, 20], [0, 5], [5, 10], [0, 8], [0, 4]])
    whole = np.array([True, True, False, False, True, False])
    return SentenceVectors(vectors, np.array([0, 4]), spans, whole)


def test_a_row_scores_by_its_best_sentence_or_clause_and_answers_read_its_sentences():
    sv = _clause_vectors()
    q = _unit(1, 0)
    np.testing.assert_allclose(sv.best(q), [1.0, 1.0], atol=1e-6)  # row 1's clause beats its sentence
    np.testing.assert_allclose(sv.best_of(q, [1]), [1.0], atol=1e-6)
    assert sv.spans_of(0) == [(0, 10), (10, 20)] and sv.spans_of(1) == [(0, 8)]
    np.testing.assert_allclose(sv.of_row(q, 1), [0.0], atol=1e-6)
    assert sv.units_of(1) == [(0, 8, True), (0, 4, False)]
    # a row of one sentence keeps its passage's score, whatever its clauses
    assert sv.single.tolist() == [False, True] and sv.counts.tolist() == [4, 2]


def test_clauses_can_be_left_out_and_are_carried_with_their_rows():
    sv = _clause_vectors()
    only = sv.sentences_only()
    assert only.starts.tolist() == [0, 2] and only.whole.tolist() == [True, True, True]
    np.testing.assert_allclose(only.best(_unit(1, 0)), [1.0, 0.0], atol=1e-6)
    assert only.spans_of(0) == sv.spans_of(0)
    part = sv.of_rows([1])
    assert part.whole.tolist() == [True, False] and part.units_of(0) == sv.units_of(1)
    plain = SentenceVectors(np.eye(2, dtype=np.float32), np.array([0]))
    assert plain.sentences_only() is plain and plain.units_of(0) is None


def test_a_row_must_open_with_a_sentence_and_keep_its_clauses_after_its_sentences():
    vectors = np.eye(3, dtype=np.float32)
    with pytest.raises(ValueError):
        SentenceVectors(vectors, np.array([0]), None, np.array([False, True, True]))
    with pytest.raises(ValueError):
        SentenceVectors(vectors, np.array([0]), None, np.array([True, False, True]))
    with pytest.raises(ValueError):
        SentenceVectors(vectors, np.array([0]), None, np.array([True, False]))
    SentenceVectors(vectors, np.array([0, 2]), None, np.array([True, False, True]))
