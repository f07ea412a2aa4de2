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
