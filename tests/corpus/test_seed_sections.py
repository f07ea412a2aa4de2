"""Section paths of passages in the bundled documents, written by reading the documents."""

from __future__ import annotations

import pytest

from corpus.chunking import ChunkingConfig
from corpus.pipeline import ingest_paths

EXPECTED = [
    (
        "000",
        "对工程建设活动引发的地质灾害风险，按照“谁引发谁治理”的原则，落实防治责任",
        ("二、工作任务", "（一）完善安全责任体系，提升综合统筹能力", "3. 落实部门监管责任"),
    ),
    ("000", "每季度定期更新“一张图一张表”", ("三、重点行动", "（二）实施安全生产风险评估管控行动")),
    ("000", "全年生产安全事故死亡人数同比下降7%", ("一、总体要求",)),
    # 江津 2022: one run-on line, headings inline
    (
        "001",
        "12月底前,实现全区所有行业领域企业“一线责任制”全覆盖",
        ("二、重点任务", "(二)抓“一线责任制”,推动企业主体责任落实", "6.推动企业落实“一线责任制”"),
    ),
    (
        "001",
        "完成50%以上的镇(街)应急管理机构规范化建设",
        ("二、重点任务", "(五)抓基层基础,推进应急管理体系和能力现代化", "14.加强基层“五有八化”建设"),
    ),
    ("001", "森林火灾受害率控制在0.3‰以内", ("一、总体目标",)),
    (
        "002",
        "各村分别组建民兵救援队",
        ("三、深化救援救灾体系,提升应对处置能力", "(十二)抓好应急指挥部和队伍建设"),
    ),
    (
        "002",
        "“12350”安全生产有奖举报系统",
        ("五、深化社会共治体系,提升群防群治能力", "(二十)提升社会公众监督质效"),
    ),
    (
        "003",
        "推动街道按规定落实不少于15人的专业应急救援队伍人员配备",
        ("三、深化救援救灾体系,提升应对处置能力", "(十三)抓好应急指挥部和队伍建设"),
    ),
    # 渝中 annex table rows, under the annex heading
    (
        "003",
        "4 |\n生产安全事故亡人数 |\n相较前三年 平均值下降10% |",
        ("附件 主要事项及核心绩效指标责任分工表", "一、核心绩效指标"),
    ),
    ("003", "全区电梯故障困人率低于0.5%", ("附件 主要事项及核心绩效指标责任分工表", "三、重点整治")),
    (
        "004",
        "为基层配备应急救援装备1.8万台(套)",
        ("三、主要任务", "(五)开展安全监管效能提升行动", "14.切实提升基层应急管理能力"),
    ),
    (
        "004",
        "基本实现城镇建成区消防供水全覆盖。\n\n市消防救援总队",
        (
            "附件 全市安全生产治本攻坚三年行动重点任务清单",
            "七、开展安全工程治理行动",
            "20.加大安全工程治理力度",
        ),
    ),
    ("004", "渝安委〔2024〕6号", ()),
]


@pytest.fixture(scope="module")
def seed_chunks(seeds_dir):
    return ingest_paths([seeds_dir], ChunkingConfig()).chunks


@pytest.mark.parametrize(("doc", "passage", "section"), EXPECTED, ids=[e[1][:12] for e in EXPECTED])
def test_passage_section_path(seed_chunks, doc, passage, section):
    holders = [c for c in seed_chunks if c.source.startswith(doc) and passage in c.text]
    assert holders, f"{passage!r} is not whole inside any chunk"
    # some passages are repeated in an annex table; the body occurrence must carry this path
    assert section in [h.section for h in holders]


def test_table_chunks_carry_their_header(seed_chunks):
    rows = [c for c in seed_chunks if c.source.startswith("003") and c.section[-1:] == ("三、重点整治",)]
    assert rows[0].table_header is None and rows[0].text.startswith("三、重点整治\n序号 |")
    assert all(c.table_header == "序号 | 名称 | 2025年目标(内容) | 责任单位 | 备注" for c in rows[1:])
    assert "表头：序号 | 名称" in rows[1].heading_context
