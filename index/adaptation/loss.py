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
