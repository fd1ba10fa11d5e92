"""Building mutants from the model solution: exact edits, and multi-line edits at any indentation."""

from __future__ import annotations

import pytest

from quizapp.models import Replacement, _replace_once

SOLUTION = '''def add_noise(x, std):
    if std < 0:
        raise ValueError("std must be >= 0")
    return x + std * torch.randn_like(x)
'''


def test_a_single_line_edit_is_exact() -> None:
    rep = Replacement(old="std * torch.randn_like(x)", new="std ** 2 * torch.randn_like(x)")
    assert "return x + std ** 2 * torch.randn_like(x)" in _replace_once(SOLUTION, rep, "squared")


def test_a_dedented_block_matches_where_the_solution_indents_it() -> None:
    # What a YAML `|` block gives for a guard copied from inside the function.
    rep = Replacement(old='if std < 0:\n    raise ValueError("std must be >= 0")\n', new="std = abs(std)\n")
    assert _replace_once(SOLUTION, rep, "no-check") == (
        "def add_noise(x, std):\n    std = abs(std)\n    return x + std * torch.randn_like(x)\n")


@pytest.mark.parametrize(("old", "count"), [("x", 3), ("if std > 0:\n    raise\n", 0)])
def test_missing_or_ambiguous_text_is_an_error_naming_the_count(old: str, count: int) -> None:
    with pytest.raises(ValueError, match=f"occurs {count} times in the solution"):
        _replace_once(SOLUTION, Replacement(old=old, new=""), "m")


def test_a_block_that_fits_two_places_is_ambiguous() -> None:
    twice = SOLUTION + "\n\ndef g(std):\n    if std < 0:\n        raise ValueError(\"std must be >= 0\")\n"
    rep = Replacement(old='if std < 0:\n    raise ValueError("std must be >= 0")\n', new="pass\n")
    with pytest.raises(ValueError, match="occurs 2 times in the solution \\(at any indentation\\)"):
        _replace_once(twice, rep, "m")
