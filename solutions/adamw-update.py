"""Model answer for `adamw-update`: one AdamW step (Loshchilov & Hutter 2019) written out by hand.

The decay is *decoupled*: the weights shrink by `1 - lr*weight_decay` directly instead of adding
`weight_decay*param` to the gradient, so the adaptive denominator never rescales the decay.
The arithmetic follows `torch.optim.AdamW`'s single-tensor path (amsgrad off), so results agree
with it to rounding after any number of steps.
"""

import math

import torch
from torch import Tensor


def adamw_update(
    param: Tensor,
    grad: Tensor,
    state: dict,
    lr: float = 1e-3,
    betas: tuple[float, float] = (0.9, 0.999),
    eps: float = 1e-8,
    weight_decay: float = 1e-2,
) -> None:
    """Apply one AdamW step to `param` in place, keeping the moments and step count in `state`.

    `state` is the caller's dict for this parameter (`{}` before the first call); it is mutated,
    never replaced, so the caller sees the moments grow across calls.
    """
    beta1, beta2 = betas
    if not state:
        state["step"] = 0
        state["exp_avg"] = torch.zeros_like(param, memory_format=torch.preserve_format)
        state["exp_avg_sq"] = torch.zeros_like(param, memory_format=torch.preserve_format)
    state["step"] += 1
    step = state["step"]
    exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]

    # no_grad: `param` may be a leaf nn.Parameter that requires grad, which forbids in-place ops.
    with torch.no_grad():
        param.mul_(1 - lr * weight_decay)
        exp_avg.mul_(beta1).add_(grad, alpha=1 - beta1)
        exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
        bias_correction1 = 1 - beta1**step
        bias_correction2 = 1 - beta2**step
        denom = (exp_avg_sq.sqrt() / math.sqrt(bias_correction2)).add_(eps)
        param.addcdiv_(exp_avg, denom, value=-lr / bias_correction1)
