"""The footer (`quizapp.tui.widgets.footer`): rebuilt only when the keys it shows change, and every
screen's keys shown in full at 80 columns."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Button, Static
from textual.widgets._footer import FooterKey

from quizapp.tui.app import QuizApp
from quizapp.tui.widgets.footer import Footer

from .test_snapshots import _mock_app


class Keyed(Static, can_focus=True):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("x", "app.bell", "Extra")]


class Demo(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("f3", "app.bell", "Review")]

    def compose(self) -> ComposeResult:
        yield Button("a", id="a")
        yield Button("b", id="b")
        yield Keyed("k", id="k")
        yield Footer()


def _keys(app: Demo) -> list[FooterKey]:
    return list(app.query(FooterKey))


async def test_the_footer_is_rebuilt_when_its_keys_change_and_only_then() -> None:
    app = Demo()
    async with app.run_test(size=(80, 10)) as pilot:
        app.query_one("#a", Button).focus()
        await pilot.pause()
        shown = _keys(app)
        assert "Review" in [k.description for k in shown]
        app.query_one("#b", Button).focus()  # same bindings: the same keys stay mounted
        await pilot.pause()
        assert _keys(app) == shown and all(a is b for a, b in zip(_keys(app), shown, strict=True))
        app.query_one("#k", Keyed).focus()  # one more binding: rebuilt, and it shows
        await pilot.pause()
        assert [k.description for k in _keys(app)].count("Extra") == 1
        app.query_one("#a", Button).focus()
        await pilot.pause()
        assert "Extra" not in [k.description for k in _keys(app)]


def _fits(app: App[Any], width: int) -> list[str]:
    """The footer's keys cut off, or missing, at this width (none is the goal)."""
    footer = app.screen.query_one(Footer)
    keys = [k for k in footer.query(FooterKey) if "-command-palette" not in k.classes]
    shown = {b.description for (_, b, _, _) in app.screen.active_bindings.values() if b.show}
    missing = sorted(shown - {k.description for k in keys})
    cut = [k.description for k in keys if k.region.width < k.outer_size.width or k.region.right > width]
    return missing + cut


@pytest.mark.parametrize("question", [None, "soft-threshold", "dropout-at-test-time", "why-weight-decay", "f3",
                                      "f4", "f2"])
async def test_every_key_of_a_screen_shows_at_80_columns(make_app: Callable[..., QuizApp],
                                                         question: str | None) -> None:
    """the question list, the code, choice and short screens, review, stats and settings: no key is cut
    off (the code screen's `f6 Answer` was), the footer being compact under 100 columns"""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        if question in ("f2", "f3", "f4"):
            first = app.screen
            await pilot.press(question)
            await pilot.pause()
            assert app.screen is not first, f"{question} opened no screen"
        elif question is not None:
            app.open_question(question)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert _fits(app, 80) == []
        assert app.screen.query_one(Footer).compact


@pytest.mark.parametrize("question", [0, 1], ids=["code", "choice"])
async def test_every_key_of_the_mock_shows_at_80_columns(tmp_path: Path, question: int) -> None:
    app = _mock_app(tmp_path)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            if question:
                await pilot.press("ctrl+n")
            await pilot.pause()
            assert _fits(app, 80) == []
    finally:
        app.store.close()


async def test_at_120_columns_the_footer_has_its_spacing_and_the_palette_key(make_app: Callable[..., QuizApp]) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(Footer)
        assert not footer.compact and footer.query(".-command-palette")
        assert _fits(app, 120) == []
