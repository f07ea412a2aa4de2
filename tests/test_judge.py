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
