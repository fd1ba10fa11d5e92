"""Spaced review: one `fsrs` card per question, scheduled from grading outcomes.

The scheduling itself is the `fsrs` library's (FSRS-6, default parameters); this module only decides
which `Rating` an outcome earns and keeps the cards:

    solved at the first submit without hints         -> Good
    solved after hints or after several submits      -> Hard
    failed, never solved, or gave up (model answer)  -> Again
    self-rated short answer / choice score s in 0..1 -> Good if s == 1, Hard if s >= 0.5, else Again

The scheduler runs without (re)learning steps: fsrs's defaults re-show a card 1 and 10 minutes
later, which suits flashcards but not a coding exercise just solved; without them every rating
schedules in whole days (Again -> about a day). Intervals are fuzzed (fsrs's default) so that
questions solved together do not all fall due on the same day.

Easy is never inferred: nothing a grader sees tells "effortless" from "solved", and FSRS pushes Easy
cards far out. Times are timezone-aware UTC (fsrs requires it); "today" is the learner's local day.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta, tzinfo

from fsrs import Card, Rating, Scheduler

from quizapp.models import ChoiceQuestion, CodeQuestion, ShortQuestion
from quizapp.session import MockSession


def default_scheduler(enable_fuzzing: bool = True) -> Scheduler:
    """The fsrs scheduler quizapp uses: default FSRS-6 parameters, no (re)learning steps."""
    return Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=enable_fuzzing)


@dataclass(frozen=True)
class Outcome:
    """What happened when the learner last worked on a question."""

    solved: bool = False
    """Every hidden test passed (code) / the answer was fully right (choice)."""
    submits: int = 1
    """Submissions up to and including the one that solved it (or all of them when unsolved)."""
    hints: int = 0
    """Hints shown before solving."""
    gave_up: bool = False
    """The learner opened the model answer before solving."""
    score: float | None = None
    """Self-rating (short: ticked rubric points / points) or choice score, 0..1; overrides the rest."""


def rating_for(outcome: Outcome) -> Rating:
    """The FSRS rating an outcome earns (see the module docstring)."""
    if outcome.score is not None:
        if outcome.score >= 1.0 - 1e-9:
            return Rating.Good
        return Rating.Hard if outcome.score >= 0.5 else Rating.Again
    if outcome.gave_up or not outcome.solved:
        return Rating.Again
    if outcome.submits <= 1 and outcome.hints == 0:
        return Rating.Good
    return Rating.Hard


def card_id_for(question_id: str) -> int:
    """A stable card id derived from the question id (fsrs would otherwise use the clock and sleep 1 ms)."""
    return int.from_bytes(hashlib.sha1(question_id.encode()).digest()[:6], "big")


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("datetimes must be timezone-aware")
    return moment.astimezone(UTC)


def _local_midnight(moment: datetime, tz: tzinfo | None, days: int = 0) -> datetime:
    local = moment.astimezone(tz) if tz is not None else moment.astimezone()
    day = local.date() + timedelta(days=days)
    return datetime.combine(day, time(0), tzinfo=local.tzinfo)


def due_label(due: datetime, now: datetime) -> str:
    """`overdue 3 days`, `overdue 1 day` or `today 14:05` (local time), for `review` and its screen."""
    days = (due.astimezone().date() - now.astimezone().date()).days
    if days < 0:
        return f"overdue {-days} day{'s' if days < -1 else ''}"
    return f"today {due.astimezone():%H:%M}"


@dataclass(frozen=True)
class DueCard:
    """A question whose review is due."""

    question_id: str
    due: datetime
    """When fsrs scheduled it (UTC)."""
    state: str
    """fsrs learning state: Learning, Review or Relearning."""


class ReviewDeck:
    """The review cards of every question the learner has an outcome for.

    Args:
        cards: question id -> `fsrs.Card` (e.g. loaded from the store).
        scheduler: the fsrs scheduler (default `default_scheduler()`); tests inject one with fuzzing
            off to compare dates exactly.
    """

    def __init__(self, cards: Mapping[str, Card] | None = None, scheduler: Scheduler | None = None) -> None:
        self.cards: dict[str, Card] = dict(cards or {})
        self.scheduler = scheduler if scheduler is not None else default_scheduler()

    def card(self, question_id: str, now: datetime) -> Card:
        """The question's card, a new one (due now) if it has none yet."""
        existing = self.cards.get(question_id)
        if existing is not None:
            return existing
        return Card(card_id=card_id_for(question_id), due=_utc(now))

    def record(self, question_id: str, outcome: Outcome | Rating, now: datetime) -> Card:
        """Review the question's card with the outcome's rating at `now`; returns the updated card."""
        rating = outcome if isinstance(outcome, Rating) else rating_for(outcome)
        card, _log = self.scheduler.review_card(self.card(question_id, now), rating, _utc(now))
        self.cards[question_id] = card
        return card

    def due(self, now: datetime, tz: tzinfo | None = None, *, until: datetime | None = None) -> list[DueCard]:
        """Cards due by the end of the learner's day (or by `until`), oldest first."""
        limit = _utc(until) if until is not None else _utc(_local_midnight(now, tz, days=1))
        rows = [DueCard(qid, c.due, c.state.name) for qid, c in self.cards.items() if c.due < limit]
        return sorted(rows, key=lambda r: (r.due, r.question_id))

    def upcoming(self, now: datetime, days: int = 7, tz: tzinfo | None = None) -> list[int]:
        """How many cards fall due on each of the next `days` local days (tomorrow first)."""
        counts = [0] * days
        edges = [_utc(_local_midnight(now, tz, days=d)) for d in range(1, days + 2)]
        for c in self.cards.values():
            for i in range(days):
                if edges[i] <= c.due < edges[i + 1]:
                    counts[i] += 1
        return counts

    def to_rows(self) -> Iterable[tuple[str, str]]:
        """(question id, card JSON) for the store."""
        for qid in sorted(self.cards):
            yield qid, self.cards[qid].to_json()

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[str, str]], scheduler: Scheduler | None = None) -> ReviewDeck:
        """Inverse of `to_rows`."""
        return cls({qid: Card.from_json(text) for qid, text in rows}, scheduler)


def outcomes_from_session(session: MockSession) -> dict[str, Outcome]:
    """The review outcome of each question of a finished mock interview.

    Unrated short answers are left out (no outcome yet), and so are questions the candidate never
    opened (no time spent, nothing typed): there is nothing to learn about them. A question that was
    looked at but left unanswered counts as failed.
    """
    out: dict[str, Outcome] = {}
    for qid in session.question_ids:
        q, a = session.question(qid), session.answer(qid)
        untouched = a.time_spent_s <= 0 and a.hints_used == 0 and not a.selected and not a.text.strip() \
            and (not isinstance(q, CodeQuestion) or a.source == q.starter)
        if untouched:
            continue
        if isinstance(q, CodeQuestion):
            grade = a.grade
            solved = grade is not None and grade.ok
            submits = a.solved_at if a.solved_at is not None else max(1, a.submissions)
            out[qid] = Outcome(solved=solved, submits=submits, hints=a.hints_used)
        elif isinstance(q, ChoiceQuestion):
            out[qid] = Outcome(score=session.score(qid).points)
        elif isinstance(q, ShortQuestion):
            score = session.score(qid)
            if not score.pending:
                out[qid] = Outcome(score=score.points)
    return out
