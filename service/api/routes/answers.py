from typing import Any

from fastapi import APIRouter

from service.answering.chat import Turn
from service.api.auth import ReaderDep
from service.api.deps import EngineDep
from service.api.schemas import ERROR_RESPONSES, AskRequest, ChatRequest
from service.engine import answer_body

router = APIRouter(prefix="/api", tags=["answers"], responses=ERROR_RESPONSES)


@router.post("/ask", summary="Answer a question with citations")
def ask(body: AskRequest, engine: EngineDep, reader: ReaderDep) -> dict[str, Any]:
    return answer_body(engine.ask(body.question, filters=body.filters, reader=reader))


@router.post("/chat", summary="Answer the last user turn of a conversation")
def chat(body: ChatRequest, engine: EngineDep, reader: ReaderDep) -> dict[str, Any]:
    turns = [Turn(m.role, m.content) for m in body.messages if m.role != "system"]
    return answer_body(engine.chat(turns, filters=body.filters, reader=reader))
