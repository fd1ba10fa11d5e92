"""Model answer for `cutmix-batch`: CutMix (Yun et al., 2019) applied to one batch.

CutMix pastes a rectangle from a shuffled copy of the batch into every image and mixes the labels
in proportion to the pasted area. The box is drawn for a target ratio `lam0`, then clipped to the
image, so the label weight `lam` is recomputed from the area that was really pasted.
"""

from __future__ import annotations

import math

import torch
from torch import Tensor


def _random_box(h: int, w: int, lam0: float) -> tuple[int, int, int, int]:
    """Rows `y1:y2` and columns `x1:x2` of a box covering about `1 - lam0` of an `h x w` image.

    The centre is uniform over all pixels and the box is clipped to the image, so boxes near the
    border come out smaller (that is why `lam` is recomputed afterwards).
    """
    ratio = math.sqrt(1.0 - lam0)
    cut_h, cut_w = int(h * ratio), int(w * ratio)
    cy, cx = int(torch.randint(h, ())), int(torch.randint(w, ()))
    y1, y2 = max(cy - cut_h // 2, 0), min(cy + cut_h // 2, h)
    x1, x2 = max(cx - cut_w // 2, 0), min(cx + cut_w // 2, w)
    return y1, y2, x1, x2


def cutmix_batch(x: Tensor, y: Tensor, alpha: float = 1.0) -> tuple[Tensor, Tensor, Tensor, float]:
    """Paste one random box from a shuffled copy of the batch into every image of `x` (N, C, H, W).

    Returns `(x_mix, y_a, y_b, lam)`; train with `lam*loss(pred, y_a) + (1-lam)*loss(pred, y_b)`.
    """
    if not alpha > 0:  # also rejects NaN
        raise ValueError(f"alpha must be > 0, got {alpha}")
    if x.dim() != 4:
        raise ValueError(f"x must have shape (N, C, H, W), got {tuple(x.shape)}")
    n, _, h, w = x.shape
    lam0 = float(torch.distributions.Beta(alpha, alpha).sample())
    y1, y2, x1, x2 = _random_box(h, w, lam0)
    idx = torch.randperm(n, device=x.device)
    x_mix = x.clone()
    x_mix[:, :, y1:y2, x1:x2] = x[idx, :, y1:y2, x1:x2]
    lam = 1.0 - (y2 - y1) * (x2 - x1) / (h * w)
    return x_mix, y, y[idx.to(y.device)], lam
