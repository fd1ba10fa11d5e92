"""Provides `CodeQuestionScreen`: the prompt beside a Python editor, graded in a background worker."""

from __future__ import annotations

import shlex
import subprocess
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.actions import SkipAction
from textual.app import ComposeResult, SuspendNotSupported
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Markdown, TextArea

from quizapp.models import CodeQuestion
from quizapp.render import hints_markdown, meta_line
from quizapp.tui.messages import GradeFailed, GradeFinished, MistakesDiagnosed
from quizapp.tui.screens._drafting import DraftSaver
from quizapp.tui.screens.answer import ModelAnswerScreen
from quizapp.tui.screens.confirm import ConfirmScreen
from quizapp.tui.widgets.code_editor import CodeEditor, EditorPanel
from quizapp.tui.widgets.footer import Footer
from quizapp.tui.widgets.results import ResultsPanel

if TYPE_CHECKING:
    from quizapp.tui.app import QuizApp


def _hints(question: CodeQuestion, shown: int) -> str:
    return hints_markdown(question.hints[:shown], len(question.hints))


def prompt_markdown(question: CodeQuestion) -> str:
    """The left pane: how long it should take, the signature (inline, so it wraps), the prompt.

    The title is in the header already.
    """
    meta = f"*{meta_line(question)}*"
    if question.bug_hunt:
        meta += "  \n**Find the bug:** the starter runs but is wrong."
    lines = [line.strip().replace("`", "'") for line in question.signature.splitlines() if line.strip()]
    signature = "  \n".join(f"`{line}`" for line in lines)
    return f"{meta}\n\n**Implement**  \n{signature}\n\n{question.prompt.strip()}\n"


class CodeQuestionScreen(Screen[None]):
    """Write code, run the visible examples, submit to the hidden tests, see the model answer."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel_grade", "Cancel run", priority=True, show=False),
        Binding("ctrl+r", "run_examples", "Examples", tooltip="Run the visible examples"),
        Binding("ctrl+s", "submit", "Submit"),
        Binding("ctrl+t", "hint", "Hint"),
        Binding("ctrl+l", "reset", "Reset"),
        Binding("ctrl+o", "open_editor", "$EDITOR"),
        Binding("f6", "answer", "Answer"),
        Binding("escape", "back", "Back", priority=True),  # one Esc, even from the editor
    ]

    app: QuizApp  # type: ignore[assignment]

    def __init__(self, question: CodeQuestion) -> None:
        super().__init__()
        self.question = question
        self.grading = False
        self._cancelled = False
        self._drafts: DraftSaver | None = None

    def compose(self) -> ComposeResult:
        store = self.app.store
        draft = store.draft(self.question.id)
        yield Header()
        with Horizontal(id="workspace"):
            with VerticalScroll(id="prompt-pane"):
                yield Markdown(prompt_markdown(self.question), id="prompt")
                yield Markdown(_hints(self.question, store.hints_revealed(self.question.id)),
                               id="hints")
            with Vertical(id="editor-pane"):
                yield EditorPanel(draft if draft is not None else self.question.starter, editor_id="editor",
                                  theme=self.app.editor_theme, id="editor-panel")
                yield ResultsPanel(id="results")
        yield Footer()

    def on_mount(self) -> None:
        self.title = self.question.title
        self.sub_title = f"{self.question.topic} · code"
        editor = self.editor
        self._drafts = DraftSaver(self, self.app.store, self.question.id, lambda: editor.text, editor.text)
        editor.focus()
        self.app.warm_grader()

    @property
    def editor(self) -> CodeEditor:
        """The code editor."""
        return self.query_one("#editor", CodeEditor)

    @property
    def results(self) -> ResultsPanel:
        """The results panel under the editor."""
        return self.query_one("#results", ResultsPanel)

    def flush_draft(self) -> None:
        """Persist the editor text now (called before grading, leaving and quitting)."""
        if self._drafts is not None:
            self._drafts.flush()

    @on(TextArea.Changed, "#editor")
    def _editor_changed(self) -> None:
        if self._drafts is not None:
            self._drafts.changed()

    def on_unmount(self) -> None:
        self.flush_draft()
        if self.grading:
            self.app.cancel_grading()

    # -- grading -----------------------------------------------------------------------------------

    def action_run_examples(self) -> None:
        """Run the visible examples."""
        self._start_grade(examples=True)

    def action_submit(self) -> None:
        """Submit to the hidden tests."""
        self._start_grade(examples=False)

    def _start_grade(self, *, examples: bool) -> None:
        if self.grading:
            self.notify("A run is in progress; esc cancels it.", severity="warning")
            return
        self.flush_draft()
        self.grading = True
        self._cancelled = False
        self.results.show_running("Running the visible examples" if examples else "Running the hidden tests")
        self.refresh_bindings()
        self._grade(self.editor.text, examples)

    @work(exclusive=True, thread=True, group="grade", exit_on_error=False)
    def _grade(self, source: str, examples: bool) -> None:
        try:
            grader = self.app.grader()
            if self._cancelled:
                return
            result = grader.grade(self.question, source, examples=examples)
        except Exception as exc:  # the grader could not run: say why instead of crashing the app
            self.post_message(GradeFailed(f"{type(exc).__name__}: {exc}"))
            return
        self.post_message(GradeFinished(result, source, examples))
        if examples or result.status != "failed" or not self.question.mutants or self._cancelled:
            return
        from quizapp.grading.diagnose import likely_mistakes

        try:  # after the result is on screen: the first time, this grades the question's mutants
            mistakes = likely_mistakes(self.question, result, grader)
        except Exception:  # a diagnosis is a bonus; never let it break the screen
            return
        if mistakes and not self._cancelled:
            self.post_message(MistakesDiagnosed(result, mistakes))

    def on_grade_finished(self, message: GradeFinished) -> None:
        self._finish()
        result = message.result
        if self._cancelled or (result.status == "error" and result.message == "cancelled"):
            self.results.show_cancelled()
            return
        self.app.store.record_grade(self.question.id, message.source, result, examples=message.examples)
        self.results.show_result(result, examples=message.examples)
        if result.line is not None:
            self.jump_to_line(result.line)
        if not message.examples and result.ok:
            self.notify("Solved! f6 shows the model answer.", title="All hidden tests pass")
            self.app.practice_recorded(self.question)

    def on_mistakes_diagnosed(self, message: MistakesDiagnosed) -> None:
        self.results.show_likely_mistakes(message.result, message.mistakes)

    def on_grade_failed(self, message: GradeFailed) -> None:
        self._finish()
        self.results.show_error(message.error)

    def _finish(self) -> None:
        self.grading = False
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel_grade":
            return self.grading
        return True

    def action_cancel_grade(self) -> None:
        """Escape during a run: ask the grader to stop (the result is not recorded)."""
        if not self.grading:
            raise SkipAction()
        self._cancelled = True
        self.results.show_cancelling()
        self.app.cancel_grading()

    def jump_to_line(self, line: int) -> None:
        """Put the cursor on a 1-based source line (syntax errors, forbidden APIs)."""
        editor = self.editor
        row = max(0, min(line - 1, editor.document.line_count - 1))
        editor.move_cursor((row, 0), center=True)
        editor.focus()

    # -- hints, reset, external editor -------------------------------------------------------------

    def action_hint(self) -> None:
        """Reveal the next hint (recorded: attempts remember how many hints were used)."""
        store, qid = self.app.store, self.question.id
        shown = store.hints_revealed(qid)
        if shown >= len(self.question.hints):
            self.notify("No more hints for this question." if self.question.hints
                        else "This question has no hints.")
            return
        store.reveal_hint(qid, shown)
        self.query_one("#hints", Markdown).update(_hints(self.question, shown + 1))
        self.query_one("#prompt-pane", VerticalScroll).scroll_end(animate=False)

    def action_reset(self) -> None:
        """Replace the code with the starter (undoable with ctrl+z)."""
        editor = self.editor
        if editor.text == self.question.starter:
            return
        editor.replace(self.question.starter, (0, 0), editor.document.end)
        editor.move_cursor((0, 0))
        self.flush_draft()
        self.notify("Reset to the starter code; ctrl+z undoes it.")

    def action_open_editor(self) -> None:
        """Edit the code in $EDITOR (the app is suspended), then load what was saved."""
        self.flush_draft()
        editor = self.editor
        path = self.app.scratch_file(self.question.id)
        path.write_text(editor.text, encoding="utf-8")
        command = [*shlex.split(self.app.editor_command()), str(path)]
        try:
            try:
                with self.app.suspend():
                    code = subprocess.call(command)
            except SuspendNotSupported:  # headless (tests): nothing to hand the terminal to
                code = subprocess.call(command, stdin=subprocess.DEVNULL)
        except OSError as exc:
            self.notify(f"Cannot start the editor {command[0]!r}: {exc.strerror or exc}. "
                        "Set it in Settings (F2).", severity="error", timeout=8)
            return
        new = path.read_text(encoding="utf-8")
        if code != 0:
            self.notify(f"{command[0]} exited with status {code}.", severity="warning")
        if new != editor.text:
            editor.replace(new, (0, 0), editor.document.end)
            self.flush_draft()
            self.notify("Loaded the code from the editor.")

    # -- model answer, navigation ------------------------------------------------------------------

    def action_answer(self) -> None:
        """Show the model answer: straight away once solved, otherwise after confirming giving up."""
        if self.app.store.can_see_answer(self.question.id):
            self._show_answer()
            return
        self.app.push_screen(
            ConfirmScreen("Give up and see the model answer?",
                          "It is recorded that you gave up; you can still solve the question later.",
                          confirm="Show the answer", cancel="Keep trying"),
            self._gave_up)

    def _gave_up(self, confirmed: bool | None) -> None:
        if confirmed:
            self.app.store.give_up(self.question.id)
            self.app.practice_recorded(self.question)
            self._show_answer()

    def _show_answer(self) -> None:
        self.flush_draft()
        self.app.push_screen(ModelAnswerScreen(self.question, self.editor.text))

    def action_back(self) -> None:
        """Back to the question list (the draft is kept); first closes an open find / go-to bar."""
        if self.query_one("#editor-panel", EditorPanel).bar_open:
            raise SkipAction()
        self.flush_draft()
        self.app.pop_screen()

