"""Model answer for `gaussian-noise`: additive Gaussian noise, the simplest input-space augmentation.

Every element gets its own independent draw eps ~ N(0, 1), scaled by the standard deviation `std`
(not the variance), drawn fresh on every call with the input's shape, dtype and device, and added
out of place so the caller's tensor is untouched.
"""

from __future__ import annotations

import torch
from torch import Tensor


def add_gaussian_noise(x: Tensor, std: float) -> Tensor:
    """Return `x + std * eps` with `eps ~ N(0, 1)` i.i.d. per element, without modifying `x`."""
    if std < 0:
        raise ValueError(f"std must be non-negative, got {std}")
    noise = torch.randn_like(x)
    return x + std * noise
