from evaluation.gold import GoldAnswer
from evaluation.judge import first_hit_rank, is_hit, normalise, quote_found


def test_normalise_drops_space_and_pipes_and_folds_width():
    assert (
        normalise("生产安全事故亡人数 |\n相较前三年 平均值下降１０％")
        == "生产安全事故亡人数相较前三年平均值下降10%"
    )


def test_quote_contained_after_normalisation():
    assert quote_found(
        "生产安全事故亡人数 |\n相较前三年 平均值下降10%",
        "4 |\n生产安全事故亡人数 |\n相较前三年 平均值下降10% |",
    )


def test_eighty_percent_common_run():
    quote = "一二三四五六七八九十"
    assert quote_found(quote, "前文一二三四五六七八后文")  # 8 of 10 in one run
    assert not quote_found(quote, "前文一二三四五六七后文")  # 7 of 10


def test_hit_needs_the_named_document():
    answer = GoldAnswer("a.txt", "十五人")
    assert is_hit("a.txt", "不少于十五人", answer)
    assert not is_hit("b.txt", "不少于十五人", answer)


def test_first_hit_rank():
    answers = (GoldAnswer("a.txt", "目标"),)
    assert first_hit_rank([("b.txt", "目标"), ("a.txt", "无"), ("a.txt", "有目标")], answers) == 3
    assert first_hit_rank([("b.txt", "目标")], answers) is None


def test_a_comparison_holds_every_side_only_when_each_gold_quote_is_held_or_cited():
    from evaluation.answers import judge_answer
    from evaluation.gold import GoldQuestion

    q = GoldQuestion(
        "c1",
        "甲区和乙区有何不同",
        (GoldAnswer("a.txt", "甲区十五人"), GoldAnswer("b.txt", "乙区二十人")),
        "compare",
    )
    text = {"a": "甲区十五人。", "b": "乙区二十人。"}
    cite = {"doc_id": "b", "source": "b.txt", "start": 0, "end": 5, "quote": "乙区二十人"}
    body = {"answerable": True, "answer": "甲区：甲区十五人[1]\\n乙区：见[2]", "citations": [cite]}
    judged = judge_answer(q, body, text.get)
    assert judged["holds_or_cites_gold"] and judged["holds_every_gold"]  # one held, the other cited
    body = {"answerable": True, "answer": "甲区：甲区十五人[1]", "citations": []}
    judged = judge_answer(q, body, text.get)
    assert judged["holds_or_cites_gold"] and not judged["holds_every_gold"]
