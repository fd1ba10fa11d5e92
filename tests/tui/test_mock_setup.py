"""Asking before a mock interview starts: F5's set-up dialog, and `quizapp mock` flags that disagree
with a paused interview (resume / discard and start / cancel; a new interview gets a new id)."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import Button, Input, Static

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures" / "mock"))

from mockkit import StubGrader, bank

from quizapp.cli import mock as mock_cli
from quizapp.mock import store as mock_store
from quizapp.mock.launch import MockRequest, start_interview
from quizapp.progress import Store
from quizapp.tui.app import QuizApp
from quizapp.tui.screens.mock import MockScreen
from quizapp.tui.screens.mock_setup import MockLauncher, MockSetupScreen

BANK = bank()
SIZE = (100, 30)


def _paused(home: Path, **request: object) -> int:
    with Store.open(home) as store:
        return start_interview(store, BANK, MockRequest(**request))[0]  # type: ignore[arg-type]


@contextlib.asynccontextmanager
async def _f5_dialog(home: Path) -> AsyncIterator[tuple[QuizApp, Pilot[int]]]:
    """The practice app with F5's set-up dialog open; its store is closed after."""
    store = Store.open(home)
    app = QuizApp(bank=BANK, store=store, grader_factory=lambda d: StubGrader())
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press("f5")
            await pilot.pause()
            yield app, pilot
    finally:
        store.close()


def _launcher_app(home: Path, request: MockRequest) -> tuple[Store, QuizApp, list[int]]:
    """The app as `quizapp mock` opens it when its flags disagree: the launcher as the mode's base."""
    store = Store.open(home)
    launched: list[int] = []
    app = QuizApp(bank=BANK, store=store, grader_factory=lambda d: StubGrader(), initial_mode="mock")
    app.add_mode("mock", lambda: MockLauncher(request, lambda i, s: launched.append(i)))
    return store, app, launched


async def test_f5_asks_first_with_the_defaults_filled_in(tmp_path: Path) -> None:
    """count 3 and an empty minutes field (the estimate) are filled in; the learner's count is used"""
    async with _f5_dialog(tmp_path) as (app, pilot):
        assert isinstance(app.screen, MockSetupScreen)
        count = app.screen.query_one("#setup-count", Input)
        assert count.value == "3" and app.screen.query_one("#setup-minutes", Input).value == ""
        count.value = "2"
        app.screen.query_one("#setup-minutes", Input).value = "4.5"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, MockScreen)
        assert len(app.screen.session.question_ids) == 2 and app.screen.session.plan.minutes == 4.5


async def test_keys_that_arrive_together_are_applied_in_order(tmp_path: Path) -> None:
    """backspace, 1, ctrl+s sent at once (as tmux or a fast typist does) start a 1-question interview:
    the backspace is not left behind the 1 (Textual ran bound keys only after they reached the app)"""
    async with _f5_dialog(tmp_path) as (app, pilot):
        assert app.screen.query_one("#setup-count", Input).has_focus
        for key, character in (("backspace", None), ("1", "1"), ("ctrl+s", None)):
            app.post_message(events.Key(key, character))
        await pilot.pause()
        assert isinstance(app.screen, MockScreen)
        assert len(app.screen.session.question_ids) == 1


async def test_a_bad_count_is_explained_and_nothing_starts(tmp_path: Path) -> None:
    """0 questions stays in the dialog with a sentence saying why"""
    async with _f5_dialog(tmp_path) as (app, pilot):
        app.screen.query_one("#setup-count", Input).value = "0"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, MockSetupScreen)
        assert "at least one question" in str(app.screen.query_one("#setup-error", Static).render())
        assert mock_store.history(app.store) == []


async def test_f5_with_a_paused_interview_offers_resume_first(tmp_path: Path) -> None:
    """the paused interview is named; Enter on the focused Resume button resumes the same id"""
    first = _paused(tmp_path, count=2, seed=1)
    async with _f5_dialog(tmp_path) as (app, pilot):
        text = str(app.screen.query_one("#setup-paused", Static).render())
        assert f"interview #{first}: 2 questions" in text
        assert app.screen.focused is app.screen.query_one("#setup-resume", Button)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MockScreen) and app.screen.session_id == first


async def test_disagreeing_flags_ask_and_discard_and_start_gives_a_new_id(tmp_path: Path) -> None:
    """`quizapp mock --count 3 --minutes 3 --seed 1` against a paused 2-question interview"""
    first = _paused(tmp_path, count=2, seed=4)
    store, app, launched = _launcher_app(tmp_path, MockRequest(count=3, minutes=3, seed=1))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, MockSetupScreen)
        text = str(app.screen.query_one("#setup-paused", Static).render())
        assert "You asked for 3 questions (it has 2); 3 minutes" in text and "seed 1 (it has 4)" in text
        assert app.screen.query_one("#setup-count", Input).value == "3"
        await pilot.click("#setup-start")
        await pilot.pause()
        assert isinstance(app.screen, MockScreen)
        assert launched == [app.screen.session_id] and launched[0] != first
        assert app.screen.session.plan.seed == 1 and len(app.screen.session.question_ids) == 3
        assert mock_store.get_session(store, first).status == "discarded"  # type: ignore[union-attr]
    store.close()


async def test_cancel_from_the_cli_dialog_exits_and_keeps_the_paused_one(tmp_path: Path) -> None:
    """Esc exits `quizapp mock` without starting or discarding anything"""
    first = _paused(tmp_path, count=2, seed=4)
    store, app, launched = _launcher_app(tmp_path, MockRequest(count=3))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
    assert launched == [] and app.return_code == 0
    assert mock_store.unfinished_session(store).id == first  # type: ignore[union-attr]
    store.close()


class _NoApp:
    """Stands in for `_run_app`: records the screen the CLI would open, runs nothing."""

    def __init__(self) -> None:
        self.first: object = None

    def __call__(self, bank: object, store: object, first: object, grader_factory: object) -> int:
        self.first = first
        return 0


@pytest.fixture
def no_app(monkeypatch: pytest.MonkeyPatch) -> _NoApp:
    fake = _NoApp()
    monkeypatch.setattr(mock_cli, "_run_app", fake)
    return fake


def test_cli_flags_that_agree_resume_without_asking(tmp_path: Path, no_app: _NoApp,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """plain `quizapp mock`, or flags the paused one already has, resume it"""
    first = _paused(tmp_path, count=2, seed=4)
    for kwargs in ({}, {"count": 2, "seed": 4}):
        assert mock_cli.mock_main(mock_cli_bank(), home=tmp_path, **kwargs) == 0  # type: ignore[arg-type]
        assert isinstance(no_app.first, MockScreen) and no_app.first.session_id == first
        assert f"Resuming mock interview #{first}" in capsys.readouterr().out


def test_cli_flags_that_disagree_open_the_question(tmp_path: Path, no_app: _NoApp,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """the app opens on the dialog; closing it without a choice says the old one is still paused"""
    first = _paused(tmp_path, count=2, seed=4)
    assert mock_cli.mock_main(mock_cli_bank(), count=3, minutes=3, seed=1, home=tmp_path) == 0
    assert isinstance(no_app.first, MockLauncher)
    assert f"Nothing started; interview #{first}: 2 questions" in capsys.readouterr().out


def test_cli_new_says_what_it_discards_before_starting(tmp_path: Path, no_app: _NoApp,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    """`--new` names the discarded interview and starts one with a new id"""
    first = _paused(tmp_path, count=2, seed=4)
    assert mock_cli.mock_main(mock_cli_bank(), count=3, seed=1, home=tmp_path, new=True) == 0
    out = capsys.readouterr().out
    assert f"Discarding interview #{first}: 2 questions, " in out and "0 answered" in out
    assert isinstance(no_app.first, MockScreen) and no_app.first.session_id != first
    with Store.open(tmp_path) as store:
        assert mock_store.get_session(store, first).status == "discarded"  # type: ignore[union-attr]


def mock_cli_bank() -> Path:
    from mockkit import BANK_DIR

    return BANK_DIR
