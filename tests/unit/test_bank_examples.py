"""The bank's visible examples fail in sentences, as its hidden tests do (`validate` checks it too).

A bare `assert torch.allclose(a, b)` fails with pytest's introspection of a built-in method
(`+ where False = <built-in method allclose ...>`); `quizapp.testing`'s helpers and an assert's own
message say what was expected instead.
"""

from __future__ import annotations

import pytest

from quizapp.authoring.validate import raw_assertions
from quizapp.bank import load_bank
from quizapp.models import CodeQuestion

CODE = sorted((q for q in load_bank().values() if isinstance(q, CodeQuestion)), key=lambda q: q.id)


@pytest.mark.parametrize("question", CODE, ids=[q.id for q in CODE])
def test_examples_assert_with_messages_and_helpers(question: CodeQuestion) -> None:
    """every assert in the examples has a message; tensors are compared with quizapp.testing"""
    assert raw_assertions(question.examples) == [], question.id


def test_the_check_names_the_line_and_the_fix() -> None:
    """a bare assert and a raw torch.allclose are each reported with their line"""
    src = "def test_x():\n    assert torch.allclose(a, b)\n    assert ok, 'ok should hold'\n"
    assert raw_assertions(src) == [
        "examples: line 2: give the assert a message saying what was expected",
        "examples: line 2: torch.allclose fails without a sentence; use quizapp.testing's assert_close / "
        "assert_equal"]
