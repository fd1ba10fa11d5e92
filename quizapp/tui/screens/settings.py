"""Provides `SettingsScreen`: grading device, editor theme and external editor, saved as they change."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Label, Select
from textual.widgets.text_area import TextAreaTheme

from quizapp.tui.widgets.footer import Footer
from quizapp.tui.widgets.ordered_keys import Input

if TYPE_CHECKING:
    from quizapp.tui.app import QuizApp

DEVICES = [("Auto (CUDA when available)", "auto"), ("CPU", "cpu"), ("CUDA", "cuda")]


def editor_themes() -> list[str]:
    """The code editor's built-in themes."""
    return sorted(t.name for t in TextAreaTheme.builtin_themes())


class SettingsScreen(Screen[None]):
    """Each change is written to the progress store at once."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "app.pop_screen", "Back")]

    app: QuizApp  # type: ignore[assignment]

    def compose(self) -> ComposeResult:
        app = self.app
        yield Header()
        with VerticalScroll(id="settings-body"):
            yield Label("Grading device", classes="section")
            yield Select(DEVICES, value=app.device, allow_blank=False, id="device-select")
            yield Label("Code editor theme", classes="section")
            yield Select([(t, t) for t in editor_themes()], value=app.editor_theme, allow_blank=False,
                         id="theme-select")
            yield Label("External editor for ctrl+o (a command; the file name is appended)",
                        classes="section")
            default = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
            yield Input(app.store.get_setting("editor", "") or "", placeholder=f"default: {default}",
                        id="editor-input")
            yield Label("Settings are saved as you change them. esc goes back.", id="settings-note")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Settings"
        self.sub_title = ""
        self.query_one("#device-select").focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        if event.value is Select.NULL:
            return
        key = {"device-select": "device", "theme-select": "editor_theme"}.get(event.select.id or "")
        if key is not None:
            self.app.set_setting(key, event.value)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if event.input.id == "editor-input":
            self.app.set_setting("editor", event.value.strip())
