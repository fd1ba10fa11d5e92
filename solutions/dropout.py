"""Model answer for `dropout`: inverted dropout with an explicit Bernoulli keep-mask.

Scaling the survivors at training time (rather than scaling everything at test time) keeps the
expected activation equal to the input, so evaluation is a plain identity and needs no bookkeeping.
"""

import torch
from torch import Tensor


def dropout(x: Tensor, p: float = 0.5, training: bool = True) -> Tensor:
    """Zero each element of `x` independently with probability `p`; scale survivors by 1/(1-p).

    Args:
        x: any tensor of floating dtype, on any device.
        p: drop probability in [0, 1].
        training: when False the input is returned unchanged.

    Returns:
        A new tensor (never `x` modified in place) of the same shape, dtype and device.
    """
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability p must be in [0, 1], got {p}")
    if not training or p == 0.0:
        return x
    # One uniform draw per element; `u >= p` holds with probability 1 - p, independently. The draw
    # is float32 whatever x's dtype: bfloat16 `rand_like` has 8 significant bits and is biased.
    keep = torch.rand_like(x, dtype=torch.float32) >= p
    # p == 1 keeps nothing; a scale of 0 avoids 0 * inf = NaN and still returns exact zeros.
    scale = 0.0 if p == 1.0 else 1.0 / (1.0 - p)
    return x * keep * scale
