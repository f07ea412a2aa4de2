import pytest

from corpus.cleaning import clean
from corpus.metadata import doc_type_of, extract_metadata, normalise_doc_number, parse_date, region_of
from corpus.models import DocumentMeta


@pytest.mark.parametrize(
    "text",
    [
        "渝安委〔2024〕6号",
        "渝安委[2024]6号",
        "渝安委(2024)6号",
        "渝安委（2024）6号",
        "渝安委【2024】06号",
        "渝安委〔 2024 〕6 号",
    ],
)
def test_doc_number_variants_normalise_to_hexagonal_brackets(text):
    assert normalise_doc_number(text) == "渝安委〔2024〕6号"


def test_dates():
    assert parse_date("2024年3月20日") == "2024-03-20"
    assert parse_date("成文日期 2024-03-20") == "2024-03-20"
    assert parse_date("2024年13月1日") is None
    assert parse_date("无日期") is None


@pytest.mark.parametrize(
    ("issuer_or_title", "region"),
    [
        ("重庆市南川区南平镇人民政府", "南川区南平镇"),
        ("重庆市江北区人民政府", "江北区"),
        ("重庆市安全生产委员会", "重庆市"),
        ("中华人民共和国突发事件应对法", "全国"),
        ("2024年江北区安全生产与防灾减灾救灾工作要点", "江北区"),
        ("杭州市道路交通安全管理条例", "杭州市"),
        ("安全生产工作要点", None),
    ],
)
def test_region(issuer_or_title, region):
    assert region_of(issuer_or_title) == region


def test_doc_type():
    assert doc_type_of("重庆市安全生产治本攻坚三年行动实施方案(2024—2026年)") == "实施方案"
    assert doc_type_of("中华人民共和国安全生产法") == "法"
    assert doc_type_of("会议纪要的说明") is None


def test_fields_absent_when_not_stated():
    assert extract_metadata("一、总体要求\n加强管理。") == DocumentMeta()


SEED_META = {
    "000_31a5ba1447e2c1d7.txt": DocumentMeta(
        title="2024年江北区安全生产与防灾减灾救灾工作要点",
        issuer="重庆市江北区人民政府",
        doc_number=None,
        issued_date="2024-04-03",
        published_date=None,
        region="江北区",
        doc_type="工作要点",
        year=2024,
        jurisdiction="重庆市",
    ),
    "001_7abf8ebdae7f05a1.txt": DocumentMeta(
        title="重庆市江津区2022年度安全生产与自然灾害防治工作要点",
        issuer=None,
        doc_number=None,
        issued_date=None,
        published_date=None,
        region="江津区",
        doc_type="工作要点",
        year=2022,
        jurisdiction="重庆市",
    ),
    "002_a311506c5bab1914.txt": DocumentMeta(
        title="2025年南平镇安全生产、防灾减灾救灾和消防工作要点",
        issuer="重庆市南川区南平镇人民政府",
        doc_number=None,
        issued_date="2025-03-25",
        published_date=None,
        region="南川区南平镇",
        doc_type="工作要点",
        year=2025,
        jurisdiction="重庆市",
    ),
    "003_dc79079f3b1ada4e.txt": DocumentMeta(
        title="2025年全区安全生产、防灾减灾救灾和消防工作要点",
        issuer="重庆市渝中区人民政府",
        doc_number=None,
        issued_date="2025-02-18",
        published_date=None,
        region="渝中区",
        doc_type="工作要点",
        year=2025,
        jurisdiction="重庆市",
    ),
    "004_11991b16ff05d012.txt": DocumentMeta(
        title="重庆市安全生产治本攻坚三年行动实施方案(2024—2026年)",
        issuer="重庆市安全生产委员会",
        doc_number="渝安委〔2024〕6号",
        issued_date="2024-03-20",
        published_date="2024-03-26",
        region="重庆市",
        doc_type="实施方案",
        year=2024,
        jurisdiction="重庆市",
        valid_from="2024-01-01",  # the period its title states
        valid_to="2026-12-31",
    ),
}


@pytest.mark.parametrize("name", sorted(SEED_META))
def test_seed_metadata(seeds_dir, name):
    text = clean((seeds_dir / name).read_text(encoding="utf-8")).text
    assert extract_metadata(text) == SEED_META[name]


@pytest.mark.parametrize(
    ("region", "texts", "expected"),
    [
        ("江北区", ("重庆市江北区人民政府",), "重庆市"),  # the issuer names the province
        ("江北区", (None,), None),  # a district of Chongqing and of Ningbo: ambiguous, unknown
        ("杭州市", ("杭州市安全生产监督管理条例",), "浙江省"),  # a city is looked up
        ("全国", ("国务院",), "全国"),
        ("南川区南平镇", (None,), "重庆市"),  # made of known places
        (None, ("上海市消防条例",), "上海市"),
        (None, (None,), None),
    ],
)
def test_jurisdiction_of(region, texts, expected):
    from corpus.jurisdiction import jurisdiction_of

    assert jurisdiction_of(region, *texts) == expected
