"""OFD (GB/T 33190, the national fixed-layout format): a zip of XML pages, read with lxml.

OFD.xml names the document root (DocBody/DocRoot) and its title (DocInfo/Title); Document.xml lists
the pages in order (Pages/Page@BaseLoc); each page's Content.xml places TextObjects (Boundary
"x y w h") holding TextCode runs. Reading order: text objects sorted top to bottom, then left to
right; objects on one baseline (within half a line) make one line. Layout wraps paragraphs, so a
line that runs to the page's right text edge continues on the next line, a shorter line ends its
paragraph (only the last line of a paragraph stops short) and an indented line begins one (公文
paragraphs open with a two-character indent).
A paragraph running over a page break is rejoined the same way; where each page starts is kept in
``RawText.fields['pages']``.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass

from lxml import etree

from corpus.errors import UnreadableDocument
from corpus.readers.base import RawText

NS = {"ofd": "http://www.ofdspec.org/2016"}
_MAX_PART_BYTES = 64 * 2**20  # one XML part; a zip bomb is refused, not inflated


@dataclass(frozen=True)
class _Run:
    x: float
    y: float
    right: float
    size: float
    text: str


def _parse(archive: zipfile.ZipFile, name: str) -> etree._Element:
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise UnreadableDocument(f"broken OFD: {name} is missing") from None
    if info.file_size > _MAX_PART_BYTES:
        raise UnreadableDocument(f"broken OFD: {name} is {info.file_size} bytes")
    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        return etree.fromstring(archive.read(name), parser)
    except etree.XMLSyntaxError as exc:
        raise UnreadableDocument(f"broken OFD: {name} is not well-formed XML ({exc})") from None


def _resolve(base: str, loc: str) -> str:
    """A location inside the package: absolute ('/Doc_0/...') or relative to the referring part."""
    loc = loc.strip()
    return posixpath.normpath(loc.lstrip("/") if loc.startswith("/") else posixpath.join(base, loc))


def _numbers(value: str | None) -> list[float]:
    try:
        return [float(v) for v in (value or "").split()]
    except ValueError:
        return []


def _runs(page: etree._Element) -> list[_Run]:
    runs = []
    for obj in page.iterfind(".//ofd:TextObject", NS):
        box = _numbers(obj.get("Boundary"))
        if len(box) != 4:
            continue
        x, y, w, h = box
        size = (_numbers(obj.get("Size")) or [h or 1.0])[0]
        text = "".join(code.text or "" for code in obj.iterfind("ofd:TextCode", NS))
        if text:
            runs.append(_Run(x, y, x + w, size, text))
    return runs


def _lines(runs: list[_Run]) -> list[tuple[str, float, float]]:
    """(text, left, right) per line, top to bottom."""
    lines: list[list[_Run]] = []
    for run in sorted(runs, key=lambda r: (r.y, r.x)):
        if lines and abs(lines[-1][0].y - run.y) <= lines[-1][0].size / 2:
            lines[-1].append(run)
        else:
            lines.append([run])
    out = []
    for line in lines:
        line.sort(key=lambda r: r.x)
        out.append(("".join(r.text for r in line), line[0].x, max(r.right for r in line)))
    return out


def assemble(pages: list[list[tuple[str, float, float]]]) -> tuple[str, list[int]]:
    """The text of all pages, wrapped lines rejoined (across page breaks too), and each page's start."""
    every = [line for page in pages for line in page]
    if not every:
        return "", []
    edge = max(right for _, _, right in every)
    margin = min(left for _, left, _ in every)
    text, _, right0 = every[0]
    size = max(1.0, (right0 - every[0][1]) / max(1, len(text)))  # about one character wide
    out: list[str] = []
    starts: list[int] = []
    length = 0
    open_paragraph = False
    for page in pages:
        for i, (line, left, right) in enumerate(page):
            if open_paragraph and left > margin + size / 2:  # an indented line (首行缩进) starts a paragraph
                open_paragraph = False
            if out and not open_paragraph:
                out.append("\n")
                length += 1
            if i == 0:
                starts.append(length)
            out.append(line)
            length += len(line)
            open_paragraph = right >= edge - size / 2  # ran to the edge: the paragraph goes on
        if not page:
            starts.append(length)
    return "".join(out), starts


def read_ofd(data: bytes) -> RawText:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise UnreadableDocument(f"broken OFD (not a zip package): {exc}") from None
    with archive:
        root = _parse(archive, "OFD.xml")
        doc_root = root.findtext(".//ofd:DocBody/ofd:DocRoot", namespaces=NS)
        if not doc_root:
            raise UnreadableDocument("broken OFD: OFD.xml names no DocRoot")
        title = (root.findtext(".//ofd:DocBody/ofd:DocInfo/ofd:Title", namespaces=NS) or "").strip() or None
        doc_path = _resolve("", doc_root)
        document = _parse(archive, doc_path)
        base = posixpath.dirname(doc_path)
        pages = []
        for page in document.iterfind(".//ofd:Pages/ofd:Page", NS):
            loc = page.get("BaseLoc")
            if loc:
                pages.append(_lines(_runs(_parse(archive, _resolve(base, loc)))))
    if not pages:
        raise UnreadableDocument("broken OFD: no pages")
    text, starts = assemble(pages)
    return RawText(text, "ofd", None, [], title, {"pages": ",".join(map(str, starts))})
