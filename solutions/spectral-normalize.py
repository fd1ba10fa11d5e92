"""Model answer for `spectral-normalize`: one step of spectral normalisation (Miyato et al., 2018).

Power iteration estimates the largest singular value `sigma` of the weight seen as a matrix with one
row per output unit, and the weight is divided by it. The arithmetic is that of the classic
`torch.nn.utils.spectral_norm` in training mode (v first, then u, in each iteration), so the result
agrees with it for the same `u`. The iteration runs without autograd; the gradient reaches `weight`
both directly and through `sigma = u @ W @ v` with `u` and `v` held constant.
"""

import torch
import torch.nn.functional as F
from torch import Tensor


def spectral_normalize(
    weight: Tensor, u: Tensor, n_power_iterations: int = 1, eps: float = 1e-12
) -> tuple[Tensor, Tensor]:
    """Return `(weight / sigma, u_new)`, with `sigma` estimated by power iteration from `u`."""
    if n_power_iterations < 1:
        raise ValueError(f"n_power_iterations must be >= 1, got {n_power_iterations}")
    # One row per output unit (dim 0); the order of the remaining dims does not change sigma.
    weight_mat = weight.reshape(weight.shape[0], -1)
    with torch.no_grad():
        for _ in range(n_power_iterations):
            # F.normalize(a, eps=eps) is a / max(||a||, eps); it returns new tensors, so the
            # caller's u is never written to.
            v = F.normalize(torch.mv(weight_mat.t(), u), dim=0, eps=eps)
            u = F.normalize(torch.mv(weight_mat, v), dim=0, eps=eps)
    # Outside no_grad: sigma depends on weight (u and v are constants here), so the backward pass
    # includes the -(g . W_sn) u v^T / sigma term that keeps the update from inflating sigma.
    sigma = torch.dot(u, torch.mv(weight_mat, v))
    return weight / sigma, u
