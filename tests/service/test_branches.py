"""A norm's branch after a semicolon (拒不改正的，处…罚款) is read with the part before it: joined, the
two answer a question neither answers alone, at their own verbatim offsets (``spans.branches_of``,
``extractive.completing_branches``, ``verify._sentence_at``)."""

from __future__ import annotations

from corpus.models import Chunk, DocumentMeta
from index.records import DocRecord
from index.retriever import Hit
from tests.fakes import bare_answerer

ARTICLE = (
    "第一百零八条 违反本法规定，生产经营单位拒绝、阻碍负有安全生产监督管理职责的部门依法实施监督检查的，"
    "责令改正；拒不改正的，处二万元以上二十万元以下的罚款；构成犯罪的，依照刑法有关规定追究刑事责任。"
)
OTHER = "第四十一条 拒绝、阻碍有关部门监督检查的，由监督检查部门责令改正。"


def _hit(text: str, start: int, rank: int = 1) -> Hit:
    chunk = Chunk(f"d{start}-c", f"d{start}", "d.md", "安全生产法", (), text, start, start + len(text), 0)
    meta = DocumentMeta(title="安全生产法", doc_type="法律")
    return Hit(chunk, DocRecord(f"d{start}", "d.md", "f", meta), 1.0, rank, rank, rank, ())


def test_a_fine_in_the_branch_answers_for_the_act_before_the_semicolon():
    answer = bare_answerer().answer("拒绝阻碍安全生产监督检查罚款多少", [_hit(ARTICLE, 40)], None)
    assert answer.answerable
    assert answer.direct == "二万元以上二十万元以下"
    cite = answer.citations[0]
    assert cite.quote.endswith("责令改正；拒不改正的，处二万元以上二十万元以下的罚款；")
    assert ARTICLE[cite.start - 40 : cite.end - 40] == cite.quote


def test_the_branch_alone_is_not_taken_for_another_acts_fine():
    # the act asked about (监督检查) is named before the semicolon of another article with no fine
    answer = bare_answerer().answer("拒绝阻碍监督检查罚款多少", [_hit(OTHER, 0)], None)
    assert not answer.answerable


def test_a_first_part_that_answers_by_itself_is_quoted_as_it_is():
    text = "第十条 未设置警示标志的，处五千元罚款；情节严重的，责令停业整顿。"
    answer = bare_answerer().answer("未设置警示标志罚款多少", [_hit(text, 0)], None)
    assert answer.citations[0].quote == "第十条 未设置警示标志的，处五千元罚款；"


def test_a_branch_holding_a_word_the_question_asks_of_is_quoted_with_its_first_part():
    text = "第三十一条 震后应急期一般为10日；必要时，可以延长20日。"
    answer = bare_answerer().answer("地震过后的应急期最多能再延长几天", [_hit(text, 0)], None)
    assert answer.citations[0].quote == "第三十一条 震后应急期一般为10日；必要时，可以延长20日。"
    # asked of the first part only, the first part alone is quoted
    answer = bare_answerer().answer("震后应急期一般为几天", [_hit(text, 0)], None)
    assert answer.citations[0].quote == "第三十一条 震后应急期一般为10日；"
