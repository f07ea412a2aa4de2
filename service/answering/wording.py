"""What both sides of an answer check read: the measure words a count is asked and stated in, the
physical dimensions a measure noun names, clause marks, and how much of a topic a text names (character
pairs, robust to word order and segmentation)."""

from __future__ import annotations

import re

# the units a count can be asked in; 人 and 名 count the same thing
UNITS = (
    "公里",
    "平方米",
    "人",
    "名",
    "个",
    "台",
    "套",
    "米",
    "起",
    "座",
    "所",
    "处",
    "支",
    "场",
    "家",
    "辆",
    "次",
    "项",
    "户",
    "条",
    "件",
    "元",
    "吨",
    "天",
    "日",  # days as statutes write them (十五日内): the same unit as 天
    "小时",
    "分钟",
    "学时",
    "周岁",
    "岁",
    # further measure words of things counted in plans and rules (a general list, not one question's)
    "棵",
    "株",
    "亩",
    "公顷",
    "平方公里",
    "千米",
    "立方米",
    "公斤",
    "千克",
    "层",
    "栋",
    "间",
    "张",
    "份",
    "批",
    "轮",
    "块",
    "艘",
    "架",
    "位",
    "节",  # knots, a ship's speed (航速不得超过8节)
    "期",  # issues, sessions (举办3期培训班)
    "分",  # points of a score (扣12分); 分钟 is matched first (longest first)
    "点",  # points of a list (提出三点要求) and o'clock (几点交接班: 8点, written 8时 in rules)
    "届",
    "篇",
)
# longest first: 平方公里 before 公里, 立方米 before 米
UNIT_RE = "|".join(sorted(UNITS, key=len, reverse=True))
UNIT_ALIASES = {"名": "人", "人": "人", "位": "人", "日": "天", "岁": "周岁"}
# what each unit is written as in a text: 人, 名 and 位 count the same thing, so do 天 and 日
UNIT_FORMS = {"人": "人|名|位", "天": "天|日|工作日", "周岁": "周岁|岁", "点": "点|时(?!间|期|段|候)"}
# a measure noun names the dimension of the figure asked for (最高时速是多少 asks a speed), so only a
# figure in a unit of that dimension answers it: general physical dimensions, each with its units
DIMENSIONS = {
    "速度": ("时速|车速|航速|速度|速率", "公里|千米|节|米/秒|米每秒"),
    "长度": ("长度|宽度|高度|深度|距离|间距|半径|厚度|净高|净宽", "米|公里|千米|厘米|毫米"),
    "面积": ("面积", "平方米|平方公里|亩|公顷"),
    "重量": ("重量|载重|吨位", "吨|千克|公斤|克"),
    "温度": ("温度|气温", "℃|摄氏度|度"),
}
UNIT_FORMS.update({dimension: units for dimension, (_, units) in DIMENSIONS.items()})
CLAUSE = re.compile(r"[，,；;、。：:？?！!\n]")
# a norm's branch after a semicolon opens with its own condition (拒不改正的，/ 超过5年的，/ 必要时，): a
# short phrase, no punctuation in it, ending in 的 or 时 and a comma. The branch goes on with the rule
# its first part lays down (责令改正；拒不改正的，处二万元以上罚款: the fine is for the first part's act)
BRANCH = re.compile(r"[^，,；;。：:\s]{1,20}(?:的|时)[，,]")


def coverage(topic: str, text: str) -> float:
    """The share of the topic's character pairs ``text`` holds (robust to word order and segmentation).

    >>> coverage("老旧燃气管道", "城镇老旧燃气管道管网更新改造"), coverage("老旧燃气管道", "老旧小区改造")
    (1.0, 0.2)
    """
    named = bigrams(_content(topic))
    return len(named & bigrams(_content(text))) / len(named) if named else 1.0


def _content(text: str) -> str:
    """``text`` without 的, the particle that joins a modifier to its head: it names nothing, and a pair
    across it (区的, 的燃) is no part of what is named (老旧小区的燃气管道 / 老旧小区燃气管道).

    >>> coverage("老旧小区的燃气管道", "推进老旧小区燃气管道改造")
    1.0
    """
    return text.replace("的", "")


def names(topic: str, text: str, need: float = 0.5) -> bool:
    """Whether ``text`` names ``topic``: it holds at least ``need`` (half) of the topic's character pairs."""
    return coverage(topic, text) >= need


def bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}
