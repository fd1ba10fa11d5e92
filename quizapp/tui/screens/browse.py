"""Provides `BrowseScreen`: the question table with filters and a progress summary per topic.

The five filters are mounted a frame after the list first shows its rows, into a row kept empty for
them: five `Select`s (each with its overlay) cost the first frame about as much as the rest of the
screen together, and the list is what the learner came for (`benchmarks/startup_speed.py`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Header, Label, Select

from quizapp.tui.widgets.footer import Footer
from quizapp.tui.widgets.question_table import QuestionTable
from quizapp.tui.widgets.topic_summary import TopicSummary

if TYPE_CHECKING:
    from quizapp.bank_index import IndexEntry
    from quizapp.tui.app import QuizApp

STATUSES = ("new", "attempted", "solved", "due")
KINDS = ("code", "choice", "short")
DIFFICULTIES = ("easy", "medium", "hard")


def _filter_options(listing: list[IndexEntry]) -> dict[str, list[str]]:
    """Each filter's choices, in the order the filters are shown."""
    return {
        "topic": sorted({q.topic for q in listing}),
        "tag": sorted({t for q in listing for t in q.tags}),
        "difficulty": list(DIFFICULTIES),
        "kind": list(KINDS),
        "status": list(STATUSES),
    }


class BrowseScreen(Screen[None]):
    """Every question with its status; enter opens one, ctrl+p searches by name."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "search", "Search"),
        Binding("f2", "app.settings", "Settings"),
        Binding("f3", "app.review", "Review"),
        Binding("f4", "app.stats", "Stats"),
        Binding("f5", "app.mock", "Mock", tooltip="Mock interview: choose its questions and minutes, or resume one"),
    ]

    app: QuizApp  # type: ignore[assignment]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Horizontal(id="filters")  # filled once the list is on screen (_list_shown)
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
        for name, values in _filter_options(listing).items():
            for select in self.query(f"#{name}-filter").results(Select):
                chosen = select.value
                select.set_options((v, v) for v in values)
                if chosen in values:  # the bank replaced the index's rows: keep what the learner picked
                    select.value = chosen
        self.refresh_table()  # the table has the focus: it is the first focusable widget (AUTO_FOCUS)
        self.call_after_refresh(self._list_shown)

    def _list_shown(self) -> None:
        """The rows are on screen: now the filters, with the options of the list as it is now."""
        self.app.mark_list_shown()
        row = self.query_one("#filters", Horizontal)
        if row.children or self.app.listing is None:
            return
        row.mount_all(Select[str](((v, v) for v in values), prompt=name.capitalize(), id=f"{name}-filter",
                                  compact=True)
                      for name, values in _filter_options(self.app.listing).items())

    def on_screen_resume(self) -> None:
        if self.app.listing is not None:
            self.refresh_table()

    def _filters(self) -> dict[str, Any]:
        out = {}
        for select in self.query("#filters Select").results(Select):
            if select.value is not Select.NULL and select.id is not None:
                out[select.id.removesuffix("-filter")] = select.value
        return out

    def _matches(self, q: IndexEntry, status: str, filters: dict[str, Any]) -> bool:
        return (filters.get("topic", q.topic) == q.topic
                and ("tag" not in filters or filters["tag"] in q.tags)
                and filters.get("difficulty", q.difficulty) == q.difficulty
                and filters.get("kind", q.kind) == q.kind
                and filters.get("status", status) == status)

    def refresh_table(self) -> None:
        """Rebuild the rows from the listing (the index's or the bank's), the filters and the store."""
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
