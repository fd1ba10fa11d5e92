"""Model answer for `distillation-loss`: knowledge distillation (Hinton, Vinyals & Dean, 2015).

The student matches the teacher's temperature-softened distribution (a KL divergence, scaled by T**2
so that its gradients keep their size as T changes) and, with weight 1 - alpha, the hard labels.
"""

import torch.nn.functional as F
from torch import Tensor


def distillation_loss(student_logits: Tensor, teacher_logits: Tensor, targets: Tensor,
                      temperature: float = 4.0, alpha: float = 0.9) -> Tensor:
    """`alpha * T**2 * KL(softmax(teacher/T) || softmax(student/T)) + (1 - alpha) * CE(student, targets)`.

    Args:
        student_logits: `(N, K)` logits of the model being trained.
        teacher_logits: `(N, K)` logits of the teacher; treated as constants (no gradient).
        targets: `(N,)` int64 class indices.
        temperature: T > 0; both distributions are softened with the same T.
        alpha: weight of the distillation term, in [0, 1].

    Returns a 0-dim tensor: the KL summed over classes and averaged over the batch ("batchmean"),
    the cross-entropy averaged over the batch.
    """
    if not temperature > 0:
        raise ValueError(f"temperature must be > 0, got {temperature}")
    if not 0.0 <= alpha <= 1.0:
        raise ValueError(f"alpha must be in [0, 1], got {alpha}")
    t = float(temperature)
    # log_softmax (logits - logsumexp) stays finite where log(softmax(.)) would give log(0) = -inf.
    student_log_p = F.log_softmax(student_logits / t, dim=-1)
    teacher_log_p = F.log_softmax(teacher_logits.detach() / t, dim=-1)
    # F.kl_div(input, target) is KL(target || input): the input is the student's log-probabilities;
    # log_target=True takes the teacher's as log-probabilities too (no log(0) for saturated teachers).
    soft = F.kl_div(student_log_p, teacher_log_p, reduction="batchmean", log_target=True)
    hard = F.cross_entropy(student_logits, targets)
    return alpha * t**2 * soft + (1.0 - alpha) * hard
