"""Settings: device, editor theme and external editor are saved to the store as they change."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import Input, Select, TextArea

from quizapp.tui.app import QuizApp
from quizapp.tui.screens.browse import BrowseScreen
from quizapp.tui.screens.settings import SettingsScreen

from .conftest import SIZE, FakeFactory


async def test_settings_persist_and_apply(make_app: Callable[..., QuizApp], factory: FakeFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SettingsScreen)
        assert screen.query_one("#device-select", Select).value == "auto"
        await pilot.press("enter", "down", "enter")  # auto -> cpu, with the keyboard
        await pilot.pause()
        assert app.store.get_setting("device") == "cpu"
        screen.query_one("#theme-select", Select).value = "dracula"
        await pilot.pause()
        await pilot.click("#editor-input")
        await pilot.press(*"nano -w")
        await pilot.pause()
        assert app.store.settings() == {"device": "cpu", "editor_theme": "dracula", "editor": "nano -w"}
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, BrowseScreen)
        app.open_question("soft-threshold")
        await pilot.pause()
        assert app.screen.query_one("#editor", TextArea).theme == "dracula"
        await app.workers.wait_for_complete()
        assert factory.last.device == "cpu"
        assert app.editor_command() == "nano -w"
    app2 = make_app()
    async with app2.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app2.action_settings()
        await pilot.pause()
        assert app2.screen.query_one("#device-select", Select).value == "cpu"
        assert app2.screen.query_one("#editor-input", Input).value == "nano -w"


async def test_theme_change_applies_to_an_open_editor(make_app: Callable[..., QuizApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.open_question("soft-threshold")
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        app.screen.query_one("#theme-select", Select).value = "github_light"
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.query_one("#editor", TextArea).theme == "github_light"


async def test_unknown_stored_theme_falls_back(make_app: Callable[..., QuizApp]) -> None:
    app = make_app()
    app.set_setting("editor_theme", "no-such-theme")
    assert app.editor_theme == "monokai"
