"""Admin document management over HTTP: 401/403, upload -> searchable at once, refusals with reasons,
removal -> gone at once, nothing already indexed lost."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from service.api.app import create_app
from tests.service.conftest import make_engine

TOKENS = {
    "s3cret-staff": {"name": "staff", "groups": ["staff"]},
    "s3cret-admin": {"name": "admin", "admin": True},
}
ADMIN = {"Authorization": "Bearer s3cret-admin"}
STAFF = {"Authorization": "Bearer s3cret-staff"}
NOTICE = (
    "荣昌区夜市消防通道管理通知\n一、管理要求\n夜市摊位距消防栓不少于3米，由荣昌区夜市管理办公室每周巡查。\n"
)


@pytest.fixture()
def client(tmp_path, seeds_dir):
    engine = make_engine(tmp_path / "data", seeds_dir, tokens=TOKENS, max_file_mb=0.05)
    with TestClient(create_app(engine)) as c:
        yield c


def upload(client, name: str, text: str | bytes, headers=ADMIN, **form):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return client.post("/api/admin/documents", files={"file": (name, data)}, data=form, headers=headers)


def sources(client, headers=ADMIN) -> set[str]:
    return {d["source"] for d in client.get("/api/documents", headers=headers).json()["documents"]}


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/api/admin/documents"), ("POST", "/api/admin/documents"), ("DELETE", "/api/admin/documents/x")],
)
def test_admin_routes_need_an_admin_token(client, method, path):
    anonymous = client.request(method, path)
    assert anonymous.status_code == 401
    assert anonymous.headers["www-authenticate"] == "Bearer"
    assert client.request(method, path, headers=STAFF).status_code == 403
    assert client.request(method, path, headers={"Authorization": "Bearer wrong"}).status_code == 401


def test_an_upload_is_searchable_when_the_response_returns(client):
    before = len(sources(client))
    r = upload(client, "rongchang.txt", NOTICE)
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["source"] == "rongchang.txt" and body["chunks"] >= 1
    hits = client.post("/api/search", json={"query": "夜市摊位距消防栓多远"}).json()["results"]
    assert hits[0]["source"] == "rongchang.txt"
    assert len(sources(client)) == before + 1
    listed = client.get("/api/admin/documents", headers=ADMIN).json()
    row = next(d for d in listed["documents"] if d["source"] == "rongchang.txt")
    assert row["indexed"] and row["access"] == "public"
    assert listed["events"][0]["ok"] and listed["events"][0]["source"] == "rongchang.txt"
    assert client.get("/healthz").json()["generation"] == body["generation"]


def test_an_internal_upload_stays_internal(client):
    assert upload(client, "rongchang.txt", NOTICE, access="internal").status_code == 201
    assert "rongchang.txt" not in sources(client, headers={})
    assert "rongchang.txt" in sources(client, headers=STAFF)


@pytest.mark.parametrize(
    ("name", "payload", "status", "reason"),
    [
        ("big.txt", "安全" * 20_000, 413, "limit"),
        ("tool.exe", b"MZ\x00\x00", 415, "unsupported"),
        ("empty.txt", b"", 400, ""),
        ("notice.txt", NOTICE, 400, "access"),  # with a malformed access level
    ],
)
def test_bad_uploads_are_refused_with_a_reason_and_nothing_is_lost(client, name, payload, status, reason):
    before = sources(client)
    form = {"access": "top secret"} if reason == "access" else {}
    r = upload(client, name, payload, **form)
    assert r.status_code == status, r.text
    assert reason in r.json()["error"]
    assert sources(client) == before
    events = client.get("/api/admin/documents", headers=ADMIN).json()["events"]
    assert not events[0]["ok"] and events[0]["detail"] == r.json()["error"]


def test_a_different_file_of_a_stored_name_needs_replace(client):
    assert upload(client, "rongchang.txt", NOTICE).status_code == 201
    changed = NOTICE.replace("3米", "5米")
    refused = upload(client, "rongchang.txt", changed)
    assert refused.status_code == 409
    assert "replace=true" in refused.json()["error"]
    ok = upload(client, "rongchang.txt", changed, replace="true")
    assert ok.status_code == 201 and ok.json()["replaced"]
    hit = client.post("/api/search", json={"query": "夜市摊位距消防栓多远"}).json()["results"][0]
    assert "5米" in hit["text"]


def test_removing_a_document_takes_it_out_of_search_at_once(client):
    doc_id = upload(client, "rongchang.txt", NOTICE).json()["doc_id"]
    r = client.delete(f"/api/admin/documents/{doc_id}", headers=ADMIN)
    assert r.status_code == 200
    hits = client.post("/api/search", json={"query": "夜市摊位距消防栓多远", "k": 50}).json()["results"]
    assert all(h["doc_id"] != doc_id for h in hits)
    assert client.get(f"/api/documents/{doc_id}").status_code == 404
    assert client.delete(f"/api/admin/documents/{doc_id}", headers=ADMIN).status_code == 404


def test_an_uploaded_scan_is_searchable_and_its_results_say_ocr(client):
    from tests.corpus.test_ocr import _pdf

    scan = "荣昌区夜市消防通道管理通知\n夜市摊位距消防栓不少于三米"
    assert upload(client, "scan.pdf", _pdf([scan])).status_code == 201
    hit = client.post("/api/search", json={"query": "夜市摊位消防栓"}).json()["results"][0]
    assert hit["source"] == "scan.pdf" and hit["ocr"] is True and hit["page"] == 1
    answer = client.post("/api/ask", json={"question": "夜市摊位距消防栓多远"}).json()
    assert all(c["ocr"] for c in answer["citations"] if c["source"] == "scan.pdf")
    doc = client.get(f"/api/documents/{hit['doc_id']}").json()  # what OCR was unsure of, for the page to mark
    assert all(0 <= a < b <= len(doc["text"]) for a, b in doc["ocr_uncertain"])


def test_an_admin_sets_access_and_validity_and_search_follows(client):
    doc_id = upload(client, "rongchang.txt", NOTICE).json()["doc_id"]
    other = next(
        d["doc_id"] for d in client.get("/api/documents").json()["documents"] if d["doc_id"] != doc_id
    )
    r = client.patch(
        f"/api/admin/documents/{doc_id}",
        json={"status": "被替代", "superseded_by": other, "valid_to": "2025-12-31"},
        headers=ADMIN,
    )
    assert r.status_code == 200, r.text
    assert (r.json()["status"], r.json()["superseded_by"], r.json()["valid_to"]) == (
        "被替代",
        other,
        "2025-12-31",
    )
    hits = client.post("/api/search", json={"query": "夜市摊位距消防栓多远", "k": 20}).json()["results"]
    assert next(h for h in hits if h["doc_id"] == doc_id)["status"] == "被替代"  # and it now ranks lower
    assert (
        client.patch(f"/api/admin/documents/{doc_id}", json={"access": "internal"}, headers=ADMIN).status_code
        == 200
    )
    assert "rongchang.txt" not in sources(client, headers={})
    assert (
        client.patch(f"/api/admin/documents/{doc_id}", json={"status": "作废"}, headers=ADMIN).status_code
        == 422
    )
    bad = client.patch(f"/api/admin/documents/{doc_id}", json={"superseded_by": "nope"}, headers=ADMIN)
    assert bad.status_code == 400 and "superseded_by" in bad.json()["error"]
    assert (
        client.patch("/api/admin/documents/nope", json={"status": "已废止"}, headers=ADMIN).status_code == 404
    )
    assert (
        client.patch(f"/api/admin/documents/{doc_id}", json={"status": "已废止"}, headers=STAFF).status_code
        == 403
    )
