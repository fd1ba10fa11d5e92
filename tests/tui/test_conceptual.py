"""Choice questions give per-option feedback at once; short answers are typed, compared and self-rated."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import Button, Markdown, OptionList, SelectionList, TextArea

from quizapp.bank import Bank
from quizapp.models import ChoiceQuestion
from quizapp.tui.app import QuizApp
from quizapp.tui.screens.browse import BrowseScreen
from quizapp.tui.screens.choice import ChoiceQuestionScreen
from quizapp.tui.screens.short import ShortQuestionScreen

from .conftest import SIZE


async def test_wrong_choice_shows_why_for_every_option(make_app: Callable[..., QuizApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.open_question("dropout-at-test-time")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ChoiceQuestionScreen)
        feedback = screen.query_one("#feedback", Markdown)
        assert not feedback.display
        await pilot.press("down", "enter")  # "They are multiplied by (1-p)": wrong
        await pilot.pause()
        assert feedback.display
        assert "Not quite" in feedback.source
        assert "your pick, wrong" in feedback.source and "original (non-inverted) formulation" in feedback.source
        assert "right, you missed it" in feedback.source and "already happened during training" in feedback.source
        assert "Srivastava" in feedback.source, "the explanation follows"
        options = screen.query_one(OptionList)
        assert options.disabled and str(options.get_option_at_index(1).prompt).startswith("✗")
        [attempt] = app.store.attempts("dropout-at-test-time")
        assert attempt.kind == "choice" and attempt.status == "failed" and attempt.result["selected"] == [1]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, BrowseScreen)
        assert app.store.status_for("dropout-at-test-time") == "attempted"


async def test_right_choice_solves(make_app: Callable[..., QuizApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.open_question("dropout-at-test-time")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert "✓ Correct" in app.screen.query_one("#feedback", Markdown).source
        assert app.store.status_for("dropout-at-test-time") == "solved"


async def test_select_all_that_apply_is_checked_with_ctrl_s(make_app: Callable[..., QuizApp], bank: Bank) -> None:
    base = bank["dropout-at-test-time"]
    assert isinstance(base, ChoiceQuestion)
    choices = [c.model_copy(update={"correct": i != 2}) for i, c in enumerate(base.choices)]
    multi = base.model_copy(update={"choices": choices})
    assert multi.multiple
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.push_screen(ChoiceQuestionScreen(multi))
        await pilot.pause()
        await pilot.press("space", "ctrl+s")  # ticks only the first of the two right options
        await pilot.pause()
        screen = app.screen
        assert "Not quite" in screen.query_one("#feedback", Markdown).source
        assert screen.query_one(SelectionList).disabled
        assert app.store.attempts(multi.id)[0].result == {"selected": [0], "correct": [0, 1], "mock": False}


async def test_short_answer_is_typed_revealed_ticked_and_rated(make_app: Callable[..., QuizApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.open_question("why-weight-decay")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ShortQuestionScreen)
        reveal = screen.query_one("#reveal")
        assert not reveal.display
        await pilot.press(*"adam rescales it")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert reveal.display
        assert app.store.draft("why-weight-decay") == "adam rescales it", "saved before revealing"
        assert "running RMS" in screen.query_one("#model-answer", Markdown).source
        await pilot.press("space", "down", "down", "space")  # ticks rubric points 1 and 3
        await pilot.press("3")  # Good
        await pilot.pause()
        [attempt] = app.store.attempts("why-weight-decay")
        assert attempt.kind == "short" and attempt.rating == "good" and attempt.status == "passed"
        assert attempt.code == "adam rescales it"
        assert attempt.result == {"rating": "good", "rubric": [True, False, True], "mock": False}
        assert all(b.disabled for b in screen.query("#ratings Button").results(Button))
        await pilot.press("1")  # rating again does nothing
        assert len(app.store.attempts("why-weight-decay")) == 1
        assert app.store.status_for("why-weight-decay") == "solved"


async def test_short_answer_rating_buttons_and_digits_typed_in_the_answer(
        make_app: Callable[..., QuizApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.open_question("why-weight-decay")
        await pilot.pause()
        await pilot.press("1", "2")  # digits in the answer box are text, not ratings
        assert app.screen.query_one("#answer", TextArea).text == "12"
        assert app.store.attempts("why-weight-decay") == []
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("tab", "enter")  # from the rubric to the first rating button, "Again"
        await pilot.pause()
        [attempt] = app.store.attempts("why-weight-decay")
        assert attempt.rating == "again" and attempt.status == "failed"
        assert app.store.status_for("why-weight-decay") == "attempted"
