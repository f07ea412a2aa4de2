from dataclasses import replace

import pytest

from service.answering.asking import Ask, asked, relative_to
from service.answering.verify import answers, extract


@pytest.mark.parametrize(
    ("ask", "text", "expected"),
    [
        (Ask("count", "人"), "推动街道按规定落实不少于15人的专业应急救援队伍人员配备", True),
        (Ask("count", "人"), "各村分别组建民兵救援队", False),
        (Ask("count", "起"), "火灾起数较2023年下降11%", False),
        (Ask("count", "公里"), "更新改造老旧燃气管道100公里", True),
        (Ask("money"), "加快推进应急避难场所建设", False),
        (Ask("money"), "奖励资金最高30万元", True),
        (Ask("percent"), "街道应急救援队伍持证率不低于30%", True),
        (Ask("day"), "2024年,完成《重庆市安全生产条例(修订)》审议工作", False),
        (Ask("day"), "2025年2月18日", True),
        (Ask("month"), "村(居)每年至少组织1次应急演练", False),
        (Ask("month"), "坚持汛期5-9月每月研判", True),
        (Ask("frequency"), "健全完善领导干部半年述职报告制度", True),
        (Ask("frequency"), "加强应急救援队伍建设", False),
        (Ask("frequency"), "每学年组织开展地震紧急疏散演练活动", True),  # a school year is a period
        (Ask("count", "速度"), "船舶夜间航速不得超过每小时10公里", True),
        (Ask("count", "速度"), "对照加强网约车安全管理9条硬措施", False),  # a figure, not a speed
        (Ask("date"), "主汛期前完成区综合救援队伍的扩招整训", True),
        (Ask("place"), "加强救灾物资储备", False),
        (Ask("person"), "区应急管理局负责", False),
    ],
)
def test_whether_a_span_holds_it(ask, text, expected):
    assert answers(ask, text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("“12350”安全生产有奖举报系统", True),
        ("联系电话:19936155223", True),
        ("值班电话023-63891234", True),
        ("以改革创新推动“13466”应急管理体系", False),
        ("城市管网漏损率控制在9%之内", False),
        ("重庆市安全生产治本攻坚三年行动实施方案(20242026年)", False),  # years run together
        ("全年新增应急避难场所容纳28000000人", False),  # a count
    ],
)
def test_phone_numbers_and_hotlines_not_other_figures(text, expected):
    assert answers(Ask("phone"), text) is expected
    assert asked("值班电话是多少").kind == "phone"


@pytest.mark.parametrize(
    ("ask", "text", "expected"),
    [
        (Ask("count", "人"), "推动街道按规定落实不少于15人的专业应急救援队伍人员配备", "不少于15人"),
        (Ask("count", "公里"), "更新改造老旧燃气管道100公里,严厉打击", "100公里"),
        (Ask("count", "场"), "每年分别开展安全知识宣讲近万场", "近万场"),  # 近: nearly, part of the figure
        (Ask("percent"), "街道应急救援队伍持证率不低于30%,组织培训", "不低于30%"),
        (Ask("percent"), "全区“两客一危”检验率、报废率97%以上", "97%以上"),
        (Ask("frequency"), "每季度定期更新“一张图一张表”", "每季度"),
        (Ask("frequency"), "督促企业每年至少组织开展1次疏散逃生演练", "每年至少组织开展1次"),
        (Ask("date"), "12月底前,实现全区所有行业领域企业全覆盖", "12月底前"),
        (Ask("date"), "主汛期前完成区综合救援队伍的扩招整训", "主汛期前"),
        (Ask("phone"), "通过“12350”安全生产有奖举报系统", "12350"),
        (Ask("money"), "加强应急救援队伍建设", None),
        # a range is one answer: both ends, not the first bound alone
        (Ask("money"), "责令改正，对单位处五千元以上一万元以下罚款；", "五千元以上一万元以下"),
        (Ask("money"), "可以处一万元以下的罚款", "一万元以下"),
        (Ask("count", "天"), "应当在3至5天内报告", "3至5天内"),
        (
            Ask("count", "天"),
            "建设单位应当在拆除工程施工15日前，将下列资料报送",
            "15日前",
        ),  # before, not within
        (Ask("percent"), "综合风险发生率控制在1%-3%之间", "控制在1%-3%"),
        # a negated bound is read whole: 超过4米 alone would say the opposite of the rule
        (Ask("count", "长度"), "高度从地面起不得超过4米", "不得超过4米"),
        (Ask("count", "人"), "每班不应少于2人", "不应少于2人"),
    ],
)
def test_extract_the_precise_answer(ask, text, expected):
    from service.answering.verify import extract

    assert extract(ask, text) == expected


FIRE_FINE = "森林防火期内未经批准擅自在森林防火区内野外用火的，给予警告，对个人并处200元以上3000元以下罚款。"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("森林防火期内野外用火罚款多少元", True),
        ("森林防火期内野外吸烟罚款多少元", False),  # the same words but the last: another act, another fine
        ("野外用火的罚款是多少", True),
    ],
)
def test_a_fine_answers_only_for_the_act_it_is_for(question, expected):
    assert answers(asked(question), FIRE_FINE) is expected


TRANSFER_FINE = "违反本条例规定，转让安全生产许可证的，没收违法所得，处10万元以上50万元以下的罚款"


def test_an_act_named_in_the_readers_own_words_is_judged_by_the_share_the_passages_name():
    # no passage at hand says 别人用: the sentence naming the act as fully as any passage does answers
    ask = relative_to(asked("把安全生产许可证转给别人用罚多少"), [TRANSFER_FINE, "加强安全生产许可证管理"])
    assert ask.act_unnamed and answers(ask, TRANSFER_FINE)
    assert not answers(
        asked("把安全生产许可证转给别人用罚多少"), TRANSFER_FINE
    )  # judged alone: its last word
    # a passage at hand names 吸烟: the documents' own word for the act, so the fine must be for it
    smoking = relative_to(
        asked("森林防火期内野外吸烟罚款多少元"), [FIRE_FINE, "森林防火期内，禁止在森林防火区吸烟"]
    )
    assert not smoking.act_unnamed and not answers(smoking, FIRE_FINE)


def test_who_is_fined_is_no_part_of_the_act_a_fine_is_for():
    # 对单位 stands in nearly every fine's sentence: as the act's last word it would tie any fine
    ask = asked("电梯困人事故对维保单位罚多少钱")
    assert ask.counted == "电梯困人事故"
    assert not answers(ask, "使用单位未立即通知电梯维护保养单位实施救援的，对单位处二万元以上十万元以下罚款")
    assert answers(ask, "发生电梯困人事故，维保单位未及时救援的，处一万元以上三万元以下罚款")


def test_the_kind_of_money_asked_must_be_the_kind_stated():
    ask = asked("地质灾害搬迁每户补助多少钱")
    assert ask.money_kind == "补助|补贴|救助|补偿"
    assert not answers(replace(ask, act_unnamed=True, need=0.0), "可能造成经济损失一亿元以上的")
    assert answers(replace(ask, act_unnamed=True, need=0.0), "对地质灾害搬迁每户给予补助2万元")
    assert asked("野外用火罚款多少").money_kind == "罚" and asked("建设投资多少钱").money_kind == ""


def test_a_longest_or_highest_asked_is_a_ceiling_not_a_condition_on_a_floor():
    ask = asked("公路养护作业封闭公路最长可以封多少天")
    assert ask.bound == "ceiling"
    assert not answers(ask, "作业路段长度在2公里以上，并且作业期限超过30日的，应当向社会公告")
    assert answers(ask, "封闭公路的期限最长不得超过30日")
    assert answers(asked("举报重大事故隐患最高奖励多少钱"), "对举报重大事故隐患的，最高奖励30万元")


def test_a_day_of_the_month_is_no_length_of_days():
    ask = asked("赔偿款要在多少天内付清")
    assert not answers(ask, "1979年7月16日国务院批准发布的《暂行规定》同时废止")
    assert answers(ask, "自事故发生之日起15日内付清赔偿款")


def test_knots_are_counted_and_a_bound_is_no_part_of_what_is_measured():
    ask = asked("渔港内船舶航速不得超过多少节")
    assert (ask.kind, ask.unit, ask.counted, ask.bound) == ("count", "节", "渔港内船舶航速", "ceiling")
    assert answers(ask, "船舶在渔港内航速不得超过5节")
    assert asked("重型货车载物高度不得超过多少米").counted == "重型货车载物高度"


def test_row_fields_reads_a_row_against_its_header():
    from service.answering.verify import row_fields

    header = "序号 | 名称 | 2025年目标 | 责任单位 | 备注"
    row = "36 |\n抓好应急指挥部和队伍建设 |\n推动街道按规定落实不少于15人的专业应急救援队伍人员配备。 |\n区应急管理局,各街道 |"
    assert row_fields(header, row) == [
        ("名称", "抓好应急指挥部和队伍建设"),
        ("2025年目标", "推动街道按规定落实不少于15人的专业应急救援队伍人员配备。"),
        ("责任单位", "区应急管理局,各街道"),
    ]
    assert row_fields("名称 | 目标", "a | b | c | d") == []  # cells do not line up


def test_a_count_answers_only_for_what_it_counts():
    ask = asked("要建几座应急避难场所")
    assert ask == Ask("count", "座", "具体数量（座）", counted="应急避难场所")
    assert not answers(ask, "打造三座示范公园，完善城市功能")  # counts parks, not shelters
    assert answers(ask, "新建应急避难场所3座，配齐物资")
    assert answers(ask, "应急避难场所新建3座")
    from service.answering.verify import extract

    assert extract(ask, "打造三座示范公园，新建应急避难场所3座", "要建几座应急避难场所") == "3座"
    # the thing counted named before the question word (队伍人数) is not read: any count of 人 answers
    assert asked("救援队伍人数要求").counted == ""


def test_wan_followed_by_a_measure_word_is_a_count_not_money():
    money = asked("每户补贴多少钱")
    assert not answers(money, "配备救援装备1.8万台(套)")
    assert not answers(money, "培训从业人员2万人次")
    assert answers(money, "每户补贴1.8万元")
    assert answers(asked("投入资金多少"), "投入资金3万，用于")


def test_an_amount_answers_only_in_a_sentence_naming_what_it_is_for():
    award = asked("举报重大事故隐患最高奖励多少钱")
    assert award.counted == "重大事故隐患最高"  # what the award is for, before 奖励多少
    assert answers(award, "对举报重大事故隐患的，经核查属实，最高奖励30万元。")
    assert not answers(award, "作出重要贡献的，给予人民币1万元至3万元奖励；")  # another award
    fine = asked("擅自充装气瓶罚款多少")
    assert answers(fine, "擅自从事气瓶充装活动的，没收违法充装的气瓶，处10万元以上罚款；")  # another clause


def test_a_measure_named_before_the_question_word_must_be_what_the_clause_measures():
    ask = asked("公众聚集场所安全出口宽度不少于多少米")
    assert ask.kind == "count" and ask.unit == "米" and ask.counted == "场所安全出口宽度"
    assert not answers(ask, "（一）国道不少于20米；")  # a width, but of a road
    assert answers(ask, "安全出口的宽度不得小于1.4米。")
    lane = asked("消防车通道宽度不小于多少米")
    assert lane.counted == "消防车通道宽度"
    assert not answers(lane, "两轮摩托车载物宽度左右各不得超出车把0.15米；")  # shares only 宽度
    assert asked("要建几座应急避难场所").counted == "应急避难场所"  # named after: read as before


def test_a_share_is_answered_only_by_a_percentage_of_what_it_measures():
    ask = asked("街道救援队伍持证率是多少")
    assert ask.kind == "percent" and ask.counted == "街道救援队伍持证"
    assert answers(ask, "街道应急救援队伍持证率不低于30%")
    assert not answers(ask, "火灾起数较2023年下降11%")


def test_a_share_asked_with_a_verb_is_not_answered_by_a_distance():
    ask = asked("公园草地着火的比例要压到多少")
    assert not answers(ask, "按照重点区域取水半径1—2公里的要求,合理布局消防水池")
    assert answers(ask, "公园草地着火受害率控制在0.1‰以内")


def test_durations_and_periods_are_read_in_the_text():
    days = relative_to(asked("着火后找不到的人过几天算死亡"), ["下落不明满30日"])
    assert answers(days, "下落不明满30日")  # 天 and 日 count the same thing
    workdays = asked("取得施工许可后多少个工作日内报备案")
    assert answers(workdays, "自依法取得施工许可之日起七个工作日内，将消防设计文件报备案")
    everyday = relative_to(asked("调查完了多久给说法"), ["批复事故调查报告后一年内组织评估"])
    assert answers(everyday, "批复事故调查报告后一年内组织评估")  # no passage says 给说法: no tie to judge
    assert not answers(asked("资质证书有效期几年"), "2025年完成资质证书换发")  # a year is no length
    assert not answers(asked("什么时候建成"), "事件发生后一小时内上报")  # how soon is not when
    quarterly = asked("公众聚集场所每季度组织几次疏散演练")
    assert quarterly.period == "季度"
    assert answers(quarterly, "公众聚集场所每季度至少组织1次疏散演练")
    assert not answers(quarterly, "公众聚集场所每年至少组织1次疏散演练")  # another period


def test_a_figure_of_any_kind_answers_a_bare_how_much_but_an_ordinal_or_a_year_does_not():
    ask = asked("保费标准是多少")
    assert answers(ask, "保险费按工资总额的1.5%缴纳。")
    assert answers(ask, "每人每年不低于200元。")
    assert not answers(ask, "第二十二条 生产经营单位应当投保安全生产责任保险。")
    assert not answers(ask, "2024年完成条例审议工作。")


def test_a_body_is_answered_by_a_text_naming_one():
    ask = asked("合格证书由哪个部门颁发")
    assert answers(ask, "考核合格的，由市应急管理局颁发合格证书。")
    assert answers(ask, "由负有安全生产监督管理职责的部门颁发。")
    assert not answers(ask, "围绕从业人员岗位安全风险全面开展安全技能培训。")


def test_a_length_asked_in_years_is_answered_in_years():
    ask = asked("证书有效期几年")
    assert answers(ask, "合格证书有效期为三年。")
    assert not answers(ask, "应当在二十日内组织评审。")
    # a length of time with no named period is not tied to a noun (everyday questions lost answers so)
    assert answers(asked("隐患整改要多久"), "应当在二十日内组织评审。")
    # but a named period (有效期) is answered only by a figure of that period
    assert not answers(asked("有效期多久"), "应当在二十日内组织评审。")


def test_a_limit_is_not_answered_by_the_opposite_limit():
    ceiling = asked("电梯困人要控制在多少")
    assert ceiling.bound == "ceiling"
    assert not answers(ceiling, "每年抽查电梯不少于1000台。")
    assert answers(ceiling, "电梯故障困人率低于0.5%。")
    assert answers(ceiling, "电梯故障困人率0.5%。")  # a plain figure may be the limit
    floor = asked("应急演练每年至少几次")
    assert floor.bound == "floor"
    assert answers(floor, "应急演练每年不得少于一次。")  # 少于 under a negation is a floor
    assert not answers(floor, "应急演练每年不超过2次。")
    assert asked("应急演练每年几次").bound == ""


def test_a_count_is_tied_to_its_clause_by_the_counted_phrases_head_noun():
    ask = asked("厂里一年要搞几次逃跑演练")
    assert ask.counted == "逃跑演练" and ask.period == "年"
    assert answers(ask, "企业每年至少组织1次疏散逃生演练")  # 演练, the head, is in the clause
    assert not answers(ask, "企业每年至少组织1次安全培训")


def test_a_bound_word_a_few_characters_before_the_figure_still_bounds_it():
    ask = asked("消防车通道宽度不小于多少米")
    assert ask.bound == "floor"
    assert not answers(ask, "消防车通道宽度左右各不得超出车把0.15米；")  # 不得超出 ... : a ceiling
    assert answers(ask, "消防车通道的净宽度和净空高度均不应小于4米。")  # 不应小于: a floor


def test_a_date_answers_only_in_a_sentence_naming_the_activity_asked_about():
    ask = asked("老旧小区燃气管道改造什么时候完成")
    assert ask.kind == "date" and ask.counted == "小区燃气管道改造"
    # a neighbouring activity that shares the verb (改造) and part of the topic is another activity
    assert not answers(ask, "持续加大城镇老旧小区改造,2024年新开工改造城镇老旧小区1835个。")
    assert answers(ask, "2025年底前完成城镇老旧小区燃气管道更新改造。")
    # the date in another sentence of the span is not tied to it
    assert not answers(ask, "做好城镇老旧燃气管道改造。2025年底前完成老旧小区绿化。")
    # a table row is one record: its date cell dates the task in the row
    assert answers(ask, "3 |\n老旧小区燃气管道改造 |\n2025年底前 |\n区住房城市建委 |")


def test_a_short_topic_before_the_question_word_leaves_the_date_untied():
    ask = asked("一年里什么时候上山不能随便用火")  # what is asked comes after the question word
    assert ask.kind == "date"
    assert answers(ask, "每年1月1日至5月10日为全市森林防火期。")


def test_a_question_about_the_document_itself_is_dated_by_its_own_lines():
    ask = asked("某县2023年工作要点什么时候印发")
    line = "某县安全生产委员会办公室 2023年5月8日印发"  # names no topic: it dates the document
    assert not answers(ask, line)
    assert answers(ask, line, title="2023年某县安全生产工作要点")
    assert not answers(ask, line, title="某县森林防火条例")  # another document's dating line
    assert (
        extract(ask, line, "某县2023年工作要点什么时候印发", title="2023年某县安全生产工作要点")
        == "2023年5月8日"
    )


@pytest.mark.parametrize(
    ("text", "expected", "direct"),
    [
        ("单位制定的预案至少五年修订一次", True, "至少五年修订一次"),  # a span of time, then 一次
        ("设备应当至少每15日进行一次清洁", True, "每15日进行一次"),  # 每 with a figure
        ("每年组织两次演练", True, "每年组织两次"),  # a count of times in words
        ("每两年开展一次评估", True, "每两年开展一次"),
        ("条例第一次修正", False, None),  # an ordinal is not a frequency
        ("发放一次性补助", False, None),
        ("加强预案管理", False, None),
    ],
)
def test_frequencies_written_in_words_or_as_a_span_then_once(text, expected, direct):
    ask = asked("预案多久修订一次")
    assert ask.kind == "frequency"
    assert answers(ask, text) is expected
    assert extract(ask, text, "预案多久修订一次") == direct


def test_a_documents_own_line_answers_only_for_the_event_asked_about():
    ask = asked("某市防灾条例哪一年废止")
    assert ask.event == "废止"
    line = "第五十条 本条例自2020年8月1日起施行。"  # it dates when the act began, not when it ended
    assert not answers(ask, line, title="某市防灾条例")
    assert answers(asked("某市防灾条例从什么时候开始施行"), line, title="某市防灾条例")
    # a province the question names must be the document's: 四川省消防条例 is not dated by 重庆市消防条例
    chongqing = "第七十条 本条例自2010年9月1日起施行。"
    assert not answers(asked("四川省消防条例什么时候施行"), chongqing, title="重庆市消防条例")
    assert answers(asked("重庆消防条例什么时候施行"), chongqing, title="重庆市消防条例")
    history = "2001年7月20日 重庆市人大常委会《关于修改〈重庆市消防条例〉的决定》第一次修正"
    assert not answers(asked("四川省消防条例什么时候修正"), history, title="重庆市消防条例")


@pytest.mark.parametrize(
    ("text", "direct"),
    [
        ("每年1月1日至5月10日、7月10日至10月10日为全市防火期。", "1月1日至5月10日、7月10日至10月10日"),
        ("本市的汛期为每年的5月1日至9月30日。", "5月1日至9月30日"),
        ("9月底前完成整治、12月底前完成验收。", "9月底前"),  # two deadlines, not one period
    ],
)
def test_a_period_is_answered_whole(text, direct):
    assert extract(asked("防火期是什么时候"), text, "防火期是什么时候") == direct


def test_a_body_answers_only_in_a_sentence_naming_what_it_is_responsible_for():
    ask = asked("从业人员安全培训合格证书由哪个部门颁发")
    assert ask.kind == "body" and ask.counted == "安全培训合格证书"
    assert not answers(ask, "区应急管理局负责组织开展从业人员安全技能培训。")  # another duty of a body
    assert answers(ask, "安全培训合格证书由市应急管理部门统一颁发。")


def test_a_date_of_another_event_in_a_documents_life_does_not_answer():
    ask = asked("重庆市安全生产条例哪一年第一次修正")
    assert not answers(
        ask, "2005年6月1日施行的《重庆市安全生产监督管理条例》同时废止。", "重庆市安全生产条例"
    )
    amended = "根据2016年7月29日重庆市第四届人民代表大会常务委员会第二十七次会议第一次修正"
    assert answers(ask, amended, "重庆市安全生产条例")
    # an everyday activity is not a document's event: its date still answers
    assert answers(asked("农村公路危桥改造什么时候完成"), "2024年,完成农村公路危桥改造36座。", "工作要点")


def test_a_date_answers_a_documents_event_only_where_that_event_is_named():
    # the year a plan sets for drawing up a catalogue is not the year the catalogue is published
    ask = asked("危险化学品禁止目录哪一年发布")
    planned = "2025年,制定危险化学品禁止目录,严格安全准入。"
    assert ask.event == "发布" and not answers(ask, planned, "实施方案")
    assert answers(ask, "2025年3月,印发危险化学品禁止目录。", "实施方案")  # 印发 is 发布's synonym


def test_a_count_is_tied_by_the_last_word_of_what_is_counted_even_a_verb_of_one_character():
    from service.answering.asking import with_head

    ask = with_head(asked("山体滑坡死多少人算特大灾"), lambda s: ["山体", "滑坡", "死"])
    assert ask.head == "死"
    assert answers(ask, "特大型：因灾死亡三十人以上或者直接经济损失一千万元以上的；", "地质灾害防治条例")
    assert not answers(ask, "每个乡镇配备地质灾害监测员不少于3人。", "地质灾害防治条例")
    assert not answers(
        asked("山体滑坡死多少人算特大灾"), "特大型：因灾死亡三十人以上的；", "条例"
    )  # unsegmented


def test_days_are_read_as_statutes_write_them():
    ask = asked("提前多少日申请安全许可")
    assert answers(ask, "承办者应当在活动举办日的20日前提出安全许可申请")
    assert answers(asked("提前多少日进行审查"), "应当自受理之日起七个工作日内进行审查")  # 工作日 are days
    # the review's time, not the application's
    assert not answers(ask, "应当自受理之日起七个工作日内进行审查")
    assert not answers(ask, "承办者应当向公安机关提出安全许可申请")  # no length of time stated
    assert asked("演练安排在几月几日").kind == "day"  # a day of the calendar, not a count of days


def test_a_time_limit_answers_only_for_the_action_it_is_asked_of():
    ask = asked("事故调查报告批复后多少日内完成整改")
    assert ask.timed == "完成整改"
    assert not answers(ask, "一般事故由区县人民政府自收到事故调查报告之日起十五日内作出批复")
    assert answers(ask, "事故发生单位应当自批复之日起三十日内完成整改")
    notify = asked("在铁路线路安全保护区内施工要提前几天通知铁路运输企业")
    at_hand = [
        "应当自铁路建设工程初步设计批准之日起30日内，由县级以上地方人民政府划定并公告",
        "铁路运输企业应当加强巡查",
    ]
    notify = relative_to(notify, at_hand)
    assert notify.need == 0.5 and not answers(notify, at_hand[0])
    assert asked("公路最长可以封多少天").timed == ""  # a length after its verb names no action after it
    assert asked("校车每天最多可以运行几个小时").timed == ""  # the unit is no action


def test_an_action_no_passage_names_is_not_held_against_a_time_limit():
    ask = relative_to(asked("出了大事故调查完了政府多久给说法"), ["自收到事故调查报告之日起30日内作出批复"])
    assert ask.need == 0.0
    assert answers(ask, "自收到事故调查报告之日起30日内作出批复")


def test_a_named_period_is_answered_only_by_a_figure_of_that_period():
    validity = asked("焰火燃放许可证的有效期是几天")
    assert validity.period_named == "效期"
    assert answers(validity, "许可证的有效期为15日")
    assert not answers(validity, "公安部门应当自受理申请之日起20日内对提交的有关材料进行审查")
    cycle = asked("驾驶证记分周期多长")
    assert answers(cycle, "记分周期为十二个月，满分为12分")
    assert not answers(cycle, "参加为期七天的道路交通安全法律、法规和相关知识学习")


def test_a_fine_does_not_answer_what_something_costs():
    fee = asked("满分学习要交多少学习费用")
    assert fee.fee and not asked("罚款多少").fee
    assert not answers(fee, "在满分学习考试中弄虚作假的，处一千元以下罚款")
    assert answers(fee, "学习费用每人200元")


def test_a_ratio_answers_a_ratio_and_a_headcount_does_not():
    ask = asked("保安人员和观众的配比是多少")
    assert ask.kind == "percent"
    assert answers(ask, "保安人员和观众的配比不低于1:100")
    assert not answers(ask, "预计参加人数在1000人以上5000人以下的")


@pytest.mark.parametrize(
    ("question", "text", "expected"),
    [
        ("渡口船舶夜间航行的最高时速是多少", "渡口船舶夜间航行速度不得超过每小时10公里", True),
        ("渡口船舶夜间航行的最高时速是多少", "高速公路限速标志标明的最高时速不得超过一百二十公里", False),
        ("渡口船舶夜间航行的最高时速是多少", "渡口船舶夜间航行应当显示号灯，共设9条航线", False),
        ("消防车通道净宽是多少", "消防车通道的净宽度和净空高度均不应小于4米", True),
    ],
)
def test_a_measure_is_answered_in_its_units_for_the_thing_measured(question, text, expected):
    assert answers(asked(question), text) is expected


def test_a_length_answers_how_far_wherever_it_stands_but_leads_only_when_tied():
    from service.answering.verify import extract

    ask = asked("农贸市场离国道要隔多远")
    rule = "(一)国道、省道不少于50米；"
    assert answers(ask, rule)  # the statute names 农贸市场 in its lead-in, not in the item
    assert not answers(ask, "应当与居民区保持国家规定的安全距离")  # no length stated
    assert not answers(ask, "罚款二千元")
    assert extract(ask, rule, "农贸市场离国道要隔多远") is None  # not tied: the quote speaks, no lead
    tied = asked("消火栓周围多远以内不能设置固定设施")
    assert extract(tied, "距市政消火栓五米半径内不准设置固定设施", "消火栓周围多远以内") == "五米"
    # 多快 (a speed, or how soon) and 多重 (also "multiple") are not read as lengths
    assert asked("厂里出了事故老板得多快上报").unit is None
    assert asked("雾天车最快能开多快").unit == "速度"
    assert asked("多重保障怎么落实") is None


def test_a_distance_per_hour_is_a_speed_not_a_length():
    ask = asked("加油站离学校要隔多远")
    assert not answers(ask, "校车在高速公路上行驶的最高时速不得超过80公里")
    assert not answers(ask, "车速超过每小时100公里时")
    assert answers(ask, "与同车道前车保持100米以上的距离")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("每日22时至次日6时禁止在居民区施工", True),  # rules write o'clock as 时
        ("晚上10点以后停止施工作业", True),
        ("施工场所应急设施配备率100%", False),  # a figure of another kind
        ("夜间施工须经批准，时间另行公告", False),  # 时间 is no clock hour
    ],
)
def test_a_clock_hour_is_written_with_dian_or_shi(text, expected):
    ask = asked("晚上几点以后不准施工")
    assert answers(ask, text) is expected


def test_how_long_until_once_is_answered_by_a_period():
    ask = asked("预案多久向上级应急管理部门报备一次")
    assert answers(ask, "预案每三年向上级应急管理部门报备")
    assert not answers(ask, "预案报上级应急管理部门备案")


def test_a_question_about_the_document_itself_is_answered_by_its_line_of_the_event_asked():
    # every line of 防汛条例 speaks of 防汛: only the one holding the event (解释) says who interprets it
    lines = [
        "第四条 防汛工作实行各级人民政府行政首长负责制，实行统一指挥。",
        "第四十八条 本条例由国务院水行政主管部门负责解释。",
    ]
    # read against the lines at hand: neither names more than a third of 防汛条例's pairs
    ask = relative_to(asked("防汛条例由哪个部门负责解释"), lines)
    title = "中华人民共和国防汛条例"
    assert not answers(ask, lines[0], title)
    assert answers(ask, lines[1], title)
    # a topic that is no document is still tied by naming it (许可证 is no 条例)
    permit = asked("安全生产许可证由哪个部门颁发")
    assert answers(
        permit, "安全生产许可证由省级人民政府安全生产监督管理部门负责颁发和管理", "安全生产许可证条例"
    )


@pytest.mark.parametrize(
    ("question", "text", "direct"),
    [
        ("南平镇雨季是几月到几月", "坚持汛期5-9月每月自然灾害防治研判分析机制", "5-9月"),  # not 9月 alone
        ("汛期是几月", "本市汛期为6至8月", "6至8月"),
        ("汛期是几月", "本市汛期为5月至9月", "5月至9月"),
        ("什么时候完成", "3-4月10日前完成排查", "4月10日前"),  # a day, not a span of months
    ],
)
def test_a_span_of_months_written_once_is_answered_whole(question, text, direct):
    assert extract(asked(question), text, question) == direct


@pytest.mark.parametrize(
    ("question", "text", "expected"),
    [
        ("改造投资多少亿元", "2024年新开工改造城镇老旧小区1835个、4186万平方米", False),  # an area, not money
        ("改造投资多少亿元", "改造投资4186万元", True),
        ("补助多少钱", "每户补助1.5万", True),
    ],
)
def test_ten_thousand_before_a_measure_word_counts_that_measure_not_money(question, text, expected):
    assert answers(asked(question), text) is expected


def test_a_month_of_the_year_is_no_length_of_time():
    ask = asked("指令多长时间内要传到村里")
    assert not answers(ask, "坚持汛期5-9月每月开展研判")
    assert not answers(ask, "2025年3月25日传到村里")  # nor is a day of the month
    assert extract(ask, "指令须在3个月内传到村里") == "3个月内"


@pytest.mark.parametrize(
    ("question", "text", "expected"),
    [
        ("2025年计划改造多少个老旧小区", "2024年新开工改造城镇老旧小区1835个", False),
        ("2025年计划改造多少个老旧小区", "2025年改造城镇老旧小区600个", True),
        ("2025年计划改造多少个老旧小区", "改造城镇老旧小区600个", True),  # undated: the document's own year
        ("2025年计划改造多少个老旧小区", "2024—2026年每年改造老旧小区600个", True),
        ("计划改造多少个老旧小区", "2024年新开工改造城镇老旧小区1835个", True),  # no year asked
    ],
)
def test_a_figure_dated_to_other_years_does_not_answer_the_year_asked(question, text, expected):
    assert answers(asked(question), text) is expected
