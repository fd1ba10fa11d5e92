"""Model answer for `sam-step`: one sharpness-aware minimisation step (Foret et al., 2021).

SAM minimises `max_{‖ε‖ ≤ rho} L(w + ε)`. To first order the inner maximum is reached at
`ε = rho·g/‖g‖`, with `g` the gradient at `w` and `‖g‖` the L2 norm of all gradients together; the
outer step then uses the gradient taken at `w + ε`, applied by the base optimiser from `w` itself.
That costs two forward/backward passes per step.
"""

import torch
from torch import nn


def sam_step(model: nn.Module, loss_fn, inputs, targets, base_optimizer: torch.optim.Optimizer,
             rho: float = 0.05) -> float:
    """Take one SAM step on `model` through `base_optimizer`; return the loss at the original weights."""
    if rho < 0:
        raise ValueError(f"rho must be >= 0, got {rho}")
    model.zero_grad(set_to_none=True)           # stale gradients would corrupt g

    # 1. Gradient at w.
    loss = loss_fn(model(inputs), targets)
    loss.backward()

    # 2. Climb to w + e, e = rho * g / ||g|| with ONE norm over every gradient.
    with torch.no_grad():
        used = [p for p in model.parameters() if p.grad is not None]
        grad_norm = torch.linalg.vector_norm(
            torch.stack([torch.linalg.vector_norm(p.grad) for p in used])) if used else 0.0
        scale = rho / (grad_norm + 1e-12)
        perturbations = []
        for p in used:
            e = p.grad * scale
            p.add_(e)
            perturbations.append((p, e))
    model.zero_grad(set_to_none=True)

    # 3. Gradient at w + e: the SAM gradient.
    loss_fn(model(inputs), targets).backward()

    # 4. Back to w, then let the base optimiser step from w with the SAM gradient.
    with torch.no_grad():
        for p, e in perturbations:
            p.sub_(e)
    base_optimizer.step()
    model.zero_grad(set_to_none=True)
    return loss.item()
