"""Model answer for `mixup-loss`: the training loss for a mixup batch (Zhang et al., 2018).

The mixed input `lam*x + (1-lam)*x[idx]` is scored against both label sets and the two losses are
mixed with the same `lam`. Mixing losses rather than targets works for any criterion, including
hard class indices and losses that are not linear in the target.
"""

from __future__ import annotations

from collections.abc import Callable

from torch import Tensor


def mixup_criterion(criterion: Callable[[Tensor, Tensor], Tensor], pred: Tensor, y_a: Tensor,
                    y_b: Tensor, lam: float) -> Tensor:
    """`lam*criterion(pred, y_a) + (1-lam)*criterion(pred, y_b)`, differentiable in `pred`."""
    return lam * criterion(pred, y_a) + (1 - lam) * criterion(pred, y_b)
