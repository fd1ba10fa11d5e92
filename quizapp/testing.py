"""Helpers that hidden tests import: devices, tensor-aware assertions and statistical checks.

Random code is graded by its distribution, never by matching one seeded tensor: tests seed the
generator only so that a run is reproducible, and bound what they measure with tolerances of
several standard errors (`z=6` by default: a correct answer fails about once in 10^9 runs).

This module is also a pytest plugin (the grader loads it), providing the `device` fixture.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import pytest
import torch

__all__ = [
    "assert_close",
    "assert_equal",
    "assert_like",
    "assert_mean",
    "assert_plain_tensor",
    "assert_proportion",
    "assert_same_distribution",
    "assert_unchanged",
    "available_devices",
    "device",
    "ks_two_sample",
    "proportion_bounds",
    "seeded",
    "snapshot",
]


# ----------------------------------------------------------------------------------------------
# Devices

def available_devices() -> list[str]:
    """Devices to test on: `QUIZAPP_DEVICES` when the grader sets it, else cpu plus cuda if present."""
    chosen = os.environ.get("QUIZAPP_DEVICES")
    if chosen:
        return [d for d in chosen.split(",") if d]
    return ["cpu", "cuda"] if torch.cuda.is_available() else ["cpu"]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrise every test that takes `device` over the available devices."""
    if "device" in metafunc.fixturenames:
        metafunc.parametrize("device", available_devices(), indirect=True)


@pytest.fixture
def device(request: pytest.FixtureRequest) -> str:
    """The device a test runs on: "cpu", or "cuda" when the grader runs on a GPU."""
    return str(request.param)


# ----------------------------------------------------------------------------------------------
# Tensor assertions

def _describe(x: object) -> str:
    if isinstance(x, torch.Tensor):
        return f"tensor(shape={tuple(x.shape)}, dtype={x.dtype}, device={x.device})"
    return f"{type(x).__name__} {x!r}"[:200]


def assert_plain_tensor(x: object, name: str = "output") -> None:
    """`x` must be a plain `torch.Tensor` (an `nn.Parameter` is allowed): no subclass, no
    `__torch_function__` override, so a result cannot lie about its values or comparisons."""
    cls = type(x)
    if cls is torch.Tensor or cls is torch.nn.Parameter:
        return
    if isinstance(x, torch.Tensor):
        raise AssertionError(f"{name} must be a plain torch.Tensor, got the subclass {cls.__qualname__}")
    if hasattr(x, "__torch_function__"):
        raise AssertionError(f"{name} must be a plain torch.Tensor, got {cls.__qualname__} "
                             "(an object that overrides __torch_function__)")
    raise AssertionError(f"{name} must be a torch.Tensor, got {_describe(x)}")


def _check_meta(actual: torch.Tensor, expected: torch.Tensor, name: str, check_dtype: bool) -> None:
    if actual.shape != expected.shape:
        raise AssertionError(f"{name} has shape {tuple(actual.shape)}, expected {tuple(expected.shape)}")
    if check_dtype and actual.dtype != expected.dtype:
        raise AssertionError(f"{name} has dtype {actual.dtype}, expected {expected.dtype}")
    if actual.device.type != expected.device.type:
        raise AssertionError(f"{name} is on device {actual.device}, expected {expected.device} "
                             "(create new tensors on the input's device)")


def assert_like(actual: object, like: torch.Tensor, *, name: str = "output") -> None:
    """`actual` is a plain tensor with `like`'s shape, dtype and device; values are not compared.

    For random outputs, whose values no single expected tensor can pin down: check the kind of
    tensor here, and the values with the statistical helpers.
    """
    assert_plain_tensor(actual, name)
    assert isinstance(actual, torch.Tensor)
    _check_meta(actual, like, name, check_dtype=True)


def _index(flat_index: int, shape: torch.Size) -> tuple[int, ...]:
    out = []
    for size in reversed(shape):
        out.append(flat_index % size)
        flat_index //= size
    return tuple(reversed(out))


def assert_close(actual: object, expected: object, *, rtol: float | None = None, atol: float | None = None,
                 name: str = "output", check_dtype: bool = True) -> None:
    """Compare tensors (or numbers): type, shape, dtype and device first, then values.

    On a value mismatch the message names how many elements differ, the worst one (index, actual,
    expected) and the tolerance used. Default tolerances follow `torch.testing.assert_close`.
    """
    if not isinstance(expected, torch.Tensor):
        if isinstance(actual, torch.Tensor):
            raise AssertionError(f"{name} should be a Python number, got {_describe(actual)}")
        if not isinstance(actual, (int, float)) or isinstance(actual, bool):
            raise AssertionError(f"{name} should be a number, got {_describe(actual)}")
        exp = float(expected)  # type: ignore[arg-type]
        rel = 1e-6 if rtol is None else rtol
        tol = 1e-8 if atol is None else atol
        if not (abs(actual - exp) <= tol + rel * abs(exp) or (math.isnan(actual) and math.isnan(exp))):
            raise AssertionError(f"{name} is {actual!r}, expected {exp!r} (tolerance atol={tol:g}, rtol={rel:g})")
        return
    assert_plain_tensor(actual, name)
    assert isinstance(actual, torch.Tensor)
    _check_meta(actual, expected, name, check_dtype)
    floating = actual.is_floating_point() or expected.is_floating_point()
    a: torch.Tensor = actual.detach().to("cpu", torch.float64) if floating else actual.detach().cpu()
    e: torch.Tensor = expected.detach().to("cpu", a.dtype)
    diff: torch.Tensor
    bad: torch.Tensor
    if a.is_floating_point():
        eps_dtype = expected.dtype if expected.is_floating_point() else torch.float32
        default_r, default_a = {torch.float16: (1e-3, 1e-5), torch.bfloat16: (1.6e-2, 1e-5),
                                torch.float64: (1e-7, 1e-7)}.get(eps_dtype, (1.3e-6, 1e-5))
        r = default_r if rtol is None else rtol
        at = default_a if atol is None else atol
        both_nan = torch.isnan(a) & torch.isnan(e)
        diff = (a - e).abs()
        bad = ~((diff <= at + r * e.abs()) | both_nan | (a == e))
    else:
        r, at = 0.0, 0.0
        diff = (a - e).abs().to(torch.float64) if a.dtype != torch.bool else (a != e).to(torch.float64)
        bad = a != e
    if bool(bad.any()):
        n_bad = int(bad.sum())
        score = torch.where(bad, torch.nan_to_num(diff, nan=math.inf), torch.zeros_like(diff))
        worst = int(score.flatten().argmax()) if score.numel() else 0
        idx = _index(worst, a.shape)
        av, ev = a.flatten()[worst].item(), e.flatten()[worst].item()
        raise AssertionError(
            f"{name}: {n_bad} of {a.numel()} elements differ; worst at index {list(idx)}: "
            f"got {av:.6g}, expected {ev:.6g} (|diff| = {abs(av - ev):.3g}; tolerance atol={at:g}, rtol={r:g})"
        )


def assert_equal(actual: object, expected: object, *, name: str = "output", check_dtype: bool = True) -> None:
    """Exact comparison with the same explanations as `assert_close`."""
    assert_close(actual, expected, rtol=0.0, atol=0.0, name=name, check_dtype=check_dtype)


def snapshot(*tensors: torch.Tensor) -> list[torch.Tensor]:
    """Detached copies of the inputs, taken before calling the submission, for `assert_unchanged`."""
    return [t.detach().clone() for t in tensors]


def assert_unchanged(before: Sequence[torch.Tensor], after: Sequence[torch.Tensor],
                     names: Sequence[str] | None = None) -> None:
    """The inputs must be exactly as they were: the function must not modify its inputs in place."""
    for i, (b, a) in enumerate(zip(before, after, strict=True)):
        label = names[i] if names else f"input {i}"
        if not torch.equal(b, a.detach()):
            raise AssertionError(f"{label} was modified in place; the function must leave its inputs "
                                 "untouched (work on a new tensor instead)")


# ----------------------------------------------------------------------------------------------
# Statistics

def seed_offset() -> int:
    """What `seeded` adds to every seed: `QUIZAPP_SEED_OFFSET`, 0 unless `validate` varies it."""
    try:
        return int(os.environ.get("QUIZAPP_SEED_OFFSET", "0"))
    except ValueError:
        return 0


@contextmanager
def seeded(seed: int = 0) -> Iterator[None]:
    """Run a block with torch's, Python's and NumPy's generators seeded, restoring their state
    afterwards. The seed is shifted by `seed_offset()`, so that `quizapp validate`'s flake check runs
    every statistical test on different draws: a test must hold for any seed, not just this one."""
    import random

    seed = seed + seed_offset()
    torch_state = torch.random.get_rng_state()
    cuda_states = torch.cuda.get_rng_state_all() if torch.cuda.is_initialized() else None  # type: ignore[no-untyped-call]
    py_state = random.getstate()
    try:
        np: Any = __import__("numpy")
        np_state = np.random.get_state()
    except ImportError:  # pragma: no cover - numpy ships with torch wheels but is optional
        np, np_state = None, None
    torch.manual_seed(seed)
    random.seed(seed)
    if np is not None:
        np.random.seed(seed % 2**32)
    try:
        yield
    finally:
        torch.random.set_rng_state(torch_state)
        if cuda_states is not None:
            torch.cuda.set_rng_state_all(cuda_states)
        random.setstate(py_state)
        if np is not None:
            np.random.set_state(np_state)


def proportion_bounds(n: int, p: float, z: float = 6.0) -> tuple[float, float]:
    """Bounds for the observed fraction of `n` Bernoulli(p) trials: p ± z standard errors,
    widened by 1/n so that p = 0 or 1 and small n are handled."""
    se = math.sqrt(max(p * (1 - p), 0.0) / n)
    slack = z * se + 1.0 / n
    return max(0.0, p - slack), min(1.0, p + slack)


def assert_proportion(successes: int | float, n: int, p: float, *, what: str, z: float = 6.0) -> None:
    """The observed fraction `successes / n` must be within `proportion_bounds(n, p, z)`."""
    k = float(successes)
    lo, hi = proportion_bounds(n, p, z)
    frac = k / n
    if not lo <= frac <= hi:
        raise AssertionError(f"{what} is {frac:.4f} over {n} trials, expected {p:.4f} "
                             f"(accepted range [{lo:.4f}, {hi:.4f}], {z:g} standard errors)")


def assert_mean(samples: torch.Tensor | Sequence[float], expected: float, *, what: str,
                std: float | None = None, z: float = 6.0) -> None:
    """The sample mean must be within `z` standard errors of `expected` (the std is estimated
    from the samples unless given). `samples` may be a tensor on any device or a list of numbers.
    For a variance, pass the squared deviations: `assert_mean((x - mu) ** 2, sigma2, ...)`."""
    s = torch.as_tensor(samples).detach().to("cpu", torch.float64).flatten()
    n = s.numel()
    sd = float(s.std()) if std is None else std
    se = max(sd / math.sqrt(n), 1e-12)
    mean = float(s.mean())
    if abs(mean - expected) > z * se + 1e-9:
        raise AssertionError(f"{what}: mean {mean:.5g} over {n} samples, expected {expected:.5g} "
                             f"(accepted ±{z * se:.3g}, {z:g} standard errors)")


def _kolmogorov_sf(t: float) -> float:
    """P(K > t) for the Kolmogorov distribution (asymptotic null distribution of sqrt(n)·D)."""
    if t <= 0:
        return 1.0
    if t < 0.2:
        return 1.0
    total = 0.0
    for k in range(1, 101):
        term = 2 * (-1) ** (k - 1) * math.exp(-2 * k * k * t * t)
        total += term
        if abs(term) < 1e-16:
            break
    return min(max(total, 0.0), 1.0)


def ks_two_sample(a: torch.Tensor, b: torch.Tensor) -> tuple[float, float]:
    """Two-sample Kolmogorov–Smirnov statistic D and its asymptotic p-value."""
    x = torch.sort(torch.as_tensor(a).detach().to("cpu", torch.float64).flatten()).values
    y = torch.sort(torch.as_tensor(b).detach().to("cpu", torch.float64).flatten()).values
    n, m = x.numel(), y.numel()
    grid = torch.cat([x, y])
    cdf_x = torch.searchsorted(x, grid, right=True).to(torch.float64) / n
    cdf_y = torch.searchsorted(y, grid, right=True).to(torch.float64) / m
    d = float((cdf_x - cdf_y).abs().max())
    en = math.sqrt(n * m / (n + m))
    return d, _kolmogorov_sf((en + 0.12 + 0.11 / en) * d)


def assert_same_distribution(samples: torch.Tensor, reference: torch.Tensor | Callable[[int], torch.Tensor],
                             *, what: str, alpha: float = 1e-6) -> None:
    """`samples` must be drawn from the same distribution as `reference` (a tensor of reference
    draws, or a function `n -> draws`): a two-sample KS test that fails only when p < `alpha`."""
    ref = reference(max(4 * samples.numel(), 4000)) if callable(reference) else reference
    d, p = ks_two_sample(samples, ref)
    if p < alpha:
        raise AssertionError(f"{what}: the samples do not follow the expected distribution "
                             f"(Kolmogorov–Smirnov D = {d:.4f}, p = {p:.2g} < {alpha:g} over "
                             f"{samples.numel()} samples)")


PROTECTED_HELPERS = ("assert_close", "assert_equal", "assert_like", "assert_plain_tensor", "assert_proportion",
                     "assert_mean", "assert_same_distribution", "assert_unchanged", "ks_two_sample",
                     "proportion_bounds")
"""Helpers the grader checks for replacement after every test (tamper detection)."""
