"""The HTTP contract (docs/CONTRACT.md) and every error path: a 4xx with a JSON error, never a 500."""

from __future__ import annotations

import json

import pytest


def test_healthz(client):
    body = client.get("/healthz").json()
    assert body["status"] == "ok" and body["documents"] == 5 and body["chunks"] > 100
    assert body["generation"].startswith("gen-")


def test_search_get_and_post_shape(client, engine):
    for resp in (
        client.get("/api/search", params={"q": "街道应急救援队伍人数要求", "k": 5}),
        client.post("/api/search", json={"query": "街道应急救援队伍人数要求", "k": 5}),
    ):
        assert resp.status_code == 200
        body = resp.json()
        assert body["query"] == "街道应急救援队伍人数要求"
        assert len(body["results"]) == 5
        r = body["results"][0]
        assert {
            "rank",
            "chunk_id",
            "doc_id",
            "source",
            "title",
            "section",
            "text",
            "start",
            "end",
            "score",
        } <= set(r)
        assert engine.document(r["doc_id"]).text[r["start"] : r["end"]] == r["text"]


def test_a_table_passage_comes_with_its_rows_under_their_header(client):
    body = client.get("/api/search", params={"q": "抓好应急指挥部和队伍建设 责任单位", "k": 10}).json()
    tables = [r for r in body["results"] if r["rows"]]
    assert tables, "no annex-table passage among the results"
    rows = [dict(row) for r in tables for row in r["rows"]]
    assert any(
        row.get("名称") == "抓好应急指挥部和队伍建设" and "区应急管理局" in row.get("责任单位", "")
        for row in rows
    )
    assert all("序号" not in row for row in rows)
    assert all(r["rows"] == [] for r in body["results"] if "|" not in r["text"])  # prose has none


def test_search_filters(client):
    body = client.get("/api/search", params={"q": "安全生产", "k": 20, "region": "江北区"}).json()
    assert {r["region"] for r in body["results"]} == {"江北区"}
    body = client.post(
        "/api/search",
        json={"query": "安全生产", "k": 20, "filters": {"year": "2025", "doc_type": "工作要点"}},
    ).json()
    assert body["results"] and all(r["date"].startswith("2025") for r in body["results"])


def test_ask_shape_and_verbatim_citations(client, engine):
    body = client.post("/api/ask", json={"question": "重大事故隐患按期整改率"}).json()
    assert body["answerable"] is True
    assert body["citations"]
    for c in body["citations"]:
        assert f"[{c['n']}]" in body["answer"]
        assert engine.document(c["doc_id"]).text[c["start"] : c["end"]] == c["quote"]
        assert {"n", "chunk_id", "doc_id", "source", "title", "section", "quote", "start", "end"} <= set(c)


def test_document_view(client, engine):
    doc_id = next(iter(engine.documents))
    body = client.get(f"/api/documents/{doc_id}").json()
    assert body["text"] == engine.document(doc_id).text
    assert body["meta"]["title"] and body["outline"]
    assert body["ocr_uncertain"] == []  # a text document: nothing read by OCR
    assert client.get("/api/documents/nope").status_code == 404
    assert client.get("/api/documents/nope").json()["error"] == "no document with id 'nope'"


def test_facets(client):
    f = client.get("/api/facets").json()
    assert "渝中区" in f["regions"] and 2025 in f["years"] and "工作要点" in f["doc_types"]


def test_openapi_docs(client):
    assert client.get("/openapi.json").status_code == 200
    assert client.get("/docs").status_code == 200


def test_page_is_served_without_external_assets(client):
    page = client.get("/")
    assert page.status_code == 200 and "政策文件检索与问答" in page.text
    assert "http://" not in page.text and "https://" not in page.text
    for asset in ("/static/app.js", "/static/style.css"):
        assert client.get(asset).status_code == 200


BAD = [
    ("get", "/api/search", {"params": {"q": ""}}, 422, "q"),
    ("get", "/api/search", {"params": {"q": "   "}}, 422, "q"),
    ("get", "/api/search", {"params": {}}, 422, "q"),
    ("get", "/api/search", {"params": {"q": "长" * 501}}, 422, "q"),
    ("get", "/api/search", {"params": {"q": "安全", "k": 0}}, 422, "k"),
    ("get", "/api/search", {"params": {"q": "安全", "k": 1000}}, 422, "k"),
    ("get", "/api/search", {"params": {"q": "安全", "k": "ten"}}, 422, "k"),
    ("get", "/api/search", {"params": {"q": "安全", "colour": "red"}}, 400, "unknown parameter"),
    ("get", "/api/search", {"params": {"q": "安全", "region": "火星区"}}, 400, "no document has region"),
    ("get", "/api/search", {"params": {"q": "安全", "year": "soon"}}, 400, "must be a year"),
    ("post", "/api/search", {"json": {"query": ""}}, 422, "query"),
    ("post", "/api/search", {"json": {"query": "安全", "k": "5"}}, 422, "k"),
    ("post", "/api/search", {"json": {"query": "安全", "filters": {"planet": "x"}}}, 400, "unknown filter"),
    ("post", "/api/search", {"json": {"query": "安全", "filters": "渝中区"}}, 422, "filters"),
    ("post", "/api/search", {"json": {"query": "安全", "extra": 1}}, 422, "extra"),
    ("post", "/api/search", {"json": ["安全"]}, 422, ""),
    (
        "post",
        "/api/search",
        {"content": b"{not json", "headers": {"content-type": "application/json"}},
        422,
        "not valid JSON",
    ),
    ("post", "/api/ask", {"json": {"question": 5}}, 422, "question"),
    ("post", "/api/ask", {"json": {"question": "   "}}, 422, "question"),
    ("post", "/api/ask", {"json": {"question": "长" * 600}}, 422, "question"),
    ("post", "/api/ask", {"json": {}}, 422, "question"),
    ("post", "/api/chat", {"json": {"messages": []}}, 422, "messages"),
    ("post", "/api/chat", {"json": {"messages": [{"role": "robot", "content": "x"}]}}, 422, "role"),
    (
        "post",
        "/api/chat",
        {"json": {"messages": [{"role": "user", "content": "问题"}, {"role": "assistant", "content": "答"}]}},
        400,
        "last message",
    ),
    (
        "post",
        "/v1/chat/completions",
        {"json": {"messages": [{"role": "assistant", "content": "x"}]}},
        400,
        "last message",
    ),
    ("post", "/v1/chat/completions", {"json": {"model": "x"}}, 422, "messages"),
    ("put", "/api/ask", {"json": {"question": "x"}}, 405, "not allowed"),
    ("get", "/api/nothing", {}, 404, "no such path"),
]


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status", "message"), BAD, ids=[f"{b[1]}-{i}" for i, b in enumerate(BAD)]
)
def test_bad_input_gets_a_clear_4xx(client, method, path, kwargs, status, message):
    resp = getattr(client, method)(path, **kwargs)
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert isinstance(body["error"], str) and message in body["error"]


def test_bad_input_loses_nothing(client):
    before = client.get("/healthz").json()
    client.post("/api/search", content=b"\xff\xfe garbage", headers={"content-type": "application/json"})
    client.get("/api/search", params={"q": "安全", "region": "火星区"})
    assert client.get("/healthz").json() == before


def test_chat_follow_up_and_citation_lookup(client):
    first = client.post(
        "/api/chat", json={"messages": [{"role": "user", "content": "渝中区火灾起数下降目标"}]}
    ).json()
    follow = client.post(
        "/api/chat",
        json={
            "messages": [
                {"role": "user", "content": "渝中区火灾起数下降目标"},
                {"role": "assistant", "content": first["answer"]},
                {"role": "user", "content": "那江北区呢?"},
            ]
        },
    ).json()
    assert follow["resolved_question"] == "江北区火灾起数下降目标"
    cite = client.post(
        "/api/chat",
        json={
            "messages": [
                {"role": "user", "content": "重大事故隐患按期整改率"},
                {"role": "assistant", "content": "…"},
                {"role": "user", "content": "第一条引用的原文是什么"},
            ]
        },
    ).json()
    assert cite["answerable"] and cite["citations"][0]["quote"] in cite["answer"]


def test_openai_completion_carries_citations(client):
    body = client.post(
        "/v1/chat/completions",
        json={"model": "policyqa", "messages": [{"role": "user", "content": "重大事故隐患按期整改率"}]},
    ).json()
    assert body["object"] == "chat.completion"
    content = body["choices"][0]["message"]["content"]
    assert body["references"] and all(f"[{r['n']}]" in content for r in body["references"])


def test_openai_streaming_as_server_sent_events(client):
    with client.stream(
        "POST",
        "/v1/chat/completions",
        json={"stream": True, "messages": [{"role": "user", "content": "重大事故隐患按期整改率"}]},
    ) as resp:
        assert resp.headers["content-type"].startswith("text/event-stream")
        events = [line[6:] for line in resp.iter_lines() if line.startswith("data: ")]
    assert events[-1] == "[DONE]"
    chunks = [json.loads(e) for e in events[:-1]]
    text = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks)
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop"
    refs = chunks[-1]["references"]
    assert refs and all(f"[{r['n']}]" in text for r in refs)


_JSON = {"content-type": "application/json"}
_SURROGATE = '"\\ud800"'  # a lone UTF-16 surrogate, as a JSON escape


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("POST", "/api/search", '{"query": "安全", "filters": {"region": ' + _SURROGATE + "}}"),
        ("POST", "/api/search", '{"query": "安全", "filters": {' + _SURROGATE + ': "x"}}'),
        ("POST", "/api/search", '{"query": ' + _SURROGATE + "}"),
        ("POST", "/api/ask", '{"question": "安全", "filters": {"doc": ' + _SURROGATE + "}}"),
        ("POST", "/api/ask", '{"question": "安全", "filters": {"doc_type": [' + _SURROGATE + "]}}"),
        ("POST", "/api/chat", '{"messages": [{"role": "user", "content": ' + _SURROGATE + "}]}"),
        (
            "POST",
            "/v1/chat/completions",
            '{"model": ' + _SURROGATE + ', "messages": [{"role": "user", "content": "安全"}]}',
        ),
        (
            "POST",
            "/v1/chat/completions",
            '{"model": '
            + _SURROGATE
            + ', "stream": true, "messages": [{"role": "user", "content": "安全"}]}',
        ),
    ],
)
def test_lone_surrogates_are_a_4xx_json_error_never_a_500(client, method, url, body):
    r = client.request(method, url, content=body.encode(), headers=_JSON)
    assert 400 <= r.status_code < 500
    assert "error" in r.json()


@pytest.mark.parametrize(
    ("url", "body", "status"),
    [
        ("/api/chat", '{"messages": [{"role": "user", "content": "\\u0000\\u0000\\u0000"}]}', 400),
        # the schema itself says a query needs a letter or digit (pattern), so these are 422
        ("/api/search", '{"query": "\\u200b\\u200b"}', 422),
        ("/api/ask", '{"question": "\\u0000 \\ufeff"}', 422),
    ],
)
def test_text_with_nothing_to_search_for_is_refused(client, url, body, status):
    r = client.post(url, content=body.encode(), headers=_JSON)
    assert r.status_code == status
    assert "error" in r.json()


@pytest.mark.parametrize("query", ["%ED%A0%80", "%00%00"])
def test_invalid_utf8_or_nul_bytes_in_the_url_are_refused(client, query):
    r = client.get(f"/api/search?q={query}")
    assert r.status_code == 422 and "error" in r.json()


def test_a_citation_request_as_first_turn_is_declined_not_answered(client):
    r = client.post("/api/chat", json={"messages": [{"role": "user", "content": "第二条引用的原文是什么"}]})
    assert r.status_code == 200
    assert r.json()["answerable"] is False and r.json()["citations"] == []


def test_a_follow_up_to_a_long_question_stays_within_the_limit(client):
    long_question = "渝中区" + "安全生产工作要求" * 60
    messages = [
        {"role": "user", "content": long_question[:498]},
        {"role": "assistant", "content": "……"},
        {"role": "user", "content": "那江北区呢?"},
    ]
    r = client.post("/api/chat", json={"messages": messages})
    assert r.status_code == 200


def test_search_results_carry_what_ocr_was_unsure_of_within_their_text(client, engine):
    hit = engine.search("街道应急救援队伍人数要求", k=1).hits[0]
    doc = engine.documents[hit.chunk.doc_id]
    saved = doc.ocr_uncertain
    doc.ocr_uncertain = [
        (hit.chunk.start - 5, hit.chunk.start + 2),
        (hit.chunk.start + 10, hit.chunk.start + 12),
    ]
    try:
        first = client.post("/api/search", json={"query": "街道应急救援队伍人数要求", "k": 1}).json()[
            "results"
        ][0]
    finally:
        doc.ocr_uncertain = saved
    assert first["chunk_id"] == hit.chunk.chunk_id
    assert first["uncertain"] == [[0, 2], [10, 12]]  # clipped to the passage, offsets within its text
    others = client.post("/api/search", json={"query": "街道应急救援队伍人数要求", "k": 3}).json()["results"]
    assert all(r["uncertain"] == [] for r in others)
