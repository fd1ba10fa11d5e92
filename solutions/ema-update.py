"""Model answer for `ema-update`: an exponential moving average of a model's weights.

`ema ← decay·ema + (1 − decay)·value` for every floating-point entry of the state dict (parameters
and float buffers such as BatchNorm's running statistics), a plain copy for the others
(`num_batches_tracked`). Everything happens in place on the EMA's existing tensors and outside
autograd, so optimisers, hooks or references holding those tensors keep seeing the live average.
"""

import torch
from torch import nn


@torch.no_grad()
def ema_update_(ema_model: nn.Module, model: nn.Module, decay: float = 0.999) -> None:
    """Move `ema_model`'s state towards `model`'s by a factor `1 - decay`, in place."""
    if not 0.0 <= decay <= 1.0:
        raise ValueError(f"decay must be in [0, 1], got {decay}")
    # keep_vars=True gives the Parameter/buffer objects themselves, so tied weights (one tensor
    # under two names) are recognisable by identity; state_dict() would give a fresh detached
    # tensor per name.
    ema_state = ema_model.state_dict(keep_vars=True)
    model_state = model.state_dict(keep_vars=True)
    if ema_state.keys() != model_state.keys():
        missing = sorted(ema_state.keys() ^ model_state.keys())
        raise ValueError(f"ema_model and model have different state_dict keys: {missing}")
    seen: set[int] = set()
    for name, ema_t in ema_state.items():
        if id(ema_t) in seen:
            continue
        seen.add(id(ema_t))
        value = model_state[name].detach().to(ema_t.device)
        if ema_t.is_floating_point():
            # lerp_: ema + (1 - decay)·(value − ema), one fused in-place kernel.
            ema_t.lerp_(value.to(ema_t.dtype), 1.0 - decay)
        else:
            ema_t.copy_(value)
