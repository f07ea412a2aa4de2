"""Two editions of one series: the newer is served first and the older marked; a question about
the older year gets the older edition."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from service.api.app import create_app
from tests.service.conftest import make_engine

EDITION = "{year}年璧山区安全生产工作要点\n重庆市璧山区人民政府\n一、救援队伍\n各街道按规定落实不少于{n}人的专业应急救援队伍人员配备。\n"


@pytest.fixture(scope="module")
def client(tmp_path_factory, seeds_dir):
    folder = tmp_path_factory.mktemp("versions")
    for year, n in ((2024, 10), (2025, 15)):
        (folder / f"bishan_{year}.txt").write_text(EDITION.format(year=year, n=n), encoding="utf-8")
    engine = make_engine(folder / "data", seeds_dir, extra=[(folder, "public")])
    with TestClient(create_app(engine)) as c:
        yield c


def results(client, query: str) -> list[dict]:
    hits = client.post("/api/search", json={"query": query, "k": 20}).json()["results"]
    return [h for h in hits if h["source"].startswith("bishan_")]


def test_the_current_edition_ranks_first_and_the_older_is_marked_superseded(client):
    hits = results(client, "璧山区街道专业应急救援队伍人员配备")
    assert [h["source"] for h in hits[:2]] == ["bishan_2025.txt", "bishan_2024.txt"]
    new, old = hits[0], hits[1]
    assert old["status"] == "被替代" and old["superseded_by"] == new["doc_id"]
    assert new["supersedes"] == [old["doc_id"]] and new["status"] is None
    for field in ("status", "valid_from", "valid_to", "supersedes", "superseded_by"):
        assert field in new


def test_a_question_about_the_earlier_year_gets_the_edition_of_that_year(client):
    hits = results(client, "2024年璧山区街道专业应急救援队伍人员配备")
    assert hits[0]["source"] == "bishan_2024.txt"


def test_documents_and_citations_carry_their_validity(client):
    docs = {d["source"]: d for d in client.get("/api/documents").json()["documents"]}
    old = docs["bishan_2024.txt"]
    assert old["status"] == "被替代"
    assert (
        client.get(f"/api/documents/{old['doc_id']}").json()["superseded_by"]
        == docs["bishan_2025.txt"]["doc_id"]
    )
    answer = client.post("/api/ask", json={"question": "璧山区街道专业应急救援队伍不少于多少人"}).json()
    assert answer["citations"] and all("status" in c for c in answer["citations"])


def test_an_answer_quoting_an_older_edition_names_the_current_one(client):
    body = client.post("/api/ask", json={"question": "2024年璧山区街道专业应急救援队伍不少于多少人"}).json()
    cited = [c for c in body["citations"] if c["source"] == "bishan_2024.txt"]
    assert cited, body
    assert (
        f"[{cited[0]['n']}]所引《2024年璧山区安全生产工作要点》被替代，现行文件为《2025年璧山区安全生产工作要点》"
        in body["answer"]
    )


def test_the_diff_of_two_editions_shows_the_changed_section_with_both_sides(client):
    docs = {d["source"]: d["doc_id"] for d in client.get("/api/documents").json()["documents"]}
    old, new = docs["bishan_2024.txt"], docs["bishan_2025.txt"]
    body = client.get(f"/api/documents/{old}/diff/{new}").json()
    assert body["summary"]["changed"] == 1
    section = body["sections"][0]
    assert section["change"] == "changed" and section["key"] == "救援队伍"
    old_text = client.get(f"/api/documents/{old}").json()["text"]
    assert "不少于10人" in old_text[section["old"]["start"] : section["old"]["end"]]
    assert client.get(f"/api/documents/{old}/diff/nope").status_code == 404
