"""OFD: a package built in the test from a whole seed round-trips its text, offsets and outline the
way the seed's own text file does; broken packages are refused with a reason."""

from __future__ import annotations

import io
import zipfile

import pytest

from corpus.chunking import ChunkingConfig
from corpus.errors import UnreadableDocument
from corpus.pipeline import ingest_bytes
from corpus.readers import read_bytes
from tests.ofd_maker import make_ofd

SEEDS = ("001_7abf8ebdae7f05a1.txt", "003_dc79079f3b1ada4e.txt", "004_11991b16ff05d012.txt")


def paragraphs(text: str) -> list[str]:
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.strip().isdigit()]


@pytest.mark.parametrize("seed", SEEDS)
def test_an_ofd_of_a_seed_reads_like_the_seed(seeds_dir, seed):
    text = (seeds_dir / seed).read_text(encoding="utf-8")
    expected, expected_chunks = ingest_bytes("a.txt", text.encode("utf-8"), ChunkingConfig())
    doc, chunks = ingest_bytes("a.ofd", make_ofd(text, title=expected.meta.title), ChunkingConfig())
    assert doc.format == "ofd"
    # paragraphs come back whole (wrapped lines rejoined) and in reading order; a lone page number
    # that seed 004 carries from its scraped PDF is cleaned away only where blank lines surround it
    assert paragraphs(doc.text) == paragraphs(expected.text)
    assert [(h.level, h.title) for h in doc.outline] == [(h.level, h.title) for h in expected.outline]
    assert [c.section for c in chunks] == [c.section for c in expected_chunks]
    for c in chunks:
        assert doc.text[c.start : c.end] == c.text
    assert doc.meta.title == expected.meta.title


def test_pages_are_read_in_order_and_their_starts_kept(seeds_dir):
    text = (seeds_dir / SEEDS[1]).read_text(encoding="utf-8")
    raw = read_bytes("a.ofd", make_ofd(text, lines_per_page=10))
    starts = [int(s) for s in raw.fields["pages"].split(",")]
    assert len(starts) > 5 and starts == sorted(starts) and starts[0] == 0
    assert raw.text.index("一、") < raw.text.index("二、") < raw.text.index("三、")


def _zip(parts: dict[str, str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, body in parts.items():
            z.writestr(name, body)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"not a zip at all", "not a zip"),
        (_zip({"Doc_0/Document.xml": "<x/>"}), "OFD.xml is missing"),
        (_zip({"OFD.xml": "<ofd:OFD xmlns:ofd='http://www.ofdspec.org/2016'><oops"}), "not well-formed"),
        (_zip({"OFD.xml": "<ofd:OFD xmlns:ofd='http://www.ofdspec.org/2016'/>"}), "no DocRoot"),
        (make_ofd("")[:200], "not a zip"),  # truncated
    ],
)
def test_broken_ofd_packages_are_refused_with_a_reason(data, reason):
    with pytest.raises(UnreadableDocument, match=reason):
        read_bytes("broken.ofd", data)
