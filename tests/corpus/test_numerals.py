import pytest

from corpus.numerals import cn_to_int


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("一", 1),
        ("十", 10),
        ("十三", 13),
        ("二十", 20),
        ("二十一", 21),
        ("一百零五", 105),
        ("12", 12),
        ("两", 2),
    ],
)
def test_cn_to_int(text, value):
    assert cn_to_int(text) == value


@pytest.mark.parametrize("text", ["", "甲", "十a"])
def test_cn_to_int_rejects_non_numerals(text):
    assert cn_to_int(text) is None
