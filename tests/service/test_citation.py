"""A citation of OCR-read text says which of its characters the engine was unsure of."""

from __future__ import annotations

from corpus.models import Chunk, Document, DocumentMeta
from index.records import DocRecord
from index.retriever import Hit
from service.answering.extractive import citation
from service.answering.spans import Span

TEXT = "一、总则\n第一条 为了加强安仝生产工作，制定本办法。"


def test_a_citation_carries_its_unsure_characters_at_offsets_within_the_quote():
    doc = Document(
        "d", "scan.pdf", "pdf", None, TEXT, DocumentMeta(title="t"), ocr_uncertain=[(14, 15), (0, 1)]
    )
    chunk = Chunk("c", "d", "scan.pdf", "t", (), TEXT, 0, len(TEXT), 0, ocr=True)
    hit = Hit(chunk, DocRecord("d", "scan.pdf", "f", DocumentMeta(title="t")), 1.0, 1, 1, 1, ())
    start = TEXT.index("第一条")
    cite = citation(1, Span(chunk, start, len(TEXT), TEXT[start:], False), hit, doc)
    assert [cite.quote[a:b] for a, b in cite.uncertain] == ["仝"]
    assert cite.to_dict()["uncertain"] == [[9, 10]]
    assert cite.ocr
