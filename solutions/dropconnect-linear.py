"""Model answer for `dropconnect-linear`: DropConnect (Wan et al., 2013) on a linear layer.

The randomness sits on the weights, not on the activations: one Bernoulli keep-mask over the
`(out, in)` weight matrix is drawn per call and shared by every sample of the batch (the form
AWD-LSTM's weight drop uses), survivors are scaled by 1/(1-p), and the bias is left alone.
"""

from typing import Optional

import torch
import torch.nn.functional as F
from torch import Tensor


def dropconnect_linear(x: Tensor, weight: Tensor, bias: Optional[Tensor] = None, p: float = 0.5,
                       training: bool = True) -> Tensor:
    """`x @ (weight * mask).T + bias` with a fresh Bernoulli(1 - p) mask over `weight`, scaled.

    Args:
        x: inputs of shape `(..., in)`.
        weight: the layer's `(out, in)` weight matrix; never modified.
        bias: optional `(out,)` bias; never dropped.
        p: probability of dropping each weight, in [0, 1].
        training: when False this is the plain linear layer `F.linear(x, weight, bias)`.

    Returns:
        A tensor of shape `(..., out)` with the dtype and device of the inputs.
    """
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"drop probability p must be in [0, 1], got {p}")
    if not training or p == 0.0:
        return F.linear(x, weight, bias)
    # One uniform draw per weight, the same mask for the whole batch; kept with probability 1 - p.
    keep = torch.rand_like(weight) >= p
    # p == 1 drops every weight: a scale of 0 avoids 0 * inf = NaN, leaving x @ 0 + bias = bias.
    scale = 0.0 if p == 1.0 else 1.0 / (1.0 - p)
    dropped_weight = weight * keep * scale  # a new tensor: `weight` is untouched, autograd flows
    return F.linear(x, dropped_weight, bias)
