import pytest

from corpus.encoding import decode_text
from corpus.errors import UnreadableDocument

TEXT = "重庆市安全生产委员会关于印发《实施方案》的通知"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("gbk"), "gb18030"),
        (TEXT.encode("gb18030"), "gb18030"),
        (TEXT.encode("utf-16"), "utf-16"),
    ],
)
def test_decodes_common_chinese_encodings(data, encoding):
    text, found = decode_text(data)
    assert text == TEXT
    assert found == encoding


@pytest.mark.parametrize(
    ("data", "reason"), [(b"", "empty"), (b"  \n", "empty"), (b"\x00\x01\x02PK\x03\x04" * 20, "binary")]
)
def test_refuses_empty_and_binary(data, reason):
    with pytest.raises(UnreadableDocument, match=reason):
        decode_text(data)
