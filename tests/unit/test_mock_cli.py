"""The CLI entry points for mock interviews: report (list, Markdown), review, stats, and mock's errors."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from fsrs import Rating
from rich.console import Console

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures" / "mock"))

from mockkit import BANK_DIR, FakeClock, FakeWall, StubGrader, bank, end_interview

from quizapp import review
from quizapp.cli.mock import mock_main, report_main
from quizapp.cli.progress import review_main, stats_main
from quizapp.mock import store as mock_store
from quizapp.mock.session import MockSession, plan_mock
from quizapp.progress import Store
from quizapp.review import default_scheduler

BANK = bank()


def _console() -> Console:
    return Console(width=120, record=True, force_terminal=False)


def _finished_interview(home: Path) -> int:
    with Store.open(home) as store:
        clock = FakeClock()
        s = MockSession(plan_mock(BANK, count=3, minutes=2, seed=9), BANK, clock, FakeWall(clock))
        sid = mock_store.create_session(store, s)
        clock.advance(120)
        s.tick()
        end_interview(s, "expired", StubGrader())
        mock_store.complete_session(store, sid, s)
        return sid


def test_report_markdown_and_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`report ID --markdown` prints the Markdown; `report` lists interviews; unknown ids exit 2"""
    sid = _finished_interview(tmp_path)
    assert report_main(sid, markdown=True, home=tmp_path) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"# Mock interview #{sid}\n") and "time ran out" in out
    console = _console()
    assert report_main(None, home=tmp_path, console=console) == 0
    listing = console.export_text()
    assert "Mock interviews" in listing and "expired" in listing and "2m 00s" in listing
    assert report_main(999, home=tmp_path) == 2
    assert "no mock interview #999" in capsys.readouterr().err


def test_report_of_an_unfinished_interview_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """a running interview has no report yet"""
    with Store.open(tmp_path) as store:
        sid = mock_store.create_session(store, MockSession(plan_mock(BANK, seed=1), BANK))
    assert report_main(sid, markdown=True, home=tmp_path) == 2
    assert "has not ended" in capsys.readouterr().err


def test_review_lists_due_and_upcoming(tmp_path: Path) -> None:
    """`review` prints today's due questions and a bar per coming day"""
    console = _console()
    assert review_main(BANK_DIR, tmp_path, console=console) == 0
    assert "No review schedule yet" in console.export_text()
    with Store.open(tmp_path) as store:
        store.clock = lambda: 1_700_000_000.0 - 3 * 86400  # type: ignore[method-assign]
        review.record_review(store, "mean-bug", Rating.Again, default_scheduler(False))
    console = _console()
    assert review_main(BANK_DIR, tmp_path, console=console) == 0
    text = console.export_text()
    assert "Due for review today (1)" in text and "Find the bug in mean" in text and "overdue" in text
    assert "Due in the next 7 days" in text


def test_stats_prints_mastery_activity_streak(tmp_path: Path) -> None:
    """`stats` prints mastery bars, a sparkline and the streak"""
    with Store.open(tmp_path) as store:
        store.record_attempt("clip-values", "submit", status="passed", passed=4, total=4)
    console = _console()
    assert stats_main(BANK_DIR, tmp_path, console=console) == 0
    text = console.export_text()
    assert "Mastery by topic" in text and "fundamentals" in text and "25%" in text
    assert "Streak: 1 day(s)" in text


def test_mock_rejects_filters_matching_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """no question for the filters: one line on stderr, exit 2, nothing stored"""
    assert mock_main(BANK_DIR, topic="nope", home=tmp_path) == 2
    assert "no question matches topic 'nope'" in capsys.readouterr().err
    with Store.open(tmp_path) as store:
        assert mock_store.history(store) == []
