"""Progress statistics for the stats screen and `quizapp stats`: pure functions over attempts.

Inputs are anything shaped like `quizapp.progress.Attempt` (question id, kind, status, passed/total,
rating, epoch-seconds `created_at`), so these functions are tested without a database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Protocol

from quizapp.models import AnyQuestion
from quizapp.progress import RATING_SCORE, SOLVED_RATINGS


class AttemptLike(Protocol):
    """The fields of `progress.Attempt` the statistics read."""

    @property
    def question_id(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def passed(self) -> int: ...
    @property
    def total(self) -> int: ...
    @property
    def rating(self) -> str | None: ...
    @property
    def created_at(self) -> float: ...




def attempt_score(attempt: AttemptLike) -> float | None:
    """How well one attempt went, 0..1; None for runs of the visible examples (practice, not a result)."""
    if attempt.kind == "examples":
        return None
    if attempt.rating is not None:
        return float(RATING_SCORE.get(attempt.rating, 0.0))  # type: ignore[call-overload,unused-ignore]
    if attempt.status == "passed":
        return 1.0
    return attempt.passed / attempt.total if attempt.total else 0.0


def attempt_solved(attempt: AttemptLike) -> bool:
    """Whether one attempt solved its question: a passed grade or choice, a good/easy self-rating.
    (A timed-out or crashed grade whose tests had all passed before it stopped is not a solve.)"""
    if attempt.kind == "examples":
        return False
    if attempt.rating is not None:
        return attempt.rating in SOLVED_RATINGS
    return attempt.status == "passed"


@dataclass(frozen=True)
class TopicMastery:
    """How far the learner is through one topic."""

    topic: str
    questions: int
    """Questions in the topic."""
    attempted: int
    solved: int
    """Questions with a fully right attempt."""
    mastery: float
    """Mean over the topic's questions of the best attempt's score (never attempted counts 0), 0..1."""


def topic_mastery(bank: Mapping[str, AnyQuestion], attempts: Iterable[AttemptLike]) -> list[TopicMastery]:
    """Per-topic mastery, topics sorted by name."""
    best: dict[str, float] = {}
    solved: set[str] = set()
    for a in attempts:
        score = attempt_score(a)
        if score is not None and a.question_id in bank:
            best[a.question_id] = max(best.get(a.question_id, 0.0), score)
            if attempt_solved(a):
                solved.add(a.question_id)
    topics: dict[str, list[str]] = {}
    for qid, q in bank.items():
        topics.setdefault(q.topic, []).append(qid)
    out = []
    for topic in sorted(topics):
        ids = topics[topic]
        scores = [best.get(q, 0.0) for q in ids]
        out.append(TopicMastery(topic, len(ids), sum(q in best for q in ids),
                                sum(q in solved for q in ids), sum(scores) / len(ids)))
    return out


def _day(ts: float, tz: tzinfo | None) -> date:
    return datetime.fromtimestamp(ts, tz).date() if tz is not None else datetime.fromtimestamp(ts).date()


def attempts_per_day(attempts: Iterable[AttemptLike], today: date, days: int = 30,
                     tz: tzinfo | None = None) -> list[int]:
    """Attempts on each of the last `days` local days, oldest first, `today` last."""
    first = today - timedelta(days=days - 1)
    counts = [0] * days
    for a in attempts:
        d = _day(a.created_at, tz)
        if first <= d <= today:
            counts[(d - first).days] += 1
    return counts


def active_days(attempts: Iterable[AttemptLike], tz: tzinfo | None = None) -> set[date]:
    """The local days with at least one attempt."""
    return {_day(a.created_at, tz) for a in attempts}


def streak(attempts: Iterable[AttemptLike], today: date, tz: tzinfo | None = None) -> int:
    """Consecutive days with practice ending today — or yesterday, so the streak is not lost before
    today's session."""
    days = active_days(attempts, tz)
    d = today if today in days else today - timedelta(days=1)
    n = 0
    while d in days:
        n += 1
        d -= timedelta(days=1)
    return n


def longest_streak(attempts: Iterable[AttemptLike], tz: tzinfo | None = None) -> int:
    """The longest run of consecutive practice days ever."""
    days = sorted(active_days(attempts, tz))
    best = run = 0
    prev: date | None = None
    for d in days:
        run = run + 1 if prev is not None and d - prev == timedelta(days=1) else 1
        best = max(best, run)
        prev = d
    return best


_BLOCKS = " ▏▎▍▌▋▊▉█"
_SPARKS = "▁▂▃▄▅▆▇█"


def bar(fraction: float, width: int = 20) -> str:
    """A horizontal bar of `width` cells filled to `fraction` with eighth-cell precision."""
    fraction = min(1.0, max(0.0, fraction))
    eighths = round(fraction * width * 8)
    full, part = divmod(eighths, 8)
    text = "█" * full + (_BLOCKS[part] if part else "")
    return text.ljust(width)


def sparkline(values: list[int]) -> str:
    """A one-line chart of `values` (blank for zero)."""
    top = max(values, default=0)
    if top == 0:
        return " " * len(values)
    return "".join(" " if v == 0 else _SPARKS[min(7, (v * 8 - 1) // top)] for v in values)
