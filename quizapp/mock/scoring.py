"""Scoring a mock interview's answers: every question is worth 1 point; the total is the sum.

    code    passed / total of the hidden tests at the last grade, minus `HINT_PENALTY` (0.1) per hint
            taken, never below 0. An answer left exactly as the starter scores 0 and is not graded.
    bug     find-the-bug questions are all or nothing: 1 when every hidden test passes, else 0 (minus
            hints likewise). The buggy starter already passes most tests, so partial credit would
            reward leaving it alone (or adding a comment).
    choice  one correct option: 1 if exactly the correct option is selected, else 0. Several correct
            (select all that apply): (correct picks - wrong picks) / number of correct options,
            clamped to [0, 1].
    short   the learner's self-rating once the model answer is unlocked: ticked rubric points /
            rubric points. An empty answer scores 0 without rating; until rated the score is pending
            (counted as 0 in the total and flagged in the report).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from quizapp.models import AnyQuestion, ChoiceQuestion, CodeQuestion, GradeResult

HINT_PENALTY = 0.1
"""Points taken off a code question's score for each hint shown (a question is worth 1 point)."""


@dataclass
class Answer:
    """What the candidate did on one question (mutable while the interview runs)."""

    question_id: str
    kind: str
    """code, choice or short."""
    source: str = ""
    """Code answers: the editor's text (starts as the starter)."""
    selected: list[int] = field(default_factory=list)
    """Choice answers: indices of the selected options."""
    text: str = ""
    """Short answers: the written answer."""
    time_spent_s: float = 0.0
    """Seconds this question was on screen."""
    hints_used: int = 0
    """Hints shown (code questions); each costs `HINT_PENALTY`."""
    submissions: int = 0
    """Times the candidate submitted this code to the hidden tests (auto-submits not counted)."""
    solved_at: int | None = None
    """The submission number at which every hidden test first passed."""
    graded_source: str | None = None
    """The source the last grade was for; the answer is open again when `source` differs."""
    result: dict[str, Any] | None = None
    """The last `GradeResult.to_json()` for this answer."""
    auto_submitted: bool = False
    """Graded at the end because it was still open."""
    self_rating: list[int] | None = None
    """Short answers: indices of the rubric points the candidate ticked after the end."""

    @property
    def grade(self) -> GradeResult | None:
        """The last grade as a `GradeResult`."""
        return GradeResult.from_json(self.result) if self.result is not None else None


@dataclass(frozen=True)
class Score:
    """The score of one answer."""

    points: float
    """Points earned, 0..1 (0 while pending)."""
    pending: bool = False
    """A short answer awaiting the candidate's self-rating."""
    penalty: float = 0.0
    """Points taken off for hints."""
    note: str = ""
    """Why, in a few words (shown in the report)."""


def score_choice(question: ChoiceQuestion, selected: list[int]) -> float:
    """1/0 for single-answer questions; partial credit for select-all-that-apply (see module doc)."""
    correct = {i for i, c in enumerate(question.choices) if c.correct}
    picked = set(selected)
    if not question.multiple:
        return 1.0 if picked == correct else 0.0
    hits, wrong = len(picked & correct), len(picked - correct)
    return max(0.0, min(1.0, (hits - wrong) / len(correct)))


def score_answer(question: AnyQuestion, answer: Answer) -> Score:
    """Score one answer by the rules in the module docstring."""
    if isinstance(question, CodeQuestion):
        penalty = HINT_PENALTY * answer.hints_used
        grade = answer.grade
        if grade is None:
            note = "not attempted" if answer.source == question.starter else "not graded"
            return Score(0.0, note=note)
        fraction = grade.passed / grade.total if grade.total else 0.0
        note = f"{grade.passed}/{grade.total} tests" + (f", {grade.status}" if not grade.ok else "")
        if question.bug_hunt and not grade.ok:
            fraction, note = 0.0, f"bug not fixed: {note}"
        points = max(0.0, fraction - penalty)
        return Score(round(points, 4), penalty=round(min(penalty, fraction), 4), note=note)
    if isinstance(question, ChoiceQuestion):
        if not answer.selected:
            return Score(0.0, note="not answered")
        return Score(score_choice(question, answer.selected))
    if not answer.text.strip():
        return Score(0.0, note="not answered")
    if answer.self_rating is None:
        return Score(0.0, pending=True, note="awaiting self-rating")
    ticked = len(set(answer.self_rating) & set(range(len(question.rubric))))
    return Score(round(ticked / len(question.rubric), 4),
                 note=f"{ticked}/{len(question.rubric)} rubric points")
