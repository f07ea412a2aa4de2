import re

import pytest

from corpus.models import DocumentMeta
from index.errors import BadFilter
from index.filters import Filters, doc_matches, parse_filters, validate
from index.records import DocRecord

DOCS = [
    DocRecord(
        "a",
        "a.txt",
        "f",
        DocumentMeta(region="渝中区", year=2025, doc_type="工作要点", issuer="重庆市渝中区人民政府"),
    ),
    DocRecord("b", "b.txt", "f", DocumentMeta(region="南川区南平镇", year=2025, doc_type="工作要点")),
    DocRecord("c", "c.txt", "f", DocumentMeta(region="重庆市", year=2024, doc_type="实施方案")),
]


def test_parse_filters():
    f = parse_filters({"region": "渝中区,江北区", "year": "2022-2024", "doc_type": ["实施方案"]})
    assert f == Filters(region=("渝中区", "江北区"), year_from=2022, year_to=2024, doc_type=("实施方案",))
    assert parse_filters({"year": 2025}) == Filters(year_from=2025, year_to=2025)
    assert parse_filters({"year": "2024-"}) == Filters(year_from=2024)
    assert parse_filters(None) == Filters()


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"province": "x"}, "unknown filter"),
        ({"year": "soon"}, "must be a year"),
        ({"year": 3000}, "between 1949 and 2100"),
        ({"year_from": 2025, "year_to": 2024}, "range is empty"),
        ({"region": {"a": 1}}, "wrong type"),
        ({"region": " , "}, "empty"),
        ({"issuer": 5}, "wrong type"),
        ({"year": True}, "must be a year"),
    ],
)
def test_bad_filters(raw, message):
    with pytest.raises(BadFilter, match=message):
        parse_filters(raw)


def test_doc_matches():
    assert doc_matches(DOCS[1], Filters(region=("南平镇",)))
    assert doc_matches(DOCS[1], Filters(region=("南川",)))
    assert not doc_matches(DOCS[0], Filters(region=("南平镇",)))
    assert doc_matches(DOCS[2], Filters(year_from=2023, year_to=2024, doc_type=("方案",)))
    assert not doc_matches(DOCS[2], Filters(year_from=2025))
    assert doc_matches(DOCS[0], Filters(doc=("a.txt",), issuer="渝中区"))


def test_validate_rejects_values_that_match_nothing():
    validate(Filters(region=("渝中区",)), DOCS)
    with pytest.raises(
        BadFilter,
        match=re.escape("no document has region '火星区'; known values: 南川区南平镇, 渝中区, 重庆市"),
    ):
        validate(Filters(region=("火星区",)), DOCS)
    with pytest.raises(BadFilter, match=re.escape("doc 'zzz.txt'")):
        validate(Filters(doc=("zzz.txt",)), DOCS)


def test_applicability_demotes_only_other_jurisdictions_not_named():
    from index.applicability import applicability

    docs = {"cq": "重庆市", "nat": "全国", "zj": "浙江省", "sh": "上海市", "unknown": None}
    assert applicability(docs, "重庆市") == {"zj": 0.5, "sh": 0.5}
    assert applicability(docs, "重庆市", named={"上海市"}, weight=0.3) == {"zj": 0.3}
    assert applicability(docs, None) == {}
    assert applicability(docs, "重庆市", weight=1.0) == {}


def test_title_words_shared_by_several_places_acts_name_no_place():
    from index.applicability import applicability, named_by_title

    docs = {"cq": "重庆市", "nat": "全国", "hn": "河南省", "gd": "广东省"}
    # 森林防火条例 is the title of the State's, 重庆市's, 河南省's and 广东省's acts: no place is named,
    # so the other provinces' acts stay weighed down
    generic = named_by_title(docs.values())
    assert generic == frozenset()
    assert applicability(docs, "重庆市", named=generic) == {"hn": 0.5, "gd": 0.5}
    # 黄河防汛条例: only 河南省's act has it, so the question names 河南省's rule
    assert named_by_title(["河南省", "全国", None]) == frozenset({"河南省"})
