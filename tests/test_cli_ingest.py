"""`policyqa ingest`: the summary, skipped files with reasons, and the store it leaves."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from corpus.store import CorpusStore
from service.cli import app


def stored_text(tmp_path) -> str:
    """Every stored document's text, as the store reads it."""
    return "\n".join(d.text for d in CorpusStore(tmp_path / "data" / "corpus").load().documents.values())


def test_ingest_summary_and_skips(tmp_path, seeds_dir, monkeypatch):
    monkeypatch.setenv("POLICYQA_DATA_DIR", str(tmp_path / "data"))
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text(
        (seeds_dir / "000_31a5ba1447e2c1d7.txt").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (src / "empty.txt").write_bytes(b"")
    (src / "broken.docx").write_bytes(b"PK\x03\x04")
    result = CliRunner().invoke(app, ["ingest", str(src), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["documents"] == 1 and summary["chunks"] > 10
    assert summary["chunk_chars"]["max"] <= 400
    assert summary["metadata_found"]["title"] == 1 and summary["metadata_found"]["issued_date"] == 1
    assert {s["path"].split("/")[-1]: s["reason"] for s in summary["skipped"]} == {
        "broken.docx": "broken or truncated DOCX: File is not a zip file",
        "empty.txt": "empty file",
    }
    assert CorpusStore(tmp_path / "data" / "corpus").load().all_chunks()

    human = CliRunner().invoke(app, ["ingest", str(src)])
    assert "1 documents" in human.stdout and "files skipped" in human.stdout


def test_ingest_of_nothing_usable_fails(tmp_path, monkeypatch):
    monkeypatch.setenv("POLICYQA_DATA_DIR", str(tmp_path / "data"))
    (tmp_path / "x.bin").write_bytes(b"\x00\x01")
    result = CliRunner().invoke(app, ["ingest", str(tmp_path / "x.bin"), "--json"])
    assert result.exit_code == 1
    assert json.loads(result.stdout)["skipped"][0]["reason"].startswith("unsupported file type")


def test_remove_a_document(tmp_path, seeds_dir, monkeypatch):
    monkeypatch.setenv("POLICYQA_DATA_DIR", str(tmp_path / "data"))
    assert CliRunner().invoke(app, ["ingest", str(seeds_dir), "--json"]).exit_code == 0
    result = CliRunner().invoke(app, ["remove", "000_31a5ba1447e2c1d7.txt"])
    assert result.exit_code == 0 and "4 remain" in result.stdout
    result = CliRunner().invoke(app, ["remove", "nope.txt"])
    assert result.exit_code == 2 and "no such document(s): nope.txt" in result.output


def test_a_same_named_file_from_elsewhere_never_replaces_a_stored_one_silently(
    tmp_path, seeds_dir, monkeypatch
):
    monkeypatch.setenv("POLICYQA_DATA_DIR", str(tmp_path / "data"))
    name = "002_a311506c5bab1914.txt"
    seed_text = (seeds_dir / name).read_text(encoding="utf-8")
    first = tmp_path / "first"
    other = tmp_path / "other"
    first.mkdir()
    other.mkdir()
    (first / name).write_text(seed_text, encoding="utf-8")
    (other / name).write_text(
        "重庆市某区人民政府\n关于另一件事的通知\n一、内容\n这是另一份同名文件。\n", encoding="utf-8"
    )
    assert CliRunner().invoke(app, ["ingest", str(first), "--json"]).exit_code == 0

    refused = CliRunner().invoke(app, ["ingest", str(other), "--json"])
    assert refused.exit_code == 1
    summary = json.loads(refused.stdout)
    assert summary["documents"] == 0
    assert "--replace" in summary["skipped"][0]["reason"]
    stored = stored_text(tmp_path)
    assert "南平镇" in stored and "另一份同名文件" not in stored  # nothing lost

    again = CliRunner().invoke(app, ["ingest", str(first), "--json"])  # the same file again: fine
    assert again.exit_code == 0

    replaced = CliRunner().invoke(app, ["ingest", str(other), "--replace", "--json"])
    assert replaced.exit_code == 0
    assert "另一份同名文件" in stored_text(tmp_path)


def test_two_files_of_one_name_in_one_run_are_not_silently_merged(tmp_path, monkeypatch):
    monkeypatch.setenv("POLICYQA_DATA_DIR", str(tmp_path / "data"))
    for folder, body in (("a", "第一份"), ("b", "第二份")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "same.txt").write_text(
            f"关于{body}文件的通知\n一、内容\n{body}文件正文内容。\n", encoding="utf-8"
        )
    result = CliRunner().invoke(app, ["ingest", str(tmp_path / "a"), str(tmp_path / "b"), "--json"])
    assert result.exit_code == 1
    summary = json.loads(result.stdout)
    assert summary["documents"] == 1
    assert "same.txt" in summary["skipped"][0]["reason"]


def test_access_level_is_stored_on_the_ingested_documents(tmp_path, seeds_dir, monkeypatch):
    monkeypatch.setenv("POLICYQA_DATA_DIR", str(tmp_path / "data"))
    result = CliRunner().invoke(app, ["ingest", str(seeds_dir), "--access", "group:finance,group:audit"])
    assert result.exit_code == 0, result.output
    store = CorpusStore(tmp_path / "data" / "corpus").load()
    assert {d.access for d in store.documents.values()} == {"group:audit,group:finance"}


def test_a_malformed_access_level_is_refused_and_nothing_is_ingested(tmp_path, seeds_dir, monkeypatch):
    monkeypatch.setenv("POLICYQA_DATA_DIR", str(tmp_path / "data"))
    result = CliRunner().invoke(app, ["ingest", str(seeds_dir), "--access", "secret"])
    assert result.exit_code == 2
    assert "group:NAME" in result.output
    assert not CorpusStore(tmp_path / "data" / "corpus").exists()
