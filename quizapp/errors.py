"""Every exception a user can cause, under one base, and the one way the command line prints them.

Each module raises its own subclass (a `BankError` names files and lines, a `StoreError` the progress
database), so callers catch exactly what they can handle; `quizapp.cli.main` catches `QuizappError`
once and prints it with `print_error`: one line per problem, `quizapp: error: …`, on stderr, exit 2.
Light on purpose: the command line imports it before anything else.
"""

from __future__ import annotations

import sys


class QuizappError(Exception):
    """Base of every error quizapp reports to a user (as opposed to a bug, which is a traceback)."""

    exit_code = 2
    """The exit status a command ends with when this error stops it (CONTRACT §1: 2, a bad request)."""

    @property
    def problems(self) -> list[str]:
        """The lines to print: one problem each."""
        return [line for line in str(self).splitlines() if line.strip()] or [type(self).__name__]


class UsageError(QuizappError):
    """A bad request on the command line (unknown id, unreadable file, a bad option value)."""


class BankError(QuizappError):
    """One or more problems in question files; each message is `file:line:col: field: problem`."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self._problems = problems

    @property
    def problems(self) -> list[str]:
        return self._problems


def format_error(error: QuizappError | str) -> str:
    """The lines a command prints for `error`: `quizapp: error: <problem>` for each problem."""
    problems = [error] if isinstance(error, str) else error.problems
    return "\n".join(f"quizapp: error: {p}" for p in problems)


def print_error(error: QuizappError | str) -> int:
    """Print `error` to stderr as `format_error` does; returns the exit status it calls for."""
    print(format_error(error), file=sys.stderr)
    return error.exit_code if isinstance(error, QuizappError) else QuizappError.exit_code
