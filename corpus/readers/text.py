"""Plain text files in any common Chinese encoding."""

from corpus.encoding import decode_text
from corpus.readers.base import RawText


def read_text(data: bytes) -> RawText:
    text, encoding = decode_text(data)
    return RawText(text=normalise_newlines(text), format="text", encoding=encoding)


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
