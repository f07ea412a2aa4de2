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
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from index.errors import IndexLayerError

log = logging.getLogger(__name__)
WEIGHTS = "adapter.npz"
TOWER_WEIGHTS = "tower.npz"
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


@dataclass(frozen=True)
class TowerAdapter:
    """An adapted copy of the query side of the encoder itself (LoRA factors or fine-tuned top layers,
    see :mod:`index.adaptation.tower`), merged into a copy of the base model when bound."""

    delta: dict[str, np.ndarray]
    model: str
    manifest: dict[str, Any] = field(default_factory=dict)
    # the tower's share of the query vector: 1 the tower alone, below 1 mixed with the base model's
    # (index.adaptation.runtime.mixed_module)
    share: float = 1.0

    @property
    def digest(self) -> str:
        h = hashlib.sha1()
        for key in sorted(self.delta):
            h.update(key.encode())
            h.update(np.ascontiguousarray(self.delta[key], dtype=np.float32).tobytes())
        return h.hexdigest()[:12] + (f"-share{self.share:g}" if self.share < 1 else "")

    def bind(self, base) -> Any:
        """A query encoder (``encode(texts)``) for ``base``'s model with the delta merged in; passages
        stay with ``base``. Runs through ONNX when onnxruntime is there (see index.adaptation.runtime)."""
        from index.adaptation.runtime import checked_mix, first_changed_layer, merged_copy, query_encoder
        from index.adaptation.tower import changed_params

        try:
            model = merged_copy(base.model, self.delta)
        except (KeyError, ValueError, AttributeError, IndexError) as exc:
            raise AdapterError(f"the query tower does not fit the model {base.name!r}: {exc}") from exc
        module = None
        if self.share < 1:
            first = first_changed_layer(changed_params(self.delta))
            module = checked_mix(
                base.model[0].auto_model, model[0].auto_model, self.share, first, base.model.tokenizer
            )
        cache_dir = getattr(getattr(base, "config", None), "cache_dir", None)
        return query_encoder(model, getattr(base, "query_prompt", ""), cache_dir, self.digest, module)


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


def as_loaded(array: np.ndarray) -> np.ndarray:
    """A stored delta array back in memory: int8 changes stay int8, float16 weights become float32."""
    return array if array.dtype == np.int8 else np.asarray(array, dtype=np.float32)


def storable(delta: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """A delta as written to disk: float weights in float16; int8 changes and their scales as they are."""
    from index.adaptation.tower import SCALE_PREFIX

    return {
        k: v if v.dtype == np.int8 or k.startswith(SCALE_PREFIX) else v.astype(np.float16)
        for k, v in delta.items()
    }


def save_tower(adapter: TowerAdapter, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(folder / TOWER_WEIGHTS, **storable(adapter.delta))
    manifest = {**adapter.manifest, "model": adapter.model, "digest": adapter.digest}
    (folder / MANIFEST).write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return folder


def load_adapter(folder: Path, model: str, dim: int) -> QueryAdapter | TowerAdapter:
    """The adapter in ``folder``, checked against the embedding model it will be used with."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        tower = (folder / TOWER_WEIGHTS).exists()
        with np.load(folder / (TOWER_WEIGHTS if tower else WEIGHTS)) as npz:
            arrays = {k: as_loaded(npz[k]) for k in npz.files}
        weight = None if tower else arrays["weight"]
    except (OSError, KeyError, ValueError) as exc:
        raise AdapterError(f"cannot read the query adapter in {folder}: {exc}") from exc
    if manifest.get("model") != model:
        raise AdapterError(
            f"the query adapter in {folder} was trained for {manifest.get('model')!r}, not {model!r}; "
            "train one with `policyqa adapt` or turn it off (POLICYQA_ADAPTER=off)"
        )
    if tower:
        return TowerAdapter(arrays, model, manifest)
    if weight.shape != (dim, dim):
        raise AdapterError(
            f"the query adapter in {folder} is {weight.shape}, the model's vectors are {dim}-d"
        )
    return QueryAdapter(weight, model, manifest)


class AdaptedEmbedder:
    """An embedder whose query vectors go through the adapter; passages are embedded as before."""

    def __init__(self, base, adapter: QueryAdapter | TowerAdapter):
        self.base = base
        self.adapter = adapter
        self._tower = adapter.bind(base) if isinstance(adapter, TowerAdapter) else None
        self.name = base.name  # the passage vectors are the base model's: the index stays compatible
        self.dim = base.dim
        # the vector cache keys passages by model and prompt: they must read as the base model's
        self.passage_prompt = getattr(base, "passage_prompt", "")
        self.query_prompt = getattr(base, "query_prompt", "")

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        if self._tower is None:
            return self.adapter.apply(self.base.encode_queries(texts))
        if len(texts) == 1:
            return self._one_tower_query(texts[0])[None, :]
        return self._tower_queries(texts)

    def _tower_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._tower.encode(list(texts))

    @lru_cache(maxsize=2048)  # noqa: B019 - one embedder per process, kept for its lifetime
    def _one_tower_query(self, text: str) -> np.ndarray:
        vec = self._tower_queries([text])[0]
        vec.setflags(write=False)
        return vec

    def encode_passages(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        return self.base.encode_passages(texts, progress=progress)

    def clear_query_cache(self) -> None:
        self._one_tower_query.cache_clear()
        clear = getattr(self.base, "clear_query_cache", None)
        if clear is not None:
            clear()
