"""An OpenAI-compatible chat-completions endpoint; citations travel as [n] marks and a `references` list."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from index.errors import BadQuery
from service.answering.chat import Turn
from service.api.auth import ReaderDep
from service.api.deps import EngineDep
from service.api.schemas import ERROR_RESPONSES, CompletionRequest
from service.engine import answer_body

router = APIRouter(prefix="/v1", tags=["openai"], responses=ERROR_RESPONSES)


@router.get("/models", summary="The one model this endpoint serves")
def models() -> dict[str, Any]:
    return {"object": "list", "data": [{"id": "policyqa", "object": "model", "owned_by": "policyqa"}]}


@router.post(
    "/chat/completions",
    summary="OpenAI chat completions (stream or not)",
    response_model=None,
    responses={
        200: {
            "description": "a chat.completion object, or with stream: true server-sent chat.completion.chunk events",
            "content": {"application/json": {}, "text/event-stream": {}},
        }
    },
)
def completions(
    body: CompletionRequest, engine: EngineDep, reader: ReaderDep
) -> dict[str, Any] | StreamingResponse:
    turns = [Turn(m.role, m.content) for m in body.messages if m.role in ("user", "assistant")]
    if not turns or turns[-1].role != "user" or not turns[-1].content.strip():
        raise BadQuery("the last message must be a non-empty user message")
    answer = answer_body(engine.chat(turns, reader=reader))
    completion_id = f"chatcmpl-{uuid.uuid4().hex[:24]}"
    created = int(time.time())
    references = answer["citations"]
    if body.stream:
        return StreamingResponse(
            _stream(completion_id, created, body.model, answer), media_type="text/event-stream"
        )
    return {
        "id": completion_id,
        "object": "chat.completion",
        "created": created,
        "model": body.model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": answer["answer"]},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
        "references": references,
        "answerable": answer["answerable"],
    }


def _chunk(
    completion_id: str,
    created: int,
    model: str,
    delta: dict[str, Any],
    finish: str | None = None,
    **extra: Any,
) -> str:
    payload = {
        "id": completion_id,
        "object": "chat.completion.chunk",
        "created": created,
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        **extra,
    }
    return f"data: {json.dumps(payload, ensure_ascii=False)}\n\n"


def _stream(completion_id: str, created: int, model: str, answer: dict[str, Any]) -> Iterator[str]:
    yield _chunk(completion_id, created, model, {"role": "assistant", "content": ""})
    text = answer["answer"]
    for piece in _pieces(text):
        yield _chunk(completion_id, created, model, {"content": piece})
    yield _chunk(
        completion_id,
        created,
        model,
        {},
        "stop",
        references=answer["citations"],
        answerable=answer["answerable"],
    )
    yield "data: [DONE]\n\n"


def _pieces(text: str, size: int = 24) -> Iterator[str]:
    """Stream in pieces that never split a [n] mark."""
    buf = ""
    for ch in text:
        buf += ch
        if len(buf) >= size and "[" not in buf[-4:]:
            yield buf
            buf = ""
    if buf:
        yield buf
