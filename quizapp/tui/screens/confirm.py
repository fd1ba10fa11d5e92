"""Provides `ConfirmScreen`: a yes/no modal that returns its answer through `dismiss`."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label


class ConfirmScreen(ModalScreen[bool]):
    """Asks one question; dismisses with True (y / the confirm button) or False (n / escape)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, question: str, detail: str = "", *, confirm: str = "Yes", cancel: str = "No") -> None:
        super().__init__()
        self._question = question
        self._detail = detail
        self._confirm = confirm
        self._cancel = cancel

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog"):
            yield Label(self._question, id="confirm-question")
            if self._detail:
                yield Label(self._detail, id="confirm-detail")
            with Horizontal(id="confirm-buttons"):
                yield Button(f"{self._confirm} (y)", variant="warning", id="confirm-yes")
                yield Button(f"{self._cancel} (n)", variant="primary", id="confirm-no")

    def on_mount(self) -> None:
        self.query_one("#confirm-no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm-yes")

    def action_answer(self, value: bool) -> None:
        """Close the dialog with `value`."""
        self.dismiss(value)
