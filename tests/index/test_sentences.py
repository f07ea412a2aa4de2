"""Sentence vectors: layout, the best sentence per passage, and carrying vectors over."""

from __future__ import annotations

import numpy as np
import pytest

from corpus.models import Chunk
from index.sentences import SentenceVectors, blend, sentence_index, sentence_texts


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
    texts, starts = sentence_texts(
        [
            _chunk("一、总则\n推动街道落实应急救援队伍。重大隐患按期整改率100%；"),
            _chunk("短句"),  # nothing long enough: the passage itself stands for its sentence
            _chunk("序号 | 名称 |\n1 | 安全生产智慧监管平台 |\n2 | 森林防火监测预警系统 |"),
        ]
    )
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
    from index.sentences import sentence_layout

    chunks = [_chunk("推动街道落实应急救援队伍。重大隐患按期整改率100%；"), _chunk("短句")]
    texts, starts, spans = sentence_layout(chunks)
    assert spans.tolist() == [[0, 13], [13, 27], [0, 2]]
    assert [chunks[0].text[a:b] for a, b in spans[:2].tolist()] == texts[:2]
    sv = SentenceVectors(np.eye(3, dtype=np.float32), starts, spans)
    assert sv.spans_of(0) == [(0, 13), (13, 27)] and sv.spans_of(1) == [(0, 2)]
    assert sv.of_rows([1]).spans_of(0) == [(0, 2)]
    assert SentenceVectors(np.eye(3, dtype=np.float32), starts).spans_of(0) is None
    with pytest.raises(ValueError):
        SentenceVectors(np.eye(3, dtype=np.float32), starts, spans[:2])
