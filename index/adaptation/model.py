"""The query adapter: ``q' = normalise(W q)``, with W learned (identity = no adaptation).

Stored as a small ``.npz`` (the matrix) beside a ``manifest.json`` that records what it was trained on,
with which seed and hyperparameters, and what it measured before and after. Only the query side moves:
passage vectors, the FAISS index and the vector cache stay as they are.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from index.errors import IndexLayerError

log = logging.getLogger(__name__)
WEIGHTS = "adapter.npz"
MANIFEST = "manifest.json"


class AdapterError(IndexLayerError):
    """An adapter that cannot be used with this model (missing, malformed, or another model's)."""


@dataclass(frozen=True)
class QueryAdapter:
    weight: np.ndarray  # (dim, dim): q' = W q
    model: str  # the embedding model whose query vectors it maps
    manifest: dict[str, Any] = field(default_factory=dict)

    @property
    def dim(self) -> int:
        return int(self.weight.shape[0])

    @property
    def digest(self) -> str:
        """Identifies the weights (recorded in the index manifest and /healthz)."""
        return hashlib.sha1(np.ascontiguousarray(self.weight, dtype=np.float32).tobytes()).hexdigest()[:12]

    def apply(self, queries: np.ndarray) -> np.ndarray:
        """Map (n, dim) unit query vectors and renormalise them."""
        return apply_linear(queries, self.weight)


def apply_linear(queries: np.ndarray, weight: np.ndarray) -> np.ndarray:
    out = np.asarray(queries, dtype=np.float32) @ np.asarray(weight, dtype=np.float32).T
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return (out / np.maximum(norms, 1e-12)).astype(np.float32)


def save_adapter(adapter: QueryAdapter, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(folder / WEIGHTS, weight=adapter.weight.astype(np.float32))
    manifest = {**adapter.manifest, "model": adapter.model, "dim": adapter.dim, "digest": adapter.digest}
    (folder / MANIFEST).write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return folder


def load_adapter(folder: Path, model: str, dim: int) -> QueryAdapter:
    """The adapter in ``folder``, checked against the embedding model it will be used with."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        with np.load(folder / WEIGHTS) as npz:
            weight = np.asarray(npz["weight"], dtype=np.float32)
    except (OSError, KeyError, ValueError) as exc:
        raise AdapterError(f"cannot read the query adapter in {folder}: {exc}") from exc
    if manifest.get("model") != model:
        raise AdapterError(
            f"the query adapter in {folder} was trained for {manifest.get('model')!r}, not {model!r}; "
            "train one with `policyqa adapt` or turn it off (POLICYQA_ADAPTER=off)"
        )
    if weight.shape != (dim, dim):
        raise AdapterError(
            f"the query adapter in {folder} is {weight.shape}, the model's vectors are {dim}-d"
        )
    return QueryAdapter(weight, model, manifest)


class AdaptedEmbedder:
    """An embedder whose query vectors go through the adapter; passages are embedded as before."""

    def __init__(self, base, adapter: QueryAdapter):
        self.base = base
        self.adapter = adapter
        self.name = base.name  # the passage vectors are the base model's: the index stays compatible
        self.dim = base.dim
        # the vector cache keys passages by model and prompt: they must read as the base model's
        self.passage_prompt = getattr(base, "passage_prompt", "")
        self.query_prompt = getattr(base, "query_prompt", "")

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.adapter.apply(self.base.encode_queries(texts))

    def encode_passages(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        return self.base.encode_passages(texts, progress=progress)

    def clear_query_cache(self) -> None:
        clear = getattr(self.base, "clear_query_cache", None)
        if clear is not None:
            clear()
