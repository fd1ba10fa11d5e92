"""SVG snapshots of the main screens at 100x30 (update with `pytest --snapshot-update`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot

from quizapp.tui.app import QuizApp

from .conftest import SIZE

Snap = Callable[..., bool]


async def _settle(pilot: Pilot[Any]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    pilot.app.clear_notifications()
    await pilot.pause()


def test_browse_screen(snap_compare: Snap, make_app: Callable[..., QuizApp]) -> None:
    """The question list with one question solved and one attempted."""
    app = make_app()
    app.store.record_attempt("dropout-at-test-time", "choice", status="passed")
    app.store.save_draft("why-weight-decay", "partly written")
    assert snap_compare(app, terminal_size=SIZE, run_before=_settle)


def test_code_screen_after_a_failed_submit(snap_compare: Snap, make_app: Callable[..., QuizApp]) -> None:
    """Prompt beside the editor; the results panel lists each failing hidden test; one hint shown."""
    async def run_before(pilot: Pilot[Any]) -> None:
        app: QuizApp = pilot.app  # type: ignore[assignment]
        app.open_question("soft-threshold")
        await pilot.pause()
        await pilot.press("ctrl+t", "ctrl+s")
        await _settle(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_choice_screen_after_a_wrong_answer(snap_compare: Snap, make_app: Callable[..., QuizApp]) -> None:
    """Every option marked, with why, after picking a wrong one."""
    async def run_before(pilot: Pilot[Any]) -> None:
        app: QuizApp = pilot.app  # type: ignore[assignment]
        app.open_question("dropout-at-test-time")
        await pilot.pause()
        await pilot.press("down", "enter")
        await _settle(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_short_screen_revealed(snap_compare: Snap, make_app: Callable[..., QuizApp]) -> None:
    """The model answer, the rubric checkboxes and the rating buttons after ctrl+s."""
    async def run_before(pilot: Pilot[Any]) -> None:
        app: QuizApp = pilot.app  # type: ignore[assignment]
        app.open_question("why-weight-decay")
        await pilot.pause()
        await pilot.press(*"the adaptive denominator", "ctrl+s")
        await _settle(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_give_up_confirmation(snap_compare: Snap, make_app: Callable[..., QuizApp]) -> None:
    """Asking for the model answer before solving asks for confirmation first."""
    async def run_before(pilot: Pilot[Any]) -> None:
        app: QuizApp = pilot.app  # type: ignore[assignment]
        app.open_question("soft-threshold")
        await pilot.pause()
        await pilot.press("f6")
        await _settle(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)
