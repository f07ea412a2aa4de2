import pytest

from corpus.models import DocumentMeta
from index.errors import BadQuery
from index.query import QueryAnalyzer
from index.records import DocRecord
from service.answering.chat import Turn, resolve

DOCS = [
    DocRecord("yz", "yz.txt", "f", DocumentMeta(title="渝中区工作要点", region="渝中区", year=2025)),
    DocRecord("jb", "jb.txt", "f", DocumentMeta(title="江北区工作要点", region="江北区", year=2024)),
    DocRecord("np", "np.txt", "f", DocumentMeta(title="南平镇工作要点", region="南川区南平镇", year=2025)),
]


@pytest.fixture()
def analyzer():
    return QueryAnalyzer(DOCS, [])


def turns(*texts):
    roles = ["user", "assistant"]
    return [Turn(roles[i % 2], t) for i, t in enumerate(texts)]


def test_a_single_question(analyzer):
    assert resolve(turns("渝中区火灾起数下降目标"), analyzer).question == "渝中区火灾起数下降目标"


def test_follow_up_swaps_the_region(analyzer):
    r = resolve(turns("渝中区事故死亡人数目标是多少", "……[1]", "那江北区呢?"), analyzer)
    assert r.kind == "question" and r.question == "江北区事故死亡人数目标是多少"


def test_follow_up_adds_a_region_and_chains(analyzer):
    r = resolve(turns("事故死亡人数目标", "……", "那南平镇呢", "……", "江北呢？"), analyzer)
    assert r.question == "江北区事故死亡人数目标"


def test_follow_up_swaps_the_year(analyzer):
    assert resolve(turns("2024年的重点任务", "……", "那2025年呢"), analyzer).question == "2025年的重点任务"


def test_citation_request_reads_the_previous_answer(analyzer):
    r = resolve(turns("渝中区火灾起数下降目标", "……[1][2]", "第二条引用的原文是什么"), analyzer)
    assert (r.kind, r.question, r.citation) == ("citation", "渝中区火灾起数下降目标", 2)
    assert resolve(turns("问题", "答[1]", "[1]的出处在哪里"), analyzer).citation == 1


def test_a_new_full_question_stands_alone(analyzer):
    r = resolve(turns("渝中区火灾起数下降目标", "……", "企业疏散逃生演练一年几次"), analyzer)
    assert r.question == "企业疏散逃生演练一年几次"


def test_last_turn_must_be_the_users(analyzer):
    with pytest.raises(BadQuery):
        resolve(turns("问题", "答案"), analyzer)


def test_follow_up_to_a_place_the_library_holds_no_document_of_swaps_it_in():
    analyzer = QueryAnalyzer(DOCS, [], home="重庆市")
    r = resolve(turns("渝中区街道应急救援队伍要多少人", "……", "那九龙坡区呢？"), analyzer)
    assert r.question == "九龙坡区街道应急救援队伍要多少人"  # not 渝中区's question with 九龙坡区 added
    back = resolve(turns("九龙坡区街道应急救援队伍要多少人", "……", "渝中呢"), analyzer)
    assert back.question == "渝中区街道应急救援队伍要多少人"
