"""What the app, `watch`, the mock interview and diagnosis program against instead of `Grader` itself.

`Grades` is the one thing diagnosis and validation need (grade a source against a question);
`GraderLike` adds what an interactive front end needs (visible examples, cancelling). Tests pass
stubs that satisfy them. Nothing here imports the grader, pydantic or torch until a grader is built,
so the terminal app's startup path stays light.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from quizapp.models import CodeQuestion, GradeResult


class Grades(Protocol):
    """Grades a submission against a question's hidden tests."""

    def grade(self, question: CodeQuestion, source: str) -> GradeResult: ...


class GraderLike(Grades, Protocol):
    """What the app, `watch` and the mock interview need from `quizapp.grading.Grader` (tests pass
    a stub): a `Grades` that can also run the visible examples and be cancelled."""

    def grade(self, question: CodeQuestion, source: str, *, examples: bool = False) -> GradeResult: ...

    def cancel(self) -> None: ...


GraderFactory = Callable[[str], GraderLike]
"""Builds a grader for a device ("auto", "cpu" or "cuda")."""


def default_grader_factory(device: str) -> GraderLike:
    """The real grader, entered as a context manager so its warm worker starts now.

    Imported here, not at module import, so that starting the app never pays for it.
    """
    from quizapp.grading import Grader

    grader = Grader(device=device)  # type: ignore[arg-type]  # Grader validates the name itself
    entered = grader.__enter__()
    return entered if entered is not None else grader  # type: ignore[no-any-return]


def close_grader(grader: Any) -> None:
    """Shut a grader down whichever way it supports (`close()` or the context-manager exit)."""
    if grader is None:
        return
    closer = getattr(grader, "close", None)
    if callable(closer):
        closer()
    elif hasattr(grader, "__exit__"):
        grader.__exit__(None, None, None)
