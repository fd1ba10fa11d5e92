"""Provides `ModelAnswerScreen`: the explanation, the model solution and a diff against your code."""

from __future__ import annotations

import difflib
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Markdown

from quizapp.models import CodeQuestion
from quizapp.render import fence
from quizapp.tui.widgets.footer import Footer


def answer_markdown(question: CodeQuestion, learner_code: str) -> str:
    """The page: explanation, model solution, and a unified diff from the learner's code to it."""
    try:
        model = question.solution_source()
    except (OSError, AssertionError) as exc:
        return f"## Explanation\n\n{question.explanation}\n\n" \
               f"*The model solution could not be read: {exc}*"
    mine, theirs = (t if t.endswith("\n") else t + "\n" for t in (learner_code, model))
    diff = "".join(difflib.unified_diff(mine.splitlines(keepends=True), theirs.splitlines(keepends=True),
                                        fromfile="your code", tofile="model answer"))
    compare = fence(diff, "diff") if diff else "*Your code is identical to the model answer.*"
    return (f"## Explanation\n\n{question.explanation.strip()}\n\n"
            f"## Model answer\n\n{fence(model, 'python')}\n\n"
            f"## Your code → the model answer\n\n{compare}\n")


class ModelAnswerScreen(Screen[None]):
    """Shown once the question is solved, or after the learner confirmed giving up."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q", "app.pop_screen", "Back")]

    def __init__(self, question: CodeQuestion, learner_code: str) -> None:
        super().__init__()
        self.question = question
        self.learner_code = learner_code

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="answer-body"):
            yield Markdown(answer_markdown(self.question, self.learner_code), id="answer-markdown")
        yield Footer()

    def on_mount(self) -> None:
        self.title = self.question.title
        self.sub_title = "model answer"
        self.query_one("#answer-body").focus()
