"""quizapp: practise deep-learning interview questions, graded by hidden PyTorch tests.

The public API (CONTRACT §2) is `load_bank` and `Grader`. Both are imported on first use, so that
the grading worker (which imports this package) does not pay for pydantic and YAML, and importing
quizapp never imports torch or Textual.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from quizapp.bank import load_bank
    from quizapp.grading.grader import Grader

__all__ = ["Grader", "load_bank"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name == "load_bank":
        from quizapp.bank import load_bank

        return load_bank
    if name == "Grader":
        from quizapp.grading.grader import Grader

        return Grader
    raise AttributeError(f"module 'quizapp' has no attribute {name!r}")
