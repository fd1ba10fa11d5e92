"""Stats: per-topic mastery, attempts over time, streaks, and the text charts."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures" / "mock"))

from mockkit import bank

from quizapp.stats import (
    attempt_score,
    attempts_per_day,
    bar,
    longest_streak,
    sparkline,
    streak,
    topic_mastery,
)

BANK = bank()
TODAY = date(2025, 3, 10)


@dataclass(frozen=True)
class A:
    question_id: str
    created_at: float
    kind: str = "submit"
    status: str = "failed"
    passed: int = 0
    total: int = 4
    rating: str | None = None


def at(day: date, hour: int = 12) -> float:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC).timestamp()


def test_attempt_score() -> None:
    """passed is 1, partial is the fraction, ratings map, example runs do not count"""
    assert attempt_score(A("x", 0, status="passed", passed=4)) == 1
    assert attempt_score(A("x", 0, passed=1)) == 0.25
    assert attempt_score(A("x", 0, kind="short", status="failed", rating="hard")) == 0.5
    assert attempt_score(A("x", 0, kind="examples", status="passed")) is None
    assert attempt_score(A("x", 0, status="error", total=0)) == 0


def test_topic_mastery_takes_each_questions_best_attempt() -> None:
    """mastery is the mean best score over the topic's questions; unknown questions are ignored"""
    attempts = [
        A("clip-values", at(TODAY), passed=2),
        A("clip-values", at(TODAY), status="passed", passed=4),
        A("mean-bug", at(TODAY), passed=1, total=2),
        A("scale-survivors", at(TODAY), kind="examples", status="passed", passed=1, total=1),
        A("gone", at(TODAY), status="passed"),
    ]
    rows = {m.topic: m for m in topic_mastery(BANK, attempts)}
    assert list(rows) == ["dropout", "fundamentals"]
    f = rows["fundamentals"]
    assert (f.questions, f.attempted, f.solved) == (4, 2, 1)
    assert abs(f.mastery - (1 + 0.5) / 4) < 1e-9
    assert rows["dropout"].mastery == 0 and rows["dropout"].attempted == 0


def test_attempts_per_day_and_streaks() -> None:
    """counts per local day oldest first; streak ends today or yesterday; longest streak"""
    days = [TODAY, TODAY, TODAY - timedelta(1), TODAY - timedelta(2), TODAY - timedelta(5),
            TODAY - timedelta(6), TODAY - timedelta(7), TODAY - timedelta(8), TODAY - timedelta(40)]
    attempts = [A("clip-values", at(d)) for d in days]
    assert attempts_per_day(attempts, TODAY, days=7, tz=UTC) == [1, 1, 0, 0, 1, 1, 2]
    assert streak(attempts, TODAY, tz=UTC) == 3
    assert streak(attempts, TODAY + timedelta(1), tz=UTC) == 3  # nothing yet today: still alive
    assert streak(attempts, TODAY + timedelta(2), tz=UTC) == 0
    assert longest_streak(attempts, tz=UTC) == 4
    assert streak([], TODAY) == 0 and longest_streak([]) == 0


def test_text_charts() -> None:
    """bars fill proportionally with eighth blocks; sparklines scale to the maximum"""
    assert bar(0, 4) == "    " and bar(1, 4) == "████" and bar(0.5, 4) == "██  "
    assert bar(1 / 32, 4) == "▏   " and bar(2.0, 3) == "███"
    assert sparkline([0, 1, 2, 4, 8]) == " ▁▂▄█"
    assert sparkline([0, 0]) == "  "


def test_failed_attempts_never_count_as_solved() -> None:
    """three failed submits are 0 solved, even when a timed-out grade had passed every test it ran;
    a 'hard' self-rating is not a solve, a 'good' one is"""
    attempts = [A("clip-values", at(TODAY), status=s, passed=4) for s in ("failed", "timeout", "crashed")]
    attempts += [A("why-decay", at(TODAY), kind="short", rating="hard")]
    rows = {m.topic: m for m in topic_mastery(BANK, attempts)}
    assert rows["fundamentals"].solved == 0 and rows["fundamentals"].attempted == 2
    rows = {m.topic: m for m in topic_mastery(BANK, [*attempts, A("why-decay", at(TODAY), kind="short",
                                                                  rating="good")])}
    assert rows["fundamentals"].solved == 1
