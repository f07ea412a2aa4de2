"""Scanned PDFs: pages rendered from seed text, embedded as images, read back by OCR and marked."""

from __future__ import annotations

import io

import pytest

from corpus.chunking import ChunkingConfig
from corpus.errors import UnreadableDocument
from corpus.ocr import OcrPage, OcrUnavailable, reading_order, tesseract_page
from corpus.pipeline import ingest_bytes
from evaluation.ocr import cer, render_page

SEED = "003_dc79079f3b1ada4e.txt"


TSV_HEADER = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"


def _tsv(*words: tuple[int, str, float]) -> str:
    """Tesseract TSV rows: (line number, word, confidence 0-100), plus the line rows (level 4) it
    also writes."""
    rows = [TSV_HEADER]
    for line, word, conf in words:
        rows.append(f"4\t1\t1\t1\t{line}\t0\t0\t0\t0\t0\t-1\t")
        rows.append(f"5\t1\t1\t1\t{line}\t1\t0\t0\t0\t0\t{conf}\t{word}")
    return "\n".join(rows)


def test_tesseract_words_join_as_chinese_is_written_and_unsure_ones_are_marked():
    page = tesseract_page(
        _tsv(
            (1, "安全", 96),
            (1, "生严", 41.5),
            (1, "，第", 90),
            (1, "1", 88),
            (1, "条", 91),
            (2, "GB", 95),
            (2, "6441", 30),
        )
    )
    assert page.text == "安全生严，第 1 条\nGB 6441"
    assert [page.text[a:b] for a, b in page.uncertain] == ["生严", "6441"]
    assert tesseract_page(TSV_HEADER) == OcrPage("", ())


def test_reading_order_groups_boxes_into_lines_and_marks_unsure_boxes():
    boxes = [(52, 200, 20, "乙", 0.95), (50, 10, 20, "甲", 0.4), (90, 10, 20, "丙", 0.99)]
    page = reading_order(boxes)
    assert page.text == "甲乙\n丙"
    assert page.uncertain == ((0, 1),)


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
    # what the engine was unsure of stays inside the text it read, at offsets of the document's text
    assert all(any(c.start <= a < b <= c.end for c in ocr_chunks) for a, b in doc.ocr_uncertain)


def test_unsure_characters_keep_their_place_through_reflow_and_cleaning(monkeypatch):
    import corpus.readers.pdf as pdf

    read = OcrPage("  一、总则\n第一条 为了加强安仝生产工作，制定本办法。", ((16, 17),))
    monkeypatch.setattr(pdf, "default_engine", lambda: lambda image: read)
    doc, chunks = ingest_bytes("scan.pdf", _pdf(["一、总则"]), ChunkingConfig())
    assert [doc.text[a:b] for a, b in doc.ocr_uncertain] == ["仝"] and all(c.ocr for c in chunks)
    start = doc.text.index("第一条")
    assert doc.uncertain_in(start, start + 12) == ((9, 10),)  # 第一条 为了加强安[仝]
    assert doc.uncertain_in(0, 3) == ()


def test_without_an_ocr_engine_a_scan_is_refused_with_what_to_install(monkeypatch, scanned_text):
    import corpus.readers.pdf as pdf

    def missing():
        raise OcrUnavailable(
            "no OCR engine is installed here: apt-get install tesseract-ocr tesseract-ocr-chi-sim"
        )

    monkeypatch.setattr(pdf, "default_engine", missing)
    with pytest.raises(UnreadableDocument, match="tesseract-ocr-chi-sim"):
        ingest_bytes("scan.pdf", _pdf([scanned_text]), ChunkingConfig())
