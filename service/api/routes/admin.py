"""Admin routes (admin token): upload, replace and remove documents, and see the library's status."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import JSONResponse
from pydantic import AfterValidator, Field, StrictStr, StringConstraints

from corpus.errors import CorpusError
from service import admin
from service.api.auth import AdminDep
from service.api.deps import EngineDep
from service.api.errors import NotFound
from service.api.schemas import ADMIN_RESPONSES, Strict, proper_unicode

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


IsoDate = Annotated[StrictStr, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")]
# constraints inside the type, so the schema states them for the nullable fields too
Short = Annotated[StrictStr, StringConstraints(min_length=1, max_length=500), AfterValidator(proper_unicode)]


class DocumentUpdate(Strict):
    """Only the fields sent change; null clears a declared value."""

    access: Short | None = Field(default=None, description="public, internal or group:NAME[,...]")
    status: Literal["现行有效", "已废止", "已失效", "被替代"] | None = None
    valid_from: IsoDate | None = None
    valid_to: IsoDate | None = None
    superseded_by: Short | None = Field(default=None, description="the doc id that replaces it")


@router.patch("/documents/{doc_id}", summary="Set a document's access level or validity")
def update(doc_id: str, body: DocumentUpdate, engine: EngineDep, _: AdminDep) -> dict[str, Any]:
    changes = body.model_dump(exclude_unset=True)
    if "access" in changes and changes["access"] is None:
        raise CorpusError("access cannot be null; use public")
    updated = admin.update_document(engine, doc_id, changes)
    if updated is None:
        raise NotFound(f"no document with id '{doc_id}'")
    return updated
