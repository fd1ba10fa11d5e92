"""Model answer for `soft-threshold`: the proximal operator of `threshold * ||w||_1`.

Soft thresholding is the closed-form minimiser of `0.5*||x - w||^2 + threshold*||x||_1`; one
gradient step followed by it is one iteration of ISTA, the proximal-gradient method for the lasso.
"""

import torch
from torch import Tensor


def soft_threshold(w: Tensor, threshold: float) -> Tensor:
    """Shrink every entry toward zero by `threshold`, setting those with `|w| <= threshold` to 0.

    Written as `sign(w) * max(|w| - threshold, 0)` so that the dead zone is exactly zero (that is
    where the sparsity comes from) and the result is a new tensor: `w` is never modified.
    """
    if threshold < 0:
        raise ValueError(f"threshold must be non-negative, got {threshold}")
    return torch.sign(w) * torch.clamp(w.abs() - threshold, min=0)
