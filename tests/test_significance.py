"""Intervals and paired comparisons on tiny hand-made runs, and the command on two result folders."""

from __future__ import annotations

import json

import pytest

from evaluation.significance import interval, main, paired, question_scores


def test_a_wider_interval_for_fewer_questions():
    small, large = interval([1, 0] * 10), interval([1, 0] * 200)
    assert small[0] < large[0] < 0.5 < large[1] < small[1]


def test_paired_counts_wins_and_losses_and_ties_do_not_count():
    p = paired([1, 0, 1, 0.5], [1, 1, 0, 1])
    assert (p.wins, p.losses, p.difference) == (2, 1, pytest.approx(0.125))
    assert p.p == pytest.approx(1.0)  # 2 against 1 is no evidence
    strong = paired([0] * 12, [1] * 12)
    assert strong.p == pytest.approx(2 * 0.5**12) and strong.low == strong.high == 1.0


def test_paired_refuses_runs_of_different_questions():
    with pytest.raises(ValueError):
        paired([1, 0], [1])


def test_unanswerable_questions_count_only_for_declining():
    scores = question_scores(
        [{"id": "u", "first_hit": None}, {"id": "a", "first_hit": 7}],
        [
            {"id": "u", "contains_gold": False, "answerable": True},
            {"id": "a", "contains_gold": False, "answerable": False},
        ],
        {"a": True, "u": False},
    )
    assert scores["R@5"] == {"a": 0.0} and scores["MRR@10"] == {"a": pytest.approx(1 / 7)}
    assert scores["unanswerable declined"] == {"u": 0.0}
    assert scores["answerable declined"] == {"a": 1.0}


def test_the_command_compares_two_result_folders(tmp_path, capsys):
    gold = tmp_path / "gold.jsonl"
    rows = [{"id": f"q{i}", "question": "问", "answers": [{"doc": "d.txt", "quote": "答"}]} for i in range(4)]
    gold.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    for name, ranks in (("a", [1, 2, None, 6]), ("b", [1, 1, 3, 6])):
        (tmp_path / name).mkdir()
        (tmp_path / name / "runs.jsonl").write_text(
            "\n".join(
                json.dumps({"mode": "hybrid-weighted", "id": f"q{i}", "first_hit": r})
                for i, r in enumerate(ranks)
            ),
            encoding="utf-8",
        )
    main([str(tmp_path / "a"), str(tmp_path / "b"), "--gold", str(gold)])
    out = capsys.readouterr().out
    assert "R@5: 0.500 -> 0.750, difference +0.250" in out and "higher on 1 questions, lower on 0" in out
    assert "MRR@10: 0.417 -> 0.625" in out and "higher on 2 questions, lower on 0, sign test p = 0.500" in out
