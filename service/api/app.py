"""The FastAPI application: the engine loads once at start-up; routes are split by resource."""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from service.api import errors
from service.api.routes import admin, answers, documents, health, openai, search
from service.engine import Engine

log = logging.getLogger(__name__)
STATIC = Path(__file__).resolve().parents[1] / "static"


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
    for module in (health, search, answers, openai, documents, admin):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8")

    return app
