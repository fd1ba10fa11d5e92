"""Provides `QuestionTable`: the question list, whose title column takes the width the others leave."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual import events
from textual.widgets import DataTable

STATUS_STYLE = {"new": "dim", "attempted": "yellow", "solved": "bold green", "due": "bold cyan"}
COLUMNS = {"topic": ("Topic", 16), "difficulty": ("Level", 6), "kind": ("Kind", 6), "status": ("Status", 9)}
"""Fixed-width columns after the title."""

Row = tuple[str, str, str, str, str, str]
"""id, title, topic, difficulty, kind, status."""


class QuestionTable(DataTable[Any]):
    """One row per question, keyed by id; `show(rows)` replaces them and keeps the cursor's question."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._rows: list[Row] = []
        self._title_width = 0

    def on_mount(self) -> None:
        self._fit_columns()

    def on_resize(self, event: events.Resize) -> None:
        if self._fit_columns():
            self.show(self._rows)

    def _fit_columns(self) -> bool:
        """Rebuild the columns when the title's share of the width changed; True if it did."""
        padding = 2 * self.cell_padding
        others = sum(width + padding for _, width in COLUMNS.values())
        title = min(72, max(16, self.size.width - others - padding - 2))
        if title == self._title_width and self.columns:
            return False
        self._title_width = title
        self.clear(columns=True)
        self.add_column("Title", width=title, key="title")
        for key, (label, width) in COLUMNS.items():
            self.add_column(label, width=width, key=key)
        return True

    @property
    def selected_id(self) -> str | None:
        """The question id under the cursor."""
        if not self.row_count:
            return None
        value = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        return str(value) if value is not None else None

    def show(self, rows: Sequence[Row]) -> None:
        """Replace the rows."""
        keep = self.selected_id
        if self.size.width:
            self._fit_columns()
        self._rows = list(rows)
        self.clear()
        for qid, title, topic, difficulty, kind, status in rows:
            self.add_row(Text(title, overflow="ellipsis", no_wrap=True), topic, difficulty, kind,
                         Text(status, style=STATUS_STYLE.get(status, "")), key=qid)
        if keep is not None and keep in self.rows:
            self.move_cursor(row=self.get_row_index(keep), animate=False)
