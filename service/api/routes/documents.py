from dataclasses import asdict
from typing import Any

from fastapi import APIRouter

from service.answering.models import validity_fields
from service.api.auth import ReaderDep
from service.api.deps import EngineDep
from service.api.errors import NotFound
from service.api.schemas import ERROR_RESPONSES

router = APIRouter(prefix="/api", tags=["documents"], responses=ERROR_RESPONSES)


@router.get("/documents", summary="The indexed documents and their metadata")
def documents(engine: EngineDep, reader: ReaderDep) -> dict[str, Any]:
    docs = engine.catalogue(reader)
    return {
        "documents": [
            {
                "doc_id": d.doc_id,
                "source": d.source,
                "access": d.access,
                **d.meta.to_dict(),
                **validity_fields(d.validity),
            }
            for d in docs
        ]
    }


@router.get("/documents/{doc_id}", summary="A document's cleaned text, metadata and outline")
def document(doc_id: str, engine: EngineDep, reader: ReaderDep) -> dict[str, Any]:
    doc = engine.document(doc_id, reader)
    if doc is None:
        raise NotFound(f"no document with id '{doc_id}'")
    return {
        "doc_id": doc.doc_id,
        "source": doc.source,
        "format": doc.format,
        "access": doc.access,
        **engine.validity(doc.doc_id),
        "meta": doc.meta.to_dict(),
        "text": doc.text,
        "outline": [asdict(h) for h in doc.outline],
        "removed": [asdict(r) for r in doc.removed],
    }


@router.get("/facets", summary="Values the filters can take")
def facets(engine: EngineDep, reader: ReaderDep) -> dict[str, Any]:
    return engine.facets(reader)
