"""Figures that describe an ingest run: counts, chunk sizes, metadata coverage, skipped files."""

from __future__ import annotations

from collections import Counter
from dataclasses import fields
from typing import Any

import numpy as np

from corpus.models import DocumentMeta
from corpus.pipeline import IngestResult


def summarise(result: IngestResult, seconds: float) -> dict[str, Any]:
    sizes = np.array([len(c.text) for c in result.chunks]) if result.chunks else np.zeros(1)
    found: Counter[str] = Counter()
    for doc in result.documents:
        for f in fields(DocumentMeta):
            if getattr(doc.meta, f.name) is not None:
                found[f.name] += 1
    return {
        "documents": len(result.documents),
        "chunks": len(result.chunks),
        "seconds": round(seconds, 2),
        "chunk_chars": {
            "min": int(sizes.min()),
            "p10": int(np.percentile(sizes, 10)),
            "median": int(np.median(sizes)),
            "p90": int(np.percentile(sizes, 90)),
            "max": int(sizes.max()),
        },
        "metadata_found": {f.name: found[f.name] for f in fields(DocumentMeta)},
        "removed_lines": sum(len(d.removed) for d in result.documents),
        "skipped": [{"path": s.path, "reason": s.reason} for s in result.skipped],
    }
