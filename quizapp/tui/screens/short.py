"""Provides `ShortQuestionScreen`: type an answer, compare it with the model answer, tick the rubric, rate."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Header, Label, Markdown, SelectionList, Static, TextArea

from quizapp.models import ShortQuestion
from quizapp.progress import RATINGS, Rating
from quizapp.render import meta_line
from quizapp.tui.screens._drafting import DraftSaver
from quizapp.tui.widgets.choices import WrappingSelectionList
from quizapp.tui.widgets.footer import Footer

if TYPE_CHECKING:
    from quizapp.tui.app import QuizApp


class ShortQuestionScreen(Screen[None]):
    """Write first, then see the model answer: the rubric ticks and the rating are recorded."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "reveal", "Show model answer"),
        Binding("1", "rate('again')", "Again"),
        Binding("2", "rate('hard')", "Hard"),
        Binding("3", "rate('good')", "Good"),
        Binding("4", "rate('easy')", "Easy"),
        Binding("escape", "back", "Back", priority=True),  # one Esc, even from the editor
        Binding("pagedown", "page(1)", "Page down", show=False, priority=True),
        Binding("pageup", "page(-1)", "Page up", show=False, priority=True),
    ]

    app: QuizApp  # type: ignore[assignment]

    def __init__(self, question: ShortQuestion) -> None:
        super().__init__()
        self.question = question
        self.revealed = False
        self.rating: Rating | None = None
        self._drafts: DraftSaver | None = None

    def compose(self) -> ComposeResult:
        q = self.question
        yield Header()
        with VerticalScroll(id="short-body"):
            yield Markdown(f"*{meta_line(q)}*\n\n{q.prompt.strip()}",
                           id="prompt")
            yield Label("Your answer (ctrl+s shows the model answer):", id="answer-help")
            answer = TextArea(self.app.store.draft(q.id) or "", soft_wrap=True, id="answer")
            yield answer
            with Vertical(id="reveal"):
                yield Label("Your answer", classes="section")
                yield Static("", id="your-answer")
                yield Markdown(f"## Model answer\n\n{q.answer.strip()}\n\n### Why\n\n{q.explanation.strip()}",
                               id="model-answer")
                yield Label("Which key points did your answer cover? (space ticks)", classes="section")
                yield WrappingSelectionList[int](*[(Content(point.strip()), i) for i, point in enumerate(q.rubric)],
                                         id="rubric")
                yield Label("How well did you know it? (1-4)", classes="section")
                with Horizontal(id="ratings"):
                    for number, rating in enumerate(RATINGS, start=1):
                        yield Button(f"{number} {rating.capitalize()}", id=f"rate-{rating}",
                                     variant="error" if rating == "again" else "default")
                yield Label("", id="rated")
        yield Footer()

    def on_mount(self) -> None:
        self.title = self.question.title
        self.sub_title = f"{self.question.topic} · short answer"
        self.query_one("#reveal").display = False
        answer = self.query_one("#answer", TextArea)
        self._drafts = DraftSaver(self, self.app.store, self.question.id, lambda: answer.text, answer.text)
        answer.focus()

    @on(TextArea.Changed, "#answer")
    def _answer_changed(self) -> None:
        if self._drafts is not None:
            self._drafts.changed()

    def flush_draft(self) -> None:
        """Persist the typed answer now."""
        if self._drafts is not None:
            self._drafts.flush()

    def on_unmount(self) -> None:
        self.flush_draft()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "reveal":
            return not self.revealed
        if action == "rate":
            return self.revealed and self.rating is None
        return True

    def action_reveal(self) -> None:
        """Show the model answer, the rubric and the rating buttons."""
        self.flush_draft()
        self.revealed = True
        typed = self.query_one("#answer", TextArea).text.strip()
        self.query_one("#your-answer", Static).update(Content(typed) if typed else Content("(nothing written)"))
        self.query_one("#reveal").display = True
        self.query_one("#rubric", SelectionList).focus(scroll_visible=False)
        self.refresh_bindings()
        self.call_after_refresh(self._scroll_to_reveal)

    def _scroll_to_reveal(self) -> None:
        self.query_one("#short-body", VerticalScroll).scroll_to_widget(self.query_one("#reveal"),
                                                                       animate=False, top=True)

    def action_page(self, direction: int) -> None:
        """PageDown / PageUp scroll the whole screen (the answer editor keeps them while it has focus)."""
        if self.query_one("#answer", TextArea).has_focus:
            raise SkipAction()
        body = self.query_one("#short-body", VerticalScroll)
        if direction > 0:
            body.scroll_page_down(animate=False)
        else:
            body.scroll_page_up(animate=False)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id and event.button.id.startswith("rate-"):
            self.action_rate(event.button.id.removeprefix("rate-"))

    def action_rate(self, rating: str) -> None:
        """Record the self-rating with the ticked rubric points; good/easy counts as solved."""
        if not self.revealed or self.rating is not None or rating not in RATINGS:
            return
        self.rating = rating  # type: ignore[assignment]
        ticked = set(self.query_one("#rubric", SelectionList).selected)
        rubric = [i in ticked for i in range(len(self.question.rubric))]
        self.app.store.record_short(self.question.id, self.query_one("#answer", TextArea).text, self.rating,
                                    rubric)
        self.app.practice_recorded(self.question)
        for button in self.query("#ratings Button").results(Button):
            button.disabled = True
        self.query_one("#rated", Label).update(
            f"Recorded: {rating.capitalize()} · {sum(rubric)}/{len(rubric)} key points. esc goes back.")
        self.refresh_bindings()

    def action_back(self) -> None:
        """Back to the list (the typed answer is kept as a draft)."""
        self.flush_draft()
        self.app.pop_screen()
