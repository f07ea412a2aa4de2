"""Need-to-know on every route: an internal or group-only marker document never reaches a reader who
may not read it: not its text, title, file name, id, a citation nor a facet value."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from service.api.app import create_app
from tests.service.conftest import make_engine

MARK = "璧山区应急物资储备库钥匙保管内部规定"
INTERNAL_TEXT = f"""{MARK}
一、保管要求
应急物资储备库钥匙由值班员甲乙丙保管，联系电话023-11112222，每月5日清点一次。
"""
GROUP_TEXT = """綦江区财务专项资金内部审计办法
一、审计要求
专项资金审计由丁戊己负责，每季度审计一次，审计经费不超过8万元。
"""
TOKENS = {
    "s3cret-staff": {"name": "staff", "groups": ["staff"]},
    "s3cret-fin": {"name": "fin", "groups": ["finance"]},
    "s3cret-admin": {"name": "admin", "admin": True},
}
INTERNAL_MARKERS = ("甲乙丙", "11112222", MARK, "internal_marker.txt", "璧山区")
GROUP_MARKERS = ("丁戊己", "綦江区财务", "group_marker.txt", "綦江区")


@pytest.fixture(scope="module")
def client(tmp_path_factory, seeds_dir):
    folder = tmp_path_factory.mktemp("access")
    (folder / "internal_marker.txt").write_text(INTERNAL_TEXT, encoding="utf-8")
    (folder / "group_marker.txt").write_text(GROUP_TEXT, encoding="utf-8")
    engine = make_engine(
        folder / "data",
        seeds_dir,
        extra=[(folder / "internal_marker.txt", "internal"), (folder / "group_marker.txt", "group:finance")],
        tokens=TOKENS,
    )
    with TestClient(create_app(engine)) as c:
        yield c


def auth(token: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"} if token else {}


def doc_ids(client, token) -> dict[str, str]:
    docs = client.get("/api/documents", headers=auth(token)).json()["documents"]
    return {d["source"]: d["doc_id"] for d in docs}


def every_route(client, token, question: str) -> list[str]:
    """Every response body a reader can get about ``question`` and the library, as text."""
    h = auth(token)
    ids = doc_ids(client, "s3cret-admin")
    bodies = [
        client.get("/api/search", params={"q": question}, headers=h),
        client.post("/api/search", json={"query": question, "k": 50}, headers=h),
        client.post("/api/search", json={"query": question, "filters": {"doc": "nope.txt"}}, headers=h),
        client.post("/api/search", json={"query": question, "filters": {"region": "某某"}}, headers=h),
        client.post("/api/ask", json={"question": question}, headers=h),
        client.post("/api/chat", json={"messages": [{"role": "user", "content": question}]}, headers=h),
        client.post(
            "/v1/chat/completions",
            json={"model": "policyqa", "messages": [{"role": "user", "content": question}]},
            headers=h,
        ),
        client.post(
            "/v1/chat/completions",
            json={"model": "policyqa", "stream": True, "messages": [{"role": "user", "content": question}]},
            headers=h,
        ),
        client.get("/api/documents", headers=h),
        client.get("/api/facets", headers=h),
        *(client.get(f"/api/documents/{i}", headers=h) for i in ids.values()),
        client.get("/", headers=h),
    ]
    return [r.text for r in bodies]


QUESTIONS = ("应急物资储备库钥匙由谁保管", "专项资金审计由谁负责", "内部规定 审计办法 有什么要求")


@pytest.mark.parametrize("question", QUESTIONS)
def test_anonymous_readers_never_receive_a_byte_of_internal_or_group_documents(client, question):
    text = "\n".join(every_route(client, None, question))
    for marker in INTERNAL_MARKERS + GROUP_MARKERS:
        assert marker not in text


@pytest.mark.parametrize("question", QUESTIONS)
def test_staff_read_internal_documents_but_not_another_groups(client, question):
    text = "\n".join(every_route(client, "s3cret-staff", question))
    for marker in GROUP_MARKERS:
        assert marker not in text


def test_the_right_readers_do_find_the_marker_documents(client):
    """The negative tests above mean something: the markers are findable by those allowed."""
    for token, question, marker in [
        ("s3cret-staff", "应急物资储备库钥匙由谁保管", "甲乙丙"),
        ("s3cret-fin", "专项资金审计由谁负责", "丁戊己"),
        ("s3cret-admin", "专项资金审计由谁负责", "丁戊己"),
    ]:
        body = client.post("/api/ask", json={"question": question}, headers=auth(token)).json()
        assert marker in json.dumps(body, ensure_ascii=False)
    assert "璧山区" in client.get("/api/facets", headers=auth("s3cret-staff")).json()["regions"]
    assert "綦江区" in client.get("/api/facets", headers=auth("s3cret-fin")).json()["regions"]


def test_a_hidden_document_is_not_found_rather_than_forbidden(client):
    ids = doc_ids(client, "s3cret-admin")
    hidden = ids["internal_marker.txt"]
    r = client.get(f"/api/documents/{hidden}")
    assert r.status_code == 404
    assert client.get(f"/api/documents/{hidden}", headers=auth("s3cret-staff")).status_code == 200


def test_an_unknown_token_is_refused_on_every_route(client):
    r = client.post("/api/search", json={"query": "消防"}, headers=auth("guess"))
    assert r.status_code == 401
    assert r.headers["www-authenticate"] == "Bearer"
    assert "unknown token" in r.json()["error"]


def test_the_query_reading_knows_only_the_readers_catalogue(client):
    """A place named only by a hidden document is not recognised for those who may not read it."""
    q = {"query": "璧山区储备库钥匙"}
    anonymous = client.post("/api/search", json=q).json()["understood"]
    staff = client.post("/api/search", json=q, headers=auth("s3cret-staff")).json()["understood"]
    assert "璧山区" not in anonymous["regions"]
    assert "璧山区" in staff["regions"]
