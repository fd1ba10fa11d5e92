"""Model answer for `l2-penalty`: the classic L2 penalty, over weight matrices and kernels only.

Biases and normalisation parameters (`ndim <= 1`) are left out because shrinking them does not
limit the function's complexity the way shrinking weights does, and pulling a norm layer's gain
toward zero fights the normalisation; that is why training recipes give them a no-decay group.
"""

import torch
from torch import Tensor, nn


def l2_penalty(model: nn.Module, weight_decay: float) -> Tensor:
    """Return `weight_decay * sum(w.pow(2).sum())` over the parameters with `ndim >= 2`.

    `model.parameters()` yields a tied parameter once, so it is counted once, and it includes
    frozen parameters: the penalty is a function of the weights, whether or not they train.
    The result is a 0-dim tensor in the weights' dtype, so `loss + penalty` backpropagates.
    """
    weights = [p for p in model.parameters() if p.ndim >= 2]
    if not weights:
        # Still a 0-dim tensor on the model's device, so callers can always add it to a loss.
        ref = next(model.parameters(), None)
        if ref is None:
            return torch.zeros(())
        return torch.zeros((), device=ref.device, dtype=ref.dtype)
    return weight_decay * sum(w.pow(2).sum() for w in weights)
