"""A coding question: edit, drafts, run, submit, hints, reset, cancel, $EDITOR and the gated answer."""

from __future__ import annotations

import io
import stat
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.widgets import Markdown, Static

from quizapp.models import GradeResult
from quizapp.tui.app import QuizApp
from quizapp.tui.screens.answer import ModelAnswerScreen
from quizapp.tui.screens.browse import BrowseScreen
from quizapp.tui.screens.code import CodeQuestionScreen
from quizapp.tui.screens.confirm import ConfirmScreen
from quizapp.tui.widgets.results import ResultsPanel

from .conftest import SIZE, SOLUTIONS, Clock, FakeFactory

QID = "soft-threshold"
MODEL = (SOLUTIONS / "soft-threshold.py").read_text()


def _results_text(app: QuizApp) -> str:
    from rich.console import Console

    panel = app.screen.query_one(ResultsPanel)
    console = Console(width=100, record=True, file=io.StringIO())
    for static in panel.query(Static):
        if static.display:
            console.print(static.content)
    return console.export_text()


async def _open(app: QuizApp, pilot: object) -> CodeQuestionScreen:
    app.open_question(QID)
    await pilot.pause()  # type: ignore[attr-defined]
    screen = app.screen
    assert isinstance(screen, CodeQuestionScreen)
    return screen


async def _settle(app: QuizApp, pilot: object) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]


def _set_code(screen: CodeQuestionScreen, code: str) -> None:
    editor = screen.editor
    editor.replace(code, (0, 0), editor.document.end)


async def test_opens_with_the_starter_and_keeps_typing_as_a_draft(make_app: Callable[..., QuizApp],
                                                                  bank: object) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(app, pilot)
        starter = screen.question.starter
        assert screen.editor.text == starter
        assert screen.editor.has_focus
        assert app.store.draft(QID) is None, "opening alone writes no draft"
        screen.editor.move_cursor(screen.editor.document.end)
        await pilot.press(*"# note")
        await pilot.pause(0.8)  # the throttled saver fires 0.5 s after the first change
        assert app.store.draft(QID) == starter + "# note"
        await pilot.press("escape", "escape")  # the editor hands focus on, then back to the list
        await pilot.pause()
        assert isinstance(app.screen, BrowseScreen)
    app2 = make_app()
    async with app2.run_test(size=SIZE) as pilot:
        screen = await _open(app2, pilot)
        assert screen.editor.text == starter + "# note", "reopening starts from the draft"


async def test_quitting_saves_the_draft_at_once(make_app: Callable[..., QuizApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(app, pilot)
        screen.editor.move_cursor(screen.editor.document.end)
        await pilot.press("x")
        await pilot.press("ctrl+q")  # well before the 0.5 s timer
        await pilot.pause()
    assert app.store.draft(QID) == screen.question.starter + "x"


async def test_run_examples_shows_each_visible_test(make_app: Callable[..., QuizApp],
                                                   factory: FakeFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _open(app, pilot)
        await pilot.press("ctrl+r")
        await _settle(app, pilot)
        assert factory.last.calls[-1][2] is True, "examples=True"
        text = _results_text(app)
        assert "FAILED" in text and "0/1 visible examples passed" in text
        assert "values inside the threshold become zero" in text
        [attempt] = app.store.attempts(QID)
        assert attempt.kind == "examples"
        assert app.store.status_for(QID) == "attempted"


async def test_submit_records_the_attempt_and_solves(make_app: Callable[..., QuizApp],
                                                    factory: FakeFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(app, pilot)
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        text = _results_text(app)
        assert "FAILED" in text and "0/3 hidden tests passed" in text
        assert "NotImplementedError" in text and "│ hello from test 1" in text
        _set_code(screen, MODEL)
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        assert "PASSED" in _results_text(app) and "3/3 hidden tests passed" in _results_text(app)
        assert [a.status for a in app.store.attempts(QID)] == ["failed", "passed"]
        assert app.store.draft(QID) == MODEL, "the draft is saved before grading"
        assert app.store.status_for(QID) == "solved"
        assert factory.last.calls[-1] == (QID, MODEL, False)
        assert len(factory.graders) == 1, "one grader, created lazily and reused"


async def test_statuses_are_shown_and_syntax_errors_jump_to_the_line(make_app: Callable[..., QuizApp],
                                                                     factory: FakeFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(app, pilot)
        await _settle(app, pilot)
        factory.last.next_result = GradeResult(QID, "error", 0, 0, "cpu", 0.0,
                                               message="SyntaxError: invalid syntax", line=4)
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        assert "ERROR" in _results_text(app) and "SyntaxError: invalid syntax (line 4)" in _results_text(app)
        assert screen.editor.cursor_location == (3, 0) and screen.editor.has_focus
        for status, label in [("timeout", "TIMEOUT"), ("memory", "MEMORY LIMIT"), ("crashed", "CRASHED")]:
            factory.last.next_result = GradeResult(QID, status, 0, 3, "cpu", 10.0,  # type: ignore[arg-type]
                                                   message=f"the {status} message")
            await pilot.press("ctrl+s")
            await _settle(app, pilot)
            assert label in _results_text(app) and f"the {status} message" in _results_text(app)


async def test_escape_cancels_a_running_grade(make_app: Callable[..., QuizApp], factory: FakeFactory) -> None:
    factory.setup = lambda g: setattr(g, "blocking", True)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(app, pilot)
        await pilot.press("ctrl+s")
        await pilot.pause(0.3)
        assert screen.grading and screen.results.running
        assert "Running the hidden tests" in _results_text(app) and "esc cancels" in _results_text(app)
        await pilot.press("ctrl+s")  # a second submit while running is refused, not queued
        await pilot.press("escape")
        await _settle(app, pilot)
        assert factory.last.cancelled
        assert "CANCELLED" in _results_text(app)
        assert not screen.grading and isinstance(app.screen, CodeQuestionScreen), "escape did not go back"
        assert app.store.attempts(QID) == [], "a cancelled run is not recorded"
        assert len(factory.last.calls) == 1


async def test_grader_that_cannot_start_is_reported(make_app: Callable[..., QuizApp]) -> None:
    def broken(device: str) -> object:
        raise RuntimeError("CUDA was requested but is not available")

    app = make_app(grader_factory=broken)
    async with app.run_test(size=SIZE) as pilot:
        await _open(app, pilot)
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        assert "CANNOT GRADE" in _results_text(app) and "CUDA was requested" in _results_text(app)
        assert app.store.attempts(QID) == []


async def test_hints_are_revealed_one_at_a_time_and_counted(make_app: Callable[..., QuizApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(app, pilot)
        hints = screen.query_one("#hints", Markdown)
        assert "Hint 1" not in hints.source
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert "Hint 1/2" in hints.source and "exactly zero" in hints.source and "Hint 2" not in hints.source
        await pilot.press("ctrl+t", "ctrl+t")
        await pilot.pause()
        assert "Hint 2/2" in hints.source
        assert app.store.hints_revealed(QID) == 2
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        assert app.store.attempts(QID)[0].hints_used == 2


async def test_reset_restores_the_starter_and_can_be_undone(make_app: Callable[..., QuizApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(app, pilot)
        _set_code(screen, "def soft_threshold(w, t):\n    return w\n")
        await pilot.pause(0.8)
        assert app.store.draft(QID) == "def soft_threshold(w, t):\n    return w\n"
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert screen.editor.text == screen.question.starter
        assert app.store.draft(QID) == screen.question.starter
        await pilot.press("ctrl+z")
        assert screen.editor.text == "def soft_threshold(w, t):\n    return w\n"


async def test_model_answer_is_gated_until_solved_or_given_up(make_app: Callable[..., QuizApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(app, pilot)
        await pilot.press("f6")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is screen and not app.store.gave_up(QID)
        await pilot.press("f6")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, ModelAnswerScreen)
        assert app.store.gave_up(QID)
        source = app.screen.query_one("#answer-markdown", Markdown).source
        assert "ISTA" in source, "the explanation"
        assert "torch.clamp(w.abs() - threshold, min=0)" in source, "the model answer"
        assert "--- your code" in source and "-    raise NotImplementedError" in source, "the diff"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen


async def test_model_answer_opens_directly_once_solved(make_app: Callable[..., QuizApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(app, pilot)
        _set_code(screen, MODEL)
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        await pilot.press("f6")
        await pilot.pause()
        assert isinstance(app.screen, ModelAnswerScreen)
        assert "identical to the model answer" in app.screen.query_one("#answer-markdown", Markdown).source
        assert not app.store.gave_up(QID)


def _fake_editor(tmp_path: Path, body: str) -> str:
    script = tmp_path / "fake-editor"
    script.write_text(f"#!{sys.executable}\nimport sys\nopen(sys.argv[-1], 'a').write({body!r})\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script)


async def test_external_editor_changes_are_loaded(make_app: Callable[..., QuizApp], tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EDITOR", _fake_editor(tmp_path, "# edited outside\n"))
    monkeypatch.delenv("VISUAL", raising=False)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(app, pilot)
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert screen.editor.text == screen.question.starter + "# edited outside\n"
        assert app.store.draft(QID) == screen.editor.text


async def test_editor_setting_overrides_environment_and_bad_editor_is_reported(
        make_app: Callable[..., QuizApp], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EDITOR", "/nonexistent/editor")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(app, pilot)
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert screen.editor.text == screen.question.starter
        assert any("Cannot start the editor" in str(n.message) for n in app._notifications)
        app.set_setting("editor", _fake_editor(tmp_path, "# via setting\n"))
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert screen.editor.text.endswith("# via setting\n")


async def test_grader_is_built_for_the_device_setting(make_app: Callable[..., QuizApp],
                                                     factory: FakeFactory) -> None:
    app = make_app()
    app.set_setting("device", "cpu")
    async with app.run_test(size=SIZE) as pilot:
        await _open(app, pilot)
        await _settle(app, pilot)  # the grader warms up in the background when the question opens
        assert [g.device for g in factory.graders] == ["cpu"]
        app.set_setting("device", "auto")
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        assert [g.device for g in factory.graders] == ["cpu", "auto"]
        assert factory.graders[0].closed, "the grader for the old device is shut down"


async def test_clock_is_used_for_attempt_times(make_app: Callable[..., QuizApp], clock: Clock) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _open(app, pilot)
        clock.now += 42
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        assert app.store.attempts(QID)[0].created_at == clock.now


async def test_a_failed_submit_then_names_the_known_mistake_it_matches(make_app: Callable[..., QuizApp],
                                                                      bank: dict[str, object]) -> None:
    """After the result is shown, the question's mutants are graded once (here by the stub, which
    fails anything that raises NotImplementedError) and a submission failing the same tests gets
    their diagnosis; a passing one and a run of the examples do not."""
    from quizapp.models import CodeQuestion, Mutant

    question = bank[QID]
    assert isinstance(question, CodeQuestion)
    mistaken = question.model_copy(update={"mutants": [
        Mutant(name="gives-up", diagnosis="Raises instead of shrinking.", source=question.starter),
        Mutant(name="fine", diagnosis="Never shown: the stub passes it.", source=MODEL)]})
    app = make_app(bank={**bank, QID: mistaken})
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(app, pilot)
        await pilot.press("ctrl+r")
        await _settle(app, pilot)
        assert "Likely mistake" not in _results_text(app), "examples are not diagnosed"
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        text = _results_text(app)
        assert "FAILED" in text and "Likely mistake: Raises instead of shrinking." in text, text
        assert "Never shown" not in text
        _set_code(screen, MODEL)
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        assert "PASSED" in _results_text(app) and "Likely mistake" not in _results_text(app)
