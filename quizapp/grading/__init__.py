"""Grading: run a submission against hidden pytest tests in an isolated, supervised child process.

Names are imported on first use so that the warm worker, which imports this package's `child` and
`limits` modules, does not load the parent-side machinery (pydantic models).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from quizapp.grading.grader import DeviceUnavailable, Grader, GraderFailure

__all__ = ["DeviceUnavailable", "Grader", "GraderFailure"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from quizapp.grading import grader

        return getattr(grader, name)
    raise AttributeError(f"module 'quizapp.grading' has no attribute {name!r}")
