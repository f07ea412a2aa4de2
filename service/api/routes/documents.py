from dataclasses import asdict
from typing import Any

from fastapi import APIRouter

from corpus.diff import diff_documents
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
        # [start, end) of characters OCR read with low confidence: the page marks them 待核对
        "ocr_uncertain": [list(span) for span in doc.ocr_uncertain],
        "outline": [asdict(h) for h in doc.outline],
        "removed": [asdict(r) for r in doc.removed],
    }


@router.get("/facets", summary="Values the filters can take")
def facets(engine: EngineDep, reader: ReaderDep) -> dict[str, Any]:
    return engine.facets(reader)


@router.get(
    "/documents/{doc_id}/diff/{other}",
    summary="What changed from one document (or version) to another, section by section",
)
def diff(doc_id: str, other: str, engine: EngineDep, reader: ReaderDep) -> dict[str, Any]:
    old, new = engine.document(doc_id, reader), engine.document(other, reader)
    if old is None or new is None:
        raise NotFound(f"no document with id '{doc_id if old is None else other}'")
    changes = diff_documents(old, new)
    counts = {k: sum(c.change == k for c in changes) for k in ("added", "removed", "changed", "unchanged")}
    return {
        "old": {"doc_id": old.doc_id, "title": old.meta.title, "source": old.source},
        "new": {"doc_id": new.doc_id, "title": new.meta.title, "source": new.source},
        "summary": counts,
        "sections": [c.to_dict() for c in changes if c.change != "unchanged"],
    }
