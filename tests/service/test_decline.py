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


def test_a_date_of_a_neighbouring_activity_does_not_answer_and_the_decline_names_the_asked_one(engine):
    # the seeds date the renovation of old residential areas (2024年新开工改造城镇老旧小区), not that of
    # old gas pipes: that sentence shares the verb and the place, not the thing renovated
    answer = engine.ask("老旧小区燃气管道改造什么时候完成")
    assert not answer.answerable and "但没有给出时间或期限" in answer.answer
    assert "燃气管道" in answer.citations[0].quote  # what the documents do say about the pipes
    dated = engine.ask("农村公路危桥改造什么时候完成")  # a dated sentence naming the activity answers
    assert dated.answerable and dated.direct == "2024年"


def test_a_decline_names_no_passage_that_shares_no_word_with_the_question(engine):
    # no passage speaks of a 冬季 in months: a document's dating line or preamble is not "mentioned"
    answer = engine.ask("南平镇冬季是几月到几月")
    assert not answer.answerable
    assert answer.citations == [] and not answer.answer.startswith("文件提到了")
    assert answer.related  # the most relevant passages are still listed
