"""The one place where domain errors become HTTP errors: a JSON body {"error": "..."} and a 4xx/5xx."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from corpus.errors import CorpusError, DocumentConflict, TooLarge, UnsupportedFormat
from index.errors import BadFilter, BadQuery, IndexIncompatible, IndexNotReady
from service.api.auth import Forbidden, Unauthorized
from service.writing import WriterBusy

log = logging.getLogger(__name__)


class NotFound(LookupError):
    """A document or resource that does not exist."""


STATUS: tuple[tuple[type[Exception], int], ...] = (
    (BadFilter, 400),
    (BadQuery, 400),
    (CorpusError, 400),
    (DocumentConflict, 409),
    (TooLarge, 413),
    (UnsupportedFormat, 415),
    (WriterBusy, 503),
    (Unauthorized, 401),
    (Forbidden, 403),
    (NotFound, 404),
    (IndexNotReady, 503),
    (IndexIncompatible, 503),
)


def error_response(status: int, message: str, **extra) -> JSONResponse:
    return JSONResponse(status_code=status, content={"error": message, **extra})


def _describe(errors: list[dict]) -> str:
    parts = []
    for e in errors:
        loc = list(e.get("loc", ()))
        where = ".".join(str(x) for x in loc[1:])  # loc[0] says where: body, query, path
        msg = e.get("msg", "invalid")
        if e.get("type") == "json_invalid":
            return "the request body is not valid JSON"
        parts.append(f"{where}: {msg}" if where else msg)
    return "; ".join(parts) or "invalid request"


def install(app: FastAPI) -> None:
    for exc_type, status in STATUS:

        async def handler(request: Request, exc: Exception, status: int = status) -> JSONResponse:
            response = error_response(status, str(exc))
            if status == 401:
                response.headers["WWW-Authenticate"] = "Bearer"
            return response

        app.add_exception_handler(exc_type, handler)

    @app.exception_handler(RequestValidationError)
    async def validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response(
            422,
            _describe(list(exc.errors())),
            details=[{"loc": list(e.get("loc", ())), "msg": e.get("msg")} for e in exc.errors()],
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        message = exc.detail if isinstance(exc.detail, str) else "request failed"
        if exc.status_code == 404 and message == "Not Found":
            message = f"no such path: {request.url.path}"
        if exc.status_code == 405:
            message = f"method {request.method} is not allowed on {request.url.path}"
        return error_response(exc.status_code, message)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s", request.url.path)
        return error_response(500, "internal error; the server log has the details")
