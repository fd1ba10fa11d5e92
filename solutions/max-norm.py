"""Model answer for `max-norm`: the max-norm constraint of Srivastava et al. (2014), in place.

Each output unit's incoming weight vector `weight[i]` is projected back onto the L2 ball of
radius `max_norm` after an optimiser step; vectors already inside the ball are left exactly as
they are, so the constraint is a projection, not a rescaling of every unit.
"""

import torch
from torch import Tensor


def apply_max_norm_(weight: Tensor, max_norm: float) -> Tensor:
    """Scale every slice `weight[i]` whose L2 norm exceeds `max_norm` down to norm `max_norm`.

    Works for any rank >= 1 (a 1-D weight's slices are its entries) and for non-contiguous
    tensors, because it only reads a reshaped copy and writes with one in-place `mul_` on
    `weight` itself. Returns `weight`, the same object, like other trailing-underscore methods.
    """
    if not max_norm > 0:
        raise ValueError(f"max_norm must be positive, got {max_norm}")
    with torch.no_grad():  # `weight` may be an nn.Parameter that requires grad
        norms = torch.linalg.vector_norm(weight.reshape(weight.shape[0], -1), dim=1)
        scale = torch.where(norms > max_norm, max_norm / norms, torch.ones_like(norms))
        # Untouched slices are multiplied by exactly 1.0, which keeps them bit-identical.
        weight.mul_(scale.view(-1, *([1] * (weight.ndim - 1))))
    return weight
