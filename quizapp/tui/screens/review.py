"""Provides `ReviewScreen`: the questions due for spaced review today, oldest first, and the days ahead.

Mount it with `app.push_screen(ReviewScreen())` (a key or a command-palette entry), or as a mode:
`app.add_mode("review", ReviewScreen)`. Choosing a row opens the question (`app.open_question`).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Header, Label, Sparkline, Static

from quizapp.review import DueCard, due_label, load_deck
from quizapp.tui.widgets.footer import Footer

if TYPE_CHECKING:
    from quizapp.bank import Bank
    from quizapp.tui.app import QuizApp

UPCOMING_DAYS = 7


class ReviewScreen(Screen[None]):
    """Due today (oldest first; enter opens one) and a chart of how many fall due on the next days."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("ctrl+r", "reload", "Refresh"),
    ]

    app: QuizApp  # type: ignore[assignment]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="review-body"):
            yield Label("Due today", id="review-title", classes="chart-title")
            yield DataTable(id="review-table", cursor_type="row", zebra_stripes=True)
            yield Label("", id="review-empty", classes="chart-note")
            yield Label(f"Due in the next {UPCOMING_DAYS} days", classes="chart-title")
            yield Sparkline([], id="review-upcoming")
            yield Static("", id="review-upcoming-labels")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Spaced review"
        table = self.query_one("#review-table", DataTable)
        table.add_columns("question", "topic", "kind", "due")
        self.watch(self.app, "bank", self._bank_changed, init=True)

    def _bank_changed(self, bank: Bank | None) -> None:
        if bank is not None:
            self.reload()

    def action_reload(self) -> None:
        """Read the schedule again."""
        self.reload()

    def now(self) -> datetime:
        """The store's clock as an aware datetime (tests inject the store's clock)."""
        return datetime.fromtimestamp(self.app.store.clock(), UTC)

    def reload(self) -> None:
        """Fill the table and the chart from the store."""
        bank = self.app.bank
        if bank is None:
            return
        now = self.now()
        deck = load_deck(self.app.store)
        due: list[DueCard] = [d for d in deck.due(now) if d.question_id in bank]
        table = self.query_one("#review-table", DataTable)
        table.clear()
        for d in due:
            q = bank[d.question_id]
            table.add_row(q.title, q.topic, str(q.kind), due_label(d.due, now), key=q.id)
        self.query_one("#review-title", Label).update(f"Due today ({len(due)})")
        empty = self.query_one("#review-empty", Label)
        empty.update("" if due else ("Nothing due today." if deck.cards else
                                     "No review schedule yet: questions are scheduled once you answer them."))
        table.display = bool(due)
        counts = deck.upcoming(now, UPCOMING_DAYS)
        self.query_one("#review-upcoming", Sparkline).data = [float(c) for c in counts]
        local = now.astimezone()
        labels = "  ".join(f"{(local + timedelta(days=n)):%a} {c}" for n, c in enumerate(counts, start=1))
        self.query_one("#review-upcoming-labels", Static).update(labels)
        if due:
            table.focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.app.open_question(event.row_key.value)

    def action_back(self) -> None:
        """Back to where the learner came from (practice mode when this is a mode's only screen)."""
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()
        else:
            self.app.switch_mode("practice")
