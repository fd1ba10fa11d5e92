"""Model answer for `fix-to-tensor-normalize`: `ToTensor()` + `Normalize(mean, std)` on a batch.

Decoded images arrive channels-last, `(N, H, W, C)` uint8 in [0, 255]. `ToTensor` moves the
channels in front with a permutation of the axes (a reshape or `view` would keep the memory
order and scramble the pixels) and scales to [0, 1]; `Normalize` then subtracts each channel's
mean and divides by its standard deviation, broadcast over the channel axis.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import Tensor


def to_tensor_normalize(images: Tensor, mean: Sequence[float], std: Sequence[float]) -> Tensor:
    """`(N, H, W, C)` uint8 images -> float32 `(N, C, H, W)` equal to `(images/255 - mean[c]) / std[c]`."""
    if images.dtype != torch.uint8:
        raise ValueError(f"images must be uint8 in [0, 255] (decoded pixels), got {images.dtype}")
    if images.dim() != 4:
        raise ValueError(f"images must be a (N, H, W, C) batch, got shape {tuple(images.shape)}")
    channels = images.shape[-1]
    if len(mean) != channels or len(std) != channels:
        raise ValueError(f"mean and std need one number per channel ({channels}), "
                         f"got {len(mean)} and {len(std)}")
    if not all(s > 0 for s in std):
        raise ValueError(f"every std must be positive, got {list(std)}")
    # ToTensor: HWC -> CHW by permuting the axes, then [0, 255] -> [0, 1].
    x = images.permute(0, 3, 1, 2).to(torch.float32) / 255
    # Normalize: one mean and one std per channel, shaped (1, C, 1, 1) to broadcast over N, H and W.
    m = torch.tensor(mean, dtype=torch.float32, device=images.device).view(1, channels, 1, 1)
    s = torch.tensor(std, dtype=torch.float32, device=images.device).view(1, channels, 1, 1)
    return (x - m) / s
