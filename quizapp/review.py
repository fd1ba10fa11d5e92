"""Spaced review: one `fsrs` card per question, scheduled from grading outcomes.

The scheduling itself is the `fsrs` library's (FSRS-6, default parameters); this module only decides
which `Rating` an outcome earns and keeps the cards:

    solved at the first submit without hints         -> Good
    solved after hints or after several submits      -> Hard
    failed, never solved, or gave up (model answer)  -> Again
    self-rated short answer / choice score s in 0..1 -> Good if s == 1, Hard if s >= 0.5, else Again

The scheduler runs without (re)learning steps: fsrs's defaults re-show a card 1 and 10 minutes
later, which suits flashcards but not a coding exercise just solved; without them every rating
schedules in whole days. Again is the exception, as in Anki: a failure or a give-up is due again
`AGAIN_AFTER` later, the same day (fsrs's own state and stability still come from the Again
review). Intervals are fuzzed (fsrs's default) so that questions solved together do not all fall
due on the same day.

Easy is never inferred: nothing a grader sees tells "effortless" from "solved", and FSRS pushes Easy
cards far out. Times are timezone-aware UTC (fsrs requires it); "today" is the learner's local day.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta, tzinfo

from fsrs import Card, Rating, Scheduler

from quizapp.models import AnyQuestion, CodeQuestion
from quizapp.progress import RATING_SCORE, Store

AGAIN_AFTER = timedelta(minutes=10)
"""How soon a question rated Again (failed, never solved, gave up) is due again."""


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
        if rating == Rating.Again:  # as Anki's Again: back the same day, not tomorrow
            card.due = min(card.due, _utc(now) + AGAIN_AFTER)
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


def _now(store: Store) -> datetime:
    return datetime.fromtimestamp(store.clock(), UTC)


# ----------------------------------------------------------------------------------------------
# The review_cards table (migration 2 of `progress.MIGRATIONS`)

def load_deck(store: Store, scheduler: Scheduler | None = None) -> ReviewDeck:
    """Every review card."""
    rows = store.query("SELECT question_id, card FROM review_cards")
    return ReviewDeck.from_rows(((r["question_id"], r["card"]) for r in rows), scheduler)


def save_cards(store: Store, deck: ReviewDeck, question_ids: list[str] | None = None) -> None:
    """Write the deck's cards (all, or only `question_ids`)."""
    now = store.clock()
    wanted = set(question_ids) if question_ids is not None else None
    with store.transaction() as conn:
        for qid, text in deck.to_rows():
            if wanted is None or qid in wanted:
                conn.execute("INSERT INTO review_cards (question_id, card, updated_at) VALUES (?,?,?) "
                             "ON CONFLICT (question_id) DO UPDATE SET card = excluded.card, "
                             "updated_at = excluded.updated_at", (qid, text, now))


def record_review(store: Store, question_id: str, outcome: Outcome | Rating,
                  scheduler: Scheduler | None = None) -> Card:
    """Review one question's card with an outcome at the store's now; saved before returning."""
    deck = load_deck(store, scheduler)
    card = deck.record(question_id, outcome, _now(store))
    save_cards(store, deck, [question_id])
    return card


def practice_outcome(store: Store, question: AnyQuestion) -> Outcome | None:
    """The outcome of the practice attempts since the question's last review, from the attempts table.

    Code: submits up to the first passing one, its hints, and whether the learner gave up; choice:
    the last answer right or wrong; short: the learner's own rating (again/hard/good/easy). None when
    nothing new happened.
    """
    deck = load_deck(store)
    card = deck.cards.get(question.id)
    since = card.last_review.timestamp() if card is not None and card.last_review else float("-inf")
    attempts = [a for a in store.attempts(question.id) if a.created_at > since and a.kind != "examples"]
    gave_up = bool(store.query("SELECT 1 FROM gave_up WHERE question_id = ? AND created_at > ?",
                               (question.id, since if since != float("-inf") else -1e18)))
    if isinstance(question, CodeQuestion):
        submits = [a for a in attempts if a.kind == "submit"]
        if not submits and not gave_up:
            return None
        for n, a in enumerate(submits, start=1):
            if a.status == "passed":
                return Outcome(solved=True, submits=n, hints=a.hints_used, gave_up=gave_up)
        return Outcome(solved=False, submits=max(1, len(submits)), gave_up=gave_up)
    if not attempts:
        return Outcome(gave_up=True) if gave_up else None
    last = attempts[-1]
    if last.rating is not None:
        return Outcome(score=RATING_SCORE[last.rating])  # type: ignore[index]
    return Outcome(score=1.0 if last.status == "passed" else 0.0)


def review_after_practice(store: Store, question: AnyQuestion,
                          scheduler: Scheduler | None = None) -> Card | None:
    """Call after a practice solve, a give-up or a conceptual answer: reviews the card from the attempts."""
    outcome = practice_outcome(store, question)
    if outcome is None:
        return None
    return record_review(store, question.id, outcome, scheduler)


def due_ids(store: Store, tz: tzinfo | None = None) -> set[str]:
    """The ids of the questions due for review now (one query): what `Store.statuses(due=...)` takes."""
    return {d.question_id for d in load_deck(store).due(_now(store), tz)}
