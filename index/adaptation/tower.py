"""Adapting the query side of the encoder itself: LoRA on every linear layer, or the top layers unfrozen.

The passage side stays the base model, so the passage vectors, the FAISS index and the vector cache are
untouched; only questions are encoded by the adapted copy. What training changes is kept as a small
*delta* (LoRA factors, or the unfrozen tensors) that :func:`apply_delta` merges into a plain
``transformers.BertModel`` at load time, so serving needs neither this module's classes nor a GPU.

Everything here is torch over token ids and passage vectors (no tokenizer, no index), so the same code
trains on a 2-core CPU or, much faster, on a lent GPU (see :mod:`index.adaptation.tower_job`).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from index.adaptation.loss import EarlyStopping, contrastive_loss

log = logging.getLogger(__name__)

# BERT's linear layers, by the end of their module names
LINEAR_TARGETS = (
    "attention.self.query",
    "attention.self.key",
    "attention.self.value",
    "attention.output.dense",
    "intermediate.dense",
    "output.dense",
)
LORA_PREFIX = "lora::"
PARAM_PREFIX = "param::"
DIFF_PREFIX = "diff8::"  # int8 change from the base tensor, one scale per row ...
SCALE_PREFIX = "diff8scale::"  # ... stored under this key


def compact_delta(delta: dict[str, np.ndarray], base: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Fine-tuned tensors as their change from the base, in int8 with one float32 scale per row (a
    quarter of float32's size; the change is small, so the rounding is a small fraction of it). LoRA
    factors are kept as they are.

    >>> base = {"w": np.zeros((2, 3), dtype=np.float32)}
    >>> out = compact_delta({PARAM_PREFIX + "w": np.array([[0.0, 0.5, -1.0], [0.2, 0.0, 0.0]])}, base)
    >>> out[DIFF_PREFIX + "w"].tolist(), [round(float(x), 5) for x in out[SCALE_PREFIX + "w"]]
    ([[0, 64, -127], [127, 0, 0]], [0.00787, 0.00157])
    """
    out: dict[str, np.ndarray] = {}
    for key, value in delta.items():
        if not key.startswith(PARAM_PREFIX):
            out[key] = value
            continue
        name = key[len(PARAM_PREFIX) :]
        diff = np.asarray(value, dtype=np.float32) - np.asarray(base[name], dtype=np.float32)
        rows = diff.reshape(diff.shape[0] if diff.ndim == 2 else 1, -1)
        scale = np.abs(rows).max(axis=1) / 127.0
        scale[scale == 0] = 1.0
        out[DIFF_PREFIX + name] = np.round(rows / scale[:, None]).astype(np.int8).reshape(diff.shape)
        out[SCALE_PREFIX + name] = scale.astype(np.float32)
    return out


def changed_params(delta: dict[str, np.ndarray]) -> set[str]:
    """The parameter names a delta changes."""
    names = set()
    for key in delta:
        for prefix in (PARAM_PREFIX, DIFF_PREFIX):
            if key.startswith(prefix):
                names.add(key[len(prefix) :])
        if key.startswith(LORA_PREFIX) and key.endswith(".a"):
            names.add(key[len(LORA_PREFIX) : -2] + ".weight")
    return names


def _torch():
    import torch

    return torch


def lora_linear_class():
    torch = _torch()

    class LoRALinear(torch.nn.Module):
        """``y = base(x) + scale * (x A^T) B^T``; B starts at zero, so training starts from the base model."""

        def __init__(self, base: torch.nn.Linear, rank: int, alpha: float):
            super().__init__()
            self.base = base
            self.scale = alpha / rank
            self.a = torch.nn.Parameter(torch.empty(rank, base.in_features))
            self.b = torch.nn.Parameter(torch.zeros(base.out_features, rank))
            torch.nn.init.kaiming_uniform_(self.a, a=math.sqrt(5))

        def forward(self, x):
            return self.base(x) + (x @ self.a.T @ self.b.T) * self.scale

    return LoRALinear


def attach_lora(model, rank: int = 16, alpha: float = 32.0, targets: Sequence[str] = LINEAR_TARGETS) -> int:
    """Freeze ``model`` and wrap each target linear layer in a LoRA layer; returns how many were wrapped."""
    torch = _torch()
    cls = lora_linear_class()
    for p in model.parameters():
        p.requires_grad_(False)
    wrapped = 0
    for name, module in list(model.named_modules()):
        if isinstance(module, torch.nn.Linear) and name.endswith(tuple(targets)):
            parent_name, _, child = name.rpartition(".")
            parent = model.get_submodule(parent_name) if parent_name else model
            setattr(parent, child, cls(module, rank, alpha))
            wrapped += 1
    return wrapped


def unfreeze_top(model, layers: int) -> list[str]:
    """Freeze everything but the top ``layers`` encoder layers; returns the trainable parameter names."""
    total = len(model.encoder.layer)
    keep = tuple(f"encoder.layer.{i}." for i in range(total - layers, total))
    names = []
    for name, p in model.named_parameters():
        p.requires_grad_(name.startswith(keep))
        if p.requires_grad:
            names.append(name)
    return names


def tower_delta(model) -> dict[str, np.ndarray]:
    """What training changed, as plain arrays: LoRA factors (with their scale folded into B), and the
    unfrozen tensors of a partially fine-tuned model."""
    cls_name = "LoRALinear"
    delta: dict[str, np.ndarray] = {}
    for name, module in model.named_modules():
        if type(module).__name__ == cls_name:
            # copies: on CPU .numpy() would share memory with the parameter and follow later training
            delta[f"{LORA_PREFIX}{name}.a"] = module.a.detach().float().cpu().numpy().copy()
            delta[f"{LORA_PREFIX}{name}.b"] = (module.b.detach().float() * module.scale).cpu().numpy().copy()
    if not delta:
        for name, p in model.named_parameters():
            if p.requires_grad:
                delta[f"{PARAM_PREFIX}{name}"] = p.detach().float().cpu().numpy().copy()
    return delta


def apply_delta(model, delta: dict[str, np.ndarray]) -> int:
    """Merge a delta into a plain BertModel in place (``W += B A`` for LoRA pairs, ``W = T`` for tensors,
    ``W += q * scale`` for compact changes).

    Returns the number of tensors changed; raises KeyError/ValueError on a delta that does not fit."""
    torch = _torch()
    params = dict(model.named_parameters())
    changed = 0
    with torch.no_grad():
        for key, value in delta.items():
            if key.startswith(LORA_PREFIX) and key.endswith(".a"):
                module = key[len(LORA_PREFIX) : -2]
                a = torch.from_numpy(np.asarray(value, dtype=np.float32))
                b = torch.from_numpy(np.asarray(delta[f"{LORA_PREFIX}{module}.b"], dtype=np.float32))
                weight = params[f"{module}.weight"]
                if tuple(weight.shape) != (b.shape[0], a.shape[1]):
                    raise ValueError(f"LoRA pair for {module} does not fit {tuple(weight.shape)}")
                weight += (b @ a).to(weight.device)
                changed += 1
            elif key.startswith(PARAM_PREFIX):
                target = params[key[len(PARAM_PREFIX) :]]
                if tuple(target.shape) != tuple(value.shape):
                    raise ValueError(f"{key} is {value.shape}, the model's tensor is {tuple(target.shape)}")
                target.copy_(torch.from_numpy(np.asarray(value, dtype=np.float32)).to(target.device))
                changed += 1
            elif key.startswith(DIFF_PREFIX):
                name = key[len(DIFF_PREFIX) :]
                target = params[name]
                if tuple(target.shape) != tuple(value.shape):
                    raise ValueError(f"{key} is {value.shape}, the model's tensor is {tuple(target.shape)}")
                scale = np.asarray(delta[SCALE_PREFIX + name], dtype=np.float32)
                rows = np.asarray(value, dtype=np.float32).reshape(len(scale), -1) * scale[:, None]
                target += torch.from_numpy(rows.reshape(value.shape)).to(target.device)
                changed += 1
    return changed


def pad_batch(sequences: Sequence[np.ndarray], pad_id: int) -> tuple[np.ndarray, np.ndarray]:
    """Right-pad token id sequences into (ids, attention mask) arrays.

    >>> ids, mask = pad_batch([np.array([5, 6, 7]), np.array([8])], pad_id=1)
    >>> ids.tolist(), mask.tolist()
    ([[5, 6, 7], [8, 1, 1]], [[1, 1, 1], [1, 0, 0]])
    """
    width = max(len(s) for s in sequences)
    ids = np.full((len(sequences), width), pad_id, dtype=np.int64)
    mask = np.zeros((len(sequences), width), dtype=np.int64)
    for i, s in enumerate(sequences):
        ids[i, : len(s)] = s
        mask[i, : len(s)] = 1
    return ids, mask


def encode(model, sequences: Sequence[np.ndarray], pad_id: int, device: str = "cpu"):
    """Mean-pooled, L2-normalised vectors (the e5 recipe) for token id sequences; a torch tensor."""
    torch = _torch()
    ids, mask = pad_batch(sequences, pad_id)
    ids_t = torch.from_numpy(ids).to(device)
    mask_t = torch.from_numpy(mask).to(device)
    with torch.autocast(device_type="cuda", dtype=torch.bfloat16, enabled=device.startswith("cuda")):
        hidden = model(input_ids=ids_t, attention_mask=mask_t).last_hidden_state
    hidden = hidden.float()
    m = mask_t.unsqueeze(-1).float()
    pooled = (hidden * m).sum(1) / m.sum(1).clamp(min=1.0)
    return torch.nn.functional.normalize(pooled, dim=-1)


def encode_all(model, sequences: Sequence[np.ndarray], pad_id: int, device: str, batch: int = 256):
    """Encode many sequences without gradients, batching by length; rows come back in input order."""
    torch = _torch()
    order = np.argsort([len(s) for s in sequences], kind="stable")
    out = None
    model.eval()
    with torch.no_grad():
        for start in range(0, len(order), batch):
            rows = order[start : start + batch]
            vecs = encode(model, [sequences[r] for r in rows], pad_id, device)
            if out is None:
                out = torch.empty((len(sequences), vecs.shape[1]), device=device)
            out[torch.from_numpy(rows).to(device)] = vecs
    return out


@dataclass(frozen=True)
class TowerConfig:
    epochs: int = 10
    batch_size: int = 64
    lr: float = 2e-4
    weight_decay: float = 0.0
    temperature: float = 0.05
    negatives: int = 8  # hard negatives per question and step, sampled from its mined list
    patience: int = 3
    warmup: float = 0.1  # share of the steps with a rising learning rate
    seed: int = 13


@dataclass
class TowerResult:
    delta: dict[str, np.ndarray]
    best_epoch: int
    history: list[dict[str, float]] = field(default_factory=list)


def train_query_tower(
    model,
    queries: Sequence[np.ndarray],
    passages,
    positives: Sequence[Sequence[int]],
    negatives: Sequence[Sequence[int]],
    pad_id: int,
    config: TowerConfig = TowerConfig(),
    validate: Callable[[], float] | None = None,
    device: str = "cpu",
) -> TowerResult:
    """Contrastive training of the query side: each question against its positive passage, the other
    questions' positives (in-batch) and sampled hard negatives, over fixed passage vectors.

    ``model`` has trainable parameters already chosen (:func:`attach_lora` or :func:`unfreeze_top`);
    ``passages`` is an (m, d) tensor of unit vectors on ``device``; ``validate()`` scores the model as it
    is now (higher is better). The delta of the best epoch is kept (early stopping)."""
    torch = _torch()
    keep = [i for i, p in enumerate(positives) if len(p) > 0]
    if not keep:
        raise ValueError("no question has a positive passage")
    torch.manual_seed(config.seed)
    rng = np.random.default_rng(config.seed)
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimiser = torch.optim.AdamW(trainable, lr=config.lr, weight_decay=config.weight_decay)
    steps = config.epochs * math.ceil(len(keep) / config.batch_size)
    warm = max(1, int(steps * config.warmup))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min(1.0, (s + 1) / warm) * max(0.0, (steps - s) / max(1, steps - warm))
    )
    pos_sets = [set(map(int, p)) for p in positives]

    start = validate() if validate else None
    best = TowerResult(tower_delta(model), 0, [{"epoch": 0, "validation": _num(start)}])
    stopping = EarlyStopping(config.patience, start)
    for epoch in range(1, config.epochs + 1):
        model.train()
        order = rng.permutation(keep)
        total = 0.0
        for start in range(0, len(order), config.batch_size):
            batch = [int(i) for i in order[start : start + config.batch_size]]
            pos_rows = [int(rng.choice(positives[i])) for i in batch]
            q = encode(model, [queries[i] for i in batch], pad_id, device)
            neg_rows = None
            if config.negatives and all(len(negatives[i]) for i in batch):
                neg_rows = [
                    rng.choice(
                        negatives[i], size=config.negatives, replace=len(negatives[i]) < config.negatives
                    )
                    for i in batch
                ]
            loss = contrastive_loss(q, passages, batch, pos_rows, neg_rows, pos_sets, config.temperature)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            total += float(loss.detach()) * len(batch)
        current = validate() if validate else None
        best.history.append({"epoch": epoch, "loss": total / len(order), "validation": _num(current)})
        log.info("epoch %d: loss %.4f, validation %s", epoch, total / len(order), current)
        if stopping.update(epoch, current):
            best.delta = tower_delta(model)
            best.best_epoch = epoch
        elif stopping.should_stop:
            break
    return best


def _num(value: float | None) -> float:
    return float("nan") if value is None else float(value)
