"""Model answer for `random-erasing`: Random Erasing (Zhong et al., 2020) on a whole batch at once.

Each image, with probability `p`, gets one rectangle set to `value` in every channel. The
rectangle is drawn as torchvision's `RandomErasing` draws it: an area fraction uniform in
`scale`, an aspect ratio `h / w` log-uniform in `ratio`, the first of 10 attempts that fits
strictly inside the image, and a uniformly placed corner. All 10 attempts of every image are
drawn at once and the first one that fits is picked, so the batch never leaves its device.
"""

from __future__ import annotations

import math

import torch
from torch import Tensor

ATTEMPTS = 10


def random_erasing(images: Tensor, p: float = 0.5, scale: tuple[float, float] = (0.02, 0.33),
                   ratio: tuple[float, float] = (0.3, 3.3), value: float = 0.0) -> Tensor:
    """Erase one random rectangle (all channels) in each image of `(N, C, H, W)` with probability `p`."""
    if not 0.0 <= p <= 1.0:  # also rejects NaN
        raise ValueError(f"p must be in [0, 1], got {p}")
    if not 0.0 <= scale[0] <= scale[1] <= 1.0:
        raise ValueError(f"scale must satisfy 0 <= lo <= hi <= 1, got {tuple(scale)}")
    if not 0.0 < ratio[0] <= ratio[1]:
        raise ValueError(f"ratio must satisfy 0 < lo <= hi, got {tuple(ratio)}")
    n, _, height, width = images.shape
    dev = images.device

    # Every attempt of every image at once: (N, ATTEMPTS) areas, aspect ratios and sizes.
    area = height * width * torch.empty(n, ATTEMPTS, dtype=torch.float64, device=dev).uniform_(*scale)
    log_ratio = torch.empty(n, ATTEMPTS, dtype=torch.float64, device=dev).uniform_(
        math.log(ratio[0]), math.log(ratio[1]))
    aspect = torch.exp(log_ratio)  # h / w
    hs = torch.sqrt(area * aspect).round().long()
    ws = torch.sqrt(area / aspect).round().long()
    fits = (hs < height) & (ws < width)  # strictly smaller; h == 0 or w == 0 fits and erases nothing
    first = fits.to(torch.uint8).argmax(dim=1, keepdim=True)  # the first attempt that fits
    h = hs.gather(1, first).squeeze(1)
    w = ws.gather(1, first).squeeze(1)
    erase = fits.any(dim=1) & (torch.rand(n, device=dev) < p)  # one coin per image

    # Top-left corner uniform on 0..H-h and 0..W-w, both ends included.
    top = (torch.rand(n, dtype=torch.float64, device=dev) * (height - h + 1)).long()
    left = (torch.rand(n, dtype=torch.float64, device=dev) * (width - w + 1)).long()
    top, left = torch.minimum(top, height - h), torch.minimum(left, width - w)  # guards rand()*k rounding to k

    rows = torch.arange(height, device=dev)
    cols = torch.arange(width, device=dev)
    in_rows = (rows >= top[:, None]) & (rows < (top + h)[:, None])  # (N, H)
    in_cols = (cols >= left[:, None]) & (cols < (left + w)[:, None])  # (N, W)
    mask = erase[:, None, None] & in_rows[:, :, None] & in_cols[:, None, :]  # (N, H, W)
    # A new tensor (the input is untouched); masked_fill casts `value` to the images' dtype.
    return images.masked_fill(mask[:, None], value)
