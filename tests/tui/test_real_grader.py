"""End to end: the model answer typed into the app and submitted passes every hidden test."""

from __future__ import annotations

import importlib.util
import io
from collections.abc import Callable

import pytest
from rich.console import Console
from textual.widgets import Static

from quizapp.tui.app import QuizApp
from quizapp.tui.screens.code import CodeQuestionScreen
from quizapp.tui.widgets.results import ResultsPanel

from .conftest import SIZE, SOLUTIONS

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(importlib.util.find_spec("quizapp.grading") is None,
                       reason="quizapp.grading is not importable yet (the grader has not landed)"),
]


async def test_model_answer_submitted_through_the_app_passes(make_app: Callable[..., QuizApp]) -> None:
    from quizapp.grading.factory import default_grader_factory

    app = make_app(grader_factory=default_grader_factory)
    app.set_setting("device", "cpu")
    async with app.run_test(size=SIZE) as pilot:
        app.open_question("soft-threshold")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CodeQuestionScreen)
        editor = screen.editor
        editor.replace((SOLUTIONS / "soft-threshold.py").read_text(), (0, 0), editor.document.end)
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()
        console = Console(width=100, record=True, file=io.StringIO())
        for static in screen.query_one(ResultsPanel).query(Static):
            console.print(static.content)
        text = console.export_text()
        assert "PASSED" in text and "3/3 hidden tests passed" in text, text
        [attempt] = app.store.attempts("soft-threshold")
        assert attempt.status == "passed" and attempt.device == "cpu"
        assert app.store.status_for("soft-threshold") == "solved"
