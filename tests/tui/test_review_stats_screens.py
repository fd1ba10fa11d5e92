"""Review and stats screens through Pilot, on a store with a scripted history and a fixed clock."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

from fsrs import Rating
from rich.console import Console
from rich.table import Table
from textual.widgets import DataTable, Label, Sparkline, Static

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures" / "mock"))

from mockkit import bank

from quizapp import review
from quizapp.progress import Store
from quizapp.review import default_scheduler
from quizapp.tui.app import QuizApp
from quizapp.tui.screens.review import ReviewScreen
from quizapp.tui.screens.stats import StatsScreen

BANK = bank()
T0 = datetime(2025, 3, 10, 9, 0, tzinfo=UTC).timestamp()
DAY = 86400.0


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> float:
        return self.now


def _store(home: Path) -> Store:
    clock = Clock()
    store = Store.open(home, clock=clock)
    sched = default_scheduler(enable_fuzzing=False)
    clock.now = T0 - 5 * DAY
    review.record_review(store, "mean-bug", Rating.Again, sched)       # Again: due again that day, 5 days ago
    clock.now = T0 - 3 * DAY
    review.record_review(store, "clip-values", Rating.Again, sched)    # due 3 days ago
    review.record_review(store, "regularisers", Rating.Easy, sched)    # due in a few days
    for days_ago in (0, 1, 2, 5):
        clock.now = T0 - days_ago * DAY
        store.record_attempt("clip-values", "submit", status="passed", passed=4, total=4)
    clock.now = T0
    return store


async def test_review_screen_lists_due_oldest_first(tmp_path: Path) -> None:
    """due questions oldest first; the chart counts the next days; enter opens the question"""
    store = _store(tmp_path)
    app = QuizApp(bank=BANK, store=store, grader_factory=lambda d: None)  # type: ignore[arg-type,return-value]
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.push_screen(ReviewScreen())
        await pilot.pause()
        table = app.screen.query_one("#review-table", DataTable)
        assert [table.get_row_at(i)[0] for i in range(table.row_count)] == [
            "Find the bug in mean", "Clip a list of numbers"]
        assert table.get_row_at(0)[3] == "overdue 5 days"
        assert str(app.screen.query_one("#review-title", Label).render()) == "Due today (2)"
        counts = review.load_deck(store).upcoming(datetime.fromtimestamp(T0, UTC), 7)
        assert sum(counts) == 1
        assert app.screen.query_one("#review-upcoming", Sparkline).data == [float(c) for c in counts]
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "CodeQuestionScreen"
    store.close()


async def test_stats_screen_shows_mastery_activity_and_streak(tmp_path: Path) -> None:
    """mastery bars per topic, a sparkline of attempts per day, the streak"""
    store = _store(tmp_path)
    app = QuizApp(bank=BANK, store=store, grader_factory=lambda d: None)  # type: ignore[arg-type,return-value]
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.push_screen(StatsScreen())
        await pilot.pause()
        data = app.screen.query_one("#stats-activity", Sparkline).data
        assert data is not None and list(data)[-6:] == [1.0, 0.0, 0.0, 1.0, 1.0, 1.0]
        assert str(app.screen.query_one("#stats-streak", Label).render()) == "Streak: 3 day(s) · longest: 3"
        table = app.screen.query_one("#stats-mastery", Static).content
        assert isinstance(table, Table) and table.row_count == 2
        console = Console(width=80, record=True)
        console.print(table)
        text = console.export_text()
        assert "fundamentals" in text and "25%" in text and "1/4" in text and "█" in text
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, StatsScreen)
    store.close()


async def test_function_keys_open_review_stats_and_a_mock_from_practice(tmp_path: Path) -> None:
    """F3, F4 and F5 on the home screen open review, stats and a mock interview (after its set-up)."""
    from quizapp.tui.screens.mock import MockScreen
    from quizapp.tui.screens.mock_setup import MockSetupScreen

    store = _store(tmp_path)
    app = QuizApp(bank=BANK, store=store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("escape", "f4")
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen)
        await pilot.press("escape", "f5")
        await pilot.pause()
        assert isinstance(app.screen, MockSetupScreen)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, MockScreen)
    store.close()


async def test_review_and_stats_are_locked_during_a_mock(tmp_path: Path) -> None:
    """While a mock interview runs, F3/F4 do nothing: they could open model answers."""
    from quizapp.tui.screens.mock import MockScreen

    store = _store(tmp_path)
    app = QuizApp(bank=BANK, store=store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("f5")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, MockScreen)
        await pilot.press("f3", "f4", "f5")
        await pilot.pause()
        assert isinstance(app.screen, MockScreen)
    store.close()
