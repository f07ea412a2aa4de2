from service.answering.jurisdiction import only_elsewhere
from service.answering.models import Answer, Citation


def cite(n, doc_id, title="某省电梯条例", quote="处二万元以上十万元以下罚款。"):
    return Citation(n, f"c{n}", doc_id, f"{doc_id}.md", title, (), quote, 0, len(quote))


PLACES = {"zj": "浙江省", "sd": "山东省", "cq": "重庆市", "cn": "全国", "x": None}


def test_an_answer_only_from_other_provinces_is_declined_and_says_so():
    answer = Answer(
        "电梯困人罚多少", True, "答：二万元以上[1]", [cite(1, "zj"), cite(2, "sd")], direct="二万元以上"
    )
    out = only_elsewhere(answer, PLACES, "重庆市")
    assert not out.answerable and out.direct is None and [c.n for c in out.citations] == [1]
    assert out.answer.startswith(
        "适用于重庆市的文件中没有找到答案。其他地区（浙江省、山东省）的规定：《某省电梯条例》"
    )


def test_home_national_unknown_or_named_places_keep_the_answer():
    for doc in ("cq", "cn", "x"):
        answer = Answer("q", True, "答", [cite(1, "zj"), cite(2, doc)])
        assert only_elsewhere(answer, PLACES, "重庆市") is answer
    answer = Answer("浙江电梯困人罚多少", True, "答", [cite(1, "zj")])
    assert only_elsewhere(answer, PLACES, "重庆市", named={"浙江省"}) is answer
    assert only_elsewhere(answer, PLACES, None) is answer


def test_the_rules_that_apply_are_asked_again_before_declining():
    from types import SimpleNamespace

    from service.answering.jurisdiction import answer_where_it_applies

    hits = [SimpleNamespace(chunk=SimpleNamespace(doc_id=d)) for d in ("zj", "sd", "cq")]
    asked_with = []

    def answer_from(passages):
        asked_with.append([h.chunk.doc_id for h in passages])
        first = passages[0].chunk.doc_id
        return Answer("q", True, f"答[{first}]", [cite(1, first)])

    out = answer_where_it_applies(answer_from, hits, PLACES, "重庆市")
    assert asked_with == [["zj", "sd", "cq"], ["cq"]]  # again, from what binds in 重庆市 only
    assert out.answerable and out.citations[0].doc_id == "cq"
    # nothing that applies answers: the declined answer says what the other places' rules say
    decline = lambda passages: Answer("q", False, "未找到", [])  # noqa: E731
    first_only = iter([Answer("q", True, "答", [cite(1, "zj")])])
    out = answer_where_it_applies(lambda p: next(first_only, None) or decline(p), hits, PLACES, "重庆市")
    assert not out.answerable and out.answer.startswith("适用于重庆市的文件中没有找到答案")
    # an answer citing a rule that applies is kept as it is, asked once
    asked_with.clear()
    hits_home_first = hits[::-1]
    out = answer_where_it_applies(answer_from, hits_home_first, PLACES, "重庆市")
    assert asked_with == [["cq", "sd", "zj"]] and out.citations[0].doc_id == "cq"


def test_an_answer_mixing_other_places_rules_is_asked_again_from_the_rules_that_apply():
    from types import SimpleNamespace

    from service.answering.jurisdiction import answer_where_it_applies

    hits = [SimpleNamespace(chunk=SimpleNamespace(doc_id=d)) for d in ("zj", "cq", "cn")]
    asked_with = []

    def answer_from(passages):
        asked_with.append([h.chunk.doc_id for h in passages])
        return Answer("q", True, "答", [cite(n, h.chunk.doc_id) for n, h in enumerate(passages[:2], 1)])

    out = answer_where_it_applies(answer_from, hits, PLACES, "重庆市")
    assert asked_with == [["zj", "cq", "cn"], ["cq", "cn"]]
    assert [c.doc_id for c in out.citations] == ["cq", "cn"]
    # the rules that apply do not answer alone: the mixed answer stands (it cites one that applies)
    first = iter([Answer("q", True, "答", [cite(1, "zj"), cite(2, "cq")])])
    out = answer_where_it_applies(
        lambda p: next(first, None) or Answer("q", False, "未找到", []), hits, PLACES, "重庆市"
    )
    assert out.answerable and [c.doc_id for c in out.citations] == ["zj", "cq"]
    assert out.answer == "答\n注意：[1]所引《某省电梯条例》是浙江省的规定，不适用于重庆市，仅供参考。"
