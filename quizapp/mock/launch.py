"""Resume or start: what the command line and the app do when a learner asks for a mock interview.

A paused interview is resumed when the request says nothing it contradicts (`quizapp mock`, F5 then
"Resume"). When the request asks for something else (`--count 5` against a paused interview of
three questions), neither front end guesses: they show the differences and let the learner resume,
discard and start, or cancel. Discarding keeps the old interview's row (see
`store.discard_session`), so nothing typed is lost and every new interview gets a new id.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from quizapp.mock import store as mock_store
from quizapp.mock.session import MockPlan, MockSession, plan_mock
from quizapp.models import AnyQuestion
from quizapp.progress import Store

DEFAULT_COUNT = 3
"""Questions in an interview when the learner does not say."""


def format_minutes(minutes: float) -> str:
    """`30` for whole minutes, `2.5` otherwise."""
    return f"{minutes:g}"


def questions_phrase(n: int) -> str:
    """`1 question`, `3 questions`."""
    return f"{n} question{'' if n == 1 else 's'}"


@dataclass(frozen=True)
class MockRequest:
    """What the learner asked for; None means "not said" (a default, or whatever a paused one has)."""

    count: int | None = None
    minutes: float | None = None
    topic: str | None = None
    difficulty: str | None = None
    seed: int | None = None

    def plan(self, bank: Mapping[str, AnyQuestion]) -> MockPlan:
        """A new plan for this request (raises `PlanError` when the bank cannot meet it)."""
        return plan_mock(bank, self.count or DEFAULT_COUNT, self.minutes, self.topic, self.difficulty, self.seed)

    def differences(self, plan: MockPlan) -> list[str]:
        """What this request asks for that `plan` does not have, one phrase each (empty: it agrees)."""
        out: list[str] = []
        if self.count is not None and self.count != len(plan.items):
            out.append(f"{questions_phrase(self.count)} (it has {len(plan.items)})")
        if self.minutes is not None and self.minutes != plan.minutes:
            out.append(f"{format_minutes(self.minutes)} minutes (it has {format_minutes(plan.minutes)})")
        if self.topic is not None and self.topic != plan.topic:
            out.append(f"topic {self.topic} (it has {plan.topic or 'every topic'})")
        if self.difficulty is not None and self.difficulty != plan.difficulty:
            out.append(f"difficulty {self.difficulty} (it has {plan.difficulty or 'every difficulty'})")
        if self.seed is not None and self.seed != plan.seed:
            out.append(f"seed {self.seed} (it has {plan.seed})")
        return out


@dataclass(frozen=True)
class Paused:
    """The unfinished interview a request may resume."""

    session_id: int
    session: MockSession

    def describe(self) -> str:
        """`interview #4: 3 questions, 27:12 left, 1 answered`."""
        s = self.session
        answered = sum(1 for qid in s.question_ids if _answered(s, qid))
        return (f"interview #{self.session_id}: {questions_phrase(len(s.question_ids))}, {s.countdown()} left, "
                f"{answered} answered")


def _answered(session: MockSession, qid: str) -> bool:
    a = session.answer(qid)
    if a.kind == "code":
        return a.source != getattr(session.question(qid), "starter", "")
    return bool(a.selected) if a.kind == "choice" else bool(a.text.strip())


def paused_interview(store: Store, bank: Mapping[str, AnyQuestion]) -> Paused | None:
    """The interview to resume, or None; raises `SessionError` when it cannot be rebuilt."""
    row = mock_store.unfinished_session(store)
    if row is None:
        return None
    return Paused(row.id, mock_store.resume_session(store, row.id, bank))


def start_interview(store: Store, bank: Mapping[str, AnyQuestion], request: MockRequest,
                    discard: Paused | None = None,
                    on_discard: Callable[[Paused], None] | None = None) -> tuple[int, MockSession]:
    """Plan and store a new interview, first setting `discard` aside; returns (id, session).

    The plan is made before anything is discarded, so a request the bank cannot meet (raises
    `PlanError`) leaves the paused interview as it was; `on_discard` is told just before the
    discard (the command line says what it discards before it does).
    """
    session = MockSession(request.plan(bank), bank)
    if discard is not None:
        if on_discard is not None:
            on_discard(discard)
        mock_store.discard_session(store, discard.session_id)
    return mock_store.create_session(store, session), session
