"""The FastAPI application: the engine loads once at start-up; routes are split by resource."""

from __future__ import annotations

import logging
import time
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.api import errors
from service.api.errors import error_response
from service.api.guards import host_allowed, retry_after, security_headers
from service.api.routes import admin, answers, documents, health, openai, search
from service.api.shared_buckets import SharedTokenBuckets
from service.engine import Engine
from service.settings import Settings

log = logging.getLogger(__name__)
STATIC = Path(__file__).resolve().parents[1] / "static"
RATE_LIMITED = ("/api/", "/v1/")  # the public routes (not /healthz, the page or its static files)


def create_app(engine: Engine, warm: bool = True) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if warm:
            log.info("loading the index and the model")
            engine.warm_up()
            log.info(
                "ready: %d documents, %d chunks", len(engine.retriever.docs), len(engine.retriever.chunks)
            )
        yield

    app = FastAPI(
        title="policyqa",
        description="Search and cited answers over Chinese government policy documents.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.engine = engine
    errors.install(app)
    guard(app, engine.settings)
    for module in (health, search, answers, openai, documents, admin):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8")

    return app


def app_from_settings() -> FastAPI:
    """The application of one server worker process (``policyqa serve --workers N``)."""
    return create_app(Engine(Settings()))


def guard(app: FastAPI, settings: Settings) -> None:
    """Host allow-list, body size limit, per-client rate limit and security headers on every response."""
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["Authorization", "Content-Type"],
        )
    app.add_middleware(Guards, settings=settings)


class Guards:
    """The request guards of service.api.guards as plain ASGI middleware (no per-request task or body
    copying, unlike BaseHTTPMiddleware): refuse early, and add the security headers to every answer."""

    def __init__(self, app: ASGIApp, settings: Settings):
        self.app = app
        self.settings = settings
        self.hosts = settings.hosts()
        self.body_limit = settings.limits().max_file_bytes + 2**20  # an upload plus its multipart framing
        # one set of buckets for every worker process of this server (service.api.shared_buckets);
        # none, and no file, when anonymous requests are not limited
        self.buckets = (
            SharedTokenBuckets(
                settings.data_dir / "rate-limit.sqlite", settings.rate_limit_per_s, settings.rate_limit_burst
            )
            if settings.rate_limit_per_s > 0
            else None
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        extra = [(k.lower().encode(), v.encode()) for k, v in security_headers(path).items()]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        refusal = self.refusal(scope, path)
        if refusal is not None:
            await refusal(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)

    def refusal(self, scope: Scope, path: str) -> JSONResponse | None:
        headers = Headers(scope=scope)
        if not host_allowed(headers.get("host"), self.hosts):
            return error_response(
                400, "this server does not answer for that Host (set POLICYQA_ALLOWED_HOSTS to serve it)"
            )
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > self.body_limit:
            return error_response(413, f"the request body is larger than {self.body_limit // 2**20} MB")
        limited = self.buckets is not None and path.startswith(RATE_LIMITED)
        if limited and "authorization" not in headers:
            client = scope["client"][0] if scope.get("client") else "unknown"
            wait = self.buckets.take(client, time.time())
            if wait > 0:
                response = error_response(429, "too many requests from this client; slow down")
                response.headers["Retry-After"] = retry_after(wait)
                return response
        return None
