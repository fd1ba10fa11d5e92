"""The footer rebuilds its keys only when the keys it shows change (`quizapp.tui.widgets.footer`)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Button, Static
from textual.widgets._footer import FooterKey

from quizapp.tui.widgets.footer import Footer


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
