"""When an act takes effect is its own 施行日期: answered from the act the question names, cited at the
sentence that states it; an act of a province the library does not hold is not answered from another's."""

from __future__ import annotations

import pytest

from tests.service.conftest import make_engine

ACT = (
    "{place}市河道管理条例\n{place}市人民代表大会常务委员会\n"
    "第一条 为了加强河道管理，保障防洪安全，制定本条例。\n"
    "第二条 河道管理实行统一管理与分级管理相结合的原则。\n"
    "第三十条 本条例自{date}起施行。\n"
)


@pytest.fixture(scope="module")
def engine(tmp_path_factory, seeds_dir):
    folder = tmp_path_factory.mktemp("acts")
    (folder / "hedao.txt").write_text(ACT.format(place="重庆", date="2019年3月1日"), encoding="utf-8")
    return make_engine(folder / "data", seeds_dir, extra=[(folder, "public")])


@pytest.mark.parametrize("question", ["重庆市河道管理条例什么时候施行", "重庆河道管理条例啥时候开始生效"])
def test_the_named_act_is_answered_with_its_commencement_sentence(engine, question):
    answer = engine.ask(question)
    assert answer.answerable, answer.answer
    cite = answer.citations[0]
    assert cite.quote == "本条例自2019年3月1日起施行" and cite.source == "hedao.txt"
    assert answer.direct == "2019年3月1日" and answer.answer.startswith("答：2019年3月1日[1]")
    text = engine.documents[cite.doc_id].text
    assert text[cite.start : cite.end] == cite.quote


def test_an_act_of_a_province_the_library_does_not_hold_is_not_answered_from_another(engine):
    answer = engine.ask("四川省河道管理条例什么时候施行")
    assert not answer.answerable or all("2019年3月1日" not in c.quote for c in answer.citations)
