"""Review scheduling: outcome -> rating, and due dates exactly as the fsrs library computes them."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from fsrs import Card, Rating, Scheduler

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures" / "mock"))

from mockkit import FakeClock, FakeWall, StubGrader, bank, end_interview, submit

from quizapp.mock.session import MockSession, plan_mock
from quizapp.mock.store import outcomes_from_session
from quizapp.review import AGAIN_AFTER, Outcome, ReviewDeck, card_id_for, default_scheduler, rating_for

T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(("outcome", "rating"), [
    (Outcome(solved=True, submits=1, hints=0), Rating.Good),
    (Outcome(solved=True, submits=1, hints=1), Rating.Hard),
    (Outcome(solved=True, submits=3, hints=0), Rating.Hard),
    (Outcome(solved=False, submits=2), Rating.Again),
    (Outcome(solved=True, gave_up=True), Rating.Again),
    (Outcome(score=1.0), Rating.Good),
    (Outcome(score=0.5), Rating.Hard),
    (Outcome(score=0.49), Rating.Again),
])
def test_outcome_to_rating(outcome: Outcome, rating: Rating) -> None:
    """first-submit solve is Good, hints or retries Hard, failure or giving up Again, self-rating maps"""
    assert rating_for(outcome) == rating


# A scripted history: (days after T0, question, outcome)
SCRIPT = [
    (0.0, "a", Outcome(solved=True)),
    (0.0, "b", Outcome(solved=False)),
    (0.01, "b", Outcome(solved=True, submits=2)),
    (1.0, "a", Outcome(solved=True)),
    (1.0, "c", Outcome(score=0.5)),
    (3.0, "b", Outcome(gave_up=True)),
    (4.5, "a", Outcome(solved=True, hints=1)),
    (6.0, "c", Outcome(score=1.0)),
    (20.0, "a", Outcome(solved=False)),
    (20.02, "a", Outcome(solved=True)),
]


@pytest.mark.parametrize("steps", [True, False], ids=["fsrs-default-steps", "quizapp-no-steps"])
def test_schedule_matches_fsrs_for_a_scripted_sequence(steps: bool) -> None:
    """every due date equals the one fsrs.Scheduler gives when driven directly with the same ratings
    (Again brought forward to the same day)"""
    if steps:
        deck = ReviewDeck(scheduler=Scheduler(enable_fuzzing=False))
        reference = Scheduler(enable_fuzzing=False)
    else:
        deck = ReviewDeck(scheduler=default_scheduler(enable_fuzzing=False))
        reference = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)
    expected: dict[str, Card] = {}
    expected_ratings = {
        0: Rating.Good, 1: Rating.Again, 2: Rating.Hard, 3: Rating.Good, 4: Rating.Hard,
        5: Rating.Again, 6: Rating.Hard, 7: Rating.Good, 8: Rating.Again, 9: Rating.Good,
    }
    for step, (days, qid, outcome) in enumerate(SCRIPT):
        now = T0 + timedelta(days=days)
        got = deck.record(qid, outcome, now)
        card = expected.get(qid) or Card(card_id=card_id_for(qid), due=now)
        expected[qid], _ = reference.review_card(card, expected_ratings[step], now)
        if expected_ratings[step] == Rating.Again:  # quizapp's one change: Again is due the same day
            expected[qid].due = min(expected[qid].due, now + AGAIN_AFTER)
        assert got.due == expected[qid].due, f"step {step}: {qid}"
        assert got.state == expected[qid].state and got.stability == expected[qid].stability
    assert {q: c.due for q, c in deck.cards.items()} == {q: c.due for q, c in expected.items()}


def test_schedule_with_fuzzing_matches_fsrs_for_the_same_random_state() -> None:
    """with the default (fuzzed) scheduler the deck still defers to fsrs exactly"""
    import random

    outcomes = [Outcome(solved=True)] * 5
    random.seed(11)
    deck = ReviewDeck()
    got = [deck.record("q", o, T0 + timedelta(days=10 * i)).due for i, o in enumerate(outcomes)]
    random.seed(11)
    sched = Scheduler(learning_steps=(), relearning_steps=())
    card, want = Card(card_id=card_id_for("q"), due=T0), []
    for i in range(5):
        card, _ = sched.review_card(card, Rating.Good, T0 + timedelta(days=10 * i))
        want.append(card.due)
    assert got == want


def test_due_today_oldest_first_and_upcoming_counts() -> None:
    """due lists cards due by the end of the local day, oldest first; upcoming counts the next days"""
    cards = {
        "late": Card(card_id=1, due=T0 - timedelta(days=3)),
        "early": Card(card_id=2, due=T0 - timedelta(days=5)),
        "tonight": Card(card_id=3, due=T0.replace(hour=23)),
        "tomorrow": Card(card_id=4, due=T0 + timedelta(days=1)),
        "day3a": Card(card_id=5, due=T0 + timedelta(days=3)),
        "day3b": Card(card_id=6, due=T0 + timedelta(days=3, hours=2)),
        "far": Card(card_id=7, due=T0 + timedelta(days=30)),
    }
    deck = ReviewDeck(cards)
    assert [d.question_id for d in deck.due(T0, tz=UTC)] == ["early", "late", "tonight"]
    assert deck.upcoming(T0, days=4, tz=UTC) == [1, 0, 2, 0]
    # The learner's day, not UTC's: at UTC+10 it is already 19:00, and 23:00 UTC is tomorrow there.
    plus10 = timezone(timedelta(hours=10))
    assert [d.question_id for d in deck.due(T0, tz=plus10)] == ["early", "late"]
    assert [d.question_id for d in deck.due(T0, until=T0)] == ["early", "late"]


def test_deck_round_trips_through_rows() -> None:
    """cards survive the store's JSON rows"""
    deck = ReviewDeck(scheduler=default_scheduler(enable_fuzzing=False))
    deck.record("x", Outcome(solved=True), T0)
    deck.record("y", Rating.Again, T0)
    again = ReviewDeck.from_rows(list(deck.to_rows()))
    assert {q: c.to_dict() for q, c in again.cards.items()} == {q: c.to_dict() for q, c in deck.cards.items()}


def test_naive_datetimes_are_rejected() -> None:
    """fsrs needs UTC; a naive datetime is a programming error"""
    with pytest.raises(ValueError, match="timezone-aware"):
        ReviewDeck().record("x", Outcome(), datetime(2025, 1, 1))


def test_outcomes_from_a_finished_mock() -> None:
    """a mock's answers become review outcomes: first-try solve, hinted solve, choice, unrated short"""
    b = bank()
    plan = plan_mock(b, count=6, seed=1)
    clock = FakeClock()
    s = MockSession(plan, b, clock=clock, wall=FakeWall(clock))
    g = StubGrader()
    s.set_source(b["clip-values"].solution_source(), "clip-values")  # type: ignore[union-attr]
    submit(s, g, "clip-values")
    s.take_hint("mean-bug")
    s.set_source(b["mean-bug"].solution_source(), "mean-bug")  # type: ignore[union-attr]
    s.select([0, 1], "regularisers")
    s.select([1], "dropout-eval")
    s.set_text("something", "why-decay")
    s.goto(plan.question_ids.index("scale-survivors"))
    clock.advance(20)  # looked at, left unanswered: failed
    end_interview(s, "finished-early", g)
    out = outcomes_from_session(s)
    assert rating_for(out["clip-values"]) == Rating.Good
    assert rating_for(out["mean-bug"]) == Rating.Hard
    assert rating_for(out["scale-survivors"]) == Rating.Again
    assert rating_for(out["regularisers"]) == Rating.Good
    assert rating_for(out["dropout-eval"]) == Rating.Again
    assert "why-decay" not in out
    s.rate_short([0, 1], "why-decay")
    assert rating_for(outcomes_from_session(s)["why-decay"]) == Rating.Good


def test_questions_never_opened_in_a_mock_get_no_outcome() -> None:
    """a question the candidate never opened is not scheduled"""
    b = bank()
    clock = FakeClock()
    s = MockSession(plan_mock(b, count=3, seed=2), b, clock=clock, wall=FakeWall(clock))
    clock.advance(10)  # only the first question is on screen
    end_interview(s, "finished-early", StubGrader())
    assert list(outcomes_from_session(s)) == [s.question_ids[0]]
