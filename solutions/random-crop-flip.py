"""Model answer for `random-crop-flip`: the standard CIFAR augmentation, on a whole batch at once.

Zero-pad each image, take a random window of the original size (a random translation by up to
`padding` pixels in each direction) and mirror it left-right with probability `flip_prob`
(Krizhevsky et al., 2012; Lee et al., 2015, the source He et al., 2016 credit for the CIFAR
recipe). Every image gets its own offsets and its own coin,
and the crop is one gather, so the batch never leaves the device.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor


def random_crop_flip(images: Tensor, padding: int = 4, flip_prob: float = 0.5) -> Tensor:
    """Randomly translate (via zero padding and cropping) and mirror each image of `(N, C, H, W)`."""
    if padding < 0:
        raise ValueError(f"padding must be >= 0, got {padding}")
    if not 0.0 <= flip_prob <= 1.0:  # also rejects NaN
        raise ValueError(f"flip_prob must be in [0, 1], got {flip_prob}")
    n, _, h, w = images.shape
    dev = images.device
    padded = F.pad(images, (padding, padding, padding, padding))  # zeros on every side
    top = torch.randint(0, 2 * padding + 1, (n,), device=dev)
    left = torch.randint(0, 2 * padding + 1, (n,), device=dev)
    flip = torch.rand(n, device=dev) < flip_prob
    rows = top[:, None] + torch.arange(h, device=dev)  # (N, H): padded rows of each window
    cols = left[:, None] + torch.arange(w, device=dev)  # (N, W): padded columns of each window
    cols = torch.where(flip[:, None], cols.flip(1), cols)  # a mirrored window reads its columns backwards
    batch = torch.arange(n, device=dev)
    # Advanced indices around a slice put their broadcast shape first: (N, H, W, C).
    out = padded[batch[:, None, None], :, rows[:, :, None], cols[:, None, :]]
    return out.permute(0, 3, 1, 2).contiguous()
