"""`quizapp.testing`, what hidden tests rely on: messages that say what is wrong, and statistical
assertions that accept correct draws (false alarms measured over many seeds) and reject wrong ones."""

from __future__ import annotations

import os
import random

import pytest
import torch

from quizapp.testing import (
    assert_close,
    assert_equal,
    assert_like,
    assert_mean,
    assert_plain_tensor,
    assert_proportion,
    assert_same_distribution,
    assert_unchanged,
    ks_two_sample,
    proportion_bounds,
    seeded,
    snapshot,
)


def test_assert_close_explains_shape_then_dtype_then_the_worst_element() -> None:
    x = torch.zeros(2, 3)
    with pytest.raises(AssertionError, match=r"output has shape \(3, 2\), expected \(2, 3\)"):
        assert_close(torch.zeros(3, 2), x)
    with pytest.raises(AssertionError, match=r"output has dtype torch\.float64, expected torch\.float32"):
        assert_close(x.double(), x)
    worse = x.clone()
    worse[1, 2] = 0.5
    worse[0, 0] = 0.1
    with pytest.raises(AssertionError) as info:
        assert_close(worse, x, name="x_mix")
    message = str(info.value)
    assert message.startswith("x_mix: 2 of 6 elements differ; worst at index [1, 2]: got 0.5, expected 0")
    assert "atol=1e-05, rtol=1.3e-06" in message


def test_assert_close_on_numbers_and_exact_equality() -> None:
    assert_close(0.1 + 0.2, 0.3)
    with pytest.raises(AssertionError, match="should be a Python number"):
        assert_close(torch.tensor(0.3), 0.3, name="lam")
    assert_equal(torch.arange(4), torch.arange(4))
    with pytest.raises(AssertionError):
        assert_equal(torch.tensor([1.0, 2.0]), torch.tensor([1.0, 2.0 + 1e-6]))


class Liar(torch.Tensor):
    pass


def test_assert_like_checks_the_kind_of_tensor_but_not_its_values() -> None:
    x = torch.rand(4, 5)
    assert_like(torch.randn(4, 5), x)
    with pytest.raises(AssertionError, match=r"noise has dtype torch\.float16, expected torch\.float32"):
        assert_like(x.half(), x, name="noise")
    with pytest.raises(AssertionError, match="subclass Liar"):
        assert_like(x.as_subclass(Liar), x)
    with pytest.raises(AssertionError, match=r"must be a torch\.Tensor, got list"):
        assert_like([1.0], x)


def test_assert_plain_tensor_allows_parameters() -> None:
    assert_plain_tensor(torch.nn.Parameter(torch.zeros(2)))


def test_assert_unchanged_names_the_modified_input() -> None:
    x, y = torch.rand(3), torch.rand(3)
    before = snapshot(x, y)
    y.mul_(2)
    with pytest.raises(AssertionError, match="y was modified in place"):
        assert_unchanged(before, [x, y], ["x", "y"])


def test_seeded_repeats_restores_and_shifts_with_the_flake_check_offset(monkeypatch: pytest.MonkeyPatch) -> None:
    torch.manual_seed(0)
    outside = torch.random.get_rng_state()
    with seeded(7):
        a = (torch.rand(3), random.random())
    with seeded(7):
        b = (torch.rand(3), random.random())
    assert torch.equal(a[0], b[0]) and a[1] == b[1]
    assert torch.equal(torch.random.get_rng_state(), outside)
    monkeypatch.setenv("QUIZAPP_SEED_OFFSET", "1000")
    with seeded(7):
        shifted = torch.rand(3)
    assert not torch.equal(shifted, a[0])
    assert os.environ["QUIZAPP_SEED_OFFSET"] == "1000"


def test_proportion_bounds_cover_the_edges() -> None:
    assert proportion_bounds(100, 0.0) == (0.0, pytest.approx(0.01))
    lo, hi = proportion_bounds(10_000, 0.5)
    assert lo == pytest.approx(0.5 - 0.03 - 1e-4) and hi == pytest.approx(0.5 + 0.03 + 1e-4)


def test_statistical_helpers_never_reject_correct_draws_over_many_seeds() -> None:
    # 300 independent checks of each kind at the default strictness: a single false alarm fails.
    gen = torch.Generator().manual_seed(2024)
    for _ in range(300):
        kept = int((torch.rand(2000, generator=gen) < 0.3).sum())
        assert_proportion(kept, 2000, 0.3, what="keep rate")
        assert_mean(torch.randn(500, generator=gen) * 2 + 1, 1.0, what="mean", std=2.0)
        assert_same_distribution(torch.randn(500, generator=gen), torch.randn(2000, generator=gen), what="normal")


def test_statistical_helpers_reject_the_mistakes_they_target() -> None:
    gen = torch.Generator().manual_seed(1)
    kept = int((torch.rand(10_000, generator=gen) < 0.7).sum())  # keep probability p instead of 1 - p
    with pytest.raises(AssertionError, match=r"keep rate is 0\.7"):
        assert_proportion(kept, 10_000, 0.3, what="keep rate")
    with pytest.raises(AssertionError, match="noise std"):  # noise scaled by std**2 instead of std
        squares = (torch.randn(10_000, generator=gen) * 0.25) ** 2
        assert_mean(squares, 0.5**2, what="noise std", std=0.5**2 * 2**0.5)
    uniform = (torch.rand(40_000, generator=gen) - 0.5) * 12 ** 0.5  # mean 0, variance 1, but not normal
    d, p = ks_two_sample(uniform, torch.randn(40_000, generator=gen))
    assert d > 0.04 and p < 1e-6
    with pytest.raises(AssertionError, match="Kolmogorov"):
        assert_same_distribution(uniform, lambda n: torch.randn(n, generator=gen), what="noise")
