"""The mock-interview screen through Pilot: countdown, navigation, hints, submit, expiry, resume, report.

The grader is a stub (in-process, pure-Python fixture questions) and the clock is fake: tests move
it and call `screen.tick()` instead of waiting for the timer.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from textual.widgets import Label, Markdown, SelectionList, Static, TextArea
from textual.widgets.text_area import Selection

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures" / "mock"))

from mockkit import FakeClock, FakeWall, StubGrader, bank

from quizapp.mock import store as mock_store
from quizapp.mock.session import MockPlan, MockSession
from quizapp.progress import Store
from quizapp.tui.app import QuizApp
from quizapp.tui.screens.mock import MockReportScreen, MockScreen
from quizapp.tui.widgets.code_editor import CodeEditor

BANK = bank()
SIZE = (140, 44)
PLAN = MockPlan.from_json({"items": [
    {"question_id": "clip-values", "section": "coding"},
    {"question_id": "regularisers", "section": "conceptual"},
    {"question_id": "mean-bug", "section": "bug-hunt"},
], "minutes": 6, "seed": 3})
PARTIAL = "def clip(xs, lo, hi):\n    return [max(x, lo) for x in xs]\n"
FIXED_MEAN = "def mean(xs):\n    return sum(xs) / len(xs)\n"


class Rig:
    """A store, a fake clock, a session and an app that hosts its MockScreen."""

    def __init__(self, home: Path, session: MockSession | None = None, clock: FakeClock | None = None) -> None:
        self.store = Store.open(home)
        self.clock = clock or FakeClock()
        self.session = session or MockSession(PLAN, BANK, clock=self.clock, wall=FakeWall(self.clock))
        self.session_id = mock_store.create_session(self.store, self.session)
        self.grader = StubGrader()
        self.app = QuizApp(bank=BANK, store=self.store, grader_factory=lambda device: self.grader,
                           initial_mode="mock")
        self.app.add_mode("mock", lambda: MockScreen(self.session, self.session_id, tick_s=3600))

    @property
    def screen(self) -> MockScreen:
        screen = self.app.screen
        assert isinstance(screen, MockScreen)
        return screen


@pytest.fixture
def rig(tmp_path: Path) -> Rig:
    return Rig(tmp_path)


async def _settle(app: QuizApp, pilot) -> None:  # type: ignore[no-untyped-def]
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


def _countdown(app: QuizApp) -> Label:
    return app.screen.query_one("#mock-countdown", Label)


async def test_countdown_is_visible_and_warns_in_the_last_five_minutes(rig: Rig) -> None:
    """the countdown shows the time left and gets the -warning class at 5:00"""
    async with rig.app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        countdown = _countdown(rig.app)
        assert str(countdown.render()) == "⏱ 06:00" and not countdown.has_class("-warning")
        rig.clock.advance(59)
        rig.screen.tick()
        await pilot.pause()
        assert str(countdown.render()) == "⏱ 05:01" and not countdown.has_class("-warning")
        calm = countdown.styles.background
        rig.clock.advance(1)
        rig.screen.tick()
        await pilot.pause()
        assert str(countdown.render()) == "⏱ 05:00" and countdown.has_class("-warning")
        assert countdown.styles.background != calm  # app.tcss gives the warning its own colour
        saved = mock_store.get_session(rig.store, rig.session_id)
        assert saved is not None and saved.state["remaining_s"] == 300  # saved on every tick


async def test_code_answers_are_typed_in_the_code_editor(rig: Rig) -> None:
    """the coding question's editor indents like VS Code, and ctrl+f finds in it instead of finishing"""
    async with rig.app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        editor = rig.app.screen.query_one("#mock-editor", CodeEditor)
        assert editor.has_focus
        editor.load_text("def clip(xs, lo, hi):")
        editor.move_cursor(editor.document.end)
        await pilot.press("enter", *"return xs", "enter")
        assert editor.text == "def clip(xs, lo, hi):\n    return xs\n"
        await pilot.press("ctrl+f", *"xs", "enter")
        assert editor.selection == Selection((0, 9), (0, 11)) and rig.session.running
        await pilot.press("escape")
        assert editor.has_focus and rig.session.running


async def test_navigation_keeps_answers_and_charges_time(rig: Rig) -> None:
    """ctrl+n / ctrl+b move between questions; typed code and ticked options are kept"""
    async with rig.app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        editor = rig.app.screen.query_one("#mock-editor", TextArea)
        editor.load_text(PARTIAL)
        await pilot.pause()
        rig.clock.advance(30)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert rig.session.current == 1
        choices = rig.app.screen.query_one("#mock-choices", SelectionList)
        assert choices.has_focus
        await pilot.press("space")  # tick "Weight decay"
        await pilot.pause()
        rig.clock.advance(10)
        await pilot.press("ctrl+n")
        await pilot.press("ctrl+b")
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert rig.session.current == 0
        assert rig.app.screen.query_one("#mock-editor", TextArea).text == PARTIAL
        assert rig.session.answer("regularisers").selected == [0]
        assert rig.session.answer("clip-values").time_spent_s == pytest.approx(30)
        assert rig.session.answer("regularisers").time_spent_s == pytest.approx(10)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert list(rig.app.screen.query_one("#mock-choices", SelectionList).selected) == [0]


async def test_single_answer_choice_keeps_one_tick(tmp_path: Path) -> None:
    """on a one-answer question, ticking an option unticks the previous one"""
    clock = FakeClock()
    plan = MockPlan.from_json({"items": [{"question_id": "dropout-eval", "section": "conceptual"}],
                               "minutes": 5, "seed": 0})
    rig = Rig(tmp_path, MockSession(plan, BANK, clock=clock, wall=FakeWall(clock)), clock)
    async with rig.app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("space", "down", "space")
        await pilot.pause()
        assert rig.session.answer("dropout-eval").selected == [1]


async def test_hint_costs_points_and_submit_grades(rig: Rig) -> None:
    """ctrl+t reveals a hint (−0.1); ctrl+s grades with the stub and shows tests passed"""
    async with rig.app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+t")
        await pilot.pause()
        hints = rig.app.screen.query_one("#mock-hints", Markdown)
        assert "Each value is handled on its own." in hints.source
        assert rig.session.answer("clip-values").hints_used == 1
        rig.app.screen.query_one("#mock-editor", TextArea).load_text(PARTIAL)
        await pilot.press("ctrl+r")  # visible examples: free, not a submission
        await _settle(rig.app, pilot)
        assert rig.grader.examples == ["clip-values"] and rig.session.answer().submissions == 0
        await pilot.press("ctrl+s")
        await _settle(rig.app, pilot)
        result = rig.app.screen.query_one("#mock-result", Static)
        assert "Submission 1: 3/4 hidden tests pass" in str(result.render())
        assert "values above hi become hi" in str(result.render())
        assert rig.session.score("clip-values").points == pytest.approx(0.65)
        stored = mock_store.get_session(rig.store, rig.session_id)
        assert stored is not None and stored.state["answers"][0]["hints_used"] == 1


async def test_expiry_auto_submits_and_shows_the_report(rig: Rig) -> None:
    """at 0:00 open answers are graded as they stand and the report replaces the screen"""
    async with rig.app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        rig.app.screen.query_one("#mock-editor", TextArea).load_text(PARTIAL)
        await pilot.press("ctrl+n", "ctrl+n")
        await pilot.pause()
        rig.app.screen.query_one("#mock-editor", TextArea).load_text(FIXED_MEAN)
        await pilot.pause()
        rig.clock.advance(6 * 60 + 5)
        rig.screen.tick()
        await _settle(rig.app, pilot)
        assert isinstance(rig.app.screen, MockReportScreen)
        assert sorted(q for q, _ in rig.grader.calls) == ["clip-values", "mean-bug"]
        report = rig.app.screen.report
        assert report.reason == "expired" and report.total == pytest.approx(0.75 + 1.0)
        assert [i.auto_submitted for i in report.items] == [True, False, True]
        summary = rig.app.screen.query_one("#report-summary", Markdown).source
        assert "| 1 | Clip a list of numbers | coding | 0.75 |" in summary
        model = rig.app.screen.query_one("#report-model-1", Markdown).source
        assert "min(max(x, lo), hi)" in model
        row = mock_store.get_session(rig.store, rig.session_id)
        assert row is not None and row.finished and row.report == report
        await pilot.press("ctrl+e")
        await pilot.pause()
        exported = rig.app.screen.export_path()  # type: ignore[attr-defined]
        assert exported.read_text().startswith(f"# Mock interview #{rig.session_id}")


async def test_finish_early_after_confirming(rig: Rig) -> None:
    """f8 asks first; 'n' keeps going, 'y' ends and shows the report"""
    async with rig.app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f8")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert rig.session.running
        await pilot.press("f8")
        await pilot.pause()
        await pilot.press("y")
        await _settle(rig.app, pilot)
        assert isinstance(rig.app.screen, MockReportScreen)
        assert rig.app.screen.report.reason == "finished-early" and rig.session.remaining_s == 360


async def test_resume_after_kill(tmp_path: Path) -> None:
    """a session saved mid-interview reopens with the typed code and the time left it was saved with"""
    first = Rig(tmp_path)
    async with first.app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        first.app.screen.query_one("#mock-editor", TextArea).load_text(PARTIAL)
        await pilot.press("ctrl+t")
        first.clock.advance(100)
        first.screen.tick()  # the last save before the kill
        await pilot.pause()
    saved = mock_store.unfinished_session(first.store)
    assert saved is not None
    first.store.close()

    clock = FakeClock(0.0)  # a new boot: the monotonic clock restarted
    store = Store.open(tmp_path)
    resumed = mock_store.resume_session(store, saved.id, BANK, clock=clock, wall=FakeWall(clock))
    app = QuizApp(bank=BANK, store=store, grader_factory=lambda d: StubGrader(), initial_mode="mock")
    app.add_mode("mock", lambda: MockScreen(resumed, saved.id, tick_s=3600))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert str(_countdown(app).render()) == "⏱ 04:20"
        assert app.screen.query_one("#mock-editor", TextArea).text == PARTIAL
        assert "Each value is handled" in app.screen.query_one("#mock-hints", Markdown).source
    store.close()


async def test_resume_while_grading_the_end_finishes_it(tmp_path: Path) -> None:
    """killed after time ran out but before grading finished: reopening grades and shows the report"""
    rig = Rig(tmp_path)
    rig.session.set_source(PARTIAL, "clip-values")
    rig.session.stop("expired")
    data = json.loads(json.dumps(rig.session.to_json()))
    rig.session = MockSession.from_json(data, BANK, clock=rig.clock)
    async with rig.app.run_test(size=SIZE) as pilot:
        await _settle(rig.app, pilot)
        assert isinstance(rig.app.screen, MockReportScreen)
        assert rig.app.screen.report.items[0].tests_passed == 3


async def test_short_answer_self_rating_in_the_report(tmp_path: Path) -> None:
    """a short answer is rated on the report by ticking rubric points; the total updates"""
    clock = FakeClock()
    plan = MockPlan.from_json({"items": [{"question_id": "why-decay", "section": "conceptual"}],
                               "minutes": 5, "seed": 0})
    rig = Rig(tmp_path, MockSession(plan, BANK, clock=clock, wall=FakeWall(clock)), clock)
    async with rig.app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(*"Adam rescales")
        await pilot.pause()
        assert rig.session.answer().text == "Adam rescales"
        rig.screen.end("finished-early")
        await _settle(rig.app, pilot)
        screen = rig.app.screen
        assert isinstance(screen, MockReportScreen) and screen.report.pending == 1
        screen.query_one("#report-rubric-1", SelectionList).select(0)
        screen.query_one("#report-rate-1").scroll_visible(animate=False)
        await pilot.pause()
        await pilot.click("#report-rate-1")
        await pilot.pause()
        assert screen.report.pending == 0 and screen.report.total == pytest.approx(0.5)
        assert "0.50 / 1" in screen.query_one("#report-summary", Markdown).source
        assert [a.rating for a in rig.store.attempts("why-decay")] == ["hard"]


async def test_start_mock_inside_the_app_and_come_back(tmp_path: Path) -> None:
    """from practice mode: F5 asks, Start opens the interview; closing the report returns to the list"""
    from quizapp.tui.screens.browse import BrowseScreen
    from quizapp.tui.screens.mock_setup import MockSetupScreen

    store = Store.open(tmp_path)
    grader = StubGrader()
    app = QuizApp(bank=BANK, store=store, grader_factory=lambda d: grader)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(app.screen, MockSetupScreen)
        await pilot.press("ctrl+s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MockScreen) and len(screen.session.question_ids) == 3
        await pilot.press("f8")
        await pilot.pause()
        await pilot.press("y")
        await _settle(app, pilot)
        assert isinstance(app.screen, MockReportScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, BrowseScreen)
        assert mock_store.unfinished_session(store) is None
    store.close()
