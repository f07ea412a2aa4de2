from corpus.identity import admit
from corpus.models import Document, DocumentMeta


def doc(name: str, text: str, origin: str | None) -> Document:
    return Document(
        name, name, "text", "utf-8", text, DocumentMeta(), fingerprint=f"h({text})", origin=origin
    )


def test_same_content_again_and_an_update_of_the_same_file_are_accepted():
    stored = {"a": doc("a", "v1", "/x/a")}
    accepted, refused = admit(stored, [doc("a", "v1", "/y/a")])
    assert [d.doc_id for d in accepted] == ["a"] and not refused
    accepted, refused = admit(stored, [doc("a", "v2", "/x/a")])
    assert [d.text for d in accepted] == ["v2"] and not refused


def test_a_same_named_stranger_is_refused_unless_replace():
    stored = {"a": doc("a", "seed text", "/seeds/a")}
    accepted, refused = admit(stored, [doc("a", "other text", "/elsewhere/a")])
    assert accepted == []
    assert refused[0].path == "/elsewhere/a" and "--replace" in refused[0].reason
    assert "/seeds/a" in refused[0].reason
    accepted, refused = admit(stored, [doc("a", "other text", "/elsewhere/a")], replace=True)
    assert [d.text for d in accepted] == ["other text"] and not refused


def test_two_files_of_one_name_in_a_run_keep_the_first():
    accepted, refused = admit({}, [doc("a", "one", "/p/a"), doc("a", "two", "/q/a"), doc("a", "one", "/r/a")])
    assert [d.text for d in accepted] == ["one"]
    assert len(refused) == 1 and refused[0].path == "/q/a" and "/p/a" in refused[0].reason
