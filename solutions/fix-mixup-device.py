"""Mixup whose permutation lives on the batch's device.

`torch.randperm(n)` without `device=` builds the index on the CPU; indexing a CUDA batch with it
still works, but PyTorch must copy the index to the GPU on every call (a blocking host-to-device
transfer that also breaks CUDA-graph capture). Creating it on `x.device` avoids all of that.
"""

import torch


def mixup_batch(x, y, alpha=0.4):
    """Mix each sample with a randomly chosen partner: x_mix = lam*x + (1-lam)*x[idx]."""
    if alpha <= 0:
        raise ValueError(f"alpha must be positive, got {alpha}")
    # lam is one host-side scalar: draw it on the CPU (no GPU sync for .item()).
    lam = torch.distributions.Beta(alpha, alpha).sample().item()
    idx = torch.randperm(x.size(0), device=x.device)
    x_mix = lam * x + (1 - lam) * x[idx]
    return x_mix, y, y[idx], lam
