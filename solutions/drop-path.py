"""Model answer for `drop-path`: stochastic depth on a residual branch, one coin per sample.

The branch output of a whole example is either kept (and scaled up by 1/keep_prob so that its
expectation is unchanged) or dropped, in which case the residual block reduces to its identity path.
"""

from torch import Tensor


def drop_path(x: Tensor, drop_prob: float = 0.0, training: bool = False) -> Tensor:
    """Zero each sample of `x` (along dim 0) with probability `drop_prob`; scale survivors.

    Args:
        x: the residual branch's output, shape `(N, ...)`, any rank >= 1, floating dtype.
        drop_prob: probability of dropping a sample's branch, in [0, 1].
        training: when False the input is returned unchanged.

    Returns:
        A new tensor with the shape, dtype and device of `x`.
    """
    if not 0.0 <= drop_prob <= 1.0:
        raise ValueError(f"drop_prob must be in [0, 1], got {drop_prob}")
    if not training or drop_prob == 0.0:
        return x
    keep_prob = 1.0 - drop_prob
    # (N, 1, 1, ...): one Bernoulli(keep_prob) draw per sample, broadcast over the other dims.
    mask_shape = (x.shape[0],) + (1,) * (x.ndim - 1)
    mask = x.new_empty(mask_shape).bernoulli_(keep_prob)
    if keep_prob > 0.0:
        mask.div_(keep_prob)  # scale the survivors; with keep_prob == 0 the mask is already all zeros
    return x * mask
