"""A declined answer says what the documents do state; a table row reads as its fields there too."""

from __future__ import annotations


def test_a_declined_answer_reads_a_table_row_as_fields_and_cites_it_verbatim(engine):
    answer = engine.ask("高楼消防的负责人是谁")
    assert not answer.answerable
    assert answer.answer.startswith("文件提到了：名称：“高楼消防”；2025年目标(内容)：")
    assert "|" not in answer.answer and "但没有给出人员姓名" in answer.answer
    cite = answer.citations[0]
    assert dict(cite.fields)["名称"] == "“高楼消防”"
    assert "|" in cite.quote  # the citation keeps the row as the document has it
