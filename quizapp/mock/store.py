"""Persistence for mock interviews and review cards, on top of `quizapp.progress.Store`.

The tables come from migration 2 in `progress.MIGRATIONS` (mock_sessions, review_cards). The running
interview's state is rewritten on every tick, so a kill or a reboot loses at most one tick and the
interview resumes with the time left it was saved with (see `quizapp.mock.session`).

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

from fsrs import Rating, Scheduler

from quizapp import progress
from quizapp.mock.report import MockReport, build_report
from quizapp.mock.session import MockPlan, MockSession, MonotonicClock, SessionError
from quizapp.models import AnyQuestion, ChoiceQuestion, CodeQuestion, ShortQuestion
from quizapp.progress import Store
from quizapp.review import Outcome, load_deck, rating_for, record_review, save_cards


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
    discarded_at: float | None = None
    """Epoch seconds the learner discarded it unfinished; such an interview is never resumed."""

    @property
    def finished(self) -> bool:
        """The interview ended (its report exists)."""
        return self.finished_at is not None

    @property
    def status(self) -> str:
        """finished (with its end reason), discarded, or unfinished."""
        if self.report is not None:
            return self.report.reason or "finished"
        return "discarded" if self.discarded_at is not None else "unfinished"


def _row(r: Any) -> SessionRow:
    return SessionRow(id=r["id"], uid=r["uid"], plan=MockPlan.from_json(json.loads(r["plan"])),
                      state=json.loads(r["state"]), started_at=r["started_at"], finished_at=r["finished_at"],
                      report=MockReport.from_json(json.loads(r["report"])) if r["report"] else None,
                      updated_at=r["updated_at"], discarded_at=r["discarded_at"])


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
    rows = store.query("SELECT * FROM mock_sessions WHERE finished_at IS NULL AND discarded_at IS NULL "
                       "ORDER BY started_at DESC, id DESC LIMIT 1")
    return _row(rows[0]) if rows else None


def history(store: Store) -> list[SessionRow]:
    """Every stored interview, newest first."""
    return [_row(r) for r in store.query("SELECT * FROM mock_sessions ORDER BY started_at DESC, id DESC")]


def resume_session(store: Store, session_id: int, bank: Mapping[str, AnyQuestion],
                   clock: MonotonicClock = time.monotonic, wall: Callable[[], datetime] | None = None) -> MockSession:
    """Rebuild a stored interview with the time left it was saved with."""
    row = get_session(store, session_id)
    if row is None:
        raise SessionError(f"no mock interview #{session_id}")
    if wall is None:
        return MockSession.from_json(row.state, bank, clock)
    return MockSession.from_json(row.state, bank, clock, wall)


def discard_session(store: Store, session_id: int) -> None:
    """Set aside an unfinished interview the learner does not want to resume.

    The row stays (listed as discarded by `quizapp report`, its answers kept), so the next
    interview gets a new id rather than reusing this one's.
    """
    now = store.clock()
    with store.transaction() as conn:
        conn.execute("UPDATE mock_sessions SET discarded_at = ?, updated_at = ? "
                     "WHERE id = ? AND finished_at IS NULL", (now, now, session_id))


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
            store.record_choice(qid, a.selected, [i for i, c in enumerate(q.choices) if c.correct], mock=True)
    elif isinstance(q, ShortQuestion) and a.self_rating is not None and a.text.strip():
        rating = _RATING_WORDS[rating_for(Outcome(score=score.points))]
        ticked = set(a.self_rating)
        store.record_short(qid, a.text, rating, [i in ticked for i in range(len(q.rubric))], mock=True)


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
