"""Turn the bytes of a text file into str: UTF-8 (with or without BOM), GBK/GB18030, or whatever
charset-normalizer finds; binary data is refused rather than decoded into garbage."""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from corpus.errors import UnreadableDocument

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def looks_binary(data: bytes, sample: int = 4096) -> bool:
    """NUL bytes or many control characters in the head of the data mean it is not text."""
    head = data[:sample]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return controls > max(8, len(head) // 50)


def decode_text(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name). Raises UnreadableDocument for empty or binary data."""
    if not data.strip():
        raise UnreadableDocument("empty file")
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data.decode(name), name
    if looks_binary(data):
        raise UnreadableDocument("binary data, not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        # GB18030 is a superset of GBK and GB2312: the usual encoding of older Chinese files.
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None:
        raise UnreadableDocument("could not detect the text encoding")
    return str(best), best.encoding
