from datetime import date

import pytest

from corpus.models import DocumentMeta
from corpus.validity import (
    CURRENT,
    EXPIRED,
    REPEALED,
    SUPERSEDED,
    Stated,
    Validity,
    in_force,
    resolve_versions,
    series_key,
    stated_validity,
)


@pytest.mark.parametrize(
    ("text", "title", "issued", "expected"),
    [
        ("第三十条 本条例自2021年9月1日起施行。", None, None, Stated("2021-09-01")),
        ("本方案自印发之日起施行，有效期3年。", None, "2023-05-10", Stated("2023-05-10", "2026-05-10")),
        (
            "本办法自2020年1月1日起施行，有效期至2024年12月31日。",
            None,
            None,
            Stated("2020-01-01", "2024-12-31"),
        ),
        ("本意见有效期五年。", None, "2022-02-28", Stated(None, "2027-02-28")),
        ("", "某某三年行动实施方案（2024—2026年）", None, Stated("2024-01-01", "2026-12-31")),
        # a licence's term or another law's date is not the document's own
        ("许可证有效期为5年。新法自2019年1月1日起施行。", None, "2018-01-01", Stated()),
        (
            "本条例自2017年3月20日起施行。2011年通过的《上海市实施〈中华人民共和国食品安全法〉办法》同时废止。",
            "上海市食品安全条例",
            None,
            Stated("2017-03-20", None, ("上海市实施〈中华人民共和国食品安全法〉办法",)),
        ),
    ],
)
def test_stated_validity(text, title, issued, expected):
    assert stated_validity(text, title, issued) == expected


def meta(title, year=None, issuer=None, doc_type=None, **kw) -> DocumentMeta:
    return DocumentMeta(title=title, year=year, issuer=issuer, doc_type=doc_type, **kw)


TODAY = date(2026, 11, 24)


def test_a_document_repealed_by_another_in_the_library_is_repealed():
    v = resolve_versions(
        {
            "old": meta("甲市安全生产条例", valid_from="2005-01-01"),
            "new": meta("甲市安全生产监督条例", valid_from="2020-01-01", repeals=("甲市安全生产条例",)),
        },
        TODAY,
    )
    assert v["old"] == Validity(REPEALED, "2005-01-01", None, (), "new")
    assert v["new"] == Validity(CURRENT, "2020-01-01", None, ("old",), None)


def test_the_latest_edition_of_a_series_supersedes_the_earlier_ones():
    issuer = "重庆市渝中区人民政府"
    v = resolve_versions(
        {
            "y23": meta("2023年全区安全生产工作要点", 2023, issuer, "工作要点"),
            "y24": meta("2024年全区安全生产工作要点", 2024, issuer, "工作要点"),
            "y25": meta("2025年全区安全生产工作要点", 2025, issuer, "工作要点"),
            "other": meta("2024年全区安全生产工作要点", 2024, "重庆市江北区人民政府", "工作要点"),
        },
        TODAY,
    )
    assert (v["y23"].status, v["y23"].superseded_by) == (SUPERSEDED, "y25")
    assert (v["y24"].status, v["y24"].superseded_by) == (SUPERSEDED, "y25")
    assert v["y25"].supersedes == ("y23", "y24") and v["y25"].status is None  # nothing stated: unknown
    assert v["other"] == Validity()  # another issuer's plan is another series


def test_past_its_stated_end_a_document_has_expired_and_unknown_stays_unknown():
    v = resolve_versions(
        {"a": meta("甲", valid_from="2019-01-01", valid_to="2024-12-31"), "b": meta("乙")}, TODAY
    )
    assert v["a"].status == EXPIRED
    assert v["b"] == Validity()
    assert not in_force(v["a"]) and in_force(v["b"]) and in_force(None)


def test_a_plans_series_key_needs_a_year_a_series_type_and_an_issuer_or_place():
    assert series_key(meta("2024年全区工作要点", 2024, "某区政府", "工作要点")) == (
        "某区政府",
        "工作要点",
        "全区工作要点",
    )
    assert series_key(meta("2024年工作要点", None, "某区政府", "工作要点")) is None
    assert series_key(meta("关于开展安全检查的通知", 2024, "某区政府", "通知")) is None


def test_an_amended_statute_supersedes_its_earlier_edition_of_the_same_title():
    # a statute is published again under its whole title when amended; the earlier edition goes out
    assert series_key(meta("某某条例", 2024, "某省人大", "条例")) == ("某省人大", "条例", "某某条例")
    v = resolve_versions(
        {
            "old": meta("中华人民共和国生物安全法", 2020, "全国人民代表大会常务委员会", "法"),
            "new": meta("中华人民共和国生物安全法", 2024, "全国人民代表大会常务委员会", "法"),
            "other": meta("中华人民共和国突发事件应对法", 2024, "全国人民代表大会常务委员会", "法"),
            "old-by-title": meta("某院关于某罪适用法律若干问题的解释", 2013, None, "解释"),
            "new-by-title": meta("某院关于某罪适用法律若干问题的解释", 2021, None, "解释"),
        },
        TODAY,
    )
    assert (v["old"].status, v["old"].superseded_by, v["new"].supersedes) == (SUPERSEDED, "new", ("old",))
    assert v["new"].status is None and v["other"] == Validity()
    assert v["old-by-title"].superseded_by == "new-by-title"  # no issuer read: the title names it


def test_what_an_admin_declared_wins():
    v = resolve_versions(
        {
            "a": meta("甲办法", valid_from="2019-01-01", declared_status=EXPIRED),
            "b": meta("乙办法", declared_superseded_by="c"),
            "c": meta("丙办法"),
        },
        TODAY,
    )
    assert v["a"].status == EXPIRED
    assert (v["b"].status, v["b"].superseded_by, v["c"].supersedes) == (SUPERSEDED, "c", ("b",))
