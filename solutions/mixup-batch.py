"""Model answer for `mixup-batch`: mixup (Zhang et al., 2018) applied to one batch.

Mixup trains on convex combinations of pairs of examples and of their labels, a cheap form of
vicinal risk minimisation. Pairing the batch with a shuffled copy of itself gives every sample a
partner without a second data loader, and one coefficient per batch keeps the loss a simple
weighted sum of two ordinary losses.
"""

from __future__ import annotations

import torch
from torch import Tensor


def mixup_batch(x: Tensor, y: Tensor, alpha: float = 0.4) -> tuple[Tensor, Tensor, Tensor, float]:
    """Mix each sample of `x` with a random partner from the same batch.

    Returns `(x_mix, y_a, y_b, lam)`; train with `lam*loss(pred, y_a) + (1-lam)*loss(pred, y_b)`.
    """
    if not alpha > 0:  # also rejects NaN; Beta(0, 0) is not a distribution
        raise ValueError(f"alpha must be > 0, got {alpha}")
    # A Python float: lam is a constant of this step, not something to differentiate through.
    lam = float(torch.distributions.Beta(alpha, alpha).sample())
    # Drawn on x's device, so indexing a CUDA batch needs no host-to-device copy.
    idx = torch.randperm(x.size(0), device=x.device)
    x_mix = lam * x + (1 - lam) * x[idx]
    return x_mix, y, y[idx.to(y.device)], lam
