"""The FastAPI application: the engine loads once at start-up; routes are split by resource."""

from __future__ import annotations

import logging
import time
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from service.api import errors
from service.api.errors import error_response
from service.api.guards import TokenBuckets, host_allowed, retry_after, security_headers
from service.api.routes import admin, answers, documents, health, openai, search
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
    hosts = settings.hosts()
    body_limit = settings.limits().max_file_bytes + 2**20  # an upload plus its multipart framing
    buckets = TokenBuckets(settings.rate_limit_per_s, settings.rate_limit_burst)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["Authorization", "Content-Type"],
        )

    @app.middleware("http")
    async def guards(request: Request, call_next) -> Response:
        response = await _check(request, call_next)
        response.headers.update(security_headers(request.url.path))
        return response

    async def _check(request: Request, call_next) -> Response:
        if not host_allowed(request.headers.get("host"), hosts):
            return error_response(
                400, "this server does not answer for that Host (set POLICYQA_ALLOWED_HOSTS to serve it)"
            )
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > body_limit:
            return error_response(413, f"the request body is larger than {body_limit // 2**20} MB")
        path = request.url.path
        limited = settings.rate_limit_per_s > 0 and path.startswith(RATE_LIMITED)
        if limited and "authorization" not in request.headers:
            client = request.client.host if request.client else "unknown"
            wait = buckets.take(client, time.monotonic())
            if wait > 0:
                response = error_response(429, "too many requests from this client; slow down")
                response.headers["Retry-After"] = retry_after(wait)
                return response
        return await call_next(request)
