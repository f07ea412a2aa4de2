"""Round trips for each format, built in the test from seed text, and broken input of every kind."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from docx import Document as new_docx

from corpus.chunking import ChunkingConfig
from corpus.errors import UnreadableDocument, UnsupportedFormat
from corpus.pipeline import ingest_bytes, ingest_paths
from corpus.readers import read_bytes

SEED = "003_dc79079f3b1ada4e.txt"


@pytest.fixture(scope="module")
def seed_lines(seeds_dir) -> list[str]:
    return [ln for ln in (seeds_dir / SEED).read_text(encoding="utf-8").split("\n") if ln.strip()][:30]


def _docx_bytes(lines: list[str], styled: bool) -> bytes:
    doc = new_docx()
    for line in lines:
        if styled and line.startswith(("一、", "二、", "三、")):
            doc.add_heading(line, level=1)
        else:
            doc.add_paragraph(line)
    table = doc.add_table(rows=2, cols=3)
    for i, cell in enumerate(["序号", "名称", "2025年目标"]):
        table.rows[0].cells[i].text = cell
    for i, cell in enumerate(["1", "生产安全事故亡人数", "下降10%"]):
        table.rows[1].cells[i].text = cell
    doc.add_paragraph("表后说明。")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _pdf_bytes(lines: list[str]) -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    y = 800
    for line in lines:
        for k in range(0, len(line), 45):  # wrap like a printed page does
            c.setFont("STSong-Light", 10)
            c.drawString(40, y, line[k : k + 45])
            y -= 14
            if y < 60:
                c.setFont("STSong-Light", 10)
                c.drawString(280, 30, "— 1 —")
                c.showPage()
                y = 800
    c.showPage()
    c.save()
    return buf.getvalue()


def _html_bytes(lines: list[str], encoding: str = "utf-8") -> bytes:
    body = "".join(f"<p>{ln}</p>" for ln in lines)
    page = (
        f"<html><head><meta charset='{encoding}'><title>渝中区工作要点</title></head><body>"
        "<div class='nav'><a href='/'>首页</a> &gt; <a>政务公开</a> &gt; <a>政策文件</a></div>"
        "<ul class='menu'><li>注册</li><li>无障碍</li><li>适老版</li></ul>"
        "<table class='info'><tr><td>[ 发文字号 ]</td><td>渝府办〔2025〕3号</td></tr>"
        "<tr><td>[ 成文日期 ]</td><td>2025-02-18</td></tr></table>"
        f"<div class='article'>{body}</div>"
        "<div class='share'>分享到： 微信 微博</div><div>【打印】 【关闭】</div>"
        "<div class='related'><h3>相关链接</h3><a>其他文件一</a></div>"
        "<footer>版权所有：重庆市渝中区人民政府 网站标识码：5001030001</footer></body></html>"
    )
    return page.encode(encoding)


def _normalised(s: str) -> str:
    return "".join(s.split())


def test_docx_round_trip_keeps_order_headings_and_table_rows(seed_lines):
    raw = read_bytes("a.docx", _docx_bytes(seed_lines, styled=True))
    assert raw.format == "docx"
    assert _normalised(raw.text).startswith(_normalised("".join(seed_lines[:3])))
    assert "序号 | 名称 | 2025年目标\n1 | 生产安全事故亡人数 | 下降10%\n表后说明。" in raw.text
    assert len(raw.hints) == 3


@pytest.mark.parametrize("styled", [True, False])
def test_docx_outline_with_or_without_heading_styles(seed_lines, styled):
    doc, chunks = ingest_bytes("a.docx", _docx_bytes(seed_lines, styled), ChunkingConfig())
    assert [h.title for h in doc.outline if h.level == 1][:2] == [
        "一、深化安全责任体系,提升综合统筹能力",
        "二、深化风险防范体系,提升防范化解能力",
    ]
    target = next(c for c in chunks if "强化党政领导干部责任。" in c.text)
    assert target.section == ("一、深化安全责任体系,提升综合统筹能力", "(一)强化党政领导干部责任")
    assert doc.meta.issuer == "重庆市渝中区人民政府"


def test_pdf_round_trip_rejoins_wrapped_lines(seed_lines):
    doc, chunks = ingest_bytes("a.pdf", _pdf_bytes(seed_lines), ChunkingConfig())
    assert doc.format == "pdf"
    body = _normalised(doc.text)
    for line in seed_lines:
        assert _normalised(line) in body
    assert any(r.text == "— 1 —" for r in doc.removed)
    target = next(c for c in chunks if "强化党政领导干部责任。" in c.text)
    assert target.section[-1] == "(一)强化党政领导干部责任"
    assert doc.meta.issued_date == "2025-02-18"


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_html_article_body_without_portal_furniture(seed_lines, encoding):
    doc, _chunks = ingest_bytes("page.html", _html_bytes(seed_lines, encoding), ChunkingConfig())
    for junk in ("首页", "无障碍", "分享到", "打印", "相关链接", "版权所有"):
        assert junk not in doc.text
    body = _normalised(doc.text)
    for line in seed_lines[5:]:
        assert _normalised(line) in body
    assert doc.meta.doc_number == "渝府办〔2025〕3号"
    assert doc.meta.issued_date == "2025-02-18"


def test_markdown_statute(laws_dir):
    path = laws_dir / "行政法__突发事件应对法(2007-08-30).md"
    doc, chunks = ingest_bytes(path.name, path.read_bytes(), ChunkingConfig())
    assert doc.meta.title == "中华人民共和国突发事件应对法"
    assert doc.meta.region == "全国" and doc.meta.doc_type == "法"
    assert "#" not in doc.text and "INFO END" not in doc.text
    art = next(c for c in chunks if c.text.startswith("第七条"))
    assert art.section == ("第一章 总则", "第七条")


def test_gbk_text_file(seeds_dir):
    data = (seeds_dir / SEED).read_text(encoding="utf-8").encode("gbk", errors="replace")
    doc, _chunks = ingest_bytes("gbk.txt", data, ChunkingConfig())
    assert doc.encoding == "gb18030"
    assert doc.meta.issuer == "重庆市渝中区人民政府"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.md", b"   \n\n", "empty"),
        ("binary.txt", bytes(range(256)) * 8, "binary"),
        ("broken.docx", b"PK\x03\x04 truncated zip", "broken or truncated DOCX"),
        ("broken.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog", "PDF"),
        ("picture.png", b"\x89PNG\r\n", "unsupported file type"),
    ],
)
def test_broken_input_gives_a_clear_reason(name, data, message):
    with pytest.raises((UnreadableDocument, UnsupportedFormat), match=message):
        ingest_bytes(name, data, ChunkingConfig())


def test_scanned_pdf_without_text_layer():
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.rect(50, 50, 200, 200, fill=1)  # a picture, no text
    c.showPage()
    c.save()
    with pytest.raises(UnreadableDocument, match="no text layer and no readable text"):
        ingest_bytes("scan.pdf", buf.getvalue(), ChunkingConfig())


def test_truncated_docx_and_pdf(seed_lines):
    for name, data in (("t.docx", _docx_bytes(seed_lines, True)), ("t.pdf", _pdf_bytes(seed_lines))):
        with pytest.raises(UnreadableDocument):
            ingest_bytes(name, data[: len(data) // 3], ChunkingConfig())


def test_batch_goes_on_past_bad_files(tmp_path: Path, seeds_dir):
    (tmp_path / "good.txt").write_text((seeds_dir / SEED).read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "bin.pdf").write_bytes(b"\x00\x01garbage")
    (tmp_path / "note.xyz").write_text("x")
    (tmp_path / "gbk.txt").write_bytes("一、总体要求\n加强管理。".encode("gbk"))
    result = ingest_paths([tmp_path], ChunkingConfig())
    assert sorted(d.source for d in result.documents) == ["gbk.txt", "good.txt"]
    reasons = {Path(s.path).name: s.reason for s in result.skipped}
    assert set(reasons) == {"empty.txt", "bin.pdf", "note.xyz"}
    assert "empty" in reasons["empty.txt"]
    assert "unsupported" in reasons["note.xyz"]


def test_store_can_load_documents_without_chunks(tmp_path, seeds_dir):
    from corpus.store import CorpusStore

    result = ingest_paths([seeds_dir], ChunkingConfig())
    store = CorpusStore(tmp_path)
    store.upsert_all(result.documents, result.chunks)
    store.save()
    full, docs_only = CorpusStore(tmp_path).load(), CorpusStore(tmp_path).load(with_chunks=False)
    assert docs_only.documents.keys() == full.documents.keys()
    assert len(full.all_chunks()) == len(result.chunks) and docs_only.all_chunks() == []
