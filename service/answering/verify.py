"""Does a span hold the kind of fact the question asks for? Checked before anything is answered.

What a question asks is read by ``service.answering.asking`` (an ``Ask``); here a text is checked against it:
an amount of money, a count in some unit, a percentage, a date, a frequency ... is answered only by a span
that states such a thing, tied to what is asked about where the kind needs it (a passage *about* the topic
that states no figure does not answer "多少"), and stated as the limit asked for. ``extract`` takes the
precise expression that leads an answer. Everything here is a general reading of Chinese quantity
expressions (no document or question is listed).
"""

from __future__ import annotations

import re
from dataclasses import replace

from corpus.chunking import sentences_of
from corpus.jurisdiction import provinces_named
from corpus.metadata import doc_type_of, years_named
from service.answering.asking import TIED, TOPIC_MIN, TOPIC_TIED, Ask
from service.answering.wording import BRANCH, CLAUSE, UNIT_FORMS, UNIT_RE, bigrams, names

_NUM = r"(?:\d+(?:\.\d+)?|[零一二两三四五六七八九十百千万]+)"
# a bound's negation belongs to it (不得超过4米 is a ceiling; cut to 超过4米 it would say the opposite)
_QUAL_BEFORE = r"(?:(?:不得|不应|不宜|不能|不)(?:少于|低于|超过|高于|大于|小于|多于|超出)|低于|高于|少于|超过|至少|达到|控制在|约|近|逾)?"
_QUAL_AFTER = r"(?:以上|以内|以下|之内|之前|以前|左右|内|前)?"  # 15日前, 7日内: the bound is the answer's
_BODY = re.compile(r"[局厅署]|委员会|(?<!托)委(?!托)|办公室|部门|政府|机关|机构|指挥部|中心|总队|支队|大队")
# 万 / 亿 alone are money only when no measure word follows (1.8万台 counts machines, 4186万平方米 is an area)
_TEN_THOUSANDS = rf"[万亿](?!\s*(?:{UNIT_RE}))"
_MONEY = re.compile(rf"{_NUM}\s*(?:元|万元|亿元|{_TEN_THOUSANDS})")
_PERCENT = re.compile(r"\d+(?:\.\d+)?\s*[%％‰]|百分之|[一二三四五六七八九十\d]成|\d+\s*[:：比]\s*\d+")
_DAY = re.compile(r"\d{1,2}\s*[日号]|[一二三四五六七八九十]+[日号]|\d{4}-\d{1,2}-\d{1,2}")
_MONTH = re.compile(r"\d{1,2}\s*月|[一二三四五六七八九十]+月|\d{1,2}-\d{1,2}月|月底|月初")
_DATE = re.compile(
    r"(?:19|20)\d{2}\s*年|\d{1,2}\s*月|年底|年内|月底|季度|[前后]完成|之前|以前|汛期|汛前|长期坚持|每年|\d{4}-\d{1,2}"
)


def _duration(units: str = "工作日|日|天|小时|星期|周|个月|年") -> re.Pattern:
    """A length of time (三年, 七个工作日内, 六个月): a figure of 1-3 digits, never a year such as 2025年;
    months are counted with 个 (三个月), a bare 月 names a month of the year (汛期5-9月, 六月).

    >>> [m.group() for m in _duration().finditer("汛期5-9月，6个月内整改完毕，三年一次")]
    ['6个月内', '三年']
    """
    return re.compile(
        rf"{_QUAL_BEFORE}(?:(?<!\d)\d{{1,3}}(?!\d)|[零一二两三四五六七八九十百]+)\s*个?"
        rf"(?:{units})(?:内|以内|之内|以上)?"
    )


_DURATION = _duration()
# a figure of any kind, for a question that asks 多少 without a measure word: a count in some unit, a
# share, an amount or a length of time (an ordinal such as 第十二条 counts nothing)
_ANY_COUNT = re.compile(rf"(?<![第\d零一二两三四五六七八九十百千万]){_NUM}\s*个?\s*(?:{UNIT_RE})")
# a frequency: a period with 每 (每季度, 每15日, 每两年), a count of times (3次, 两次; not 第一次 or
# 一次性), or a span of time with 一次 after it (五年修订一次, 三年至少检验一次)
_CN = "一二两三四五六七八九十"
# a school's year and term are periods too (每学年组织一次演练)
_PERIOD_UNIT = "(?:学年|学期|年|半年|季度|季|个月|月|周|星期|日|天|小时)"
_FREQ = re.compile(
    rf"每\s*[\d{_CN}半]*\s*{_PERIOD_UNIT}|半年|季度|月度|年度|定期|常态化|至少\s*\d+\s*次|\d+\s*次|逢\d|日周月|"
    rf"(?<![第{_CN}])[{_CN[1:]}]\s*次(?!性)|[\d{_CN}]+\s*{_PERIOD_UNIT}[^，。；,;]{{0,8}}?[一1]\s*次(?!性)"
)
_PLACE = re.compile(r"位于|地址|\d+号|路\d|街\d|门牌")
# a landline (area code optional), an 11-digit mobile, or a public service hotline (110, 119, 12345 ...);
# a number is dialled bare, so digits with a unit or a date word after them are a quantity or a year
# (行动方案(20242026年) is a span of years, not the number 20242026)
PHONE = re.compile(
    rf"(?<!\d)(?:0\d{{2,3}}-?\d{{7,8}}|[2-9]\d{{6,7}}|1[3-9]\d{{9}}|11[029]|12\d{{3}})(?!\d|\s*(?:年|月|{UNIT_RE}))"
)
_PERSON = re.compile(r"同志|姓名|联系人[:：]?\s*[\u4e00-\u9fa5]{2,3}")
_SENTENCE = re.compile(r"[；;。？?！!\n]")
_ROW_SENTENCE = re.compile(r"[；;。？?！!]")


def _clause_at(text: str, start: int, end: int, marks: re.Pattern = CLAUSE, branches: bool = False) -> str:
    """The clause of ``text`` holding ``text[start:end]``, between the punctuation marks around it; with
    ``branches``, a branch of a norm read with the part before it (``_sentence_at``)."""
    left = max((m.end() for m in marks.finditer(text, 0, start)), default=0)
    right = next((m.start() for m in marks.finditer(text, end)), len(text))
    if branches and left > 0 and text[left - 1] in "；;" and BRANCH.match(text, left):
        left = max((m.end() for m in marks.finditer(text, 0, left - 1)), default=0)
    return text[left:right]


def _sentence_at(text: str, start: int, end: int, marks: re.Pattern = _SENTENCE) -> str:
    """The sentence part (between semicolons) holding ``text[start:end]``; a branch of a norm
    (``wording.BRANCH``: 拒不改正的，处二万元以上罚款) read with the part before it, whose rule it goes on with.

    >>> t = "拒绝监督检查的，责令改正；拒不改正的，处二万元以上罚款；"
    >>> _sentence_at(t, t.index("二万"), t.index("二万") + 5)
    '拒绝监督检查的，责令改正；拒不改正的，处二万元以上罚款'
    >>> _sentence_at("开展培训；处二万元罚款", 6, 9)
    '处二万元罚款'
    """
    return _clause_at(text, start, end, marks, branches=True)


def counts_it(ask: Ask, text: str, match: re.Match, title: str = "", context: str = "") -> bool:
    """A count answers 几座X only when its clause speaks of X (三座示范公园 does not count shelters):
    the clause holding the number shares at least half of the character pairs that name X.

    >>> ask = Ask("count", unit="座", counted="应急避难场所")
    >>> m = re.search("三座", "打造三座示范公园")
    >>> counts_it(ask, "打造三座示范公园", m)
    False
    >>> m = re.search("3座", "新建应急避难场所3座")
    >>> counts_it(ask, "新建应急避难场所3座", m)
    True

    An amount of money is tied to its sentence: a fine or an award follows the act it is for in another
    clause of the same sentence (…野外用火的，处200元以上罚款). That sentence must name the act's last
    word: two acts that share every other word (野外吸烟, 野外用火) are different acts, with different fines.

    >>> ask = Ask("money", counted="防火期内野外吸烟")
    >>> text = "森林防火期内擅自在森林防火区内野外用火的，给予警告，对个人并处200元以上3000元以下罚款。"
    >>> counts_it(ask, text, re.search("200元以上", text))
    False

    An item of an enumeration completes the sentence its lead-in line opens, so ``context`` (the lead-in
    of an item, or the items of a lead-in) may name what a figure is for (事故发生单位对事故发生负有责任的，
    依照下列规定处以罚款：(二)发生较大事故的，处20万元以上50万元以下的罚款).

    >>> item = "(二)发生较大事故的，处20万元以上50万元以下的罚款；"
    >>> lead = "事故发生单位对事故发生负有责任的，依照下列规定处以罚款："
    >>> ask = Ask("money", counted="对负有责任的事故单位")
    >>> counts_it(ask, item, re.search("20万元", item)), counts_it(ask, item, re.search("20万元", item), context=lead)
    (False, True)
    """
    marks = _SENTENCE if ask.kind == "money" or ask.kind in TOPIC_TIED else CLAUSE
    if ask.kind in TOPIC_TIED and "|" in text:  # a table row is one record: its date cell is the task's
        marks = _ROW_SENTENCE
    clause = _clause_at(text, match.start(), match.end(), marks, branches=marks is not CLAUSE)
    if ask.period and ask.period.rstrip("度") not in clause:  # 每季度几次: a figure for each 季(度)
        return False
    if len(ask.counted) < 2:
        return True
    if ask.kind == "money" and len(ask.counted) >= 4:
        if ask.act_unnamed:
            return names(ask.counted, clause + context, ask.need)
        return ask.counted[-2:] in clause or ask.counted[-2:] in context
    if ask.kind in TOPIC_TIED:  # an activity's last word is its verb (改造, 完成), shared by every other one
        # a question about the document itself (条例哪一年修正, 工作要点什么时候印发) is answered by the
        # document's own dating lines, which name no topic: the ``title`` names it there, and the line must
        # date the event asked about (印发, 施行 and 废止 are different dates of one document)
        if ask.kind == "body" and ask.event and ask.event in clause:
            return True  # 由负有监督管理职责的部门颁发: a statute's next sentence, its subject left out
        if ask.kind == "date" and misses_event(ask.event, clause):
            return False
        if len(ask.counted) < TOPIC_MIN:
            return True
        own_line = names(ask.counted, title) and (not ask.event or ask.event in clause)
        # the topic is the document itself (防汛条例由哪个部门负责解释): every line of it speaks of that,
        # so only a line holding the event asked answers (本条例由…负责解释)
        itself = bool(ask.event and doc_type_of(ask.counted)) and names(ask.counted, title)
        named = own_line if itself else names(ask.counted, clause, ask.need) or own_line
        # a province the topic names must be the one spoken of (四川省消防条例 is not 重庆市's)
        return named and provinces_named(ask.counted) <= provinces_named(clause + title)
    # the phrase's head, its last word (逃跑演练 -> 演练), as two characters or as segmented (``head``): a
    # verb before 多少人 is a word of one (山体滑坡死多少人: 死, in 因灾死亡三十人)
    if ask.counted[-2:] in clause or (ask.head and ask.head in clause):
        return True
    return names(ask.counted, clause) or (bool(context) and ask.counted[-2:] in context)


# the dated events of a document's life, each with its synonyms: one date is not another's
_LIFE_EVENTS = (
    ("施行", "实施", "生效"),
    ("公布", "发布", "印发"),
    ("通过",),
    ("修正", "修订", "修改"),
    ("废止", "失效"),
)


def misses_event(event: str, clause: str) -> bool:
    """Whether ``clause`` leaves unnamed the event of a document's life a date is asked for (修正 asked:
    the clause must say 修正, 修订 or 修改). A date beside another event (施行, 废止) is that event's, and a
    year a plan sets for drawing up a catalogue (2024年…制定…目录) is not the year it is published. A
    closed class of events, so an everyday verb (整治完, 完成) is never held to it.

    >>> misses_event("修正", "2005年6月1日施行的《重庆市安全生产监督管理条例》同时废止")
    True
    >>> misses_event("修正", "根据2016年7月29日重庆市人民代表大会常务委员会决定第一次修正")
    False
    >>> misses_event("发布", "2025年,制定危险化学品禁止目录")
    True
    >>> misses_event("生效", "本条例自2020年8月1日起施行"), misses_event("完成", "2024年完成改造")
    (False, False)
    """
    asked_group = next((g for g in _LIFE_EVENTS if event in g), None)
    return asked_group is not None and not any(e in clause for e in asked_group)


def _count_pattern(ask: Ask) -> re.Pattern:
    units = UNIT_FORMS.get(ask.unit or "", re.escape(ask.unit or ""))
    return re.compile(rf"{_QUAL_BEFORE}{_NUM}\s*个?\s*(?:{units}){_QUAL_AFTER}")


_STATES = {  # what states each kind of fact in a text (a count's pattern depends on its unit)
    "money": _MONEY,
    "percent": _PERCENT,
    "day": _DAY,
    "month": _MONTH,
    "date": _DATE,
    "frequency": _FREQ,
    "duration": _DURATION,
    "place": _PLACE,
    "person": _PERSON,
    "phone": PHONE,
}
_STATES["body"] = _BODY
# a figure is a floor or a ceiling by the word before it (a comparison flips under a negation: 不得少于
# is a floor, 不超过 a ceiling) or by the word right after its unit (以上; 以下, 以内, 之内, 内)
_COMPARATIVES = {"少于": "ceiling", "低于": "ceiling", "小于": "ceiling", "超过": "floor", "超出": "floor", "高于": "floor",
                 "大于": "floor", "多于": "floor"}  # fmt: skip
_LIMITS = {"至少": "floor", "最少": "floor", "最低": "floor", "达到": "floor", "控制在": "ceiling",
           "最多": "ceiling", "最高": "ceiling"}  # fmt: skip
_NEGATED = re.compile(r"(?:不|不得|不应|不应当|不宜|不能|不可|未|没有)$")
_FLIP = {"floor": "ceiling", "ceiling": "floor"}
_BOUND_REACH = 6
_SUFFIXES = ("以上", "以下", "以内", "之内", "内")
_FIGURE = re.compile(r"\d+(?:\.\d+)?|[零一二两三四五六七八九十百千万]+")
_FIGURE_TAIL = re.compile(
    rf"\s*个?\s*(?:万元|亿元|元|[%％‰]|工作日|小时|星期|个月|{UNIT_RE}|[万亿月年日周天])?"
)


def bound_of(text: str, match: re.Match) -> str:
    """How ``text`` states the figure ``match`` holds: as a floor (不少于15人, 15人以上), a ceiling
    (低于0.5%, 十日内) or plainly (''). A qualifier before the figure or right after its unit counts.

    >>> text = "对个人并处200元以上3000元以下罚款"
    >>> bound_of(text, re.search("200元", text)), bound_of(text, re.search("3000元", text))
    ('floor', 'ceiling')
    >>> [bound_of(t, re.search("[0-9.]+|一", t)) for t in ("每年不得少于一次", "低于0.5%", "不超过3人", "共5人")]
    ['floor', 'ceiling', 'ceiling', '']
    >>> bound_of("速度不得超过每小时10公里", re.search("10", "速度不得超过每小时10公里"))
    'ceiling'
    """
    figure = _FIGURE.search(text, match.start(), match.end())
    if figure is None:
        return ""
    # the nearest bound word in the few characters before the figure, within its clause (不得超出车把0.15米)
    # a negation may stand further back than the bound's reach (不得超过每小时10公里)
    wide = CLAUSE.split(text[max(0, figure.start() - _BOUND_REACH - 3) : figure.start()])[-1]
    before = wide[-_BOUND_REACH:]
    found = [(before.rfind(w), w) for w in (*_LIMITS, *_COMPARATIVES) if w in before]
    if found:
        at, word = max(found, key=lambda x: (x[0] + len(x[1]), len(x[1])))
        if word in _LIMITS:
            return _LIMITS[word]
        side = _COMPARATIVES[word]
        return _FLIP[side] if _NEGATED.search(wide[: len(wide) - len(before) + at]) else side
    after = text[_FIGURE_TAIL.match(text, figure.end()).end() :]
    suffix = next((w for w in _SUFFIXES if after.startswith(w)), "")
    return "floor" if suffix == "以上" else "ceiling" if suffix else ""


def _patterns(ask: Ask) -> tuple[re.Pattern, ...]:
    if ask.kind == "count":
        return (_count_pattern(ask),)
    if ask.kind == "number":  # a figure of any kind
        return (_PERCENT, _MONEY, _ANY_COUNT, _DURATION)
    if ask.kind == "duration" and ask.unit:
        return (_duration(ask.unit),)
    return (_STATES[ask.kind],)


# a distance per unit of time is a speed: 公里 after 时速 or 每小时 measures no length
_PER_TIME = re.compile(r"(?:时速|航速|车速|速度|每小时|每秒|每分钟)[^，,；;。]{0,4}$")


def is_speed(text: str, match: re.Match) -> bool:
    """Whether the figure ``match`` holds is a speed by the words right before it, not a length.

    >>> t = "最高时速不得超过80公里，与前车保持100米以上的距离"
    >>> is_speed(t, re.search("80公里", t)), is_speed(t, re.search("100米", t))
    (True, False)
    """
    return bool(_PER_TIME.search(text[max(0, match.start() - 12) : match.start()]))


def is_calendar_day(text: str, match: re.Match) -> bool:
    """Whether the count of days ``match`` holds is a day of the month (7月16日), not a length of days.

    >>> t = "1979年7月16日批准，自收到之日起15日内付清"
    >>> is_calendar_day(t, re.search("16日", t)), is_calendar_day(t, re.search("15日", t))
    (True, False)
    """
    figure = _FIGURE.search(text, match.start(), match.end())
    return figure is not None and text[: figure.start()].rstrip().endswith("月")


def dated_otherwise(years: tuple[int, ...], sentence: str) -> bool:
    """Whether ``sentence`` dates what it states to years, none of them one of ``years`` (those a question
    names): a figure is of the year its sentence names, so a plan for 2025 reporting 2024年新开工改造1835个
    does not say how many are planned for 2025. An undated sentence is of the document's own time.

    >>> dated_otherwise((2025,), "2024年新开工改造城镇老旧小区1835个")
    True
    >>> dated_otherwise((2025,), "到2025年改造1835个"), dated_otherwise((2025,), "改造1835个")
    (False, False)
    >>> dated_otherwise((2025,), "2024—2026年每年改造600个")
    False
    """
    stated = years_named(sentence)
    return bool(stated) and not stated & set(years)


def _fits(ask: Ask, text: str, match: re.Match, title: str = "", context: str = "") -> bool:
    """A figure answers when it is tied to what is asked about (``TIED`` kinds) and, for a limit asked
    for, is not stated as the opposite limit (控制在多少 is not answered by 不少于1000台)."""
    if ask.kind in TIED and not ask.loose and not counts_it(ask, text, match, title, context):
        return False
    if (
        ask.years
        and ask.kind in _FIGURE_KINDS
        and dated_otherwise(ask.years, _sentence_at(text, match.start(), match.end()))
    ):
        return False
    if ask.unit == "长度" and is_speed(text, match):
        return False
    if (ask.unit == "天" or ask.kind == "duration") and is_calendar_day(text, match):
        return False
    if ask.timed or ask.money_kind or ask.period_named or ask.fee:  # read in the figure's sentence
        sentence = _sentence_at(text, match.start(), match.end())
        # 十五日内作出批复 does not time 完成整改; an enumerated item's lead-in (``context``) completes it
        if ask.timed and not names(ask.timed, sentence + context, ask.need):
            return False
        if ask.money_kind and not re.search(ask.money_kind, sentence + context):
            return False  # a fine is no subsidy
        if ask.period_named and ask.period_named not in sentence:
            return False
        if ask.fee and "罚" in sentence:  # a penalty is not what something costs
            return False
    return not ask.bound or bound_of(text, match) in ("", ask.bound)


def states(ask: Ask, text: str) -> bool:
    """Whether ``text`` states a fact of the asked kind at all, tied to what is asked or not (a decline
    must not say a passage gives no amount when it gives one for another act).

    >>> ask = Ask("money", counted="防火期内野外吸烟")
    >>> text = "野外用火的，对个人并处200元以上3000元以下罚款"
    >>> states(ask, text), answers(ask, text), states(ask, "加强森林防火宣传")
    (True, False, False)
    """
    return any(pattern.search(text) for pattern in _patterns(ask))


def answers(ask: Ask, text: str, title: str = "", context: str = "") -> bool:
    """Whether ``text`` holds the kind of fact ``ask`` wants (pure); for the kinds in ``TIED``, in a
    clause naming what it is about; for a limit, stated as that limit or plainly."""
    return any(
        _fits(ask, text, m, title, context) for pattern in _patterns(ask) for m in pattern.finditer(text)
    )


_EXTRACT = {
    "money": re.compile(rf"{_QUAL_BEFORE}{_NUM}\s*(?:元|万元|亿元|{_TEN_THOUSANDS}){_QUAL_AFTER}"),
    "percent": re.compile(rf"{_QUAL_BEFORE}\d+(?:\.\d+)?\s*[%％‰]{_QUAL_AFTER}"),
    "frequency": re.compile(
        rf"每\s*[\d{_CN}半]*\s*{_PERIOD_UNIT}[^，。；,;]{{0,12}}?(?:至少)?[^，。；,;]{{0,6}}?[\d{_CN}]+\s*次(?!性)|"
        rf"每\s*[\d{_CN}半]*\s*{_PERIOD_UNIT}|(?:至少)?[\d{_CN}]+\s*{_PERIOD_UNIT}[^，。；,;]{{0,8}}?[一1]\s*次(?!性)|"
        r"半年|每季度|定期"
    ),
    "date": re.compile(
        # a span of months written once (汛期5-9月, 6至8月): one period, read whole
        r"\d{1,2}\s*[-—–~～至到]\s*\d{1,2}\s*月(?!\s*\d{1,2}\s*日)|"
        r"(?:(?:19|20)\d{2}\s*年\s*)?\d{1,2}\s*月\s*(?:\d{1,2}\s*日)?(?:底|初)?(?:前|之前|以前)?|"
        r"(?:19|20)\d{2}\s*年(?:底|内)?(?:前|之前|以前)?|[^，。；,;]{0,4}汛期?前"
    ),
    "phone": PHONE,
    "duration": _DURATION,
}
_EXTRACT["day"] = _EXTRACT["month"] = _EXTRACT["date"]
# the far end of a range (五千元以上[一万元以下], 3[至5]天): a range is one answer, and its first bound
# alone states half the rule
_RANGE_END = re.compile(
    rf"(?:(?<=以上)|\s*[至到~～—－-]\s*){_NUM}\s*(?:元|万元|亿元|万|亿|[%％‰]|{UNIT_RE})?(?:以下|以内|之内)?"
)
_RANGE_START = re.compile(rf"{_NUM}\s*(?:元|万元|亿元|万|亿|[%％‰]|{UNIT_RE})?\s*[至到~～—－-]\s*$")
_FIGURE_KINDS = ("money", "count", "percent", "number", "duration")


def _whole_range(text: str, match: re.Match) -> str:
    """The figure ``match`` found, widened to the whole range it belongs to, if it is one end of one.

    >>> _whole_range("处五千元以上一万元以下罚款", re.search("五千元以上", "处五千元以上一万元以下罚款"))
    '五千元以上一万元以下'
    >>> _whole_range("在3至5天内报告", re.search("5天", "在3至5天内报告"))
    '3至5天'
    """
    start = _RANGE_START.search(text, max(0, match.start() - 12), match.start())
    end = _RANGE_END.match(text, match.end())
    return text[start.start() if start else match.start() : end.end() if end else match.end()].strip()


_DATE_TO = re.compile(r"\s*[至到~～—－-]\s*")


def _date_range(text: str, match: re.Match) -> str:
    """A date widened to the period it opens (1月1日至5月10日), a period being one answer; ranges
    joined by 、 (两段防火期) read on as well.

    >>> t = "每年1月1日至5月10日、7月10日至10月10日为防火期"
    >>> _date_range(t, _EXTRACT["date"].search(t))
    '1月1日至5月10日、7月10日至10月10日'
    """
    end = match.end()
    while True:
        start = end
        if text.startswith("、", start):  # the next period of a list of periods
            head = _EXTRACT["date"].match(text, start + 1)
            if head is None:
                break
            start = head.end()
        joint = _DATE_TO.match(text, start)
        last = _EXTRACT["date"].match(text, joint.end()) if joint else None
        if last is None:
            break
        end = last.end()
    return text[match.start() : end].strip()


def extract(ask: Ask, text: str, question: str = "", title: str = "", context: str = "") -> str | None:
    """The precise expression in ``text`` that answers ``ask`` (不少于15人, 每季度, 12月底前), if any.

    With several candidates, the one whose preceding words share most with the question wins
    (持证率不低于30% for 持证率, not 持证上岗率100%), ties going to the first.
    """
    if ask.kind == "number":  # a quantity of unstated kind: a percentage first, else a count in any unit
        patterns = [
            _EXTRACT["percent"],
            re.compile(rf"{_QUAL_BEFORE}\d+(?:\.\d+)?\s*(?:{UNIT_RE}){_QUAL_AFTER}"),
        ]
    elif ask.kind in ("count", "duration"):
        patterns = list(_patterns(ask))
    elif ask.kind in _EXTRACT:
        patterns = [_EXTRACT[ask.kind]]
    else:
        return None
    q_grams = bigrams(question)
    tied = replace(ask, loose=False)  # a figure leads only when tied to what is measured
    for pattern in patterns:
        found = [m for m in pattern.finditer(text) if _fits(tied, text, m, title, context)]
        if found:
            best = max(
                found,
                key=lambda m: (len(q_grams & bigrams(text[max(0, m.start() - 12) : m.start()])), -m.start()),
            )
            if ask.kind in _FIGURE_KINDS:
                return _whole_range(text, best)
            return _date_range(text, best) if ask.kind in ("date", "day", "month") else best.group(0).strip()
    return None


def row_fields(header: str, row: str) -> list[tuple[str, str]]:
    """An annex table row read against its header: [('名称', ...), ('责任单位', ...)], 序号 and empty cells
    left out; [] when the cells do not line up with the header."""
    names = [h.strip() for h in header.split("|")]
    cells = [c.strip() for c in row.split("|")]
    while cells and not cells[-1]:
        cells.pop()
    while names and not names[-1]:
        names.pop()
    if not cells or len(cells) > len(names):
        return []
    return [(n, " ".join(c.split())) for n, c in zip(names, cells, strict=False) if c and n and n != "序号"]


def table_rows(text: str, header: str | None = None) -> list[list[tuple[str, str]]]:
    """The annex-table rows of a passage, each read against its header (``row_fields``): how a search
    result that is a piece of a table shows, as a table (rows whose cells do not line up are left out).
    ``header``: the header of a table the passage continues (``Chunk.table_header``), for rows before
    any header line of its own.

    >>> table_rows("序号 | 名称 | 责任单位 |\\n1 | 抓好应急演练 | 区应急管理局 |\\n2 | 加强宣传 | 各街道 |")
    [[('名称', '抓好应急演练'), ('责任单位', '区应急管理局')], [('名称', '加强宣传'), ('责任单位', '各街道')]]
    >>> table_rows("3 |\\n加强宣传 |\\n各街道 |", header="序号 | 名称 | 责任单位 |")
    [[('名称', '加强宣传'), ('责任单位', '各街道')]]
    """
    rows = []
    for unit in sentences_of(text):
        row = text[unit.start : unit.end]
        read_under = unit.table_header or (header if "|" in row else None)
        if read_under and (fields := row_fields(read_under, row)):
            rows.append(fields)
    return rows
