"""Admin routes (admin token): upload, replace and remove documents, and see the library's status."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import JSONResponse

from service import admin
from service.api.auth import AdminDep
from service.api.deps import EngineDep
from service.api.errors import NotFound
from service.api.schemas import ADMIN_RESPONSES

router = APIRouter(prefix="/api/admin", tags=["admin"], responses=ADMIN_RESPONSES)


@router.get("/documents", summary="The stored documents, their access levels and ingest status")
def documents(engine: EngineDep, _: AdminDep) -> dict[str, Any]:
    return admin.catalogue(engine)


@router.post(
    "/documents",
    status_code=201,
    summary="Upload a document (multipart field 'file'); searchable when the response returns",
)
def upload(
    engine: EngineDep,
    _: AdminDep,
    file: Annotated[UploadFile, File(description="a .txt, .md, .html, .docx, .pdf or .ofd file")],
    access: Annotated[
        str, Form(max_length=500, description="public, internal or group:NAME[,...]")
    ] = "public",
    replace: Annotated[bool, Form(description="replace a stored document of the same name")] = False,
) -> dict[str, Any]:
    limit = engine.settings.limits().max_file_bytes
    data = file.file.read(limit + 1)  # one byte over is enough to refuse
    return admin.add_document(engine, file.filename or "", data, access=access, replace=replace)


@router.delete("/documents/{doc_id}", summary="Remove a document; it leaves search at once")
def remove(doc_id: str, engine: EngineDep, _: AdminDep) -> JSONResponse:
    if not admin.remove_document(engine, doc_id):
        raise NotFound(f"no document with id '{doc_id}'")
    return JSONResponse({"removed": doc_id})
