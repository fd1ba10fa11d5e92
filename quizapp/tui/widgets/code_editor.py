"""Provides `CodeEditor`, a Python editor that types like VS Code, and `EditorPanel`: the editor with a
find / go-to-line bar and a status line showing the cursor's line and column.

`CodeEditor` is Textual's own `TextArea` (as `TextArea.code_editor` builds it) with the editing rules a
Python editor has: Enter keeps the indentation, adds a level after a line ending in `:` or an opening
bracket and removes one after `return`, `pass`, `raise`, `break` and `continue`; Backspace in leading
whitespace removes one indent level; Tab and Shift+Tab indent and dedent the selected lines; Ctrl+/
toggles `# ` comments; Ctrl+A selects everything; a paste is inserted verbatim; and the view scrolls
back to the left edge whenever the cursor fits there.

The indentation rules are plain functions (`code_part`, `next_indent`) so they can be tested alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import ClassVar, Literal

from textual import events, on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.geometry import Offset
from textual.widgets import Label, TextArea
from textual.widgets.text_area import Selection

from quizapp.tui.widgets.ordered_keys import Input, run_own_binding

DEDENT_AFTER = re.compile(r"\s*(?:return|pass|raise|break|continue)\b")
"""A line starting with one of these ends its block: the next line is one level shallower."""

BRACKETS = {"(": ")", "[": "]", "{": "}"}

KEYS_HINT = "^f find · ^g line · ^/ comment"
"""The status line's reminder of the editor keys the footer has no room for."""


def code_part(line: str) -> str:
    """`line` without its trailing `#` comment (a `#` inside a string literal is kept).

    A string left open at the end of the line (the first line of a docstring) runs to the end.
    """
    quote = ""
    i = 0
    while i < len(line):
        char = line[i]
        if quote:
            if char == "\\":
                i += 2
                continue
            if line.startswith(quote, i):
                i += len(quote)
                quote = ""
                continue
        elif char == "#":
            return line[:i]
        elif char in "'\"":
            quote = char * 3 if line.startswith(char * 3, i) else char
            i += len(quote)
            continue
        i += 1
    return line


def leading_whitespace(line: str) -> str:
    """The spaces and tabs a line starts with."""
    return line[: len(line) - len(line.lstrip(" \t"))]


def dedented(indent: str, width: int) -> str:
    """`indent` one level shallower: one tab, or back to the previous multiple of `width` spaces."""
    if indent.endswith("\t"):
        return indent[:-1]
    spaces = len(indent) - len(indent.rstrip(" "))
    return indent[: len(indent) - min(spaces, len(indent) % width or width)]


def next_indent(before: str, width: int) -> str:
    """The indentation Enter gives the new line, from the text before the cursor on the current line.

    One level deeper after a line ending in `:` or an opening bracket (a trailing comment is ignored),
    one level shallower after `return`/`pass`/`raise`/`break`/`continue`, otherwise the same.
    """
    indent = leading_whitespace(before)
    code = code_part(before).rstrip()
    if code.endswith(":") or (code and code[-1] in BRACKETS):
        return indent + ("\t" if indent.endswith("\t") else " " * width)
    if DEDENT_AFTER.match(code):
        return dedented(indent, width)
    return indent


def _shifted(column: int, prefix: int, delta: int) -> int:
    """Where a column lands when a line's text after `prefix` moves by `delta` (column 0 stays put)."""
    if column == 0 or column < prefix:
        return column
    return max(prefix, column + delta)


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


class CodeEditor(TextArea, inherit_bindings=False):
    """A Python editor with the keys of VS Code.

    The bindings are listed in full (Textual's `f6`/`f7` select-line/select-all and `ctrl+a` as line
    start are left out) so that screens can bind `f6` and the editor never swallows it. Enter and Tab
    are handled in `_on_key`, as `TextArea` does.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor_up", "Cursor up", show=False),
        Binding("down", "cursor_down", "Cursor down", show=False),
        Binding("left", "cursor_left", "Cursor left", show=False),
        Binding("right", "cursor_right", "Cursor right", show=False),
        Binding("ctrl+left", "cursor_word_left", "Cursor word left", show=False),
        Binding("ctrl+right", "cursor_word_right", "Cursor word right", show=False),
        Binding("home", "cursor_line_start", "Cursor line start", show=False),
        Binding("end,ctrl+e", "cursor_line_end", "Cursor line end", show=False),
        Binding("ctrl+home", "cursor_document_start", "Cursor document start", show=False),
        Binding("ctrl+end", "cursor_document_end", "Cursor document end", show=False),
        Binding("pageup", "cursor_page_up", "Cursor page up", show=False),
        Binding("pagedown", "cursor_page_down", "Cursor page down", show=False),
        Binding("ctrl+shift+left", "cursor_word_left(True)", "Select word left", show=False),
        Binding("ctrl+shift+right", "cursor_word_right(True)", "Select word right", show=False),
        Binding("shift+home", "cursor_line_start(True)", "Select to line start", show=False),
        Binding("shift+end", "cursor_line_end(True)", "Select to line end", show=False),
        Binding("ctrl+shift+home", "cursor_document_start(True)", "Select to start", show=False),
        Binding("ctrl+shift+end", "cursor_document_end(True)", "Select to end", show=False),
        Binding("shift+up", "cursor_up(True)", "Select up", show=False),
        Binding("shift+down", "cursor_down(True)", "Select down", show=False),
        Binding("shift+left", "cursor_left(True)", "Select left", show=False),
        Binding("shift+right", "cursor_right(True)", "Select right", show=False),
        Binding("ctrl+a", "select_all", "Select all", show=False),
        Binding("shift+tab", "dedent", "Dedent", show=False),
        Binding("ctrl+slash,ctrl+underscore", "toggle_comment", "Toggle comment", show=False),
        Binding("backspace", "delete_left", "Delete left", show=False),
        Binding("ctrl+w,ctrl+backspace,alt+backspace", "delete_word_left", "Delete word left", show=False),
        Binding("delete,ctrl+d", "delete_right", "Delete right", show=False),
        Binding("alt+delete", "delete_word_right", "Delete word right", show=False),
        Binding("ctrl+x,super+x", "cut", "Cut", show=False),
        Binding("ctrl+c,super+c", "copy", "Copy", show=False),
        Binding("ctrl+v", "paste", "Paste", show=False),
        Binding("ctrl+u,super+backspace", "delete_to_start_of_line", "Delete to line start", show=False),
        Binding("ctrl+k", "delete_to_end_of_line_or_delete_line", "Delete to line end", show=False),
        Binding("ctrl+shift+k", "delete_line", "Delete line", show=False),
        Binding("ctrl+z,super+z", "undo", "Undo", show=False),
        Binding("ctrl+y,super+y", "redo", "Redo", show=False),
    ]

    # -- keys --------------------------------------------------------------------------------------

    async def _on_key(self, event: events.Key) -> None:
        if await run_own_binding(self, event):  # in order with the typing (see `ordered_keys`)
            return
        if not self.read_only and (event.key == "enter" or (event.key == "tab" and self.selected_text)):
            event.stop()
            event.prevent_default()
            self._restart_blink()
            if event.key == "enter":
                self.newline()
            else:
                self.action_indent()
            return
        await super()._on_key(event)

    async def _on_paste(self, event: events.Paste) -> None:
        """Insert the pasted text exactly as it is (its own indentation, one undo step)."""
        event.stop()
        event.prevent_default()
        if self.read_only:
            return
        text = event.text.replace("\r\n", "\n").replace("\r", "\n")
        self.history.checkpoint()
        result = self.replace(text, *self.selection, maintain_selection_offset=False)
        self.history.checkpoint()
        self.move_cursor(result.end_location)
        self.focus()

    def newline(self) -> None:
        """Enter: a new line indented by `next_indent`; whitespace before the cursor is not left behind."""
        start, end = sorted(self.selection)
        row, column = start
        line = self.document[row]
        before, after = line[:column], self.document[end[0]][end[1]:]
        width = self.indent_width
        if not before.strip():  # no whitespace is left behind on the line above
            if not after.strip():
                end = (end[0], len(self.document[end[0]]))
            self._edit("\n" + before, (row, 0), end, (row + 1, len(before)))
            return
        indent = next_indent(before, width)
        code = code_part(before).rstrip()
        closer = BRACKETS.get(code[-1:], "")
        rest = after.lstrip(" \t")
        if closer and rest.startswith(closer):  # `f(|)`: the closing bracket goes on a line of its own
            outer = leading_whitespace(line)
            end = (end[0], end[1] + len(after) - len(rest))
            self._edit(f"\n{indent}\n{outer}", start, end, (row + 1, len(indent)))
            return
        self._edit("\n" + indent, start, end, (row + 1, len(indent)))

    def _edit(self, text: str, start: tuple[int, int], end: tuple[int, int], cursor: tuple[int, int]) -> None:
        self.replace(text, start, end, maintain_selection_offset=False)
        self.move_cursor(cursor)

    def action_delete_left(self) -> None:
        """Backspace: in leading whitespace, back to the previous indent level; otherwise one character."""
        if self.read_only:
            return
        selection = self.selection
        row, column = selection.end
        before = self.document[row][:column]
        if selection.is_empty and before and not before.strip(" "):
            width = self.indent_width
            self.delete((row, column - (column % width or width)), (row, column), maintain_selection_offset=False)
            return
        super().action_delete_left()

    def action_cursor_document_start(self, select: bool = False) -> None:
        """Ctrl+Home: the start of the code."""
        self.move_cursor((0, 0), select=select)

    def action_cursor_document_end(self, select: bool = False) -> None:
        """Ctrl+End: the end of the code."""
        self.move_cursor(self.document.end, select=select)

    # -- line operations ---------------------------------------------------------------------------

    def selected_rows(self) -> range:
        """The rows the selection touches (a selection ending at column 0 leaves that row out)."""
        start, end = sorted(self.selection)
        last = end[0] - 1 if end[0] > start[0] and end[1] == 0 else end[0]
        return range(start[0], last + 1)

    def action_indent(self) -> None:
        """Tab on a selection: every selected line one level deeper (blank lines stay empty)."""
        width = self.indent_width
        rows = self.selected_rows()

        def indent(line: str) -> str:
            if not line.strip() and len(rows) > 1:
                return line
            if line.startswith("\t"):
                return "\t" + line
            spaces = len(leading_whitespace(line))
            return " " * (spaces // width * width + width) + line.lstrip(" ")

        self._rewrite_rows(rows, indent)

    def action_dedent(self) -> None:
        """Shift+Tab: the selected lines, or the cursor's line, one level shallower (in a read-only
        editor it moves the focus back, as elsewhere)."""
        if self.read_only:
            raise SkipAction()
        width = self.indent_width

        def dedent(line: str) -> str:
            indent = leading_whitespace(line)
            return dedented(indent, width) + line[len(indent):]

        self._rewrite_rows(self.selected_rows(), dedent)

    def action_toggle_comment(self) -> None:
        """Ctrl+/: comment the selected lines out with `# ` (at their common indentation), or back in."""
        rows = self.selected_rows()
        code = [self.document[row] for row in rows if self.document[row].strip()]
        if not code:
            return
        if all(line.lstrip().startswith("#") for line in code):
            self._rewrite_rows(rows, lambda line: re.sub(r"^(\s*)# ?", r"\1", line))
            return
        column = min(len(leading_whitespace(line)) for line in code)
        self._rewrite_rows(rows, lambda line: line[:column] + "# " + line[column:] if line.strip() else line)

    def _rewrite_rows(self, rows: range, rewrite: Callable[[str], str]) -> None:
        """Replace whole rows with `rewrite(line)` as one undo step; the selection follows the text."""
        if self.read_only:
            return
        document = self.document
        old = [document[row] for row in rows]
        new = [rewrite(line) for line in old]
        if new == old:
            return
        selection = self.selection

        def moved(location: tuple[int, int]) -> tuple[int, int]:
            row, column = location
            if row not in rows:
                return location
            before, after = old[row - rows.start], new[row - rows.start]
            return row, _shifted(column, _common_prefix(before, after), len(after) - len(before))

        self.history.checkpoint()
        self.replace("\n".join(new), (rows.start, 0), (rows.stop - 1, len(old[-1])))
        self.history.checkpoint()
        self.selection = Selection(moved(selection.start), moved(selection.end))

    # -- scrolling ---------------------------------------------------------------------------------

    def scroll_cursor_visible(self, center: bool = False, animate: bool = False) -> Offset:
        """Scroll the cursor into view, and all the way back left whenever the cursor fits there, so
        that the start of every line shows again after visiting a long one."""
        offset = super().scroll_cursor_visible(center=center, animate=animate)
        if not self.is_mounted or self.soft_wrap:
            return offset
        x, _ = self.wrapped_document.location_to_offset(self.cursor_location)
        if (self.scroll_x or offset.x) and x + 3 <= self.scrollable_content_region.width - self.gutter_width:
            self.scroll_to(x=0, animate=False)
        return offset


class EditorPanel(Vertical):
    """A `CodeEditor` (its `id` is `editor_id`), a find / go-to-line bar under it (hidden until
    ctrl+f or ctrl+g) and a status line with the cursor's line and column."""

    DEFAULT_CSS = """
    EditorPanel {
        height: 1fr;
    }
    EditorPanel > CodeEditor {
        height: 1fr;
    }
    EditorPanel > Input.editor-panel--bar {
        display: none;
        height: 1;
        border: none;
        padding: 0 1;
    }
    EditorPanel > Input.editor-panel--bar.-open {
        display: block;
    }
    EditorPanel > .editor-panel--status {
        height: 1;
        padding: 0 1;
        background: $panel;
        color: $text-muted;
    }
    EditorPanel .editor-panel--message {
        width: 1fr;
        height: 1;
    }
    EditorPanel .editor-panel--position {
        width: auto;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+f", "find", "Find", show=False),
        Binding("ctrl+g", "goto_line", "Go to line", show=False),
        Binding("escape", "close_bar", "Close", show=False),
    ]

    def __init__(self, text: str = "", *, editor_id: str, theme: str = "monokai", id: str | None = None) -> None:
        """
        Args:
            text: the code to start from.
            editor_id: the id of the `CodeEditor` inside.
            theme: a `TextArea` theme name.
            id: the panel's id.
        """
        super().__init__(id=id)
        self.editor = CodeEditor(text, language="python", theme=theme, soft_wrap=False, tab_behavior="indent",
                                 show_line_numbers=True, id=editor_id)
        self.bar = Input(classes="editor-panel--bar")
        self.message = Label(KEYS_HINT, classes="editor-panel--message")
        self.position = Label("Ln 1, Col 1", classes="editor-panel--position")
        self.mode: Literal["find", "goto"] | None = None
        self._query = ""

    def compose(self) -> ComposeResult:
        yield self.editor
        yield self.bar
        with Horizontal(classes="editor-panel--status"):
            yield self.message
            yield self.position

    def on_mount(self) -> None:
        self._show_position()

    @on(TextArea.SelectionChanged)
    def _show_position(self) -> None:
        row, column = self.editor.cursor_location
        selected = len(self.editor.selected_text)
        self.position.update(f"Ln {row + 1}, Col {column + 1}" + (f" ({selected} selected)" if selected else ""))

    # -- the bar -----------------------------------------------------------------------------------

    def action_find(self) -> None:
        """Ctrl+F: type text, Enter selects the next match (case-insensitive, wrapping around)."""
        selected = self.editor.selected_text
        if selected and "\n" not in selected:
            self._query = selected
        self._open("find", self._query, "Find: type, enter for the next match, esc to close")

    def action_goto_line(self) -> None:
        """Ctrl+G: type a line number (or line:column), Enter puts the cursor there."""
        self._open("goto", "", f"Go to line (1-{self.editor.document.line_count}), enter to jump, esc to close")

    def _open(self, mode: Literal["find", "goto"], value: str, placeholder: str) -> None:
        self.mode = mode
        bar = self.bar
        bar.placeholder = placeholder
        bar.value = value
        bar.add_class("-open")
        bar.focus()
        bar.action_end()
        self.message.update(KEYS_HINT)

    @property
    def bar_open(self) -> bool:
        """Whether the find / go-to-line bar is open (Esc closes it before it leaves the screen)."""
        return self.mode is not None

    def action_close_bar(self) -> None:
        """Escape in the bar: close it and go back to the code."""
        if self.mode is None:
            raise SkipAction()
        self._close()
        self.editor.focus()

    def _close(self) -> None:
        self.mode = None
        self.bar.remove_class("-open")
        self.message.update(KEYS_HINT)

    @on(events.DescendantBlur)
    def _bar_left(self, event: events.DescendantBlur) -> None:
        if event.widget is self.bar and self.mode is not None:
            self._close()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.mode == "find":
            self._query = event.value
            self.find_next(event.value)
        elif self.mode == "goto":
            self._goto(event.value)

    def find_next(self, query: str) -> bool:
        """Select the next match of `query` after the cursor (wrapping around); False if there is none."""
        if not query:
            return False
        editor = self.editor
        document = editor.document
        pattern = re.compile(re.escape(query), re.IGNORECASE)
        lines = [document[row] for row in range(document.line_count)]
        matches = [(row, m.start(), m.end()) for row, line in enumerate(lines) for m in pattern.finditer(line)]
        if not matches:
            self.message.update(f"no match for {query!r}")
            return False
        cursor = max(editor.selection)
        index = next((i for i, (row, start, _) in enumerate(matches) if (row, start) >= cursor), 0)
        row, start, end = matches[index]
        editor.selection = Selection((row, start), (row, end))
        editor.scroll_cursor_visible(center=True)
        self.message.update(f"{index + 1} of {len(matches)}")
        return True

    def _goto(self, value: str) -> None:
        editor = self.editor
        count = editor.document.line_count
        found = re.fullmatch(r"\s*(\d+)\s*(?:[:,]\s*(\d+)\s*)?", value)
        line = int(found.group(1)) if found else 0
        if not 1 <= line <= count:
            self.message.update(f"a line from 1 to {count}")
            return
        column = max(0, int(found.group(2)) - 1) if found and found.group(2) else 0
        self._close()
        editor.move_cursor((line - 1, column), center=True)
        editor.focus()
