from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from index.errors import BadFilter, BadQuery
from index.filters import FILTER_NAMES
from index.retriever import MAX_K, MAX_QUERY_CHARS
from service.api.auth import ReaderDep
from service.api.deps import EngineDep
from service.api.schemas import ERROR_RESPONSES, SEARCHABLE, SearchRequest
from service.engine import search_body

router = APIRouter(prefix="/api", tags=["search"], responses=ERROR_RESPONSES)
_GET_PARAMS = {"q", "k", "mode"}


@router.get("/search", summary="Hybrid search (query string)")
def search_get(
    request: Request,
    engine: EngineDep,
    reader: ReaderDep,
    q: Annotated[
        str,
        Query(
            description="the question or keywords",
            min_length=1,
            max_length=MAX_QUERY_CHARS,
            pattern=SEARCHABLE,
        ),
    ],
    k: Annotated[int, Query(ge=1, le=MAX_K)] = 10,
    mode: Annotated[str, Query(pattern="^(hybrid|bm25|dense)$")] = "hybrid",
) -> dict[str, Any]:
    unknown = sorted(set(request.query_params) - _GET_PARAMS - set(FILTER_NAMES))
    if unknown:
        raise BadFilter(f"unknown parameter(s) {', '.join(unknown)}; filters: {', '.join(FILTER_NAMES)}")
    filters = {name: request.query_params[name] for name in FILTER_NAMES if name in request.query_params}
    if not q.strip():
        raise BadQuery("the query is empty")
    return search_body(engine.search(q, k=k, filters=filters, mode=mode, reader=reader), engine.ocr_uncertain)  # type: ignore[arg-type]


@router.post("/search", summary="Hybrid search (JSON body)")
def search_post(body: SearchRequest, engine: EngineDep, reader: ReaderDep) -> dict[str, Any]:
    return search_body(
        engine.search(body.query, k=body.k, filters=body.filters, mode=body.mode, reader=reader),
        engine.ocr_uncertain,
    )
