"""The admin's document management on the page, in a real browser: token in, upload with progress,
the new document listed and searchable, removal; a refused upload shows its reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.api.app import create_app
from tests.servers import served
from tests.service.conftest import make_engine
from tests.service.test_browser import ARGS, CHROMIUM, SHOTS

pytestmark = pytest.mark.browser
NOTICE = (
    "荣昌区夜市消防通道管理通知\n一、管理要求\n夜市摊位距消防栓不少于3米，由荣昌区夜市管理办公室每周巡查。\n"
)


@pytest.fixture(scope="module")
def admin_page(tmp_path_factory, seeds_dir):
    if not Path(CHROMIUM).exists():
        pytest.fail("chromium is not installed: run `make setup-browser` (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    folder = tmp_path_factory.mktemp("browser-admin")
    engine = make_engine(
        folder / "data", seeds_dir, tokens={"s3cret-admin": {"name": "admin", "admin": True}}
    )
    (folder / "rongchang.txt").write_text(NOTICE, encoding="utf-8")
    (folder / "tool.exe").write_bytes(b"MZ\x00\x00")
    with served(create_app(engine)) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        page.goto(url + "/")
        yield page, folder
        browser.close()


def test_an_admin_uploads_sees_and_removes_a_document(admin_page):
    page, folder = admin_page
    assert page.is_hidden("#admin")  # no token: no management view
    page.click("details.token summary")
    page.fill("#token", "s3cret-admin")
    page.click("#token-form button")
    page.wait_for_selector("#admin:not(.hidden)")
    page.set_input_files("#upload-file", str(folder / "rongchang.txt"))
    page.click("#upload-form button")
    page.locator("#admin-status", has_text="已上传").wait_for()  # the page's CSP forbids eval
    # the documents list reloads after the status is shown (loadAdmin is asynchronous): wait for it
    page.locator("#admin-docs tr", has_text="rongchang.txt").wait_for()
    assert "rongchang.txt" in page.inner_text("#admin-docs")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "admin-upload.png"), full_page=True)
    page.set_input_files("#upload-file", str(folder / "tool.exe"))
    page.click("#upload-form button")
    page.locator("#admin-status", has_text="未接受").wait_for()  # the page's CSP forbids eval
    assert "unsupported file type" in page.inner_text("#admin-status")
    # the events list reloads after the status is shown (loadAdmin is asynchronous): wait for it
    page.locator("#admin-events", has_text="未接受").wait_for()
    page.once("dialog", lambda d: d.accept())
    page.locator("#admin-docs tr", has_text="rongchang.txt").locator("button.remove").click()
    page.locator("#admin-status", has_text="已删除").wait_for()  # the page's CSP forbids eval
    page.locator("#admin-docs tr", has_text="rongchang.txt").wait_for(state="detached")  # list reloads
    assert "rongchang.txt" not in page.inner_text("#admin-docs")


def test_two_editions_compare_side_by_side_on_the_page(admin_page):
    page, folder = admin_page
    for year, n in ((2024, 10), (2025, 15)):
        path = folder / f"bishan_{year}.txt"
        path.write_text(
            f"{year}年璧山区安全生产工作要点\n重庆市璧山区人民政府\n一、救援队伍\n街道救援队伍不少于{n}人。\n",
            encoding="utf-8",
        )
        page.set_input_files("#upload-file", str(path))
        page.click("#upload-form button")
        page.locator("#admin-status", has_text=f"已上传 bishan_{year}.txt").wait_for()
    page.fill("#q", "璧山区街道救援队伍人数")
    page.click("#go")
    page.locator("#results .open").first.wait_for()
    page.locator("#results li", has_text="2024年璧山区").locator(".open").first.click()
    page.locator("button.compare", has_text="与新版对比").click()
    page.locator(".diff.changed").wait_for()
    text = page.inner_text("#viewer-text")
    assert "不少于10人" in text and "不少于15人" in text and "有变化：一、救援队伍" in text
    page.screenshot(path=str(SHOTS / "diff.png"), full_page=True)
