"""The question readings and the text checks take any text without raising: questions and passages drawn
from the characters their patterns read (question words, measure words, bounds, payers, punctuation)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.answering.asking import asked, relative_to
from service.answering.verify import answers, extract, states

PIECES = [
    *"多少几个天日月年次节米人元万%‰，。；：、？的了吗不得超过以上以下内前后每对给谁哪第一二十0123456789",
    "多久", "一次", "最长", "罚款", "补助", "工资", "单位", "个人", "每户", "工作日", "小时", "什么时候",
    "哪个部门", "比例", "频率", "受害率", "不少于", "控制在", "提前", "通知", "完成整改", "7月16日",
]  # fmt: skip
TEXT = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)
ASKING = ["多少元", "罚多少钱", "几天", "多少日内", "多久", "多久检查一次", "什么时候", "哪个部门", "比例是多少",
          "多远", "多少节", "几个小时", "多少人", "补助多少钱", "率要控制在多少", "几月几号"]  # fmt: skip
QUESTION = st.tuples(TEXT, st.sampled_from(ASKING), TEXT).map("".join)


@given(question=QUESTION, passage=TEXT)
@settings(
    max_examples=400, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck)
)
def test_any_question_and_passage_are_read_without_error(question, passage):
    ask = asked(question)
    if ask is None:
        return
    ask = relative_to(ask, [passage, question])
    assert isinstance(answers(ask, passage), bool)
    assert isinstance(states(ask, passage), bool)
    found = extract(ask, passage, question)
    assert found is None or found in passage
