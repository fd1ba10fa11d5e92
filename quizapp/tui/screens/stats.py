"""Provides `StatsScreen`: per-topic mastery bars, attempts per day, and the practice streak.

Mount it with `app.push_screen(StatsScreen())` or as a mode (`app.add_mode("stats", StatsScreen)`).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, ClassVar

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Label, Sparkline, Static

from quizapp.stats import attempts_per_day, bar, longest_streak, streak, topic_mastery
from quizapp.tui.widgets.footer import Footer

if TYPE_CHECKING:
    from quizapp.bank import Bank
    from quizapp.tui.app import QuizApp

ACTIVITY_DAYS = 30


def mastery_table(rows: list[tuple[str, float, int, int]], width: int = 24) -> Table:
    """A rich table: topic, a bar of its mastery, the percentage, solved/total."""
    table = Table(box=None, pad_edge=False, show_header=True, header_style="bold")
    table.add_column("topic")
    table.add_column("mastery", no_wrap=True)
    table.add_column("", justify="right")
    table.add_column("solved", justify="right")
    for topic, mastery, solved, total in rows:
        table.add_row(topic, f"[cyan]{bar(mastery, width)}[/]", f"{mastery:.0%}", f"{solved}/{total}")
    return table


class StatsScreen(Screen[None]):
    """How far the learner is: mastery per topic, attempts over time, streak."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("ctrl+r", "reload", "Refresh"),
    ]

    app: QuizApp  # type: ignore[assignment]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="stats-body"):
            yield Label("Mastery by topic", classes="chart-title")
            yield Static("", id="stats-mastery")
            yield Label(f"Attempts per day, last {ACTIVITY_DAYS} days", classes="chart-title")
            yield Sparkline([], id="stats-activity")
            yield Static("", id="stats-activity-labels")
            yield Label("", id="stats-streak", classes="chart-title")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Progress"
        self.watch(self.app, "bank", self._bank_changed, init=True)

    def _bank_changed(self, bank: Bank | None) -> None:
        if bank is not None:
            self.reload()

    def action_reload(self) -> None:
        """Read the attempts again."""
        self.reload()

    def reload(self) -> None:
        """Compute the statistics from the store's attempts."""
        bank = self.app.bank
        if bank is None:
            return
        attempts = self.app.store.attempts()
        today = datetime.fromtimestamp(self.app.store.clock()).date()
        rows = [(m.topic, m.mastery, m.solved, m.questions) for m in topic_mastery(bank, attempts)]
        self.query_one("#stats-mastery", Static).update(mastery_table(rows))
        per_day = attempts_per_day(attempts, today, ACTIVITY_DAYS)
        self.query_one("#stats-activity", Sparkline).data = [float(c) for c in per_day]
        first = today - timedelta(days=ACTIVITY_DAYS - 1)
        self.query_one("#stats-activity-labels", Static).update(
            f"{first:%d %b} … today · {sum(per_day)} attempts · busiest day {max(per_day, default=0)}")
        self.query_one("#stats-streak", Label).update(
            f"Streak: {streak(attempts, today)} day(s) · longest: {longest_streak(attempts)}")

    def action_back(self) -> None:
        """Back (practice mode when this is a mode's only screen)."""
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()
        else:
            self.app.switch_mode("practice")
