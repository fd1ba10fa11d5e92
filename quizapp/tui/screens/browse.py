"""Provides `BrowseScreen`: the question table with filters and a progress summary per topic."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Label, Select

from quizapp.tui.widgets.question_table import QuestionTable
from quizapp.tui.widgets.topic_summary import TopicSummary

if TYPE_CHECKING:
    from quizapp.bank_index import IndexEntry
    from quizapp.tui.app import QuizApp

STATUSES = ("new", "attempted", "solved", "due")
KINDS = ("code", "choice", "short")
DIFFICULTIES = ("easy", "medium", "hard")
FILTERS = ("topic", "tag", "difficulty", "kind", "status")


class BrowseScreen(Screen[None]):
    """Every question with its status; enter opens one, ctrl+p searches by name."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "search", "Search"),
        Binding("f2", "app.settings", "Settings"),
    ]

    app: QuizApp  # type: ignore[assignment]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="filters"):
            for name in FILTERS:
                yield Select[str]([], prompt=name.capitalize(), id=f"{name}-filter", compact=True)
        yield QuestionTable(id="question-table")
        yield TopicSummary(id="topic-summary")
        yield Label("", id="browse-note")
        yield Footer()

    def on_mount(self) -> None:
        self.app.mark_first_screen()
        self.watch(self.app, "listing", self._listing_changed)

    def _listing_changed(self, listing: list[IndexEntry] | None) -> None:
        table = self.query_one(QuestionTable)
        table.loading = listing is None
        if listing is None:
            return
        options = {
            "topic": sorted({q.topic for q in listing}),
            "tag": sorted({t for q in listing for t in q.tags}),
            "difficulty": list(DIFFICULTIES),
            "kind": list(KINDS),
            "status": list(STATUSES),
        }
        for name, values in options.items():
            select = self.query_one(f"#{name}-filter", Select)
            chosen = select.value
            select.set_options((v, v) for v in values)
            if chosen in values:  # the bank replaced the index's rows: keep what the learner picked
                select.value = chosen
        first = not table.row_count
        self.refresh_table()
        if first:  # not again when the bank replaces the index's rows: the learner may be in a filter
            table.focus()
        self.call_after_refresh(self.app.mark_list_shown)

    def on_screen_resume(self) -> None:
        if self.app.listing is not None:
            self.refresh_table()

    def _filters(self) -> dict[str, Any]:
        out = {}
        for name in FILTERS:
            value = self.query_one(f"#{name}-filter", Select).value
            if value is not Select.NULL:
                out[name] = value
        return out

    def _matches(self, q: IndexEntry, status: str, filters: dict[str, Any]) -> bool:
        return (filters.get("topic", q.topic) == q.topic
                and ("tag" not in filters or filters["tag"] in q.tags)
                and filters.get("difficulty", q.difficulty) == q.difficulty
                and filters.get("kind", q.kind) == q.kind
                and filters.get("status", status) == status)

    def refresh_table(self) -> None:
        """Rebuild the rows from the bank, the filters and the store."""
        questions = self.app.listing
        if questions is None:
            return
        statuses = self.app.store.statuses([q.id for q in questions], self.app.due)
        filters = self._filters()
        rows = [(q.id, q.title, q.topic, q.difficulty, q.kind, statuses[q.id])
                for q in questions if self._matches(q, statuses[q.id], filters)]
        self.query_one(QuestionTable).show(rows)
        self.query_one(TopicSummary).show(questions, dict(statuses))
        shown, total = len(rows), len(questions)
        note = f"{shown} of {total} questions" if filters else f"{total} questions"
        if not shown:
            note = "No question matches these filters." if total else "No questions in this bank."
        self.query_one("#browse-note", Label).update(f"{note} · enter opens · / searches · F2 settings")

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        self.refresh_table()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.app.open_question(event.row_key.value)

    def action_search(self) -> None:
        """Fuzzy-search the questions in the command palette."""
        self.app.action_command_palette()
