"""Optimizer parameter groups that exempt biases and normalisation parameters from weight decay.

The rule is by shape, not by name: every parameter with `ndim <= 1` (biases, the scale and shift
of BatchNorm/LayerNorm/GroupNorm/RMSNorm, learned scalars) is exempt, whatever its module calls
it. Name lists such as `["bias", "LayerNorm.weight"]` silently miss norms named `ln_f`, `norm1`
or `bn`, and catch matrices whose name merely contains "bias".
"""


def param_groups(model, weight_decay):
    """Two optimizer groups: [decayed (ndim >= 2), not decayed (ndim <= 1, weight_decay 0.0)]."""
    if weight_decay < 0:
        raise ValueError(f"weight_decay must be >= 0, got {weight_decay}")
    decay, no_decay = [], []
    for p in model.parameters():  # yields each shared (tied) parameter once
        if not p.requires_grad:
            continue
        if p.ndim <= 1:
            no_decay.append(p)
        else:
            decay.append(p)
    return [
        {"params": decay, "weight_decay": float(weight_decay)},
        {"params": no_decay, "weight_decay": 0.0},
    ]
