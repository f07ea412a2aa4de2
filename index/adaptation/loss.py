"""The contrastive loss both query-side adaptations train with (linear map and query tower).

Each question is scored against its positive passage, the other questions' positives in the batch
(in-batch negatives) and its sampled hard negatives; an in-batch "negative" that is in fact another
positive of the question is masked out. Cross-entropy over those scores, at a temperature.
"""

from __future__ import annotations

from collections.abc import Sequence


def contrastive_loss(
    q,
    passages,
    batch: Sequence[int],
    pos_rows: Sequence[int],
    neg_rows: Sequence[Sequence[int]] | None,
    pos_sets: Sequence[set[int]],
    temperature: float,
):
    """``q``: (b, d) question vectors; ``passages``: (m, d) tensor; ``pos_rows[a]``: the positive drawn for
    question ``batch[a]``; ``neg_rows``: (b, k) hard negatives or None; ``pos_sets[i]``: all positives of
    question i. Returns the mean loss (a torch scalar)."""
    import torch

    device = q.device
    logits = [q @ passages[torch.as_tensor(list(pos_rows), device=device)].T]
    if neg_rows is not None:
        hard = passages[torch.as_tensor([list(r) for r in neg_rows], device=device)]  # (b, k, d)
        logits.append(torch.einsum("bd,bkd->bk", q, hard))
    scores = torch.cat(logits, dim=1) / temperature
    mask = torch.zeros_like(scores, dtype=torch.bool)
    for a, i in enumerate(batch):
        for b, row in enumerate(pos_rows):
            if a != b and row in pos_sets[i]:
                mask[a, b] = True
    scores = scores.masked_fill(mask, -1e4)
    return torch.nn.functional.cross_entropy(scores, torch.arange(len(batch), device=device))


class EarlyStopping:
    """Keep the best epoch by a validation score; stop after ``patience`` epochs without a gain.

    >>> stop = EarlyStopping(patience=2, best=0.5)
    >>> [stop.update(e, s) for e, s in enumerate([0.6, 0.55, 0.58, 0.7], start=1)]
    [True, False, False, True]
    >>> stop.best_epoch, stop.stale, stop.should_stop
    (4, 0, False)
    >>> stop.update(5, 0.1), stop.update(6, 0.1), stop.should_stop
    (False, False, True)
    """

    def __init__(self, patience: int, best: float | None = None):
        self.patience = patience
        self.best = best
        self.best_epoch = 0
        self.stale = 0

    def update(self, epoch: int, score: float | None) -> bool:
        """Record an epoch's score; True when it is the best so far (a None score always counts as best)."""
        if score is None or self.best is None or score > self.best:
            self.best, self.best_epoch, self.stale = score, epoch, 0
            return True
        self.stale += 1
        return False

    @property
    def should_stop(self) -> bool:
        return self.stale >= self.patience
