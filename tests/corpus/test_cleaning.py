from corpus.cleaning import clean, junk_reason


def test_removes_scraping_junk_and_keeps_every_body_sentence():
    raw = (
        "标题\n整理文档很辛苦,赏杯茶钱您下走!\n免费阅读已结束,点击下载阅读编辑剩下 ...\n"
        "一、总体要求\n第一句。第二句。\n— 16 —\n二、重点任务\n"
    )
    result = clean(raw)
    assert result.text == "标题\n一、总体要求\n第一句。第二句。\n二、重点任务"
    assert [r.reason for r in result.removed] == [
        "document-site advert",
        "document-site advert",
        "page number",
    ]
    assert result.removed[2].text == "— 16 —"
    assert raw[result.removed[0].start :].startswith("整理文档很辛苦")


def test_portal_furniture_lines():
    assert junk_reason("首页>清溪场街道办事处>政务公开>其他文件", True, True) == "portal navigation"
    assert junk_reason("【打印】 【关闭】", True, True) == "portal widgets"
    assert junk_reason("政策推荐", True, True) == "portal related links"
    assert junk_reason("版权所有:秀山土家族苗族自治县人民政府", True, True) == "document-site footer"


def test_content_lines_are_kept():
    assert junk_reason("1.强化党政领导示范履职。", True, True) is None
    assert junk_reason("关闭违规矿山3处。", True, True) is None  # 关闭 inside a sentence is content
    assert junk_reason("2024", True, True) is None  # a table cell, not a page number
    assert junk_reason("1", False, True) is None  # a number inside running lines


def test_lone_page_number_between_blank_lines():
    result = clean("甲。\n\n1\n\n乙。")
    assert result.text == "甲。\n\n乙。"
    assert result.removed[0].reason == "page number"


def test_offset_map_points_into_cleaned_text():
    raw = "甲\n整理文档很辛苦\n乙丙\n"
    result = clean(raw)
    assert result.text == "甲\n乙丙"
    assert result.to_clean_offset(raw.index("乙")) == result.text.index("乙")
