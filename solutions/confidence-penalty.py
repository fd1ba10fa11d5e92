"""Model answer for `confidence-penalty`: penalising confident output distributions (Pereyra et al., 2017).

The loss is the cross-entropy minus `beta` times the entropy of the predictive distribution, so
that low-entropy (over-confident) predictions cost more.
"""

import torch.nn.functional as F
from torch import Tensor


def confidence_penalty_loss(logits: Tensor, targets: Tensor, beta: float = 0.1) -> Tensor:
    """`cross_entropy(logits, targets) - beta * H(softmax(logits))`, both averaged over the batch.

    Args:
        logits: `(N, K)` logits.
        targets: `(N,)` int64 class indices.
        beta: strength of the penalty, >= 0.

    `H(p) = -sum_k p_k log p_k` is computed from `log_softmax`: a saturated softmax has entropy 0
    (`0 * finite = 0`) instead of `0 * log(0) = NaN`, and its gradient stays finite.
    """
    if not beta >= 0:
        raise ValueError(f"beta must be >= 0, got {beta}")
    log_p = F.log_softmax(logits, dim=-1)
    entropy = -(log_p.exp() * log_p).sum(dim=-1).mean()
    return F.nll_loss(log_p, targets) - beta * entropy
