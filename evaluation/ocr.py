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
