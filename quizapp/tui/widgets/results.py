"""Provides `ResultsPanel`: what the last grade said, or a spinner while one runs."""

from __future__ import annotations

import dataclasses
import time

from rich.console import RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.timer import Timer
from textual.widgets import Static

from quizapp.models import GradeResult
from quizapp.render import render_result

SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"
IDLE_TEXT = "ctrl+r runs the visible examples · ctrl+s submits to the hidden tests"


class ResultsPanel(VerticalScroll, can_focus=True):
    """Each test with pass/fail, its message and captured output; the status for timeouts and crashes."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._timer: Timer | None = None
        self._started = 0.0
        self._label = ""
        self._shown: GradeResult | None = None

    def compose(self) -> ComposeResult:
        yield Static(Text(IDLE_TEXT, style="dim"), id="results-status")
        yield Static("", id="results-body")

    @property
    def running(self) -> bool:
        """Whether the spinner is showing."""
        return self._timer is not None

    def _set(self, status: Text | None, body: RenderableType = "") -> None:
        status_widget = self.query_one("#results-status", Static)
        status_widget.display = status is not None
        status_widget.update(status or "")
        self.query_one("#results-body", Static).update(body)

    def _stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self.remove_class("-running")

    def show_running(self, label: str) -> None:
        """Show a spinner with the elapsed time until `show_result`, `show_error` or `show_cancelled`."""
        self._stop()
        self._shown = None
        self._label = label
        self._started = time.monotonic()
        self.add_class("-running")
        self._tick()
        self._timer = self.set_interval(0.1, self._tick)

    def _tick(self) -> None:
        elapsed = time.monotonic() - self._started
        frame = SPINNER[int(elapsed * 10) % len(SPINNER)]
        text = Text.assemble((f"{frame} ", "bold"), f"{self._label}… ", (f"{elapsed:.1f} s", "bold"),
                             ("   esc cancels", "dim"))
        self._set(text)

    def show_result(self, result: GradeResult, *, examples: bool) -> None:
        """Show every test of `result`; the status line says what kind of run it was."""
        self._stop()
        self._shown = result
        self._set(None, render_result(result, examples=examples))
        self.scroll_home(animate=False)

    def show_likely_mistakes(self, result: GradeResult, mistakes: list[str]) -> None:
        """Add the known mistakes that fail like `result`, if it is still the result on show."""
        if self._shown is result and not self.running:
            self._set(None, render_result(dataclasses.replace(result, likely_mistakes=mistakes)))

    def show_error(self, message: str) -> None:
        """The grader could not run at all."""
        self._stop()
        self._set(Text.assemble((" CANNOT GRADE ", "reverse bold red"), "  ", message))

    def show_cancelled(self) -> None:
        """The learner pressed escape during a run."""
        self._stop()
        self._set(Text.assemble((" CANCELLED ", "reverse bold yellow"), "  the run was stopped; nothing "
                                "was recorded"))

    def show_cancelling(self) -> None:
        """Between escape and the grader confirming the stop."""
        self._label = "Cancelling"
