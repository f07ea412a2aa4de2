from corpus.validity import REPEALED, SUPERSEDED, Validity
from service.answering.currency import note_outdated
from service.answering.models import Answer, Citation


def cite(n, doc_id, title, validity):
    return Citation(n, f"c{n}", doc_id, f"{doc_id}.txt", title, (), "原文", 0, 2, validity=validity)


def test_outdated_citations_get_one_note_each_current_ones_none():
    answer = Answer(
        "q",
        True,
        "答：原文[1][2][3]",
        [
            cite(1, "old", "旧办法", Validity(SUPERSEDED, superseded_by="new")),
            cite(2, "gone", "废办法", Validity(REPEALED)),
            cite(3, "new", "新办法", Validity()),
        ],
    )
    noted = note_outdated(answer, {"new": "新办法"}.get)
    assert noted.answer == (
        "答：原文[1][2][3]\n注意：[1]所引《旧办法》被替代，现行文件为《新办法》。\n注意：[2]所引《废办法》已废止，请以现行文件为准。"
    )
    plain = Answer("q", True, "答", [cite(1, "new", "新办法", None)])
    assert note_outdated(plain, {}.get) is plain
