"""Measuring OCR: pages rendered from known text (a scanned page's stand-in) and the character error
rate of what an engine reads back."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from rapidfuzz.distance import Levenshtein

FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
)


def cjk_font(size: int):
    from PIL import ImageFont

    for path in FONTS:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    raise FileNotFoundError(f"no Chinese font found ({', '.join(FONTS)}): apt-get install fonts-wqy-zenhei")


def render_page(text: str, size: int = 28, margin: int = 60):
    """A white page with ``text`` in black, one line per text line, at about 200 dpi for A4 body text."""
    from PIL import Image, ImageDraw

    font = cjk_font(size)
    lines = text.split("\n")
    width = margin * 2 + size * max((len(ln) for ln in lines), default=1)
    height = margin * 2 + int(size * 1.6) * len(lines)
    page = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    for i, line in enumerate(lines):
        draw.text((margin, margin + i * int(size * 1.6)), line, font=font, fill=0)
    return page


def cer(expected: str, read: str) -> float:
    """Character error rate, whitespace ignored and full/half-width forms folded (NFKC: '，' and ','
    are one character to a reader): edits needed / characters expected."""
    a, b = ("".join(unicodedata.normalize("NFKC", t).split()) for t in (expected, read))
    return Levenshtein.distance(a, b) / max(1, len(a))


def misread_positions(expected: str, read: str) -> list[int]:
    """Offsets in ``read`` of the characters an edit touches (a wrong, extra or dropped character;
    a dropped one at the next character read), whitespace ignored and NFKC-folded as in ``cer``."""
    kept = [i for i, ch in enumerate(read) if not ch.isspace()]
    a = "".join(unicodedata.normalize("NFKC", expected).split())
    b = "".join(unicodedata.normalize("NFKC", read[i]) for i in kept)
    if len(b) != len(kept):  # a character NFKC widens: fall back to the unfolded text
        b = "".join(read[i] for i in kept)
    out: set[int] = set()
    for op, _, _, j1, j2 in Levenshtein.opcodes(a, b):
        if op in ("replace", "insert"):
            out.update(kept[j] for j in range(j1, j2))
        elif op == "delete" and kept:
            out.add(kept[min(j1, len(kept) - 1)])
    return sorted(out)


def marker_quality(expected: str, read: str, uncertain: list[tuple[int, int]]) -> dict[str, int]:
    """How well the low-confidence marks point at misreadings: misread characters, how many of them
    are marked, and how many characters are marked at all."""
    marked = {i for a, b in uncertain for i in range(a, b)}
    wrong = misread_positions(expected, read)
    return {
        "misread": len(wrong),
        "misread_marked": sum(1 for i in wrong if i in marked),
        "marked": len(marked),
        "chars": sum(1 for ch in read if not ch.isspace()),
    }
