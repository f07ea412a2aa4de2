"""`policyqa ingest`: the summary, skipped files with reasons, and the store it leaves."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from service.cli import app


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
    assert (tmp_path / "data" / "corpus" / "chunks.jsonl").exists()

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
