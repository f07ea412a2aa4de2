"""What a question asks for, read from its wording before anything is answered: an amount of money, a
count in some unit (多少公里, 几名), a percentage, a day or a month, a date, a length of time, a frequency, a
place, a person's name, a phone number or a public body, and what it is of (what is counted, the act a
fine is for, the action a time limit times). Everything here is a general reading of Chinese question
words (no document or question is listed); ``service.answering.verify`` checks a text against it."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from corpus.metadata import years_named
from service.answering.wording import CLAUSE, DIMENSIONS, UNIT_ALIASES, UNIT_RE, UNITS, coverage, names

# a count of these is a length of time or an age, which counts no thing (no counted noun to tie it to)
_LENGTHS = ("天", "日", "小时", "分钟", "学时", "周岁", "岁")
_AGES = ("周岁", "岁")
# nouns that are measures of time and take 个 (三个月, 七个工作日): after 几个 they are the unit, and the
# figure is a duration, which counts no thing (no counted noun to tie it to)
_TIME_UNITS = ("工作日", "小时", "星期", "月")
# a verb or particle after 多少X starts the predicate (多少人算…, 几次才…), not the counted noun phrase
_PREDICATE = re.compile(r"(?:算|是|才|就|应当|应该|可以|需要|能否|以上|以下|左右|合适)")
# a period a frequency is stated in (每季度几次): the figure must be given for the same period
_PERIOD = re.compile(r"(?:每|一)(半年|季度|季|年|月|周|星期|天|日)")


@dataclass(frozen=True)
class Ask:
    kind: str  # money, count, percent, day, month, date, frequency, duration, place, person
    unit: str | None = None
    label: str = ""  # what the documents would have to state, for the decline message
    # what a count counts or a share measures, as the question names it (多少个微型消防站 -> 微型消防站)
    counted: str = ""
    period: str = ""  # the period a count of times is asked for (每季度几次 -> 季度)
    bound: str = ""  # a limit asked for: "ceiling" (控制在多少, 最多几人) or "floor" (至少几人)
    event: str = ""  # what a date is asked for, as the verb after the question word names it (施行, 印发)
    # the share of the topic a dated sentence must name: half, or as much as any passage at hand names it
    # (a question in its own words, 危旧房里的人, may share little with every passage: see ``relative_to``)
    need: float = 0.5
    head: str = ""  # the last word of ``counted`` as the index's segmenter cuts it (``with_head``)
    # a period named as what is asked (有效期多长, 记分周期多长): the figure must be of that period
    period_named: str = ""
    fee: bool = False  # a price or fee is asked (收费, 学习费用): a fine is not one
    # a figure of the asked kind answers wherever it stands (多远, 多宽): what is measured is named in
    # everyday words (离县道要隔多远) that the statute's clause (县道不少于20米) seldom shares; the
    # precise answer that leads an answer is still taken only from a figure tied to it (``extract``)
    loose: bool = False
    # the action a length of time is asked of, when named after the question word (提前几天[通知铁路运输
    # 企业], 多少日内[完成整改]): a time limit in a sentence of another action (三十日内[作出批复]) is not it
    timed: str = ""
    # the act a fine is for is named in the reader's own words: no passage at hand holds its last word
    # (偷偷开工 for 擅自进行生产), so the sentence is judged by the share of the act it names (``need``)
    act_unnamed: bool = False
    # the kind of money asked (罚 a fine, 赔 compensation, 补助 a subsidy ...), as alternatives a
    # sentence must hold one of: a fine does not answer what a subsidy is
    money_kind: str = ""
    # the years the question names (2025年计划改造多少个): a figure its own sentence dates to other years
    # is those years' (2024年新开工改造1835个), not the one asked
    years: tuple[int, ...] = ()


# kinds whose figure must sit in a clause (money, a date: a sentence) naming what is counted (counts_it)
# kinds tied at the sentence to the topic named before the question word (燃气管道改造什么时候完成, 合格证书
# 由哪个部门颁发); a length of time, a frequency or a bare 多少 are not: tying them lost answers to
# questions in everyday words on our sets (measured in docs/measurements.md, "Answers: dates and bodies")
TOPIC_TIED = ("date", "body")
TIED = ("count", "percent", "money", *TOPIC_TIED)
# a date or body ties to the topic asked about only when that is named at some length: a shorter topic
# (一年里什么时候…) leaves what is asked to the words after the question word
TOPIC_MIN = 4
# money is asked by a question word (多少钱, 几万, 费用是多少) or by a money noun heading a fragment (建设投资
# 金额: a phrase's head is its last noun); a money noun before other words (安全生产费用提取) names a topic
_MONEY_Q = re.compile(
    rf"多少钱|多少元|多少万元|几万|罚多少(?!\s*个?\s*(?:{UNIT_RE}))|"
    r"(?:金额|费用|资金|投资|投入|补贴|补助|奖励|罚款|工资|票价|价格)(?:(?:是|为|有|要|给|能)?(?:多少|几))|"
    r"(?<!有)(?:金额|费用|资金|投资|投入|补贴|补助|奖励|罚款|工资|票价|价格)[呢]?[？?。！!\s]*$"
)
# a yes/no form (有没有, 吗, 是否, A不A) is the question; a 几 / 多少 beside it is indefinite ("a few",
# "however much": 邻里几家人互相照应有没有说法, 罚了多少钱也要通报吗), not the thing asked
# (the A-not-A form is any verb doubled around 不 or 没: 算不算, 管不管, 查没查)
_YES_NO = re.compile(
    r"有没有|是否|能不能|会不会|要不要|可不可以|是不是|行不行|吗[？?]?$|([\u4e00-\u9fff])[不没]\1"
)
# 几 asks a number, except in 哪几 (which) and as an indefinite numeral (好几块, 十几年, 几十人: "a few")
_JI = r"(?<![哪好十数])几(?![十百千万])"
# 多少公里 / 几名 ask for a count; so does 人数 / 起数, unless a change or target of it is asked (起数下降目标)
_COUNT_Q = re.compile(
    rf"(?:多少|{_JI})({UNIT_RE})|(人|起|次|台|户|家|辆)数(?!.*(?:下降|上升|增长|减少|目标|比例|率|控制))"
)
# a share is also asked by its noun heading a fragment (专项资金占财政预算的比例), as money is, and by a
# rate or share noun that 多少 measures with a verb between (受害率要控制在多少, 比例要压到多少); 频率 is
# how often, 效率, 速率 and 功率 are no shares of anything
_RATE = r"(?:(?<![频效速功])率|比例|配比|比重|占比)"
_PERCENT_Q = re.compile(
    rf"百分之几|百分之多少|(?:多少|什么|几成)(?=比例|比重)|占比|多少%|{_RATE}[^，,。；;？?！!\s多]{{0,5}}多少|"
    r"(?:比例|配比|比重)[呢]?[？?。！!\s]*$"
)
# 多少 closing a question with no measure word after it (保费标准是多少, 要控制在多少) asks for a
# figure of some kind: a passage stating none does not answer it
_NUMBER_Q = re.compile(r"多少[呢啊呀]?[？?。！!\s]*$")
# a responsible body (哪个部门, 哪一级政府) is answered by a text naming one: Chinese names of public
# bodies end in a small closed set of words (局, 委员会, 办公室, 政府, 机关 ...)
_BODY_Q = re.compile(r"(?:哪个|哪些|哪一?级|什么)(?:部门|机关|机构|政府)")
# the direction of a limit: what a question asks for, and how a text qualifies a figure
_CEILING_Q = re.compile(r"控制在|不超过|不得超过|不超出|不高于|不大于|最多|最长|最高|最大|上限|以内|以下")
_FLOOR_Q = re.compile(r"至少|最少|最低|不少于|不低于|不小于|下限|起码|以上")
_DAY_Q = re.compile(r"哪天|哪一天|几号|几月几日|从哪天|具体日期|什么日子")
_MONTH_Q = re.compile(r"几月份?|哪个月|哪几个月")  # 哪几个月 asks which months, not how many
_DATE_NOUNS = ("截止", "期限", "时限")  # nouns: in a yes/no question they name the topic, not the ask
_DATE_Q = re.compile(
    r"什么时候|何时|哪一?年|截止|期限|时限|什么时间|啥时候?|几时|多会儿?|哪会儿"
)  # spoken: 啥时候
# 多久 asks how often only with 一次 after it in its clause (多久检查一次, 多久向上级报备一次) or with
# 隔 before it (隔多久, the interval between two times); alone it asks how long or how soon
# 多快 before a verb asks how soon it is done (多快要上报: a time limit); closing the question, after the
# verb, how fast something goes (最快能开多快: a speed, ``_SPEED_Q``)
_DURATION_Q = re.compile(rf"多久|多长时间|多长|{_JI}年|多少年|多快(?=[\u4e00-\u9fff])")
_SPEED_Q = re.compile(r"多快[呢啊呀]?[？?。！!\s]*$")
_YEARS_Q = re.compile(rf"{_JI}年|多少年")  # a length asked in years is answered in years
_FREQ_Q = re.compile(
    r"(?:多久|多长时间)(?=[^，,。；;？?！!]*一[次回趟](?!性))|隔(?:多久|多长时间)|频次|频率|几次|多少次|每隔"
)
# 哪 before a numeral or measure word is "which" (在哪8个方面, 在哪几类), not "where"
_PLACE_Q = re.compile(
    r"在哪里|在哪儿|在什么地方|在?(?:什么|哪个|哪一?处)(?:位置|地点)|地址|在哪(?![些个一几两\d二三四五六七八九十类种项方])"
)
# 几个方面 / 几类 / 多少种类型 ask what the kinds are: the enumeration answers it, a figure need not be stated
_KINDS = re.compile(r"(?:方面|类型|种类|类别|环节|类|种)$")  # the head noun: a phrase's end
# 几点 before a noun of content (几点要求, 几点意见) counts the points of a list, which the enumeration
# answers as it does 几个方面; otherwise (几点交接班, 几点以后) it asks an hour
_POINTS_OF = re.compile(r"(?:要求|意见|建议|措施|内容|原则|做法|经验|任务|目标|问题|注意事项|规定)$")
# 哪位 is "which person" (哪位副市长担任): a post alone does not answer it, a name does
_PERSON_Q = re.compile(r"叫什么名字|姓名|哪位|(?:局长|主任|书记|区长|镇长|负责人|联系人)是谁")
_PHONE_Q = re.compile(r"电话|热线|号码|联系方式")
# kinds read from one question pattern each, in the order they are tried around the quantities
_NAMED_FIRST = (
    (_PERSON_Q, "person", "人员姓名"),
    (_PHONE_Q, "phone", "电话号码"),
    (_BODY_Q, "body", "负责的部门或机关"),
)
_NAMED_AFTER = (
    (_DAY_Q, "day", "具体日期"),
    (_MONTH_Q, "month", "月份"),
    (_PLACE_Q, "place", "地点或地址"),
    (_FREQ_Q, "frequency", "频次"),
)


def asked(question: str) -> Ask | None:
    """The strict kind of fact a question asks for, or None when any relevant passage may answer it; with
    the years the question names.

    >>> asked("2025年计划改造多少个老旧小区").years, asked("改造多少个老旧小区").years
    ((2025,), ())
    """
    ask = _asked(question)
    years = years_named(question)
    return replace(ask, years=tuple(sorted(years))) if ask is not None and years else ask


def _asked(question: str) -> Ask | None:
    for pattern, kind, label in _NAMED_FIRST:
        if m := pattern.search(question):
            return Ask(
                kind, label=label, counted=measured_before(question, m.start()), event=_event(question, m)
            )
    yes_no = bool(_YES_NO.search(question))  # then an amount or a count is not what is asked
    ask = None if yes_no else _quantity_asked(question)
    if ask is not None:
        bound = "ceiling" if _CEILING_Q.search(question) else "floor" if _FLOOR_Q.search(question) else ""
        fee = ask.kind in ("money", "number") and bool(_FEE_Q.search(question))
        kind = money_kind(question) if ask.kind == "money" else ""
        return replace(ask, bound=bound, fee=fee, money_kind=kind)
    for pattern, kind, label in _NAMED_AFTER:
        if m := pattern.search(question):
            return Ask(kind, label=label, counted=measured_before(question, m.start()))
    if m := _DURATION_Q.search(question):
        unit = "年" if _YEARS_Q.search(question) else None
        label = "时长（年）" if unit else "时长或期限"
        counted = measured_before(question, m.start())
        return Ask(
            "duration",
            unit=unit,
            label=label,
            counted=counted,
            period_named=_named_period(counted),
            timed=timed_action(question, m.end()),
        )
    m = _DATE_Q.search(question)
    if m and yes_no and m.group(0) in _DATE_NOUNS:  # 算不算在调查期限里: whether, not when
        m = None
    if m:  # 燃气管道改造什么时候完成: the activity named before, the event after
        return Ask(
            "date",
            label="时间或期限",
            counted=measured_before(question, m.start()),
            event=_event(question, m),
        )
    return None


# a fee or price asked for, as against a fine (罚款 is a penalty, not what a service costs)
_FEE_Q = re.compile(r"^(?!.*罚).*(?:费|收费|价格|票价)")
# kinds of money, each as the words a text names it by: what a sum is (a fine, a wage, a subsidy)
_MONEY_KINDS = (
    ("罚", "罚"),
    ("赔", "赔"),
    ("补助|补贴", "补助|补贴|救助|补偿"),
    ("奖", "奖"),
    ("工资|报酬|薪", "工资|报酬|薪"),
)


def money_kind(question: str) -> str:
    """The kind of money a question asks, as the alternatives a text names it by ('' when it names none
    or several): 罚多少 asks a fine, 补助多少钱 a subsidy.

    >>> money_kind("野外吸烟罚款多少元"), money_kind("搬迁每户补助多少钱"), money_kind("建设投资多少钱")
    ('罚', '补助|补贴|救助|补偿', '')
    """
    found = [text for asked_as, text in _MONEY_KINDS if re.search(asked_as, question)]
    return found[0] if len(found) == 1 else ""


_NAMED_PERIOD = re.compile(r"[\u4e00-\u9fff]期$")


def _named_period(measured: str) -> str:
    """The period a length of time is asked of, when one is named (有效期, 记分周期, 防火期): its last two
    characters, which a figure's clause must hold (审查20日 is no 有效期).

    >>> _named_period("焰火燃放许可证的有效期"), _named_period("货车司机连续开")
    ('效期', '')
    """
    return measured[-2:] if _NAMED_PERIOD.search(measured) else ""


# what may stand between a time question word and the action it times: the within-word (多少日[内]), a
# modal (几天[要]通知) or an adverb of time (提前几天[就])
_TIMED_LEAD = re.compile(
    r"^(?:个|小时|分钟|工作日|星期|月|年|天|日|内|以内|之内|以上|后|以后|前|之前|左右|时间|的时间|"
    r"要|能|才能|可以|应当|应该|需要|必须|就|才|得|再|去|来)+"  # 去办延期: 去 / 来 before a verb is no part of it
)


def timed_action(question: str, at: int) -> str:
    """The action a length of time is asked of, named after the question word: Chinese puts a time limit
    before its verb (提前几天通知, 多少日内完成整改, 多久能重新申请), while a length named after the verb
    (封多少天, 要几个工作日) names no action after it ('').

    >>> timed_action("施工要提前几天通知铁路运输企业", 7), timed_action("吊销后多久能重新申请", 5)
    ('通知铁路运输企业', '重新申请')
    >>> timed_action("公路最长可以封多少天", 10), timed_action("事故调查报告批复后多少日内完成整改", 13)
    ('', '完成整改')
    """
    phrase = _TIMED_LEAD.sub("", _named_after(question, at))
    return phrase if len(re.findall(r"[\u4e00-\u9fff]", phrase)) >= 2 else ""


def _event(question: str, m: re.Match) -> str:
    """The verb after the question word, what the asked-for date or body is of (什么时候[施行], 哪个部门[颁发])."""
    return _named_after(question, m.end())[-2:]


def _named_after(question: str, at: int) -> str:
    """The words from ``at`` to the end of their clause, trailing particles dropped."""
    return _TRAILING.sub("", CLAUSE.split(question[at:])[0])


def _quantity_asked(question: str) -> Ask | None:
    """An amount of money, a count in a unit, a share or a figure of any kind, when the question asks one."""
    if m := _MONEY_Q.search(question):  # 举报隐患最高奖励多少钱: the award named before
        return Ask("money", label="金额", counted=act_before(question, m.start()))
    if m := _COUNT_Q.search(question):
        unit = m.group(1) or m.group(2)
        if unit == "元":
            return Ask("money", label="金额")
        counted = ""
        if m.group(1):  # 多少X / 几X: the thing named after it, else the one named just before it
            counted = counted_after(question, m.end()) or measured_before(question, m.start())
        if unit == "个" and counted[:1] in UNITS:  # 几个人: 个 is the general measure word, 人 the unit
            unit, counted = counted[0], counted[1:]
        elif unit == "个" and (noun := _head_noun(question, m.end())) and noun in UNITS:
            unit, counted = noun, ""  # 几个干活的人: what 的 modifies is what is counted, in its own unit
        if unit == "个" and (time := next((t for t in _TIME_UNITS if counted.startswith(t)), None)):
            unit = time
        if unit == "日" and _DAY_Q.search(question):  # 几月几日 asks a day of the calendar
            return None
        period_named = timed = ""
        if unit in _TIME_UNITS or unit in _LENGTHS:  # a duration counts no thing
            counted = ""  # but may be of a named period (有效期是几天)
            period_named = _named_period(measured_before(question, m.start()))
            timed = "" if unit in _AGES else timed_action(question, m.end())
        elif _PREDICATE.match(counted):  # 多少人算特大: a verb follows, the counted thing is named before
            counted = measured_before(question, m.start())
        if _KINDS.search(counted) or (unit == "点" and _POINTS_OF.search(counted)):
            return None
        period = _PERIOD.findall(question[: m.start()])[-1:] if unit == "次" else []
        return Ask(
            "count",
            unit=UNIT_ALIASES.get(unit, unit),
            label="钟点" if unit == "点" else f"具体数量（{unit}）",  # 几点 left here asks an hour
            counted=counted,
            period=period[0] if period else "",
            period_named=period_named,
            timed=timed,
        )
    if m := _PERCENT_Q.search(question):  # 持证率是多少: the rate named before the question word
        return Ask("percent", label="比例", counted=measured_before(question, m.start()))
    if m := _HOW_ADJ_Q.search(question):  # 隔多远, 要多宽: a figure in the adjective's dimension
        return _dimension_asked(question, m)
    if m := _SPEED_Q.search(question):  # 最快能开多快: a figure in a unit of speed, wherever it stands
        measured = measured_before(question, m.start())
        return Ask("count", unit="速度", label="具体数值（速度）", counted=measured, loose=True)
    if (m := _NUMBER_Q.search(question)) and not _FREQ_Q.search(question):
        if dimension := dimension_of(question[: m.start()]):  # a speed, a length ...: in its units,
            dimension, measured = dimension  # in a clause naming what is measured (counts_it)
            return Ask("count", unit=dimension, label=f"具体数值（{dimension}）", counted=measured)
        return Ask("number", label="具体数值", counted=measured_before(question, m.start()))
    return None


# 多 before an adjective of size asks how far, wide, high, deep or thick: a length (多快 is not here: it
# asks a speed or how soon, _SPEED_Q and _DURATION_Q; nor 多重, also "multiple", 多重保障; 多长 is a
# duration, _DURATION_Q)
_HOW_ADJ_Q = re.compile(r"多(?:远|宽|高|深|厚)")


def _dimension_asked(question: str, m: re.Match) -> Ask:
    """What 多远 / 多宽 asks: a length, of the thing after it (多宽的防火带) or else of the one named before
    (消防车通道要多宽), unless a measure noun before names another dimension (温度多高).

    >>> ask = lambda q: _dimension_asked(q, _HOW_ADJ_Q.search(q))
    >>> [(a.unit, a.counted) for a in (ask("山里房子周边要留多宽的防火带"), ask("消防车通道要多宽"))]
    [('长度', '防火带'), ('长度', '消防车通道')]
    """
    if named := dimension_of(question[: m.start()]):
        dimension, measured = named
    else:
        after = question[m.end() :]
        noun = _COUNTED.match(after, 1).group(0) if after.startswith("的") else ""
        dimension, measured = "长度", noun or measured_before(question, m.start())
    return Ask("count", unit=dimension, label=f"具体数值（{dimension}）", counted=measured, loose=True)


_MEASURE_QUALIFIERS = re.compile(r"(?:的|最高|最低|最大|最小|允许|限制|规定)+$")


def dimension_of(before: str) -> tuple[str, str] | None:
    """The physical dimension the measure noun ending ``before`` (the question up to its 多少) names,
    with what is measured: the words before the noun, qualifiers dropped, their last few characters.

    >>> dimension_of("渡口船舶夜间航行的最高时速是"), dimension_of("消防车通道净宽是"), dimension_of("保费标准是")
    (('速度', '船舶夜间航行'), ('长度', '消防车通道'), None)
    """
    head = _named_before(before, len(before))
    for dimension, (nouns, _) in DIMENSIONS.items():
        if found := re.search(rf"(?:{nouns})$", head):
            return dimension, _MEASURE_QUALIFIERS.sub("", head[: found.start()])[-6:]
    return None


# what follows 多少个 / 几名 in a question: the thing counted, up to punctuation or a particle
_COUNTED = re.compile(r"[^，,。；;？?！!、的呢吗啊呀]*")
_TRAILING = re.compile(r"(?:的|了|呢|吗|啊|呀|[？?。！!\s])+$")
_NOUN_PHRASE = re.compile(r"[^，,。；;？?！!、呢吗啊呀]*")


# a modal, an adverb or a copula after a noun starts the predicate (几项规定[要]公示, 几个人[都]得去)
_PREDICATE_START = re.compile(r"要|需要|须|必须|应当|应该|得|都|也|还|会|能|可以|就|才|是|由|被|一起|算")


def counted_after(question: str, at: int) -> str:
    """The thing a count counts, named after its measure word: the noun phrase through the 的-modifiers to
    the head noun they modify, which is what is counted (几项[企业必须遵守的规定]要公示: 规定, not 企业必须遵守),
    ending where the predicate starts (a modal or adverb after the head; a first character never cuts,
    as in 会议 or 能力).

    >>> counted_after("有几项企业必须遵守的规定要公示", 3), counted_after("有几个应急避难场所", 3)
    ('企业必须遵守的规定', '应急避难场所')
    >>> counted_after("从业人员超过多少人的企业要设置安全生产管理机构", 9)
    ''
    """
    plain = _COUNTED.match(question, at).group(0)
    phrase = _TRAILING.sub("", _NOUN_PHRASE.match(question, at).group(0))
    # a 的 right after the measure word makes the figure itself a modifier (超过多少人的企业: companies of
    # that many people): the people are counted, named before, not the noun after
    if not plain or "的" not in phrase[len(plain) :]:
        return plain
    modifier, _, head = phrase.rpartition("的")
    cut = _PREDICATE_START.search(head, 1)
    head = head[: cut.start()] if cut else head
    return f"{modifier}的{head}" if head else plain


def _head_noun(question: str, at: int) -> str:
    """What the noun phrase starting at ``at`` names after its last 的 (几个[干活的人] -> 人): what comes
    before 的 modifies the head that follows it ('' when the phrase has no 的).

    >>> _head_noun("货车里能坐几个干活的人？", 8), _head_noun("有几个应急避难场所", 3)
    ('人', '')
    """
    phrase = _TRAILING.sub("", _NOUN_PHRASE.match(question, at).group(0))
    return phrase.rpartition("的")[2] if "的" in phrase else ""


# what stands between the thing measured and the question word: 宽度[不小于]多少米, 队伍[至少要有]几人
_QUALIFIERS = re.compile(
    r"(?:不少于|不小于|不低于|不超过|不大于|不多于|(?:不得|不应)?(?:超过|低于|高于|少于|大于|小于)|"
    r"至少|最少|最多|达到|控制在|应当|应该|需要|要|是|为|有|的|约|一共|总共|共计|共|由)+$"
)
_FOCUS_CHARS = 8  # a noun phrase's last characters: its head and what sets it apart


def measured_before(question: str, at: int) -> str:
    """The thing a quantity question measures when it is named before the question word
    (消防车通道宽度不小于多少米 -> 消防车通道宽度): the text from the last punctuation to the question
    word, qualifiers dropped, its last few characters.

    >>> measured_before("消防车通道宽度不小于多少米", 10)
    '消防车通道宽度'
    """
    return _named_before(question, at)[-_FOCUS_CHARS:]


def _named_before(question: str, at: int) -> str:
    """The words from the last punctuation mark to ``at``, the qualifiers closing them dropped."""
    return _QUALIFIERS.sub("", CLAUSE.split(question[:at])[-1].strip())


# who pays or is paid (对单位, 个人, 企业) and what a sum is reckoned per (每户, 每月, 一个月) close the words
# before a money question word without naming what the sum is for
_PAYER = re.compile(
    r"(?:(?:对|给)[^，,对给]{0,8}?(?:单位|个人|企业|公司|人员)|单位|个人|企业|公司|老板|商家|司机|"
    r"每户|每人|每月|每天|每年|每次|每个|一个月|一年|可以|要|会被|会|被|得)$"
)


def act_before(question: str, at: int) -> str:
    """What a sum of money is for, named before the question word: as ``measured_before``, without the
    party who pays or is paid and the unit it is reckoned per, which name no act.

    >>> act_before("员工没去参加消防培训个人罚多少", 12), act_before("电梯困人事故对维保单位罚多少钱", 11)
    ('没去参加消防培训', '电梯困人事故')
    >>> act_before("十户联防每户每月补贴多少钱", 8)
    '十户联防'
    """
    head = _named_before(question, at)
    while (cut := _PAYER.sub("", head)) != head and cut:
        head = _QUALIFIERS.sub("", cut)
    return head[-_FOCUS_CHARS:]


def with_head(ask: Ask, tokenize: Callable[[str], list[str]]) -> Ask:
    """``ask`` with the last word of what it counts, as ``tokenize`` (the index's segmenter) cuts it.

    >>> with_head(Ask("count", unit="人", counted="山体滑坡死"), lambda s: ["山体", "滑坡", "死"]).head
    '死'
    """
    words = tokenize(ask.counted) if ask.counted else []
    return replace(ask, head=words[-1]) if words else ask


def relative_to(ask: Ask, texts: Iterable[str]) -> Ask:
    """``ask`` with the share of its topic (or of the action a length of time is asked of) a dated sentence
    must name lowered to the most that any of ``texts`` names (never raised above half): a date answers
    when its sentence names the topic as fully as the documents ever do; a passage naming it more fully,
    undated, shows the dated one speaks of a neighbouring thing (老旧小区改造 beside 老旧燃气管道改造).
    The act a fine is for is held to its last word only when some passage at hand holds that word (the
    documents' own word for it, 野外吸烟); when none does, the act is named in the reader's own words
    (转给别人用 for 转让) and is judged by the share of it a sentence names, as a date's topic is.

    >>> ask = asked("危旧房里的居民啥时候要搬走")
    >>> relative_to(ask, ["基本完成危旧房居住人员搬离", "加强应急管理"]).need
    0.4
    """
    texts = list(texts)
    if ask.kind == "money" and len(ask.counted) >= 4 and not any(ask.counted[-2:] in t for t in texts):
        best = max((coverage(ask.counted, t) for t in texts), default=0.0)
        return replace(ask, act_unnamed=True, need=min(ask.need, best))
    topic = ask.timed or (ask.counted if ask.kind in TOPIC_TIED else "")
    if len(topic) < (2 if ask.timed else TOPIC_MIN):
        return ask
    best = max((coverage(topic, t) for t in texts), default=0.0)
    if ask.timed:  # an action no passage names at all is asked in the reader's own words: no tie to judge
        return replace(ask, need=min(ask.need, best))
    return replace(ask, need=min(ask.need, best)) if best > 0 else ask


def about(ask: Ask, text: str) -> bool:
    """Whether ``text`` speaks of what ``ask`` is about (its counted thing or activity), stated fact or not:
    the passage a decline says the documents do mention."""
    return len(ask.counted) < 2 or names(ask.counted, text)
