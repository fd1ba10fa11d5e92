"""Persistence for mock interviews and review cards, on top of `quizapp.progress.Store`.

The tables come from migration 2 in `progress.MIGRATIONS` (mock_sessions, review_cards). The running
interview's state is rewritten on every tick, so a kill or a reboot loses at most one tick and the
interview resumes with the time left it was saved with (see `quizapp.session`).

Finishing an interview also records each answer in the `attempts` table (so history, statuses and
stats include mock work) and reviews each question's fsrs card with the outcome.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from fsrs import Card, Rating, Scheduler

from quizapp import progress
from quizapp.models import AnyQuestion, ChoiceQuestion, CodeQuestion, ShortQuestion
from quizapp.progress import Store
from quizapp.report import MockReport, build_report
from quizapp.review import Outcome, ReviewDeck, outcomes_from_session, rating_for
from quizapp.session import Clock, MockPlan, MockSession, SessionError


@dataclass(frozen=True)
class SessionRow:
    """One stored mock interview."""

    id: int
    uid: str
    plan: MockPlan
    state: dict[str, Any]
    """`MockSession.to_json()` as last saved."""
    started_at: float
    """Epoch seconds."""
    finished_at: float | None
    report: MockReport | None
    updated_at: float

    @property
    def finished(self) -> bool:
        """The interview ended (its report exists)."""
        return self.finished_at is not None


def _row(r: Any) -> SessionRow:
    return SessionRow(id=r["id"], uid=r["uid"], plan=MockPlan.from_json(json.loads(r["plan"])),
                      state=json.loads(r["state"]), started_at=r["started_at"], finished_at=r["finished_at"],
                      report=MockReport.from_json(json.loads(r["report"])) if r["report"] else None,
                      updated_at=r["updated_at"])


def _now(store: Store) -> datetime:
    return datetime.fromtimestamp(store.clock(), UTC)


# ----------------------------------------------------------------------------------------------
# Sessions

def create_session(store: Store, session: MockSession) -> int:
    """Store a new interview; returns its id (the `ID` of `quizapp report ID`)."""
    now = store.clock()
    with store.transaction() as conn:
        cur = conn.execute(
            "INSERT INTO mock_sessions (uid, plan, state, started_at, updated_at) VALUES (?,?,?,?,?)",
            (uuid.uuid4().hex, json.dumps(session.plan.to_json()), json.dumps(session.to_json()),
             session.started_at.timestamp(), now))
        return int(cur.lastrowid or 0)


def save_session(store: Store, session_id: int, session: MockSession) -> None:
    """Save the state (time left, answers); once finished also the report and `finished_at`."""
    report = build_report(session, session_id) if session.finished else None
    finished = session.finished_at.timestamp() if session.finished and session.finished_at else None
    with store.transaction() as conn:
        conn.execute("UPDATE mock_sessions SET state = ?, finished_at = ?, report = ?, updated_at = ? "
                     "WHERE id = ?",
                     (json.dumps(session.to_json()), finished,
                      json.dumps(report.to_json()) if report else None, store.clock(), session_id))


def get_session(store: Store, session_id: int) -> SessionRow | None:
    """One stored interview, or None."""
    rows = store.query("SELECT * FROM mock_sessions WHERE id = ?", (session_id,))
    return _row(rows[0]) if rows else None


def unfinished_session(store: Store) -> SessionRow | None:
    """The most recently started interview that has not ended (the one to resume), or None."""
    rows = store.query("SELECT * FROM mock_sessions WHERE finished_at IS NULL "
                       "ORDER BY started_at DESC, id DESC LIMIT 1")
    return _row(rows[0]) if rows else None


def history(store: Store) -> list[SessionRow]:
    """Every stored interview, newest first."""
    return [_row(r) for r in store.query("SELECT * FROM mock_sessions ORDER BY started_at DESC, id DESC")]


def resume_session(store: Store, session_id: int, bank: Mapping[str, AnyQuestion],
                   clock: Clock = time.monotonic, wall: Callable[[], datetime] | None = None) -> MockSession:
    """Rebuild a stored interview with the time left it was saved with."""
    row = get_session(store, session_id)
    if row is None:
        raise SessionError(f"no mock interview #{session_id}")
    if wall is None:
        return MockSession.from_json(row.state, bank, clock)
    return MockSession.from_json(row.state, bank, clock, wall)


def abandon_session(store: Store, session_id: int) -> None:
    """Forget an unfinished interview the learner does not want to resume."""
    with store.transaction() as conn:
        conn.execute("DELETE FROM mock_sessions WHERE id = ? AND finished_at IS NULL", (session_id,))


def complete_session(store: Store, session_id: int, session: MockSession,
                     scheduler: Scheduler | None = None) -> MockReport:
    """Save a just-finished interview with its report, record attempts and review the cards.

    Idempotent: a session already stored as finished is only re-saved (no second attempt or review),
    so the app can call this again after a crash during the final save.
    """
    if not session.finished:
        raise SessionError("the interview has not ended")
    row = get_session(store, session_id)
    already = row is not None and row.finished
    save_session(store, session_id, session)
    if not already:
        for qid in session.question_ids:
            _record_attempt(store, session, qid)
        deck = load_deck(store, scheduler)
        now = _now(store)
        outcomes = outcomes_from_session(session)
        for qid, outcome in outcomes.items():
            deck.record(qid, outcome, now)
        save_cards(store, deck, list(outcomes))
    report = build_report(session, session_id)
    return report


def rate_short_answer(store: Store, session_id: int, session: MockSession, question_id: str,
                      ticked: list[int], scheduler: Scheduler | None = None) -> MockReport:
    """Self-rate a short answer after the interview; updates the report, attempts and its review card."""
    first = session.answer(question_id).self_rating is None
    session.rate_short(ticked, question_id)
    save_session(store, session_id, session)
    if first:
        _record_attempt(store, session, question_id)
        outcome = outcomes_from_session(session).get(question_id)
        if outcome is not None:
            record_review(store, question_id, outcome, scheduler)
    return build_report(session, session_id)


_RATING_WORDS: dict[Rating, progress.Rating] = {
    Rating.Again: "again", Rating.Hard: "hard", Rating.Good: "good", Rating.Easy: "easy"}


def _record_attempt(store: Store, session: MockSession, qid: str) -> None:
    q, a, score = session.question(qid), session.answer(qid), session.score(qid)
    if isinstance(q, CodeQuestion):
        grade = a.grade
        if grade is not None:
            store.record_grade(qid, a.source, grade, hints_used=a.hints_used)
    elif isinstance(q, ChoiceQuestion):
        if a.selected:
            store.record_attempt(qid, "choice", status="passed" if score.points >= 1 else "failed",
                                 result={"selected": a.selected, "mock": True}, passed=int(score.points >= 1),
                                 total=1, hints_used=0)
    elif isinstance(q, ShortQuestion) and a.self_rating is not None and a.text.strip():
        rating = _RATING_WORDS[rating_for(Outcome(score=score.points))]
        store.record_attempt(qid, "short", status="passed" if score.points >= 1 else "failed", code=a.text,
                             result={"ticked": a.self_rating, "mock": True}, rating=rating,
                             passed=len(a.self_rating), total=len(q.rubric), hints_used=0)


# ----------------------------------------------------------------------------------------------
# Review cards

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
        return Outcome(score={"again": 0.0, "hard": 0.5, "good": 1.0, "easy": 1.0}[last.rating])
    return Outcome(score=1.0 if last.status == "passed" else 0.0)


def review_after_practice(store: Store, question: AnyQuestion,
                          scheduler: Scheduler | None = None) -> Card | None:
    """Call after a practice solve, a give-up or a conceptual answer: reviews the card from the attempts."""
    outcome = practice_outcome(store, question)
    if outcome is None:
        return None
    return record_review(store, question.id, outcome, scheduler)


def install_due_hook(store: Store, tz: Any = None) -> Callable[[], None]:
    """Make `store.is_due`/`statuses` report review-due questions; returns a function that refreshes it.

    The due set is computed once (one query) and on each refresh, not per question.
    """
    due: set[str] = set()

    def refresh() -> None:
        due.clear()
        due.update(d.question_id for d in load_deck(store).due(_now(store), tz))

    refresh()
    store.due_hook = lambda qid: qid in due
    return refresh
