from fastapi import APIRouter
from fastapi.responses import JSONResponse

from service.api.deps import EngineDep

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="Is the index loaded?")
def healthz(engine: EngineDep) -> JSONResponse:
    if not engine.ready():
        return JSONResponse(
            status_code=503, content={"status": "loading", "error": "the index is not loaded yet"}
        )
    r = engine.retriever
    return JSONResponse(
        {
            "status": "ok",
            "documents": len(r.docs),
            "chunks": len(r.chunks),
            "model": r.data.manifest.get("model"),
            "index_created": r.data.manifest.get("created"),
            "generation": r.data.manifest.get("generation"),
            "adapter": getattr(getattr(r.embedder, "adapter", None), "digest", None),
            "generative": engine.generator is not None,
        }
    )
