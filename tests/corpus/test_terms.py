from corpus.terms import coined_terms


def test_quoted_terms_and_abbreviations_are_mined():
    text = "以落实“常态化安全监管十条措施”(以下简称“十条措施”)为抓手,坚持“1+7+N”机制,市安全生产委员会(以下简称市安委会)负责。"
    assert coined_terms([text]) == ["1+7+N", "十条措施", "市安委会"]


def test_lists_long_quotes_and_bare_numbers_are_not_terms():
    text = "“统、防、救”3个重点; “从根本上消除事故隐患、从根本上解决问题”; “12350”举报"
    assert coined_terms([text]) == []


def test_terms_from_several_texts_are_merged_and_sorted():
    assert coined_terms(["“两单两卡”", "“一线责任制”和“两单两卡”"]) == ["一线责任制", "两单两卡"]
