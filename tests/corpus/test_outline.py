from corpus.outline import detect_outline, is_statute


def titles(text):
    return [(h.level, h.title) for h in detect_outline(text)]


def test_gongwen_levels_on_own_lines():
    text = "一、总体要求\n正文。\n（一）强化责任。要求。\n1. 夯实责任。内容。\n（1）细项。内容。\n①小项。内容。\n二、工作任务\n"
    assert titles(text) == [
        (1, "一、总体要求"),
        (2, "（一）强化责任"),
        (3, "1. 夯实责任"),
        (4, "（1）细项"),
        (5, "①小项"),
        (1, "二、工作任务"),
    ]


def test_not_headings_decimals_dates_crossrefs_enumerations_tables():
    text = (
        "一、目标\n"
        "1.5亿元用于建设。\n"  # decimal
        "5.12防灾减灾日开展活动。\n"  # date
        "按（二）项规定执行，一是加强，二是落实。\n"  # cross-reference and 一是
        "1 |\n"  # table cell
        "2024\n"
    )
    assert titles(text) == [(1, "一、目标")]


def test_inline_headings_in_run_on_paragraph():
    body = "为加强工作,特制定本要点。一、总体目标以习近平新时代中国特色社会主义思想为指导,坚持人民至上。二、重点任务(一)抓“十条措施”,强化落实。1.强化党政领导示范履职。坚持党政同责。2.强化各级监管部门务实履职。按照(二)项要求。"
    text = body + "填充内容。" * 120
    assert titles(text) == [
        (1, "一、总体目标"),
        (1, "二、重点任务"),
        (2, "(一)抓“十条措施”,强化落实"),
        (3, "1.强化党政领导示范履职"),
        (3, "2.强化各级监管部门务实履职"),
    ]


def test_short_lines_are_not_scanned_for_inline_markers():
    assert titles("一、目标\n要求如下。1.加强管理。2.落实责任。\n") == [(1, "一、目标")]


def test_annex_restarts_outline_with_its_title():
    text = "一、正文\n内容。\n附件\n重点任务清单\n一、源头管控\n1.强化管控。\n"
    assert titles(text) == [(1, "一、正文"), (0, "附件 重点任务清单"), (1, "一、源头管控"), (3, "1.强化管控")]


def test_statute_levels_and_items_inside_articles_are_not_headings():
    text = "第一章 总则\n第一条 为了规范，制定本法。\n（一）第一项；\n（二）第二项。\n第一节 一般规定\n第二条 本法适用于……依照本法第十条处理。\n"
    assert is_statute(text)
    assert titles(text) == [(1, "第一章 总则"), (3, "第一条"), (2, "第一节 一般规定"), (3, "第二条")]
