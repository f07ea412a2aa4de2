from corpus.chunking import ChunkingConfig, Unit, chunk_document, pack_units, split_long_unit, units_of
from corpus.outline import detect_outline


def chunks_of(text, max_chars=400):
    return chunk_document(
        text,
        detect_outline(text),
        doc_id="d",
        source="s.txt",
        title="T",
        config=ChunkingConfig(max_chars=max_chars),
    )


def test_pack_units_balances_pieces_under_the_cap():
    units = [Unit(0, 30), Unit(30, 60), Unit(60, 90), Unit(90, 100)]
    groups = pack_units(units, max_chars=60, min_chars=0)
    assert [(g[0].start, g[-1].end) for g in groups] == [(0, 60), (60, 100)]


def test_pack_units_never_leaves_a_tiny_tail_when_balance_is_possible():
    units = [Unit(i * 10, i * 10 + 10) for i in range(11)]  # 110 chars, cap 100
    groups = pack_units(units, max_chars=100, min_chars=20)
    assert sorted(g[-1].end - g[0].start for g in groups) == [50, 60]


def test_split_long_unit_cuts_at_clauses():
    text = "甲" * 30 + "，" + "乙" * 20 + "，" + "丙" * 50
    pieces = split_long_unit(text, Unit(0, len(text)), max_chars=40)
    assert [text[p.start : p.end] for p in pieces] == [
        "甲" * 30 + "，",
        "乙" * 20 + "，",
        "丙" * 40,
        "丙" * 10,
    ]
    packed = pack_units(pieces, max_chars=40, min_chars=0)
    assert [text[g[0].start : g[-1].end] for g in packed] == [
        "甲" * 30 + "，",
        "乙" * 20 + "，",
        "丙" * 40,
        "丙" * 10,
    ]


def test_bare_heading_joins_its_first_child_and_sections_stay_apart():
    text = "前言。\n三、主要任务\n（一）源头管控\n1.强化管控。内容甲。\n2.完善机制。内容乙。\n"
    chunks = chunks_of(text)
    assert [(c.section, c.text) for c in chunks] == [
        ((), "前言。"),
        (
            ("三、主要任务", "（一）源头管控", "1.强化管控"),
            "三、主要任务\n（一）源头管控\n1.强化管控。内容甲。",
        ),
        (("三、主要任务", "（一）源头管控", "2.完善机制"), "2.完善机制。内容乙。"),
    ]
    for c in chunks:
        assert text[c.start : c.end] == c.text


def test_long_section_is_cut_at_sentence_ends():
    sentence = "这是一个二十个字的完整句子内容示例文本。"
    text = "一、要求\n" + sentence * 12
    chunks = chunks_of(text, max_chars=100)
    assert len(chunks) == 3
    assert all(len(c.text) <= 100 for c in chunks)
    assert all(c.text.endswith("。") for c in chunks)
    assert {c.section for c in chunks} == {("一、要求",)}


def test_cell_per_line_table_rows_stay_whole_with_header():
    header = "序号 |\n名称 |\n目标 |\n"
    rows = "".join(f"{i} |\n指标名称{i}很长很长 |\n下降{i}0% |\n" for i in range(1, 7))
    text = "一、核心指标\n" + header + rows
    units = units_of(text, 0, len(text))
    assert units[1].is_header
    assert units[1].table_header == "序号 | 名称 | 目标"
    chunks = chunks_of(text, max_chars=80)
    assert chunks[0].table_header is None and "序号 |" in chunks[0].text
    for c in chunks[1:]:
        assert c.table_header == "序号 | 名称 | 目标"
        assert c.text.startswith(tuple(f"{i} |" for i in range(1, 7)))
    for i in range(1, 7):  # each row lies whole inside one chunk
        row = f"{i} |\n指标名称{i}很长很长 |\n下降{i}0% |"
        assert sum(row in c.text for c in chunks) == 1


def test_row_per_line_table():
    text = "序号 | 名称 | 目标\n1 | 事故起数 | 0\n2 | 火灾起数 | 下降11%\n"
    units = units_of(text, 0, len(text))
    assert [text[u.start : u.end].strip() for u in units] == [
        "序号 | 名称 | 目标",
        "1 | 事故起数 | 0",
        "2 | 火灾起数 | 下降11%",
    ]
    assert units[2].table_header == "序号 | 名称 | 目标"


def test_chunk_ids_are_stable():
    text = "一、要求\n内容。"
    assert [c.chunk_id for c in chunks_of(text)] == [c.chunk_id for c in chunks_of(text)]


def test_a_chunk_starting_mid_table_does_not_swallow_the_next_tables_header():
    text = "4 |\n监测预警平台 |\n建成 |\n区应急管理局\n序号 |\n名称 |\n目标 |\n1 |\n火灾起数 |\n下降11% |\n"
    units = units_of(text, 0, len(text))
    pieces = [text[u.start : u.end].strip() for u in units]
    assert pieces[0] == "4 |\n监测预警平台 |\n建成 |\n区应急管理局"
    assert pieces[1] == "序号 |\n名称 |\n目标 |" and units[1].is_header
    assert units[2].table_header == "序号 | 名称 | 目标"


def test_a_bare_number_inside_a_row_is_a_cell_not_the_next_rows_number():
    text = "序号 |\n名称 |\n目标 |\n责任单位 |\n1 |\n重特大火灾起数 |\n0 |\n各街道 |\n2 |\n火灾起数 |\n下降11% |\n各街道 |\n"
    units = units_of(text, 0, len(text))
    rows = [text[u.start : u.end].strip() for u in units if not u.is_header]
    assert rows == ["1 |\n重特大火灾起数 |\n0 |\n各街道 |", "2 |\n火灾起数 |\n下降11% |\n各街道 |"]
