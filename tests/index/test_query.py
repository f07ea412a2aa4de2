from corpus.models import DocumentMeta
from index.query import QueryAnalysis, QueryAnalyzer, region_aliases
from index.records import DocRecord

DOCS = [
    DocRecord(
        "yz",
        "yz.txt",
        "f",
        DocumentMeta(title="2025年全区安全生产工作要点", region="渝中区", year=2025, doc_type="工作要点"),
    ),
    DocRecord(
        "jb",
        "jb.txt",
        "f",
        DocumentMeta(title="2024年江北区安全生产工作要点", region="江北区", year=2024, doc_type="工作要点"),
    ),
    DocRecord(
        "np",
        "np.txt",
        "f",
        DocumentMeta(
            title="2025年南平镇安全生产工作要点", region="南川区南平镇", year=2025, doc_type="工作要点"
        ),
    ),
    DocRecord(
        "cq",
        "cq.txt",
        "f",
        DocumentMeta(
            title="重庆市安全生产治本攻坚三年行动实施方案",
            region="重庆市",
            year=2024,
            doc_type="实施方案",
            doc_number="渝安委〔2024〕6号",
        ),
    ),
    DocRecord(
        "law", "law.md", "f", DocumentMeta(title="中华人民共和国突发事件应对法", region="全国", doc_type="法")
    ),
]
SYNONYMS = [("安委会", "安全生产委员会")]


def analyzer():
    return QueryAnalyzer(DOCS, SYNONYMS)


def test_region_aliases():
    assert region_aliases("南川区南平镇") == {"南川区南平镇", "南川区", "南平镇", "南川", "南平"}


def test_scope_names_are_the_places_and_years_a_question_names():
    analysis = QueryAnalysis("2025年渝中区工作目标", regions=("渝中区",), years=(2025,))
    assert analysis.place_names() == {"渝中区", "渝中"}
    assert analysis.scope_names() == {"渝中区", "渝中", "2025年"}
    assert QueryAnalysis("工作目标").scope_names() == set()
    assert region_aliases("渝中区") == {"渝中区", "渝中"}


def test_regions_named_in_question_with_short_forms():
    a = analyzer().analyze("渝中和江北的事故目标有何不同")
    assert a.regions == ("江北区", "渝中区")
    assert a.doc_scores == {"yz": 1.0, "jb": 1.0}


def test_year_type_number_and_title_piece():
    a = analyzer().analyze("2024年治本攻坚实施方案的发文字号")
    assert a.years == (2024,)
    assert a.doc_types == ("实施方案",)
    assert a.title_docs == ("cq",)
    assert a.doc_scores["cq"] == 3.0  # year, type and title piece
    assert a.doc_scores["jb"] == 1.0  # year only
    assert analyzer().analyze("渝安委[2024]6号讲了什么").doc_scores == {"cq": 1.0}


def test_common_title_words_do_not_select_documents():
    assert analyzer().analyze("安全生产工作要点").title_docs == ()  # in most titles: not distinctive


def test_abbreviation_expansion_both_ways():
    assert analyzer().analyze("安委会职责").expansions == ("安全生产委员会",)
    assert analyzer().analyze("安全生产委员会职责").expansions == ("安委会",)


def test_nothing_named():
    a = analyzer().analyze("企业自己查出问题主动改了还会被罚吗")
    assert a.doc_scores == {} and a.regions == ()


def test_a_short_type_word_used_as_an_ordinary_word_names_no_type():
    # 法 in 执法 / 法定, 规定 in 条例规定, 通知 as a verb: none closes a document's name
    for question in ("执法人员的法定职责", "提前几天通知", "有什么规定"):
        a = analyzer().analyze(question)
        assert a.doc_types == () and a.doc_scores == {}, question


def test_a_short_type_word_closing_a_title_names_its_type():
    a = analyzer().analyze("突发事件应对法第几条")
    assert a.doc_types == ("法",)
    assert a.doc_scores["law"] == 2.0  # the type and the title piece


def test_the_longest_title_quote_names_the_document_not_the_titles_sharing_a_piece_of_it():
    docs = [
        DocRecord("permit", "p.md", "f", DocumentMeta(title="安全生产许可证条例", doc_type="条例")),
        DocRecord("cq", "c.md", "f", DocumentMeta(title="重庆市安全生产条例", doc_type="条例")),
    ] + [DocRecord(f"d{i}", f"{i}.md", "f", DocumentMeta(title=f"第{i}号其他文件")) for i in range(8)]
    analyzer10 = QueryAnalyzer(docs, SYNONYMS)
    assert analyzer10.analyze("安全生产许可证有效期几年").title_docs == ("permit",)
    assert analyzer10.analyze("安全生产的责任").title_docs == ("cq", "permit")  # a shared piece: both


def test_a_plan_for_a_span_of_years_is_about_each_of_them():
    docs = [
        *DOCS,
        DocRecord(
            "plan",
            "plan.txt",
            "f",
            DocumentMeta(
                title="某市消防三年行动方案(2024—2026年)", region="重庆市", year=2024, doc_type="方案"
            ),
        ),
    ]
    a = QueryAnalyzer(docs, SYNONYMS).analyze("2025年要完成哪些消防任务")
    assert a.doc_scores == {"yz": 1.0, "np": 1.0, "plan": 1.0}  # issued in 2024, about 2025 too
    assert "plan" not in QueryAnalyzer(docs, SYNONYMS).analyze("2027年消防任务").doc_scores


def test_the_jurisdictions_of_the_places_named_are_read_from_the_catalogue():
    docs = [
        DocRecord(
            "yz", "yz.txt", "f", DocumentMeta(title="渝中区工作要点", region="渝中区", jurisdiction="重庆市")
        ),
        DocRecord(
            "jb", "jb.txt", "f", DocumentMeta(title="江北区工作要点", region="江北区", jurisdiction="重庆市")
        ),
        DocRecord(
            "hz", "hz.txt", "f", DocumentMeta(title="西湖区工作要点", region="西湖区", jurisdiction="浙江省")
        ),
        DocRecord(
            "law", "law.md", "f", DocumentMeta(title="突发事件应对法", region="全国", jurisdiction="全国")
        ),
    ]
    analyzer = QueryAnalyzer(docs, [])
    assert analyzer.analyze("渝中区和江北区的要求").jurisdictions == ("重庆市",)
    assert analyzer.analyze("西湖区和渝中区").jurisdictions == ("浙江省", "重庆市")
    assert analyzer.analyze("应急预案多久修订").jurisdictions == ()  # no place named
