"""What the index keeps about each document and chunk (a read-only view for retrieval and answers)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from corpus.models import Chunk, DocumentMeta
from corpus.validity import Validity


@dataclass(frozen=True)
class DocRecord:
    doc_id: str
    source: str
    fingerprint: str
    meta: DocumentMeta
    access: str = "public"  # corpus.access level, checked inside retrieval
    # derived from the whole library when the index loads (corpus.validity.resolve_versions); not stored
    validity: Validity | None = field(default=None, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "source": self.source,
            "fingerprint": self.fingerprint,
            "meta": self.meta.to_dict(),
            "access": self.access,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> DocRecord:
        return cls(
            d["doc_id"], d["source"], d["fingerprint"], DocumentMeta(**d["meta"]), d.get("access", "public")
        )


def embedding_text(chunk: Chunk) -> str:
    """What the dense side embeds: the heading context (title > section path) and the text."""
    return f"{chunk.heading_context}\n{chunk.text}"


def sparse_text(chunk: Chunk) -> str:
    """What the sparse side tokenises: section path (and table header) plus the text."""
    context = " ".join([*chunk.section, chunk.table_header or ""])
    return f"{chunk.title} {context}\n{chunk.text}"
