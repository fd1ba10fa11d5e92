"""Provides `Input`, Textual's single-line input whose own key bindings keep their place among typed keys.

Textual inserts a typed character as soon as the focused `Input` or `TextArea` sees its key, but a
bound key (backspace, delete, the arrows, ctrl+k…) first travels up to the app, which then runs the
binding. Keys that arrive together, as from a fast typist, a terminal multiplexer or a test driving
the app, are then applied out of order: backspace, `1`, ctrl+s in the mock set-up started an
interview with the old count, the `1` having been inserted before the backspace ran and then deleted
by it. Textual issue 6605; pull request 6631 (open) runs the widget's own bindings inline in the same
way, and this module can go once that is released.
"""

from __future__ import annotations

from textual import events
from textual.widget import Widget
from textual.widgets import Input as TextualInput


async def run_own_binding(widget: Widget, event: events.Key) -> bool:
    """Run `widget`'s own (non-priority) binding for this key now; True when one ran. Priority bindings
    were tried before the key reached the widget, and the widget is the first place the app looks for
    the others, so what runs is what would have run, only without the detour."""
    for binding in widget._bindings.key_to_bindings.get(event.key, ()):
        if not binding.priority and await widget.app.run_action(binding.action, widget):
            event.stop()
            event.prevent_default()
            return True
    return False


class Input(TextualInput):
    """A `textual.widgets.Input` whose editing keys are applied in the order they were pressed."""

    async def _on_key(self, event: events.Key) -> None:
        await run_own_binding(self, event)  # when none ran, Textual's Input handles the key next
