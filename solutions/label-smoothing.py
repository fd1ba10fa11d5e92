"""Model answer for `label-smoothing`: smoothed targets and the matching cross-entropy.

PyTorch's convention mixes the one-hot target with the uniform distribution over all K classes,
`q = (1 - eps) * one_hot + eps / K`, so the true class keeps `1 - eps + eps / K`.
"""

import torch
import torch.nn.functional as F
from torch import Tensor


def _check_epsilon(epsilon: float) -> None:
    """Reject smoothing amounts that do not give a probability distribution."""
    if not 0.0 <= epsilon <= 1.0:
        raise ValueError(f"epsilon must be in [0, 1], got {epsilon}")


def smooth_targets(targets: Tensor, num_classes: int, epsilon: float = 0.1) -> Tensor:
    """Smoothed target distributions, shape `(N, num_classes)`, on the targets' device.

    Args:
        targets: class indices, int64 tensor of shape `(N,)`.
        num_classes: K, the number of classes.
        epsilon: smoothing amount in [0, 1].
    """
    _check_epsilon(epsilon)
    one_hot = F.one_hot(targets, num_classes).to(torch.get_default_dtype())
    return one_hot * (1.0 - epsilon) + epsilon / num_classes


def label_smoothing_cross_entropy(logits: Tensor, targets: Tensor, epsilon: float = 0.1) -> Tensor:
    """Batch mean of `-sum(q * log_softmax(logits))`, a 0-dim tensor in the logits' dtype.

    `log_softmax` subtracts the row maximum internally, so logits of magnitude 1e4 stay finite where
    `log(softmax(.))` would underflow to `log(0) = -inf`.
    """
    _check_epsilon(epsilon)
    q = smooth_targets(targets, logits.shape[-1], epsilon).to(logits.dtype)
    log_probs = F.log_softmax(logits, dim=-1)
    return -(q * log_probs).sum(dim=-1).mean()
