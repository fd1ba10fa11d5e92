"""Provides `ChoiceQuestionScreen`: pick an answer and see at once why each option is right or wrong."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, Label, Markdown, OptionList, SelectionList
from textual.widgets.option_list import Option

from quizapp.models import ChoiceQuestion
from quizapp.render import meta_line
from quizapp.tui.widgets.choices import WrappingSelectionList
from quizapp.tui.widgets.footer import Footer

if TYPE_CHECKING:
    from quizapp.tui.app import QuizApp


def feedback_markdown(question: ChoiceQuestion, selected: set[int]) -> str:
    """The verdict, every option marked with why it is right or wrong, then the explanation."""
    correct = {i for i, c in enumerate(question.choices) if c.correct}
    verdict = "### ✓ Correct" if selected == correct else "### ✗ Not quite"
    lines = [verdict, ""]
    for i, choice in enumerate(question.choices):
        picked = i in selected
        if choice.correct:
            mark = "✓ **your pick, right**" if picked else "✓ **right, you missed it**"
        else:
            mark = "✗ **your pick, wrong**" if picked else "· not right"
        lines.append(f"- {mark}: {choice.text.strip()}  \n  {choice.why.strip()}")
    lines += ["", "### Explanation", "", question.explanation.strip()]
    return "\n".join(lines)


class ChoiceQuestionScreen(Screen[None]):
    """One correct answer: choosing an option answers. Several: tick them all, then ctrl+s."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "check", "Check"),
        Binding("escape", "app.pop_screen", "Back", priority=True),
    ]

    app: QuizApp  # type: ignore[assignment]

    def __init__(self, question: ChoiceQuestion) -> None:
        super().__init__()
        self.question = question
        self.answered = False

    def compose(self) -> ComposeResult:
        q = self.question
        yield Header()
        with VerticalScroll(id="choice-body"):
            yield Markdown(f"*{meta_line(q)}*\n\n{q.prompt.strip()}",
                           id="prompt")
            if q.multiple:
                yield Label("Select all that apply (space ticks), then ctrl+s.", id="choice-help")
                yield WrappingSelectionList[int](*[(Content(c.text.strip()), i) for i, c in enumerate(q.choices)],
                                                id="choices")
            else:
                yield Label("Choose one (enter).", id="choice-help")
                yield OptionList(*[Option(Content(c.text.strip()), id=str(i)) for i, c in enumerate(q.choices)],
                                 id="choices")
            yield Markdown("", id="feedback")
        yield Footer()

    def on_mount(self) -> None:
        self.title = self.question.title
        self.sub_title = f"{self.question.topic} · choice"
        self.query_one("#feedback").display = False
        self.query_one("#choices").focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "check":
            return self.question.multiple and not self.answered
        return True

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if not self.answered and event.option_id is not None:
            self.answer({int(event.option_id)})

    def action_check(self) -> None:
        """Check the ticked options (select-all-that-apply questions)."""
        if not self.answered:
            self.answer(set(self.query_one("#choices", SelectionList).selected))

    def answer(self, selected: set[int]) -> None:
        """Record the answer and show the per-option feedback."""
        q = self.question
        correct = {i for i, c in enumerate(q.choices) if c.correct}
        self.answered = True
        self.app.store.record_choice(q.id, selected, correct)
        self.app.practice_recorded(q)
        choices = self.query_one("#choices")
        if isinstance(choices, OptionList):
            for i, c in enumerate(q.choices):
                if c.correct:
                    mark, style = "✓ ", "green"
                else:
                    mark, style = ("✗ ", "red") if i in selected else ("  ", "dim")
                choices.replace_option_prompt_at_index(i, Text.assemble((mark, f"bold {style}"),
                                                                        (c.text.strip(), style)))
        choices.disabled = True
        feedback = self.query_one("#feedback", Markdown)
        feedback.update(feedback_markdown(q, selected))
        feedback.display = True
        self.refresh_bindings()
        self.query_one("#choice-body", VerticalScroll).focus()
