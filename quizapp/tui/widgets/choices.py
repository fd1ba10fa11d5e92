"""Provides `WrappingSelectionList`: a `SelectionList` whose options wrap instead of being cut.

Textual's `SelectionList` renders every option on one line (ellipsis), and its checkbox gutter assumes
one line per option. The words that decide whether an option is right are often at its end, so here
options wrap: the checkbox is drawn on an option's first line and its continuation lines are indented.
"""

from __future__ import annotations

from typing import TypeVar

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Size
from textual.strip import Strip
from textual.widgets import SelectionList
from textual.widgets._toggle_button import ToggleButton

T = TypeVar("T")


class WrappingSelectionList(SelectionList[T]):
    """A selection list whose long options wrap onto several lines."""

    DEFAULT_CSS = """
    WrappingSelectionList {
        text-wrap: wrap;
        text-overflow: fold;
    }
    """

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        # OptionList measures the text at the full width; the checkbox gutter takes some of it.
        return super().get_content_height(container, viewport, width - self._get_left_gutter_width())

    def render_line(self, y: int) -> Strip:
        line = super(SelectionList, self).render_line(y)  # the option's text, without a gutter
        try:
            index, offset = self._lines[self.scroll_offset.y + y]
            selection = self.get_option_at_index(index)
        except IndexError:
            return line
        underlying = next(iter(line)).style if line.cell_length else None
        underlying = underlying or self.rich_style
        gutter_width = self._get_left_gutter_width()
        if offset:
            return Strip([Segment(" " * gutter_width, underlying), *line])
        component = "selection-list--button"
        if selection.value in self._selected:
            component += "-selected"
        if self.highlighted == index:
            component += "-highlighted"
        button = self.get_component_rich_style(component) + Style(meta={"option": index})
        side = Style.from_color(button.bgcolor, underlying.bgcolor) + Style(meta={"option": index})
        return Strip([
            Segment(ToggleButton.BUTTON_LEFT, side),
            Segment(ToggleButton.BUTTON_INNER, button),
            Segment(ToggleButton.BUTTON_RIGHT, side),
            Segment(" ", underlying),
            *line,
        ])
