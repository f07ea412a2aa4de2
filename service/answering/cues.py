"""What kind of answer a question asks for, read from its wording, and whether a span has it.

多少/几/比例/率 want a number; 什么时候/何时/期限 a date or deadline; 多久/频次 a frequency;
哪些/包括/有什么 an enumeration; 电话/热线 a phone number; 发文字号/成文日期/发文机关 a metadata field;
和/与 ... 有何不同, 对比, 各区 a comparison across documents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from service.answering.verify import PHONE

NUMBER = re.compile(
    r"\d+(?:\.\d+)?\s*(?:%|‰|％|人|个|次|台|套|公里|万|亿|家|所|座|项|天|小时|名|支|处|辆|条|场|户|米|平方米)|\d+(?:\.\d+)?%|不少于|不低于|不超过|以上|以内|下降|提升|达到|[一二三四五六七八九十两]+[次个人名项]"
)
DATE = re.compile(
    r"(?:19|20)\d{2}\s*年|\d{1,2}\s*月(?:底|前|份)?|年底|年内|月底|季度|前完成|之前|以前|\d{1,2}\s*日"
)
FREQUENCY = re.compile(r"每(?:年|半年|季度|月|周|日|天)|定期|常态化|至少\s*\d+\s*次|\d+\s*次")
LIST = re.compile(r"[、；;]|（[一二三四五六七八九十\d]+）|\([一二三四五六七八九十\d]+\)|[①②③④⑤]")
# two items closed by 等 are an enumeration too (渝中区、渝北区等区县): 等 says the list goes on
LIST_CLOSED = re.compile(r"、[^，,。；;、]{1,12}等")

_ASKS = {
    "number": re.compile(
        r"多少|(?<![哪好十数])几(?![十百千万])[个项次人名台年]?|比例|比率|\w*率|人数|数量|数目|指标|目标|标准|要求"
    ),
    "date": re.compile(r"什么时候|何时|哪一?年|日期|时间|期限|截止|完成时限|时限|多会|啥时|几时|哪会儿"),
    "frequency": re.compile(r"多久|多长时间|频次|频率|几次|一年几|每年几|多少次|周期"),
    "list": re.compile(r"哪些|包括|包含|有什么|有哪几|指什么|是指|内容|分别是|几种|有几"),
    "phone": re.compile(r"电话|热线|号码|联系方式"),
    "who": re.compile(r"谁|哪个部门|哪些部门|责任单位|牵头|负责单位|由谁"),
}
_COMPARE = re.compile(r"有何不同|有什么不同|区别|差异|对比|比较|相比|分别|各区|各区县|各地|各镇街|哪个更")
META_FIELDS = {
    "doc_number": re.compile(r"发文字号|文号|字号"),
    "issued_date": re.compile(r"成文日期|成文时间|印发日期|发文日期|印发时间|签发日期"),
    "published_date": re.compile(r"发布日期|发布时间|公布日期"),
    "issuer": re.compile(r"发文机关|发文单位|印发单位|哪个(?:部门|单位|机关)(?:印发|发布|制定)"),
    # when a document takes effect is its 施行日期, stated by the document about itself
    "valid_from": re.compile(
        r"施行日期|生效日期|(?:什么时候|何时|哪天|哪一天|哪一?年|啥时候?|几时|从哪天)(?:开始|起)?(?:施行|生效)"
    ),
}


def without_compare_words(question: str) -> str:
    """The question without the words asking for a comparison (有什么不同, 区别, 对比 ...): they are its form,
    not its topic, so a passage holding 不同 (不同层级) is not closer to 渝中和江北在消防方面有什么不同.

    >>> without_compare_words("渝中和江北在消防方面有什么不同")
    '渝中和江北在消防方面 '
    """
    return _COMPARE.sub(" ", question)


@dataclass(frozen=True)
class Cues:
    wants: frozenset[str]
    compare: bool
    metadata: str | None  # a DocumentMeta field the question asks for

    def strict(self) -> set[str]:
        """Cues a span must meet to be an answer at all (a phone question needs a number that looks like one)."""
        return {w for w in self.wants if w == "phone"}


def question_cues(question: str) -> Cues:
    wants = frozenset(name for name, pattern in _ASKS.items() if pattern.search(question))
    metadata = next((field for field, pattern in META_FIELDS.items() if pattern.search(question)), None)
    return Cues(wants=wants, compare=bool(_COMPARE.search(question)), metadata=metadata)


def cue_score(cues: Cues, text: str) -> float:
    """Share of the question's cues that the span meets (1.0 when the question has none)."""
    checks = {
        "number": bool(NUMBER.search(text)),
        "date": bool(DATE.search(text)),
        "frequency": bool(FREQUENCY.search(text)),
        "list": len(LIST.findall(text)) >= 2 or bool(LIST_CLOSED.search(text)),
        "phone": bool(PHONE.search(text)),
        "who": bool(re.search(r"部门|单位|局|委|政府|负责|牵头|街道|镇", text)),
    }
    asked = [w for w in cues.wants if w in checks]
    if not asked:
        return 1.0
    return sum(checks[w] for w in asked) / len(asked)


def meets_strict(cues: Cues, text: str) -> bool:
    return all(cue_score(Cues(frozenset({w}), False, None), text) == 1.0 for w in cues.strict())
