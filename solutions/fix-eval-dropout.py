"""Evaluation that really evaluates: eval mode, no autograd, and the caller's modes restored.

Forgetting `model.eval()` leaves dropout active (noisy, pessimistic scores) and lets BatchNorm use
batch statistics and move its running averages (an exponential moving average) toward the
validation data's statistics. Restoring with a blanket
`model.train()` is wrong too: it flips a model that was in eval mode, and submodules deliberately
kept in eval (a frozen BatchNorm in a fine-tuned backbone), into training mode.
"""

import torch
import torch.nn.functional as F


def evaluate(model, batches):
    """Mean cross-entropy over every sample of `batches`, computed in eval mode without autograd."""
    modes = [(m, m.training) for m in model.modules()]
    model.eval()
    total, count = 0.0, 0
    try:
        with torch.no_grad():
            for x, y in batches:
                logits = model(x)
                total += F.cross_entropy(logits, y, reduction="sum").item()
                count += y.numel()
    finally:
        for m, mode in modes:
            m.training = mode
    if count == 0:
        raise ValueError("no samples to evaluate")
    return total / count
