"""Model answer for `locked-dropout`: variational ("locked") dropout for sequences.

One Bernoulli keep-mask over (batch, features) is drawn per call and reused at every time step
(Gal & Ghahramani, 2016; AWD-LSTM's LockedDropout), so a dropped feature stays dropped for the
whole sequence instead of flickering from one step to the next.
"""

from torch import Tensor


def locked_dropout(x: Tensor, p: float = 0.5, training: bool = True, batch_first: bool = False) -> Tensor:
    """Zero features of `x` with probability `p`, with ONE mask shared by all time steps.

    Args:
        x: a sequence batch, `(T, N, D)`, or `(N, T, D)` when `batch_first` is True.
        p: drop probability in [0, 1].
        training: when False the input is returned unchanged.
        batch_first: whether dim 0 is the batch (True) or time (False).

    Returns:
        A new tensor with the shape, dtype and device of `x`.
    """
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability p must be in [0, 1], got {p}")
    if not training or p == 0.0:
        return x
    time_dim = 1 if batch_first else 0
    # (1, N, D) or (N, 1, D): size 1 along time, so the same mask broadcasts over every step.
    mask_shape = list(x.shape)
    mask_shape[time_dim] = 1
    mask = x.new_empty(mask_shape).bernoulli_(1.0 - p)
    if p < 1.0:
        mask.div_(1.0 - p)  # scale survivors; with p == 1 the mask is all zeros already (no 0/0)
    return x * mask
