"""Scanned PDFs: pages rendered from seed text, embedded as images, read back by OCR and marked."""

from __future__ import annotations

import io

import pytest

from corpus.chunking import ChunkingConfig
from corpus.errors import UnreadableDocument
from corpus.ocr import OcrUnavailable, join_cjk_spaces, reading_order
from corpus.pipeline import ingest_bytes
from evaluation.ocr import cer, render_page

SEED = "003_dc79079f3b1ada4e.txt"


def test_join_cjk_spaces_keeps_latin_spacing():
    assert join_cjk_spaces("安 全 生 产 ， 第 1 条 GB 6441") == "安全生产，第 1 条 GB 6441"


def test_reading_order_groups_boxes_into_lines():
    boxes = [(52, 200, 20, "乙"), (50, 10, 20, "甲"), (90, 10, 20, "丙")]
    assert reading_order(boxes) == "甲乙\n丙"


def test_cer_counts_edits_per_expected_character():
    assert cer("安全生产", "安全生产") == 0.0
    assert cer("安全生产", "安仝生产") == 0.25
    assert cer("第一，", "第 一,") == 0.0  # spacing and full/half width are not errors


def _pdf(pages: list[str | None]) -> bytes:
    """One PDF page per item: text as a scanned image, or None for a page with a text layer."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(600, 850))
    for text in pages:
        if text is None:
            c.setFont("STSong-Light", 12)
            c.drawString(40, 800, "一、有文字层的一页")
            c.drawString(40, 780, "本页文字可以直接提取。")
        else:
            image = render_page(text)
            c.drawImage(ImageReader(image), 20, 20, width=560, height=560 * image.height / image.width)
        c.showPage()
    c.save()
    return buf.getvalue()


@pytest.fixture(scope="module")
def scanned_text(seeds_dir) -> str:
    lines = [ln.strip() for ln in (seeds_dir / SEED).read_text(encoding="utf-8").splitlines()]
    body = [ln for ln in lines if ln.startswith(("一、", "(一)", "(二)"))][:3]
    return "\n".join(ln[:30] for ln in body)


def test_a_scanned_page_is_read_and_its_chunks_marked(scanned_text):
    doc, chunks = ingest_bytes("scan.pdf", _pdf([None, scanned_text]), ChunkingConfig())
    ocr_chunks = [c for c in chunks if c.ocr]
    read = "\n".join(c.text for c in ocr_chunks)
    assert cer(scanned_text, read) < 0.1
    assert all(not c.ocr for c in chunks if "本页文字可以直接提取" in c.text)
    assert ocr_chunks and all(doc.text[c.start : c.end] == c.text for c in chunks)
    # the scanned text is on the second printed page, the text layer's on the first
    assert len(doc.page_starts) == 2
    assert all(doc.page_at(c.start) == 2 for c in ocr_chunks)
    assert [c.page for c in chunks] == [doc.page_at(c.start) for c in chunks]  # each chunk says its page
    assert doc.page_at(doc.text.index("本页文字可以直接提取")) == 1


def test_without_an_ocr_engine_a_scan_is_refused_with_what_to_install(monkeypatch, scanned_text):
    import corpus.readers.pdf as pdf

    def missing():
        raise OcrUnavailable(
            "no OCR engine is installed here: apt-get install tesseract-ocr tesseract-ocr-chi-sim"
        )

    monkeypatch.setattr(pdf, "default_engine", missing)
    with pytest.raises(UnreadableDocument, match="tesseract-ocr-chi-sim"):
        ingest_bytes("scan.pdf", _pdf([scanned_text]), ChunkingConfig())
