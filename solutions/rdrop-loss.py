"""Model answer for `rdrop-loss`: R-Drop (Liang et al., 2021), consistency between two dropout passes.

The same batch goes through the network twice with different dropout masks; both passes are trained
on the labels, and a symmetric KL divergence pulls their predictive distributions together.
"""

import torch.nn.functional as F
from torch import Tensor


def rdrop_loss(logits1: Tensor, logits2: Tensor, targets: Tensor, alpha: float = 1.0) -> Tensor:
    """`CE(logits1) + CE(logits2) + alpha / 2 * (KL(p1 || p2) + KL(p2 || p1))`, a 0-dim tensor.

    Args:
        logits1, logits2: `(N, K)` logits of two forward passes of the same batch.
        targets: `(N,)` int64 class indices.
        alpha: weight of the consistency term, >= 0.

    Each cross-entropy is averaged over the batch; each KL is summed over classes and averaged over
    the batch. Gradients flow into both passes: neither is treated as a fixed target.
    """
    if not alpha >= 0:
        raise ValueError(f"alpha must be >= 0, got {alpha}")
    ce = F.cross_entropy(logits1, targets) + F.cross_entropy(logits2, targets)
    # Both sides in log-space (log_target=True): exact, with finite gradients, for saturated softmaxes.
    log_p1 = F.log_softmax(logits1, dim=-1)
    log_p2 = F.log_softmax(logits2, dim=-1)
    # F.kl_div(input, target) is KL(target || input).
    kl_12 = F.kl_div(log_p2, log_p1, reduction="batchmean", log_target=True)
    kl_21 = F.kl_div(log_p1, log_p2, reduction="batchmean", log_target=True)
    return ce + alpha / 2 * (kl_12 + kl_21)
