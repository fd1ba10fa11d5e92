"""Model answer for `dropblock`: DropBlock (Ghiasi et al., 2018) on (N, C, H, W) feature maps.

Seeds are drawn only where a whole block fits inside the map, each with probability gamma, and
every seed grows into a block_size x block_size square of zeros (a max-pool over the seed map).
The survivors are rescaled by (all elements) / (kept elements), counted over the whole tensor.
"""

import torch
import torch.nn.functional as F
from torch import Tensor


def dropblock2d(x: Tensor, drop_prob: float = 0.1, block_size: int = 7, training: bool = True) -> Tensor:
    """Drop contiguous block_size x block_size squares of every feature map independently.

    Args:
        x: feature maps of shape `(N, C, H, W)`, floating dtype, any device.
        drop_prob: the target fraction of dropped activations, in [0, 1).
        block_size: the side of each dropped square, an odd integer in 1..min(H, W).
        training: when False the input is returned unchanged.

    Returns:
        A new tensor with the shape, dtype and device of `x`.
    """
    if x.ndim != 4:
        raise ValueError(f"expected (N, C, H, W) feature maps, got shape {tuple(x.shape)}")
    n, c, h, w = x.shape
    if not 0.0 <= drop_prob < 1.0:
        raise ValueError(f"drop_prob must be in [0, 1), got {drop_prob}")
    if isinstance(block_size, bool) or not isinstance(block_size, int):
        raise ValueError(f"block_size must be an int, got {block_size!r}")
    if block_size % 2 == 0 or not 1 <= block_size <= min(h, w):
        raise ValueError(f"block_size must be an odd integer in 1..{min(h, w)}, got {block_size}")
    if not training or drop_prob == 0.0:
        return x

    valid_h, valid_w = h - block_size + 1, w - block_size + 1
    # Seed rate: drop_prob / block_size**2 blocks per pixel, corrected for seeds being drawn only on
    # the valid_h * valid_w positions where a whole block fits.
    gamma = drop_prob / block_size**2 * (h * w) / (valid_h * valid_w)

    # One Bernoulli(gamma) seed per valid block centre, per sample and per channel.
    seeds = (torch.rand((n, c, valid_h, valid_w), device=x.device) < gamma).to(torch.float32)
    pad = block_size // 2
    seeds = F.pad(seeds, (pad, pad, pad, pad))  # centres sit at least `pad` pixels from the border
    # Grow every seed into its block: a pixel is dropped if any seed lies within `pad` of it.
    dropped = F.max_pool2d(seeds, kernel_size=block_size, stride=1, padding=pad)
    keep = 1.0 - dropped

    # All elements over kept elements, counted over the whole tensor in float32 (a float16 sum of
    # more than 65,504 ones would overflow); nothing kept gives a mask of zeros, not 0/0.
    scale = keep.numel() / keep.sum().clamp(min=1.0)
    return x * (keep * scale).to(x.dtype)
