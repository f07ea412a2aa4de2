"""Request bodies: pydantic models whose constraints turn bad input into a 422 before a route runs."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, StrictStr

from index.retriever import MAX_K, MAX_QUERY_CHARS

MAX_MESSAGES = 50
MAX_FILTER_CHARS = 200
MAX_TEXT_CHARS = 5000  # any string in a request (fields with their own limit are checked by those too)


def proper_unicode(value: Any) -> Any:
    """Every string in the value (dict keys and values, list items) must encode as UTF-8: a lone
    surrogate such as '\\ud800' is refused here, before any route or log line touches it."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError("the text is not valid Unicode (it holds a lone surrogate)") from None
        if len(value) > MAX_TEXT_CHARS:
            raise ValueError("the text is too long")
    elif isinstance(value, dict):
        for k, v in value.items():
            proper_unicode(k)
            proper_unicode(v)
    elif isinstance(value, list | tuple):
        for v in value:
            proper_unicode(v)
    return value


Text = Annotated[StrictStr, AfterValidator(proper_unicode)]


def _not_text_or_bool(value: Any) -> Any:
    if isinstance(value, str | bool):
        raise ValueError("must be a whole number, not text or true/false")
    return value


# a JSON integer: 10 and 10.0 (JSON Schema counts both), never "10" or true
WholeNumber = Annotated[int, BeforeValidator(_not_text_or_bool)]
Filters = Annotated[dict[str, Any] | None, AfterValidator(proper_unicode)]


# a query must hold something to search for: a letter or digit (the schema says so, not only the route)
SEARCHABLE = r"[0-9A-Za-z\u00c0-\u024f\u0400-\u04ff\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SearchRequest(Strict):
    query: Text = Field(min_length=1, max_length=MAX_QUERY_CHARS, pattern=SEARCHABLE)
    k: WholeNumber = Field(default=10, ge=1, le=MAX_K)
    filters: Filters = None
    mode: Literal["hybrid", "bm25", "dense"] = "hybrid"


class AskRequest(Strict):
    question: Text = Field(min_length=1, max_length=MAX_QUERY_CHARS, pattern=SEARCHABLE)
    filters: Filters = None


class Message(BaseModel):
    model_config = ConfigDict(extra="ignore")
    role: Literal["user", "assistant", "system"]
    content: Text = Field(max_length=4000)


class ChatRequest(Strict):
    messages: list[Message] = Field(min_length=1, max_length=MAX_MESSAGES)
    filters: Filters = None


class CompletionRequest(BaseModel):
    """OpenAI's chat-completions request; fields we do not use are accepted and ignored."""

    model_config = ConfigDict(extra="ignore")
    model: Text = Field(default="policyqa", max_length=MAX_FILTER_CHARS)
    messages: list[Message] = Field(min_length=1, max_length=MAX_MESSAGES)
    stream: StrictBool = False


class ErrorBody(BaseModel):
    """Every error the application produces: {"error": "..."} (422 adds ``details``)."""

    error: str
    details: list[dict[str, Any]] | None = None


def _errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    described = {
        400: "bad query or filter",
        401: "unknown or malformed token",
        403: "the token does not allow this",
        404: "no such document or path",
        409: "conflicts with a stored document",
        413: "too large",
        415: "unsupported file type",
        422: "the request does not match the schema",
        429: "too many requests (see Retry-After)",
        503: "the index is not ready or another write is in progress",
    }
    return {c: {"model": ErrorBody, "description": described[c]} for c in codes}


# statuses the routes can answer with (the OpenAPI schema lists them, so generated clients know them)
ERROR_RESPONSES = _errors(400, 401, 404, 422, 429, 503)
ADMIN_RESPONSES = _errors(400, 401, 403, 404, 409, 413, 415, 422, 503)
