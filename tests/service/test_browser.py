"""The staff page in a real browser: Playwright driving Debian's chromium (installed by `make setup-browser`).

Type a question, see the answer and its citation, click the citation, see the passage highlighted;
a screenshot is kept in results/screenshots/. Document text containing <script> shows as text.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from service.api.app import create_app
from tests.servers import served

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parents[2] / "results" / "screenshots"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-quic",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.browser
CONSOLE_ERRORS: list[str] = []  # what the browser reported while the tests drove the page


@pytest.fixture(scope="module")
def base_url(engine):
    with served(create_app(engine)) as url:
        yield url


@pytest.fixture(scope="module")
def page(base_url, tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.fail("chromium is not installed: run `make setup-browser` (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        pg = context.new_page()
        pg.on("console", lambda m: CONSOLE_ERRORS.append(m.text) if m.type == "error" else None)
        pg.goto(base_url + "/")
        yield pg
        context.close()
        browser.close()


def test_question_answer_citation_and_highlighted_passage(page, engine):
    page.fill("#q", "重大事故隐患按期整改率")
    page.click("#go")
    page.wait_for_selector("#answer:not(.hidden) a.cite")
    answer = page.inner_text("#answer-text")
    assert "100%" in answer
    assert page.locator("#results li").count() > 0
    assert page.locator("#results mark").count() > 0  # matched terms highlighted
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "answer.png"), full_page=True)

    page.locator("#answer-text a.cite").first.click()
    page.wait_for_selector("#viewer:not(.hidden) mark.cited")
    cited = page.inner_text("#viewer mark.cited")
    assert (cited and cited in answer.replace("\n", "")) or cited.replace("\n", "") in answer.replace(
        "\n", ""
    )
    assert page.locator("#viewer mark.cited").is_visible()
    page.screenshot(path=str(SHOTS / "citation.png"))
    page.click("#viewer-close")


def test_filters_are_offered(page):
    regions = page.locator("#f-region option").all_inner_texts()
    assert "渝中区" in regions and "江北区" in regions


def test_document_text_is_escaped(page, engine):
    doc_id = next(iter(engine.documents))
    doc = engine.documents[doc_id]
    saved = doc.text
    doc.text = "<script>window.__pwned = 1</script><b>粗体</b>" + saved
    try:
        page.evaluate(f"openDocument({doc_id!r}, 0, 20)")
        page.wait_for_selector("#viewer:not(.hidden) mark.cited")
        assert "<script>" in page.inner_text("#viewer-text")
        assert page.evaluate("window.__pwned === undefined")
        assert page.locator("#viewer-text b").count() == 0
    finally:
        doc.text = saved
        page.click("#viewer-close")


def test_document_view_marks_what_ocr_was_unsure_of(page, engine):
    """Low-confidence OCR characters are marked in the document view, inside and outside the cited passage."""
    doc_id = next(iter(engine.documents))
    doc = engine.documents[doc_id]
    saved = doc.ocr_uncertain
    doc.ocr_uncertain = [(2, 4), (30, 31), (15, 25)]  # one before, one across the passage's end, one after
    try:
        page.evaluate(f"openDocument({doc_id!r}, 10, 20)")
        page.wait_for_selector("#viewer:not(.hidden) mark.ocr-uncertain")
        marks = page.locator("#viewer-text mark.ocr-uncertain").all_inner_texts()
        assert marks == [doc.text[2:4], doc.text[15:20], doc.text[20:25], doc.text[30:31]]
        assert page.locator("#viewer-text mark.cited mark.ocr-uncertain").all_inner_texts() == [
            doc.text[15:20]
        ]
        assert page.inner_text("#viewer-text").replace("\n", "") == doc.text.replace("\n", "")
    finally:
        doc.ocr_uncertain = saved
        page.click("#viewer-close")


def test_result_snippets_mark_what_ocr_was_unsure_of(page, engine):
    """The search results underline the low-confidence OCR characters of each passage, as the document view does."""
    hits = engine.search("街道应急救援队伍人数要求", k=1).hits
    chunk = hits[0].chunk
    doc = engine.documents[chunk.doc_id]
    saved = doc.ocr_uncertain
    doc.ocr_uncertain = [(chunk.start + 3, chunk.start + 5)]
    try:
        page.fill("#q", "街道应急救援队伍人数要求")
        page.click("#go")
        page.wait_for_selector("#results li .text mark.ocr-uncertain")
        first = page.locator("#results li").first
        assert first.locator(".text mark.ocr-uncertain").all_inner_texts() == [chunk.text[3:5]]
    finally:
        doc.ocr_uncertain = saved


def test_query_text_is_escaped(page):
    page.fill("#q", "<img src=x onerror=window.__pwned2=1>安全生产")
    page.click("#go")
    page.wait_for_selector("#answer:not(.hidden)")
    time.sleep(0.3)
    assert page.evaluate("window.__pwned2 === undefined")
    assert page.locator("#answer-text img, #results img").count() == 0


def _ask(page, question: str) -> str:
    page.fill("#q", question)
    page.click("#go")
    page.wait_for_selector("#answer:not(.hidden)")
    page.wait_for_function("q => document.querySelector('#answer-text').innerText.length > 0", arg=question)
    time.sleep(0.3)
    return page.inner_text("#answer-text")


def test_table_answer_shows_the_row_under_its_header(page):
    answer = _ask(page, "城市管网漏损率控制在多少")
    assert "9%" in answer
    assert page.locator("#answer-text .direct").count() == 1
    assert page.locator("#citations table.row th").count() >= 2  # the row's header names
    # a related passage that is a piece of an annex table reads as one too, not as "序号 |" lines
    assert page.locator("#results table.rows th", has_text="责任单位").count() >= 1
    assert "序号 |" not in page.inner_text("#results")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "table-answer.png"), full_page=True)


def test_comparison_reads_side_by_side_one_cited_row_per_region(page):
    answer = _ask(page, "渝中区和江北区的安全生产工作目标有何不同")
    assert "渝中区" in answer and "江北区" in answer
    rows = page.locator("#answer-text table.comparison tbody tr")
    assert rows.count() >= 2
    assert {rows.nth(i).locator("th").inner_text() for i in range(rows.count())} >= {"渝中区", "江北区"}
    assert page.locator("#answer-text table.comparison a.cite").count() >= 2
    page.screenshot(path=str(SHOTS / "comparison.png"), full_page=True)


def test_a_question_the_documents_do_not_answer_is_declined(page):
    _ask(page, "渝中区应急管理局局长是谁")
    assert page.locator("#answer-text.declined").count() == 1
    page.screenshot(path=str(SHOTS / "declined.png"), full_page=True)


def test_a_date_the_documents_do_not_give_is_declined_naming_what_they_do_say(page):
    answer = _ask(page, "老旧小区燃气管道改造什么时候完成")
    assert page.locator("#answer-text.declined").count() == 1
    assert "但没有给出时间或期限" in answer and "燃气管道" in answer
    page.screenshot(path=str(SHOTS / "declined-date.png"), full_page=True)


def test_the_page_runs_under_its_content_security_policy(page, base_url):
    """Run last in this module: every interaction above happened under the CSP without a violation."""
    csp = page.evaluate("fetch('/').then(r => r.headers.get('content-security-policy'))")
    assert "script-src 'self'" in csp
    assert not [m for m in CONSOLE_ERRORS if "Content Security Policy" in m]
