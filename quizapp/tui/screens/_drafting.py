"""Provides `DraftSaver`: keeps an editor's text in the store so that a crash loses under a second.

Why a throttle and not a debounce: a debounce that restarts at every keystroke never fires while
the learner types steadily; here the first unsaved change starts a `DELAY_S` timer and the save
takes whatever the text is then, so continuous typing is saved every `DELAY_S` seconds.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.timer import Timer
from textual.widget import Widget

from quizapp.progress import Store

DELAY_S = 0.5


class DraftSaver:
    """Saves `get_text()` as the question's draft at most `delay_s` after each change."""

    def __init__(self, owner: Widget, store: Store, question_id: str, get_text: Callable[[], str],
                 initial: str, *, delay_s: float = DELAY_S) -> None:
        self._owner = owner
        self._store = store
        self._question_id = question_id
        self._get_text = get_text
        self._saved = initial
        self._delay_s = delay_s
        self._timer: Timer | None = None

    def changed(self) -> None:
        """Call on every edit: schedules a save unless one is already pending."""
        if self._timer is None and self._get_text() != self._saved:
            self._timer = self._owner.set_timer(self._delay_s, self.flush)

    def flush(self) -> None:
        """Save now if the text differs from what was last saved (before grading, leaving, quitting)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        text = self._get_text()
        if text != self._saved:
            self._store.save_draft(self._question_id, text)
            self._saved = text
