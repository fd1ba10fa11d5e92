"""Model answer for `early-stopping`: patience-based stopping that keeps the best weights in memory.

The key detail is the copy: `model.state_dict()` returns tensors that share storage with the live
parameters, so the snapshot must clone them or later optimiser steps silently rewrite "the best"
weights.
"""

import copy
import math

from torch import Tensor, nn


class EarlyStopping:
    """Stop training after `patience` consecutive calls without improvement of a metric.

    Args:
        patience: how many non-improving calls in a row end training (0 stops at the first one).
        min_delta: how much better than the best score a metric must be to count as an improvement.
        mode: "min" for losses, "max" for accuracies.
        restore_best_weights: load the best weights back into the model when `step` returns True.
    """

    def __init__(self, patience: int = 5, min_delta: float = 0.0, mode: str = "min",
                 restore_best_weights: bool = True) -> None:
        if mode not in ("min", "max"):
            raise ValueError(f"mode must be 'min' or 'max', got {mode!r}")
        if patience < 0:
            raise ValueError(f"patience must be >= 0, got {patience}")
        self.patience = patience
        self.min_delta = min_delta
        self.mode = mode
        self.restore_best_weights = restore_best_weights
        self.best_score: float | None = None
        """The best metric so far (None until the first improvement)."""
        self.best_epoch: int | None = None
        """0-based index of the `step` call that produced `best_score`."""
        self.num_bad_calls = 0
        """Consecutive calls without improvement."""
        self._calls = 0
        self._best_state: dict[str, Tensor] | None = None

    def _improves(self, metric: float) -> bool:
        if math.isnan(metric):
            return False
        if self.best_score is None:
            return True
        if self.mode == "min":
            return metric < self.best_score - self.min_delta
        return metric > self.best_score + self.min_delta

    def step(self, metric: float, model: nn.Module) -> bool:
        """Record one validation result; return True when training should stop."""
        epoch = self._calls
        self._calls += 1
        if self._improves(metric):
            self.best_score = metric
            self.best_epoch = epoch
            self.num_bad_calls = 0
            # deepcopy clones every tensor: the snapshot no longer aliases the live parameters.
            self._best_state = copy.deepcopy(model.state_dict())
            return False
        self.num_bad_calls += 1
        if self.num_bad_calls >= self.patience:
            if self.restore_best_weights:
                self.restore(model)
            return True
        return False

    def restore(self, model: nn.Module) -> None:
        """Load the best weights seen so far into `model` (nothing to do before any improvement)."""
        if self._best_state is not None:
            model.load_state_dict(self._best_state)
