"""App-level behaviour: extra modes (the mock interview's extension point), run()'s exit status."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

import pytest
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Label

from quizapp.progress import MIGRATIONS, Store, StoreError
from quizapp.tui import app as app_module
from quizapp.tui.app import QuizApp
from quizapp.tui.screens.browse import BrowseScreen
from quizapp.tui.screens.settings import SettingsScreen

from .conftest import SIZE


class MockScreen(Screen[None]):
    def compose(self) -> ComposeResult:
        yield Label(f"mock with {len(self.app.bank or [])} questions", id="mock-label")  # type: ignore[attr-defined]


class MockApp(QuizApp):
    MODES: ClassVar[dict[str, Any]] = {**QuizApp.MODES, "mock": MockScreen}


async def test_another_mode_can_be_added_and_started_in(make_app: Callable[..., QuizApp], bank: Any,
                                                       factory: Any, home: Path) -> None:
    app = MockApp(bank=bank, home=home, grader_factory=factory, initial_mode="mock")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, MockScreen)
        assert "mock with 3 questions" in str(app.screen.query_one("#mock-label", Label).render())
        await app.switch_mode("practice")
        await pilot.pause()
        assert isinstance(app.screen, BrowseScreen)
    app.shutdown()


async def test_settings_from_the_command_palette(make_app: Callable[..., QuizApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p", *"settings")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)


def test_run_refuses_a_store_from_a_newer_quizapp(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from quizapp.cli import main

    Store.open(tmp_path).close()
    conn = sqlite3.connect(tmp_path / "progress.db")
    conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    conn.close()
    with pytest.raises(StoreError, match="newer quizapp"):
        app_module.run(None, tmp_path)
    monkeypatch.setenv("QUIZAPP_HOME", str(tmp_path))
    assert main([]) == 2
    err = capsys.readouterr().err
    assert err.startswith("quizapp: error: ") and "newer quizapp" in err
