"""Early stopping that really restores the best weights.

The best weights are kept as an independent in-memory copy: `model.state_dict()` returns tensors
that share storage with the live parameters and buffers, so keeping the dict itself (or a shallow
copy of it, or detached views) would silently follow every later optimizer step.
"""

import math


def train_with_early_stopping(model, train_step, validate, max_epochs, patience):
    """Train until `patience` epochs pass without a strictly lower validation loss, then load
    the best epoch's weights back into `model` (in place) and report what happened."""
    if max_epochs < 1:
        raise ValueError(f"max_epochs must be >= 1, got {max_epochs}")
    if patience < 0:
        raise ValueError(f"patience must be >= 0, got {patience}")
    best_val_loss = math.inf
    best_epoch = -1
    best_state = None
    patience_count = 0
    epochs_run = 0
    for epoch in range(max_epochs):
        train_step(model, epoch)
        epochs_run += 1
        val_loss = float(validate(model))
        if val_loss < best_val_loss:  # NaN compares False, so it never improves
            best_val_loss = val_loss
            best_epoch = epoch
            best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
            patience_count = 0
        else:
            patience_count += 1
            if patience_count >= patience:
                break
    if best_state is not None:
        model.load_state_dict(best_state)
    return {"best_epoch": best_epoch, "best_val_loss": best_val_loss, "epochs_run": epochs_run}
