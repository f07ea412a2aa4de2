"""Request bodies: pydantic models whose constraints turn bad input into a 422 before a route runs."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr

from index.retriever import MAX_K, MAX_QUERY_CHARS

MAX_MESSAGES = 50


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SearchRequest(Strict):
    query: StrictStr = Field(min_length=1, max_length=MAX_QUERY_CHARS)
    k: StrictInt = Field(default=10, ge=1, le=MAX_K)
    filters: dict[str, Any] | None = None
    mode: Literal["hybrid", "bm25", "dense"] = "hybrid"


class AskRequest(Strict):
    question: StrictStr = Field(min_length=1, max_length=MAX_QUERY_CHARS)
    filters: dict[str, Any] | None = None


class Message(BaseModel):
    model_config = ConfigDict(extra="ignore")
    role: Literal["user", "assistant", "system"]
    content: StrictStr = Field(max_length=4000)


class ChatRequest(Strict):
    messages: list[Message] = Field(min_length=1, max_length=MAX_MESSAGES)
    filters: dict[str, Any] | None = None


class CompletionRequest(BaseModel):
    """OpenAI's chat-completions request; fields we do not use are accepted and ignored."""

    model_config = ConfigDict(extra="ignore")
    model: StrictStr = "policyqa"
    messages: list[Message] = Field(min_length=1, max_length=MAX_MESSAGES)
    stream: StrictBool = False
