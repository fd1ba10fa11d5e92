"""Messages that workers post back to the UI thread (named in the past tense)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from quizapp.bank import Bank
    from quizapp.bank_index import IndexEntry
    from quizapp.models import GradeResult


@dataclass
class BankLoaded(Message):
    """The question bank finished loading in the background."""

    bank: Bank
    """The questions that loaded."""
    problems: list[str]
    """`file:line:col: problem` for each question file that could not be loaded (and was skipped)."""
    entries: list[IndexEntry]
    """The question list's rows for `bank`."""


@dataclass
class GradeFinished(Message):
    """A grade (hidden tests or visible examples) came back from the grader."""

    result: GradeResult
    source: str
    """The code that was graded (recorded with the attempt)."""
    examples: bool
    """True for a run of the visible examples, False for a submission to the hidden tests."""


@dataclass
class MistakesDiagnosed(Message):
    """A failed submission fails the same hidden tests as known mistakes of the question."""

    result: GradeResult
    """The grade they explain (the panel may show a newer one by now)."""
    mistakes: list[str]
    """One-line diagnoses, from the question's mutants."""


@dataclass
class GradeFailed(Message):
    """The grader itself could not run (not the submission failing): no worker, no CUDA, ..."""

    error: str
