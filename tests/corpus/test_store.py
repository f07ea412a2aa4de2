"""The corpus store's layout: both files switched together by one pointer, the first layout still read."""

from __future__ import annotations

import json

from corpus.models import Chunk, Document, DocumentMeta
from corpus.store import CorpusStore


def doc(doc_id: str, text: str) -> Document:
    return Document(
        doc_id=doc_id, source=f"{doc_id}.txt", format="txt", encoding="utf-8", text=text, meta=DocumentMeta()
    )


def chunk(doc_id: str, text: str) -> Chunk:
    return Chunk(
        chunk_id=f"{doc_id}-0",
        doc_id=doc_id,
        source=f"{doc_id}.txt",
        title="",
        section=(),
        text=text,
        start=0,
        end=len(text),
        ordinal=0,
    )


def test_a_save_switches_both_files_at_once_and_leaves_one_snapshot(tmp_path):
    store = CorpusStore(tmp_path)
    store.upsert(doc("a", "第一版"), [chunk("a", "第一版")])
    store.save()
    store.upsert(doc("a", "第二版"), [chunk("a", "第二版")])
    store.save()
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names[0] == "CURRENT" and len(names) == 2 and names[1].startswith("snap-")
    again = CorpusStore(tmp_path).load()
    assert again.documents["a"].text == "第二版" and [c.text for c in again.chunks["a"]] == ["第二版"]


def test_the_first_layout_is_read_and_replaced_by_the_next_save(tmp_path):
    (tmp_path / "documents.jsonl").write_text(json.dumps(doc("a", "旧").to_dict(), ensure_ascii=False) + "\n")
    (tmp_path / "chunks.jsonl").write_text(json.dumps(chunk("a", "旧").to_dict(), ensure_ascii=False) + "\n")
    store = CorpusStore(tmp_path).load()
    assert store.exists() and [c.text for c in store.chunks["a"]] == ["旧"]
    store.save()
    assert not (tmp_path / "documents.jsonl").exists() and not (tmp_path / "chunks.jsonl").exists()
    assert [c.text for c in CorpusStore(tmp_path).load().chunks["a"]] == ["旧"]


def test_leftovers_of_a_killed_write_are_removed_by_the_next_save(tmp_path):
    store = CorpusStore(tmp_path)
    store.upsert(doc("a", "正文"), [chunk("a", "正文")])
    store.save()
    (tmp_path / ".snap-x.partial").mkdir()
    (tmp_path / ".chunks.jsonl.abc.tmp").write_text("half")
    (tmp_path / "snap-old").mkdir()
    assert [c.text for c in CorpusStore(tmp_path).load().chunks["a"]] == ["正文"]  # ignored when reading
    store.save()
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("snap-2")) == ["CURRENT"]


def test_an_empty_folder_is_an_empty_store(tmp_path):
    assert not CorpusStore(tmp_path).exists()
    assert CorpusStore(tmp_path / "missing").load().documents == {}
