"""Generative answers against a fake OpenAI-compatible endpoint served on 127.0.0.1."""

from __future__ import annotations

from dataclasses import replace

import pytest
from fastapi import FastAPI, Request

from service.answering.generative import GenerativeAnswerer, GenerativeConfig, verify
from tests.servers import served

REPLIES: dict[str, str] = {}


def _fake_llm() -> FastAPI:
    app = FastAPI()

    @app.post("/v1/chat/completions")
    async def complete(request: Request) -> dict:
        body = await request.json()
        REPLIES["last_prompt"] = body["messages"][-1]["content"]
        return {"choices": [{"index": 0, "message": {"role": "assistant", "content": REPLIES["next"]}}]}

    return app


@pytest.fixture(scope="module")
def llm_url():
    with served(_fake_llm()) as url:
        yield url + "/v1"


def test_verify():
    assert verify("整改率达到100%。[1]要求按期整改[2]。", 3) == [1, 2]
    assert verify("整改率达到100%。", 3) is None  # uncited
    assert verify("整改率达到100%。[4]", 3) is None  # a passage that was not given
    assert verify("整改率达到100%。[1]另一句没有出处。", 3) is None  # one sentence uncited


@pytest.fixture()
def generative_engine(engine, llm_url):
    saved = engine.__dict__.get("generator")
    engine.__dict__["generator"] = GenerativeAnswerer(GenerativeConfig(base_url=llm_url, model="fake"))
    yield engine
    engine.__dict__["generator"] = saved


def test_cited_generation_is_used_with_its_passages(generative_engine):
    REPLIES["next"] = "重大事故隐患按期整改率要达到100%。[1]"
    answer = generative_engine.ask("重大事故隐患按期整改率")
    assert answer.mode == "generative"
    assert answer.answer == "重大事故隐患按期整改率要达到100%。[1]"
    c = answer.citations[0]
    assert c.n == 1 and generative_engine.document(c.doc_id).text[c.start : c.end] == c.quote
    assert "[1]" in REPLIES["last_prompt"] and "问题：重大事故隐患按期整改率" in REPLIES["last_prompt"]


@pytest.mark.parametrize(
    "reply", ["整改率要达到100%。", "整改率要达到100%。[9]", "整改率要达到100%。[1]另一句。"]
)
def test_uncited_or_unverifiable_generation_falls_back(generative_engine, reply):
    REPLIES["next"] = reply
    answer = generative_engine.ask("重大事故隐患按期整改率")
    assert answer.mode == "extractive"
    assert answer.answerable and answer.citations


def test_unreachable_endpoint_falls_back(engine):
    saved = engine.__dict__.get("generator")
    engine.__dict__["generator"] = GenerativeAnswerer(
        replace(GenerativeConfig("http://127.0.0.1:9/v1", "x"), timeout=1)
    )
    try:
        assert engine.ask("重大事故隐患按期整改率").mode == "extractive"
    finally:
        engine.__dict__["generator"] = saved


def test_generation_without_the_asked_for_kind_of_fact_falls_back(generative_engine):
    question = "街道应急救援队伍至少要多少人"
    REPLIES["next"] = "要加强街道应急救援队伍建设。[1]"  # cited, but states no number of people
    answer = generative_engine.ask(question)
    assert answer.mode == "extractive"
    given = generative_engine.search(question, k=8).hits
    n = next(i for i, h in enumerate(given, start=1) if "15人" in h.chunk.text)
    REPLIES["next"] = f"街道专业应急救援队伍不少于15人。[{n}]"  # cites the passage that states it
    assert generative_engine.ask(question).mode == "generative"
