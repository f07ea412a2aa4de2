"""Training the linear query adapter: contrastive loss with in-batch and mined hard negatives.

Pure over arrays (query vectors, passage vectors, positive and negative passage rows), so it is tested on
tiny hand-made data. W starts at the identity and is pulled back towards it (``identity_weight``), so a
small training set moves the encoder a little, not somewhere arbitrary. The best epoch on the validation
callback is kept (early stopping).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from index.adaptation.loss import EarlyStopping, contrastive_loss

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TrainConfig:
    epochs: int = 30
    batch_size: int = 128
    lr: float = 1e-3
    temperature: float = 0.05
    identity_weight: float = 0.1  # L2 pull of W towards I (per element, summed)
    negatives: int = 16  # hard negatives per question and step, sampled from its mined list
    patience: int = 5  # epochs without validation gain before stopping
    seed: int = 13


@dataclass
class TrainResult:
    weight: np.ndarray
    best_epoch: int
    history: list[dict[str, float]] = field(default_factory=list)


def train_linear_adapter(
    queries: np.ndarray,
    passages: np.ndarray,
    positives: Sequence[Sequence[int]],
    negatives: Sequence[Sequence[int]],
    config: TrainConfig = TrainConfig(),
    validate: Callable[[np.ndarray], float] | None = None,
) -> TrainResult:
    """Learn W (dim x dim) so that normalise(W q) ranks each question's positive passages first.

    queries: (n, d) unit vectors; passages: (m, d) unit vectors; positives[i] / negatives[i]: rows of
    ``passages`` for question i. ``validate(W)`` returns a score to maximise (e.g. recall on held-out
    questions); without it the last epoch is kept.
    """
    import torch

    if len(queries) != len(positives) or len(queries) != len(negatives):
        raise ValueError("queries, positives and negatives must be aligned")
    keep = [i for i, p in enumerate(positives) if len(p) > 0]
    if not keep:
        raise ValueError("no question has a positive passage")
    torch.manual_seed(config.seed)
    rng = np.random.default_rng(config.seed)
    d = queries.shape[1]
    q_all = torch.from_numpy(np.ascontiguousarray(queries, dtype=np.float32))
    p_all = torch.from_numpy(np.ascontiguousarray(passages, dtype=np.float32))
    eye = torch.eye(d)
    weight = torch.nn.Parameter(eye.clone())
    optimiser = torch.optim.Adam([weight], lr=config.lr)
    pos_sets = [set(map(int, p)) for p in positives]

    def score_now() -> float | None:
        return validate(weight.detach().numpy().copy()) if validate else None

    best = TrainResult(weight.detach().numpy().copy(), 0, [])
    start = score_now()
    best.history.append({"epoch": 0, "validation": start if start is not None else float("nan")})
    stopping = EarlyStopping(config.patience, start)
    for epoch in range(1, config.epochs + 1):
        order = rng.permutation(keep)
        total = 0.0
        for start in range(0, len(order), config.batch_size):
            batch = order[start : start + config.batch_size]
            pos_rows = [int(rng.choice(positives[i])) for i in batch]
            neg_rows = [
                [
                    int(x)
                    for x in rng.choice(
                        negatives[i], size=config.negatives, replace=len(negatives[i]) < config.negatives
                    )
                ]
                if len(negatives[i])
                else []
                for i in batch
            ]
            q = torch.nn.functional.normalize(q_all[batch] @ weight.T, dim=1)
            loss = contrastive_loss(
                q,
                p_all,
                batch,
                pos_rows,
                neg_rows if config.negatives and all(neg_rows) else None,
                pos_sets,
                config.temperature,
            )
            loss = loss + config.identity_weight * ((weight - eye) ** 2).sum()
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            total += float(loss.detach()) * len(batch)
        current = score_now()
        best.history.append(
            {
                "epoch": epoch,
                "loss": total / len(order),
                "validation": current if current is not None else float("nan"),
            }
        )
        log.info("epoch %d: loss %.4f, validation %s", epoch, total / len(order), current)
        if stopping.update(epoch, current):
            best.weight = weight.detach().numpy().copy()
            best.best_epoch = epoch
        elif stopping.should_stop:
            break
    return best


def recall_at(
    queries: np.ndarray, passages: np.ndarray, relevant: Sequence[set[int]], weight: np.ndarray, k: int
) -> float:
    """Share of each question's relevant passages in its top k by inner product, averaged (true recall)."""
    from index.adaptation.model import apply_linear

    q = apply_linear(queries, weight)
    sims = q @ passages.T
    k = min(k, sims.shape[1])
    top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
    scores = [len(rel & set(map(int, row))) / len(rel) for row, rel in zip(top, relevant, strict=True) if rel]
    return float(np.mean(scores)) if scores else 0.0
