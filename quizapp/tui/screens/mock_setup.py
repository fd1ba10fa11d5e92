"""Provides `MockSetupScreen`: what a mock interview should be, asked before the clock starts.

F5 opens it with the defaults filled in; `quizapp mock --count 5 ...` opens it with the flags filled
in when they disagree with a paused interview. A paused interview is named first (how many
questions, time left, how much is answered) with a Resume button, so starting a new one is never
a silent discard. The screen only asks: `open_mock_setup` in `screens/mock.py` acts on the answer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Literal

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Label, Select, Static

from quizapp.mock.launch import DEFAULT_COUNT, MockRequest, Paused, format_minutes, paused_interview, start_interview
from quizapp.mock.session import MockSession, SessionError
from quizapp.tui.screens.mock import MockScreen
from quizapp.tui.widgets.ordered_keys import Input

if TYPE_CHECKING:
    from quizapp.tui.app import QuizApp

DIFFICULTIES = ("easy", "medium", "hard")


@dataclass(frozen=True)
class MockChoice:
    """The learner's answer: resume the paused interview, or start one as `request` says."""

    action: Literal["resume", "start"]
    request: MockRequest


class MockSetupScreen(ModalScreen[MockChoice | None]):
    """Questions, minutes, topic and difficulty for a new interview; resume or cancel instead."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "start", "Start"),
    ]

    def __init__(self, topics: list[str], request: MockRequest, paused: Paused | None = None,
                 conflicts: list[str] | None = None) -> None:
        super().__init__()
        self._topics = topics
        self._request = request
        self._paused = paused
        self._conflicts = conflicts or []

    def compose(self) -> ComposeResult:
        r, paused = self._request, self._paused
        with Vertical(id="setup-dialog"):
            yield Label("Mock interview", id="setup-title")
            if paused is not None:
                text = f"Paused: {paused.describe()}."
                if self._conflicts:
                    text += " You asked for " + "; ".join(self._conflicts) + "."
                yield Static(text, id="setup-paused", markup=False)
            with Horizontal(classes="setup-row"):
                yield Label("Questions", classes="setup-label")
                yield Input(str(r.count or DEFAULT_COUNT), id="setup-count", type="integer", compact=True)
            with Horizontal(classes="setup-row"):
                yield Label("Minutes", classes="setup-label")
                yield Input("" if r.minutes is None else format_minutes(r.minutes), id="setup-minutes",
                            type="number", placeholder="the questions' own estimate", compact=True)
            with Horizontal(classes="setup-row"):
                yield Label("Topic", classes="setup-label")
                yield Select([(t, t) for t in self._topics], prompt="every topic", id="setup-topic", compact=True,
                             value=r.topic if r.topic in self._topics else Select.NULL)
            with Horizontal(classes="setup-row"):
                yield Label("Difficulty", classes="setup-label")
                yield Select([(d, d) for d in DIFFICULTIES], prompt="every difficulty", id="setup-difficulty",
                             compact=True,
                             value=r.difficulty if r.difficulty in DIFFICULTIES else Select.NULL)
            yield Static("", id="setup-error")
            with Horizontal(id="setup-buttons"):
                if paused is not None:
                    yield Button(f"Resume #{paused.session_id}", variant="primary", id="setup-resume")
                    yield Button(f"Discard #{paused.session_id} and start", variant="warning", id="setup-start")
                else:
                    yield Button("Start (ctrl+s)", variant="primary", id="setup-start")
                yield Button("Cancel (esc)", id="setup-cancel")

    def on_mount(self) -> None:
        focus = "#setup-resume" if self._paused is not None and not self._conflicts else "#setup-count"
        self.query_one(focus).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "setup-resume":
            self.dismiss(MockChoice("resume", self._request))
        elif event.button.id == "setup-start":
            self.action_start()
        else:
            self.dismiss(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_start()

    def action_cancel(self) -> None:
        """Close without starting or discarding anything."""
        self.dismiss(None)

    def action_start(self) -> None:
        """Start a new interview with what the form says (a paused one is discarded: the button says so)."""
        request = self._read()
        if request is not None:
            self.dismiss(MockChoice("start", request))

    def _read(self) -> MockRequest | None:
        error = self.query_one("#setup-error", Static)
        count_text = self.query_one("#setup-count", Input).value.strip()
        minutes_text = self.query_one("#setup-minutes", Input).value.strip()
        try:
            count = int(count_text or DEFAULT_COUNT)
            minutes = float(minutes_text) if minutes_text else None
        except ValueError:
            error.update("Questions must be a whole number and minutes a number.")
            return None
        if count < 1 or (minutes is not None and not minutes > 0):
            error.update("Ask for at least one question and more than 0 minutes.")
            return None
        topic = self.query_one("#setup-topic", Select).value
        difficulty = self.query_one("#setup-difficulty", Select).value
        return MockRequest(count=count, minutes=minutes,
                           topic=topic if isinstance(topic, str) else None,
                           difficulty=difficulty if isinstance(difficulty, str) else None,
                           seed=self._request.seed)


Launched = Callable[[int, MockSession], None]
"""Told the id and session of the interview that opened (for `quizapp mock`'s closing line)."""


def open_mock_setup(app: QuizApp, request: MockRequest | None = None, *, exit_on_close: bool = False,
                    on_cancel: Callable[[], None] | None = None, on_launch: Launched | None = None) -> bool:
    """Ask what interview to run (resume the paused one, or start one), then open it.

    Returns False (with a notification) when the questions are not loaded yet. A paused interview
    that can no longer be rebuilt (its questions left the bank) is named in the notification and
    not offered; starting sets it aside rather than deleting it.
    """
    bank = app.bank
    if bank is None:
        app.notify("The questions are still loading.", severity="warning")
        return False
    request = request or MockRequest()
    try:
        paused = paused_interview(app.store, bank)
    except SessionError as exc:
        app.notify(f"The paused interview cannot be resumed: {exc}", severity="warning")
        paused = None
    conflicts = request.differences(paused.session.plan) if paused is not None else []
    topics = sorted({q.topic for q in bank.values()})

    def ask(asked: MockRequest) -> None:
        app.push_screen(MockSetupScreen(topics, asked, paused, conflicts), chosen)

    def chosen(choice: MockChoice | None) -> None:
        if choice is None:
            if on_cancel is not None:
                on_cancel()
            return
        if choice.action == "resume" and paused is not None:
            session_id, session = paused.session_id, paused.session
            app.notify(f"Resuming mock interview #{session_id} with {session.countdown()} left.")
        else:
            try:
                session_id, session = start_interview(app.store, bank, choice.request, discard=paused)
            except SessionError as exc:
                app.notify(str(exc), title="No mock interview", severity="error")
                ask(choice.request)
                return
            if paused is not None:
                app.notify(f"Discarded {paused.describe()} (`quizapp report` still lists it).")
        if on_launch is not None:
            on_launch(session_id, session)
        app.push_screen(MockScreen(session, session_id, exit_on_close=exit_on_close))

    ask(request)
    return True


class MockLauncher(Screen[None]):
    """The base screen of `quizapp mock` when its flags disagree with a paused interview: asks, then
    opens the chosen interview on top of itself; cancelling exits the app."""

    def __init__(self, request: MockRequest, on_launch: Launched) -> None:
        super().__init__()
        self._request = request
        self._on_launch = on_launch

    def compose(self) -> ComposeResult:
        yield Static("")

    def on_mount(self) -> None:
        open_mock_setup(self.app, self._request, exit_on_close=True,  # type: ignore[arg-type]
                        on_cancel=lambda: self.app.exit(0), on_launch=self._on_launch)
