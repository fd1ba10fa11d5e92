"""Model answer for `color-jitter`: torchvision-style brightness, contrast and saturation jitter on a batch.

Every image draws its own three factors, and the steps run in a fixed order, each clamped to
[0, 1] before the next: brightness scales towards black, contrast blends towards the image's mean
grey level, saturation blends each pixel towards its own grey. Everything is batched, so the
images never leave their device.
"""

from __future__ import annotations

import torch
from torch import Tensor

LUMA = (0.299, 0.587, 0.114)  # ITU-R BT.601 weights of R, G and B in the grey level


def grayscale(x: Tensor) -> Tensor:
    """The luma of every pixel of an `(N, 3, H, W)` batch, as `(N, 1, H, W)`."""
    r, g, b = x.unbind(1)
    return (LUMA[0] * r + LUMA[1] * g + LUMA[2] * b).unsqueeze(1)


def factors(strength: float, like: Tensor) -> Tensor:
    """One factor per image, uniform on [max(0, 1 - strength), 1 + strength], shaped `(N, 1, 1, 1)`."""
    low, high = max(0.0, 1.0 - strength), 1.0 + strength
    return torch.empty(like.shape[0], 1, 1, 1, dtype=like.dtype, device=like.device).uniform_(low, high)


def color_jitter(images: Tensor, brightness: float = 0.4, contrast: float = 0.4,
                 saturation: float = 0.4) -> Tensor:
    """Randomly change the brightness, contrast and saturation of each RGB image in [0, 1]."""
    for name, strength in (("brightness", brightness), ("contrast", contrast), ("saturation", saturation)):
        if not strength >= 0:  # also rejects NaN
            raise ValueError(f"{name} must be >= 0, got {strength}")
    if images.dim() != 4 or images.shape[1] != 3:
        raise ValueError(f"images must be an (N, 3, H, W) RGB batch, got shape {tuple(images.shape)}")
    b = factors(brightness, images)
    c = factors(contrast, images)
    s = factors(saturation, images)
    x = (b * images).clamp(0.0, 1.0)  # a new tensor: the caller's images are never touched
    mean = grayscale(x).mean(dim=(1, 2, 3), keepdim=True)  # one grey level per image
    x = (c * x + (1 - c) * mean).clamp(0.0, 1.0)
    x = (s * x + (1 - s) * grayscale(x)).clamp(0.0, 1.0)  # each pixel towards its own grey
    return x
