"""What a question asks for (service.answering.asking), read from its wording alone."""

import pytest

from service.answering.asking import asked


@pytest.mark.parametrize(
    ("question", "kind", "unit"),
    [
        ("老旧燃气管道改造投资多少钱", "money", None),
        ("每支救援队多少人", "count", "人"),
        ("配备几名专职人员", "count", "人"),
        ("新建多少公里防护工程", "count", "公里"),
        ("去年发生火灾多少起", "count", "起"),
        ("街道应急救援队伍人数要求", "count", "人"),
        ("火灾起数下降目标", None, None),
        ("隐患整改比例是多少", "percent", None),
        ("条例从哪天开始施行", "day", None),
        ("演练安排在几月份", "month", None),
        ("防汛物资仓库在哪里", "place", None),
        ("防汛物资仓库在哪个位置", "place", None),  # 哪个 before a place noun is "where"
        ("避难场所设在什么地点", "place", None),
        ("在哪个方面加强", None, None),  # before another noun, "which"
        ("应急管理局局长是谁", "person", None),
        ("多久检查一次", "frequency", None),
        ("什么时候完成", "date", None),
        ("这条规定啥时候开始管用", "date", None),  # spoken: 啥时候
        ("两单两卡指哪些", None, None),
        ("工程建设引发的地质灾害谁来治理", None, None),
        ("一个街道救援队起码要几个人", "count", "人"),  # 个 the general measure word, 人 the unit
        ("要开展几次专项检查", "count", "次"),
        ("隐患排查分几个问题类型", None, None),  # the kinds are asked: an enumeration answers
        ("在哪8个方面补短板", None, None),  # 哪 before a numeral is "which"
        ("企业安全生产费用提取", None, None),  # a noun names the topic; no question word asks money
        ("安全生产费用是多少", "money", None),
        ("避难场所建设投资金额", "money", None),  # the fragment's head noun is the amount
        ("组长由哪位副市长担任", "person", None),  # 哪位: which person
        ("不服处罚多少日内可以申请复议", "count", "天"),  # a unit after 罚多少 says what is counted
        ("闯红灯罚多少", "money", None),
        ("货车里最多能捎几个干活的人", "count", "人"),  # what 的 modifies is counted in its own unit
        ("有几个应急避难场所", "count", "个"),
        ("夜间航行的最高时速是多少", "count", "速度"),  # a measure noun names the figure's dimension
        ("消防车通道净宽是多少", "count", "长度"),
        ("保费标准是多少", "number", None),
        ("费用按营业收入的多少比例提取", "percent", None),  # 多少比例 asks a share
    ],
)
def test_what_a_question_asks_for(question, kind, unit):
    ask = asked(question)
    assert (ask.kind if ask else None) == kind
    if unit:
        assert ask.unit == unit


@pytest.mark.parametrize(
    ("question", "kind", "counted"),
    [
        ("森林火灾受害率要控制在多少", "percent", "森林火灾受害"),  # a verb between the rate and 多少
        ("公园草地着火的比例要压到多少", "percent", "公园草地着火"),
        ("检查频率是多少", "frequency", "检查"),  # 频率 is how often, no share
        ("发动机效率是多少", "number", "发动机效率"),  # nor is 效率 a share of anything
    ],
)
def test_a_rate_noun_that_duoshao_measures_asks_a_share(question, kind, counted):
    ask = asked(question)
    assert (ask.kind, ask.counted) == (kind, counted)


@pytest.mark.parametrize(
    ("question", "kind", "unit"),
    [
        ("取得施工许可后多少个工作日内报备案", "count", "工作日"),  # 个 + a time noun: a duration
        ("重庆一年里哪几个月防洪水", "month", None),  # 哪几: which, not how many
        ("调查完了多久给说法", "duration", None),  # 多久 alone: how long, how soon
        ("资质证书有效期几年", "duration", None),
        ("什么时候建成", "date", None),
        ("多久检查一次", "frequency", None),
    ],
)
def test_durations_which_and_how_soon(question, kind, unit):
    ask = asked(question)
    assert ask.kind == kind and (unit is None or ask.unit == unit)


@pytest.mark.parametrize(
    "question",
    [
        "干应急的人辛苦有没有奖励",
        "旱了没饭吃有补助吗",
        "邻里几家人互相照应防灾有没有说法",
        "罚了多少钱也要拿出来排名通报吗",
    ],
)
def test_a_yes_no_question_does_not_ask_an_amount(question):
    assert asked(question) is None  # 有没有 / 吗 is the question; 几 / 多少 beside it is indefinite


@pytest.mark.parametrize(
    ("question", "kind", "unit"),
    [
        ("每公顷种多少棵树", "count", "棵"),
        ("新增多少平方公里", "count", "平方公里"),  # the longest measure word, not 公里
        ("配几位专家", "count", "人"),  # 位 counts people as 名 does
        ("一家公司挂好几块牌子怎么弄", None, None),  # 好几 / 十几 / 几十 are "a few", not a question
        ("十几年的老管道咋办", None, None),
        ("几十人的小厂要不要专职安全员", None, None),
        ("保费标准是多少", "number", None),  # 多少 with no measure word: a figure of some kind
        ("死亡人数要控制在多少", "number", None),
        ("专项资金占财政预算的比例", "percent", None),  # the share's noun heads the fragment
        ("合格证书由哪个部门颁发", "body", None),
        ("由哪一级政府批准", "body", None),
        ("证书有效期几年", "duration", "年"),
        ("有效期多久", "duration", None),
    ],
)
def test_measure_words_indefinite_numerals_figures_and_bodies(question, kind, unit):
    ask = asked(question)
    assert (ask.kind if ask else None) == kind
    assert (ask.unit if ask else None) == unit


def test_who_in_general_is_not_a_body():
    # 由谁 may be answered by a company, a role or a person: only 哪个部门 / 机关 / 政府 asks for a body
    assert asked("隐患由谁来整改") is None


@pytest.mark.parametrize(
    ("question", "unit"),
    [
        ("事故调查报告多少日内批复", "天"),  # statutes count days in 日: the same unit as 天
        ("连续驾驶多少小时要休息", "小时"),
        ("每年培训多少学时", "学时"),
        ("驾驶人年龄不超过多少岁", "周岁"),
    ],
)
def test_days_hours_class_hours_and_ages_are_units(question, unit):
    ask = asked(question)
    assert (ask.kind, ask.unit, ask.counted) == ("count", unit, "")  # a length counts no thing


@pytest.mark.parametrize("question", ["技术鉴定的时间算不算在调查期限里", "隐患查没查清楚", "这事管不管"])
def test_a_doubled_verb_around_bu_or_mei_is_a_yes_no_question(question):
    assert asked(question) is None  # whether, not how long: 期限 names the topic here


@pytest.mark.parametrize(
    ("question", "unit", "counted"),
    [
        ("农贸市场离国道要隔多远", "长度", "贸市场离国道要隔"),  # the thing measured, named before
        ("林区的房子周围要开多宽的防火隔离带", "长度", "防火隔离带"),  # or after 多宽的
        ("护栏要多高", "长度", "护栏"),
        ("锅炉房里温度多高", "温度", "锅炉房里"),  # a measure noun before names another dimension
    ],
)
def test_how_far_or_wide_asks_a_length(question, unit, counted):
    ask = asked(question)
    assert (ask.kind, ask.unit, ask.counted, ask.loose) == ("count", unit, counted, True)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("预案多久向上级应急管理部门报备一次", "frequency"),  # 一次 anywhere in the clause after 多久
        ("巡查隔多久去一趟", "frequency"),  # 隔多久: the interval between two times
        ("隔多长时间开一次会", "frequency"),
        ("补助多久内完成一次性发放", "duration"),  # 一次性 is "one-off", no count of times
        ("调查完了多久给说法，再查一次要多久", "duration"),  # 一次 in another clause
    ],
)
def test_how_long_until_once_asks_how_often(question, kind):
    assert asked(question).kind == kind


@pytest.mark.parametrize(
    ("question", "unit"),
    [
        ("年度考核满分多少分", "分"),
        ("培训班每年办几期", "期"),
        ("晚上几点以后不准施工", "点"),
        ("整改意见要在几点之前交", "点"),
        ("每次要坚持多少分钟", "分钟"),  # the longest measure word first: minutes, not points
    ],
)
def test_points_issues_and_clock_hours_are_measure_words(question, unit):
    ask = asked(question)
    assert (ask.kind, ask.unit) == ("count", unit)


def test_points_of_a_list_ask_for_the_list():
    assert asked("工作要点提出了几点要求") is None  # the enumeration answers, as for 几个方面
    assert asked("要求提出几点整改意见") is None
    assert asked("夜里几点以后不准施工").unit == "点"  # an hour


@pytest.mark.parametrize(
    ("question", "counted"),
    [
        ("有几项企业必须遵守的规定要公示", "企业必须遵守的规定"),  # through 的 to the head it modifies
        ("设了几个有人值守的检查站", "有人值守的检查站"),
        ("从业人员超过多少人的企业要设置机构", "从业人员"),  # 人的企业: the figure modifies the noun after
        ("镇上的避难场所一共几个", "镇上的避难场所"),  # 一共 qualifies the figure, names nothing
    ],
)
def test_what_a_count_counts(question, counted):
    assert asked(question).counted == counted


def test_an_hour_is_declined_as_an_hour():
    assert asked("夜里几点以后不准施工").label == "钟点"  # the decline says no hour is given


@pytest.mark.parametrize(
    ("question", "kind", "unit", "timed"),
    [
        ("事故发生后单位多快要上报", "duration", None, "上报"),  # before its verb: how soon
        ("厂里出了事故老板得多快上报", "duration", None, "上报"),
        ("雾天车最快能开多快", "count", "速度", ""),  # closing the question: how fast
        ("船舶夜间航行能开多快？", "count", "速度", ""),
    ],
)
def test_how_quick_asks_how_soon_before_its_verb_and_a_speed_after_it(question, kind, unit, timed):
    ask = asked(question)
    assert (ask.kind, ask.unit, ask.timed) == (kind, unit, timed)
    assert ask.loose == (unit == "速度")  # a speed answers wherever it stands, as a length does
