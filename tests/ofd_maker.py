"""Write a minimal valid OFD package (GB/T 33190) from plain text, as an office suite lays it out:
one TextObject per printed line, paragraphs wrapped at a fixed width with a two-character indent."""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

NS = "http://www.ofdspec.org/2016"
SIZE = 5.0  # mm per character


def _page(lines: list[tuple[str, float]], top: float = 20.0) -> str:
    objects = []
    for i, (text, x) in enumerate(lines):
        y = top + i * SIZE * 1.5
        objects.append(
            f'<ofd:TextObject ID="{i + 1}" Boundary="{x} {y} {len(text) * SIZE} {SIZE}" Font="1" Size="{SIZE}">'
            f'<ofd:TextCode X="0" Y="{SIZE}">{escape(text)}</ofd:TextCode></ofd:TextObject>'
        )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{NS}"><ofd:Content><ofd:Layer ID="0">'
        + "".join(objects)
        + "</ofd:Layer></ofd:Content></ofd:Page>"
    )


def make_ofd(text: str, title: str | None = None, width: int = 30, lines_per_page: int = 40) -> bytes:
    printed: list[tuple[str, float]] = []
    left = 25.0
    for paragraph in (p.strip() for p in text.splitlines()):
        if not paragraph:
            continue
        body = width - 2
        first, rest = paragraph[:body], paragraph[body:]
        printed.append((first, left + 2 * SIZE))  # indented first line
        printed.extend((rest[i : i + width], left) for i in range(0, len(rest), width))
    pages = [printed[i : i + lines_per_page] for i in range(0, len(printed), lines_per_page)] or [[]]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        info = f"<ofd:DocInfo><ofd:Title>{escape(title)}</ofd:Title></ofd:DocInfo>" if title else ""
        z.writestr(
            "OFD.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="{NS}" Version="1.0" DocType="OFD">'
            f"<ofd:DocBody>{info}<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>",
        )
        listed = "".join(
            f'<ofd:Page ID="{i + 1}" BaseLoc="Pages/Page_{i}/Content.xml"/>' for i in range(len(pages))
        )
        z.writestr(
            "Doc_0/Document.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{NS}"><ofd:CommonData>'
            f"<ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea></ofd:CommonData>"
            f"<ofd:Pages>{listed}</ofd:Pages></ofd:Document>",
        )
        for i, lines in enumerate(pages):
            z.writestr(f"Doc_0/Pages/Page_{i}/Content.xml", _page(lines))
    return buf.getvalue()
