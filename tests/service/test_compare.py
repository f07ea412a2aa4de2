"""A comparison reads side by side: one row per place it names, cited, or saying the documents are silent."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from service.api.app import create_app
from tests.service.conftest import make_engine


@pytest.fixture(scope="module")
def client(tmp_path_factory, seeds_dir):
    folder = tmp_path_factory.mktemp("compare")
    other = folder / "docs"
    other.mkdir()
    (other / "rongchang_food.txt").write_text(
        "2025年荣昌区食品安全工作要点\n重庆市荣昌区人民政府\n一、餐饮监管\n推进餐饮单位明厨亮灶建设，抽检合格率保持在98%以上。\n",
        encoding="utf-8",
    )
    engine = make_engine(folder / "data", seeds_dir, extra=[(other, "public")])
    with TestClient(create_app(engine)) as c:
        yield c


def test_each_named_place_gets_a_row_and_a_silent_one_says_so(client):
    body = client.post(
        "/api/ask", json={"question": "渝中区和荣昌区对街道应急救援队伍人员配备的要求有什么不同"}
    ).json()
    assert body["answerable"]
    rows = {r["label"]: r for r in body["comparison"]}
    assert rows["渝中区"]["text"] and rows["渝中区"]["citation"] in {c["n"] for c in body["citations"]}
    assert rows["荣昌区"] == {"label": "荣昌区", "text": None, "citation": None}
    assert "荣昌区：现有文件中未找到相关内容。" in body["answer"]


def test_a_plain_question_has_no_comparison(client):
    body = client.post("/api/ask", json={"question": "街道应急救援队伍人数要求"}).json()
    assert "comparison" not in body
