"""The code editor types like VS Code: auto-indent, indent/dedent, comments, find, go to line, paste."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual import events
from textual.app import App, ComposeResult
from textual.keys import _character_to_key
from textual.pilot import Pilot
from textual.widgets import Button, Label
from textual.widgets.text_area import Selection

from quizapp.tui.app import QuizApp
from quizapp.tui.screens.code import CodeQuestionScreen
from quizapp.tui.screens.confirm import ConfirmScreen
from quizapp.tui.widgets.code_editor import CodeEditor, EditorPanel, code_part, next_indent

from .conftest import SIZE

DROPOUT = (Path(__file__).resolve().parents[2] / "solutions" / "dropout.py").read_text()


async def _open(app: QuizApp, pilot: Pilot[None]) -> CodeEditor:
    app.open_question("soft-threshold")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, CodeQuestionScreen)
    return screen.editor


async def type_text(pilot: Pilot[None], text: str) -> None:
    """Each character of `text` as its own key event, named as a terminal's keys are, then one wait.

    `pilot.press` waits about 40 ms after every key, which makes a 1,200-character answer take two
    minutes; printable keys go straight to the focused editor's `_on_key` in order, so they can be
    queued together. Keys handled by bindings (Backspace) are still sent with `pilot.press`.
    """
    for char in text:
        name = char if char.isalnum() else _character_to_key(char)
        pilot.app.post_message(events.Key(name, char))
    await pilot.pause()


async def type_like_a_person(pilot: Pilot[None], editor: CodeEditor, source: str) -> int:
    """Type `source` as in VS Code: each line's text after its indentation, Enter between lines, and
    Backspace where a block ends without return/pass/raise/break/continue. Indentation is never typed:
    the editor must already have put the cursor where the line starts. Returns the Backspaces used."""
    backspaces = 0
    for number, line in enumerate(source.split("\n")):
        if number:
            await pilot.press("enter")
        text = line.lstrip(" ")
        if not text:
            continue  # a blank line: Enter alone, and the editor leaves it empty
        want = len(line) - len(text)
        row, column = editor.cursor_location
        assert editor.document[row] == " " * column, f"line {number + 1}: the cursor is not after its indentation"
        assert column >= want and (column - want) % 4 == 0, \
            f"line {number + 1}: the editor indented {column}, the line needs {want} (typing spaces is not allowed)"
        while editor.cursor_location[1] > want:
            await pilot.press("backspace")
            backspaces += 1
        await type_text(pilot, text)
        assert editor.document[row] == line, f"line {number + 1}"
    return backspaces


async def test_typing_the_dropout_answer_key_by_key_gives_it_exactly(make_app: Callable[..., QuizApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        editor = await _open(app, pilot)
        await pilot.press("ctrl+a", "delete")
        assert editor.text == ""
        backspaces = await type_like_a_person(pilot, editor, DROPOUT)
        assert editor.text == DROPOUT
        assert backspaces == 2, "only before the docstring's Returns section and its closing quotes"


# -- the indentation rules, alone ----------------------------------------------------------------------

@pytest.mark.parametrize(("before", "indent"), [
    ("def f(x):", "    "),
    ("    if x > 0:  # positive: keep it", "        "),
    ("    x = '#':", "        "),
    ("    s = 'a:'  # not a block", "    "),
    ("    y = (", "        "),
    ("        return x  # done", "    "),
    ("        pass", "    "),
    ("        raise ValueError('p')", "    "),
    ("            break", "        "),
    ("            continue", "        "),
    ("    returned = 1", "    "),
    ("return", ""),
    ("      x = 1", "      "),
])
def test_next_indent_follows_the_line_before_the_cursor(before: str, indent: str) -> None:
    assert next_indent(before, 4) == indent


def test_code_part_drops_a_trailing_comment_but_not_a_hash_in_a_string() -> None:
    assert code_part("if x:  # note") == "if x:  "
    assert code_part('s = "a # b"  # c') == 's = "a # b"  '
    assert code_part("'''doc # still doc") == "'''doc # still doc"
    assert code_part(r"s = 'it\'s # here'") == r"s = 'it\'s # here'"


# -- the editor, driven by keys ------------------------------------------------------------------------

class EditorApp(App[None]):
    """An editor panel and a button after it (so that losing focus would show)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        yield EditorPanel(self.text, editor_id="editor")
        yield Button("elsewhere")

    @property
    def editor(self) -> CodeEditor:
        return self.query_one(CodeEditor)

    @property
    def panel(self) -> EditorPanel:
        return self.query_one(EditorPanel)


def _editor_app(text: str, cursor: tuple[int, int] | None = None) -> EditorApp:
    app = EditorApp(text)

    def place() -> None:
        app.editor.focus()
        app.editor.move_cursor(cursor if cursor is not None else app.editor.document.end)

    app.call_later(place)
    return app


def _label(label: Label) -> str:
    return str(label.render())


async def test_enter_after_a_colon_with_a_trailing_comment_indents_one_level() -> None:
    app = _editor_app("def f(x):\n    if x > 0:  # positive")
    async with app.run_test() as pilot:
        await pilot.press("enter", *"y")
        assert app.editor.text == "def f(x):\n    if x > 0:  # positive\n        y"
        assert app.editor.cursor_location == (2, 9)


async def test_enter_keeps_the_indentation_and_leaves_a_blank_line_empty() -> None:
    app = _editor_app("def f(x):\n    y = 1")
    async with app.run_test() as pilot:
        await pilot.press("enter", "enter", *"z")
        assert app.editor.text == "def f(x):\n    y = 1\n\n    z", "no trailing spaces on the blank line"


@pytest.mark.parametrize("statement", ["return x", "pass", "raise ValueError(p)", "break", "continue"])
async def test_enter_dedents_after_a_statement_that_ends_the_block(statement: str) -> None:
    app = _editor_app(f"def f(x):\n    for y in x:\n        {statement}")
    async with app.run_test() as pilot:
        await pilot.press("enter")
        assert app.editor.document[3] == "    " and app.editor.cursor_location == (3, 4)


async def test_enter_inside_the_indentation_pushes_the_line_down_unchanged() -> None:
    app = _editor_app("def f(x):\n    return x", cursor=(1, 2))
    async with app.run_test() as pilot:
        await pilot.press("enter")
        assert app.editor.text == "def f(x):\n\n    return x" and app.editor.cursor_location == (2, 2)


async def test_a_read_only_editor_is_not_changed_by_the_line_keys() -> None:
    app = _editor_app("if x:\n    y = 1\n", cursor=(1, 4))
    async with app.run_test() as pilot:
        editor = app.editor
        editor.read_only = True
        for key in ("ctrl+slash", "enter", "backspace", "ctrl+a", "tab", "shift+tab"):
            editor.focus()
            await pilot.press(key)
            assert editor.text == "if x:\n    y = 1\n", key
        assert not editor.has_focus, "tab and shift+tab move the focus out of a read-only editor"


async def test_enter_between_brackets_puts_the_closing_one_on_its_own_line() -> None:
    app = _editor_app("    y = f()", cursor=(0, 10))
    async with app.run_test() as pilot:
        await pilot.press("enter", *"a")
        assert app.editor.text == "    y = f(\n        a\n    )"


async def test_backspace_in_leading_whitespace_removes_one_indent_level() -> None:
    app = _editor_app("def f(x):\n        ")
    async with app.run_test() as pilot:
        await pilot.press("backspace")
        assert app.editor.document[1] == "    "
        await pilot.press("backspace")
        assert app.editor.document[1] == ""
        app.editor.load_text("      x = 12")
        app.editor.move_cursor((0, 6))
        await pilot.press("backspace")
        assert app.editor.text == "    x = 12", "six spaces: back to the tab stop at four"
        app.editor.move_cursor((0, 10))
        await pilot.press("backspace")
        assert app.editor.text == "    x = 1", "after text: one character"


async def test_tab_and_shift_tab_indent_and_dedent_the_selected_lines_keeping_focus() -> None:
    code = "def f(x):\n    y = 1\n    return y\n"
    app = _editor_app(code)
    async with app.run_test() as pilot:
        editor = app.editor
        editor.selection = Selection((1, 0), (2, 12))
        await pilot.press("tab")
        assert editor.text == "def f(x):\n        y = 1\n        return y\n", "indented, not deleted"
        assert editor.selection == Selection((1, 0), (2, 16)) and editor.has_focus
        await pilot.press("shift+tab", "shift+tab")
        assert editor.text == "def f(x):\ny = 1\nreturn y\n"
        assert editor.has_focus, "shift+tab does not move focus out of the editor"
        await pilot.press("ctrl+z")
        assert editor.text == "def f(x):\n    y = 1\n    return y\n", "each indent is one undo step"


async def test_shift_tab_without_a_selection_dedents_the_cursor_line() -> None:
    app = _editor_app("if x:\n        y = 1", cursor=(1, 10))
    async with app.run_test() as pilot:
        await pilot.press("shift+tab")
        assert app.editor.text == "if x:\n    y = 1"
        assert app.editor.cursor_location == (1, 6) and app.editor.has_focus


async def test_tab_without_a_selection_inserts_spaces_to_the_next_tab_stop() -> None:
    app = _editor_app("x  ", cursor=(0, 3))
    async with app.run_test() as pilot:
        await pilot.press("tab")
        assert app.editor.text == "x   " and app.editor.has_focus


async def test_ctrl_a_selects_everything_so_a_paste_replaces_the_starter() -> None:
    app = _editor_app("def f(x):\n    raise NotImplementedError\n", cursor=(1, 4))
    async with app.run_test() as pilot:
        await pilot.press("ctrl+a")
        assert app.editor.selected_text == app.editor.text
        app.post_message(events.Paste("def f(x):\n    return x\n"))
        await pilot.pause()
        assert app.editor.text == "def f(x):\n    return x\n"


async def test_pasted_code_keeps_its_own_indentation() -> None:
    pasted = "if p:\n        deep = 1\n    return x\n"
    app = _editor_app("def f(x, p):\n    ")
    async with app.run_test() as pilot:
        app.post_message(events.Paste(pasted))
        await pilot.pause()
        assert app.editor.text == "def f(x, p):\n    " + pasted, "inserted verbatim, never re-indented"
        assert app.editor.cursor_location == (4, 0)
        await pilot.press("ctrl+z")
        assert app.editor.text == "def f(x, p):\n    ", "one undo step"
        app.copy_to_clipboard("a = [\n  1,\n]")
        await pilot.press("ctrl+v")
        assert app.editor.text == "def f(x, p):\n    a = [\n  1,\n]"


async def test_ctrl_slash_toggles_comments_on_the_selected_lines() -> None:
    app = _editor_app("def f(x):\n    y = 1\n\n        return y\n")
    async with app.run_test() as pilot:
        editor = app.editor
        editor.selection = Selection((1, 0), (4, 0))
        await pilot.press("ctrl+slash")
        assert editor.text == "def f(x):\n    # y = 1\n\n    #     return y\n", "at the common indentation"
        await pilot.press("ctrl+underscore")  # what most terminals send for ctrl+/
        assert editor.text == "def f(x):\n    y = 1\n\n        return y\n"
        editor.move_cursor((0, 3))
        await pilot.press("ctrl+slash")
        assert editor.document[0] == "# def f(x):" and editor.cursor_location == (0, 5)


async def test_ctrl_g_goes_to_a_line() -> None:
    app = _editor_app("a = 1\nb = 2\nc = 3\n", cursor=(0, 0))
    async with app.run_test() as pilot:
        panel, editor = app.panel, app.editor
        await pilot.press("ctrl+g")
        assert panel.bar.has_focus and panel.mode == "goto"
        await pilot.press("9", "enter")
        assert "from 1 to 4" in _label(panel.message) and panel.bar.has_focus, "out of range: ask again"
        await pilot.press("backspace", "3", "enter")
        assert editor.cursor_location == (2, 0) and editor.has_focus and panel.mode is None
        assert not panel.bar.display
        await pilot.press("ctrl+g", *"2:3", "enter")
        assert editor.cursor_location == (1, 2)
        await pilot.press("ctrl+g", "escape")
        assert editor.has_focus and editor.cursor_location == (1, 2)


async def test_ctrl_f_finds_the_next_match_and_wraps_around() -> None:
    app = _editor_app("keep = 1\nx = KEEP + keep\n", cursor=(0, 2))
    async with app.run_test() as pilot:
        panel, editor = app.panel, app.editor
        await pilot.press("ctrl+f", *"keep", "enter")
        assert editor.selection == Selection((1, 4), (1, 8)), "the next match after the cursor, any case"
        assert _label(panel.message) == "2 of 3" and panel.bar.has_focus
        await pilot.press("enter")
        assert editor.selection == Selection((1, 11), (1, 15))
        await pilot.press("enter")
        assert editor.selection == Selection((0, 0), (0, 4)), "wrapped around to the top"
        await pilot.press("escape")
        assert editor.has_focus and editor.selected_text == "keep"
        await pilot.press("ctrl+f")
        assert panel.bar.value == "keep", "starts from the selected text"
        await pilot.press("ctrl+u", *"nothing", "enter")
        assert "no match" in _label(panel.message) and editor.selected_text == "keep"


async def test_the_status_line_shows_the_cursor_line_and_column() -> None:
    app = _editor_app("def f(x):\n    y = 1\n    return y\n", cursor=(0, 0))
    async with app.run_test() as pilot:
        position = app.panel.position
        assert _label(position) == "Ln 1, Col 1"
        await pilot.press("down", "down", *["right"] * 8)
        assert _label(position) == "Ln 3, Col 9"
        await pilot.press("shift+left", "shift+left")
        assert _label(position) == "Ln 3, Col 7 (2 selected)"


async def test_the_view_scrolls_back_left_when_the_cursor_does() -> None:
    long = "x = " + "a" * 150
    app = _editor_app(f"{long}\ny = 1\n", cursor=(0, len(long)))
    async with app.run_test(size=(60, 10)) as pilot:
        editor = app.editor
        await pilot.pause()
        assert editor.scroll_x > 0
        await pilot.press("down")
        await pilot.pause()
        assert editor.cursor_location == (1, 5) and editor.scroll_x == 0, "the start of the line shows"
        await pilot.press("up", "end", "enter")
        await pilot.pause()
        assert editor.scroll_x == 0
        await pilot.press("up", "end", "home")
        await pilot.pause()
        assert editor.scroll_x == 0


# -- on the screens ------------------------------------------------------------------------------------

async def test_the_code_screen_edits_in_a_code_editor_and_shows_the_answer_on_f6(
        make_app: Callable[..., QuizApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        editor = await _open(app, pilot)
        screen = app.screen
        assert editor.language == "python" and editor.has_focus
        assert screen.active_bindings["f6"].binding.action == "answer", "the footer shows f6 Answer"
        assert "ctrl+g" not in screen.active_bindings or \
            screen.active_bindings["ctrl+g"].binding.action == "goto_line"
        await pilot.press("ctrl+g")
        panel = screen.query_one(EditorPanel)
        assert panel.mode == "goto" and isinstance(app.screen, CodeQuestionScreen), "ctrl+g is go to line"
        await pilot.press("escape")
        assert editor.has_focus and isinstance(app.screen, CodeQuestionScreen), "escape closed only the bar"
        editor.selection = Selection((0, 0), (1, 0))
        await pilot.press("shift+tab", "tab")
        assert editor.has_focus, "tab and shift+tab never leave the editor"
        await pilot.press("f6")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen), "f6 asks before showing the model answer"


async def test_keys_that_arrive_together_are_applied_in_order() -> None:
    """b, a, backspace, c posted without waiting give `bc`: the editor's own bound keys run as they
    arrive, not after a trip to the app that lets the next character in first"""
    app = _editor_app("")
    async with app.run_test() as pilot:
        await pilot.pause()
        for key, character in (("b", "b"), ("a", "a"), ("backspace", None), ("c", "c"), ("left", None),
                               ("x", "x")):
            app.post_message(events.Key(key, character))
        await pilot.pause()
        assert app.editor.text == "bxc"
