"""Provides `Footer`: Textual's footer, recomposed only when the keys it shows change, and compact
(without the command palette's key, which still works) in a terminal under 100 columns.

Textual's `Footer` rebuilds all its keys each time the screen says its bindings may have changed: on
every focus change, screen change and idle callback, changed or not. Mounting a dozen `FooterKey`s is
the dearest thing the question list's first frame did (three rebuilds, about a quarter of the time to
the list; `benchmarks/startup_speed.py`), and every focus change in the editor paid it again. This
subclass compares what `compose` would show with what it showed last, and rebuilds only on a change.

At 80 columns Textual's spacing and the palette's key cut the last keys off (the code screen lost
"f6 Answer"); compact, every screen's own keys fit (tests/tui/test_footer.py checks each screen).
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.widgets import Footer as TextualFooter

NARROW = 100
"""Below this many columns the footer is compact and leaves out the command palette's key."""


class Footer(TextualFooter):
    """A `textual.widgets.Footer` that skips a rebuild which would show the same keys."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._composed: tuple[object, ...] | None = None

    def _shown(self) -> tuple[object, ...]:
        """Everything `Footer.compose` reads: the shown bindings with their state, and the options."""
        bindings = tuple((binding, enabled, tooltip)
                         for (_, binding, enabled, tooltip) in self.screen.active_bindings.values()
                         if binding.show)
        ready = getattr(self, "_bindings_ready", True)  # Textual's own flag: compose shows nothing until set
        return (ready, self.compact, self.show_command_palette, self.combine_groups, bindings)

    def on_resize(self, event: events.Resize) -> None:
        narrow = self.app.size.width < NARROW
        self.compact = narrow
        if self.show_command_palette == narrow:
            self.show_command_palette = not narrow
            self.call_after_refresh(self.recompose)

    async def recompose(self) -> None:
        if not self.is_attached:
            return
        shown = self._shown()
        if shown == self._composed:
            return
        self._composed = shown
        await super().recompose()
