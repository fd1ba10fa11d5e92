"""SVG snapshots of the main screens at 100x30, 80x24 and 120x36 (update with `pytest --snapshot-update`)."""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from quizapp.tui.app import QuizApp

from .conftest import SIZE

Snap = Callable[..., bool]


async def _settle(pilot: Pilot[Any]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    pilot.app.clear_notifications()
    await pilot.pause()


def _opened(question_id: str, *keys: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    """A snapshot's `run_before`: open the question, press `keys`, let every worker finish."""
    async def run_before(pilot: Pilot[Any]) -> None:
        app: QuizApp = pilot.app  # type: ignore[assignment]
        app.open_question(question_id)
        if keys:
            await pilot.pause()
            await pilot.press(*keys)
        await _settle(pilot)

    return run_before


def test_browse_screen(snap_compare: Snap, make_app: Callable[..., QuizApp]) -> None:
    """The question list with one question solved and one attempted."""
    app = make_app()
    app.store.record_attempt("dropout-at-test-time", "choice", status="passed")
    app.store.save_draft("why-weight-decay", "partly written")
    assert snap_compare(app, terminal_size=SIZE, run_before=_settle)


def test_code_screen_after_a_failed_submit(snap_compare: Snap, make_app: Callable[..., QuizApp]) -> None:
    """Prompt beside the editor; the results panel lists each failing hidden test; one hint shown."""
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=_opened("soft-threshold", "ctrl+t", "ctrl+s"))


def test_choice_screen_after_a_wrong_answer(snap_compare: Snap, make_app: Callable[..., QuizApp]) -> None:
    """Every option marked, with why, after picking a wrong one."""
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=_opened("dropout-at-test-time", "down", "enter"))


def test_short_screen_revealed(snap_compare: Snap, make_app: Callable[..., QuizApp]) -> None:
    """The model answer, the rubric checkboxes and the rating buttons after ctrl+s."""
    typed = _opened("why-weight-decay", *"the adaptive denominator", "ctrl+s")
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=typed)


def test_give_up_confirmation(snap_compare: Snap, make_app: Callable[..., QuizApp]) -> None:
    """Asking for the model answer before solving asks for confirmation first."""
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=_opened("soft-threshold", "f6"))


# -- the sizes people use: 80x24 and 120x36 -----------------------------------------------------

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 36), id="120x36")]


@pytest.mark.parametrize("size", SIZES)
def test_code_screen_sizes(snap_compare: Snap, make_app: Callable[..., QuizApp], size: tuple[int, int]) -> None:
    """The code screen after a failed submit."""
    assert snap_compare(make_app(), terminal_size=size, run_before=_opened("soft-threshold", "ctrl+s"))


@pytest.mark.parametrize("size", SIZES)
def test_choice_screen_sizes(snap_compare: Snap, make_app: Callable[..., QuizApp], size: tuple[int, int]) -> None:
    """A one-answer choice question before answering: every option in full."""
    assert snap_compare(make_app(), terminal_size=size, run_before=_opened("dropout-at-test-time"))


@pytest.mark.parametrize("size", SIZES)
def test_short_screen_sizes(snap_compare: Snap, make_app: Callable[..., QuizApp], size: tuple[int, int]) -> None:
    """A short answer revealed: your answer above the model answer, then the rubric."""
    typed = _opened("why-weight-decay", *"the adaptive denominator", "ctrl+s")
    assert snap_compare(make_app(), terminal_size=size, run_before=typed)


def _mock_app(home: Path) -> QuizApp:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures" / "mock"))
    from mockkit import FakeClock, FakeWall, StubGrader, bank

    from quizapp.mock import store as mock_store
    from quizapp.mock.session import MockPlan, MockSession
    from quizapp.progress import Store
    from quizapp.tui.screens.mock import MockScreen

    questions = bank()
    plan = MockPlan.from_json({"items": [
        {"question_id": "clip-values", "section": "coding"},
        {"question_id": "regularisers", "section": "conceptual"},
    ], "minutes": 6, "seed": 3})
    clock = FakeClock()
    session = MockSession(plan, questions, clock=clock, wall=FakeWall(clock))
    store = Store.open(home)
    session_id = mock_store.create_session(store, session)
    app = QuizApp(bank=questions, store=store, grader_factory=lambda device: StubGrader(),
                  initial_mode="mock")
    app.add_mode("mock", lambda: MockScreen(session, session_id, tick_s=3600))
    return app


@pytest.mark.parametrize("question", [0, 1], ids=["code", "choice"])
@pytest.mark.parametrize("size", SIZES)
def test_mock_screen_sizes(snap_compare: Snap, tmp_path: Path, size: tuple[int, int], question: int) -> None:
    """The mock interview: the question list is a strip (hidden at 80 columns, f7), the prompt and the
    answer get the room."""
    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        if question:
            await pilot.press("ctrl+n", "space")
        await _settle(pilot)

    app = _mock_app(tmp_path)
    try:
        assert snap_compare(app, terminal_size=size, run_before=run_before)
    finally:
        app.store.close()
