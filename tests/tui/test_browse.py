"""The question list: rows and statuses, filters, the per-topic summary, fuzzy search, opening."""

from __future__ import annotations

from collections.abc import Callable

from textual.command import CommandPalette
from textual.widgets import Select

from quizapp.tui.app import QuizApp
from quizapp.tui.screens.browse import BrowseScreen
from quizapp.tui.screens.choice import ChoiceQuestionScreen
from quizapp.tui.screens.code import CodeQuestionScreen
from quizapp.tui.widgets.question_table import QuestionTable
from quizapp.tui.widgets.topic_summary import TopicSummary

from .conftest import SIZE


def _rows(app: QuizApp) -> dict[str, str]:
    table = app.screen.query_one(QuestionTable)
    return {str(key.value): str(table.get_row(key)[4]) for key in table.rows}


async def test_lists_every_question_with_its_status(make_app: Callable[..., QuizApp]) -> None:
    app = make_app()
    app.store.record_attempt("dropout-at-test-time", "choice", status="passed")
    app.store.save_draft("soft-threshold", "started")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, BrowseScreen)
        assert _rows(app) == {"dropout-at-test-time": "solved", "why-weight-decay": "new",
                              "soft-threshold": "attempted"}
        summary = str(app.screen.query_one(TopicSummary).render())
        assert "fundamentals 1/2" in summary and "sparsity 0/1" in summary
        assert app.first_screen_at is not None


async def test_filters_narrow_the_list(make_app: Callable[..., QuizApp]) -> None:
    app = make_app()
    app.store.record_attempt("dropout-at-test-time", "choice", status="passed")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        screen.query_one("#kind-filter", Select).value = "code"
        await pilot.pause()
        assert list(_rows(app)) == ["soft-threshold"]
        screen.query_one("#kind-filter", Select).clear()
        screen.query_one("#status-filter", Select).value = "solved"
        await pilot.pause()
        assert list(_rows(app)) == ["dropout-at-test-time"]
        screen.query_one("#status-filter", Select).clear()
        screen.query_one("#tag-filter", Select).value = "weight-decay"
        await pilot.pause()
        assert list(_rows(app)) == ["why-weight-decay"]
        screen.query_one("#tag-filter", Select).clear()
        screen.query_one("#topic-filter", Select).value = "sparsity"
        screen.query_one("#difficulty-filter", Select).value = "hard"
        await pilot.pause()
        assert _rows(app) == {}
        assert "No question matches" in str(screen.query_one("#browse-note").render())


async def test_filter_chosen_with_the_keyboard(make_app: Callable[..., QuizApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.screen.query_one("#difficulty-filter", Select).focus()
        await pilot.press("enter", "down", "down", "enter")  # blank, easy, medium
        await pilot.pause()
        assert app.screen.query_one("#difficulty-filter", Select).value == "medium"
        assert list(_rows(app)) == ["why-weight-decay"]


async def test_enter_opens_the_question_under_the_cursor(make_app: Callable[..., QuizApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")  # first row: the choice question
        await pilot.pause()
        assert isinstance(app.screen, ChoiceQuestionScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, CodeQuestionScreen)
        assert app.screen.question.id == "soft-threshold"


async def test_command_palette_fuzzy_finds_and_opens_a_question(make_app: Callable[..., QuizApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("slash")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"sftthr")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CodeQuestionScreen)
        assert app.screen.question.id == "soft-threshold"


async def test_statuses_refresh_when_coming_back(make_app: Callable[..., QuizApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.open_question("dropout-at-test-time")
        await pilot.pause()
        await pilot.press("enter")  # the first option is the right one
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert _rows(app)["dropout-at-test-time"] == "solved"


async def test_background_bank_load_with_a_broken_file(tmp_path, home, factory) -> None:  # type: ignore[no-untyped-def]
    import shutil

    from .conftest import BANK

    bank_dir = tmp_path / "bank"
    shutil.copytree(BANK, bank_dir)
    (bank_dir / "sparsity" / "broken.yaml").write_text("format_version: 1\nid: broken\n")
    app = QuizApp(bank_dir, home, grader_factory=factory)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert set(_rows(app)) == {"dropout-at-test-time", "why-weight-decay", "soft-threshold"}
        assert app.bank_problems and "broken.yaml" in app.bank_problems[0]
        assert any("skipped" in (n.title or "") for n in app._notifications)
    app.shutdown()


async def test_solved_questions_are_reviewed_and_fall_due(make_app: Callable[..., QuizApp], clock) -> None:  # type: ignore[no-untyped-def]
    import importlib.util

    import pytest

    if importlib.util.find_spec("quizapp.mock.store") is None:
        pytest.skip("review scheduling (quizapp.mock.store) is not available")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.open_question("dropout-at-test-time")
        await pilot.pause()
        await pilot.press("enter")  # right answer: the card is reviewed as Good
        await pilot.pause()
        assert app.store.query("SELECT question_id FROM review_cards")[0][0] == "dropout-at-test-time"
        clock.now += 90 * 86400
        app.refresh_due()
        await pilot.press("escape")
        await pilot.pause()
        assert _rows(app)["dropout-at-test-time"] == "due"


async def test_the_list_shows_from_the_index_before_the_bank_loads(tmp_path, home, factory,  # type: ignore[no-untyped-def]
                                                                    monkeypatch) -> None:
    """with a current index the rows are on screen before any YAML is read; the bank replaces them"""
    import shutil
    from dataclasses import replace

    from quizapp.bank import load_bank
    from quizapp.bank_index import IndexEntry, files_key, write_index
    from quizapp.paths import cache_dir

    from .conftest import BANK

    bank_dir = tmp_path / "bank"
    shutil.copytree(BANK, bank_dir)
    entries = [IndexEntry.of(q) for q in load_bank(bank_dir).values()]
    entries.sort(key=lambda e: e.kind != "code")  # a code question first: it stays listed under the filter
    entries[0] = replace(entries[0], title="Title from the index")  # tells the two sources apart
    write_index(bank_dir, cache_dir(), entries, files_key(bank_dir))
    started: list[bool] = []
    monkeypatch.setattr(QuizApp, "_start_bank_load", lambda self: started.append(True))
    app = QuizApp(bank_dir, home, grader_factory=factory)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.bank is None and started, "the list's screen asks for the bank once it is drawn"
        table = app.screen.query_one(QuestionTable)
        assert str(table.get_row(entries[0].id)[0]) == "Title from the index"
        kind = app.screen.query_one("#kind-filter", Select)  # mounted once the rows were drawn
        kind.value = "code"
        await pilot.pause()
        codes = sorted(e.id for e in entries if e.kind == "code")
        assert sorted(_rows(app)) == codes
        monkeypatch.undo()
        app._bank_load_started = False
        app._start_bank_load()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.bank is not None and str(table.get_row(entries[0].id)[0]) != "Title from the index"
        assert kind.value == "code" and sorted(_rows(app)) == codes, "the bank's rows keep the learner's filter"
    app.shutdown()
